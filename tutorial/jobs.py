"""Training jobs that outlive a Streamlit script run, shared by every session of a server process.

A :class:`Trainer` (one per server process) keeps a fair queue (:class:`~tutorial.queue_policy.QueuePolicy`:
round robin over learners, at most two waiting runs each) and ``parallel`` slots; each slot trains
in its own reusable child process (:class:`tutorial.worker.ProcessTrainer`), so memory TensorFlow
keeps after a training is given back and the server never imports TensorFlow for training.

The job rules:

* :meth:`Trainer.submit` returns the one :class:`Job` for a :class:`~tutorial.spec.RunSpec`:
  queued, running, finishing or finished – equal settings train once. A failed or cancelled job
  is returned as it is; only :meth:`Trainer.retry` queues it again.
* :meth:`Trainer.cancel` takes one learner's request back. When nobody else waits for the run,
  a waiting run leaves the queue and a running one is stopped (its child within about a second);
  nothing of it is kept. Otherwise the run goes on for the others.
* A job's ``state`` is ``queued → running → finishing → done`` (or ``failed`` / ``cancelled``);
  "finishing" is the tail after the last step: the test digits' predictions are computed in the
  child and the model is returned.

This module does not import TensorFlow.
"""
from __future__ import annotations

import bisect
import collections
import logging
import os
import tempfile
import threading
import time
from typing import Callable, Iterable, Optional

from tutorial import estimate, settings
from tutorial.queue_policy import QueueLimit, QueuePolicy  # noqa: F401  (QueueLimit is part of the API)
from tutorial.spec import RunSpec

FAILED_MESSAGE = "Beim Training ist ein Fehler aufgetreten: {error}"
CANCELLED_MESSAGE = "Das Training wurde abgebrochen."
STATES = ("queued", "running", "finishing", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")


class TrainResult:
    """A finished run: its model, history, duration, status and the predictions of the test digits.

    ``predictions``: predicted label of each of the run's ``spec.val_size`` test digits (computed
    where it trained); ``font_predictions``: the same for ``fonts.font_digits(FONT_DIGITS)``;
    ``summary``: ``tutorial.models.summary_rows(model)``.
    A result that came from a training child holds the model as ``.keras`` bytes and loads it
    (TensorFlow) only when ``model`` is first used.
    """

    def __init__(self, spec: RunSpec, model=None, history: Optional[dict] = None, seconds: float = 0.0,
                 status: str = "done", message: str = "", predictions=None, font_predictions=None,
                 model_bytes: Optional[bytes] = None, summary: Optional[list] = None):
        self.spec, self.history, self.seconds = spec, history or {"batches": [], "epochs": []}, seconds
        self.status, self.message = status, message
        self.predictions, self.font_predictions = predictions, font_predictions
        self.model_bytes, self.summary = model_bytes, summary
        self._model = model
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None and self.model_bytes is not None:
            with self._lock:
                if self._model is None:
                    self._model = load_model_bytes(self.model_bytes)
        return self._model

    @model.setter
    def model(self, value) -> None:
        self._model = value


def load_model_bytes(blob: bytes):
    """A Keras model from the bytes of a ``.keras`` file (imports TensorFlow)."""
    import keras

    with tempfile.TemporaryDirectory(prefix="tutorial-") as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as f:
            f.write(blob)
        return keras.models.load_model(path)


class Cancelled(Exception):
    """Raised by a train function that gave up because its job was cancelled."""


class Job:
    """One training run: its state, live progress and, when finished, the result."""

    def __init__(self, spec: RunSpec, factor: float = 1.0, finish_factor: float = 1.0):
        self.spec = spec
        self.state = "queued"
        self.result: Optional[TrainResult] = None
        self.message = ""       # German text for the learner (NaN stop, error, cancel)
        self.history = {"batches": [], "epochs": []}
        self.step = 0
        self.owners: set[str] = set()
        self.submitted = time.time()
        self.started: Optional[float] = None
        self.finished: Optional[float] = None
        self.stop_event = threading.Event()    # set by Trainer.cancel: the train function gives up
        self.clock = estimate.Clock(spec, factor)
        self.clock.prior["finish"] *= finish_factor
        self._done = threading.Event()
        self._lock = threading.Lock()

    # called from the slot's thread
    def _on_progress(self, record: dict) -> None:
        with self._lock:  # batch records may arrive slightly out of order (asynchronous hooks)
            self.clock.record(record)
            kind = record.get("kind")
            if kind == "finishing":
                if self.state == "running":
                    self.state = "finishing"
                return
            self.step = max(self.step, record["step"])
            rec = {k: v for k, v in record.items() if k != "kind"}
            bisect.insort(self.history["batches" if kind == "batch" else "epochs"], rec, key=lambda r: r["step"])

    def _finish(self, state: str, result: Optional[TrainResult] = None, message: str = "") -> None:
        with self._lock:
            self.result, self.message = result, message
            self.finished = time.time()
            self.state = state
        self._done.set()

    @property
    def total_steps(self) -> int:
        return self.spec.steps_per_epoch * self.spec.epochs

    def remaining_seconds(self) -> Optional[float]:
        """Estimated seconds until the result is there (None while queued or when finished)."""
        if self.state not in ("running", "finishing"):
            return None
        return self.clock.remaining()

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


class _Slot:
    """One place to train: a thread while there is work, and its train function (child process)."""

    def __init__(self, index: int, train_fn: Callable):
        self.index, self.train_fn = index, train_fn
        self.thread: Optional[threading.Thread] = None
        self.job: Optional[Job] = None


class Trainer:
    """The fair queue and ``parallel`` slots that train its jobs (see the module's rules)."""

    def __init__(self, train_fn: Optional[Callable] = None, every: int = 10, max_jobs: int = 64,
                 idle_seconds: float = 300, parallel: Optional[int] = None, per_owner: int = 2,
                 threads: Optional[int] = None):
        self.parallel = settings.parallel_trainings(parallel)
        self.threads = threads or settings.threads_per_training(self.parallel)
        self.every, self.max_jobs, self.idle_seconds = every, max_jobs, idle_seconds
        self._policy = QueuePolicy(per_owner)
        self._slots = [_Slot(i, train_fn or self._default_train_fn()) for i in range(self.parallel)]
        self._jobs: "collections.OrderedDict[RunSpec, Job]" = collections.OrderedDict()
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)
        self._factor = 1.0          # this machine's speed relative to the pretrained runs' priors
        self._finish_factor = 1.0   # measured / expected finishing phase
        self._warm: Optional[threading.Thread] = None
        self.trainings_started = 0

    def _default_train_fn(self) -> Callable:
        from tutorial import worker
        if worker.SUPPORTED:
            return worker.ProcessTrainer(threads=self.threads)
        from tutorial.training import train   # no pass_fds on Windows: train in this process
        return train

    # --- the learner's side --------------------------------------------------------------------
    def submit(self, spec: RunSpec, owner: str = "") -> Job:
        """The job for ``spec``: existing (any state) or newly queued. Raises :class:`QueueLimit`
        when ``owner`` already waits for two other runs."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is None:
                return self._enqueue(spec, owner)
            if job.state == "queued":
                self._policy.add(spec, owner)
            if not job.done:
                job.owners.add(owner)
            self._jobs.move_to_end(spec)
            return job

    def retry(self, spec: RunSpec, owner: str = "") -> Job:
        """Queue a failed or cancelled run again (a new job); any other job is returned as it is."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is None or job.state in ("failed", "cancelled"):
                return self._enqueue(spec, owner)
        return self.submit(spec, owner)

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
    def status(self) -> dict:
        """The queue (in order, with owners), the running jobs with progress, and memory in MB."""
        from tutorial.worker import rss_mb

        with self._lock:
            queue = [{"spec": spec, "owners": self._policy.owners(spec), "position": i + 1,
                      "waiting": time.time() - self._jobs[spec].submitted}
                     for i, spec in enumerate(self._policy.order())]
            running = []
            children = []
            for slot in self._slots:
                pid = getattr(slot.train_fn, "child_pid", None)
                if pid:
                    children.append({"slot": slot.index, "pid": pid, "rss_mb": rss_mb(pid)})
                job = slot.job
                if job is not None:
                    snap = job.snapshot()
                    running.append({"spec": job.spec, "owners": sorted(job.owners), "state": snap["state"],
                                    "step": snap["step"], "total_steps": snap["total_steps"],
                                    "progress": snap["step"] / max(1, snap["total_steps"]),
                                    "remaining": snap["remaining"], "slot": slot.index})
            failed = sum(1 for j in self._jobs.values() if j.state in ("failed", "cancelled"))
            done = sum(1 for j in self._jobs.values() if j.state == "done")
        return {"parallel": self.parallel, "threads": self.threads, "queue": queue, "running": running,
                "failed": failed, "done": done, "trainings_started": self.trainings_started,
                "server_mb": rss_mb(os.getpid()), "children": children,
                "children_mb": sum(c["rss_mb"] for c in children)}

    def clear_failed(self) -> int:
        """Forget failed and cancelled jobs (the next request trains them anew); returns how many."""
        with self._lock:
            gone = [s for s, j in self._jobs.items() if j.state in ("failed", "cancelled")]
            for spec in gone:
                del self._jobs[spec]
            return len(gone)

    def warm_start(self, load: Iterable[Callable[[], object]] = ()) -> threading.Thread:
        """Start the first slot's training child now (it imports TensorFlow, loads the data and
        fits a tiny model on its own) and, once it is ready, run ``load`` (e.g. the app's cached
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
        train_fn = self._slots[0].train_fn
        if hasattr(train_fn, "start"):
            train_fn.start(keep=True)
        if hasattr(train_fn, "wait_ready"):
            train_fn.wait_ready(120)
        for fn in load:
            try:
                fn()
            except Exception:  # noqa: BLE001 - a page reports the same failure when it loads it
                logging.getLogger(__name__).warning("warm start: %r failed", fn, exc_info=True)

    def close(self) -> None:
        """Stop every child (tests, benchmarks)."""
        for slot in self._slots:
            closer = getattr(slot.train_fn, "close", None)
            if closer is not None:
                closer()

    # --- internals -----------------------------------------------------------------------------
    def _enqueue(self, spec: RunSpec, owner: str) -> Job:
        """Under the lock: a new queued job for ``spec`` (raises QueueLimit before anything changes)."""
        self._policy.add(spec, owner)
        job = Job(spec, self._factor, self._finish_factor)
        job.owners.add(owner)
        self._jobs[spec] = job
        self._jobs.move_to_end(spec)
        self._evict()
        self._dispatch()
        return job

    def _evict(self) -> None:
        """Forget the oldest finished jobs beyond ``max_jobs`` (their models free memory)."""
        finished = [s for s, j in self._jobs.items() if j.done]
        while len(self._jobs) > self.max_jobs and finished:
            del self._jobs[finished.pop(0)]

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
                if not len(self._policy):   # idle: end the thread; _dispatch starts a new one
                    slot.thread = None
                    break
                spec, _ = self._policy.pop()
                job = self._jobs[spec]
                job.state, job.started = "running", time.time()
                estimate_start = getattr(slot.train_fn, "start_estimate", None)
                if estimate_start is not None:
                    job.clock.start = estimate_start()
                job.clock.begin(job.started)
                slot.job = job
                self.trainings_started += 1
            self._train(slot.train_fn, job)
            with self._lock:
                slot.job = None
                self._learn(job)
        if hasattr(slot.train_fn, "close") and not getattr(slot.train_fn, "keep", False):
            slot.train_fn.close()   # idle: give the training process's memory back too

    def _train(self, train_fn: Callable, job: Job) -> None:
        try:
            result = train_fn(job.spec, on_progress=job._on_progress, every=self.every, stop_event=job.stop_event)
        except Exception as exc:  # shown to the learner; the slot keeps serving others
            if job.stop_event.is_set():
                job._finish("cancelled", message=CANCELLED_MESSAGE)
            else:
                job._finish("failed", message=FAILED_MESSAGE.format(error=exc))
            return
        if job.stop_event.is_set():   # nothing half-trained is kept
            job._finish("cancelled", message=CANCELLED_MESSAGE)
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
