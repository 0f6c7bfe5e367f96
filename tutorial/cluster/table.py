"""The cluster's one job table: :class:`JobTable`, a named, detached Ray actor.

It holds every job (spec data → state, owners, progress records, and the object references of the
finished model), keeps the fair queue (:class:`~tutorial.queue_policy.QueuePolicy`: the same rules
as the local trainer's – known learners first, limits, caps, drops of waiting runs whose learners
left, reported by the servers' polls) and starts a
:func:`~tutorial.cluster.task.train_task` whenever one of its slots is free, with its time limit
(:func:`tutorial.result.time_limit` of the run's price; none for the host's runs). The servers' polls
are their heartbeat: a job (waiting or running, not the host's) that no app server polled for
``gone_seconds`` is cancelled – its servers are gone. All methods run on the
actor's event loop, one at a time, so the table needs no locks. Only Ray processes (the bridge and
the actor's worker) import this module (it imports ``ray``).
"""
from __future__ import annotations

import asyncio
import time

import ray
from ray import exceptions as rex

from tutorial.cluster.config import CANCEL_GRACE, SERVER_GONE, SERVER_GONE_SECONDS, WORKER_DIED
from tutorial.cluster.task import train_task
from tutorial.queue_policy import Limits, QueueFull, QueueLimit, QueuePolicy
from tutorial.result import (ACTIVE, CANCELLED_MESSAGE, DROPPED_MESSAGE, FAILED_MESSAGE, FINISHED,
                             HOST_CANCELLED_MESSAGE, time_limit)


class _Record:
    """One job in the table."""

    def __init__(self, key: str, data: dict, total: int, seq: int):
        self.key, self.data, self.total, self.seq = key, data, total, seq
        self.state = "queued"
        self.owners: set[str] = set()
        self.host = False                # the host asked for it: never dropped or evicted
        self.cost = 0.0                  # its price: seconds on an idle box (0: unknown)
        self.watched = time.time()       # the last time an app server polled it
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
                 every: int = 10, threads: int = 0, gone_seconds: float = SERVER_GONE_SECONDS,
                 limits: dict | None = None):
        self.slots, self.cpus, self.max_jobs, self.every = slots, cpus, max_jobs, every
        self.gone_seconds, self._reaper = gone_seconds, None
        self.threads = threads or max(1, int(cpus))
        self.policy = QueuePolicy(Limits(**{"per_owner": per_owner, **(limits or {})}))
        self.jobs: dict[str, _Record] = {}
        self.seq = self.runs = self.trainings_started = 0
        self.me = ray.get_runtime_context().current_actor

    # --- the app servers' side -------------------------------------------------------------
    async def submit(self, key: str, data: dict, total: int, owner: str = "", standing: int = 0,
                     cost: float = 0.0) -> dict:
        self._drop_gone()
        rec = self.jobs.get(key)
        try:
            if rec is None:
                rec = self._enqueue(key, data, total, owner, standing, cost)
            else:
                if rec.state == "queued":
                    self.policy.add(key, owner, standing, cost)
                if rec.state not in FINISHED:
                    rec.owners.add(owner)
                    rec.host = rec.host or owner == ""
        except QueueLimit as exc:
            return self._refusal(exc)
        return self._view(rec)

    async def retry(self, key: str, data: dict, total: int, owner: str = "", standing: int = 0,
                    cost: float = 0.0) -> dict:
        rec = self.jobs.get(key)
        if rec is None or rec.state in ("failed", "cancelled"):
            self._drop_gone()
            try:
                rec = self._enqueue(key, data, total, owner, standing, cost)
            except QueueLimit as exc:
                return self._refusal(exc)
            return self._view(rec)
        return await self.submit(key, data, total, owner, standing, cost)

    @staticmethod
    def _refusal(exc: QueueLimit) -> dict:
        if isinstance(exc, QueueFull):
            return {"error": "full", "message": str(exc), "retry_after": exc.retry_after}
        return {"error": "limit", "message": str(exc)}

    async def cancel(self, key: str, owner: str = "") -> dict:
        rec = self.jobs.get(key)
        if rec is None or rec.state in FINISHED:
            return {"ok": False, "view": self._view(rec) if rec else None}
        rec.owners.discard(owner)
        if rec.state == "queued":
            if self.policy.detach(key, owner) or not self.policy.owners(key):
                self.policy.remove(key)
                self._finish(rec, "cancelled", CANCELLED_MESSAGE)
        elif not rec.owners:
            self._stop(rec, CANCELLED_MESSAGE)
        return {"ok": True, "view": self._view(rec)}

    async def remove(self, key: str) -> dict:
        """The host cancels ``key`` for everybody (waiting or running)."""
        rec = self.jobs.get(key)
        if rec is None or rec.state in FINISHED:
            return {"ok": False, "view": self._view(rec) if rec else None}
        rec.owners.clear()
        if rec.state == "queued":
            self.policy.remove(key)
            self._finish(rec, "cancelled", HOST_CANCELLED_MESSAGE)
        else:
            self._stop(rec, HOST_CANCELLED_MESSAGE)
        return {"ok": True, "view": self._view(rec)}

    async def cancel_waiting(self) -> int:
        """The host cancels every waiting run but their own pre-training."""
        gone = self.policy.remove_waiting(keep_host=True)
        for key in gone:
            self._finish(self.jobs[key], "cancelled", HOST_CANCELLED_MESSAGE)
        return len(gone)

    async def poll(self, known: dict, seen: dict | None = None) -> dict:
        """Views of the jobs ``known`` (key → [run, records seen]); None for unknown keys.
        ``seen``: owner → seconds since a page of theirs ran on the polling server."""
        for owner, ago in (seen or {}).items():
            self.policy.seen(str(owner), float(ago))
        self._drop_gone()
        self._reap_later()
        out, now = {}, time.time()
        for key, (run, seen) in known.items():
            rec = self.jobs.get(key)
            if rec is not None:
                rec.watched = now        # the polling server is alive and waits for it
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
                  "waiting": now - self.jobs[k].submitted,
                  "known": any(self.policy.known(o) for o in self.policy.owners(k))} for i, k in enumerate(order)]
        running = [{"key": r.key, "data": r.data, "owners": sorted(r.owners), "state": r.state, "step": r.step,
                    "total_steps": r.total, "where": r.where, "started": r.started}
                   for r in self.jobs.values() if r.state in ACTIVE]
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
        if rec is None or rec.run != run or rec.state not in ACTIVE:
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

    def _enqueue(self, key: str, data: dict, total: int, owner: str, standing: int = 0, cost: float = 0.0) -> _Record:
        self.policy.parallel = self._slots()
        self.policy.add(key, owner, standing, cost)          # raises QueueLimit before anything changes
        self.seq += 1
        rec = _Record(key, data, total, self.seq)
        rec.owners.add(owner)
        rec.host, rec.cost = owner == "", cost
        self.jobs.pop(key, None)
        self.jobs[key] = rec
        self._evict()
        self._schedule()
        self._reap_later()
        return rec

    def _reap_later(self) -> None:
        """Start the loop that cancels jobs of servers that are gone (once, on the actor's event loop)."""
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.get_running_loop().create_task(self._reap_loop())

    async def _reap_loop(self) -> None:
        while True:
            await asyncio.sleep(min(5.0, self.gone_seconds / 4))
            self._reap()

    def _reap(self) -> None:
        """Cancel every job (waiting or running, never the host's) no server polled for ``gone_seconds``."""
        now = time.time()
        for rec in list(self.jobs.values()):
            if rec.state in FINISHED or rec.host or now - rec.watched <= self.gone_seconds:
                continue
            if rec.state == "queued":
                self.policy.remove(rec.key)
                self._finish(rec, "cancelled", SERVER_GONE)
            else:
                self._stop(rec, SERVER_GONE)

    def _stop(self, rec: _Record, message: str) -> None:
        """A running job: the task learns it with its next report (≤ 0.5 s) and stops; the slot is
        free at once. A task that does not stop in time is killed."""
        rec.stop = True
        self._finish(rec, "cancelled", message)
        asyncio.get_running_loop().create_task(self._kill_later(rec.refs, rec.run))
        self._schedule()

    def _drop_gone(self) -> None:
        """Waiting runs none of whose learners was seen for some minutes leave (never the host's)."""
        for key in self.policy.drop_gone():
            self._finish(self.jobs[key], "cancelled", DROPPED_MESSAGE)

    def _slots(self) -> int:
        if self.slots:
            return self.slots
        resources = ray.cluster_resources()
        if resources.get("GPU", 0) >= 1:
            return int(resources["GPU"])
        return max(1, int(resources.get("CPU", 1) // max(self.cpus, 1e-3)))

    def _schedule(self) -> None:
        busy = sum(1 for r in self.jobs.values() if r.state in ACTIVE)
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
        limit = None if rec.host else time_limit(rec.cost, self.threads)
        rec.refs = train_task.options(**options).remote(rec.data, rec.key, rec.run, self.every, self.me, self.threads,
                                                        limit)
        self.trainings_started += 1
        asyncio.get_running_loop().create_task(self._watch(rec, rec.run, rec.refs[0]))

    async def _watch(self, rec: _Record, run: int, ref) -> None:
        error, meta = None, None
        try:
            meta = await ref
        except rex.TaskCancelledError:
            error = CANCELLED_MESSAGE
        except rex.RayTaskError as exc:       # the training raised: say what went wrong
            cause = getattr(exc, "cause", None)
            error = FAILED_MESSAGE.format(error=cause if cause is not None else exc)
        except rex.RayError:                  # worker process or node died, out of memory, …
            error = WORKER_DIED
        current = self.jobs.get(rec.key) is rec and rec.run == run
        if not current or rec.state in FINISHED:     # cancelled, retried or evicted meanwhile
            if rec.run == run and rec.state != "done":
                rec.refs = None
            self._schedule()
            return
        if error is not None or meta.get("status") == "cancelled":
            rec.refs = None
            self._finish(rec, "failed" if error else "cancelled", error or CANCELLED_MESSAGE)
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
        finished = sorted((r for r in self.jobs.values() if r.state in FINISHED and not r.host),
                          key=lambda r: r.finished)
        while len(self.jobs) > self.max_jobs and finished:
            del self.jobs[finished.pop(0).key]
