"""The Ray backend (the package tutorial.cluster) against a real local Ray instance.

One Ray head per test session (``num_cpus=2``, token authentication, localhost); the last test
stops it (the cluster is lost), the session's end makes sure it is gone. Each test uses its own
namespace, so it gets a fresh job table. Scenarios that share their set-up (a trained run, a running
job, a worker) are steps of one test, so the file needs about a minute. "Other app servers" are other
processes: a second :class:`RayTrainer` in a ``python -c`` child (``PEER``), and every RayTrainer
has its own bridge process as Ray driver.

Without Ray installed these tests skip with a reason – unless ``TUTORIAL_REQUIRE_RAY=1`` (set by
``scripts/test.sh`` when it installs requirements-cluster.txt), then they fail.
"""
from __future__ import annotations

import copy
import dataclasses
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tutorial.cluster import config
from tutorial.cluster.client import RayTrainer
from tutorial import settings
from tutorial.cluster.config import CONNECTION_LOST, TABLE_LOST, UNREACHABLE, WORKER_DIED
from tutorial.presets import PRESETS
from tutorial.queue_policy import QueueLimit
from tutorial.result import CANCELLED_MESSAGE, HOST_CANCELLED_MESSAGE
from tutorial.spec import RunSpec

pytestmark = [pytest.mark.ray, pytest.mark.slow]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAS_RAY = importlib.util.find_spec("ray") is not None
BASE = PRESETS["keras_01_mnist"]
TINY = BASE.with_(limit=300, epochs=1, val_limit=500, batch_size=16)     # 18 steps
LONG = BASE.with_(limit=3000, epochs=400, batch_size=16, val_limit=500)  # minutes: always cancelled or killed


def tiny(seed: int) -> RunSpec:
    return TINY.with_(seed=seed)


def wait_until(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


# --- without Ray: a job is data, nothing else ------------------------------------------------

def test_spec_data_round_trip_is_plain_json():
    for name, spec in PRESETS.items():
        data = spec.to_data()
        text = json.dumps(data)                    # plain JSON: no objects, no code
        assert set(data) == {f.name for f in dataclasses.fields(RunSpec)}, name
        back = RunSpec.from_data(json.loads(text))
        assert back == spec and back.key == spec.key, name


def test_spec_data_refuses_anything_but_known_layers_and_plain_values():
    good = TINY.to_data()
    bad = [
        dict(good, layers=[{"type": "os.system", "command": "rm -rf /"}]),    # not a layer type
        dict(good, layers=[{"type": "Layer"}]),                               # the base class is none
        dict(good, layers=[{"type": "Dense", "units": 10, "code": "print(1)"}]),  # unknown field
        dict(good, layers=[{"type": "Dense", "units": {"__reduce__": 1}}]),   # not a plain value
        dict(good, layers=[{"type": "Dense", "units": "10"}]),                # not the declared type
        dict(good, layers=[{"type": "Dense"}]),                               # a required field missing
        dict(good, layers=[["Dense", {"units": 10}]]),                        # not a layer's data
        dict(good, extra="x"),                                                # not a RunSpec field
        dict(good, optimizer="__import__('os')"),                              # RunSpec's own checks
        [good],
    ]
    for data in bad:
        with pytest.raises(ValueError):
            RunSpec.from_data(data)
    with pytest.raises(TypeError):
        TINY.with_(learning_rate=object()).to_data()


def test_what_a_server_submits_is_the_spec_fields_only(monkeypatch):
    """Every request a RayTrainer sends for a job holds the key, the spec's data, the step count,
    the owner, their standing and the run's cost – strings, numbers and the plain spec data, nothing else."""
    sent = []

    def fake_call(self, method, *args, timeout=None):
        sent.append((method, args))
        if method == "poll":
            return {}
        return {"key": args[0], "state": "queued", "run": 0, "step": 0, "message": "", "records": [], "seen": 0,
                "owners": [args[3]], "position": 1, "where": {}}

    monkeypatch.setattr(RayTrainer, "_call", fake_call)
    trainer = RayTrainer("127.0.0.1:1")
    trainer.submit(TINY, owner="session-1")
    trainer.retry(TINY.with_(seed=3), owner="session-1")
    trainer._closed = True
    assert {m for m, _ in sent} <= {"submit", "retry", "poll"}
    for method, (key, data, total, owner, standing, cost) in [(m, a) for m, a in sent if m != "poll"]:
        assert isinstance(key, str) and isinstance(total, int) and owner == "session-1"
        assert standing == 0 and isinstance(cost, float) and cost > 0
        assert json.loads(json.dumps(data)) == data
        assert set(data) == {f.name for f in dataclasses.fields(RunSpec)}
        assert RunSpec.from_data(data).key == key


def test_ray_status_is_a_trainer_status_without_entries_of_other_app_versions(monkeypatch):
    from tutorial.trainer import ClusterInfo, Placement, TrainerStatus

    table = {"queue": [{"key": TINY.key, "data": TINY.to_data(), "owners": ["A"], "position": 1, "waiting": 3.0},
                       {"key": "x", "data": {"layers": [{"type": "Nope"}]}, "owners": [], "position": 2, "waiting": 1.0}],
             "running": [{"key": tiny(2).key, "data": tiny(2).to_data(), "owners": ["B"], "state": "running",
                          "step": 9, "total_steps": 18, "where": {"pid": 5, "node": "n1", "host": "10.0.0.8"},
                          "started": 0.0}],
             "done": 1, "failed": 2, "trainings_started": 3, "parallel": 2, "threads": 1, "resources": {"CPU": 4.0},
             "available": {"CPU": 2.0}, "nodes": 2}
    monkeypatch.setattr(RayTrainer, "_call", lambda self, method, *args, timeout=None: copy.deepcopy(table))
    status = RayTrainer("10.0.0.7:6379").status()
    assert isinstance(status, TrainerStatus) and status.backend == "ray"
    assert [q.spec for q in status.queue] == [TINY] and status.queue[0].owners == ("A",)   # "Nope" left out
    run = status.running[0]
    assert run.spec == tiny(2) and run.progress == 0.5 and run.remaining is None
    assert run.where == Placement(5, "n1", "10.0.0.8") and run.slot is None
    assert (status.done, status.failed, status.trainings_started, status.parallel) == (1, 2, 3, 2)
    assert status.cluster == ClusterInfo("10.0.0.7:6379", True, "", 2, {"CPU": 4.0}, {"CPU": 2.0})
    assert status.children == ()                                 # no bridge process was started


def test_address_setting_from_secrets_or_environment(monkeypatch):
    monkeypatch.delenv(settings.RAY_ADDRESS, raising=False)
    monkeypatch.setattr(settings, "_secrets", {settings.RAY_ADDRESS: "  "})
    assert settings.ray_address() is None                             # blank counts as not set
    from tutorial.app.loader import make_trainer
    from tutorial.jobs import LocalTrainer

    local = make_trainer(None, parallel=1)
    assert isinstance(local, LocalTrainer)
    local.close()
    monkeypatch.setenv(settings.RAY_ADDRESS, "10.0.0.7:6379")
    assert settings.ray_address() == "10.0.0.7:6379"
    monkeypatch.setattr(settings, "_secrets", {settings.RAY_ADDRESS: " 10.0.0.5:6379 "})
    assert settings.ray_address() == "10.0.0.5:6379"                  # the secret wins
    monkeypatch.setattr(settings, "_secrets", None)
    trainer = make_trainer(settings.ray_address(), max_jobs=24)
    assert isinstance(trainer, RayTrainer) and trainer.address == "10.0.0.7:6379"
    trainer.close()                                                   # never connected: nothing to stop


# --- with a local Ray instance ------------------------------------------------------------------

@pytest.fixture(scope="session")
def head():
    if not HAS_RAY:
        if os.environ.get("TUTORIAL_REQUIRE_RAY") == "1":
            pytest.fail("Ray is not installed but TUTORIAL_REQUIRE_RAY=1: pip install -r requirements-cluster.txt")
        pytest.skip("Ray is not installed (pip install -r requirements-cluster.txt); "
                    "TUTORIAL_REQUIRE_RAY=1 turns this skip into a failure")
    from tutorial.cluster.head import LocalHead

    local = LocalHead(num_cpus=2)
    saved = {k: os.environ.get(k) for k in local.env}
    os.environ.update(local.env)          # the token: bridges and peers inherit it
    try:
        yield local
    finally:
        local.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


_namespaces = iter(range(1000))


@pytest.fixture
def server(head):
    """Factory of app servers' trainers on a fresh job table (one namespace per test)."""
    assert head.proc.poll() is None, "the session's Ray head was stopped (the cluster-lost test must run last)"
    namespace = f"test-{os.getpid()}-{next(_namespaces)}"
    made = []

    def make(**kwargs) -> RayTrainer:
        # LONG runs for minutes: above what a new identity may queue (queue_policy.Limits.new_max_seconds)
        options = dict(namespace=namespace, parallel=1, cpus=1, every=5, connect_timeout=60,
                       limits={"new_max_seconds": 1e6})
        options.update(kwargs)
        trainer = RayTrainer(head.address, **options)
        made.append(trainer)
        return trainer

    make.namespace = namespace
    yield make
    for trainer in made:
        for job in list(trainer._jobs.values()):
            for owner in list(job.owners) if not job.done else ():
                trainer.cancel(job, owner=owner)
        trainer.close()


PEER = r"""
import json, sys, time
from tutorial.cluster.client import RayTrainer
from tutorial.spec import RunSpec
args = json.loads(sys.argv[1])
trainer = RayTrainer(args["address"], namespace=args["namespace"], parallel=1, cpus=1, every=5)
assert trainer.connect()           # what the app's warm start does
spec = RunSpec.from_data(args["spec"])
out = {}
if args["action"] == "train":
    job = trainer.submit(spec, owner=args["owner"])
    steps = set()
    while not job.wait(0.1):
        steps.add(job.snapshot()["step"])
    out = {"state": job.state, "seen": job.seen, "steps": sorted(steps), "bytes": len(job.result.weights),
           "predictions": len(job.result.predictions), "started": trainer.status().trainings_started}
elif args["action"] == "queue":
    job = trainer.submit(spec, owner=args["owner"])
    out = {"state": job.state, "position": trainer.position(job)}
elif args["action"] == "cancel":
    job = trainer.get(spec)
    out = {"ok": trainer.cancel(job, owner=args["owner"]) if job is not None else None}
print(json.dumps(out), flush=True)
trainer._closed = True
"""


def peer(head, namespace: str, action: str, spec: RunSpec, owner: str, background: bool = False):
    """Another app server (its own process) doing ``action``; returns its JSON answer."""
    args = json.dumps({"address": head.address, "namespace": namespace, "action": action, "owner": owner,
                       "spec": spec.to_data()})
    proc = subprocess.Popen([sys.executable, "-c", PEER, args], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=ROOT))
    if background:
        return proc
    return peer_answer(proc)


def peer_answer(proc, timeout: float = 240) -> dict:
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    assert proc.returncode == 0, out
    return json.loads(out.strip().splitlines()[-1])


def test_two_servers_share_one_training_reattach_after_restart_and_cancel_across_servers(head, server):
    """Two app servers (processes) ask for the same spec: one training, both see progress and the
    result. The first server goes away with a running and a waiting job; a new one reattaches, sees
    them and the finished run (fetched, not trained again); another process cancels the running job:
    its task stops and the waiting one trains in the freed slot."""
    here = server()
    other = peer(head, server.namespace, "train", tiny(1), owner="learner-B", background=True)
    job = here.submit(tiny(1), owner="learner-A")
    assert job.wait(240), job.snapshot()
    answer = peer_answer(other)
    assert job.state == "done", job.message
    assert answer["state"] == "done"
    assert job.seen > 0 and answer["seen"] > 0          # progress records reached both servers
    assert len(job.result.weights) == answer["bytes"] > 0
    assert len(job.result.predictions) == answer["predictions"] == 500
    assert here.status().trainings_started == 1 == answer["started"]
    assert [e["epoch"] for e in job.result.history["epochs"]] == [1]
    # the model came to this server once and is kept: asking again costs no training and no fetch
    assert here.submit(tiny(1), owner="learner-C") is job

    busy = here.submit(LONG, owner="A")
    here.submit(tiny(6), owner="B")
    assert wait_until(lambda: busy.state == "running", 30)
    here.close()                                             # the app server goes away …
    second = server()                                        # … and a new one starts
    status = second.status()
    assert status.cluster.connected and status.done == 1 and [e.spec for e in status.running] == [LONG]
    assert [e.spec for e in status.queue] == [tiny(6)]
    again = second.get(tiny(1))
    assert again is not None and again.wait(60) and again.state == "done"
    assert again.result.weights and len(again.result.predictions) == 500
    assert second.submit(tiny(1), owner="C") is again
    assert second.status().trainings_started == 2         # nothing trained twice
    running, nxt = second.get(LONG), second.get(tiny(6))
    assert running is not None and running.state == "running" and nxt.state == "queued"

    assert wait_until(lambda: running.step > 0, 120), running.snapshot()
    pid = running.where["pid"]
    assert peer(head, server.namespace, "cancel", LONG, owner="A") == {"ok": True}
    assert wait_until(lambda: running.done, 5)
    assert running.state == "cancelled" and running.result is None
    assert running.message == CANCELLED_MESSAGE
    assert wait_until(lambda: nxt.state != "queued", 5), "the slot was not freed"
    assert nxt.wait(120) and nxt.state == "done", nxt.message
    # the cancelled task itself stopped: both CPUs of the cluster are free again
    assert wait_until(lambda: second.status().cluster.available.get("CPU") == 2, 10, step=0.5)
    assert second._call("lookup", LONG.key)["where"]["pid"] == pid


def test_queue_is_fair_across_servers_with_the_limit_and_finished_jobs_are_evicted(head, server):
    """cpus=64 keeps the running job waiting for a worker (no training; it holds the one slot).
    The queue is fair across servers; like the local Trainer, the table (and each server) forgets
    the oldest finished jobs once it holds more than ``max_jobs``."""
    here = server(cpus=64, max_jobs=2)
    running = here.submit(LONG, owner="A")
    assert running.state == "running"
    a2, a3 = here.submit(tiny(2), owner="A"), here.submit(tiny(3), owner="A")
    with pytest.raises(QueueLimit) as limit:
        here.submit(tiny(4), owner="A")
    assert "2 Trainings in der Warteschlange" in str(limit.value)
    answer = peer(head, server.namespace, "queue", tiny(5), owner="B")
    assert answer == {"state": "queued", "position": 2}      # B's first run ahead of A's second
    assert wait_until(lambda: (here.position(a2), here.position(a3)) == (1, 3), 5)
    status = here.status()
    assert [e.spec for e in status.queue] == [tiny(2), tiny(5), tiny(3)]
    # what the table holds of a job (and hands to its task): the spec's fields as plain data
    raw = here._call("status")
    for entry, spec in zip(raw["queue"], [tiny(2), tiny(5), tiny(3)]):
        assert set(entry) == {"key", "data", "owners", "position", "waiting", "known"}
        assert entry["data"] == spec.to_data() and entry["key"] == spec.key
    assert [e.spec for e in status.running] == [LONG] and status.running[0].where is not None

    b5 = here.get(tiny(5))
    assert here.cancel(a2, owner="A") and here.cancel(a3, owner="A") and here.cancel(b5, owner="B")
    assert a2.state == a3.state == b5.state == "cancelled"
    here.submit(tiny(12), owner="B")
    for spec in (tiny(2), tiny(3), tiny(5)):
        assert here._call("lookup", spec.key) is None
    assert here._call("lookup", LONG.key)["state"] == "running"
    assert len(here._jobs) <= 2 and LONG in here._jobs


def test_the_table_applies_the_queue_rules_of_the_local_trainer(head, server):
    """The same QueuePolicy in the job table: a learner with a history (standing, known for a while)
    goes ahead of new identities, the servers' polls carry who was seen, and the host's controls
    (cancel one run for everybody, cancel every waiting run but the host's pre-training)."""
    here = server(cpus=64, limits={"new_max_seconds": 1e6, "known_age": 3})    # known after 3 s, not 60
    running = here.submit(LONG, owner="A")      # holds the one slot (cpus=64: nothing trains)
    assert running.state == "running"
    flood = [here.submit(tiny(30 + i), owner=f"script{i}") for i in range(3)]
    anna = here.submit(tiny(40), owner="anna", standing=5)
    pre = here.submit(tiny(41))             # the host's pre-training
    raw = here._call("status")["queue"]
    assert [(e["key"], e["known"]) for e in raw][:2] == [(tiny(41).key, True), (tiny(30).key, False)]
    deadline = time.time() + 30
    while here.position(anna) != 1 and time.time() < deadline:    # known: ahead of the flood
        here.seen("anna")                   # her pages run; the poll hands it to the table
        time.sleep(1)
    assert here.position(anna) == 1 and here.position(pre) == 2         # known owners take turns
    assert wait_until(lambda: [here.position(f) for f in flood] == [3, 4, 5], 5)
    assert here.cancel_waiting() == 4
    assert wait_until(lambda: all(j.state == "cancelled" for j in (*flood, anna)), 10)
    assert anna.message == HOST_CANCELLED_MESSAGE and pre.state == "queued"
    assert here.remove(running) and running.state == "cancelled"
    assert running.message == HOST_CANCELLED_MESSAGE


def test_killed_worker_and_lost_job_table_fail_that_job_in_german_and_the_next_one_trains(head, server):
    here = server()
    job = here.submit(LONG, owner="A")
    nxt = here.submit(tiny(7), owner="B")
    assert wait_until(lambda: job.step > 0 and job.where.get("pid"), 120), job.snapshot()
    os.kill(job.where["pid"], signal.SIGKILL)
    assert job.wait(30)
    assert job.state == "failed" and job.message == WORKER_DIED
    assert nxt.wait(120) and nxt.state == "done", nxt.message
    again = here.retry(LONG, owner="A")                      # a retry queues it anew
    assert again is not job and again.state in ("queued", "running")
    assert wait_until(lambda: again.state == "running", 30)

    assert here._call("kill_table") is True                  # the table is lost: a new, empty one
    assert again.wait(30)
    assert again.state == "failed" and again.message == TABLE_LOST
    fresh = here.submit(tiny(9), owner="A")
    assert fresh.wait(120) and fresh.state == "done", fresh.message
    # the orphaned task noticed that its table is gone and stopped: both CPUs are free again
    assert wait_until(lambda: here.status().cluster.available.get("CPU") == 2, 15, step=0.5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_job_whose_app_server_is_gone_is_cancelled_by_the_table_never_the_hosts(head, server):
    """The servers' polls are their heartbeat (issue 20): an app server submits a learner's run and a
    host's run and goes away (its process ends, nobody polls); after ``gone_seconds`` the table cancels
    the learner's run – running or waiting – and keeps the host's pre-training."""
    from tutorial.cluster.config import SERVER_GONE
    here = server()
    here.options["gone_seconds"] = 3.0          # the table of this namespace is made by the first call
    assert here.connect()
    assert peer(head, server.namespace, "queue", LONG, owner="learner-gone")["state"] == "running"
    t0 = time.time()                            # that server's process has ended
    assert peer(head, server.namespace, "queue", tiny(9), owner="")["state"] in ("queued", "running")  # the host's
    assert wait_until(lambda: here._call("lookup", LONG.key)["state"] == "cancelled", 60, step=0.5)
    print(f"job of a gone server cancelled {time.time() - t0:.1f} s after its server left (gone_seconds 3)")
    assert here._call("lookup", LONG.key)["message"] == SERVER_GONE
    assert wait_until(lambda: here._call("lookup", tiny(9).key)["state"] in ("running", "done"), 60, step=0.5)
    assert wait_until(lambda: here._call("lookup", tiny(9).key)["state"] == "done", 240, step=1)


def test_unreachable_cluster_at_start_gives_a_german_message_and_a_host_status(head):
    address = f"127.0.0.1:{_free_port()}"                   # nothing listens there
    trainer = RayTrainer(address, connect_timeout=2, retry_seconds=60)
    try:
        job = trainer.submit(TINY, owner="A")
        assert job.state == "failed" and job.message == UNREACHABLE
        status = trainer.status()
        assert status.cluster.connected is False and address in status.cluster.message
        assert "nicht erreichbar" in status.cluster.message
        assert trainer.submit(TINY, owner="A").state == "failed"  # no new attempt before retry_seconds
    finally:
        trainer.close()


def test_page_says_in_german_when_the_cluster_cannot_be_reached(monkeypatch):
    """The app layer switches by setting only: chapter 3 with an address nobody answers shows the
    German message instead of a traceback, and the page keeps working."""
    from streamlit.testing.v1 import AppTest

    from tutorial.app import loader, progress, state
    from tutorial.chapters import by_number

    monkeypatch.setenv(settings.RAY_ADDRESS, f"127.0.0.1:{_free_port()}")
    monkeypatch.setattr(config, "CONNECT_TIMEOUT", 2.0)
    entry = by_number(3)
    loader.trainer.clear()
    try:
        at = AppTest.from_file(f"../{entry.file}", default_timeout=90)
        at.session_state[state.TEST_MODE_KEY] = True
        at.session_state[state.PROGRESS_KEY] = {**progress.empty(), "guesses": {
            entry.key: {"choice": None, "skipped": True, "hint": False}}}
        at.run()
        assert isinstance(loader.trainer(), RayTrainer)
        at.button(key=f"{entry.key}_train").click().run()
        deadline = time.time() + 60
        while not any(UNREACHABLE in e.value for e in at.error):
            assert not at.exception, [e.message for e in at.exception]
            assert time.time() < deadline, [e.value for e in at.error]
            time.sleep(0.5)
            at.run()
        assert not at.exception

        # the host page says so too (Ray status above the trainings)
        host_page = AppTest.from_file("../kapitel/werkzeuge/kursleitung.py", default_timeout=60)
        host_page.secrets["kursleitung"] = {"passwort": "geheim-ray-kurs"}     # login.MIN_LENGTH or more
        host_page.run()
        host_page.text_input[0].input("geheim-ray-kurs")
        host_page.button[0].click().run()
        assert not host_page.exception, [e.message for e in host_page.exception]
        errors = [e.value for e in host_page.error]
        assert any("nicht erreichbar" in e and "127.0.0.1:" in e for e in errors), errors
    finally:
        loader.trainer().close()
        loader.trainer.clear()


def test_cluster_lost_later_fails_running_jobs_and_reports_it(head):
    """Runs last: it stops the session's Ray head (one Ray instance per session)."""
    trainer = RayTrainer(head.address, namespace="lost", cpus=64, parallel=1, connect_timeout=60,
                                 call_timeout=5, retry_seconds=60, env=head.env)
    try:
        job = trainer.submit(TINY, owner="A")            # 64 CPUs: waits on the cluster, never trains
        assert job.state == "running" and trainer.status().cluster.connected
        head.stop()
        assert job.wait(40)
        assert job.state == "failed" and job.message == CONNECTION_LOST
        assert trainer.status().cluster.connected is False
        again = trainer.submit(TINY, owner="A")
        assert again.state == "failed" and again.message == UNREACHABLE
    finally:
        trainer.close()
