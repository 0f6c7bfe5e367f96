"""The one contract of a trainer, as pages and the host page use it: :class:`Trainer` and the
:class:`TrainerStatus` it reports.

Two trainers implement it: :class:`tutorial.jobs.LocalTrainer` (a fair queue and training children
on this machine, the default) and :class:`tutorial.cluster.client.RayTrainer` (one job table on a
Ray cluster, shared by every app server). The job rules are the same for both:

* :meth:`Trainer.submit` returns the one :class:`~tutorial.job.Job` for a
  :class:`~tutorial.spec.RunSpec` – equal settings train once. A failed or cancelled job is returned
  as it is; only :meth:`Trainer.retry` queues it again. A learner with two waiting runs gets
  :class:`~tutorial.queue_policy.QueueLimit` (German text; :class:`~tutorial.queue_policy.QueueFull`
  when the queue is full); the host's runs (no owner) have no limit. The queue's rules (known
  learners first, limits, caps, drops) are :mod:`tutorial.queue_policy`'s, the same for both.
* :meth:`Trainer.cancel` takes one learner's request back. When nobody else waits for the run, a
  waiting run leaves the queue and a running one is stopped; otherwise it goes on for the others.
* :meth:`Trainer.seen` notes a learner on every page render; waiting runs none of whose learners
  was seen for some minutes are dropped (:data:`~tutorial.result.DROPPED_MESSAGE`), never the host's.
* The host: :meth:`Trainer.remove` cancels one run for everybody, :meth:`Trainer.cancel_waiting`
  every waiting run but the host's own pre-training.

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import dataclasses
import threading
from typing import Callable, Iterable, Optional, Protocol, runtime_checkable

from tutorial.job import Job
from tutorial.spec import RunSpec


def queue_cost(spec: RunSpec) -> float:
    """What the queue counts for ``spec``: its seconds on an idle box (:mod:`tutorial.price`); 0 when
    the model cannot be built (the queue then assumes its default)."""
    from tutorial import price
    try:
        return price.price(spec).seconds
    except (ValueError, KeyError, TypeError, ZeroDivisionError):
        return 0.0


@dataclasses.dataclass(frozen=True)
class QueueEntry:
    """A waiting run: its place in the fair queue (1 = next), who waits for it and since when."""
    spec: RunSpec
    owners: tuple[str, ...]
    position: int
    waiting: float              # seconds since it was submitted
    known: bool = True          # one of its owners is a known learner (or the host): served first


@dataclasses.dataclass(frozen=True)
class Placement:
    """Where a run trains on a Ray cluster: the worker process, node id and host address."""
    pid: Optional[int] = None
    node: str = ""
    host: str = ""


@dataclasses.dataclass(frozen=True)
class RunningEntry:
    """A run that holds a slot: its phase ("running" or "finishing") and progress."""
    spec: RunSpec
    owners: tuple[str, ...]
    state: str
    step: int
    total_steps: int
    remaining: Optional[float]           # estimated seconds until the result (None: unknown)
    slot: Optional[int] = None           # local: the slot that trains it
    where: Optional[Placement] = None    # Ray: the worker that trains it

    @property
    def progress(self) -> float:
        return self.step / max(1, self.total_steps)


@dataclasses.dataclass(frozen=True)
class ChildProcess:
    """A process of this server that works for the trainer (training child, Ray bridge)."""
    name: str                   # "slot 0", "bridge"
    pid: int
    rss_mb: float


@dataclasses.dataclass(frozen=True)
class ClusterInfo:
    """The Ray cluster behind a :class:`~tutorial.cluster.client.RayTrainer`."""
    address: str
    connected: bool
    message: str = ""                    # German, when the cluster cannot be reached
    nodes: int = 0
    resources: dict = dataclasses.field(default_factory=dict)    # the cluster's total, e.g. {"CPU": 2.0}
    available: dict = dataclasses.field(default_factory=dict)    # what is free right now


@dataclasses.dataclass(frozen=True)
class TrainerStatus:
    """What the host page shows of a trainer, the same for both backends."""
    backend: str                         # "local" or "ray"
    parallel: int                        # trainings at once
    threads: int                         # threads (cores) per training
    queue: tuple[QueueEntry, ...] = ()
    running: tuple[RunningEntry, ...] = ()
    done: int = 0
    failed: int = 0                      # failed or cancelled jobs kept until retried or cleared
    trainings_started: int = 0
    server_mb: float = 0.0
    children: tuple[ChildProcess, ...] = ()
    cluster: Optional[ClusterInfo] = None   # Ray only
    factor: float = 1.0                  # this machine's time / the idle price (learned from finished runs)

    @property
    def children_mb(self) -> float:
        return sum(c.rss_mb for c in self.children)

    @property
    def memory_mb(self) -> float:
        """Server and its children together."""
        return self.server_mb + self.children_mb


@runtime_checkable
class Trainer(Protocol):
    """The trainer every page and the host page talk to (see the module's rules)."""

    def submit(self, spec: RunSpec, owner: str = "", standing: int = 0) -> Job:
        """The job for ``spec``: existing (any state) or newly queued; raises QueueLimit.
        ``standing``: the learner's history in the app (see :mod:`tutorial.queue_policy`)."""
        ...

    def retry(self, spec: RunSpec, owner: str = "", standing: int = 0) -> Job:
        """Queue a failed or cancelled run again (a new job); any other job is returned as it is."""
        ...

    def seen(self, owner: str) -> None:
        """``owner`` is here (a page of theirs ran): their waiting runs keep their place."""
        ...

    def remove(self, job: Job) -> bool:
        """The host cancels ``job`` for everybody; False when it had already finished."""
        ...

    def cancel_waiting(self) -> int:
        """The host cancels every waiting run but their own pre-training; returns how many."""
        ...

    def cancel(self, job: Job, owner: str = "") -> bool:
        """Take back ``owner``'s request for ``job``; False when it had already finished."""
        ...

    def get(self, spec: RunSpec) -> Optional[Job]:
        """The job for ``spec`` if there is one."""
        ...

    def position(self, job: Job) -> int:
        """0 while running or finished; 1 for the next in line, 2 behind it, …"""
        ...

    def status(self) -> TrainerStatus:
        ...

    def clear_failed(self) -> int:
        """Forget failed and cancelled jobs (the next request trains them anew); returns how many."""
        ...

    def warm_start(self, load: Iterable[Callable[[], object]] = ()) -> threading.Thread:
        """Get ready in the background and then run ``load``; returns at once, only once."""
        ...

    def close(self) -> None:
        """Stop what this server started for training (tests, benchmarks, server end)."""
        ...
