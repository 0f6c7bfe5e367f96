"""Training in a child process, so the server does not grow with every model it trains.

TensorFlow keeps memory of every model it has fitted – about 12–25 MB per training here, returned
neither by ``gc.collect()`` nor by ``keras.backend.clear_session()`` (a long-standing TensorFlow
issue, e.g. tensorflow/tensorflow#61791). A workshop server that trains a hundred configurations
would grow by gigabytes. So :class:`ProcessTrainer` trains in one child process (spawned, with its
own TensorFlow), reuses it for the following jobs and replaces it once it has grown past
``recycle_mb``; the finished model comes back as a ``.keras`` file and is loaded in the server.

The child reports progress through a pipe; the server's :class:`~tutorial.jobs.Trainer` calls a
``ProcessTrainer`` exactly like :func:`tutorial.training.train`.
"""
from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from typing import Callable, Optional

from tutorial.spec import RunSpec

RECYCLE_MB = 1000          # replace the child after a job once its resident memory exceeds this
CHILD_DIED = ("Der Trainingsprozess wurde unerwartet beendet (vermutlich war der Arbeitsspeicher des "
              "Servers zu knapp). Bitte versuchen Sie es noch einmal, am besten mit dem Schnellmodus.")


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux; 0 where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError):
        return 0.0


def _child(conn, stop) -> None:
    """The child's loop: receive (spec, every, path), train, save the model to path, report."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from tutorial.training import train

    send_lock = threading.Lock()   # progress may be reported from Keras' callback threads

    def send(message) -> None:
        with send_lock:
            conn.send(message)

    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        spec, every, path = task
        try:
            result = train(spec, on_progress=lambda record: send(("progress", record)), every=every,
                           stop_event=stop)
            result.model.save(path)
            send(("done", (result.history, result.seconds, result.status, result.message)))
        except Exception as exc:  # reported to the learner; the child keeps serving
            send(("error", str(exc) or type(exc).__name__))


class ProcessTrainer:
    """A drop-in for :func:`tutorial.training.train` that trains in a reusable child process.

    Used by one thread at a time (the :class:`~tutorial.jobs.Trainer`'s worker thread).
    """

    def __init__(self, recycle_mb: float = RECYCLE_MB):
        self.recycle_mb = recycle_mb
        self._ctx = multiprocessing.get_context("spawn")
        self._proc = None
        self._conn = None
        self._stop = None
        self._lock = threading.Lock()   # a closing idle worker and a new one never overlap
        self.children_started = 0

    @property
    def child_pid(self) -> Optional[int]:
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None

    def _ensure_child(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            return
        self._close()
        parent_conn, child_conn = self._ctx.Pipe()
        self._stop = self._ctx.Event()
        self._proc = self._ctx.Process(target=_child, args=(child_conn, self._stop), daemon=True,
                                       name="tutorial-training")
        self._proc.start()
        child_conn.close()
        self._conn = parent_conn
        self.children_started += 1

    def close(self) -> None:
        """Stop the child (if any) and free its memory."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            try:
                conn.send(None)
            except (OSError, ValueError):
                pass
        if proc is not None:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=10)
        if conn is not None:
            conn.close()

    def __call__(self, spec: RunSpec, on_progress: Optional[Callable[[dict], None]] = None, every: int = 10,
                 stop_event: Optional[threading.Event] = None):
        with self._lock:
            return self._train(spec, on_progress, every, stop_event)

    def _train(self, spec, on_progress, every, stop_event):
        from tutorial.training import TrainResult

        self._ensure_child()
        self._stop.clear()
        with tempfile.TemporaryDirectory(prefix="tutorial-") as tmp:
            path = os.path.join(tmp, "model.keras")
            self._conn.send((spec, every, path))
            while True:
                if stop_event is not None and stop_event.is_set():
                    self._stop.set()
                try:
                    if not self._conn.poll(0.2):
                        if not self._proc.is_alive():
                            raise EOFError
                        continue
                    kind, payload = self._conn.recv()
                except (EOFError, OSError):
                    self._close()
                    raise RuntimeError(CHILD_DIED) from None
                if kind == "progress":
                    if on_progress is not None:
                        on_progress(payload)
                elif kind == "error":
                    raise RuntimeError(payload)
                else:
                    break
            history, seconds, status, message = payload
            import keras
            model = keras.models.load_model(path)
        if rss_mb(self._proc.pid) > self.recycle_mb:
            self._close()
        return TrainResult(spec, model, history, seconds, status, message)
