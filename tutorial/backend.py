"""Where one slot of the local trainer runs its trainings: the :class:`Backend` protocol.

:class:`tutorial.jobs.LocalTrainer` gives each of its slots one backend, made by a
:data:`BackendFactory` it receives (:func:`default_backend` unless told otherwise), and uses nothing of it but
this protocol. Two backends implement it:

* :class:`tutorial.worker.ProcessTrainer` – a reusable training child process (POSIX; the default);
* :class:`InProcess` – :func:`tutorial.training.train` in the server's own process (Windows, where
  the child cannot inherit its socket; tests with a fake train function).

The contract of :meth:`Backend.train`: train ``spec`` from scratch, report progress records to
``on_progress`` (every ``every`` batches, each epoch, one ``{"kind": "finishing"}``) and return a
:class:`~tutorial.result.TrainResult`; when ``stop_event`` is set, stop soon, keep nothing and raise
:class:`~tutorial.result.Cancelled` (or return a stopped result: the trainer discards it). The guards:
stop training after ``time_limit`` seconds (a result with status "timeout"); ``memory_mb`` is the run's
predicted peak (:mod:`tutorial.price`) for a backend that watches its memory; a guard that stops the
run raises :class:`~tutorial.result.Stopped` with the German message. Any other exception fails the
job with its text. This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import threading
from typing import Callable, Optional, Protocol, runtime_checkable

from tutorial import settings, worker
from tutorial.price import START
from tutorial.result import TrainResult
from tutorial.spec import RunSpec

Progress = Callable[[dict], None]


@runtime_checkable
class Backend(Protocol):
    """One place to train, used by one slot of the local trainer at a time."""

    def train(self, spec: RunSpec, on_progress: Optional[Progress] = None, every: int = 10,
              stop_event: Optional[threading.Event] = None, time_limit: Optional[float] = None,
              memory_mb: Optional[float] = None) -> TrainResult:
        """Train ``spec`` (see the module's contract); blocks until the result is there."""
        ...

    def start(self, keep: bool = True) -> None:
        """Get ready ahead of time without waiting (the warm start); ``keep``: stay ready when idle."""
        ...

    def wait_ready(self, timeout: float = 120) -> bool:
        """Wait until :meth:`start` has finished; True when the backend is ready."""
        ...

    def start_estimate(self) -> float:
        """Seconds from a task to its first training step as things are now (cold or warm)."""
        ...

    @property
    def child_pid(self) -> Optional[int]:
        """The process that trains, when it is not the server's own (its memory is shown)."""
        ...

    def idle(self) -> None:
        """The slot has no more work for now: give memory back, unless started with ``keep``."""
        ...

    def close(self) -> None:
        """Stop for good and free everything (server end, tests, benchmarks)."""
        ...


BackendFactory = Callable[[int], Backend]   # threads per training → a new backend for one slot


class InProcess:
    """A :class:`Backend` that trains in this process: ``train_fn`` (default
    :func:`tutorial.training.train`, imported with TensorFlow on first use, with the time limit; no
    memory watchdog – the memory is the server's own)."""

    def __init__(self, train_fn: Optional[Callable[..., TrainResult]] = None):
        self._train_fn = train_fn

    def train(self, spec: RunSpec, on_progress: Optional[Progress] = None, every: int = 10,
              stop_event: Optional[threading.Event] = None, time_limit: Optional[float] = None,
              memory_mb: Optional[float] = None) -> TrainResult:
        if self._train_fn is not None:     # a stand-in (tests) takes the four arguments of the contract
            return self._train_fn(spec, on_progress=on_progress, every=every, stop_event=stop_event)
        from tutorial.training import train
        return train(spec, on_progress=on_progress, every=every, stop_event=stop_event, time_limit=time_limit)

    def start(self, keep: bool = True) -> None:
        """Nothing to start: TensorFlow is imported by the first training."""

    def wait_ready(self, timeout: float = 120) -> bool:
        return True

    def start_estimate(self) -> float:
        return START

    @property
    def child_pid(self) -> Optional[int]:
        return None

    def idle(self) -> None:
        """Nothing to give back: the memory is the server's own."""

    def close(self) -> None:
        """Nothing to stop."""


def default_backend(threads: int) -> Backend:
    """The default backend of one slot: a training child (``threads`` TensorFlow threads, its memory
    limit from :func:`tutorial.settings.child_memory_mb`) where the platform allows it, else training
    in this process."""
    if worker.SUPPORTED:
        return worker.ProcessTrainer(threads=threads, memory_mb=settings.child_memory_mb())
    return InProcess()
