"""The local trainer: :class:`LocalTrainer`, one per server process, shared by every session.

It implements :class:`tutorial.trainer.Trainer` (the job rules are described there) with a fair
queue (:class:`~tutorial.queue_policy.QueuePolicy`: known learners first, round robin, limits and
caps, waiting runs of learners who left dropped) and ``parallel`` slots. Each slot trains through its own
:class:`~tutorial.backend.Backend`, made by the factory the trainer receives – by default a reusable
training child (:class:`tutorial.worker.ProcessTrainer`), so memory TensorFlow keeps after a training
is given back and the server never imports TensorFlow for training. A cancelled running job is
stopped through the backend (its child within about a second); nothing of it is kept.

Guards (never for the host's runs, which have no owner): a learner's new run is priced before it is
queued (:func:`tutorial.price.require` raises :class:`~tutorial.price.TrainingRefused` above the caps);
the backend gets its time limit (:func:`tutorial.result.time_limit`) and predicted peak memory; finished
results are forgotten oldest first beyond ``max_jobs`` or ``max_bytes`` (the host's pre-trained runs stay).

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import collections
import logging
import os
import threading
import time
from typing import Callable, Iterable, Optional

from tutorial import price, settings
from tutorial.backend import Backend, BackendFactory, default_backend
from tutorial.job import Job
from tutorial.queue_policy import Limits, QueuePolicy
from tutorial.result import (CANCELLED_MESSAGE, DROPPED_MESSAGE, FAILED_MESSAGE, HOST_CANCELLED_MESSAGE, Stopped,
                             TrainResult, time_limit, to_forget)
from tutorial.spec import RunSpec
from tutorial.trainer import ChildProcess, QueueEntry, RunningEntry, TrainerStatus, queue_cost
from tutorial.worker import rss_mb


class _Slot:
    """One place to train: a thread while there is work, and its backend (e.g. a training child)."""

    def __init__(self, index: int, backend: Backend):
        self.index, self.backend = index, backend
        self.thread: Optional[threading.Thread] = None
        self.job: Optional[Job] = None


class LocalTrainer:
    """The fair queue and ``parallel`` slots that train its jobs on this machine, each through a
    backend made by ``backend(threads)`` (see the module docstring)."""

    def __init__(self, backend: BackendFactory = default_backend, every: int = 10, max_jobs: int = 64,
                 idle_seconds: float = 300, parallel: Optional[int] = None, per_owner: int = 2,
                 threads: Optional[int] = None, limits: Optional[Limits] = None,
                 clock: Callable[[], float] = time.time, caps: Optional[price.Caps] = None,
                 max_bytes: Optional[float] = None):
        self.parallel = settings.parallel_trainings(parallel)
        self.threads = threads or settings.threads_per_training(self.parallel)
        self.every, self.max_jobs, self.idle_seconds = every, max_jobs, idle_seconds
        self.caps = caps                # None: price.caps() (the settings) at every submit
        self.max_bytes = max_bytes if max_bytes is not None else settings.results_mb() * 2 ** 20
        self._policy = QueuePolicy(limits or Limits(per_owner=per_owner), clock, self.parallel)
        self._slots = [_Slot(i, backend(self.threads)) for i in range(self.parallel)]
        self._jobs: "collections.OrderedDict[RunSpec, Job]" = collections.OrderedDict()
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)
        self._factor = 1.0          # this machine's speed relative to the pretrained runs' priors
        self._finish_factor = 1.0   # measured / expected finishing phase
        self._warm: Optional[threading.Thread] = None
        self.trainings_started = 0

    # --- the learner's side --------------------------------------------------------------------
    def submit(self, spec: RunSpec, owner: str = "", standing: int = 0) -> Job:
        """The job for ``spec``: existing (any state) or newly queued. Raises :class:`QueueLimit`
        (or :class:`QueueFull`) when the queue's rules refuse ``owner`` another waiting run."""
        with self._lock:
            self._drop_gone()
            job = self._jobs.get(spec)
            if job is None:
                return self._enqueue(spec, owner, standing)
            if job.state == "queued":
                self._policy.add(spec, owner, standing, queue_cost(spec))
            if not job.done:
                job.owners.add(owner)
                job.host = job.host or owner == ""
            self._jobs.move_to_end(spec)
            return job

    def retry(self, spec: RunSpec, owner: str = "", standing: int = 0) -> Job:
        """Queue a failed or cancelled run again (a new job) – also one still stopping after a cancel
        (its child needs up to a second; joining it would end in "abgebrochen" again, and the Ray
        table has already marked it cancelled); any other job is returned as it is."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is None or job.state in ("failed", "cancelled") or (job.stop_event.is_set() and not job.done):
                self._drop_gone()
                return self._enqueue(spec, owner, standing)
        return self.submit(spec, owner, standing)

    def seen(self, owner: str) -> None:
        """``owner`` is here (a page of theirs ran): keeps their waiting runs in the queue."""
        with self._lock:
            self._policy.seen(owner)
            self._drop_gone()

    def cancel(self, job: Job, owner: str = "") -> bool:
        """Take back ``owner``'s request for ``job``. When nobody else waits for it, a waiting job
        is cancelled and a running one stopped; otherwise it goes on for the others. False when
        the job had already finished."""
        with self._lock:
            if job.done:
                return False
            job.owners.discard(owner)
            if job.state == "queued":
                if self._policy.detach(job.spec, owner) or not self._policy.owners(job.spec):
                    self._policy.remove(job.spec)
                    job._finish("cancelled", message=CANCELLED_MESSAGE)
                return True
            if not job.owners:
                job.stop_event.set()
            return True

    def get(self, spec: RunSpec) -> Optional[Job]:
        with self._lock:
            return self._jobs.get(spec)

    def position(self, job: Job) -> int:
        """0 while running or finished; 1 for the next in line, 2 behind it, …"""
        with self._lock:
            return self._policy.position(job.spec) if job.state == "queued" else 0

    # --- the host's side -----------------------------------------------------------------------
    def remove(self, job: Job) -> bool:
        """The host cancels ``job`` for everybody (waiting or running); False when it had finished."""
        with self._lock:
            if job.done:
                return False
            job.owners.clear()
            if job.state == "queued":
                self._policy.remove(job.spec)
                job._finish("cancelled", message=HOST_CANCELLED_MESSAGE)
            else:
                job.message = HOST_CANCELLED_MESSAGE
                job.stop_event.set()
            return True

    def cancel_waiting(self) -> int:
        """The host cancels every waiting run but their own pre-training; returns how many."""
        with self._lock:
            gone = self._policy.remove_waiting(keep_host=True)
            for spec in gone:
                self._jobs[spec].owners.clear()
                self._jobs[spec]._finish("cancelled", message=HOST_CANCELLED_MESSAGE)
            return len(gone)

    def status(self) -> TrainerStatus:
        """The queue (in order, with owners), the running jobs with progress, and memory in MB."""
        now = time.time()
        with self._lock:
            self._drop_gone()
            queue = tuple(QueueEntry(spec, tuple(self._policy.owners(spec)), i + 1, now - self._jobs[spec].submitted,
                                     known=any(self._policy.known(o) for o in self._policy.owners(spec)))
                          for i, spec in enumerate(self._policy.order()))
            running, children = [], []
            for slot in self._slots:
                pid = slot.backend.child_pid
                if pid:
                    children.append(ChildProcess(f"slot {slot.index}", pid, rss_mb(pid)))
                job = slot.job
                if job is not None:
                    snap = job.snapshot()
                    running.append(RunningEntry(job.spec, tuple(sorted(job.owners)), snap["state"], snap["step"],
                                                snap["total_steps"], snap["remaining"], slot=slot.index))
            states = [j.state for j in self._jobs.values()]
        return TrainerStatus("local", self.parallel, self.threads, queue, tuple(running), done=states.count("done"),
                             failed=states.count("failed") + states.count("cancelled"),
                             trainings_started=self.trainings_started, server_mb=rss_mb(os.getpid()),
                             children=tuple(children), factor=self._factor)

    def clear_failed(self) -> int:
        """Forget failed and cancelled jobs (the next request trains them anew); returns how many."""
        with self._lock:
            gone = [s for s, j in self._jobs.items() if j.state in ("failed", "cancelled")]
            for spec in gone:
                del self._jobs[spec]
            return len(gone)

    def warm_start(self, load: Iterable[Callable[[], object]] = ()) -> threading.Thread:
        """Start the first slot's backend now (a training child imports TensorFlow, loads the data
        and fits a tiny model on its own) and, once it is ready, run ``load`` (e.g. the app's cached
        loaders) in a background thread – one after the other, so a one-core box is not asked
        for two TensorFlow starts at once. Returns at once; calling it again does nothing."""
        with self._lock:
            if self._warm is not None:
                return self._warm
            self._warm = threading.Thread(target=self._warm_up, args=(tuple(load),), name="tutorial-warm-start",
                                          daemon=True)
        self._warm.start()
        return self._warm

    def _warm_up(self, load: tuple) -> None:
        first = self._slots[0].backend
        first.start(keep=True)
        first.wait_ready(120)
        for fn in load:
            try:
                fn()
            except Exception:  # noqa: BLE001 - a page reports the same failure when it loads it
                logging.getLogger(__name__).warning("warm start: %r failed", fn, exc_info=True)

    def close(self) -> None:
        """Stop every slot's backend (tests, benchmarks)."""
        for slot in self._slots:
            slot.backend.close()

    # --- internals -----------------------------------------------------------------------------
    def _enqueue(self, spec: RunSpec, owner: str, standing: int = 0) -> Job:
        """Under the lock: a new queued job for ``spec`` (raises TrainingRefused or QueueLimit before
        anything changes)."""
        if owner:
            price.require(spec, self.caps)
        self._policy.add(spec, owner, standing, queue_cost(spec))
        job = Job(spec, self._factor, self._finish_factor)
        job.owners.add(owner)
        job.host = owner == ""
        self._jobs[spec] = job
        self._jobs.move_to_end(spec)
        self._evict()
        self._dispatch()
        return job

    def _drop_gone(self) -> None:
        """Under the lock: waiting runs whose learners all left are cancelled (never the host's)."""
        for spec in self._policy.drop_gone():
            job = self._jobs[spec]
            job.owners.clear()
            job._finish("cancelled", message=DROPPED_MESSAGE)

    def _evict(self) -> None:
        """Forget the oldest finished jobs beyond ``max_jobs`` or ``max_bytes`` of results (their models
        free memory); the host's pre-trained runs stay."""
        for spec in to_forget(self._jobs, self.max_jobs, self.max_bytes):
            del self._jobs[spec]

    def _dispatch(self) -> None:
        """Under the lock: wake idle slots and start threads for free ones, as the queue needs."""
        idle = sum(1 for s in self._slots if s.thread is not None and s.job is None)
        needed = len(self._policy) - idle
        for slot in self._slots:
            if needed <= 0:
                break
            if slot.thread is None:
                slot.thread = threading.Thread(target=self._serve, args=(slot,), daemon=True,
                                               name=f"tutorial-trainer-{slot.index}")
                slot.thread.start()
                needed -= 1
        self._wakeup.notify_all()

    def _serve(self, slot: _Slot) -> None:
        while True:
            with self._lock:
                if not len(self._policy):
                    self._wakeup.wait_for(lambda: len(self._policy) > 0, timeout=self.idle_seconds)
                self._drop_gone()
                if not len(self._policy):   # idle: end the thread; _dispatch starts a new one
                    slot.thread = None
                    break
                spec, _ = self._policy.pop()
                job = self._jobs[spec]
                job.state, job.started = "running", time.time()
                job.clock.start = slot.backend.start_estimate()
                job.clock.begin(job.started)
                slot.job = job
                self.trainings_started += 1
            self._train(slot.backend, job)
            with self._lock:
                slot.job = None
                self._learn(job)
                self._evict()
        slot.backend.idle()   # no work: give the training process's memory back too (unless kept warm)

    def _guards(self, job: Job) -> dict:
        """The backend's guards for ``job``: its time limit and predicted peak (none for the host's)."""
        try:
            p = price.price(job.spec)
        except (ValueError, KeyError, TypeError, ZeroDivisionError):
            return {}
        return {} if job.host else {"time_limit": time_limit(p.seconds, self.threads), "memory_mb": p.memory_mb}

    def _train(self, backend: Backend, job: Job) -> None:
        try:
            result: TrainResult = backend.train(job.spec, on_progress=job._on_progress, every=self.every,
                                                stop_event=job.stop_event, **self._guards(job))
        except Stopped as exc:    # a guard stopped it: its German message as it is
            job._finish("failed", message=str(exc))
            return
        except Exception as exc:  # shown to the learner; the slot keeps serving others
            if job.stop_event.is_set():
                job._finish("cancelled", message=job.message or CANCELLED_MESSAGE)
            else:
                job._finish("failed", message=FAILED_MESSAGE.format(error=exc))
            return
        if job.stop_event.is_set():   # nothing half-trained is kept
            job._finish("cancelled", message=job.message or CANCELLED_MESSAGE)
        else:
            job._finish("done", result, result.message)

    def _learn(self, job: Job) -> None:
        """Under the lock: adjust the machine factor from a finished job's measured step rate."""
        if job.state != "done":
            return
        measured = job.clock.measured_factor()
        if measured is not None:
            self._factor = 0.5 * self._factor + 0.5 * job.clock.factor * measured
        finish = job.clock.measured_finish(job.finished)
        if finish is not None:
            self._finish_factor = min(10.0, max(0.1, 0.5 * self._finish_factor + 0.5 * finish * self._finish_factor))
