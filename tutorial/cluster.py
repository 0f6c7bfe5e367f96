"""Trainings on a Ray cluster: :class:`RayTrainer`, the same API as :class:`tutorial.jobs.Trainer`.

The backend is chosen by one setting (:func:`ray_address`): without it the app trains in its own
training children (:class:`tutorial.jobs.Trainer`, the default); with ``TUTORIAL_RAY_ADDRESS`` (also a
key of ``.streamlit/secrets.toml``, passed in by the app layer) every app server sends
its trainings to one Ray cluster (:func:`make_trainer`):

* one named, detached actor on the head (:class:`tutorial.ray_backend.JobTable`) holds all jobs,
  so every app server sees the same jobs, queue positions and finished runs; equal settings train
  once for everybody; the fair queue, the per-learner limit and cancel work across servers;
* each training is a Ray task on a worker that reports its progress to that actor and returns the
  model's ``.keras`` bytes and its history; each app server fetches a finished model once and
  keeps it (its :class:`~tutorial.jobs.TrainResult` loads it on first use).

The server never imports Ray: a small child process (the *bridge*, ``python -m
tutorial.ray_backend bridge``) is its Ray driver, and the two talk over a socket pair like
:mod:`tutorial.worker`. A Ray driver that loses the cluster's head ends its own process, and
``ray.init`` to an unreachable address hangs; in the bridge, neither touches the server. When the
cluster cannot be reached, learners get :data:`UNREACHABLE` (there is deliberately no fall-back to
local training, see README "Mehr als ein Rechner"), the host page shows :meth:`RayTrainer.status`,
and the server tries again every ``retry_seconds``.

A job carries nothing but the fields of its :class:`~tutorial.spec.RunSpec` as plain data
(:func:`spec_to_data`); the workers rebuild it with :func:`spec_from_data`, which accepts only the
known layer types and plain values.

This module imports neither Ray nor TensorFlow nor Streamlit.
"""
from __future__ import annotations

import collections
import dataclasses
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import typing
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Iterable, Optional

from tutorial import jobs
from tutorial.jobs import CANCELLED_MESSAGE, FAILED_MESSAGE, FINISHED, Job, QueueLimit, TrainResult  # noqa: F401
from tutorial.spec import RunSpec

ROOT = Path(__file__).resolve().parent.parent
ADDRESS_ENV = "TUTORIAL_RAY_ADDRESS"
CPUS_ENV = "TUTORIAL_RAY_CPUS"            # CPUs one training reserves on the cluster (default 2)
TRAININGS_ENV = "TUTORIAL_RAY_TRAININGS"  # trainings at once (default: the cluster's CPUs / CPUs per training)
NAMESPACE = "tutorial"
TABLE_NAME = "tutorial-jobs"
CONNECT_TIMEOUT = 20.0
RETRY_SECONDS = 10.0

UNREACHABLE = ("Der Rechencluster für die Trainings ist gerade nicht erreichbar. Fertig trainierte "
               "Ergebnisse und alle Seiten ohne Training funktionieren weiter; bitte versuchen Sie es in "
               "ein paar Minuten noch einmal.")
CONNECTION_LOST = ("Die Verbindung zum Rechencluster ist abgerissen, der Stand dieses Trainings ist "
                   "unbekannt. Bitte versuchen Sie es in ein paar Minuten noch einmal – ist es inzwischen "
                   "fertig, sehen Sie das Ergebnis sofort.")
TABLE_LOST = ("Die gemeinsame Trainingsliste des Rechenclusters wurde neu gestartet; dabei ging dieses "
              "Training verloren. Bitte starten Sie es noch einmal.")
WORKER_DIED = ("Der Trainingsprozess im Rechencluster wurde unerwartet beendet (zum Beispiel, weil dort "
               "der Arbeitsspeicher knapp wurde oder ein Rechner ausfiel). Bitte versuchen Sie es noch "
               "einmal.")
HOST_UNREACHABLE = "Rechencluster {address} nicht erreichbar ({error}). Neuer Versuch alle {seconds} s."


class ClusterUnreachable(Exception):
    """The bridge could not reach the cluster (or died); ``str()`` is the technical reason."""


CALL_ERRORS = (ClusterUnreachable, RuntimeError)   # RuntimeError: the bridge reported an unexpected error


# --- settings ---------------------------------------------------------------------------------

def ray_address(value=None) -> Optional[str]:
    """The Ray cluster to train on: ``value`` (the app layer passes ``TUTORIAL_RAY_ADDRESS`` from
    ``st.secrets``), else the environment variable ``TUTORIAL_RAY_ADDRESS``, else None (train on
    this machine)."""
    for candidate in (value, os.environ.get(ADDRESS_ENV)):
        text = str(candidate or "").strip()
        if text:
            return text
    return None


def make_trainer(address: Optional[str] = None, **kwargs):
    """The server's trainer: a :class:`RayTrainer` for ``address``, else the local Trainer."""
    if address:
        return RayTrainer(address, **{k: v for k, v in kwargs.items() if k in ("every", "max_jobs", "per_owner")})
    return jobs.Trainer(**kwargs)


def _positive(value) -> Optional[float]:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


# --- a job's data: the spec's fields, nothing else ---------------------------------------------

_SCALARS = (type(None), bool, int, float, str)


def _plain(value):
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    raise TypeError(f"not plain data: {type(value).__name__}")


def _from_plain(value):
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        return tuple(_from_plain(v) for v in value)
    raise ValueError(f"not plain data: {type(value).__name__}")


def _layer_classes() -> dict[str, type]:
    """The layer types a spec may use, by name (the subclasses of ``tutorial.spec.Layer``)."""
    from tutorial import spec as S
    base = getattr(S, "Layer")
    if isinstance(base, type):
        found, todo = {}, list(base.__subclasses__())
        while todo:
            cls = todo.pop()
            found[cls.__name__] = cls
            todo.extend(cls.__subclasses__())
    else:                                   # a typing.Union of the layer classes
        found = {cls.__name__: cls for cls in typing.get_args(base)}
    return {name: cls for name, cls in found.items() if dataclasses.is_dataclass(cls)}


def spec_to_data(spec: RunSpec) -> dict:
    """The spec's fields as JSON-compatible data (layers as ``[type name, {field: value}]``)."""
    data = {}
    for field in dataclasses.fields(spec):
        value = getattr(spec, field.name)
        if field.name == "layers":
            value = [[type(layer).__name__, {f.name: _plain(getattr(layer, f.name)) for f in dataclasses.fields(layer)}]
                     for layer in value]
        else:
            value = _plain(value)
        data[field.name] = value
    return data


def spec_from_data(data: dict) -> RunSpec:
    """Rebuild a spec from :func:`spec_to_data`'s output; anything else raises ValueError."""
    names = {f.name for f in dataclasses.fields(RunSpec)}
    if not isinstance(data, dict) or not set(data) <= names or "layers" not in data:
        raise ValueError("not a RunSpec's data")
    classes = _layer_classes()
    layers = []
    for item in data["layers"]:
        if not (isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[1], dict)):
            raise ValueError("not a layer's data")
        name, args = item
        cls = classes.get(name)
        if cls is None or not set(args) <= {f.name for f in dataclasses.fields(cls)}:
            raise ValueError(f"unknown layer or field: {name!r}")
        layers.append(cls(**{k: _from_plain(v) for k, v in args.items()}))
    rest = {k: _from_plain(v) for k, v in data.items() if k != "layers"}
    return RunSpec(layers=tuple(layers), **rest)


def _with_spec(entry: dict) -> bool:
    """Replace a status entry's ``data`` by its ``spec``; False when it is not a valid spec."""
    try:
        entry["spec"] = spec_from_data(entry.pop("data"))
    except (ValueError, TypeError, KeyError):
        return False
    return True


# --- the bridge process -----------------------------------------------------------------------

class _Bridge:
    """The server's Ray driver in a child process; :meth:`call` sends one request and waits."""

    def __init__(self, address: str, namespace: str, options: dict, connect_timeout: float,
                 env: Optional[dict] = None):
        if importlib.util.find_spec("ray") is None:
            raise ClusterUnreachable("Ray ist nicht installiert (pip install -r requirements-cluster.txt)")
        ours, theirs = socket.socketpair()
        env = dict(os.environ, **(env or {}), PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        env.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        with theirs:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tutorial.ray_backend", "bridge", str(theirs.fileno()), address, namespace,
                 json.dumps(options)],
                pass_fds=[theirs.fileno()], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.conn = Connection(ours.detach())
        try:
            if not self.conn.poll(connect_timeout):   # ray.init hangs on an address nobody answers
                raise ClusterUnreachable(f"keine Antwort nach {connect_timeout:.0f} s")
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            self.close(kill=True)
            raise ClusterUnreachable("Verbindungsprozess beendet") from None
        except ClusterUnreachable:
            self.close(kill=True)
            raise
        if kind != "ready":
            self.close(kill=True)
            raise ClusterUnreachable(detail)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, method: str, *args, timeout: float = 60.0):
        try:
            self.conn.send((method, list(args)))
            if not self.conn.poll(timeout):
                raise ClusterUnreachable(f"keine Antwort nach {timeout:.0f} s")
            kind, payload = self.conn.recv()
        except (EOFError, OSError):
            raise ClusterUnreachable("Verbindungsprozess beendet") from None
        if kind == "unreachable":
            raise ClusterUnreachable(payload)
        if kind == "error":
            raise RuntimeError(payload)
        return payload

    def close(self, kill: bool = False) -> None:
        """End the bridge: politely (it disconnects from Ray), or at once when it does not answer."""
        try:
            if kill:
                self.proc.kill()
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.conn.close()


# --- the client -------------------------------------------------------------------------------

class RayJob(Job):
    """A :class:`~tutorial.jobs.Job` mirrored from the cluster's job table by the server's poller."""

    def __init__(self, spec: RunSpec, factor: float = 1.0):
        super().__init__(spec, factor)
        self.run = 0
        self.seen = 0            # progress records received of this run
        self.position = 0
        self.where: dict = {}    # worker of the running task: pid, node id, host
        self.offline = False     # failed because the cluster could not be reached (submit tries again)

    def _apply(self, view: dict) -> None:
        """Take over a view of the table (state, position, new progress records)."""
        with self._lock:
            if view["run"] != self.run:
                self.run, self.seen, self.step = view["run"], 0, 0
                self.history = {"batches": [], "epochs": []}
            skip = self.seen - view["seen"]     # records this job already has (a full view)
            records = view["records"][skip:] if skip >= 0 else []
            self.seen += len(records)
            self.position, self.where = view["position"], view.get("where") or {}
            self.owners = set(view.get("owners", ()))
            state = view["state"]
            if state in ("running", "finishing") and self.started is None:
                self.started = time.time()
                self.clock.begin(self.started)
            if state in ("queued", "running", "finishing"):
                self.state = state
            elif state == "done" and self.state in ("queued", "running"):
                self.state = "finishing"        # the model is on its way to this server
        for record in records:
            self._on_progress(record)

    def _fail(self, message: str, offline: bool = False) -> None:
        self.offline = offline
        self._finish("failed", message=message)


class RayTrainer:
    """Trainings on a Ray cluster, with the public API of :class:`tutorial.jobs.Trainer`."""

    def __init__(self, address: str, namespace: str = NAMESPACE, every: int = 10, max_jobs: int = 64,
                 per_owner: int = 2, parallel: Optional[int] = None, cpus: Optional[float] = None,
                 poll_seconds: float = 0.5, connect_timeout: Optional[float] = None,
                 retry_seconds: float = RETRY_SECONDS, call_timeout: float = 30.0, env: Optional[dict] = None):
        self.address, self.namespace = address, namespace
        self.cpus = cpus or _positive(os.environ.get(CPUS_ENV)) or 2
        slots = parallel or _positive(os.environ.get(TRAININGS_ENV)) or 0
        self.options = {"slots": int(slots), "cpus": self.cpus, "max_jobs": max_jobs, "per_owner": per_owner,
                        "every": every}
        self.every, self.max_jobs = every, max_jobs
        self.poll_seconds, self.retry_seconds = poll_seconds, retry_seconds
        self.connect_timeout = connect_timeout or CONNECT_TIMEOUT
        self.call_timeout = call_timeout
        self.env = env or {}      # extra environment of the bridge (e.g. RAY_AUTH_TOKEN of a LocalHead)
        self._jobs: "collections.OrderedDict[RunSpec, RayJob]" = collections.OrderedDict()
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)
        self._bridge: Optional[_Bridge] = None
        self._bridge_lock = threading.Lock()
        self._offline_since: Optional[float] = None
        self._offline_error = ""
        self._closed = False
        self._poller: Optional[threading.Thread] = None
        self._warm: Optional[threading.Thread] = None

    # --- connection ----------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._bridge is not None and self._bridge.alive()

    def _call(self, method: str, *args, timeout: Optional[float] = None):
        """One request through the bridge (started on demand); raises ClusterUnreachable."""
        with self._bridge_lock:
            if self._closed:
                raise ClusterUnreachable("geschlossen")
            if self._bridge is not None and not self._bridge.alive():
                self._drop_bridge("Verbindungsprozess beendet")
            if self._bridge is None:
                if self._offline_since is not None and time.time() - self._offline_since < self.retry_seconds:
                    raise ClusterUnreachable(self._offline_error)
                try:
                    self._bridge = _Bridge(self.address, self.namespace, self.options, self.connect_timeout, self.env)
                except ClusterUnreachable as exc:
                    self._offline_since, self._offline_error = time.time(), str(exc)
                    raise
                self._offline_since, self._offline_error = None, ""
            try:
                return self._bridge.call(method, *args, timeout=timeout or self.call_timeout)
            except ClusterUnreachable as exc:
                self._drop_bridge(str(exc))
                raise

    def _drop_bridge(self, error: str) -> None:
        bridge, self._bridge = self._bridge, None
        self._offline_since, self._offline_error = time.time(), error
        if bridge is not None:
            bridge.close(kill=True)

    @property
    def trainings_started(self) -> int:
        """Trainings the cluster started for this table (all servers); 0 when unreachable."""
        try:
            return self._call("status")["trainings_started"]
        except CALL_ERRORS:
            return 0

    def connect(self) -> bool:
        """Connect now (normally the first request does); True when the cluster answered."""
        try:
            self._call("lookup", "")
            return True
        except CALL_ERRORS:
            return False

    # --- the learner's side --------------------------------------------------------------------
    def submit(self, spec: RunSpec, owner: str = "") -> RayJob:
        """The job for ``spec`` (any state); raises QueueLimit like the local Trainer. When the
        cluster cannot be reached, a failed job with :data:`UNREACHABLE` (tried again next time)."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is not None and job.state == "done":
                self._jobs.move_to_end(spec)
                return job
        return self._request("submit", spec, owner)

    def retry(self, spec: RunSpec, owner: str = "") -> RayJob:
        """Queue a failed or cancelled run again; any other job is returned as it is."""
        return self._request("retry", spec, owner)

    def cancel(self, job: Job, owner: str = "") -> bool:
        """Take back ``owner``'s request (see :meth:`tutorial.jobs.Trainer.cancel`), on any server."""
        if job.done:
            return False
        try:
            reply = self._call("cancel", job.spec.key, owner)
        except CALL_ERRORS:
            return False
        if reply["view"] is not None:
            self._adopt(job.spec, reply["view"])
        self._poke()
        return reply["ok"]

    def get(self, spec: RunSpec) -> Optional[RayJob]:
        """This server's job for ``spec``, or (when connected) the cluster's, e.g. after a restart."""
        with self._lock:
            job = self._jobs.get(spec)
        if job is not None or not self.connected:    # never block a page while (re)connecting
            return job
        try:
            view = self._call("lookup", spec.key, timeout=self.call_timeout)
        except CALL_ERRORS:
            return None
        if view is None:
            return None
        job = self._adopt(spec, view)
        if not job.done:
            self._poke()
        return job

    def position(self, job: Job) -> int:
        """0 while running or finished; 1 for the next in line (across all servers), 2 behind it, …"""
        return getattr(job, "position", 0) if job.state == "queued" else 0

    def _request(self, method: str, spec: RunSpec, owner: str) -> RayJob:
        try:
            view = self._call(method, spec.key, spec_to_data(spec), spec.steps_per_epoch * spec.epochs, owner)
        except ClusterUnreachable:
            return self._offline_job(spec)
        except RuntimeError as exc:         # a bug in the bridge or table: a German message, no traceback
            return self._offline_job(spec, FAILED_MESSAGE.format(error=exc))
        if view.get("error") == "limit":
            raise QueueLimit(view["message"])
        job = self._adopt(spec, view)
        self._poke()
        return job

    def _offline_job(self, spec: RunSpec, message: str = UNREACHABLE) -> RayJob:
        """A failed job saying the cluster cannot be reached (a finished result stays as it is)."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is not None and job.done and not job.offline:
                return job
            job = self._jobs[spec] = RayJob(spec)
            self._evict()
        job._fail(message, offline=True)
        return job

    def _adopt(self, spec: RunSpec, view: dict) -> RayJob:
        """The local job for a view of the table: the same object while it is the same run."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is None or (job.done and (job.offline or view["run"] != job.run or view["state"] not in FINISHED)):
                job = RayJob(spec)              # new, or queued again (retried on some server)
                self._jobs[spec] = job
            self._jobs.move_to_end(spec)
            self._evict()
        if not job.done:
            job._apply(view)
            if view["state"] in ("failed", "cancelled"):
                job._finish(view["state"], message=view["message"])
        return job

    # --- the host's side -----------------------------------------------------------------------
    def status(self) -> dict:
        """Like :meth:`tutorial.jobs.Trainer.status`, plus ``backend``, ``address``, ``connected``,
        ``message`` (German, when the cluster cannot be reached), ``nodes`` and ``resources``."""
        from tutorial.worker import rss_mb
        base = {"backend": "ray", "address": self.address, "connected": False, "message": "", "parallel": 0,
                "threads": 0, "queue": [], "running": [], "failed": 0, "done": 0, "trainings_started": 0,
                "server_mb": rss_mb(os.getpid()), "children": [], "children_mb": 0.0, "nodes": 0, "resources": {}}
        try:
            table = self._call("status", timeout=self.call_timeout)
        except CALL_ERRORS as exc:
            base["message"] = HOST_UNREACHABLE.format(address=self.address, error=exc,
                                                      seconds=int(self.retry_seconds))
            return base
        for part in ("queue", "running"):       # entries another app version wrote are left out
            table[part] = [e for e in table[part] if _with_spec(e)]
        for entry in table["running"]:
            entry["progress"] = entry["step"] / max(1, entry["total_steps"])
            job = self._jobs.get(entry["spec"])
            entry["remaining"] = job.remaining_seconds() if job is not None else None
        base.update(table, connected=True)
        if self._bridge is not None:
            pid = self._bridge.proc.pid
            base["children"] = [{"slot": "bridge", "pid": pid, "rss_mb": rss_mb(pid)}]
            base["children_mb"] = rss_mb(pid)
        return base

    def clear_failed(self) -> int:
        """Forget failed and cancelled jobs here and in the cluster's table."""
        with self._lock:
            gone = [s for s, j in self._jobs.items() if j.state in ("failed", "cancelled")]
            for spec in gone:
                del self._jobs[spec]
        try:
            return max(len(gone), self._call("clear_failed"))
        except CALL_ERRORS:
            return len(gone)

    def warm_start(self, load: Iterable = ()) -> threading.Thread:
        """Connect to the cluster and run ``load`` in a background thread (returns at once)."""
        with self._lock:
            if self._warm is not None:
                return self._warm

            def warm() -> None:
                self.connect()
                for fn in load:
                    try:
                        fn()
                    except Exception:  # noqa: BLE001 - a page reports the same failure when it loads it
                        pass

            self._warm = threading.Thread(target=warm, name="tutorial-ray-warm-start", daemon=True)
        self._warm.start()
        return self._warm

    def close(self) -> None:
        """Stop polling and end the bridge (the cluster's jobs go on)."""
        with self._lock:
            self._closed = True
            self._wakeup.notify_all()
        with self._bridge_lock:
            if self._bridge is not None:
                self._bridge.close()
                self._bridge = None
        if self._poller is not None:
            self._poller.join(timeout=10)

    # --- the poller ----------------------------------------------------------------------------
    def _poke(self) -> None:
        with self._lock:
            if self._poller is None or not self._poller.is_alive():
                self._poller = threading.Thread(target=self._poll_loop, name="tutorial-ray-poller", daemon=True)
                self._poller.start()
            self._wakeup.notify_all()

    def _poll_loop(self) -> None:
        while True:
            with self._lock:
                active = {s: j for s, j in self._jobs.items() if not j.done}
                if self._closed:
                    return
                if not active:
                    self._wakeup.wait(timeout=60)
                    if self._closed or not any(not j.done for j in self._jobs.values()):
                        self._poller = None
                        return
                    continue
            self._poll_once(active)
            # a run in its last phase is polled faster: its result is fetched as soon as it is there
            finishing = any(j.state == "finishing" and not j.done for j in active.values())
            time.sleep(min(0.1, self.poll_seconds) if finishing else self.poll_seconds)

    def _poll_once(self, active: dict) -> None:
        try:
            views = self._call("poll", {s.key: [j.run, j.seen] for s, j in active.items()})
        except (ClusterUnreachable, RuntimeError):
            for job in active.values():
                job._fail(CONNECTION_LOST, offline=True)
            return
        for spec, job in active.items():
            view = views.get(spec.key)
            if view is None:
                job._fail(TABLE_LOST)
                continue
            self._adopt(spec, view)
            if view["state"] == "done" and not job.done:
                self._fetch(job)

    def _fetch(self, job: RayJob) -> None:
        """Bring the finished model to this server once; the job is done when it is here."""
        try:
            reply = self._call("fetch", job.spec.key, job.run, timeout=180)
        except (ClusterUnreachable, RuntimeError):
            job._fail(CONNECTION_LOST, offline=True)
            return
        if reply is None:
            job._fail(TABLE_LOST)
            return
        meta, blob = reply
        history = meta["history"]
        result = TrainResult(job.spec, None, history, meta["seconds"], meta["status"], meta["message"],
                             meta.get("predictions"), meta.get("font_predictions"), model_bytes=blob)
        with job._lock:
            job.history = {"batches": list(history["batches"]), "epochs": list(history["epochs"])}
            job.step = max(job.step, job.total_steps if meta["status"] == "done" else job.step)
        job._finish("done", result, meta["message"])

    def _evict(self) -> None:
        """Under the lock: forget the oldest finished jobs beyond ``max_jobs`` (frees their models)."""
        finished = [s for s, j in self._jobs.items() if j.done]
        while len(self._jobs) > self.max_jobs and finished:
            del self._jobs[finished.pop(0)]


# --- a Ray instance on this machine (tests, benchmarks, trying the backend out) ---------------------

class LocalHead:
    """``python -m tutorial.ray_backend head``: a Ray head on this machine with token authentication,
    for the tests and benchmarks. :attr:`env` holds what a client needs (token, auth mode)."""

    def __init__(self, num_cpus: int = 2, object_store_mb: int = 200, timeout: float = 90):
        import secrets
        self.temp_dir = tempfile.mkdtemp(prefix="ray-")
        self.env = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32),
                    "RAY_USAGE_STATS_ENABLED": "0"}
        env = dict(os.environ, **self.env, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "tutorial.ray_backend", "head", str(num_cpus),
                                      str(object_store_mb), self.temp_dir], cwd=ROOT, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self._readline(timeout)
        if not line:
            self.stop()
            raise RuntimeError("the local Ray head did not start")
        host, port = line.strip().rsplit(":", 1)
        self.address = f"127.0.0.1:{port}"
        self.start_seconds = time.perf_counter() - t0

    def _readline(self, timeout: float) -> str:
        out: list = []
        reader = threading.Thread(target=lambda: out.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        return out[0] if out else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("\n")
                self.proc.stdin.flush()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        import shutil
        shutil.rmtree(self.temp_dir, ignore_errors=True)
