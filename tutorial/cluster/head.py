"""A Ray head on this machine (tests, benchmarks, trying the backend out): :class:`LocalHead`.

:class:`LocalHead` starts ``python -m tutorial.cluster.head`` as a child process; only that child
imports Ray (in :func:`head_main`), so the module itself can be imported by the app server's side.
"""
from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from tutorial.cluster.config import child_env
from tutorial.paths import ROOT


class LocalHead:
    """A Ray head on this machine with token authentication, for the tests and benchmarks.
    :attr:`env` holds what a client needs (token, auth mode)."""

    def __init__(self, num_cpus: int = 2, object_store_mb: int = 200, timeout: float = 90):
        self.temp_dir = tempfile.mkdtemp(prefix="ray-")
        self.env = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32),
                    "RAY_USAGE_STATS_ENABLED": "0"}
        env = child_env(self.env)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "tutorial.cluster.head", str(num_cpus),
                                      str(object_store_mb), self.temp_dir], cwd=ROOT, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self._readline(timeout)
        if not line:
            self.stop()
            raise RuntimeError("the local Ray head did not start")
        host, port = line.strip().rsplit(":", 1)
        self.address = f"127.0.0.1:{port}"
        self.start_seconds = time.perf_counter() - t0

    def _readline(self, timeout: float) -> str:
        out: list = []
        reader = threading.Thread(target=lambda: out.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        return out[0] if out else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("\n")
                self.proc.stdin.flush()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def head_main(num_cpus: int, object_store_mb: int, temp_dir: str) -> None:
    """Start a local Ray instance, print its address, and stop it when stdin closes or a line comes."""
    import ray
    ray.init(num_cpus=num_cpus, include_dashboard=False, object_store_memory=object_store_mb * 2 ** 20,
             _temp_dir=temp_dir, logging_level="ERROR", log_to_driver=False)
    print(ray.get_runtime_context().gcs_address, flush=True)
    sys.stdin.readline()
    ray.shutdown()


if __name__ == "__main__":
    head_main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
