"""Training jobs that outlive a Streamlit script run, shared by every session of a server process.

A :class:`Trainer` owns one worker thread and a queue; by default the worker trains in a child
process (:class:`tutorial.worker.ProcessTrainer`), so memory TensorFlow keeps after each training
is given back. :meth:`Trainer.submit` returns the one
:class:`Job` for a :class:`~tutorial.spec.RunSpec`: the first request enqueues it, every later
(or concurrent) request for an equal spec gets the same job. Only one training runs at a time, so
a workshop of 30 learners cannot exhaust a small server; the others see their queue position.

This module does not import TensorFlow.
"""
from __future__ import annotations

import bisect
import collections
import threading
import time
from typing import Callable, Optional

from tutorial.spec import RunSpec

FAILED_MESSAGE = "Beim Training ist ein Fehler aufgetreten: {error}"


class Job:
    """One training run: its state, live progress and, when finished, the result."""

    def __init__(self, spec: RunSpec):
        self.spec = spec
        self.state = "queued"   # queued | running | done | failed
        self.result = None      # TrainResult when done
        self.message = ""       # German text for the learner (NaN stop, error)
        self.history = {"batches": [], "epochs": []}
        self.step = 0
        self.submitted = time.time()
        self.started: Optional[float] = None
        self.finished: Optional[float] = None
        self.stop_event = threading.Event()
        self._done = threading.Event()
        self._lock = threading.Lock()

    # called from the worker thread
    def _on_progress(self, record: dict) -> None:
        with self._lock:  # batch records may arrive slightly out of order (asynchronous hooks)
            self.step = max(self.step, record["step"])
            rec = {k: v for k, v in record.items() if k != "kind"}
            bisect.insort(self.history["batches" if record["kind"] == "batch" else "epochs"], rec,
                          key=lambda r: r["step"])

    @property
    def total_steps(self) -> int:
        return self.spec.steps_per_epoch * self.spec.epochs

    def remaining_seconds(self) -> Optional[float]:
        """Estimated seconds until the run finishes (None before the first progress report)."""
        if self.state != "running" or not self.step or self.started is None:
            return None
        elapsed = time.time() - self.started
        return elapsed / self.step * max(0, self.total_steps - self.step)

    def snapshot(self) -> dict:
        """A consistent copy of the job's progress for drawing."""
        with self._lock:
            return {"state": self.state, "step": self.step, "total_steps": self.total_steps,
                    "epoch": len(self.history["epochs"]), "epochs_total": self.spec.epochs,
                    "batches": list(self.history["batches"]), "epochs": list(self.history["epochs"]),
                    "remaining": self.remaining_seconds(), "message": self.message,
                    "seconds": (self.finished or time.time()) - (self.started or time.time())}

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: Optional[float] = None) -> bool:
        return self._done.wait(timeout)


class Trainer:
    """A queue of jobs and the one worker thread that trains them, one at a time."""

    def __init__(self, train_fn: Optional[Callable] = None, every: int = 10, max_jobs: int = 64,
                 idle_seconds: float = 300):
        if train_fn is None:
            from tutorial import worker
            if worker.SUPPORTED:
                train_fn = worker.ProcessTrainer()
            else:   # no pass_fds on Windows: train in this process
                from tutorial.training import train as train_fn
        self._train_fn = train_fn
        self.idle_seconds = idle_seconds
        self.every = every
        self.max_jobs = max_jobs
        self._jobs: "collections.OrderedDict[RunSpec, Job]" = collections.OrderedDict()
        self._queue: "collections.deque[Job]" = collections.deque()
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)
        self._worker: Optional[threading.Thread] = None
        self.trainings_started = 0

    def submit(self, spec: RunSpec) -> Job:
        """The job for ``spec``: existing (queued, running or finished) or newly enqueued."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is not None and job.state != "failed":
                self._jobs.move_to_end(spec)
                return job
            job = Job(spec)
            self._jobs[spec] = job
            self._queue.append(job)
            self._evict()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="tutorial-trainer", daemon=True)
                self._worker.start()
            self._wakeup.notify()
            return job

    def get(self, spec: RunSpec) -> Optional[Job]:
        with self._lock:
            return self._jobs.get(spec)

    def position(self, job: Job) -> int:
        """0 while running or finished; 1 for the next in line, 2 behind it, …"""
        with self._lock:
            if job not in self._queue or job.state == "running":
                return 0
            ahead = self._queue.index(job)
            return ahead if self._queue[0].state == "running" else ahead + 1

    def _evict(self) -> None:
        """Forget the oldest finished jobs beyond ``max_jobs`` (their models free memory)."""
        finished = [s for s, j in self._jobs.items() if j.done]
        while len(self._jobs) > self.max_jobs and finished:
            del self._jobs[finished.pop(0)]

    def _run(self) -> None:
        train_fn = self._train_fn
        while True:
            with self._lock:
                if not self._queue:
                    self._wakeup.wait_for(lambda: self._queue, timeout=self.idle_seconds)
                if not self._queue:  # idle: end the thread; submit starts a new one
                    self._worker = None
                    break
                job = self._queue[0]
                job.state, job.started = "running", time.time()
                self.trainings_started += 1
            try:
                result = train_fn(job.spec, on_progress=job._on_progress, every=self.every,
                                  stop_event=job.stop_event)
                job.result, job.message = result, result.message
                job.state = "done"
            except Exception as exc:  # shown to the learner; the worker keeps serving others
                job.message = FAILED_MESSAGE.format(error=exc)
                job.state = "failed"
            finally:
                job.finished = time.time()
                with self._lock:
                    self._queue.popleft()
                job._done.set()
        if hasattr(train_fn, "close"):   # idle: give the training process's memory back too
            train_fn.close()
