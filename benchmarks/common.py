"""Shared bits of the benchmark scripts: machine description and writing RESULTS.md sections."""
from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
# Debian's chromium as the benchmarks and the browser tests launch it (never a downloaded browser)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import keras
    import tensorflow as tf
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}")


def write_section(title: str, body: str) -> None:
    """Replace (or append) the section ``## title`` of RESULTS.md."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")
    print(section)


def start_streamlit(env: dict | None = None, cpus: set[int] | None = None,
                    script: str = "streamlit_app.py", port: int | None = None) -> tuple[subprocess.Popen, str]:
    """``streamlit run <script>`` on a free localhost port (no file watcher, as in production);
    returns the process and its URL once the health check answers (90 s at most). ``cpus``: pin the
    server (and so its training children) to these CPUs, like ``taskset``. The tests start their
    servers here too (tests/conftest.py). ``port``: this port instead of a free one (e.g. to start a
    stopped server again where its open pages reconnect)."""
    import socket
    import time
    import urllib.request

    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.port", str(port),
                             "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
                            start_new_session=True)      # its own process group: stop_streamlit ends all of it
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError("streamlit did not start")
        time.sleep(0.3)


def stop_streamlit(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate a server from :func:`start_streamlit` with every process it started (its process
    group: training children too, also one spawned a moment ago), and wait until all are gone – a
    child still finishing a run would take CPU from the next measurement."""
    import signal
    import time
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.killpg(proc.pid, 0)                # anyone left in the group?
        except ProcessLookupError:
            return
        if not any(_running(int(p)) for p in os.listdir("/proc") if p.isdigit() and _in_group(int(p), proc.pid)):
            return
        time.sleep(0.2)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _in_group(pid: int, group: int) -> bool:
    try:
        return os.getpgid(pid) == group
    except OSError:
        return False


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc)."""
    kids, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            for task in os.listdir(f"/proc/{parent}/task"):
                with open(f"/proc/{parent}/task/{task}/children") as f:
                    found = [int(x) for x in f.read().split()]
                kids += found
                todo += found
        except OSError:
            continue
    return kids
