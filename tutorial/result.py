"""What a training returns and how a job ends: :class:`TrainResult`, :class:`Cancelled`, the job
states and the German messages for a failed or cancelled run.

The lowest layer of the training core: :mod:`tutorial.training` (in-process), :mod:`tutorial.worker`
(training child), the job (:mod:`tutorial.job`), both trainers (:mod:`tutorial.jobs`,
:mod:`tutorial.cluster.client`) and the Ray job table import it; it imports none of them.

The guards of a running training live here too, so the local trainer and the Ray job table share
them: :func:`time_limit` (a run may train twice its price, :mod:`tutorial.price`), the German
messages of a run stopped by the time limit or the memory watchdog, and :class:`Stopped`.

A result that comes from a training child or a Ray worker holds the model's weights only (the bytes
of an ``.npz`` file, no optimizer state); the model is rebuilt from the spec and loaded when a page
first uses it. This module imports TensorFlow only in :func:`load_weights`.
"""
from __future__ import annotations

import io
import threading
from typing import Optional

import numpy as np

from tutorial.deutsch import de, duration
from tutorial.spec import RunSpec

FAILED_MESSAGE = "Beim Training ist ein Fehler aufgetreten: {error}"
CANCELLED_MESSAGE = "Das Training wurde abgebrochen."
DROPPED_MESSAGE = ("Dieser Lauf wurde aus der Warteschlange genommen, weil einige Minuten lang niemand, der auf "
                   "ihn wartet, in der App war. Mit »Erneut versuchen« stellen Sie ihn wieder an.")
HOST_CANCELLED_MESSAGE = "Die Kursleitung hat diesen Lauf abgebrochen."
TIMEOUT_MESSAGE = ("Das Training wurde nach {seconds} angehalten: Es dauerte mehr als doppelt so lange, wie "
                   "es auf diesem Server dauern sollte. Die Kurven bis dahin sehen Sie hier. Verringern Sie "
                   "die Zahl der Epochen oder nehmen Sie den Schnellmodus.")
MEMORY_MESSAGE = ("Das Training wurde abgebrochen: Der Trainingsprozess brauchte mehr als {limit} MB "
                  "Arbeitsspeicher – mehr, als dieser Server einem Training erlaubt. Verringern Sie die Zahl "
                  "der Filter oder Neuronen, wählen Sie eine größere Schrittweite oder eine kleinere "
                  "Batch-Größe.")
HUNG_MESSAGE = ("Das Training wurde nach {seconds} abgebrochen: Der Trainingsprozess hat seine Zeitgrenze weit "
                "überschritten, ohne anzuhalten. Verringern Sie die Zahl der Epochen oder nehmen Sie den "
                "Schnellmodus.")
TIME_LIMIT_FACTOR = 2.0     # a run may train this many times its price (idle seconds) …
TIME_LIMIT_MIN = 60.0       # … and at least this many seconds
PRICE_THREADS = 2           # the price is for an idle 2-core box: a child with fewer threads gets longer
STATES = ("queued", "running", "finishing", "done", "failed", "cancelled")
ACTIVE = ("running", "finishing")           # a job that holds a slot
FINISHED = ("done", "failed", "cancelled")


class Cancelled(Exception):
    """Raised by a backend that gave up because its job was cancelled."""


class Stopped(Exception):
    """Raised by a backend whose guard stopped the training (e.g. the memory watchdog); ``str()`` is
    the German message the job fails with, as it is."""


def time_limit(price_seconds: float, threads: int = PRICE_THREADS) -> Optional[float]:
    """Seconds one run may train where it runs (not counting the queue): twice its price, scaled up
    for fewer threads than the price assumes, at least :data:`TIME_LIMIT_MIN`; None when the price
    is unknown (0)."""
    if not price_seconds or price_seconds <= 0:
        return None
    return max(TIME_LIMIT_MIN, TIME_LIMIT_FACTOR * price_seconds * max(1.0, PRICE_THREADS / max(1, threads)))


def timeout_message(seconds: float) -> str:
    return TIMEOUT_MESSAGE.format(seconds=duration(seconds))


def hung_message(seconds: float) -> str:
    return HUNG_MESSAGE.format(seconds=duration(seconds))


def memory_message(limit_mb: float) -> str:
    return MEMORY_MESSAGE.format(limit=de(limit_mb))


class TrainResult:
    """A finished run: its model, history, duration, status and the predictions of the test digits.

    ``predictions``: predicted label of each of the run's ``spec.val_size`` test digits (computed
    where it trained); ``font_predictions``: the same for ``fonts.font_digits(FONT_DIGITS)``;
    ``summary``: ``tutorial.models.summary_rows(model)``.
    A result that came from a training child or a Ray worker holds the model's ``weights`` (bytes of
    an ``.npz`` file, :func:`weights_bytes`, without the optimizer state); the model is rebuilt from ``spec`` and
    loaded (TensorFlow) only when ``model`` is first used.
    """

    def __init__(self, spec: RunSpec, model=None, history: Optional[dict] = None, seconds: float = 0.0,
                 status: str = "done", message: str = "", predictions=None, font_predictions=None,
                 weights: Optional[bytes] = None, summary: Optional[list] = None):
        self.spec, self.history, self.seconds = spec, history or {"batches": [], "epochs": []}, seconds
        self.status, self.message = status, message
        self.predictions, self.font_predictions = predictions, font_predictions
        self.weights, self.summary = weights, summary
        self._model = model
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None and self.weights is not None:
            with self._lock:
                if self._model is None:
                    self._model = load_weights(self.spec, self.weights)
        return self._model

    @model.setter
    def model(self, value) -> None:
        self._model = value

    @property
    def nbytes(self) -> int:
        """What the server keeps of this result, in bytes: the weights, twice once the model is loaded
        (the weights file and the model's own variables; predictions and history are small)."""
        size = len(self.weights or b"")
        return size * 2 if self._model is not None else size


def to_forget(jobs: dict, max_jobs: int, max_bytes: float) -> list:
    """The keys of ``jobs`` (oldest first; values with ``done``, ``host`` and ``result``) a trainer
    forgets so that at most ``max_jobs`` jobs and ``max_bytes`` of learners' results stay: finished
    ones, oldest first; the host's pre-trained runs are neither forgotten nor counted."""
    finished = [key for key, job in jobs.items() if job.done and not job.host]
    held = sum(j.result.nbytes for j in jobs.values() if j.result is not None and not j.host)
    count, out = len(jobs), []
    while finished and (count > max_jobs or held > max_bytes):
        key = finished.pop(0)
        out.append(key)
        count, held = count - 1, held - (jobs[key].result.nbytes if jobs[key].result is not None else 0)
    return out


def weights_bytes(model) -> bytes:
    """The model's weights (``model.get_weights()``: every layer's variables in order, batch
    normalisation's moving statistics included, no optimizer state) as the bytes of an ``.npz`` file.
    (Keras 3's ``save_weights`` writes the optimizer's variables too: three times the size with Adam.)"""
    buffer = io.BytesIO()
    np.savez(buffer, *model.get_weights())
    return buffer.getvalue()


def load_weights(spec: RunSpec, blob: bytes):
    """The model of ``spec`` (rebuilt, compiled) with the weights from :func:`weights_bytes` (imports TensorFlow)."""
    from tutorial.models import build_model

    model = build_model(spec)
    with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
        model.set_weights([arrays[f"arr_{i}"] for i in range(len(arrays.files))])
    return model
