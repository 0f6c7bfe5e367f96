"""The host password gate (tutorial/login.py): back-off per session, an overall limit over all
sessions that never locks the host out for good, the minimum length and the unlock's expiry."""
import logging

import pytest

from tutorial.login import MIN_LENGTH, UNLOCK_HOURS, Gate, password_problem, unlock_valid
from tests.fakes import Clock

pytestmark = pytest.mark.engine

RIGHT = "richtiges-passwort-2026"


def test_right_password_opens_and_wrong_ones_back_off_per_session():
    clock = Clock()
    gate = Gate(free=3, base=2.0, max_wait=60.0, clock=clock)
    for _ in range(3):   # the first failures cost nothing
        verdict = gate.attempt("a", "falsch", RIGHT)
        assert not verdict.ok and verdict.wait == 0
    verdict = gate.attempt("a", "falsch", RIGHT)
    assert not verdict.ok and verdict.wait == 2.0 and "warten" in verdict.message
    # while blocked, even the right password is not checked
    assert not gate.attempt("a", RIGHT, RIGHT).ok
    assert gate.attempt("b", RIGHT, RIGHT).ok            # another session is not affected
    clock.now += 2.0
    assert gate.attempt("a", RIGHT, RIGHT).ok            # never locked out for good
    assert gate.wait_seconds("a") == 0


def test_fifty_wrong_passwords_from_one_session_take_at_least_a_minute():
    clock = Clock()
    gate = Gate(clock=clock)
    start = clock.now
    for _ in range(50):
        clock.now += gate.wait_seconds("script")      # a script that waits exactly as long as it must
        assert not gate.attempt("script", "falsch", RIGHT).ok
    assert clock.now - start >= 60


def test_many_sessions_share_an_overall_limit_that_expires():
    clock = Clock()
    gate = Gate(window=60.0, window_failures=20, clock=clock)
    for i in range(20):
        assert gate.attempt(f"s{i}", "falsch", RIGHT).wait == 0 or i == 19
    fresh = gate.attempt("fresh-session", RIGHT, RIGHT)
    assert not fresh.ok and 0 < fresh.wait <= 60
    clock.now += fresh.wait
    assert gate.attempt("fresh-session", RIGHT, RIGHT).ok


def test_failures_are_logged_without_the_password(caplog):
    gate = Gate(clock=Clock())
    with caplog.at_level(logging.WARNING, logger="tutorial.login"):
        gate.attempt("session-x", "geheimer-versuch", RIGHT)
    assert "failed attempt" in caplog.text and "geheimer-versuch" not in caplog.text
    assert "session-x" not in caplog.text


def test_short_password_is_refused_even_when_typed_correctly():
    short = "x" * (MIN_LENGTH - 1)
    assert "mindestens" in password_problem(short)
    assert password_problem("y" * MIN_LENGTH) is None and password_problem(None) is None
    assert not Gate(clock=Clock()).attempt("a", short, short).ok


def test_unlock_expires():
    assert unlock_valid(1000.0, now=1000.0 + UNLOCK_HOURS * 3600 - 1)
    assert not unlock_valid(1000.0, now=1000.0 + UNLOCK_HOURS * 3600)
    assert not unlock_valid(None)


def test_a_script_with_a_fresh_session_per_guess_does_not_grow_the_gate_without_bound():
    from tutorial.backoff import MAX_KEYS
    clock = Clock()
    gate = Gate(clock=clock)
    for i in range(MAX_KEYS + 500):
        clock.now += gate.wait_seconds(f"s{i}")        # waits out the overall window as it must
        assert not gate.attempt(f"s{i}", "falsch", RIGHT).ok
    assert len(gate.backoff) <= MAX_KEYS
    clock.now += gate.wait_seconds("host")
    assert gate.attempt("host", RIGHT, RIGHT).ok
