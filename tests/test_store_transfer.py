"""Moving an identity (tutorial/store/transfer.py) against SQLite and a real PostgreSQL server: one-time
codes (60 bits, single use, 15 minutes, nothing in clear in the database), the old link's progress
copied into the current learner, the limiter that slows guessing, and "Protokoll leeren"."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tutorial.backoff import Backoff
from tutorial.store import schema as T
from tutorial.store import transfer
from tutorial.store.errors import LearnerFull
from tutorial.store.limits import Limits, token_hash
from tutorial.store.store import Store

pytestmark = pytest.mark.engine

ME, OLD, OTHER = "me-abcdefghijklmnopqrst", "old-abcdefghijklmnopqr", "other-abcdefghijklmnop"


@pytest.fixture
def store(store_url, clock):
    store = Store(store_url, clock=clock)
    yield store
    store.close()


def test_codes_have_60_bits_of_an_unambiguous_alphabet_and_read_forgivingly():
    codes = {transfer.new_code() for _ in range(200)}
    assert len(codes) == 200 and len(transfer.ALPHABET) == 32 and transfer.CODE_LENGTH * 5 >= 60
    assert not set("01IO") & set(transfer.ALPHABET)
    code = next(iter(codes))
    assert transfer.normalise(" " + transfer.pretty(code).lower() + " ") == code
    for bad in ("", "ABC", code + "A", code[:-1] + "0", None, 123, "x" * 100):
        assert transfer.normalise(bad) is None


def test_a_code_gives_the_token_once_and_the_database_holds_no_token_or_code(store):
    store.visit(ME, "ch03")
    code = transfer.issue(store, ME)
    with store.engine.connect() as conn:
        rows = conn.execute(select(T.transfers)).all()
    assert len(rows) == 1 and ME not in str(tuple(rows[0])) and code not in str(tuple(rows[0]))
    assert transfer.redeem(store, "WRONGCODE234") is None
    assert transfer.redeem(store, transfer.pretty(code)) == ME
    assert transfer.redeem(store, code) is None                      # used up


def test_a_code_expires_after_15_minutes_and_a_new_code_voids_the_old_one(store, clock):
    old = transfer.issue(store, ME)
    new = transfer.issue(store, ME)
    assert transfer.redeem(store, old) is None
    clock.now += transfer.CODE_MINUTES * 60 + 1
    assert transfer.redeem(store, new) is None
    fresh = transfer.issue(store, ME)
    clock.now += transfer.CODE_MINUTES * 60 - 1
    assert transfer.redeem(store, fresh) == ME


def test_forget_removes_open_codes(store):
    code = transfer.issue(store, ME)
    store.forget(ME)
    assert transfer.redeem(store, code) is None


def test_the_old_links_progress_is_copied_and_its_settings_win(store):
    store.visit(OLD, "ch03")
    store.visit(OLD, "ch04")
    store.answer(OLD, "ch04.softmax_shift", 1, True)
    store.guess(OLD, "ch03", choice=1)
    store.trained(OLD, "ch03", "live", accuracy=0.9)
    store.put_settings(OLD, "widget", {"ch07_activation": "relu", "ch03_epochs": 5})
    store.log_run(OLD, "live:abc", {"n": 1})
    store.visit(ME, "ch04")
    store.put_settings(ME, "widget", {"ch07_activation": "sigmoid", "ch06_layers": 3})
    store.log_run(ME, "live:def", {"n": 2})
    assert transfer.copy_progress(store, OLD, ME) is True
    me = store.load(ME)
    assert me.visited == ["ch03", "ch04"] and me.ran == ["ch03"]
    assert me.answers["ch04.softmax_shift"]["right"] and me.guesses[("ch03", "")]["choice"] == 1
    assert me.widgets == {"ch07_activation": "relu", "ch03_epochs": 5, "ch06_layers": 3}
    assert [key for key, _ in me.log] == ["live:def", "live:abc"]
    assert store.load(OLD).widgets["ch07_activation"] == "relu"       # the old learner is untouched
    with store.engine.connect() as conn:                              # the counters match the rows
        learner = conn.execute(select(T.learners.c.id, T.learners.c.rows)
                               .where(T.learners.c.token_hash == token_hash(ME))).one()
        rows = sum(conn.execute(select(func.count()).select_from(table).where(table.c.learner_id == learner.id))
                   .scalar() for table in T.LEARNER_TABLES)
    assert learner.rows == rows
    assert transfer.copy_progress(store, OTHER, ME) is False          # nothing under that link
    assert transfer.copy_progress(store, ME, ME) is False


def test_copying_respects_the_learners_caps(store_url, clock):
    small = Store(store_url, limits=Limits(learner_rows=5), clock=clock)
    try:
        for chapter in ("ch03", "ch04", "ch06", "ch07"):
            small.visit(OLD, chapter)
        small.visit(ME, "ch08")
        small.visit(ME, "ch09")
        with pytest.raises(LearnerFull):
            transfer.copy_progress(small, OLD, ME)
        assert small.load(ME).visited == ["ch08", "ch09"]             # all or nothing
    finally:
        small.close()


def test_clear_log_deletes_the_learners_run_log_and_its_bytes(store):
    store.visit(ME, "ch03")
    before = store.totals()["bytes"]
    store.log_run(ME, "live:a", {"n": 1, "text": "x" * 1000})
    store.log_run(OTHER, "live:a", {"n": 1})
    store.clear_log(ME)
    assert store.load(ME).log == [] and len(store.load(OTHER).log) == 1
    assert store.totals()["bytes"] - before < 200                      # ME's bytes are back (OTHER's remain)


def test_the_limiter_backs_off_per_learner_and_overall():
    now = [0.0]
    limiter = Backoff(free=2, base=2.0, max_wait=60.0, window=60.0, window_failures=5, clock=lambda: now[0])
    for _ in range(2):
        assert limiter.wait("a") == 0
        limiter.failed("a")
    assert limiter.wait("a") == 0
    limiter.failed("a")                               # the third failure: 2 s
    assert limiter.wait("a") == 2.0 and limiter.wait("b") == 0
    now[0] += 2
    limiter.failed("a")                               # the fourth: 4 s
    assert limiter.wait("a") == 4.0
    limiter.failed("c")                               # five failures in the window: everybody waits
    assert limiter.wait("b") > 0
    now[0] += 61
    assert limiter.wait("b") == 0
    limiter.succeeded("a")
    assert limiter.wait("a") == 0
