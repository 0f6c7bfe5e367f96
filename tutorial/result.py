"""What a training returns and how a job ends: :class:`TrainResult`, :class:`Cancelled`, the job
states and the German messages for a failed or cancelled run.

The lowest layer of the training core: :mod:`tutorial.training` (in-process), :mod:`tutorial.worker`
(training child), the job (:mod:`tutorial.job`), both trainers (:mod:`tutorial.jobs`,
:mod:`tutorial.cluster.client`) and the Ray job table import it; it imports none of them.
This module imports TensorFlow only in :func:`load_model_bytes`.
"""
from __future__ import annotations

import os
import tempfile
import threading
from typing import Optional

from tutorial.spec import RunSpec

FAILED_MESSAGE = "Beim Training ist ein Fehler aufgetreten: {error}"
CANCELLED_MESSAGE = "Das Training wurde abgebrochen."
DROPPED_MESSAGE = ("Dieser Lauf wurde aus der Warteschlange genommen, weil einige Minuten lang niemand, der auf "
                   "ihn wartet, in der App war. Mit »Erneut versuchen« stellen Sie ihn wieder an.")
HOST_CANCELLED_MESSAGE = "Die Kursleitung hat diesen Lauf abgebrochen."
STATES = ("queued", "running", "finishing", "done", "failed", "cancelled")
ACTIVE = ("running", "finishing")           # a job that holds a slot
FINISHED = ("done", "failed", "cancelled")


class Cancelled(Exception):
    """Raised by a backend that gave up because its job was cancelled."""


class TrainResult:
    """A finished run: its model, history, duration, status and the predictions of the test digits.

    ``predictions``: predicted label of each of the run's ``spec.val_size`` test digits (computed
    where it trained); ``font_predictions``: the same for ``fonts.font_digits(FONT_DIGITS)``;
    ``summary``: ``tutorial.models.summary_rows(model)``.
    A result that came from a training child holds the model as ``.keras`` bytes and loads it
    (TensorFlow) only when ``model`` is first used.
    """

    def __init__(self, spec: RunSpec, model=None, history: Optional[dict] = None, seconds: float = 0.0,
                 status: str = "done", message: str = "", predictions=None, font_predictions=None,
                 model_bytes: Optional[bytes] = None, summary: Optional[list] = None):
        self.spec, self.history, self.seconds = spec, history or {"batches": [], "epochs": []}, seconds
        self.status, self.message = status, message
        self.predictions, self.font_predictions = predictions, font_predictions
        self.model_bytes, self.summary = model_bytes, summary
        self._model = model
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None and self.model_bytes is not None:
            with self._lock:
                if self._model is None:
                    self._model = load_model_bytes(self.model_bytes)
        return self._model

    @model.setter
    def model(self, value) -> None:
        self._model = value


def load_model_bytes(blob: bytes):
    """A Keras model from the bytes of a ``.keras`` file (imports TensorFlow)."""
    import keras

    with tempfile.TemporaryDirectory(prefix="tutorial-") as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as f:
            f.write(blob)
        return keras.models.load_model(path)
