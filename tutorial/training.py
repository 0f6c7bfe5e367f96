"""Train a :class:`~tutorial.spec.RunSpec` with plain ``model.fit`` and report progress.

Progress goes to a callback: every ``every`` batches a ``{"kind": "batch", ...}`` record (global
step, epoch, loss, accuracy), after every epoch a ``{"kind": "epoch", ...}`` record (loss,
accuracy, val_loss, val_accuracy, learning rate), and after the last step one
``{"kind": "finishing"}`` record while the test digits are predicted. A NaN loss stops the run
through Keras' ``TerminateOnNaN``; the result then says so in German instead of returning garbage.
A run that trains longer than its ``time_limit`` (seconds, see :func:`tutorial.result.time_limit`)
stops at its next batch with status "timeout": the curves so far, the model as it is and a German
message come back.
"""
from __future__ import annotations

import bisect
import math
import threading
import time
from typing import Callable, Optional

import keras
import numpy as np

from tutorial import data
from tutorial.models import build_model, predict_proba, summary_rows
from tutorial.result import TrainResult, timeout_message
from tutorial.spec import VAL_BATCH, RunSpec

NAN_MESSAGE = ("Das Training wurde abgebrochen: Der Verlust ist NaN geworden (keine Zahl mehr). Meist ist die "
               "Lernrate zu hoch – versuchen Sie einen kleineren Wert.")
STOP_MESSAGE = "Das Training wurde vorzeitig beendet."


def limit_threads(threads: int) -> None:
    """Give TensorFlow ``threads`` threads (0: its default); must run before TensorFlow's first operation."""
    if threads <= 0:
        return
    import tensorflow as tf
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:   # TensorFlow already initialised its thread pools
        pass


def empty_history(spec: RunSpec) -> dict:
    return {"batches": [], "epochs": [], "steps_per_epoch": spec.steps_per_epoch, "epochs_total": spec.epochs,
            "batch_size": spec.batch_size, "train_size": spec.train_size}


class ProgressCallback(keras.callbacks.Callback):
    """Records the run into a history dict and forwards each record to ``report``.

    ``async_safe``: Keras may then run the batch hooks on worker threads while the next step
    already trains, instead of stopping for every batch to convert the logs. So the hooks keep no
    running counters: the step number comes from the epoch and batch index, and records are
    inserted in step order.
    """

    async_safe = True

    def __init__(self, spec: RunSpec, history: dict, report: Optional[Callable[[dict], None]] = None,
                 every: int = 10, stop_event: Optional[threading.Event] = None):
        super().__init__()
        self.spec, self.history, self.report = spec, history, report
        self.every, self.stop_event = max(1, every), stop_event
        self.epoch = 0
        self.t0 = time.perf_counter()
        self._lock = threading.Lock()

    def _emit(self, record: dict) -> None:
        if self.report is not None:
            self.report(record)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        steps = self.spec.steps_per_epoch
        step = self.epoch * steps + batch + 1
        if step % self.every == 0 or batch == steps - 1:
            record = {"kind": "batch", "step": step, "epoch": self.epoch + (batch + 1) / steps,
                      "loss": float(logs["loss"]), "accuracy": float(logs["accuracy"])}
            with self._lock:
                bisect.insort(self.history["batches"], {k: v for k, v in record.items() if k != "kind"},
                              key=lambda r: r["step"])
            self._emit(record)
        if self.stop_event is not None and self.stop_event.is_set():
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        record = {"kind": "epoch", "epoch": epoch + 1, "step": (epoch + 1) * self.spec.steps_per_epoch,
                  "loss": float(logs.get("loss", math.nan)), "accuracy": float(logs.get("accuracy", math.nan)),
                  "val_loss": float(logs.get("val_loss", math.nan)),
                  "val_accuracy": float(logs.get("val_accuracy", math.nan)),
                  "lr": float(self.spec.lr_at(epoch)),
                  "seconds": time.perf_counter() - self.t0}
        self.history["epochs"].append({k: v for k, v in record.items() if k != "kind"})
        self._emit(record)


class TimeLimit(keras.callbacks.Callback):
    """Stops the training at the first batch end after ``seconds`` since ``t0`` (``timed_out`` tells)."""

    async_safe = True

    def __init__(self, seconds: float, t0: float):
        super().__init__()
        self.seconds, self.t0, self.timed_out = seconds, t0, False

    def on_train_batch_end(self, batch, logs=None):
        if time.perf_counter() - self.t0 > self.seconds:
            self.timed_out = True
            self.model.stop_training = True


class TerminateOnNaN(keras.callbacks.TerminateOnNaN):
    """Keras' TerminateOnNaN, marked safe for asynchronous batch hooks (it only reads the loss
    and sets ``model.stop_training``), so it does not force a pause after every batch."""

    async_safe = True


def predictions(model, spec: RunSpec) -> tuple[np.ndarray, np.ndarray]:
    """Predicted labels of the run's ``spec.val_size`` test digits and of the font digits."""
    from tutorial import fonts

    images, _ = data.load_arrays("test")
    predicted = predict_proba(model, data.to_model_input(images[:spec.val_size])).argmax(axis=1)
    font_images, _ = fonts.font_digits(fonts.FONT_DIGITS)
    font_predicted = predict_proba(model, data.to_model_input(font_images)).argmax(axis=1)
    return predicted.astype(np.uint8), font_predicted.astype(np.uint8)


def train(spec: RunSpec, on_progress: Optional[Callable[[dict], None]] = None, every: int = 10,
          stop_event: Optional[threading.Event] = None, predict: bool = True,
          time_limit: Optional[float] = None) -> TrainResult:
    """Train ``spec`` from scratch (seeded by the spec itself) and return the model and history
    (with the test digits' predictions unless ``predict`` is False or the run was stopped early);
    ``time_limit``: seconds from here after which the training stops (see the module's doc)."""
    started = time.perf_counter()
    seed = spec.train_seed
    keras.utils.set_random_seed(seed)
    model = build_model(spec)
    train_ds = data.training_dataset(spec.batch_size, limit=spec.limit, seed=seed)
    val_ds = data.validation_dataset(VAL_BATCH, limit=spec.val_limit)
    history = empty_history(spec)
    callbacks = [ProgressCallback(spec, history, on_progress, every, stop_event), TerminateOnNaN()]
    if spec.lr_decay is not None:
        callbacks.append(keras.callbacks.LearningRateScheduler(spec.lr_at))
    limit = TimeLimit(time_limit, started) if time_limit else None
    if limit is not None:
        callbacks.append(limit)
    t0 = time.perf_counter()
    model.fit(train_ds, steps_per_epoch=spec.steps_per_epoch, epochs=spec.epochs, validation_data=val_ds,
              validation_steps=math.ceil(spec.val_size / VAL_BATCH), callbacks=callbacks, verbose=0, shuffle=False)
    seconds = time.perf_counter() - t0
    if on_progress is not None:
        on_progress({"kind": "finishing", "step": spec.steps_per_epoch * spec.epochs})
    # Drop the traced training/evaluation graphs: finished models are kept (and shared) for a long
    # time, and only ever called directly for predictions.
    model.train_function = model.test_function = None
    history["seconds"] = seconds
    losses = [b["loss"] for b in history["batches"]] + [e["loss"] for e in history["epochs"]]
    if not all(math.isfinite(x) for x in losses):
        history["status"] = "nan"
        return TrainResult(spec, model, history, seconds, "nan", NAN_MESSAGE)
    status, message = "done", ""
    if limit is not None and limit.timed_out:
        status, message = "timeout", timeout_message(time.perf_counter() - started)
    elif len(history["epochs"]) < spec.epochs:
        history["status"] = "stopped"
        return TrainResult(spec, model, history, seconds, "stopped", STOP_MESSAGE)
    history["status"] = status
    if not predict:
        return TrainResult(spec, model, history, seconds, status, message)
    predicted, font_predicted = predictions(model, spec)
    return TrainResult(spec, model, history, seconds, status, message, predictions=predicted,
                       font_predictions=font_predicted, summary=summary_rows(model))
