"""The app server's side of the Ray backend: :class:`RayTrainer` and its jobs (:class:`RayJob`).

:class:`RayTrainer` implements :class:`tutorial.trainer.Trainer`, like the local trainer. It sends every request
through its bridge process (:class:`~tutorial.cluster.connection.BridgeProcess`) to the cluster's
one job table, mirrors the jobs this server's learners asked for (a poller thread fetches their
progress and, once, each finished model), and turns an unreachable cluster into failed jobs with a
German message (:data:`~tutorial.cluster.config.UNREACHABLE`) and a host status, trying again every
``retry_seconds``. This module imports neither Ray nor TensorFlow nor Streamlit.
"""
from __future__ import annotations

import collections
import os
import threading
import time
from typing import Iterable, Optional

from tutorial.cluster import config
from tutorial import price, settings
from tutorial.cluster.config import (CALL_ERRORS, CONNECTION_LOST, HOST_UNREACHABLE, NAMESPACE, RETRY_SECONDS,
                                     TABLE_LOST, UNREACHABLE, ClusterUnreachable)
from tutorial.cluster.connection import BridgeProcess
from tutorial.cluster.specdata import with_spec
from tutorial.job import Job
from tutorial.queue_policy import QueueFull, QueueLimit
from tutorial.result import ACTIVE, FAILED_MESSAGE, FINISHED, TrainResult, to_forget
from tutorial.spec import RunSpec
from tutorial.trainer import ChildProcess, ClusterInfo, Placement, QueueEntry, RunningEntry, TrainerStatus, queue_cost
from tutorial.worker import rss_mb


class RayJob(Job):
    """A :class:`~tutorial.job.Job` mirrored from the cluster's job table by the server's poller."""

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
            if state in ACTIVE and self.started is None:
                self.started = time.time()
                self.clock.begin(self.started)
            if state == "queued" or state in ACTIVE:
                self.state = state
            elif state == "done" and self.state in ("queued", "running"):
                self.state = "finishing"        # the model is on its way to this server
        for record in records:
            self._on_progress(record)

    def _fail(self, message: str, offline: bool = False) -> None:
        self.offline = offline
        self._finish("failed", message=message)


class RayTrainer:
    """Trainings on a Ray cluster: a :class:`tutorial.trainer.Trainer` (see the module docstring)."""

    def __init__(self, address: str, namespace: str = NAMESPACE, every: int = 10, max_jobs: int = 64,
                 per_owner: int = 2, parallel: Optional[int] = None, cpus: Optional[float] = None,
                 poll_seconds: float = 0.5, connect_timeout: Optional[float] = None, limits: Optional[dict] = None,
                 retry_seconds: float = RETRY_SECONDS, call_timeout: float = 30.0, env: Optional[dict] = None):
        self.address, self.namespace = address, namespace
        self.cpus = cpus or settings.ray_cpus()
        slots = parallel or settings.ray_trainings()
        self.options = {"slots": int(slots), "cpus": self.cpus, "max_jobs": max_jobs, "per_owner": per_owner,
                        "every": every, "limits": dict(limits or {})}     # limits: fields of queue_policy.Limits
        self.every, self.max_jobs = every, max_jobs
        self.poll_seconds, self.retry_seconds = poll_seconds, retry_seconds
        self.connect_timeout = connect_timeout or config.CONNECT_TIMEOUT
        self.call_timeout = call_timeout
        self.env = env or {}      # extra environment of the bridge (e.g. RAY_AUTH_TOKEN of a LocalHead)
        self._jobs: "collections.OrderedDict[RunSpec, RayJob]" = collections.OrderedDict()
        self._seen: dict[str, float] = {}   # owner -> last page render here, sent with the next poll
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)
        self._bridge: Optional[BridgeProcess] = None
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
                    self._bridge = BridgeProcess(self.address, self.namespace, self.options, self.connect_timeout, self.env)
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
    def submit(self, spec: RunSpec, owner: str = "", standing: int = 0) -> RayJob:
        """The job for ``spec`` (any state); raises QueueLimit like the local Trainer. When the
        cluster cannot be reached, a failed job with :data:`UNREACHABLE` (tried again next time)."""
        with self._lock:
            job = self._jobs.get(spec)
            if job is not None and job.state == "done":
                self._jobs.move_to_end(spec)
                return job
        return self._request("submit", spec, owner, standing)

    def retry(self, spec: RunSpec, owner: str = "", standing: int = 0) -> RayJob:
        """Queue a failed or cancelled run again; any other job is returned as it is."""
        return self._request("retry", spec, owner, standing)

    def seen(self, owner: str) -> None:
        """``owner`` is here; the table learns it with this server's next poll."""
        with self._lock:
            self._seen[owner] = time.time()

    def cancel(self, job: Job, owner: str = "") -> bool:
        """Take back ``owner``'s request (see :meth:`tutorial.trainer.Trainer.cancel`), on any server."""
        return self._take_back(job, "cancel", owner)

    def _take_back(self, job: Job, method: str, *args) -> bool:
        if job.done:
            return False
        try:
            reply = self._call(method, job.spec.key, *args)
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
        return job.position if isinstance(job, RayJob) and job.state == "queued" else 0

    def _request(self, method: str, spec: RunSpec, owner: str, standing: int = 0) -> RayJob:
        if owner:     # a learner's new run is priced first (the host's pre-training is exempt)
            price.require(spec)
        try:
            view = self._call(method, spec.key, spec.to_data(), spec.steps_per_epoch * spec.epochs, owner,
                              int(standing), queue_cost(spec))
        except ClusterUnreachable:
            return self._offline_job(spec)
        except RuntimeError as exc:         # a bug in the bridge or table: a German message, no traceback
            return self._offline_job(spec, FAILED_MESSAGE.format(error=exc))
        if view.get("error") == "full":
            raise QueueFull(view["message"], view.get("retry_after", 0.0))
        if view.get("error") == "limit":
            raise QueueLimit(view["message"])
        job = self._adopt(spec, view)
        job.host = job.host or owner == ""
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
    def remove(self, job: Job) -> bool:
        """The host cancels ``job`` for everybody, on any server."""
        return self._take_back(job, "remove")

    def cancel_waiting(self) -> int:
        """The host cancels every waiting run on the cluster but their own pre-training."""
        try:
            gone = self._call("cancel_waiting")
        except CALL_ERRORS:
            return 0
        self._poke()
        return gone

    def status(self) -> TrainerStatus:
        """The cluster's queue and running jobs (all servers), and this server's memory; when the
        cluster cannot be reached, ``cluster.connected`` is False with a German ``cluster.message``."""
        server_mb = rss_mb(os.getpid())
        try:
            table = self._call("status", timeout=self.call_timeout)
        except CALL_ERRORS as exc:
            message = HOST_UNREACHABLE.format(address=self.address, error=exc, seconds=int(self.retry_seconds))
            return TrainerStatus("ray", 0, 0, server_mb=server_mb, cluster=ClusterInfo(self.address, False, message))
        # entries another app version wrote are left out
        queue = tuple(QueueEntry(e["spec"], tuple(e["owners"]), e["position"], e["waiting"], e.get("known", True))
                      for e in table["queue"] if with_spec(e))
        running = []
        for entry in (e for e in table["running"] if with_spec(e)):
            with self._lock:
                job = self._jobs.get(entry["spec"])
            where = entry.get("where") or {}
            running.append(RunningEntry(entry["spec"], tuple(entry["owners"]), entry["state"], entry["step"],
                                        entry["total_steps"], job.remaining_seconds() if job is not None else None,
                                        where=Placement(where.get("pid"), str(where.get("node") or ""),
                                                        str(where.get("host") or ""))))
        bridge = self._bridge
        children = () if bridge is None else (ChildProcess("bridge", bridge.proc.pid, rss_mb(bridge.proc.pid)),)
        cluster = ClusterInfo(self.address, True, "", table["nodes"], dict(table["resources"]),
                              dict(table["available"]))
        return TrainerStatus("ray", table["parallel"], table["threads"], queue, tuple(running), done=table["done"],
                             failed=table["failed"], trainings_started=table["trainings_started"],
                             server_mb=server_mb, children=children, cluster=cluster)

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
        now = time.time()
        with self._lock:
            seen, self._seen = {o: now - t for o, t in self._seen.items()}, {}
        try:
            views = self._call("poll", {s.key: [j.run, j.seen] for s, j in active.items()}, seen)
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
                             meta.get("predictions"), meta.get("font_predictions"), blob, meta.get("summary"))
        with job._lock:
            job.history = {"batches": list(history["batches"]), "epochs": list(history["epochs"])}
            job.step = max(job.step, job.total_steps if meta["status"] == "done" else job.step)
        job._finish("done", result, meta["message"])    # the next _adopt evicts what is too much

    def _evict(self) -> None:
        """Under the lock: forget finished jobs beyond ``max_jobs`` or the results' bytes (never the host's)."""
        for spec in to_forget(self._jobs, self.max_jobs, settings.results_mb() * 2 ** 20):
            del self._jobs[spec]
