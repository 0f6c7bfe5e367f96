"""Trainings on a Ray cluster: :class:`RayTrainer`, the same API as :class:`tutorial.jobs.Trainer`.

The backend is chosen by one setting (:func:`ray_address`): without it the app trains in its own
training children (:class:`tutorial.jobs.Trainer`, the default); with ``TUTORIAL_RAY_ADDRESS`` (also a
key of ``.streamlit/secrets.toml``, passed in by the app layer) every app server sends its trainings
to one Ray cluster (:func:`make_trainer`):

* one named, detached actor on the head (:class:`tutorial.cluster.table.JobTable`) holds all jobs,
  so every app server sees the same jobs, queue positions and finished runs; equal settings train
  once for everybody; the fair queue, the per-learner limit and cancel work across servers;
* each training is a Ray task on a worker (:func:`tutorial.cluster.task.train_task`) that reports
  its progress to that actor and returns the model's ``.keras`` bytes and its history; each app
  server fetches a finished model once and keeps it (its :class:`~tutorial.jobs.TrainResult` loads
  it on first use).

The server never imports Ray: a small child process (the *bridge*, :mod:`tutorial.cluster.bridge`)
is its Ray driver. When the cluster cannot be reached, learners get :data:`UNREACHABLE` (there is
deliberately no fall-back to local training, see README "Mehr als ein Rechner"), the host page shows
:meth:`RayTrainer.status`, and the server tries again every ``retry_seconds``. A job carries nothing
but the fields of its :class:`~tutorial.spec.RunSpec` as plain data (:func:`spec_to_data`,
:func:`spec_from_data`).

The modules, by concern (only ``bridge``, ``table`` and ``task`` import Ray; this package's
``__init__`` imports neither Ray nor TensorFlow nor Streamlit):

* :mod:`~tutorial.cluster.config` – address, names, time limits, German messages;
* :mod:`~tutorial.cluster.specdata` – a job's data: the spec's fields as plain data;
* :mod:`~tutorial.cluster.client` – :class:`RayTrainer` and :class:`RayJob` (the server's side);
* :mod:`~tutorial.cluster.connection` – starting and talking to the bridge process;
* :mod:`~tutorial.cluster.bridge` – the bridge process (Ray driver);
* :mod:`~tutorial.cluster.table` – the job table actor; :mod:`~tutorial.cluster.task` – the training task;
* :mod:`~tutorial.cluster.head` – :class:`LocalHead`, a Ray head on this machine for tests and benchmarks.
"""
from __future__ import annotations

from typing import Optional

from tutorial import jobs
from tutorial.cluster.client import RayJob, RayTrainer
from tutorial.cluster.config import (ADDRESS_ENV, CALL_ERRORS, CONNECT_TIMEOUT, CONNECTION_LOST, CPUS_ENV,  # noqa: F401
                                     HOST_UNREACHABLE, NAMESPACE, RETRY_SECONDS, TABLE_LOST, TABLE_NAME,
                                     TRAININGS_ENV, UNREACHABLE, WORKER_DIED, ClusterUnreachable, ray_address)
from tutorial.cluster.specdata import spec_from_data, spec_to_data  # noqa: F401
from tutorial.jobs import CANCELLED_MESSAGE, FAILED_MESSAGE, FINISHED, Job, QueueLimit, TrainResult  # noqa: F401


def make_trainer(address: Optional[str] = None, **kwargs):
    """The server's trainer: a :class:`RayTrainer` for ``address``, else the local Trainer."""
    if address:
        return RayTrainer(address, **{k: v for k, v in kwargs.items() if k in ("every", "max_jobs", "per_owner")})
    return jobs.Trainer(**kwargs)


def __getattr__(name: str):
    """``LocalHead`` on first use: ``python -m tutorial.cluster.head`` must not find its module
    imported already (runpy warns), and the app server never needs it."""
    if name == "LocalHead":
        from tutorial.cluster.head import LocalHead
        return LocalHead
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["make_trainer", "ray_address", "RayTrainer", "RayJob", "LocalHead", "spec_to_data", "spec_from_data"]
