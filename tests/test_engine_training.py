"""Training on small subsets, NaN handling, the shared job queue, the CLI and the pretrained models."""
import io
import json
import subprocess
import sys
import threading

import numpy as np
import pytest

from tutorial import data, pretrained
from tutorial import presets
from tutorial.backend import InProcess
from tutorial.jobs import LocalTrainer
from tutorial.result import TrainResult
from tutorial.training import train

pytestmark = pytest.mark.engine

TINY = dict(limit=384, epochs=2, val_limit=500)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_training_lowers_loss_and_reports_progress():
    spec = presets.PRESETS["keras_02_mnist_dense"].with_(**TINY)
    records = []
    result = train(spec, on_progress=records.append, every=1)
    assert result.status == "done"
    batches = [r for r in records if r["kind"] == "batch"]
    epochs = [r for r in records if r["kind"] == "epoch"]
    assert len(batches) == spec.steps_per_epoch * spec.epochs == 6
    assert [r["step"] for r in batches] == list(range(1, 7))
    assert len(epochs) == 2 and {"val_loss", "val_accuracy", "lr"} <= set(epochs[0])
    assert epochs[1]["loss"] < epochs[0]["loss"]
    assert epochs[1]["val_accuracy"] > 0.3
    assert result.history["epochs"] == [{k: v for k, v in r.items() if k != "kind"} for r in epochs]
    assert records[-1]["kind"] == "finishing"           # after the last step: its own phase
    # the test digits' predictions come with the result, so the server need not run the model
    images, labels = data.load_arrays("test")
    assert result.predictions.shape == (spec.val_size,)
    expected = result.model.predict(data.to_model_input(images[:spec.val_size]), verbose=0).argmax(axis=1)
    assert (result.predictions == expected).all()
    assert np.mean(result.predictions == labels[:spec.val_size]) == pytest.approx(epochs[-1]["val_accuracy"], abs=1e-6)
    assert result.font_predictions.shape == (24,)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_learning_rate_schedule_is_applied():
    spec = presets.PRESETS["ex_08_lr_decay"].with_(limit=256, epochs=3, val_limit=200)
    result = train(spec)
    lrs = [e["lr"] for e in result.history["epochs"]]
    assert lrs == pytest.approx([0.01, 0.006, 0.0036])
    assert float(result.model.optimizer.learning_rate) == pytest.approx(0.0036)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_nan_loss_stops_cleanly():
    spec = presets.PRESETS["keras_02_mnist_dense"].with_(optimizer="sgd", learning_rate=1e8, **TINY)
    result = train(spec)
    assert result.status == "nan"
    assert "NaN" in result.message and "Lernrate" in result.message
    assert len(result.history["epochs"]) < spec.epochs or not np.isfinite(result.history["epochs"][-1]["loss"])


@pytest.mark.slow      # a real training child
def test_concurrent_requests_train_once():
    trainer = LocalTrainer(parallel=1)
    spec = presets.PRESETS["keras_01_mnist"].with_(limit=256, epochs=1, val_limit=200)
    jobs = []
    threads = [threading.Thread(target=lambda: jobs.append(trainer.submit(spec))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(j) for j in jobs}) == 1
    job = jobs[0]
    assert job.wait(timeout=120)
    assert job.state == "done" and job.result.status == "done"
    assert trainer.trainings_started == 1
    assert trainer.submit(spec) is job  # later requests get the finished run
    snap = job.snapshot()
    assert snap["step"] == snap["total_steps"] == 2 and snap["epoch"] == 1
    assert job.result.predictions.shape == (200,)
    trainer.close()


def test_one_training_at_a_time_with_queue_positions():
    running = threading.Event()
    release = threading.Event()
    order = []

    def blocking_train(spec, on_progress, every, stop_event):  # a controllable stand-in for train()
        order.append(spec.epochs)
        running.set()
        release.wait(10)
        return TrainResult(spec, None, {"batches": [], "epochs": []}, 0.0)

    trainer = LocalTrainer(backend=lambda threads: InProcess(blocking_train), parallel=1)
    first = trainer.submit(presets.PRESETS["keras_01_mnist"].with_(epochs=1))
    assert running.wait(10)
    second = trainer.submit(presets.PRESETS["keras_01_mnist"].with_(epochs=2))
    third = trainer.submit(presets.PRESETS["keras_01_mnist"].with_(epochs=3))
    assert (first.state, second.state, third.state) == ("running", "queued", "queued")
    assert [trainer.position(j) for j in (first, second, third)] == [0, 1, 2]
    release.set()
    assert third.wait(10)
    assert order == [1, 2, 3] and trainer.trainings_started == 3


def test_failed_training_reports_german_message_and_can_retry():
    calls = []

    def failing_train(spec, on_progress, every, stop_event):
        calls.append(spec)
        raise MemoryError("kein Speicher")

    trainer = LocalTrainer(backend=lambda threads: InProcess(failing_train), parallel=1)
    spec = presets.PRESETS["keras_01_mnist"]
    job = trainer.submit(spec)
    assert job.wait(10)
    assert job.state == "failed" and "Fehler" in job.message and "kein Speicher" in job.message
    assert trainer.submit(spec) is job and len(calls) == 1     # kept until the learner retries
    again = trainer.retry(spec)
    assert again is not job and again.wait(10) and len(calls) == 2


@pytest.mark.slow      # a fresh Python
def test_cli_train_prints_one_json_line():
    out = subprocess.run([sys.executable, "-m", "tutorial", "train", "keras_01_mnist", "--epochs", "1",
                          "--limit", "300"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["preset"] == "keras_01_mnist" and record["epochs"] == 1
    assert len(record["val_accuracy"]) == 1 and record["seconds"] > 0


@pytest.mark.slow   # seconds of work: not in the fast loop
@pytest.mark.parametrize("name", presets.NOTEBOOK_PRESETS)
def test_pretrained_models_reach_targets(name):
    import keras
    from tutorial.models import predict_proba
    assert name in pretrained.available(), f"{name} missing: run `python -m tutorial pretrain`"
    model = keras.models.load_model(pretrained.model_path(name))  # plain Keras, no custom objects
    images, labels = data.load_arrays("test")
    accuracy = float(np.mean(predict_proba(model, data.to_model_input(images)).argmax(1) == labels))
    assert accuracy >= presets.TARGET_ACCURACY[name]
    history = pretrained.load_history(name)
    assert len(history["epochs"]) == presets.PRESETS[name].epochs
    assert history["test_accuracy"] == pytest.approx(accuracy, abs=2e-3)


def test_every_exercise_has_a_pretrained_run():
    assert pretrained.available() == list(presets.PRESETS)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_run_past_its_time_limit_stops_keeps_its_curves_and_says_so_in_german():
    spec = presets.PRESETS["keras_02_mnist_dense"].with_(limit=3200, epochs=5, val_limit=200)   # 25 steps per epoch
    records = []
    result = train(spec, on_progress=records.append, every=1, time_limit=0.001)   # past it at the first batch
    assert result.status == "timeout" and result.history["status"] == "timeout"
    assert "angehalten" in result.message and "Epochen" in result.message
    steps = [r["step"] for r in records if r["kind"] == "batch"]
    assert steps and max(steps) < spec.steps_per_epoch * spec.epochs        # stopped early …
    assert result.history["batches"]                                          # … with the curves so far
    assert result.predictions.shape == (spec.val_size,) and result.summary    # and a model to look at


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_the_weights_alone_rebuild_the_trained_model():
    from tutorial.models import predict_proba
    from tutorial.result import load_weights, weights_bytes
    spec = presets.PRESETS["keras_05_mnist_batch_norm"].with_(limit=256, epochs=1, val_limit=100)
    trained = train(spec, predict=False).model
    blob = weights_bytes(trained)
    images, _ = data.load_arrays("test")
    x = data.to_model_input(images[:50])
    again = TrainResult(spec, weights=blob).model                             # rebuilt from the spec, then loaded
    assert np.allclose(predict_proba(again, x), predict_proba(trained, x), atol=1e-5)
    with np.load(io.BytesIO(blob)) as arrays:                                 # the layers' variables only:
        assert len(arrays.files) == len(trained.weights)                     # no optimizer state in it
    assert len(blob) < 1.1 * 4 * trained.count_params() + 10_000              # (with Adam: 3× as much)
    assert load_weights(spec, blob).count_params() == trained.count_params()
