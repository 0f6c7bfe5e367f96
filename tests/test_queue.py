"""The queue that cannot be gamed (README "Warteschlange"): the policy's rules with a fake clock, and
the local trainer applying them with an in-process fake backend – known learners before new
identities, limits per learner and per time, caps with "Warteschlange voll", drops of waiting runs
whose learners left (never the host's), the host's cancel per run and of all waiting runs."""
import threading

import pytest

from tutorial import presets
from tutorial.backend import InProcess
from tutorial.jobs import LocalTrainer
from tutorial.queue_policy import Limits, QueueFull, QueueLimit, QueuePolicy, Rate
from tutorial.result import DROPPED_MESSAGE, HOST_CANCELLED_MESSAGE, TrainResult
from tutorial.trainer import queue_cost
from tests.fakes import Clock

pytestmark = pytest.mark.engine

BASE = presets.PRESETS["keras_01_mnist"]


def policy(**limits) -> tuple[QueuePolicy, Clock]:
    clock = Clock()
    return QueuePolicy(Limits(**limits), clock), clock


def make_known(p: QueuePolicy, clock: Clock, owner: str) -> None:
    """``owner`` has a history (standing 5) and was first seen ``known_age`` seconds ago."""
    p.seen(owner, ago=p.limits.known_age)
    p._standing[owner] = 5


# --- the policy --------------------------------------------------------------------------------

def test_a_learner_with_a_history_is_served_before_fresh_identities():
    p, clock = policy()
    for i in range(5):
        p.add(f"flood{i}", f"script{i}", standing=0, cost=10)
    p.seen("anna")                                   # her first page, a minute ago …
    clock.now += 60
    p.add("anna1", "anna", standing=4, cost=10)      # … and chapters visited, questions answered
    assert p.known("anna") and not p.known("script0")
    assert p.order()[0] == "anna1" and p.position("anna1") == 1
    assert p.pop()[0] == "anna1"
    assert p.pop()[0] == "flood0"                    # then the others, round robin as before


def test_known_needs_both_history_and_time():
    p, clock = policy(known_standing=3, known_age=60)
    p.add("x", "fast-script", standing=50)           # history made up in one second: not yet known
    assert not p.known("fast-script")
    clock.now += 59
    assert not p.known("fast-script")
    clock.now += 1
    assert p.known("fast-script")
    p.add("y", "reader", standing=2)                 # time alone is not enough either
    clock.now += 600
    p.seen("reader")
    assert not p.known("reader") and p.known("")     # the host is always known


def test_joining_a_waiting_run_of_a_known_learner_is_served_with_it():
    p, clock = policy()
    make_known(p, clock, "anna")
    p.add("new1", "script", cost=10)
    p.add("shared", "anna", standing=5, cost=10)
    p.add("shared", "script")                        # the same settings: joins, served in anna's turn
    assert p.order() == ["shared", "new1"]


def test_owner_rate_limit_counts_new_runs_in_a_sliding_window():
    p, clock = policy(per_owner=0, rate=3, rate_window=600)
    for i in range(3):
        p.add(f"a{i}", "anna")
        p.detach(f"a{i}", "anna")                    # cancelling does not give the run back
    with pytest.raises(QueueLimit) as err:
        p.add("a3", "anna")
    assert "in den letzten 10 Minuten schon 3 Trainings" in str(err.value)
    assert "in etwa 10 Minuten" in str(err.value)
    clock.now += 601
    p.add("a3", "anna")
    p.add("x", "")                                   # the host has no rate


def test_rate_alone_with_a_fake_clock():
    rate = Rate(2, 60)
    assert rate.wait(0) == 0
    rate.note(0)
    rate.note(10)
    assert rate.wait(30) == 30 and "in etwa 1 Minute" in rate.refusal(30)
    assert rate.wait(60) == 0 and not rate.idle(60)       # the first left the window, the second not yet
    assert rate.idle(70.5)


def test_new_identities_get_a_cap_and_a_full_queue_says_when_to_try_again():
    p, clock = policy(new_waiting=3, max_waiting=5)
    for i in range(3):
        p.add(f"flood{i}", f"script{i}", cost=40)
    with pytest.raises(QueueFull) as err:
        p.add("flood3", "script3", cost=40)
    assert str(err.value).startswith("Warteschlange voll: Gerade warten 3 Trainings.")
    assert err.value.retry_after == 40 and "in etwa 1 Minute wieder" in str(err.value)
    make_known(p, clock, "anna")
    p.add("anna1", "anna", standing=5, cost=100)     # known learners are not held by the new cap
    with pytest.raises(QueueFull) as err:
        p.add("flood4", "script4", cost=40)
    assert err.value.retry_after == 140               # anna's run, then the first new one
    make_known(p, clock, "ben")
    p.add("ben1", "ben", standing=5, cost=10)
    with pytest.raises(QueueFull) as err:             # 5 waiting: full for everybody but the host
        p.add("cora1", "cora", standing=5)
    assert "Gerade warten 5 Trainings" in str(err.value)
    p.add("pre", "", cost=100)
    assert len(p) == 6
    p.add("flood0", "script9")                       # joining a waiting run needs no place
    assert p.owners("flood0") == ["script0", "script9"]


def test_a_new_identity_cannot_queue_a_long_run():
    p, clock = policy(new_max_seconds=90)
    with pytest.raises(QueueLimit) as err:
        p.add("big", "script", cost=600)
    assert "10 min 00 s" in str(err.value) and "weniger Epochen" in str(err.value)
    make_known(p, clock, "anna")
    p.add("big", "anna", standing=5, cost=600)
    p.add("big", "script")                           # joining it is allowed


def test_waiting_runs_of_learners_who_left_are_dropped_but_never_the_hosts():
    p, clock = policy(gone_seconds=300)
    p.add("a1", "anna")
    p.add("b1", "ben")
    p.add("shared", "anna")
    p.add("shared", "cora")
    p.add("pre", "")
    p.add("pre", "ben")
    clock.now += 200
    p.seen("cora")
    clock.now += 101                                 # anna and ben left 301 s ago, cora 101 s ago
    assert p.drop_gone() == ["a1", "b1"]
    assert p.order() == ["shared", "pre"] or set(p.order()) == {"shared", "pre"}
    clock.now += 1000
    assert p.drop_gone() == ["shared"]
    assert list(p) == ["pre"] and p.is_host("pre")
    assert "anna" not in p._last and "cora" not in p._first     # forgotten: nothing waits for them


def test_remove_waiting_keeps_the_hosts_pretraining():
    p, clock = policy()
    p.add("a1", "anna")
    p.add("pre", "")
    p.add("b1", "ben")
    assert p.remove_waiting() == ["a1", "b1"] and list(p) == ["pre"]
    assert p.remove_waiting(keep_host=False) == ["pre"] and not len(p)


# --- the local trainer -------------------------------------------------------------------------

class Gate:
    def __init__(self):
        self.order = []
        self.release = threading.Event()
        self.started = threading.Semaphore(0)

    def __call__(self, spec, on_progress=None, every=10, stop_event=None):
        self.order.append(spec)
        self.started.release()
        while not self.release.wait(0.01):
            if stop_event is not None and stop_event.is_set():
                return TrainResult(spec, None, {"batches": [], "epochs": []}, 0.0, "stopped")
        return TrainResult(spec, "model", {"batches": [], "epochs": []}, 0.1)


def trainer(**limits) -> tuple[LocalTrainer, Gate, Clock]:
    gate, clock = Gate(), Clock()
    return LocalTrainer(backend=lambda threads: InProcess(gate), parallel=1, limits=Limits(**limits),
                        clock=clock), gate, clock


def spec(n: int):
    return BASE.with_(seed=100 + n)


def test_the_trainer_serves_a_known_learner_before_a_flood_of_new_identities():
    t, gate, clock = trainer()
    try:
        first = t.submit(spec(0), owner="script0")
        assert gate.started.acquire(timeout=5)
        for i in range(1, 20):
            t.submit(spec(i), owner=f"script{i}")
        t.seen("anna")
        clock.now += 61
        mine = t.submit(spec(99), owner="anna", standing=4)
        assert t.position(mine) == 1
        status = t.status()
        assert status.queue[0].spec == spec(99) and status.queue[0].known and not status.queue[1].known
        gate.release.set()
        assert mine.wait(5) and first.done
        assert gate.order[:2] == [spec(0), spec(99)]
    finally:
        gate.release.set()
        t.close()


def test_the_trainer_raises_queue_full_and_the_host_is_exempt():
    t, gate, clock = trainer(new_waiting=2)
    try:
        t.submit(spec(0), owner="s0")
        assert gate.started.acquire(timeout=5)       # trains: no longer waiting
        t.submit(spec(1), owner="s1")
        t.submit(spec(2), owner="s2")
        with pytest.raises(QueueFull):
            t.submit(spec(3), owner="s3")
        assert t.get(spec(3)) is None                 # refused before anything changed
        pre = t.submit(spec(4))                       # the host's pre-training
        assert pre.host and pre.state == "queued"
    finally:
        gate.release.set()
        t.close()


def test_the_trainer_drops_waiting_runs_of_learners_who_left():
    t, gate, clock = trainer(gone_seconds=300)
    try:
        t.submit(spec(0), owner="anna")
        assert gate.started.acquire(timeout=5)
        left = t.submit(spec(1), owner="ben")
        stays = t.submit(spec(2), owner="cora")
        pre = t.submit(spec(3))
        clock.now += 250
        t.seen("cora")                                 # cora's page ran (or her live view)
        clock.now += 60
        t.seen("dora")                                 # any call lets the trainer look
        assert left.state == "cancelled" and left.message == DROPPED_MESSAGE and not left.owners
        assert stays.state == "queued" and pre.state == "queued"
        assert [e.spec for e in t.status().queue] == [spec(3), spec(2)]     # the host is known: first
        clock.now += 3600
        t.status()
        assert stays.state == "cancelled" and pre.state == "queued"     # the host's run stays
    finally:
        gate.release.set()
        t.close()


def test_host_cancels_one_run_for_everybody_and_all_waiting_runs():
    t, gate, clock = trainer()
    try:
        running = t.submit(spec(0), owner="anna")
        assert gate.started.acquire(timeout=5)
        t.submit(spec(0), owner="ben")
        waiting = [t.submit(spec(i), owner=f"l{i}") for i in range(1, 4)]
        waiting[0] = t.submit(spec(1), owner="ben")
        pre = t.submit(spec(9))
        assert t.remove(running) and running.wait(5)
        assert running.state == "cancelled" and running.message == HOST_CANCELLED_MESSAGE
        assert gate.started.acquire(timeout=5)        # the slot took the next run
        nxt = next(j for j in (*waiting, pre) if j.state == "running")
        left = [j for j in (*waiting, pre) if j.state == "queued"]
        assert t.cancel_waiting() == len([j for j in left if not j.host])
        assert all(j.state == "cancelled" and j.message == HOST_CANCELLED_MESSAGE for j in left if not j.host)
        assert nxt.state == "running" and (pre is nxt or pre.state == "queued")
        assert not t.remove(running)                  # finished: nothing to cancel
    finally:
        gate.release.set()
        t.close()


def test_finished_runs_of_the_host_are_never_evicted():
    t, gate, clock = trainer()
    gate.release.set()
    t.max_jobs = 2
    try:
        pre = t.submit(spec(0))
        assert pre.wait(5)
        for i in range(1, 5):
            assert t.submit(spec(i), owner="anna").wait(5)
        assert t.get(spec(0)) is pre and t.get(spec(1)) is None
    finally:
        t.close()


def test_the_queue_cost_is_the_runs_price_on_an_idle_box():
    from tutorial import price
    assert queue_cost(BASE) == pytest.approx(price.price(BASE).seconds)
    assert queue_cost(BASE.with_(epochs=20)) > queue_cost(BASE)
