"""Training in a child process: results come back, the child is reused, replaced and survives failure.

Most tests share ONE child (fixture ``shared``: a kept ProcessTrainer, started from a thread that ends):
each child imports TensorFlow and loads the digits (~6 s of CPU), and what these tests check – reuse,
errors, cancel at a batch, the time limit, a kill – happens to a child that has served before, as on a
server. Tests that need a cold child, a fresh spawn or a memory limit from the start make their own."""
import os
import signal
import threading
import time

import numpy as np
import pytest

from tutorial import presets
from tutorial import layers as L
from tutorial import spec as S
from tutorial.jobs import LocalTrainer
from tutorial.models import predict_proba
from tutorial.worker import CHILD_DIED, ProcessTrainer

pytestmark = [pytest.mark.engine, pytest.mark.slow]   # every test starts a training child

TINY = dict(limit=256, epochs=1, val_limit=200)


@pytest.fixture(scope="module")
def shared():
    """The module's kept child, started from a thread that has ended (as a warm start or a slot thread
    does: PR_SET_PDEATHSIG follows the thread that started the child, the child must not go with it).
    No recycling here: a test's child count must not depend on what the tests before it trained."""
    trainer = ProcessTrainer(recycle_mb=float("inf"))
    starter = threading.Thread(target=trainer.start)
    starter.start()
    starter.join()
    assert trainer.wait_ready(120)
    first = trainer.child_pid
    time.sleep(1.5)              # the starting thread has ended: is its child still there?
    trainer.kept_after_thread = first is not None and trainer.child_pid == first and not _gone(first)
    yield trainer
    trainer.close()
    assert trainer.child_pid is None


def running_job(process_trainer, spec):
    """A local trainer over ``process_trainer``, and the job for ``spec`` once its first step is reported."""
    trainer = LocalTrainer(backend=lambda threads: process_trainer, every=1, parallel=1)
    job = trainer.submit(spec)
    while not job.done and job.snapshot()["step"] == 0:
        job.wait(0.2)
    return process_trainer, trainer, job


def test_a_child_started_from_a_thread_that_ends_keeps_running(shared):
    assert shared.kept_after_thread          # checked by the fixture 1,5 s after the thread ended
    started = shared.children_started
    assert shared.train(presets.PRESETS["keras_01_mnist"].with_(**TINY)).status == "done"
    assert shared.children_started == started


def test_child_trains_reports_progress_and_returns_a_usable_model(shared):
    trainer, started = shared, shared.children_started
    records = []
    spec = presets.PRESETS["keras_02_mnist_dense"].with_(limit=640, epochs=2, val_limit=200)
    result = trainer.train(spec, on_progress=records.append, every=2)
    child = trainer.child_pid
    assert child is not None and child != os.getpid()
    assert result.status == "done" and [e["epoch"] for e in result.history["epochs"]] == [1, 2]
    assert result.predictions.shape == (200,) and result.weights   # the model loads on first use
    assert [r["kind"] for r in records].count("epoch") == 2 and any(r["kind"] == "batch" for r in records)
    assert records[-1]["kind"] == "finishing"      # the finishing phase arrives as a progress record
    probs = predict_proba(result.model, np.zeros((3, 784), np.float32))
    assert probs.shape == (3, 10) and np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    assert S.param_count(spec) == result.model.count_params()
    trainer.train(spec.with_(seed=7))
    assert trainer.child_pid == child and trainer.children_started == started   # reused


def test_child_is_replaced_once_it_has_grown_past_the_limit_after_its_result():
    trainer = ProcessTrainer(recycle_mb=0, recycle_delay=3.0)   # every child is "too big" after its job
    try:
        spec = presets.PRESETS["keras_01_mnist"].with_(**TINY)
        assert trainer.train(spec).status == "done"
        first = trainer.child_pid
        assert first is not None                   # the result came back before the child is replaced
        assert trainer.train(spec.with_(seed=2)).status == "done"   # a task within the delay: replaced first
        second = trainer.child_pid
        assert trainer.children_started == 2 and second not in (None, first)
        deadline = time.time() + 30
        while trainer.child_pid is not None and time.time() < deadline:
            time.sleep(0.1)
        assert trainer.child_pid is None           # … and a moment after its result, the grown child is gone
        assert trainer.children_started == 2
    finally:
        trainer.close()


def test_errors_and_nan_stops_in_the_child_come_back_and_the_child_keeps_serving(shared):
    trainer, started = shared, shared.children_started
    broken = S.RunSpec(layers=(L.Reshape(), L.Conv2D(8, 9, 3, "valid"), L.Conv2D(8, 9, 3, "valid"),
                               L.Flatten(), L.Dense(10, "softmax")), **TINY)
    try:
        trainer.train(broken)
    except RuntimeError as exc:
        assert str(exc)
    else:
        raise AssertionError("an impossible model trained")
    nan = trainer.train(presets.PRESETS["keras_02_mnist_dense"].with_(optimizer="sgd", learning_rate=1e8, limit=384, epochs=2,
                                                         val_limit=500))
    assert nan.status == "nan" and "NaN" in nan.message   # the German stop message comes back too
    assert trainer.train(presets.PRESETS["keras_01_mnist"].with_(**TINY)).status == "done"
    assert trainer.children_started == started


def test_a_killed_child_fails_the_job_in_german_and_the_next_job_gets_a_new_child(shared):
    started = shared.children_started
    spec = presets.PRESETS["keras_05_mnist_batch_norm"].with_(limit=6400, epochs=3, val_limit=200)
    process_trainer, trainer, job = running_job(shared, spec)
    os.kill(process_trainer.child_pid, signal.SIGKILL)   # what the kernel's OOM killer would do
    assert job.wait(60)
    assert job.state == "failed" and CHILD_DIED in job.message
    again = trainer.submit(presets.PRESETS["keras_01_mnist"].with_(**TINY))
    assert again.wait(120) and again.state == "done"
    assert process_trainer.children_started == started + 1


def test_cancel_stops_the_running_child_within_a_second_and_the_next_job_starts(shared):
    spec = presets.PRESETS["keras_02_mnist_dense"].with_(limit=12800, epochs=5, val_limit=200)
    process_trainer, trainer, job = running_job(shared, spec)
    nxt = trainer.submit(presets.PRESETS["keras_01_mnist"].with_(**TINY), owner="ben")
    child = process_trainer.child_pid
    assert trainer.cancel(job)
    assert job.wait(5)     # a generous bound: how fast it stops is measured in benchmarks/
    assert job.state == "cancelled" and job.result is None and "abgebrochen" in job.message
    assert nxt.wait(120) and nxt.state == "done"          # the slot was free for the next one
    assert process_trainer.child_pid == child             # stopped at a batch: the child stays
    assert len(job.history["epochs"]) < 5


def test_a_child_that_does_not_answer_a_cancel_is_killed(monkeypatch):
    # a cancel during the first step's tracing (here: the child's start) cannot stop at a batch
    process_trainer = ProcessTrainer()
    trainer = LocalTrainer(backend=lambda threads: process_trainer, every=1, parallel=1)
    try:
        job = trainer.submit(presets.PRESETS["keras_01_mnist"].with_(**TINY))
        time.sleep(0.3)
        child = process_trainer.child_pid
        assert child is not None
        trainer.cancel(job)
        assert job.wait(5) and job.state == "cancelled"
        time.sleep(0.2)
        assert not os.path.exists(f"/proc/{child}") or open(f"/proc/{child}/stat").read().split()[2] == "Z"
    finally:
        process_trainer.close()


def test_warm_start_returns_at_once_and_the_child_gets_ready_in_the_background():
    loaded = threading.Event()
    trainer = LocalTrainer(parallel=1)
    try:
        trainer.warm_start(load=[loaded.set])
        assert not loaded.is_set()                             # returned before the child was ready
        slot_trainer = trainer._slots[0].backend
        for _ in range(100):
            if slot_trainer.child_pid:
                break
            time.sleep(0.05)
        assert slot_trainer.child_pid is not None and slot_trainer.keep
        assert slot_trainer.wait_ready(90)                     # TensorFlow, data and a tiny fit done …
        assert loaded.wait(5)                                  # … then the server's own loaders ran
        job = trainer.submit(presets.PRESETS["keras_01_mnist"].with_(**TINY))
        assert job.wait(120) and job.state == "done"
        assert slot_trainer.children_started == 1              # the warm child trained it
        assert job.result.predictions.shape == (TINY["val_limit"],)
    finally:
        trainer.close()


def test_the_child_never_runs_the_parents_main_script(tmp_path, monkeypatch):
    # Streamlit makes the page script that ran last the process's __main__; multiprocessing's spawn
    # would run it again in the child. The child must start from tutorial.worker alone.
    import sys
    import types
    page = tmp_path / "page.py"
    page.write_text("raise SystemExit('the page script ran in the training child')\n")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(page)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    trainer = ProcessTrainer()
    try:
        assert trainer.train(presets.PRESETS["keras_01_mnist"].with_(**TINY)).status == "done"
    finally:
        trainer.close()


# --- the guards (issue 20): time limit, memory watchdog, a child never outlives its server ----------

def test_a_run_past_its_time_limit_stops_in_the_child_and_keeps_its_curves(shared):
    trainer, started = shared, shared.children_started                      # a warm child
    spec = presets.PRESETS["keras_02_mnist_dense"].with_(limit=12800, epochs=30, val_limit=200)   # 3,000 steps
    t0 = time.monotonic()
    result = trainer.train(spec, every=1, time_limit=8.0)     # counted from the task: build and trace too
    took = time.monotonic() - t0
    print(f"time limit 8 s: result after {took:.1f} s, {len(result.history['epochs'])} epochs")
    assert result.status == "timeout" and "angehalten" in result.message
    assert result.history["batches"] and len(result.history["epochs"]) < spec.epochs
    assert result.predictions.shape == (200,) and result.weights       # the model so far comes back
    assert trainer.children_started == started                           # the child keeps serving


def test_a_child_above_its_memory_limit_is_killed_and_replaced_and_the_job_fails_in_german():
    from tutorial.result import Stopped
    spec = presets.PRESETS["keras_01_mnist"].with_(**TINY)
    process_trainer = ProcessTrainer(memory_mb=400)          # a fresh child alone needs ~700 MB
    trainer = LocalTrainer(backend=lambda threads: process_trainer, every=1, parallel=1)
    try:
        t0 = time.monotonic()
        job = trainer.submit(spec, owner="anna")
        assert job.wait(60) and job.state == "failed"
        print(f"memory limit 400 MB: child killed at {process_trainer.peak_mb:.0f} MB, "
              f"job failed after {time.monotonic() - t0:.1f} s")
        assert "400 MB" in job.message and "Arbeitsspeicher" in job.message and "Fehler" not in job.message
        assert process_trainer.peak_mb > 400 and process_trainer.child_pid is None    # killed, not kept
        with pytest.raises(Stopped):
            process_trainer.train(spec.with_(seed=5))
        process_trainer.memory_mb = None
        assert process_trainer.train(spec.with_(seed=6)).status == "done"
        assert process_trainer.children_started == 3                          # a new child each time
    finally:
        process_trainer.close()


def test_a_reused_child_that_sits_high_is_replaced_before_a_run_that_would_not_fit(shared, monkeypatch):
    from tutorial import worker
    trainer, started = shared, shared.children_started
    monkeypatch.setattr(trainer, "memory_mb", 2000)
    monkeypatch.setattr(trainer, "replaced_for_memory", 0)
    spec = presets.PRESETS["keras_01_mnist"].with_(**TINY)
    assert trainer.train(spec).status == "done"
    first = trainer.child_pid
    real, asked = worker.rss_mb, []

    def grown(pid):                       # the reused child says 1,950 MB once: 1,950 - 700 + 800 > 2,000
        asked.append(pid)
        return 1950.0 if len(asked) == 1 else real(pid)

    monkeypatch.setattr(worker, "rss_mb", grown)
    assert trainer.train(spec.with_(seed=2), memory_mb=800).status == "done"
    assert asked[0] == first and trainer.child_pid != first
    assert trainer.replaced_for_memory == 1 and trainer.children_started == started + 1
    assert trainer.train(spec.with_(seed=3), memory_mb=800).status == "done"   # fits now: reused
    assert trainer.children_started == started + 1


PARENT = r"""
import sys, threading, time
from tutorial import layers as L, spec as S
from tutorial.worker import ProcessTrainer
# one step takes ~1 s on an idle box: the parent dies in the middle of a long TensorFlow step
spec = S.RunSpec(layers=(L.Reshape(), *[L.Conv2D(32, 9, 1, "same", "relu") for _ in range(3)], L.Flatten(),
                         L.Dense(10, "relu"), L.Dense(10, "softmax")), batch_size=256, limit=25600, val_limit=200)
trainer = ProcessTrainer()
said = []
def report(record):
    if record["kind"] == "batch" and not said:
        said.append(1)
        print(trainer.child_pid, flush=True)
threading.Thread(target=lambda: trainer.train(spec, on_progress=report, every=1), daemon=True).start()
time.sleep(600)
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")     # exited (a zombie until reaped)
    except OSError:
        return True


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_the_training_child_ends_within_seconds_when_its_server_is_killed(sig):
    import subprocess
    import sys
    from tutorial.paths import ROOT
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = parent.stdout.readline()                     # the child trains (its first step is done)
        child = int(line)
        assert not _gone(child)
        time.sleep(0.5)                                     # now inside a later step
        t0 = time.monotonic()
        parent.send_signal(sig)
        parent.wait(10)
        while not _gone(child) and time.monotonic() - t0 < 30:
            time.sleep(0.05)
        took = time.monotonic() - t0
        print(f"{sig.name}: child {child} gone {took:.2f} s after the server")
        assert _gone(child) and took < 5
    finally:
        parent.kill()
        parent.wait()


def test_a_child_that_stays_silent_far_past_its_time_limit_is_killed_by_the_parent(monkeypatch):
    # the child's own time limit acts only at a batch end; here the parent's backstop fires while a
    # cold child still imports TensorFlow (no batch yet), as it would for a child stuck in one step
    import tutorial.worker as W
    from tutorial.result import Stopped
    monkeypatch.setattr(W, "HARD_GRACE", 0.0)
    trainer = ProcessTrainer()
    try:
        with pytest.raises(Stopped) as stopped:
            trainer.train(presets.PRESETS["keras_01_mnist"].with_(**TINY), time_limit=0.4)
        assert "Zeitgrenze" in str(stopped.value) and trainer.child_pid is None
        assert trainer.train(presets.PRESETS["keras_01_mnist"].with_(**TINY)).status == "done"   # serves on
    finally:
        trainer.close()
