"""Trainings on a Ray cluster: :class:`~tutorial.cluster.client.RayTrainer`, a
:class:`tutorial.trainer.Trainer` like the local :class:`tutorial.jobs.LocalTrainer`.

The backend is chosen by one setting (:func:`tutorial.settings.ray_address`): without it the
app trains in its own training children (the default); with ``TUTORIAL_RAY_ADDRESS`` (also a key of
``.streamlit/secrets.toml``, passed in by the app layer, :func:`tutorial.app.loader.make_trainer`)
every app server sends its trainings to one Ray cluster:

* one named, detached actor on the head (:class:`tutorial.cluster.table.JobTable`) holds all jobs,
  so every app server sees the same jobs, queue positions and finished runs; equal settings train
  once for everybody; the fair queue, the per-learner limit and cancel work across servers;
* each training is a Ray task on a worker (:func:`tutorial.cluster.task.train_task`) that reports
  its progress to that actor and returns the model's ``.keras`` bytes and its history; each app
  server fetches a finished model once and keeps it (its :class:`~tutorial.result.TrainResult` loads
  it on first use).

The server never imports Ray: a small child process (the *bridge*, :mod:`tutorial.cluster.bridge`)
is its Ray driver. When the cluster cannot be reached, learners get
:data:`~tutorial.cluster.config.UNREACHABLE` (there is
deliberately no fall-back to local training, see README "Mehr als ein Rechner"), the host page shows
:meth:`~tutorial.cluster.client.RayTrainer.status`, and the server tries again every
``retry_seconds``. A job carries nothing but the fields of its :class:`~tutorial.spec.RunSpec` as
plain data (:mod:`tutorial.cluster.specdata`).

The modules, by concern (only ``bridge``, ``table`` and ``task`` import Ray; this package's
``__init__`` imports nothing – callers import the module they need):

* :mod:`~tutorial.cluster.config` – address, names, time limits, German messages;
* :mod:`~tutorial.cluster.specdata` – a job's data: the spec's fields as plain data;
* :mod:`~tutorial.cluster.client` – :class:`RayTrainer` and :class:`RayJob` (the server's side);
* :mod:`~tutorial.cluster.connection` – starting and talking to the bridge process;
* :mod:`~tutorial.cluster.bridge` – the bridge process (Ray driver);
* :mod:`~tutorial.cluster.table` – the job table actor; :mod:`~tutorial.cluster.task` – the training task;
* :mod:`~tutorial.cluster.head` – :class:`LocalHead`, a Ray head on this machine for tests and benchmarks.
"""
