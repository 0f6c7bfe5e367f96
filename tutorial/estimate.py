"""How long a training run will take: before it starts, from the pretrained runs' measured times;
while it runs, from its own steps after warm-up.

Cost model: one training step costs ``batch_size × c`` seconds and one validation pass
``val_size × c / 3`` (forward only), where ``c`` (seconds per digit) is measured by every
pretrained run (``assets/models/*.json`` store ``seconds``). A spec that is not a preset gets the
``c`` of the presets with the nearest amount of arithmetic per digit (from
:func:`tutorial.spec.layer_table`), interpolated on a log scale. A :class:`~tutorial.jobs.LocalTrainer`
multiplies these priors by a machine factor it learns from its own finished runs.

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import functools
import json
import math
import time
from typing import Optional

from tutorial import presets
from tutorial import spec as S
from tutorial.paths import MODELS_DIR

VAL_COST = 1 / 3          # a validation digit costs a third of a training digit (no backward pass)
VAL_FIXED = 0.5           # seconds of every validation pass beyond its digits (loop, first tracing)
FINISH_FIXED = 1.0        # seconds of the finishing phase beyond the predictions (save, send, summary)
DEFAULT_C = 2.5e-4        # seconds per training digit when no pretrained history is there
FIRST_STEP = 2.0         # seconds from the task to the first step in a warm child (model build, tracing)
CHILD_START = 6.0        # seconds for a cold child: Python, TensorFlow, the data (2 cores; more on one)
MIN_WINDOW = 1.0          # seconds of measured steps before the run's own rate replaces the prior


def flops(spec: S.RunSpec) -> float:
    """Multiply-adds of one digit's forward pass (weights × positions), plus one per activation."""
    total = 0.0
    for row in S.layer_table(spec):
        shape = row["output_shape"]
        positions = shape[0] * shape[1] if row["layer"] == "Conv2D" and len(shape) == 3 else 1
        size = math.prod(shape)
        total += row["params"] * positions + size
    return max(total, 1.0)


@functools.lru_cache(maxsize=1)
def _measured() -> dict[tuple, list[float]]:
    """Seconds per training digit of every pretrained run, by (layers, batch size)."""
    costs: dict[tuple, list[float]] = {}
    for name, spec in presets.PRESETS.items():
        path = MODELS_DIR / f"{name}.json"
        try:
            seconds = float(json.loads(path.read_text())["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        digits = spec.epochs * (spec.steps_per_epoch * spec.batch_size + spec.val_size * VAL_COST)
        costs.setdefault((spec.layers, spec.batch_size), []).append(seconds / digits)
    return costs


TYPICAL_EPOCH = {"keras_02_mnist_dense": 3.0, "keras_04_mnist_convolutional": 15.0,
                 "keras_05_mnist_batch_norm": 22.0}   # s per epoch on a busy 2-core CPU (chapter 2's table)


def epoch_seconds(name: str) -> float:
    """Seconds per epoch to expect for preset ``name`` on a 2-core CPU: its pretrained run's own
    time or the typical busy-machine time, whichever is longer."""
    try:
        history = json.loads((MODELS_DIR / f"{name}.json").read_text())
        measured = float(history["seconds"]) / max(1, len(history["epochs"]))
    except (OSError, ValueError, KeyError, TypeError):
        measured = 0.0
    return max(TYPICAL_EPOCH.get(name, 0.0), measured)


def _points() -> list[tuple[float, float]]:
    """(flops per digit, mean seconds per digit) of the measured architectures, sorted by flops."""
    by_flops: dict[float, list[float]] = {}
    for (layers, _), costs in _measured().items():
        by_flops.setdefault(flops(S.RunSpec(layers=layers)), []).extend(costs)
    return sorted((f, sum(c) / len(c)) for f, c in by_flops.items())


def digit_cost(spec: S.RunSpec) -> float:
    """Seconds per training digit for ``spec`` on the machine that trained the pretrained runs."""
    same = _measured().get((spec.layers, spec.batch_size))
    if same:
        return sum(same) / len(same)
    try:
        f = flops(spec)
    except (ValueError, TypeError):
        return DEFAULT_C
    points = _points()
    if not points:
        return DEFAULT_C
    if f <= points[0][0]:
        return points[0][1] * (f / points[0][0]) ** 0.5    # small nets: fixed costs dominate
    if f >= points[-1][0]:
        return points[-1][1] * f / points[-1][0]
    for (f0, c0), (f1, c1) in zip(points, points[1:]):
        if f0 <= f <= f1:
            if f1 == f0:
                return (c0 + c1) / 2
            w = (math.log(f) - math.log(f0)) / (math.log(f1) - math.log(f0))
            return math.exp((1 - w) * math.log(c0) + w * math.log(c1))
    return DEFAULT_C


def prior(spec: S.RunSpec, factor: float = 1.0) -> dict:
    """Expected seconds per step, per validation pass and for the finishing phase."""
    c = digit_cost(spec) * factor
    val = spec.val_size * c * VAL_COST
    return {"step": spec.batch_size * c, "val": VAL_FIXED * factor + val, "finish": (FINISH_FIXED + 0.3) * factor + val}


class Clock:
    """Timing of one run, fed by its progress records; answers "how many seconds are left?".

    Before the first step it uses the prior (plus the child's start); from then on the measured
    time per step after the first reported step (which carries model building and graph
    tracing), and the measured validation time at each epoch end.
    """

    def __init__(self, spec: S.RunSpec, factor: float = 1.0, start: float = FIRST_STEP):
        self.spec, self.factor = spec, factor
        self.prior = prior(spec, factor)
        self.start = start
        self.started: Optional[float] = None
        self.first: Optional[tuple[int, float]] = None     # (step, time) of the first report
        self.last: Optional[tuple[int, float]] = None       # (step, time) of the latest batch report
        self.val_spent = 0.0        # validation seconds inside the measured window
        self.val_passes: list[float] = []
        self.epochs_done = 0
        self.finishing_since: Optional[float] = None

    def begin(self, now: Optional[float] = None) -> None:
        self.started = time.time() if now is None else now

    def record(self, record: dict, now: Optional[float] = None) -> None:
        now = time.time() if now is None else now
        kind, step = record.get("kind"), int(record.get("step", 0))
        if kind == "batch":
            if self.first is None:
                self.first = (step, now)
            if self.last is None or step >= self.last[0]:
                self.last = (step, now)
        elif kind == "epoch":
            self.epochs_done = max(self.epochs_done, int(record.get("epoch", 0)))
            if self.last is not None and self.last[0] == step:
                val = max(0.0, now - self.last[1])
                self.val_passes.append(val)
                if self.first is not None and self.first[0] < step:
                    self.val_spent += val
                self.last = (step, now)
        elif kind == "finishing":
            self.finishing_since = now

    def measured_rate(self) -> Optional[float]:
        """Seconds per training step after the first report, once a window of steps is there."""
        if self.first is not None and self.last is not None and self.last[0] > self.first[0]:
            window = self.last[1] - self.first[1] - self.val_spent
            if window >= MIN_WINDOW:
                return max(window, 0.0) / (self.last[0] - self.first[0])
        return None

    def rate(self) -> float:
        """Seconds per training step: measured, else the prior."""
        measured = self.measured_rate()
        return self.prior["step"] if measured is None else measured

    def val_seconds(self) -> float:
        return sum(self.val_passes) / len(self.val_passes) if self.val_passes else self.prior["val"]

    def remaining(self, now: Optional[float] = None) -> Optional[float]:
        now = time.time() if now is None else now
        spec = self.spec
        total = spec.steps_per_epoch * spec.epochs
        finish = self.prior["finish"]
        if self.finishing_since is not None:
            return max(0.5, finish - (now - self.finishing_since))
        if self.started is None:
            return None
        step = self.last[0] if self.last is not None else 0
        left = (total - step) * self.rate() + (spec.epochs - self.epochs_done) * self.val_seconds() + finish
        if self.last is None:
            left += max(0.5, self.start - (now - self.started))
        else:   # time since the last report is already spent on the next steps
            left -= min(now - self.last[1], (total - step) * self.rate())
        return max(left, 0.5)

    def measured_finish(self, finished: float) -> Optional[float]:
        """Measured / expected seconds of the finishing phase that ended at ``finished``."""
        if self.finishing_since is None or not self.prior["finish"]:
            return None
        return max(0.0, finished - self.finishing_since) / self.prior["finish"]

    def measured_factor(self) -> Optional[float]:
        """Measured rate / prior rate (the Trainer's machine factor), None without a window."""
        rate = self.measured_rate()
        if rate is None or not self.prior["step"]:
            return None
        return rate / self.prior["step"]
