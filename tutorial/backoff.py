"""How often something secret may be guessed: a back-off per caller and an overall window (no Streamlit).

One :class:`Backoff` per server process and purpose serves both guessing guards: the host password
(:class:`tutorial.login.Gate`) and the one-time device codes (:func:`tutorial.store.transfer.limiter`).

* per ``who`` (a browser session or a learner): the first ``free`` failures cost nothing, then each
  further failure doubles a wait (``base`` seconds, at most ``max_wait``);
* overall: at most ``window_failures`` failures within ``window`` seconds from everybody together;
  beyond that everybody waits until the oldest failure leaves the window – a script that opens a
  fresh session per guess is slowed too, and nobody is locked out for good;
* a success clears ``who``'s back-off;
* bounded: at most :data:`MAX_KEYS` callers are remembered (the oldest are forgotten first), so fresh
  sessions cannot grow the server's memory.

Thread-safe. This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import collections
import threading
import time
from typing import Callable

MAX_KEYS = 10_000


class Backoff:
    """Failures per caller and overall (see the module's rules)."""

    def __init__(self, free: int, base: float, max_wait: float, window: float, window_failures: int,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS):
        self.free, self.base, self.max_wait = free, base, max_wait
        self.window, self.window_failures = window, window_failures
        self.clock, self.max_keys = clock, max_keys
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._blocked: dict[str, float] = {}
        self._recent: collections.deque = collections.deque()

    def wait(self, who: str) -> float:
        """Seconds until ``who`` may try again (0: now): the longer of their back-off and the overall
        window's."""
        with self._lock:
            now = self.clock()
            return max(0.0, self._blocked.get(who, 0.0) - now, self._overall(now))

    def _overall(self, now: float) -> float:
        """Under the lock: the overall window's wait (failures that left the window are dropped)."""
        while self._recent and now - self._recent[0] >= self.window:
            self._recent.popleft()
        if len(self._recent) < self.window_failures:
            return 0.0
        return self._recent[len(self._recent) - self.window_failures] + self.window - now

    def failed(self, who: str) -> int:
        """Count a failure of ``who``; returns how many ``who`` has had."""
        with self._lock:
            now = self.clock()
            n = self._failures[who] = self._failures.pop(who, 0) + 1      # (re-inserted: the newest)
            self._overall(now)
            self._recent.append(now)
            if n > self.free:
                self._blocked[who] = now + min(self.max_wait, self.base * 2 ** (n - self.free - 1))
            if len(self._failures) > self.max_keys:       # forget the oldest half
                for old in list(self._failures)[:len(self._failures) // 2]:
                    self._failures.pop(old, None)
                    self._blocked.pop(old, None)
            return n

    def succeeded(self, who: str) -> None:
        with self._lock:
            self._failures.pop(who, None)
            self._blocked.pop(who, None)

    def __len__(self) -> int:
        """How many callers are remembered."""
        with self._lock:
            return len(self._failures)
