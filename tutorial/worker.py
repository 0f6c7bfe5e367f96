"""Training in a child process, so the server does not grow with every model it trains.

TensorFlow keeps memory of every model it has fitted – about 12–25 MB per training here, returned
neither by ``gc.collect()`` nor by ``keras.backend.clear_session()`` (a long-standing TensorFlow
issue, e.g. tensorflow/tensorflow#61791). A workshop server that trains a hundred configurations
would grow by gigabytes. So :class:`ProcessTrainer` trains in one child process (``python -m tutorial.worker``, with its
own TensorFlow), reuses it for the following jobs and replaces it once it has grown past
``recycle_mb``; the finished model comes back as its weights (rebuilt and loaded in the server only
when a page needs the model), together with the predictions of the test digits computed in the
child, so the server needs no TensorFlow to show a result.

The child is a plain subprocess, not a ``multiprocessing`` one: spawn would re-run the parent's
``__main__``, and inside Streamlit that is the page script that ran last. Parent and child talk
over a socket pair (``multiprocessing.connection.Connection``): tasks and a cancel request go down;
"ready" (TensorFlow imported, data loaded), progress records (the last one is "finishing") and the
result come back (the model as the bytes of its weights, without the optimizer state). A
cancelled training stops at its next batch and sends nothing of it back; a child that does not answer
a cancel within ``CANCEL_GRACE`` seconds is killed.

Guards: a task carries its time limit (the child stops the training after it, keeping the curves so
far; a child that has not answered by ``HARD_FACTOR`` × the limit + ``HARD_GRACE`` seconds – stuck in
one step, a validation pass or TensorFlow itself – is killed by the parent, so no run holds a slot for
good); the parent samples the child's resident memory while it trains and kills and replaces a child
above ``memory_mb`` (the job fails with :func:`tutorial.result.memory_message`); a reused child that
already sits high is replaced before a task whose predicted peak would not fit beside it. A child
never outlives its server (:mod:`tutorial.lifeline`: a parent-death signal and a watchdog thread), and
it exits at once when the connection closes without the server's goodbye.

A child started ahead of time (:meth:`ProcessTrainer.start`, the server's warm start) imports
TensorFlow, loads the data and fits a tiny model once while nobody waits, so the first learner
pays none of that. Each child limits TensorFlow to ``threads`` threads (its share of the cores).
A ``ProcessTrainer`` is a :class:`tutorial.backend.Backend` of the local trainer
(:class:`tutorial.jobs.LocalTrainer`). POSIX only (``pass_fds``); on Windows the trainer trains in its
own process instead (:class:`tutorial.backend.InProcess`).
"""
from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from typing import Callable, Optional

from tutorial.lifeline import die_with_parent, spawn
from tutorial.paths import ROOT
from tutorial.price import BASE_MB, START
from tutorial.result import Cancelled, Stopped, TrainResult, hung_message, memory_message
from tutorial.spec import RunSpec

RECYCLE_MB = 1000          # replace the child after a job once its resident memory exceeds this
RECYCLE_DELAY = 3.0        # ... but only this many seconds after the job's result went back
CANCEL_GRACE = 0.8         # seconds a child gets to stop a cancelled training before it is killed
MEMORY_SAMPLE = 0.2        # seconds between two samples of a training child's resident memory
HARD_FACTOR, HARD_GRACE = 1.5, 120.0   # a child silent past factor × its time limit + grace is killed
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


def _warm_up() -> None:
    """Load the data and fit a tiny model once, so the first real training starts at once."""
    from tutorial import data, presets
    from tutorial.training import train
    data.load_arrays("train")
    data.load_arrays("test")
    train(presets.PRESETS["keras_01_mnist"].with_(limit=256, epochs=1, val_limit=100), predict=False)


def child_main(fd: int, threads: int = 0, warm: bool = False, parent: int = 0) -> None:
    """The child's loop: receive (task id, spec, every, path, time limit), train, save the weights to
    path, report.

    A reader thread takes every message from the server: tasks go to a queue, "cancel" stops the
    running training, and a closed connection (the server is gone) ends the process at once.
    """
    if parent:
        die_with_parent(parent)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    conn = Connection(fd)
    tasks: "queue.Queue" = queue.Queue()
    cancel = threading.Event()     # set while the current task is cancelled
    state = {"current": None, "cancelled": set()}
    state_lock = threading.Lock()
    send_lock = threading.Lock()   # progress may be reported from Keras' callback threads

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):      # the server is gone (it says None when it closes us)
                os._exit(0)
            if isinstance(message, tuple) and message[0] == "cancel":
                with state_lock:   # a cancel names its task: a late one never hits the next task
                    state["cancelled"].add(message[1])
                    if state["current"] == message[1]:
                        cancel.set()
                continue
            if message is None:
                cancel.set()
            tasks.put(message)
            if message is None:
                return

    def send(message) -> None:
        with send_lock:
            conn.send(message)

    threading.Thread(target=read, name="tutorial-worker-reader", daemon=True).start()
    from tutorial.result import weights_bytes
    from tutorial.training import limit_threads, train
    limit_threads(threads)
    if warm:
        _warm_up()
    send(("ready", None))

    def progress(record: dict) -> None:
        if not cancel.is_set():
            send(("progress", record))

    while (task := tasks.get()) is not None:
        task_id, spec, every, path, time_limit = task
        with state_lock:
            state["current"] = task_id
            if task_id in state["cancelled"]:
                cancel.set()
            else:
                cancel.clear()
        try:
            if not cancel.is_set():
                result = train(spec, on_progress=progress, every=every, stop_event=cancel, time_limit=time_limit)
            if cancel.is_set():
                send(("cancelled", None))
                continue
            with open(path, "wb") as f:
                f.write(weights_bytes(result.model))
            send(("done", (result.history, result.seconds, result.status, result.message, result.predictions,
                           result.font_predictions, result.summary)))
        except (BrokenPipeError, ConnectionError):
            return
        except Exception as exc:  # reported to the learner; the child keeps serving
            send(("cancelled", None) if cancel.is_set() else ("error", str(exc) or type(exc).__name__))


class ProcessTrainer:
    """A :class:`~tutorial.backend.Backend` that trains in a reusable child process.

    ``stop_event`` means cancel here: the training stops, nothing comes back, and
    :class:`~tutorial.result.Cancelled` is raised. ``memory_mb``: the child's memory limit (None: no
    watchdog); ``peak_mb`` is the highest sample of the last task.
    """

    def __init__(self, recycle_mb: float = RECYCLE_MB, threads: int = 0, recycle_delay: float = RECYCLE_DELAY,
                 memory_mb: Optional[float] = None):
        self.recycle_mb = recycle_mb
        self.memory_mb = memory_mb
        self.peak_mb = 0.0
        self.replaced_for_memory = 0     # children replaced before a task that would not fit beside them
        self.recycle_delay = recycle_delay
        self._grown: Optional[subprocess.Popen] = None    # a child to replace before its next task
        self.threads = threads
        self.keep = False          # a started (warm) child stays when idle and is replaced at once
        self._proc: Optional[subprocess.Popen] = None
        self._conn: Optional[Connection] = None
        self._spawned = 0.0
        self._ready = False
        self._tasks = 0
        self._lock = threading.Lock()   # a closing idle worker and a new one never overlap
        self.children_started = 0

    @property
    def child_pid(self) -> Optional[int]:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, keep: bool = True) -> None:
        """Start a warm child now without waiting for it (it imports TensorFlow on its own)."""
        with self._lock:
            self.keep = keep
            self._ensure_child(warm=True)

    def wait_ready(self, timeout: float = 120) -> bool:
        """Wait until the child reports "ready" (TensorFlow imported, data loaded, warm-up done)."""
        with self._lock:
            if self._ready or not self._alive():
                return self._ready
            try:
                if self._conn.poll(timeout):
                    self._ready = self._conn.recv()[0] == "ready"
            except (EOFError, OSError):
                return False
            return self._ready

    def start_estimate(self) -> float:
        """Seconds from a task to its first step: a warm child needs only the model and its tracing."""
        from tutorial.estimate import CHILD_START
        if not self._alive() or self._grown is self._proc:     # none, or one to be replaced first
            return START + CHILD_START
        return START + max(0.0, CHILD_START - (time.monotonic() - self._spawned))

    def _ensure_child(self, warm: bool = False) -> None:
        if self._alive():
            return
        self._close()
        ours, theirs = socket.socketpair()
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        args = [sys.executable, "-m", "tutorial.worker", str(theirs.fileno()), str(self.threads), str(int(warm)),
                str(os.getpid())]
        with theirs:
            self._proc = spawn(args, pass_fds=[theirs.fileno()], cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        self._conn = Connection(ours.detach())
        self._spawned = time.monotonic()
        self._ready = False
        self.children_started += 1

    def idle(self) -> None:
        """No work for now: stop the child and free its memory, unless it is kept warm."""
        with self._lock:
            if not self.keep:
                self._close()

    def close(self) -> None:
        """Stop the child (if any) and free its memory."""
        with self._lock:
            self.keep = False
            self._close()

    def _close(self, kill: bool = False) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = self._grown = None
        if conn is not None and not kill:
            try:
                conn.send(None)
            except (OSError, ValueError):
                pass
        if proc is not None:
            try:
                if kill:
                    proc.kill()
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if conn is not None:
            conn.close()

    def _replace(self, kill: bool = False) -> None:
        """Close the child; a kept (warm) one is replaced by a new warm child right away."""
        self._close(kill=kill)
        if self.keep:
            self._ensure_child(warm=True)

    def _recycle_later(self, proc: subprocess.Popen) -> None:
        """Replace ``proc`` (grown past ``recycle_mb``) a moment after its result went back, so the
        server draws the learner's result before the old child exits and a new one imports
        TensorFlow (replacing it before returning delayed that result by 1.4 s on two cores, measured;
        on one core the new child's start also competes with the result page). A task that comes
        sooner replaces it first."""
        self._grown = proc

        def replace() -> None:
            time.sleep(self.recycle_delay)
            with self._lock:
                if self._grown is proc and self._proc is proc:
                    self._replace()

        threading.Thread(target=replace, name="tutorial-worker-recycle", daemon=True).start()

    def train(self, spec: RunSpec, on_progress: Optional[Callable[[dict], None]] = None, every: int = 10,
              stop_event: Optional[threading.Event] = None, time_limit: Optional[float] = None,
              memory_mb: Optional[float] = None) -> TrainResult:
        """Train ``spec`` in the child (started or replaced first when needed); see the class.
        ``time_limit``: seconds the child may train; ``memory_mb``: the run's predicted peak (price)."""
        with self._lock:
            return self._run(spec, on_progress, every, stop_event, time_limit, memory_mb)

    def _fits(self, predicted_mb: Optional[float]) -> bool:
        """Whether a run with this predicted peak (of a fresh child) fits beside what the child holds."""
        if self.memory_mb is None or predicted_mb is None or not self._alive():
            return True
        return rss_mb(self._proc.pid) - BASE_MB + predicted_mb <= self.memory_mb

    def _run(self, spec, on_progress, every, stop_event, time_limit=None, predicted_mb=None) -> TrainResult:
        if self._grown is not None and self._grown is self._proc:
            self._replace()                 # grown past the limit: not for another task
        elif not self._fits(predicted_mb):
            self.replaced_for_memory += 1
            self._replace()
        self._ensure_child()
        cancel_sent: Optional[float] = None
        self.peak_mb, sampled = 0.0, 0.0
        with tempfile.TemporaryDirectory(prefix="tutorial-") as tmp:
            path = os.path.join(tmp, "weights.npz")
            try:
                self._tasks += 1
                task_id = self._tasks
                self._conn.send((task_id, spec, every, path, time_limit))
                sent = time.monotonic()
                hard = None if time_limit is None else sent + HARD_FACTOR * time_limit + HARD_GRACE
                while True:
                    if hard is not None and time.monotonic() > hard:      # the child's own limit did not act
                        self._replace(kill=True)
                        raise Stopped(hung_message(time.monotonic() - sent))
                    if self.memory_mb is not None and time.monotonic() - sampled >= MEMORY_SAMPLE:
                        sampled = time.monotonic()
                        self.peak_mb = max(self.peak_mb, rss_mb(self._proc.pid))
                        if self.peak_mb > self.memory_mb:
                            self._replace(kill=True)
                            raise Stopped(memory_message(self.memory_mb))
                    if stop_event is not None and stop_event.is_set():
                        if cancel_sent is None:
                            self._conn.send(("cancel", task_id))
                            cancel_sent = time.monotonic()
                        elif time.monotonic() - cancel_sent > CANCEL_GRACE:
                            self._replace(kill=True)      # stuck in tracing or validation: stop it now
                            raise Cancelled()
                    if not self._conn.poll(0.05 if cancel_sent is not None else MEMORY_SAMPLE):
                        if not self._alive():
                            raise EOFError
                        continue
                    kind, payload = self._conn.recv()
                    if kind == "progress":
                        if on_progress is not None and cancel_sent is None:
                            on_progress(payload)
                    elif kind == "error":
                        raise RuntimeError(payload)
                    elif kind == "cancelled":
                        raise Cancelled()
                    elif kind == "ready":
                        self._ready = True
                    elif kind == "done":
                        break
            except (EOFError, OSError):
                self._replace()
                raise RuntimeError(CHILD_DIED) from None
            history, seconds, status, message, predictions, font_predictions, summary = payload
            with open(path, "rb") as f:
                blob = f.read()
        if rss_mb(self._proc.pid) > self.recycle_mb:
            self._recycle_later(self._proc)
        return TrainResult(spec, None, history, seconds, status, message, predictions, font_predictions,
                           weights=blob, summary=summary)


if __name__ == "__main__":
    child_main(int(sys.argv[1]), *(int(a) for a in sys.argv[2:5]))
