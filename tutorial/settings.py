"""Server settings a host may change, resolved without Streamlit.

Each setting comes from (in this order) an explicit value (the app layer passes what it read from
``st.secrets``), an environment variable, or an automatic default measured on this machine:

* ``TUTORIAL_PARALLEL_TRAININGS`` – trainings at once. Automatic: one per two cores, at most as
  many as the free memory holds (``TRAINING_MB`` each beside ``SERVER_MB`` for the server), at
  least 1 – so 1 on a 2-core box or Streamlit Community Cloud, 8 on a 16-core VM with 16 GB free.
* ``TUTORIAL_MEMORY_LIMIT_MB`` – the memory the host page compares server + trainings with.
  Automatic: the container's limit (cgroup), else the machine's total memory.

* ``TUTORIAL_WARM_START`` – "0" turns the warm start off (default on).

Each training child then uses ``cores // parallel`` TensorFlow threads (``threads_per_training``).
"""
from __future__ import annotations

import os
from typing import Optional

TRAINING_MB = 1300   # peak of one training child (keras_05: ~1.1–1.2 GB, benchmarks/RESULTS.md)
SERVER_MB = 1000     # the Streamlit server with TensorFlow and the pretrained models loaded
MAX_PARALLEL = 16


def _int(value) -> Optional[int]:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _read(path: str) -> Optional[str]:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def cores() -> int:
    """CPU cores this process may use: affinity mask, limited by a cgroup CPU quota."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        n = os.cpu_count() or 1
    quota = _read("/sys/fs/cgroup/cpu.max")           # cgroup v2: "max 100000" or "200000 100000"
    if quota and not quota.startswith("max"):
        try:
            limit, period = (int(x) for x in quota.split()[:2])
            n = min(n, max(1, limit // period))
        except ValueError:
            pass
    return max(1, n)


def memory_limit_mb() -> float:
    """The memory available to the app: the cgroup limit if there is one, else the machine's total."""
    explicit = _int(os.environ.get("TUTORIAL_MEMORY_LIMIT_MB"))
    if explicit:
        return float(explicit)
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        value = _int(_read(path))
        if value and value < 2 ** 50:
            return value / 2 ** 20
    return _meminfo("MemTotal") or 4096.0


def _meminfo(field: str) -> Optional[float]:
    text = _read("/proc/meminfo") or ""
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def available_mb() -> float:
    """Memory a new training could use: free memory, within the container's limit."""
    free = _meminfo("MemAvailable") or 4096.0
    return min(free, memory_limit_mb())


def parallel_trainings(value=None) -> int:
    """How many trainings run at once (explicit value, ``TUTORIAL_PARALLEL_TRAININGS``, automatic)."""
    n = _int(value) or _int(os.environ.get("TUTORIAL_PARALLEL_TRAININGS"))
    if n:
        return min(n, MAX_PARALLEL)
    by_cores = cores() // 2
    by_memory = int((available_mb() - SERVER_MB) // TRAINING_MB)
    return max(1, min(by_cores, by_memory, MAX_PARALLEL))


def warm_start(value=None) -> bool:
    """Whether the server starts a training child and loads models ahead of time
    (``TUTORIAL_WARM_START``, default on; "0" turns it off, e.g. for short-lived test servers)."""
    raw = value if value is not None else os.environ.get("TUTORIAL_WARM_START", "1")
    return str(raw).strip().lower() not in ("0", "false", "no", "off", "")


def threads_per_training(parallel: int) -> int:
    """TensorFlow threads of one training child: its share of the cores."""
    return max(1, cores() // max(1, parallel))
