"""The host's password check, hardened against guessing (no Streamlit).

A :class:`Gate` (one per server process) decides whether a password attempt may be checked now
(the counting is :class:`tutorial.backoff.Backoff`, the same as for the device codes):

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

import hashlib
import hmac
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

from tutorial.backoff import Backoff
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
    """Rate limits for password attempts (see the module's rules; the counting is a
    :class:`tutorial.backoff.Backoff`). Thread-safe: a check and its counting happen as one step."""

    def __init__(self, free: int = 3, base: float = 2.0, max_wait: float = 60.0, window: float = 60.0,
                 window_failures: int = 20, clock: Callable[[], float] = time.monotonic):
        self.backoff = Backoff(free, base, max_wait, window, window_failures, clock)
        self._lock = threading.Lock()

    def wait_seconds(self, session: str) -> float:
        """Seconds until an attempt of ``session`` is checked again (0: now)."""
        return self.backoff.wait(session)

    def attempt(self, session: str, given: str, expected: Optional[str]) -> Verdict:
        """Check ``given`` against ``expected`` if the limits allow it now."""
        with self._lock:
            wait = self.backoff.wait(session)
            if wait > 0:
                return Verdict(False, _wait_text(wait), wait)
            ok = expected is not None and password_problem(expected) is None and hmac.compare_digest(
                str(given).encode(), expected.encode())
            if ok:
                self.backoff.succeeded(session)
                return Verdict(True)
            failures = self.backoff.failed(session)
            LOG.warning("host password: failed attempt %d of session %s", failures,
                        hashlib.sha256(session.encode()).hexdigest()[:8])
            wait = self.backoff.wait(session)
        return Verdict(False, WRONG + (" " + _wait_text(wait) if wait > 0 else ""), wait)


def _wait_text(wait: float) -> str:
    return WAIT.format(seconds=count(max(1, round(wait)), "Sekunde", "Sekunden"))
