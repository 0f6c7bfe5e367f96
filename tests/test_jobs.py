"""The local trainer's rules with fake train functions (fast): fair order, the per-learner limit,
cancel, retry, parallel slots, status, finishing and time estimates."""
import dataclasses
import inspect
import threading
import time

import pytest

from tutorial import estimate, settings
from tutorial import price as P
from tutorial import layers as L
from tutorial import presets
from tutorial import spec as S
from tutorial.backend import Backend, InProcess, default_backend
from tutorial.jobs import LocalTrainer
from tutorial.queue_policy import Limits, QueueLimit, QueuePolicy
from tutorial.result import Cancelled, TrainResult
from tutorial.trainer import Trainer, TrainerStatus

pytestmark = pytest.mark.engine

BASE = presets.PRESETS["keras_01_mnist"]


def spec(n: int) -> S.RunSpec:
    return BASE.with_(seed=100 + n)


def local(train_fn, **options) -> LocalTrainer:
    """A local trainer whose slots train in this process with ``train_fn`` (a fake)."""
    return LocalTrainer(backend=lambda threads: InProcess(train_fn), **options)


class Gate:
    """A train function that blocks until released (or cancelled) and records what it trained."""

    def __init__(self):
        self.order, self.running = [], set()
        self.peak = 0
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.lock = threading.Lock()

    def __call__(self, spec, on_progress=None, every=10, stop_event=None):
        with self.lock:
            self.order.append(spec)
            self.running.add(spec)
            self.peak = max(self.peak, len(self.running))
        self.started.release()
        try:
            while not self.release.wait(0.01):
                if stop_event is not None and stop_event.is_set():
                    return TrainResult(spec, None, {"batches": [], "epochs": []}, 0.0, "stopped")
            if on_progress is not None:
                on_progress({"kind": "finishing"})
            return TrainResult(spec, "model", {"batches": [], "epochs": []}, 0.1, predictions=[1, 2])
        finally:
            with self.lock:
                self.running.discard(spec)

    def wait_started(self, n=1, timeout=5):
        for _ in range(n):
            assert self.started.acquire(timeout=timeout)


# --- the policy alone (what a Ray actor reuses) ---------------------------------------------------

def test_round_robin_serves_each_learner_in_turn():
    policy = QueuePolicy(Limits(per_owner=2))
    policy.add("a1", "anna")
    policy.add("a2", "anna")
    policy.add("b1", "ben")
    policy.add("c1", "cora")
    assert policy.order() == ["a1", "b1", "c1", "a2"]      # anna's second waits behind the others' first
    assert [policy.position(k) for k in ("a1", "b1", "c1", "a2")] == [1, 2, 3, 4]
    served = []
    while (item := policy.pop()) is not None:
        served.append(item[0])
        if item[0] == "a1":
            policy.add("a3", "anna")                        # comes back: behind everybody again
    assert served == ["a1", "b1", "c1", "a2", "a3"]


def test_an_equal_run_waits_once_and_keeps_its_place_for_the_others():
    policy = QueuePolicy()
    policy.add("x", "anna")
    policy.add("y", "ben")
    policy.add("x", "ben")
    assert len(policy) == 2 and policy.owners("x") == ["anna", "ben"]
    assert policy.detach("x", "anna") is False             # ben still waits for it
    assert policy.order() == ["y", "x"]
    assert policy.detach("x", "ben") is True and "x" not in policy


def test_third_waiting_run_of_a_learner_is_refused_in_german():
    policy = QueuePolicy(Limits(per_owner=2))
    policy.add("a1", "anna")
    policy.add("a2", "anna")
    with pytest.raises(QueueLimit) as err:
        policy.add("a3", "anna")
    assert "Warteschlange" in str(err.value) and "»Abbrechen«" in str(err.value)
    policy.add("a3", "")        # the host and scripts have no limit
    policy.add("a1", "anna")    # asking again for a run one already waits for is no new run
    assert policy.waiting("anna") == 2


# --- the Trainer ----------------------------------------------------------------------------------

def test_trainer_serves_learners_round_robin():
    gate = Gate()
    trainer = local(gate, parallel=1)
    first = trainer.submit(spec(0), owner="host")
    gate.wait_started()
    a1, a2 = trainer.submit(spec(1), "anna"), trainer.submit(spec(2), "anna")
    b1 = trainer.submit(spec(3), "ben")
    assert [trainer.position(j) for j in (first, a1, b1, a2)] == [0, 1, 2, 3]
    gate.release.set()
    assert a2.wait(5)
    assert gate.order == [spec(0), spec(1), spec(3), spec(2)]


def test_per_learner_limit_counts_waiting_runs_only():
    gate = Gate()
    trainer = local(gate, parallel=1)
    running = trainer.submit(spec(0), "anna")
    gate.wait_started()
    trainer.submit(spec(1), "anna")
    trainer.submit(spec(2), "anna")                     # the running one does not count
    with pytest.raises(QueueLimit):
        trainer.submit(spec(3), "anna")
    assert trainer.get(spec(3)) is None                  # nothing was queued
    assert trainer.submit(spec(3), "ben").state == "queued"
    assert trainer.submit(spec(0), "cora") is running   # joining a running run is always fine
    gate.release.set()
    assert trainer.get(spec(3)).wait(5)


def test_cancel_a_waiting_run_frees_the_learners_place():
    gate = Gate()
    trainer = local(gate, parallel=1)
    trainer.submit(spec(0), "ben")
    gate.wait_started()
    a1, a2 = trainer.submit(spec(1), "anna"), trainer.submit(spec(2), "anna")
    assert trainer.cancel(a1, "anna")
    assert a1.done and a1.state == "cancelled" and "abgebrochen" in a1.message
    assert trainer.position(a2) == 1
    trainer.submit(spec(3), "anna")                      # the freed place can be used again
    assert trainer.submit(spec(1), "anna") is a1         # kept as it is until retried …
    again = trainer.retry(spec(1), "ben")                # … then queued anew
    assert again is not a1 and again.state == "queued"
    gate.release.set()
    assert again.wait(5) and again.state == "done"
    assert spec(1) in gate.order and gate.order.count(spec(1)) == 1


def test_cancel_of_a_run_others_wait_for_only_detaches_the_learner():
    gate = Gate()
    trainer = local(gate, parallel=1)
    job = trainer.submit(spec(0), "anna")
    trainer.submit(spec(0), "ben")
    gate.wait_started()
    assert trainer.cancel(job, "anna")
    time.sleep(0.1)
    assert job.state == "running" and job.owners == {"ben"}
    waiting = trainer.submit(spec(1), "anna")
    trainer.submit(spec(1), "cora")
    assert trainer.cancel(waiting, "anna") and waiting.state == "queued"
    gate.release.set()
    assert job.wait(5) and job.state == "done" and waiting.wait(5) and waiting.state == "done"


def test_cancel_a_running_run_frees_the_slot_and_the_next_starts():
    gate = Gate()
    trainer = local(gate, parallel=1)
    running = trainer.submit(spec(0), "anna")
    gate.wait_started()
    nxt = trainer.submit(spec(1), "ben")
    assert trainer.cancel(running, "anna")
    assert running.wait(2)
    assert running.state == "cancelled" and running.result is None    # nothing half-trained kept
    gate.wait_started()
    assert nxt.state == "running" and trainer.status().running[0].spec == spec(1)
    assert not trainer.cancel(running, "anna")           # finished: nothing to cancel
    gate.release.set()
    assert nxt.wait(5)


def test_erneut_versuchen_while_the_cancelled_run_is_still_stopping_trains_it_anew():
    """A training child needs up to a second to stop: "Erneut versuchen" in that second must not join
    the dying run and end with "abgebrochen" again (the Ray table marks a cancelled run at once)."""
    started, let_stop = threading.Semaphore(0), threading.Event()
    calls = []

    def train(spec, on_progress=None, every=10, stop_event=None):
        calls.append(spec)
        started.release()
        if len(calls) == 1:                      # the first run stops slowly once cancelled
            while not stop_event.wait(0.01):
                pass
            let_stop.wait(5)
            raise Cancelled()
        return TrainResult(spec, "model", {"batches": [], "epochs": []}, 0.1, predictions=[1])

    trainer = local(train, parallel=1)
    first = trainer.submit(spec(0), "anna")
    assert started.acquire(timeout=5)
    assert trainer.cancel(first, "anna") and not first.done        # asked to stop, still stopping
    assert trainer.submit(spec(0), "ben") is first                 # a plain request gets the job as it is
    again = trainer.retry(spec(0), "ben")
    assert again is not first and trainer.get(spec(0)) is again
    let_stop.set()
    assert first.wait(5) and first.state == "cancelled"
    assert again.wait(5) and again.state == "done" and len(calls) == 2


def test_parallel_slots_never_exceed_n_and_equal_settings_train_once():
    gate = Gate()
    trainer = local(gate, parallel=2)
    jobs = [trainer.submit(spec(i), f"learner{i}") for i in range(5)]
    jobs += [trainer.submit(spec(i), f"other{i}") for i in range(5)]
    gate.wait_started(2)
    time.sleep(0.2)
    assert len(gate.running) == 2 and len(trainer.status().running) == 2
    assert len(trainer.status().queue) == 3
    gate.release.set()
    assert all(j.wait(5) for j in jobs)
    assert gate.peak == 2 and len(gate.order) == 5 and trainer.trainings_started == 5


def test_failed_run_is_kept_until_retry_and_clear_failed_forgets_it():
    calls = []

    def failing(spec, on_progress=None, every=10, stop_event=None):
        calls.append(spec)
        raise MemoryError("kein Speicher")

    trainer = local(failing, parallel=1)
    job = trainer.submit(spec(0), "anna")
    assert job.wait(5) and job.state == "failed" and "kein Speicher" in job.message
    assert trainer.submit(spec(0), "anna") is job and len(calls) == 1
    assert trainer.status().failed == 1
    assert trainer.clear_failed() == 1 and trainer.get(spec(0)) is None
    again = trainer.retry(spec(0), "anna")
    assert again is not job and again.wait(5) and len(calls) == 2


def test_finishing_is_its_own_phase_and_the_predictions_come_with_the_result():
    phase = threading.Event()
    go_on = threading.Event()

    def train(spec, on_progress=None, every=10, stop_event=None):
        on_progress({"kind": "batch", "step": 1, "epoch": 1.0, "loss": 1.0, "accuracy": 0.5})
        on_progress({"kind": "finishing"})
        phase.set()
        go_on.wait(5)
        return TrainResult(spec, None, {"batches": [], "epochs": []}, 1.0, predictions=[3, 4, 5])

    trainer = local(train, parallel=1)
    job = trainer.submit(BASE.with_(limit=128, epochs=1), "anna")
    assert phase.wait(5)
    snap = job.snapshot()
    assert snap["state"] == "finishing" and snap["remaining"] is not None and snap["remaining"] > 0
    go_on.set()
    assert job.wait(5) and job.state == "done" and job.result.predictions == [3, 4, 5]


def test_status_lists_the_queue_with_owners_and_positions():
    gate = Gate()
    trainer = local(gate, parallel=1)
    trainer.submit(spec(0), "anna")
    gate.wait_started()
    trainer.submit(spec(1), "ben")
    trainer.submit(spec(2), "anna")
    status = trainer.status()
    assert [(q.owners, q.position) for q in status.queue] == [(("ben",), 1), (("anna",), 2)]
    assert status.running[0].owners == ("anna",) and status.parallel == 1 and status.backend == "local"
    assert status.server_mb > 0 and status.cluster is None
    gate.release.set()


# --- the contracts: backend and trainer protocols -------------------------------------------------

BACKEND_MEMBERS = {name for name in vars(Backend) if not name.startswith("_")}


class StrictBackend:
    """A fake backend with exactly the members of the Backend protocol; it records every member
    the trainer touches (an attribute outside the protocol would be recorded too, and fail)."""

    def __init__(self, touched: list):
        self._touched, self._child = touched, None
        self._release = threading.Event()

    def __getattribute__(self, name):
        if not name.startswith("_"):
            object.__getattribute__(self, "_touched").append(name)
        return object.__getattribute__(self, name)

    def train(self, spec, on_progress=None, every=10, stop_event=None, time_limit=None, memory_mb=None):
        self._guards = (time_limit, memory_mb)
        on_progress({"kind": "batch", "step": 1, "epoch": 0.1, "loss": 1.0, "accuracy": 0.5})
        while not self._release.wait(0.01):
            if stop_event is not None and stop_event.is_set():
                raise Cancelled()
        return TrainResult(spec, "model", {"batches": [], "epochs": []}, 0.1)

    def start(self, keep=True):
        self._child = 4242

    def wait_ready(self, timeout=120):
        return True

    def start_estimate(self):
        return 1.5

    @property
    def child_pid(self):
        return self._child

    def idle(self):
        pass

    def close(self):
        self._child = None


def test_the_local_trainer_uses_its_backend_through_the_protocol_only():
    touched, made = [], []

    def factory(threads):
        made.append(threads)
        backend = StrictBackend(touched)
        made.append(backend)
        return backend

    assert isinstance(StrictBackend([]), Backend)
    trainer = LocalTrainer(backend=factory, parallel=1, threads=3, idle_seconds=0.2)
    assert made[0] == 3                                    # the factory gets the threads per training
    backend = made[1]
    trainer.warm_start().join(5)                           # start(keep=True), wait_ready
    job = trainer.submit(spec(0), "anna")                  # start_estimate, train
    while job.step == 0:
        time.sleep(0.01)
    assert job.clock.start == 1.5
    assert backend._guards[0] >= 60 and backend._guards[1] > 700    # a learner's run: time limit, predicted MB
    status = trainer.status()                              # child_pid
    assert [c.pid for c in status.children] == [4242] and status.running[0].slot == 0
    assert trainer.cancel(job, "anna") and job.wait(5) and job.state == "cancelled"
    other = trainer.submit(spec(1), "ben")
    backend._release.set()
    assert other.wait(5) and other.state == "done"
    for _ in range(200):                                   # idle_seconds later the slot gives memory back
        if "idle" in touched:
            break
        time.sleep(0.02)
    trainer.close()                                        # close
    assert set(touched) == BACKEND_MEMBERS, set(touched) ^ BACKEND_MEMBERS


def test_every_backend_implements_the_backend_protocol():
    from tutorial.worker import ProcessTrainer
    for backend in (ProcessTrainer(), InProcess(), default_backend(1)):
        assert isinstance(backend, Backend)
        for name in BACKEND_MEMBERS - {"child_pid"}:
            assert _parameters(getattr(type(backend), name)) == _parameters(getattr(Backend, name)), name
        backend.close()


def _parameters(function) -> list:
    return [(p.name, p.default) for p in inspect.signature(function).parameters.values()]


def test_both_trainers_implement_the_trainer_protocol_and_report_a_trainer_status(monkeypatch):
    from tutorial.cluster.client import RayTrainer
    from tutorial.cluster.config import ClusterUnreachable

    def unreachable(self, method, *args, timeout=None):
        raise ClusterUnreachable("Verbindung abgelehnt")

    monkeypatch.setattr(RayTrainer, "_call", unreachable)
    members = [name for name in vars(Trainer) if not name.startswith("_")]
    assert {"submit", "retry", "cancel", "get", "position", "status", "clear_failed", "warm_start",
            "close"} <= set(members)
    gate = Gate()
    for trainer in (local(gate, parallel=1), RayTrainer("127.0.0.1:1")):
        assert isinstance(trainer, Trainer)
        for name in members:
            assert _parameters(getattr(type(trainer), name)) == _parameters(getattr(Trainer, name)), name
        status = trainer.status()
        assert isinstance(status, TrainerStatus) and status.memory_mb >= status.server_mb > 0
        trainer.close()
    assert status.backend == "ray" and not status.cluster.connected and "127.0.0.1:1" in status.cluster.message


# --- settings and estimates -----------------------------------------------------------------------

def test_parallel_trainings_from_value_env_or_machine(monkeypatch):
    monkeypatch.delenv("TUTORIAL_PARALLEL_TRAININGS", raising=False)
    assert settings.parallel_trainings(3) == 3
    monkeypatch.setenv("TUTORIAL_PARALLEL_TRAININGS", "4")
    assert settings.parallel_trainings() == 4
    assert settings.parallel_trainings("kaputt") == 4      # a bad value falls back to the next source
    monkeypatch.setenv("TUTORIAL_PARALLEL_TRAININGS", "")
    monkeypatch.setattr(settings, "cores", lambda: 2)
    assert settings.parallel_trainings() == 1             # a 2-core box trains one at a time
    monkeypatch.setattr(settings, "cores", lambda: 16)
    monkeypatch.setattr(settings, "available_mb", lambda: 16000)
    monkeypatch.setattr(settings, "memory_limit_mb", lambda value=None: 16000)
    assert settings.parallel_trainings() == 7             # 2,000 MB (the memory cap) per training beside the server
    monkeypatch.setattr(settings, "available_mb", lambda: 18000)
    assert settings.parallel_trainings() == 8
    monkeypatch.setattr(settings, "available_mb", lambda: 3000)
    assert settings.parallel_trainings() == 1             # memory limits too
    assert settings.threads_per_training(8) == 2


def test_warm_start_setting(monkeypatch):
    monkeypatch.delenv("TUTORIAL_WARM_START", raising=False)
    assert settings.warm_start() is True
    monkeypatch.setenv("TUTORIAL_WARM_START", "0")
    assert settings.warm_start() is False
    assert settings.warm_start(1) is True          # a value from st.secrets wins


def test_estimate_before_the_first_step_is_the_price_times_the_factor():
    full = presets.PRESETS["keras_01_mnist"]
    clock = estimate.Clock(full, start=0.0)
    clock.begin(now=0.0)
    first = clock.remaining(now=0.0)
    assert first == pytest.approx(P.price(full).seconds - P.START + 0.5, rel=0.01)   # the idle price, started
    slow = estimate.Clock(full, factor=2.0, start=0.0)
    slow.begin(now=0.0)
    assert slow.remaining(now=0.0) == pytest.approx(2 * (first - 0.5) + 0.5, rel=0.01)
    quick = estimate.Clock(full.quick(), start=0.0)
    quick.begin(now=0.0)
    assert quick.remaining(now=0.0) < first / 2
    conv = estimate.Clock(presets.PRESETS["keras_04_mnist_convolutional"], start=0.0)
    conv.begin(now=0.0)
    assert conv.remaining(now=0.0) > 5 * first


def test_estimate_uses_the_measured_rate_after_warm_up():
    spec_ = BASE.with_(limit=12800, epochs=2)            # 100 steps per epoch
    clock = estimate.Clock(spec_, start=5.0)
    clock.begin(now=0.0)
    clock.record({"kind": "batch", "step": 10}, now=8.0)  # compile time before the first report
    clock.record({"kind": "batch", "step": 60}, now=13.0)  # then 0.1 s per step
    left = clock.estimate(now=13.0)
    expected = 140 * 0.1 + 2 * clock.val_seconds() + clock.prior["finish"]
    assert left == pytest.approx(expected, rel=0.01)
    clock.record({"kind": "batch", "step": 100}, now=17.0)
    clock.record({"kind": "epoch", "epoch": 1, "step": 100}, now=19.0)   # 2 s validation
    assert clock.val_seconds() == pytest.approx(2.0)
    assert clock.rate() == pytest.approx(0.1)
    clock.record({"kind": "finishing"}, now=40.0)
    assert clock.estimate(now=40.0) == pytest.approx(max(0.5, clock.prior["finish"]))


def test_the_shown_remaining_time_never_goes_up_and_ends_near_the_real_end():
    # chapter 3's bar showed 20 → 40 → 37 → 22 s: a prior that was too low, then a noisy measured rate
    spec_ = presets.PRESETS["keras_04_mnist_convolutional"].with_(limit=12800, epochs=3)   # 300 steps
    clock = estimate.Clock(spec_, start=1.0)
    prior = clock.prior
    clock.begin(now=0.0)
    shown, raw, now, step = [], [], 1.0, 0
    rates = [2, 6, 1, 4, 2] * 6                          # the real rate jumps around 3× the prior's step
    while step < 300:
        now += 10 * rates[step // 10] * prior["step"]
        step += 10
        clock.record({"kind": "batch", "step": step}, now=now)
        if step % 100 == 0:
            now += 3 * prior["val"]
            clock.record({"kind": "epoch", "epoch": step // 100, "step": step}, now=now)
        raw.append(clock.estimate(now=now))
        shown.append((now, clock.remaining(now=now)))
        assert clock.remaining(now=now) == shown[-1][1]  # another page asking at the same moment
    assert max(b - a for a, b in zip(raw, raw[1:])) > 0.2 * raw[0]   # the raw estimate does jump up …
    values = [v for _, v in shown]
    assert all(b <= a for a, b in zip(values, values[1:]))                  # … the shown one never goes up
    for (t0, a), (t1, b) in zip(shown, shown[1:]):
        assert a - b <= estimate.FALL[1] * (t1 - t0) + 1e-9                 # nor falls faster than 3× real time
        assert a - b >= min(a - 0.5, estimate.FALL[0] * (t1 - t0)) - 1e-9  # and it never stands still
    assert values[-1] < 0.2 * values[0]                 # at the last step it is nearly done


def test_start_wait_counts_the_runs_ahead_over_the_slots_with_the_machine_factor():
    from tutorial.trainer import QueueEntry, RunningEntry
    dense, conv = presets.PRESETS["keras_02_mnist_dense"], presets.PRESETS["keras_04_mnist_convolutional"]
    idle = TrainerStatus("local", 1, 2)
    assert estimate.start_wait(idle) == 0.0
    running = RunningEntry(conv, ("a",), "running", 100, 1000, 50.0)
    busy = TrainerStatus("local", 1, 2, queue=(QueueEntry(dense, ("b",), 1, 3.0),), running=(running,), factor=2.0)
    assert estimate.start_wait(busy) == pytest.approx(50 + 2 * P.price(dense).seconds)
    two = TrainerStatus("local", 2, 1, queue=(QueueEntry(dense, ("b",), 1, 3.0),), running=(running,), factor=2.0)
    assert estimate.start_wait(two) == pytest.approx(2 * P.price(dense).seconds)   # the free slot takes it
    unknown = dataclasses.replace(running, remaining=None, step=500)         # Ray: another server's run
    ray = TrainerStatus("ray", 1, 2, running=(unknown,))
    assert estimate.start_wait(ray) == pytest.approx(0.5 * P.price(conv).seconds)


# --- the guards of a learner's run (issue 20): price, time limit, memory, result bytes ------------

MONSTER = S.RunSpec(layers=(L.Reshape(), *[L.Conv2D(128, 9, 1, "same", "relu") for _ in range(4)], L.Flatten(),
                            L.Dense(1000, "relu"), L.Dense(10, "softmax")))


def test_a_learners_run_above_the_caps_is_refused_before_it_is_queued_the_hosts_is_not():
    gate = Gate()
    trainer = local(gate, parallel=1, caps=P.Caps(10_000_000, 2000, 15))
    with pytest.raises(P.TrainingRefused) as refused:
        trainer.submit(MONSTER, "anna")
    assert "104.355.202 Parameter" in str(refused.value)
    assert trainer.get(MONSTER) is None and not trainer.status().queue and gate.order == []
    with pytest.raises(P.TrainingRefused):
        trainer.retry(MONSTER, "anna")
    long = presets.PRESETS["keras_05_mnist_batch_norm"].with_(epochs=200)
    with pytest.raises(P.TrainingRefused, match="Epochen"):
        trainer.submit(long, "anna")
    host = trainer.submit(long)                              # the host's pre-training is exempt
    gate.wait_started()
    assert host.state == "running" and trainer.submit(long, "anna") is host    # joining costs nothing
    gate.release.set()
    assert host.wait(5)
    trainer.close()


def test_the_backend_gets_the_guards_of_a_learners_run_and_none_for_the_hosts():
    seen = []

    class Recording(InProcess):
        def train(self, spec, on_progress=None, every=10, stop_event=None, time_limit=None, memory_mb=None):
            seen.append((spec, time_limit, memory_mb))
            return TrainResult(spec, "model", {"batches": [], "epochs": []}, 0.1)

    trainer = LocalTrainer(backend=lambda threads: Recording(), parallel=1, threads=1,
                           limits=Limits(new_max_seconds=3600))
    conv = presets.PRESETS["keras_04_mnist_convolutional"]
    assert trainer.submit(conv, "anna").wait(5) and trainer.submit(spec(1)).wait(5)
    (_, limit, mb), (_, host_limit, host_mb) = seen
    cost = P.price(conv)
    assert limit == pytest.approx(2 * cost.seconds * 2) and mb == pytest.approx(cost.memory_mb)   # 1 thread: ×2
    assert host_limit is None and host_mb is None
    trainer.close()


def test_a_run_stopped_by_a_guard_fails_with_its_german_message_as_it_is():
    from tutorial.result import Stopped, memory_message

    def too_big(spec, on_progress=None, every=10, stop_event=None):
        raise Stopped(memory_message(2500))

    trainer = local(too_big, parallel=1)
    job = trainer.submit(spec(0), "anna")
    assert job.wait(5) and job.state == "failed"
    assert job.message == memory_message(2500) and "2.500 MB" in job.message and "Fehler" not in job.message
    trainer.close()


def test_finished_results_are_forgotten_by_their_bytes_never_the_hosts():
    def weighty(spec, on_progress=None, every=10, stop_event=None):
        return TrainResult(spec, None, {"batches": [], "epochs": []}, 0.1, weights=bytes(1000))

    trainer = local(weighty, parallel=1, max_bytes=2500)
    host = trainer.submit(spec(0))                         # the host's pre-training: kept whatever it weighs
    assert host.wait(5)
    jobs = []
    for n in range(1, 5):
        jobs.append(trainer.submit(spec(n), "anna"))
        assert jobs[-1].wait(5)
    kept = [n for n in range(5) if trainer.get(spec(n)) is not None]
    assert kept == [0, 3, 4]           # 3 × 1,000 learners' bytes would be more than 2,500: the oldest go
    assert trainer.get(spec(0)) is host
    trainer.close()
