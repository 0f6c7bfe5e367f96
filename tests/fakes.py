"""Stand-ins shared by the tests (one owner each)."""
from __future__ import annotations


class Clock:
    """A clock the tests move by hand (``clock.now += 60``): waits, windows and expiry without waiting."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now
