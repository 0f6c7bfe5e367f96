"""Training in a child process, so the server does not grow with every model it trains.

TensorFlow keeps memory of every model it has fitted – about 12–25 MB per training here, returned
neither by ``gc.collect()`` nor by ``keras.backend.clear_session()`` (a long-standing TensorFlow
issue, e.g. tensorflow/tensorflow#61791). A workshop server that trains a hundred configurations
would grow by gigabytes. So :class:`ProcessTrainer` trains in one child process (``python -m tutorial.worker``, with its
own TensorFlow), reuses it for the following jobs and replaces it once it has grown past
``recycle_mb``; the finished model comes back as a ``.keras`` file and is loaded in the server.

The child is a plain subprocess, not a ``multiprocessing`` one: spawn would re-run the parent's
``__main__``, and inside Streamlit that is the page script that ran last. Parent and child talk
over a socket pair (``multiprocessing.connection.Connection``): tasks and a stop request go down,
progress records and the result come back. The server's :class:`~tutorial.jobs.Trainer` calls a
``ProcessTrainer`` exactly like :func:`tutorial.training.train`. POSIX only (``pass_fds``); on
Windows the Trainer trains in its own process instead.
"""
from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable, Optional

from tutorial.spec import RunSpec

RECYCLE_MB = 1000          # replace the child after a job once its resident memory exceeds this
ROOT = Path(__file__).resolve().parent.parent
SUPPORTED = os.name == "posix"
CHILD_DIED = ("Der Trainingsprozess wurde unerwartet beendet (vermutlich war der Arbeitsspeicher des "
              "Servers zu knapp). Bitte versuchen Sie es noch einmal, am besten mit dem Schnellmodus.")


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux; 0 where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError):
        return 0.0


def child_main(fd: int) -> None:
    """The child's loop: receive (spec, every, path), train, save the model to path, report.

    A reader thread takes every message from the server: tasks go to a queue, "stop" stops the
    running training, and a closed connection (the server is gone) stops everything.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    conn = Connection(fd)
    tasks: "queue.Queue" = queue.Queue()
    stop = threading.Event()
    send_lock = threading.Lock()   # progress may be reported from Keras' callback threads

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                message = None
            if message == "stop":
                stop.set()
                continue
            if message is None:
                stop.set()
            tasks.put(message)
            if message is None:
                return

    def send(message) -> None:
        with send_lock:
            conn.send(message)

    threading.Thread(target=read, name="tutorial-worker-reader", daemon=True).start()
    from tutorial.training import train

    while (task := tasks.get()) is not None:
        spec, every, path = task
        stop.clear()
        try:
            result = train(spec, on_progress=lambda record: send(("progress", record)), every=every,
                           stop_event=stop)
            result.model.save(path)
            send(("done", (result.history, result.seconds, result.status, result.message)))
        except (BrokenPipeError, ConnectionError):
            return
        except Exception as exc:  # reported to the learner; the child keeps serving
            send(("error", str(exc) or type(exc).__name__))


class ProcessTrainer:
    """A drop-in for :func:`tutorial.training.train` that trains in a reusable child process."""

    def __init__(self, recycle_mb: float = RECYCLE_MB):
        self.recycle_mb = recycle_mb
        self._proc: Optional[subprocess.Popen] = None
        self._conn: Optional[Connection] = None
        self._lock = threading.Lock()   # a closing idle worker and a new one never overlap
        self.children_started = 0

    @property
    def child_pid(self) -> Optional[int]:
        return self._proc.pid if self._alive() else None

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _ensure_child(self) -> None:
        if self._alive():
            return
        self._close()
        ours, theirs = socket.socketpair()
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        with theirs:
            self._proc = subprocess.Popen([sys.executable, "-m", "tutorial.worker", str(theirs.fileno())],
                                          pass_fds=[theirs.fileno()], cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        self._conn = Connection(ours.detach())
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
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if conn is not None:
            conn.close()

    def __call__(self, spec: RunSpec, on_progress: Optional[Callable[[dict], None]] = None, every: int = 10,
                 stop_event: Optional[threading.Event] = None):
        with self._lock:
            return self._train(spec, on_progress, every, stop_event)

    def _train(self, spec, on_progress, every, stop_event):
        from tutorial.training import TrainResult

        self._ensure_child()
        stop_sent = False
        with tempfile.TemporaryDirectory(prefix="tutorial-") as tmp:
            path = os.path.join(tmp, "model.keras")
            try:
                self._conn.send((spec, every, path))
                while True:
                    if stop_event is not None and stop_event.is_set() and not stop_sent:
                        self._conn.send("stop")
                        stop_sent = True
                    if not self._conn.poll(0.2):
                        if not self._alive():
                            raise EOFError
                        continue
                    kind, payload = self._conn.recv()
                    if kind == "progress":
                        if on_progress is not None:
                            on_progress(payload)
                    elif kind == "error":
                        raise RuntimeError(payload)
                    else:
                        break
            except (EOFError, OSError):
                self._close()
                raise RuntimeError(CHILD_DIED) from None
            history, seconds, status, message = payload
            import keras
            model = keras.models.load_model(path)
        if rss_mb(self._proc.pid) > self.recycle_mb:
            self._close()
        return TrainResult(spec, model, history, seconds, status, message)


if __name__ == "__main__":
    child_main(int(sys.argv[1]))
