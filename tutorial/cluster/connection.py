"""The app server's end of its bridge: starts the bridge process and sends it requests.

The bridge (:mod:`tutorial.cluster.bridge`, run as ``python -m tutorial.cluster.bridge``) is the
server's Ray driver in a child process; the two talk over a socket pair like :mod:`tutorial.worker`.
A Ray driver that loses the cluster's head ends its own process, and ``ray.init`` to an unreachable
address hangs; in the bridge, neither touches the server. This module imports neither Ray nor
TensorFlow nor Streamlit.
"""
from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
from multiprocessing.connection import Connection
from typing import Optional

from tutorial.cluster.config import ClusterUnreachable, child_env
from tutorial.paths import ROOT


class BridgeProcess:
    """The server's Ray driver in a child process; :meth:`call` sends one request and waits."""

    def __init__(self, address: str, namespace: str, options: dict, connect_timeout: float,
                 env: Optional[dict] = None):
        if importlib.util.find_spec("ray") is None:
            raise ClusterUnreachable("Ray ist nicht installiert (pip install -r requirements-cluster.txt)")
        ours, theirs = socket.socketpair()
        env = child_env(env)
        env.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        with theirs:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tutorial.cluster.bridge", str(theirs.fileno()), address, namespace,
                 json.dumps(options)],
                pass_fds=[theirs.fileno()], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.conn = Connection(ours.detach())
        try:
            if not self.conn.poll(connect_timeout):   # ray.init hangs on an address nobody answers
                raise ClusterUnreachable(f"keine Antwort nach {connect_timeout:.0f} s")
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            self.close(kill=True)
            raise ClusterUnreachable("Verbindungsprozess beendet") from None
        except ClusterUnreachable:
            self.close(kill=True)
            raise
        if kind != "ready":
            self.close(kill=True)
            raise ClusterUnreachable(detail)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, method: str, *args, timeout: float = 60.0):
        try:
            self.conn.send((method, list(args)))
            if not self.conn.poll(timeout):
                raise ClusterUnreachable(f"keine Antwort nach {timeout:.0f} s")
            kind, payload = self.conn.recv()
        except (EOFError, OSError):
            raise ClusterUnreachable("Verbindungsprozess beendet") from None
        if kind == "unreachable":
            raise ClusterUnreachable(payload)
        if kind == "error":
            raise RuntimeError(payload)
        return payload

    def close(self, kill: bool = False) -> None:
        """End the bridge: politely (it disconnects from Ray), or at once when it does not answer."""
        try:
            if kill:
                self.proc.kill()
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.conn.close()
