"""The price of a training run, known from its spec before it starts and independent of the load:
parameters, the peak memory of the training child, and the seconds it needs on an idle 2-core box.

:func:`price` computes it from the layers' own shapes and parameter counts
(:func:`tutorial.layers.layer_table`); :func:`check` compares it with the host's caps
(:func:`caps`, from :mod:`tutorial.settings`) and returns a German :class:`Refusal` that names the
number and the setting to lower, or None.

Memory model (peak RSS of a fresh training child, measured: ``benchmarks/price.py``, section "Price
of a training" in ``benchmarks/RESULTS.md``)::

    BASE_MB + MODEL_MB + digits × DIGIT_BYTES + parameters × PARAM_BYTES
            + activations × (VAL_ACTIVATIONS × VAL_BATCH + TRAIN_ACTIVATIONS × batch) × 4 bytes

``activations`` counts the float outputs of every layer for one digit. Validation runs batches of
``VAL_BATCH`` (1,000) digits through the model, so for convolutional nets the validation batch, not
the training batch, sets the peak. ``PARAM_BYTES`` covers weights, gradients and Adam's two moments
during training and the copies ``model.save`` makes of them with the optimizer state.

Time model (seconds on an idle 2-core box)::

    step       = STEP_FIXED + batch × (3 × macs × MAC_SECONDS + train_elements × TRAIN_ELEMENT_SECONDS)
                 + parameters × PARAM_SECONDS[optimizer]
    validation = VAL_FIXED + val_size × (macs × MAC_SECONDS + val_elements × VAL_ELEMENT_SECONDS
                                         + VAL_DIGIT_SECONDS)

``macs`` are one digit's multiply-adds (a training step needs three products per weight: forward,
gradient of the input, gradient of the weights), ``*_elements`` its elementwise operations (bias,
activation, batch normalisation, dropout; :func:`work`). The relative costs are fitted to measured
specs from keras_01 to four 9×9 convolutions; the scale to the pretrained runs' stored seconds.

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from tutorial import settings
from tutorial.deutsch import de, duration
from tutorial.layers import (INPUT_SHAPE, Activation, BatchNorm, Conv2D, Dense, Dropout, GlobalAvgPool, MaxPool,
                             layer_table)
from tutorial.spec import VAL_BATCH, RunSpec

# --- memory (MB = 2**20 bytes), fitted to 29 measured runs within ±7 % -----------------------
BASE_MB = 700.0            # a fresh child: Python, TensorFlow, the MNIST arrays (measured 697-698 MB)
MODEL_MB = 50.0            # traced graphs and Keras objects of any model (keras_01: +48 MB)
DIGIT_BYTES = 3450         # one digit in the pipeline's cache: 784 + 10 floats, plus overhead
PARAM_BYTES = {"adam": 40, "rmsprop": 32, "sgd": 12}   # weights, gradients, moments; model.save's copies
VAL_ACTIVATIONS = 1.1      # × the activations of one validation batch alive at its peak
TRAIN_ACTIVATIONS = 0.75   # × the activations of one training batch

# --- time: seconds on an idle 2-core box ------------------------------------------------------
# Relative costs fitted to 14 measured specs (one thread, CPU time: within ±28 % per step, ±16 % per
# validation pass), scaled so the convolutional presets match their stored seconds.
MAC_SECONDS = 1.12e-11     # one multiply-add (~90 G per second)
TRAIN_ELEMENT_SECONDS = 2.6e-9   # one elementwise operation on one float, forward and backward
VAL_ELEMENT_SECONDS = 0.97e-9    # the same at inference
PARAM_SECONDS = {"adam": 3.0e-9, "rmsprop": 2.3e-9, "sgd": 1.2e-9}   # the optimizer's update, per step
STEP_FIXED = 0.0003        # seconds of every training step beyond its arithmetic (dispatch, callbacks)
VAL_DIGIT_SECONDS = 39e-6  # reading, batching and scoring one validation digit
VAL_FIXED = 0.16           # seconds of every validation pass beyond its digits
START = 2.0                # model building and tracing before the first step (warm child)
FINISH_FIXED = 1.0         # the finishing phase beyond predicting the test digits (save, send, summary)

MB = 2 ** 20


@dataclass(frozen=True)
class Price:
    """What ``spec`` costs: parameters, peak memory of its training child and idle seconds."""

    spec: RunSpec
    params: int
    memory_mb: float          # peak RSS of a fresh training child
    step_seconds: float       # one training step on an idle 2-core box
    val_seconds: float        # one validation pass (after every epoch)
    start_seconds: float      # build and trace the model
    finish_seconds: float     # predict the test digits, save and send the model

    @property
    def epoch_seconds(self) -> float:
        return self.spec.steps_per_epoch * self.step_seconds + self.val_seconds

    @property
    def seconds(self) -> float:
        """The whole run on an idle 2-core box, from the task to the result."""
        return self.start_seconds + self.spec.epochs * self.epoch_seconds + self.finish_seconds

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass(frozen=True)
class Caps:
    """The host's limits for one training run."""

    max_params: int
    max_memory_mb: float
    max_minutes: float


@dataclass(frozen=True)
class Refusal:
    """Why a run is not started: ``reason`` is "invalid", "params", "memory" or "time"."""

    reason: str
    message: str           # German, for the learner

    def __str__(self) -> str:
        return self.message


class TrainingRefused(Exception):
    """A trainer's ``submit`` refuses a learner's run above the caps (:func:`require`); ``str()`` is the
    German message of its :class:`Refusal`."""

    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


def caps(max_params=None, max_memory_mb=None, max_minutes=None) -> Caps:
    """The caps from explicit values (the app passes ``st.secrets``), the environment or the defaults."""
    return Caps(settings.max_parameters(max_params), settings.max_training_mb(max_memory_mb),
                settings.max_training_minutes(max_minutes))


def _rows(spec: RunSpec) -> list[tuple]:
    """(layer, input shape, table row) per layer; ValueError (German) if the stack cannot be built."""
    rows, shape = [], INPUT_SHAPE
    for layer, row in zip(spec.layers, layer_table(spec.layers)):
        rows.append((layer, shape, row))
        shape = row["output_shape"]
    return rows


def _elementwise(layer, out: int) -> tuple[float, float]:
    """Elementwise operations per digit of ``layer`` with ``out`` output floats: (training, validation)."""
    if isinstance(layer, (Conv2D, Dense)):
        ops = int(layer.use_bias) + int(bool(layer.activation))
        return ops * out, ops * out
    if isinstance(layer, BatchNorm):
        return 4 * out, 2 * out     # training: mean, variance, normalise, update; inference: scale and shift
    if isinstance(layer, Dropout):
        return 2 * out, 0.0         # random mask and multiply; nothing at inference
    if isinstance(layer, (Activation, MaxPool, GlobalAvgPool)):
        return out, out
    return 0.0, 0.0                 # Reshape, Flatten: views


def work(spec: RunSpec) -> dict:
    """Per digit: multiply-adds, elementwise operations (training / validation) and activations."""
    macs = train_elements = val_elements = 0.0
    activations = float(math.prod(INPUT_SHAPE))
    for layer, shape_in, row in _rows(spec):
        shape = row["output_shape"]
        out = math.prod(shape)
        if isinstance(layer, Conv2D):
            macs += shape[0] * shape[1] * layer.filters * layer.kernel_size ** 2 * shape_in[-1]
        elif isinstance(layer, Dense):
            macs += shape_in[-1] * layer.units
        train, val = _elementwise(layer, out)
        train_elements += train
        val_elements += val
        activations += out
    return {"macs": macs, "train_elements": train_elements, "val_elements": val_elements,
            "activations": activations}


def price(spec: RunSpec) -> Price:
    """The price of ``spec``; ValueError (German) if the model cannot be built."""
    w = work(spec)
    params = sum(row["params"] for _, _, row in _rows(spec))
    step = (STEP_FIXED + spec.batch_size * (3 * w["macs"] * MAC_SECONDS + w["train_elements"] * TRAIN_ELEMENT_SECONDS)
            + params * PARAM_SECONDS[spec.optimizer])
    val = VAL_FIXED + spec.val_size * (w["macs"] * MAC_SECONDS + w["val_elements"] * VAL_ELEMENT_SECONDS
                                       + VAL_DIGIT_SECONDS)
    digits = spec.train_size + spec.val_size
    memory = (BASE_MB + MODEL_MB + (digits * DIGIT_BYTES + params * PARAM_BYTES[spec.optimizer]) / MB
              + w["activations"] * 4 * (VAL_ACTIVATIONS * min(VAL_BATCH, spec.val_size)
                                        + TRAIN_ACTIVATIONS * spec.batch_size) / MB)
    return Price(spec, params, memory, step, val, START, FINISH_FIXED + val)


def max_epochs(p: Price, max_minutes: float) -> int:
    """The most epochs of ``p.spec`` that fit into ``max_minutes`` on an idle 2-core box (0: none)."""
    left = max_minutes * 60 - p.start_seconds - p.finish_seconds
    return max(0, int(left // p.epoch_seconds)) if p.epoch_seconds > 0 else 0


def summary(p: Price) -> str:
    """The price for the learner, e.g. "354.002 Parameter · etwa 2 min 28 s auf einem freien Server"."""
    return f"{de(p.params)} Parameter · etwa {duration(p.seconds)} auf einem freien Server"


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    if minutes >= 120:
        return f"{de(minutes / 60)} Stunden"
    return f"{de(minutes, 1 if minutes < 10 else 0)} Minuten"


def _biggest(spec: RunSpec):
    """The layer with the most parameters and the layer before it."""
    rows = _rows(spec)
    index = max(range(len(rows)), key=lambda i: rows[i][2]["params"])
    return rows[index][0], (rows[index - 1][0] if index else None)


def _fewer_params(spec: RunSpec) -> str:
    layer, before = _biggest(spec)
    if isinstance(layer, Conv2D):
        return "Verringern Sie die Zahl der Filter oder die Kerngröße der Faltungsschichten."
    if spec.is_conv and isinstance(layer, Dense) and not isinstance(before, Dense):
        return ("Verringern Sie die Zahl der Neuronen der dichten Schicht oder verkleinern Sie, was in sie "
                "hineingeht: weniger Filter in der letzten Faltungsschicht oder eine größere Schrittweite.")
    return "Verringern Sie die Zahl der Neuronen in den Schichten."


def _less_memory(spec: RunSpec) -> str:
    if not spec.is_conv:
        return _fewer_params(spec)
    advice = "Verringern Sie die Zahl der Filter oder wählen Sie eine größere Schrittweite in den Faltungsschichten"
    return advice + (" oder eine kleinere Batch-Größe." if spec.batch_size > 128 else ".")


def check(spec: RunSpec, limits: Optional[Caps] = None) -> Optional[Refusal]:
    """None if ``spec`` may train under ``limits`` (default: :func:`caps`), else a German :class:`Refusal`."""
    limits = limits or caps()
    try:
        p = price(spec)
    except (ValueError, TypeError, AttributeError, ZeroDivisionError) as exc:
        return Refusal("invalid", f"Dieses Modell lässt sich so nicht bauen: {exc}")
    if p.params > limits.max_params:
        return Refusal("params", f"Dieses Modell hätte {de(p.params)} Parameter – erlaubt sind auf diesem Server "
                                 f"höchstens {de(limits.max_params)}. {_fewer_params(spec)}")
    if p.memory_mb > limits.max_memory_mb:
        return Refusal("memory", f"Dieses Training bräuchte etwa {de(p.memory_mb)} MB "
                                 f"Arbeitsspeicher – erlaubt sind auf diesem Server höchstens "
                                 f"{de(limits.max_memory_mb)} MB. {_less_memory(spec)}")
    if p.minutes > limits.max_minutes:
        epochs = max_epochs(p, limits.max_minutes)
        text = (f"Dieses Training dauerte selbst auf einem freien Server etwa {_minutes(p.seconds)} – erlaubt sind "
                f"höchstens {de(limits.max_minutes)} Minuten. ")
        if epochs >= 1:
            text += f"Verringern Sie die Zahl der Epochen auf höchstens {de(epochs)}"
            text += " oder nehmen Sie den Schnellmodus." if spec.limit is None else "."
        else:
            text += ("Schon eine Epoche dauert zu lange. " + (_less_memory(spec) if spec.is_conv else _fewer_params(spec)))
        return Refusal("time", text)
    return None


def require(spec: RunSpec, limits: Optional[Caps] = None) -> None:
    """Raise :class:`TrainingRefused` when :func:`check` refuses ``spec`` (both trainers' ``submit``)."""
    refusal = check(spec, limits)
    if refusal is not None:
        raise TrainingRefused(refusal)
