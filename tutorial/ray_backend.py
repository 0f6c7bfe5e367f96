"""The Ray side of the cluster backend: the shared job table, the training task, and the bridge.

Only processes that talk to Ray import this module (it imports ``ray`` at module level): the
*bridge* (``python -m tutorial.ray_backend bridge …``), a small child of each app server that is
its Ray driver, and Ray's own workers on the cluster. The app server itself talks to its bridge
over a socket pair (:class:`tutorial.cluster.RayTrainer`), so the server never imports Ray and
survives whatever happens to the cluster (a Ray driver ends its process when it loses the head).

* :class:`JobTable` – one named, detached actor (``tutorial-jobs``, pinned to the head node) holds
  every job: spec data → state, owners, progress records, and the object references of the
  finished model. It keeps the fair queue (:class:`~tutorial.queue_policy.QueuePolicy`) and starts
  a :func:`train_task` whenever one of its slots is free. All methods run on the actor's event
  loop, one at a time, so the table needs no locks.
* :func:`train_task` – one training on a worker (one CPU share or one GPU): rebuilds the
  :class:`~tutorial.spec.RunSpec` from plain data, trains with :func:`tutorial.training.train`,
  reports progress to the table twice a second (the answer tells it whether to stop) and returns
  the history and the model's ``.keras`` bytes as two objects.
* :func:`bridge_main` – connects to the cluster and answers the server's requests.

A submitted job carries nothing but the spec's fields (:func:`tutorial.cluster.spec_to_data`):
the task function is this module's own, never code or files from a learner.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import threading
import time

import ray
from ray import exceptions as rex

from tutorial import cluster
from tutorial.queue_policy import QueueLimit, QueuePolicy

REPORT_SECONDS = 0.5     # a task reports progress (and learns of a cancel) this often
CALL_TIMEOUT = 15.0      # seconds for one call to the table before the cluster counts as unreachable
FETCH_TIMEOUT = 120.0    # seconds to bring a finished model to the app server
CANCEL_GRACE = 5.0       # a cancelled task that has not stopped by then is killed (ray.cancel force)
MAX_CALLS = 20           # a Ray worker process is replaced after this many trainings (TensorFlow's leak)
FINISHED = ("done", "failed", "cancelled")

# Errors that mean "the cluster (or the table) cannot be reached", not "this job failed".
UNREACHABLE_ERRORS = (rex.GetTimeoutError, rex.RaySystemError, rex.ActorUnavailableError, rex.RpcError,
                      ConnectionError, OSError)


# --- the training task ------------------------------------------------------------------------

@ray.remote(num_returns=2, max_retries=0, max_calls=MAX_CALLS)
def train_task(data: dict, key: str, run: int, every: int, table, threads: int):
    """Train the spec described by ``data``; report to ``table``; return (meta, model bytes)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    spec = cluster.spec_from_data(data)
    where = {"pid": os.getpid(), "node": ray.get_runtime_context().get_node_id(),
             "host": ray.util.get_node_ip_address()}
    if ray.get(table.report.remote(key, run, [], where), timeout=CALL_TIMEOUT):
        return {"status": "cancelled"}, b""        # cancelled while it waited for a worker
    from tutorial import worker
    worker._limit_threads(threads)
    from tutorial.training import train

    stop, finished, lock = threading.Event(), threading.Event(), threading.Lock()
    pending: list = []

    def flush() -> None:
        with lock:
            records = sorted(pending, key=lambda r: r.get("step", 0))
            pending.clear()
        try:
            if ray.get(table.report.remote(key, run, records, where), timeout=CALL_TIMEOUT):
                stop.set()
        except rex.ActorDiedError:   # the table is gone (restarted): nobody will take this result
            stop.set()
        except Exception:  # noqa: BLE001 - table briefly unreachable: train on, report next time
            pass

    def reporter() -> None:
        flush()
        while not finished.wait(REPORT_SECONDS):
            flush()

    def progress(record: dict) -> None:
        with lock:
            pending.append(record)

    thread = threading.Thread(target=reporter, name="tutorial-ray-report", daemon=True)
    thread.start()
    try:
        result = None if stop.is_set() else train(spec, on_progress=progress, every=every, stop_event=stop)
    finally:
        finished.set()
        thread.join()
    if stop.is_set() or result is None:
        return {"status": "cancelled"}, b""
    with tempfile.TemporaryDirectory(prefix="tutorial-") as tmp:
        path = os.path.join(tmp, "model.keras")
        result.model.save(path)
        with open(path, "rb") as f:
            blob = f.read()
    meta = {"history": result.history, "seconds": result.seconds, "status": result.status,
            "message": result.message, "predictions": result.predictions,
            "font_predictions": result.font_predictions}
    return meta, blob


# --- the job table ----------------------------------------------------------------------------

class _Record:
    """One job in the table."""

    def __init__(self, key: str, data: dict, total: int, seq: int):
        self.key, self.data, self.total, self.seq = key, data, total, seq
        self.state = "queued"
        self.owners: set[str] = set()
        self.run = 0
        self.step = 0
        self.records: list = []          # progress records in arrival order (append only)
        self.message = ""
        self.submitted, self.started, self.finished = time.time(), None, None
        self.where: dict = {}
        self.stop = False
        self.refs = None                 # (meta ref, model ref) of the current run


@ray.remote(num_cpus=0, max_restarts=0)
class JobTable:
    """The cluster's one job table and fair queue (see the module docstring)."""

    def __init__(self, slots: int = 0, cpus: float = 2, max_jobs: int = 64, per_owner: int = 2,
                 every: int = 10, threads: int = 0):
        self.slots, self.cpus, self.max_jobs, self.every = slots, cpus, max_jobs, every
        self.threads = threads or max(1, int(cpus))
        self.policy = QueuePolicy(per_owner)
        self.jobs: dict[str, _Record] = {}
        self.seq = self.runs = self.trainings_started = 0
        self.me = ray.get_runtime_context().current_actor

    # --- the app servers' side -------------------------------------------------------------
    async def submit(self, key: str, data: dict, total: int, owner: str = "") -> dict:
        rec = self.jobs.get(key)
        try:
            if rec is None:
                rec = self._enqueue(key, data, total, owner)
            else:
                if rec.state == "queued":
                    self.policy.add(key, owner)
                if rec.state not in FINISHED:
                    rec.owners.add(owner)
        except QueueLimit as exc:
            return {"error": "limit", "message": str(exc)}
        return self._view(rec)

    async def retry(self, key: str, data: dict, total: int, owner: str = "") -> dict:
        rec = self.jobs.get(key)
        if rec is None or rec.state in ("failed", "cancelled"):
            try:
                rec = self._enqueue(key, data, total, owner)
            except QueueLimit as exc:
                return {"error": "limit", "message": str(exc)}
            return self._view(rec)
        return await self.submit(key, data, total, owner)

    async def cancel(self, key: str, owner: str = "") -> dict:
        rec = self.jobs.get(key)
        if rec is None or rec.state in FINISHED:
            return {"ok": False, "view": self._view(rec) if rec else None}
        rec.owners.discard(owner)
        if rec.state == "queued":
            if self.policy.detach(key, owner) or not self.policy.owners(key):
                self.policy.remove(key)
                self._finish(rec, "cancelled", cluster.CANCELLED_MESSAGE)
        elif not rec.owners:
            # Running: the task learns it with its next report (≤ 0.5 s) and stops; the slot is
            # free at once. A task that does not stop in time is killed.
            rec.stop = True
            self._finish(rec, "cancelled", cluster.CANCELLED_MESSAGE)
            asyncio.get_running_loop().create_task(self._kill_later(rec.refs, rec.run))
            self._schedule()
        return {"ok": True, "view": self._view(rec)}

    async def poll(self, known: dict) -> dict:
        """Views of the jobs ``known`` (key → [run, records seen]); None for unknown keys."""
        out = {}
        for key, (run, seen) in known.items():
            rec = self.jobs.get(key)
            out[key] = None if rec is None else self._view(rec, seen if run == rec.run else 0)
        return out

    async def lookup(self, key: str):
        rec = self.jobs.get(key)
        return None if rec is None else self._view(rec)

    async def fetch(self, key: str, run: int):
        """The references of a finished run's (meta, model bytes); None if it is gone."""
        rec = self.jobs.get(key)
        if rec is None or rec.run != run or rec.state != "done" or rec.refs is None:
            return None
        return list(rec.refs)

    async def status(self) -> dict:
        now = time.time()
        order = self.policy.order()
        queue = [{"key": k, "data": self.jobs[k].data, "owners": self.policy.owners(k), "position": i + 1,
                  "waiting": now - self.jobs[k].submitted} for i, k in enumerate(order)]
        running = [{"key": r.key, "data": r.data, "owners": sorted(r.owners), "state": r.state, "step": r.step,
                    "total_steps": r.total, "where": r.where, "started": r.started}
                   for r in self.jobs.values() if r.state in ("running", "finishing")]
        states = [r.state for r in self.jobs.values()]
        return {"queue": queue, "running": running, "done": states.count("done"),
                "failed": states.count("failed") + states.count("cancelled"),
                "trainings_started": self.trainings_started, "parallel": self._slots(),
                "threads": self.threads, "resources": ray.cluster_resources(),
                "available": ray.available_resources(),
                "nodes": sum(1 for n in ray.nodes() if n.get("Alive"))}

    async def clear_failed(self) -> int:
        gone = [k for k, r in self.jobs.items() if r.state in ("failed", "cancelled")]
        for key in gone:
            del self.jobs[key]
        return len(gone)

    # --- the tasks' side -------------------------------------------------------------------
    async def report(self, key: str, run: int, records: list, where: dict) -> bool:
        """Progress of run ``run`` of ``key``; returns True when the task should stop."""
        rec = self.jobs.get(key)
        if rec is None or rec.run != run or rec.state not in ("running", "finishing"):
            return True
        rec.where = where
        for record in records:
            if record.get("kind") == "finishing":
                rec.state = "finishing"
            else:
                rec.step = max(rec.step, record.get("step", 0))
            rec.records.append(record)
        return rec.stop

    # --- internals -------------------------------------------------------------------------
    def _view(self, rec: _Record, seen: int = 0) -> dict:
        return {"key": rec.key, "state": rec.state, "run": rec.run, "step": rec.step, "message": rec.message,
                "records": rec.records[seen:], "seen": seen, "owners": sorted(rec.owners),
                "position": self.policy.position(rec.key) if rec.state == "queued" else 0,
                "where": rec.where}

    def _enqueue(self, key: str, data: dict, total: int, owner: str) -> _Record:
        self.policy.add(key, owner)          # raises QueueLimit before anything changes
        self.seq += 1
        rec = _Record(key, data, total, self.seq)
        rec.owners.add(owner)
        self.jobs.pop(key, None)
        self.jobs[key] = rec
        self._evict()
        self._schedule()
        return rec

    def _slots(self) -> int:
        if self.slots:
            return self.slots
        resources = ray.cluster_resources()
        if resources.get("GPU", 0) >= 1:
            return int(resources["GPU"])
        return max(1, int(resources.get("CPU", 1) // max(self.cpus, 1e-3)))

    def _schedule(self) -> None:
        busy = sum(1 for r in self.jobs.values() if r.state in ("running", "finishing"))
        free = self._slots() - busy
        while free > 0 and len(self.policy):
            key, _ = self.policy.pop()
            self._launch(self.jobs[key])
            free -= 1

    def _launch(self, rec: _Record) -> None:
        self.runs += 1
        rec.run, rec.state, rec.started, rec.step, rec.records, rec.stop = self.runs, "running", time.time(), 0, [], False
        options = {"num_cpus": self.cpus}
        if ray.cluster_resources().get("GPU", 0) >= 1:
            options = {"num_cpus": 1, "num_gpus": 1}
        rec.refs = train_task.options(**options).remote(rec.data, rec.key, rec.run, self.every, self.me, self.threads)
        self.trainings_started += 1
        asyncio.get_running_loop().create_task(self._watch(rec, rec.run, rec.refs[0]))

    async def _watch(self, rec: _Record, run: int, ref) -> None:
        error, meta = None, None
        try:
            meta = await ref
        except rex.TaskCancelledError:
            error = cluster.CANCELLED_MESSAGE
        except rex.RayTaskError as exc:       # the training raised: say what went wrong
            cause = getattr(exc, "cause", None)
            error = cluster.FAILED_MESSAGE.format(error=cause if cause is not None else exc)
        except rex.RayError:                  # worker process or node died, out of memory, …
            error = cluster.WORKER_DIED
        current = self.jobs.get(rec.key) is rec and rec.run == run
        if not current or rec.state in FINISHED:     # cancelled, retried or evicted meanwhile
            if rec.run == run and rec.state != "done":
                rec.refs = None
            self._schedule()
            return
        if error is not None or meta.get("status") == "cancelled":
            rec.refs = None
            self._finish(rec, "failed" if error else "cancelled", error or cluster.CANCELLED_MESSAGE)
        else:
            self._finish(rec, "done", meta.get("message", ""))
        self._evict()
        self._schedule()

    async def _kill_later(self, refs, run: int) -> None:
        if refs is None:
            return
        await asyncio.sleep(CANCEL_GRACE)
        ready, _ = ray.wait([refs[0]], timeout=0)
        if not ready:
            ray.cancel(refs[0], force=True)

    def _finish(self, rec: _Record, state: str, message: str) -> None:
        rec.state, rec.message, rec.finished = state, message, time.time()
        rec.owners.clear()

    def _evict(self) -> None:
        finished = sorted((r for r in self.jobs.values() if r.state in FINISHED), key=lambda r: r.finished)
        while len(self.jobs) > self.max_jobs and finished:
            del self.jobs[finished.pop(0).key]


# --- the bridge (the app server's Ray driver) -----------------------------------------------------

def table_handle(namespace: str, options: dict):
    """The named, detached job table: the existing one or a new one on the head node."""
    return JobTable.options(name=cluster.TABLE_NAME, namespace=namespace, lifetime="detached", get_if_exists=True,
                            max_concurrency=1000, resources={"node:__internal_head__": 0.001}).remote(**options)


def _call(table, method: str, args: list):
    if method == "fetch":
        refs = ray.get(table.fetch.remote(*args), timeout=CALL_TIMEOUT)
        if refs is None:
            return None
        meta, blob = ray.get(refs, timeout=FETCH_TIMEOUT)
        return meta, blob
    if method == "kill_table":          # tests and a host's "start the table anew"
        ray.kill(table)
        return True
    return ray.get(getattr(table, method).remote(*args), timeout=CALL_TIMEOUT)


def bridge_main(fd: int, address: str, namespace: str, options: dict) -> None:
    """Connect to the cluster, then answer (method, args) requests until the server goes away."""
    from multiprocessing.connection import Connection
    conn = Connection(fd)
    try:
        ray.init(address=address, namespace=namespace, logging_level="ERROR", log_to_driver=False)
        table = table_handle(namespace, options)
        ray.get(table.lookup.remote(""), timeout=CALL_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - reported to the server, which shows it on the host page
        conn.send(("unreachable", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            break
        if request is None:
            break
        method, args = request
        for attempt in (1, 2):
            try:
                reply = ("ok", _call(table, method, args))
            except rex.ActorDiedError as exc:
                if attempt == 1 and method != "kill_table":
                    table = table_handle(namespace, options)   # the table was lost: a new, empty one
                    continue
                reply = ("unreachable", f"{type(exc).__name__}: {exc}")
            except UNREACHABLE_ERRORS as exc:
                reply = ("unreachable", f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a bug or bad request: the server raises it
                reply = ("error", f"{type(exc).__name__}: {exc}")
            break
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            break
    ray.shutdown()


# --- a one-machine head (tests, benchmarks, trying it out) ----------------------------------------

def head_main(num_cpus: int, object_store_mb: int, temp_dir: str) -> None:
    """Start a local Ray instance, print its address, and stop it when stdin closes or a line comes."""
    ray.init(num_cpus=num_cpus, include_dashboard=False, object_store_memory=object_store_mb * 2 ** 20,
             _temp_dir=temp_dir, logging_level="ERROR", log_to_driver=False)
    print(ray.get_runtime_context().gcs_address, flush=True)
    sys.stdin.readline()
    ray.shutdown()


if __name__ == "__main__":
    # Run as ``python -m tutorial.ray_backend``: use the module under its importable name, so Ray
    # pickles the actor and the task as ``tutorial.ray_backend.*`` (``__main__`` is not importable
    # on the workers).
    from tutorial import ray_backend as _self
    if sys.argv[1] == "bridge":
        _self.bridge_main(int(sys.argv[2]), sys.argv[3], sys.argv[4], json.loads(sys.argv[5]))
    elif sys.argv[1] == "head":
        _self.head_main(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
