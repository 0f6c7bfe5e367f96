"""One training run as every page and both trainers see it: :class:`Job`.

A job's ``state`` is ``queued → running → finishing → done`` (or ``failed`` / ``cancelled``, see
:data:`tutorial.result.STATES`); "finishing" is the tail after the last step: the test digits'
predictions are computed where it trained and the model is returned. The local trainer
(:class:`tutorial.jobs.LocalTrainer`) drives its jobs from a slot's thread; the Ray trainer mirrors
them from the cluster's job table (:class:`tutorial.cluster.client.RayJob`).
This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import bisect
import threading
import time
from typing import Optional

from tutorial import estimate
from tutorial.result import ACTIVE, TrainResult
from tutorial.spec import RunSpec


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
        self.host = False       # the host asked for it (pre-training): never dropped or evicted
        self.submitted = time.time()
        self.started: Optional[float] = None
        self.finished: Optional[float] = None
        self.stop_event = threading.Event()    # set by a cancel: the backend gives up
        self.clock = estimate.Clock(spec, factor)
        self.clock.prior["finish"] *= finish_factor
        self._done = threading.Event()
        self._lock = threading.Lock()

    # called from the thread that trains (or mirrors) the job
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
        if self.state not in ACTIVE:
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
