"""Child processes that never outlive the process that started them (the training child, POSIX).

:func:`spawn` starts a child from one long-lived thread of this process, and the child calls
:func:`die_with_parent` right after it starts: on Linux it asks the kernel for SIGKILL when its parent
ends (``prctl(PR_SET_PDEATHSIG)`` – delivered even while the child is inside a long TensorFlow
operation that holds no Python lock), and a watchdog thread ends it when its parent's pid changes
(it was orphaned) on every platform. ``PR_SET_PDEATHSIG`` follows the *thread* that started the
child, not the process: a child started from a short-lived thread (a warm start, a slot that went
idle) would be killed when that thread ends; hence the one spawner thread.

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import concurrent.futures
import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from typing import Optional

WATCH_SECONDS = 0.5        # the child's watchdog looks at its parent this often
PR_SET_PDEATHSIG = 1       # prctl option (linux/prctl.h)

_spawn_requests: Optional[queue.Queue] = None
_spawn_lock = threading.Lock()


def _spawner(requests: queue.Queue) -> None:
    while True:
        args, kwargs, future = requests.get()
        try:
            future.set_result(subprocess.Popen(args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that asked
            future.set_exception(exc)


def spawn(args: list, **kwargs) -> subprocess.Popen:
    """``subprocess.Popen(args, **kwargs)`` run by one long-lived thread of this process: a child's
    ``PR_SET_PDEATHSIG`` fires when the *thread* that started it ends, and slot, warm-start and recycle
    threads come and go."""
    global _spawn_requests
    with _spawn_lock:
        if _spawn_requests is None:
            _spawn_requests = queue.Queue()
            threading.Thread(target=_spawner, args=(_spawn_requests,), name="tutorial-worker-spawner",
                             daemon=True).start()
    future: concurrent.futures.Future = concurrent.futures.Future()
    _spawn_requests.put((args, kwargs, future))
    return future.result()


def die_with_parent(parent: int) -> None:
    """In the child: end when ``parent`` ends – SIGKILL from the kernel (Linux), and a watchdog
    thread for the rest (the parent's pid changes when the child is orphaned)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:       # the parent died before the signal was asked for
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="tutorial-worker-watchdog", daemon=True).start()
