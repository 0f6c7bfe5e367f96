"""The training task of the Ray backend: :func:`train_task`, one training on a cluster worker.

It rebuilds the :class:`~tutorial.spec.RunSpec` from plain data
(:meth:`~tutorial.spec.RunSpec.from_data`; a job carries nothing but the spec's fields and
the task function is this module's own, never code or files from a learner), trains with
:func:`tutorial.training.train` on one CPU share or one GPU, reports progress to the job table twice
a second (the answer tells it whether to stop), stops after ``time_limit`` seconds of training (the
curves so far come back, :func:`tutorial.result.time_limit`; None for the host's runs) and returns the
history and the model's weights (:func:`tutorial.result.weights_bytes`, no optimizer state) as two objects. Only Ray
workers import this module (it imports ``ray``).
"""
from __future__ import annotations

import os
import threading

import ray
from ray import exceptions as rex

from tutorial.cluster.config import CALL_TIMEOUT, MAX_CALLS, REPORT_SECONDS
from tutorial.spec import RunSpec


@ray.remote(num_returns=2, max_retries=0, max_calls=MAX_CALLS)
def train_task(data: dict, key: str, run: int, every: int, table, threads: int, time_limit=None):
    """Train the spec described by ``data``; report to ``table``; return (meta, weights bytes)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    spec = RunSpec.from_data(data)
    where = {"pid": os.getpid(), "node": ray.get_runtime_context().get_node_id(),
             "host": ray.util.get_node_ip_address()}
    if ray.get(table.report.remote(key, run, [], where), timeout=CALL_TIMEOUT):
        return {"status": "cancelled"}, b""        # cancelled while it waited for a worker
    from tutorial.result import weights_bytes
    from tutorial.training import limit_threads, train
    limit_threads(threads)

    stop, finished, lock = threading.Event(), threading.Event(), threading.Lock()
    pending: list = []

    def flush() -> None:
        with lock:
            records = sorted(pending, key=lambda r: r.get("step", 0))
            pending.clear()
        try:
            if ray.get(table.report.remote(key, run, records, where), timeout=CALL_TIMEOUT):
                stop.set()
        except rex.ActorDiedError:   # the table is gone (restarted): nobody will take this result
            stop.set()
        except Exception:  # noqa: BLE001 - table briefly unreachable: train on, report next time
            pass

    def reporter() -> None:
        flush()
        while not finished.wait(REPORT_SECONDS):
            flush()
        flush()          # the last records: a short training may end between two reports

    def progress(record: dict) -> None:
        with lock:
            pending.append(record)

    thread = threading.Thread(target=reporter, name="tutorial-ray-report", daemon=True)
    thread.start()
    try:
        result = None if stop.is_set() else train(spec, on_progress=progress, every=every, stop_event=stop,
                                                  time_limit=time_limit)
    finally:
        finished.set()
        thread.join()
    if stop.is_set() or result is None:
        return {"status": "cancelled"}, b""
    meta = {"history": result.history, "seconds": result.seconds, "status": result.status,
            "message": result.message, "predictions": result.predictions,
            "font_predictions": result.font_predictions, "summary": result.summary}
    return meta, weights_bytes(result.model)
