"""The host's password check, hardened against guessing (no Streamlit).

A :class:`Gate` (one per server process) decides whether a password attempt may be checked now:

* per session: the first ``free`` failures cost nothing, then each further failure doubles a
  waiting time (``base`` seconds, at most ``max_wait``) during which that session's attempts are
  refused unchecked;
* overall: at most ``window_failures`` failures within ``window`` seconds from all sessions
  together; beyond that, every session waits until the oldest failure leaves the window. This slows
  a script that opens a fresh session per guess, and it never locks the host out for good – a
  correct password is accepted as soon as an attempt is allowed again.

Every failure is logged (with a short hash of the session id, never the password). A password
shorter than :data:`MIN_LENGTH` characters is not accepted at all (:func:`password_problem`), and an
unlock lasts :data:`UNLOCK_HOURS` hours (:func:`unlock_valid`).
"""
from __future__ import annotations

import collections
import hashlib
import hmac
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

from tutorial.deutsch import count

MIN_LENGTH = 12
UNLOCK_HOURS = 8
LOG = logging.getLogger(__name__)

TOO_SHORT = ("Das Passwort der Kursleitung in den Einstellungen ist zu kurz ({length} Zeichen; nötig sind "
             "mindestens {minimum}). Die Seite bleibt gesperrt, bis in `.streamlit/secrets.toml` unter "
             "`[kursleitung]` ein längeres `passwort` steht.")
WAIT = "Zu viele falsche Versuche. Bitte warten Sie {seconds} und versuchen Sie es dann erneut."
WRONG = "Das Passwort ist falsch."


def password_problem(password: Optional[str]) -> Optional[str]:
    """A German message when the configured password is unusable (too short), else None."""
    if password is not None and len(password) < MIN_LENGTH:
        return TOO_SHORT.format(length=len(password), minimum=MIN_LENGTH)
    return None


def unlock_valid(unlocked_at: Optional[float], now: Optional[float] = None) -> bool:
    """Whether an unlock at ``unlocked_at`` (epoch seconds) still holds."""
    now = time.time() if now is None else now
    return unlocked_at is not None and 0 <= now - unlocked_at < UNLOCK_HOURS * 3600


@dataclass(frozen=True)
class Verdict:
    ok: bool                  # the password was right
    message: str = ""         # German text for the host (wrong, or how long to wait)
    wait: float = 0.0         # seconds until the next attempt is checked (0: now)


class Gate:
    """Rate limits for password attempts (see the module's rules). Thread-safe."""

    def __init__(self, free: int = 3, base: float = 2.0, max_wait: float = 60.0, window: float = 60.0,
                 window_failures: int = 20, clock: Callable[[], float] = time.monotonic):
        self.free, self.base, self.max_wait = free, base, max_wait
        self.window, self.window_failures = window, window_failures
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._blocked_until: dict[str, float] = {}
        self._recent: collections.deque[float] = collections.deque()

    def wait_seconds(self, session: str) -> float:
        """Seconds until an attempt of ``session`` is checked again (0: now)."""
        with self._lock:
            return self._wait(session, self.clock())

    def attempt(self, session: str, given: str, expected: Optional[str]) -> Verdict:
        """Check ``given`` against ``expected`` if the limits allow it now."""
        with self._lock:
            now = self.clock()
            wait = self._wait(session, now)
            if wait > 0:
                return Verdict(False, WAIT.format(seconds=count(max(1, round(wait)), "Sekunde", "Sekunden")), wait)
            ok = expected is not None and password_problem(expected) is None and hmac.compare_digest(
                str(given).encode(), expected.encode())
            if ok:
                self._failures.pop(session, None)
                self._blocked_until.pop(session, None)
                return Verdict(True)
            failures = self._failures.get(session, 0) + 1
            self._failures[session] = failures
            self._recent.append(now)
            if failures > self.free:
                delay = min(self.max_wait, self.base * 2 ** (failures - self.free - 1))
                self._blocked_until[session] = now + delay
            LOG.warning("host password: failed attempt %d of session %s", failures,
                        hashlib.sha256(session.encode()).hexdigest()[:8])
            wait = self._wait(session, now)
        return Verdict(False, WRONG + (" " + WAIT.format(seconds=count(max(1, round(wait)), "Sekunde", "Sekunden")) if wait > 0 else ""), wait)

    def _wait(self, session: str, now: float) -> float:
        """Under the lock: the longer of the session's back-off and the overall window's."""
        while self._recent and now - self._recent[0] >= self.window:
            self._recent.popleft()
        overall = 0.0
        if len(self._recent) >= self.window_failures:
            overall = self._recent[len(self._recent) - self.window_failures] + self.window - now
        return max(0.0, self._blocked_until.get(session, 0.0) - now, overall)
