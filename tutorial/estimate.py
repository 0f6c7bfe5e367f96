"""How long a training run will take – one source for every number the app shows: the run's price
(:mod:`tutorial.price`: seconds on an idle 2-core box, from the spec alone) times the trainer's
machine factor (measured / expected, learned from its own finished runs); while a run trains, its
own measured steps after warm-up.

* :func:`epoch_seconds` – a preset's seconds per epoch on an idle box (chapter 2's table).
* :func:`prior` – seconds per step, per validation pass and for the finishing phase, × a factor.
* :class:`Clock` – one run's remaining seconds; the number it shows never goes up and falls between
  a third and three times as fast as the clock on the wall (a new measurement bends it, no jumps).
* :func:`start_wait` – seconds until a run asked for now would start, from a trainer's status.

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import heapq
import time
from typing import Optional

from tutorial import price as P
from tutorial import spec as S
from tutorial.presets import PRESETS

CHILD_START = 6.0        # seconds for a cold child: Python, TensorFlow, the data (2 cores; more on one)
MIN_WINDOW = 1.0          # seconds of measured steps before the run's own rate replaces the prior
FALL = (1 / 3, 3.0)       # the shown remaining time falls at least / at most this fast (× real time)


def epoch_seconds(name: str) -> float:
    """Seconds per epoch of preset ``name`` on an idle 2-core box (its price); 0 for an unknown name."""
    spec = PRESETS.get(name)
    return P.price(spec).epoch_seconds if spec is not None else 0.0


def prior(spec: S.RunSpec, factor: float = 1.0) -> dict:
    """Expected seconds per step, per validation pass and for the finishing phase (the price × ``factor``)."""
    try:
        p = P.price(spec)
    except (ValueError, TypeError, KeyError, ZeroDivisionError):
        return {"step": 0.0, "val": 0.0, "finish": P.FINISH_FIXED * factor}
    return {"step": p.step_seconds * factor, "val": p.val_seconds * factor, "finish": p.finish_seconds * factor}


def run_seconds(spec: S.RunSpec, factor: float = 1.0) -> float:
    """The whole run as expected now: its price × ``factor`` (0 when the model cannot be built)."""
    try:
        return P.price(spec).seconds * factor
    except (ValueError, TypeError, KeyError, ZeroDivisionError):
        return 0.0


def start_wait(status, start: float = P.START) -> float:
    """Seconds until a run asked for now would start, from a :class:`~tutorial.trainer.TrainerStatus`:
    each of ``status.parallel`` slots is free when its running run is done (its own estimate, else
    its price × factor for the part still to go); the waiting runs then take the next free slot in turn,
    each its price × ``status.factor``."""
    slots = [0.0] * max(1, status.parallel)
    for i, run in enumerate(status.running[:len(slots)]):
        left = run.remaining
        if left is None:
            left = run_seconds(run.spec, status.factor) * (1 - run.progress)
        slots[i] = max(0.0, left)
    heapq.heapify(slots)
    for entry in status.queue:
        heapq.heappush(slots, heapq.heappop(slots) + max(start, run_seconds(entry.spec, status.factor)))
    return slots[0]


class Clock:
    """Timing of one run, fed by its progress records; answers "how many seconds are left?".

    Before the first step it uses the prior (plus the child's start); from then on the measured
    time per step after the first reported step (which carries model building and graph
    tracing), and the measured validation time at each epoch end.
    """

    def __init__(self, spec: S.RunSpec, factor: float = 1.0, start: float = P.START):
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
        self.shown: Optional[tuple[float, float]] = None   # (seconds, time) of the last answer of remaining()

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
        """Seconds left as the learner sees them: :meth:`estimate`, smoothed once steps are reported –
        never more than the last answer, falling between ``FALL[0]`` and ``FALL[1]`` × real time."""
        now = time.time() if now is None else now
        raw = self.estimate(now)
        if raw is None or self.last is None:      # nothing shown yet (no step): no history to keep
            self.shown = None
            return raw
        if self.shown is not None:
            before, then = self.shown
            elapsed = max(0.0, now - then)
            raw = max(0.5, min(before - FALL[0] * elapsed, max(raw, before - FALL[1] * elapsed)))
        self.shown = (raw, now)
        return raw

    def estimate(self, now: Optional[float] = None) -> Optional[float]:
        """Seconds until the result, from the prior and the measured steps (unsmoothed)."""
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
