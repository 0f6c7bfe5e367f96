"""The bridge: an app server's Ray driver, run as ``python -m tutorial.cluster.bridge`` by
:class:`~tutorial.cluster.connection.BridgeProcess`.

It connects to the cluster, finds or creates the named, detached job table
(:class:`~tutorial.cluster.table.JobTable`) and answers the server's requests over the socket pair
until the server goes away. It imports ``ray``; the app server itself never does, so it survives
whatever happens to the cluster (a Ray driver ends its process when it loses the head).
"""
from __future__ import annotations

import json
import sys

import ray
from ray import exceptions as rex

from tutorial.cluster.config import CALL_TIMEOUT, FETCH_TIMEOUT, TABLE_NAME
from tutorial.cluster.table import JobTable

# Errors that mean "the cluster (or the table) cannot be reached", not "this job failed".
UNREACHABLE_ERRORS = (rex.GetTimeoutError, rex.RaySystemError, rex.ActorUnavailableError, rex.RpcError,
                      ConnectionError, OSError)


def table_handle(namespace: str, options: dict):
    """The named, detached job table: the existing one or a new one on the head node."""
    return JobTable.options(name=TABLE_NAME, namespace=namespace, lifetime="detached", get_if_exists=True,
                            max_concurrency=1000, resources={"node:__internal_head__": 0.001}).remote(**options)


def _call(table, method: str, args: list):
    if method == "fetch":
        refs = ray.get(table.fetch.remote(*args), timeout=CALL_TIMEOUT)
        if refs is None:
            return None
        meta, blob = ray.get(refs, timeout=FETCH_TIMEOUT)
        return meta, blob
    if method == "kill_table":          # tests and a host's "start the table anew"
        ray.kill(table)
        return True
    return ray.get(getattr(table, method).remote(*args), timeout=CALL_TIMEOUT)


def bridge_main(fd: int, address: str, namespace: str, options: dict) -> None:
    """Connect to the cluster, then answer (method, args) requests until the server goes away."""
    from multiprocessing.connection import Connection
    conn = Connection(fd)
    try:
        ray.init(address=address, namespace=namespace, logging_level="ERROR", log_to_driver=False)
        table = table_handle(namespace, options)
        ray.get(table.lookup.remote(""), timeout=CALL_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - reported to the server, which shows it on the host page
        conn.send(("unreachable", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            break
        if request is None:
            break
        method, args = request
        for attempt in (1, 2):
            try:
                reply = ("ok", _call(table, method, args))
            except rex.ActorDiedError as exc:
                if attempt == 1 and method != "kill_table":
                    table = table_handle(namespace, options)   # the table was lost: a new, empty one
                    continue
                reply = ("unreachable", f"{type(exc).__name__}: {exc}")
            except UNREACHABLE_ERRORS as exc:
                reply = ("unreachable", f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a bug or bad request: the server raises it
                reply = ("error", f"{type(exc).__name__}: {exc}")
            break
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            break
    ray.shutdown()


if __name__ == "__main__":
    # Use the module under its importable name (``__main__`` is not importable on Ray's workers).
    from tutorial.cluster import bridge as _self
    _self.bridge_main(int(sys.argv[1]), sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
