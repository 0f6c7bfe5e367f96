"""The progress store (tutorial/store) against SQLite and against a real PostgreSQL 15 server that the
tests start themselves (tests/postgres.py). Every behaviour runs on both backends; the PostgreSQL
half is ``slow`` and fails (instead of skipping) when ``TUTORIAL_REQUIRE_POSTGRES=1`` and the server
cannot be started."""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tutorial import questions as Q
from tutorial import settings
from tutorial.chapters import CHAPTERS
from tutorial.store import connect, legacy, room, schema as T, transfer
from tutorial.store.errors import (InvalidToken, InvalidValue, LearnerFull, StoreError, StoreFull, TooLarge,
                                   Unavailable, UnknownKey)
from tutorial.store.limits import Limits, token_hash
from tutorial.store.store import Store
from tests.fakes import Clock

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parent.parent
TOKENS = (f"learner{i:02d}-abcdefghijklmnop" for i in itertools.count())
CHOICE_QUESTIONS = [q for qs in Q.all_questions().values() for q in qs if q.options]
NUMBER_QUESTIONS = [q for qs in Q.all_questions().values() for q in qs if not q.options]
Q1 = CHOICE_QUESTIONS[0]
RIGHT1 = next(i for i, o in enumerate(Q1.options) if o.correct)
WRONG1 = next(i for i, o in enumerate(Q1.options) if not o.correct)

_restored = itertools.count()     # databases a backup is restored into


@pytest.fixture
def make(store_url, clock):
    """make(**limits) -> a Store on the test's database (several calls: several app servers)."""
    stores = []

    def _make(**limits) -> Store:
        store = Store(store_url, limits=Limits(**limits), clock=clock)
        stores.append(store)
        return store

    yield _make
    for store in stores:
        store.close()


@pytest.fixture
def store(make):
    return make()


def rows_of(store: Store, token: str) -> dict:
    """Rows per table of one learner (0 everywhere after "Meine Daten löschen")."""
    with store.engine.connect() as conn:
        learner = conn.execute(select(T.learners.c.id).where(T.learners.c.token_hash == token_hash(token))).scalar()
        out = {"learners": 0 if learner is None else 1}
        for table in (*T.LEARNER_TABLES, T.quarantine):
            out[table.name] = conn.execute(select(func.count()).select_from(table)
                                           .where(table.c.learner_id == learner)).scalar()
    return out


def counters(store: Store, token: str) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return conn.execute(select(T.learners.c.rows, T.learners.c.bytes)
                            .where(T.learners.c.token_hash == token_hash(token))).one()


# --- learners, visits, answers, guesses, trainings ------------------------------------------------

def test_unknown_learner_reads_empty_and_touch_creates(store):
    token = next(TOKENS)
    state = store.load(token)
    assert not state.known and state.visited == [] and state.answers == {} and state.log == []
    assert not store.exists(token)
    store.touch(token)
    assert store.exists(token) and store.load(token).known


def test_visits_are_updated_in_place_and_set_the_position(store):
    token = next(TOKENS)
    for chapter in ("ch03", "ch04", "ch03"):
        store.visit(token, chapter)
    state = store.load(token)
    assert state.visited == ["ch03", "ch04"] and state.chapter == "ch03"
    assert rows_of(store, token)["visits"] == 2
    with store.engine.connect() as conn:
        assert conn.execute(select(T.visits.c.count).where(T.visits.c.chapter == "ch03")).scalar() == 2


def test_answers_keep_option_and_the_first_try_survives_a_reset(store):
    token = next(TOKENS)
    store.answer(token, Q1.id, WRONG1, False)
    store.answer(token, Q1.id, RIGHT1, True)
    assert store.load(token).answers[Q1.id] == {"tries": 2, "right": True, "first": False, "option": str(RIGHT1)}
    store.reset(token)
    assert store.load(token).answers == {}
    store.answer(token, Q1.id, RIGHT1, True)
    assert store.load(token).answers[Q1.id] == {"tries": 1, "right": True, "first": False, "option": str(RIGHT1)}
    row = next(r for r in room.report(store, since=0, k=1).questions if r.question == Q1.id)
    assert (row.learners, row.first_right, row.wrong_option) == (1, 0, str(WRONG1))


def test_number_answers_are_stored_as_the_typed_number(store):
    token = next(TOKENS)
    question = NUMBER_QUESTIONS[0]
    store.answer(token, question.id, 7850, False)
    assert store.load(token).answers[question.id]["option"] == "7850"
    with pytest.raises(InvalidValue):
        store.answer(token, question.id, float("nan"), False)


def test_guess_state_in_place_and_guess_events_appended(store):
    token = next(TOKENS)
    store.guess(token, "ch03", choice=1)
    store.guess(token, "ch03", choice=None)                  # "Vermutung ändern"
    store.guess(token, "ch03", skipped=True)                 # "Ohne Vermutung weiter"
    store.guess(token, "ch03", skipped=True, hint=True)
    store.guess(token, "ch06", choice=0, step="b")
    state = store.load(token)
    assert state.guesses[("ch03", "")] == {"choice": None, "skipped": True, "hint": True}
    assert state.guesses[("ch06", "b")] == {"choice": 0, "skipped": False, "hint": False}
    assert rows_of(store, token)["guesses"] == 2 and rows_of(store, token)["guess_events"] == 2
    store.verdict(token, "ch06", 0, 1, False, step="b")
    store.verdict(token, "ch06", 0, None, None, step="b")    # a run too short to decide
    assert rows_of(store, token)["guess_events"] == 4


def test_trainings_mark_ran_until_a_reset(store):
    token = next(TOKENS)
    store.trained(token, "ch03", "live", accuracy=0.93, seconds=12.5, spec="abc")
    store.trained(token, "ch06", "fertig")
    assert store.load(token).ran == ["ch03", "ch06"]
    store.reset(token)
    assert store.load(token).ran == []
    assert rows_of(store, token)["trainings"] == 2             # the room still counts them


def test_settings_per_key_last_writer_wins_and_none_deletes(make):
    tab1, tab2 = make(), make()                               # two tabs on two app servers
    token = next(TOKENS)
    tab1.put_settings(token, "widget", {"ch03_epochs": 3, "ch03_optimizer": "sgd"})
    tab2.put_settings(token, "widget", {"ch06_hidden": 2, "ch03_epochs": 5})
    tab1.put_settings(token, "selection", {"ch03": {"kind": "pretrained", "name": "keras_01"}})
    tab1.put_settings(token, "meta", {"session_id": "abc"})
    state = tab2.load(token)
    assert state.widgets == {"ch03_epochs": 5, "ch03_optimizer": "sgd", "ch06_hidden": 2}
    assert state.selections == {"ch03": {"kind": "pretrained", "name": "keras_01"}}
    assert state.meta == {"session_id": "abc"}
    tab1.put_settings(token, "widget", {"ch03_optimizer": None})
    assert "ch03_optimizer" not in tab1.load(token).widgets
    assert rows_of(tab1, token)["settings"] == 4
    with tab1.engine.connect() as conn:
        stored = conn.execute(select(func.count(), func.sum(T.settings.c.bytes))).one()
    assert counters(tab1, token) == (stored[0], stored[1])


def test_run_log_update_in_place_and_newest_kept(make):
    store = make(runlog_entries=3)
    token = next(TOKENS)
    for i in range(5):
        store.log_run(token, f"run-{i}", {"number": i, "history": {"batches": [0.5] * 10}})
    store.log_run(token, "run-4", {"number": 4, "history": {"batches": []}})
    log = store.load(token).log
    assert [key for key, _ in log] == ["run-2", "run-3", "run-4"]
    assert log[-1][1] == {"number": 4, "history": {"batches": []}}
    with store.engine.connect() as conn:
        stored = conn.execute(select(func.count(), func.sum(T.runlog.c.bytes))).one()
    assert counters(store, token) == tuple(stored)


# --- bounds ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("write", [
    lambda s, t: s.visit(t, "ch99"),
    lambda s, t: s.answer(t, "ch03.nope", 0, True),
    lambda s, t: s.guess(t, "ch04", choice=0),                # chapter 4 has no guess
    lambda s, t: s.guess(t, "ch03", choice=0, step="x y"),
    lambda s, t: s.put_settings(t, "cookie", {"a": 1}),
    lambda s, t: s.put_settings(t, "meta", {"admin": True}),
    lambda s, t: s.put_settings(t, "widget", {"../etc/passwd": 1}),
    lambda s, t: s.log_run(t, "", {}),
    lambda s, t: room.change(s, password="x"),
])
def test_unknown_keys_are_refused_in_german(store, write):
    token = next(TOKENS)
    with pytest.raises(StoreError) as info:
        write(store, token)
    assert info.type in (UnknownKey, StoreError)
    assert " " in info.value.message_de and not store.exists(token)


@pytest.mark.parametrize("write", [
    lambda s, t: s.answer(t, Q1.id, len(Q1.options), True),
    lambda s, t: s.answer(t, Q1.id, "0", True),
    lambda s, t: s.guess(t, "ch03", choice=99),
    lambda s, t: s.put_settings(t, "widget", {"ch03_lr": float("inf")}),
    lambda s, t: s.put_settings(t, "widget", {"ch03_obj": object()}),
    lambda s, t: s.trained(t, "ch03", "remote"),
    lambda s, t: s.trained(t, "ch03", "live", accuracy=float("nan")),
    lambda s, t: s.trained(t, "ch03", "live", seconds="12"),
])
def test_invalid_values_are_refused(store, write):
    token = next(TOKENS)
    with pytest.raises(InvalidValue):
        write(store, token)
    assert not store.exists(token)


def test_invalid_token_is_refused(store):
    for token in ("", "short", "x" * 200, "../../etc/passwd-aaaaaaaaaa", None):
        with pytest.raises(InvalidToken):
            store.visit(token, "ch03")


def test_a_forged_large_value_is_refused_and_nothing_stored(store):
    token = next(TOKENS)
    with pytest.raises(TooLarge) as info:
        store.put_settings(token, "widget", {"ch03_radio": "x" * (20 * 2 ** 20)})
    assert "zu groß" in info.value.message_de
    with pytest.raises(TooLarge):
        store.log_run(token, "big", {"history": "x" * 700_000})
    assert not store.exists(token)


def test_learner_caps_refuse_and_leave_the_stored_rows(make):
    store = make(learner_rows=5, learner_bytes=2_000)
    token = next(TOKENS)
    for chapter in ("ch01", "ch02", "ch03", "ch04", "ch05"):
        store.visit(token, chapter)
    store.visit(token, "ch03")                                # in place: no new row, allowed
    with pytest.raises(LearnerFull) as info:
        store.visit(token, "ch06")
    assert "Obergrenze" in info.value.message_de
    assert store.load(token).visited == ["ch01", "ch02", "ch03", "ch04", "ch05"]
    other = next(TOKENS)
    with pytest.raises(LearnerFull):
        store.log_run(other, "r", {"history": "x" * 2_000})
    store.reset(token)                                        # removes the visits: room again
    store.visit(token, "ch06")


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_diligent_learner_never_meets_the_default_caps(store):
    """The whole course, twice over: every page visited often, every question answered three times,
    every guess, 100 runs in the log (the newest 12 with per-batch curves), 300 widget values."""
    token = next(TOKENS)
    history = json.loads((ROOT / "assets" / "models" / "ex_08_lr001.json").read_text())
    per_epoch = {**history, "batches": []}
    for _ in range(5):
        for chapter in CHAPTERS:
            store.visit(token, chapter.key)
    for q in CHOICE_QUESTIONS:
        for option in (0, 1, 0):
            store.answer(token, q.id, option % len(q.options), option == 0)
    for q in NUMBER_QUESTIONS:
        store.answer(token, q.id, 1, False)
    for chapter in store.vocabulary.guesses:
        store.guess(token, chapter, choice=0)
        for _ in range(10):
            store.trained(token, chapter, "live", 0.95, 30.0, "spec")
            store.verdict(token, chapter, 0, 0, True)
    store.put_settings(token, "widget", {f"ch03_w{i}": i for i in range(300)})
    for i in range(100):
        store.log_run(token, f"run-{i}", {"number": i, "history": history if i >= 88 else per_epoch})
    rows, size = counters(store, token)
    limits = Limits()
    assert rows < limits.learner_rows / 4 and size < limits.learner_bytes / 2


def test_store_cap_refuses_new_learners_until_old_ones_expire(make, clock):
    store = make(store_learners=2, expiry_days=1, empty_hours=48)   # (learners with only visits: see below)
    first, second, third = next(TOKENS), next(TOKENS), next(TOKENS)
    store.visit(first, "ch01")
    clock.now += 3600
    store.visit(second, "ch01")
    clock.now += 60
    with pytest.raises(StoreFull) as info:
        store.visit(third, "ch01")
    assert "voll" in info.value.message_de
    store.visit(first, "ch02")                                # known learners go on
    clock.now += 86400 - 60                                   # second: 1 day + 0 s unseen; first: less
    clock.now += 10
    store.visit(third, "ch01")                                # second expired, room for third
    assert not store.exists(second) and store.exists(first) and store.exists(third)


def test_sessions_opened_by_a_script_cannot_fill_the_store(make, clock):
    """At the cap, learners with nothing but visits who were not seen for an hour make room for a new
    learner (oldest first); a learner with an answer stays, so does one with a waiting device code and
    one seen recently."""
    store = make(store_learners=5, empty_hours=1)
    real = next(TOKENS)
    store.visit(real, "ch03")
    store.answer(real, Q1.id, RIGHT1, True)
    flood = [next(TOKENS) for _ in range(2)]
    for token in flood:
        store.visit(token, "ch01")
        clock.now += 10
    store.visit(moving := next(TOKENS), "ch01")         # only visits, but a device code waiting
    transfer.issue(store, moving)
    recent = next(TOKENS)
    clock.now += 3500
    store.visit(recent, "ch01")
    with pytest.raises(StoreFull):                      # full, and nobody empty is unseen for an hour yet …
        store.visit(next(TOKENS), "ch01")
    clock.now += 120                                    # … now the flood is (the recent one is not)
    newcomers = [next(TOKENS) for _ in range(2)]
    store.visit(newcomers[0], "ch01")                   # the oldest empty learner made room
    assert [store.exists(t) for t in flood] == [False, True]
    store.visit(newcomers[1], "ch01")
    assert [store.exists(t) for t in flood] == [False, False]
    assert store.exists(real) and store.exists(recent) and all(store.exists(t) for t in newcomers)
    assert store.exists(moving)                         # a waiting device code counts as something held
    with pytest.raises(StoreFull):                      # only real or recent learners left: full again
        store.visit(next(TOKENS), "ch01")


def test_expiry_deletes_learners_not_seen_for_the_configured_time(make, clock):
    store = make(expiry_days=30)
    old, fresh = next(TOKENS), next(TOKENS)
    store.answer(old, Q1.id, RIGHT1, True)
    store.put_settings(old, "widget", {"ch03_epochs": 3})
    clock.now += 29 * 86400
    store.visit(fresh, "ch03")
    assert store.expire() == 0
    clock.now += 2 * 86400
    assert store.expire() == 1
    assert set(rows_of(store, old).values()) == {0}
    assert store.exists(fresh)


def test_forget_deletes_every_row_of_the_learner_only(store):
    me, other = next(TOKENS), next(TOKENS)
    for token in (me, other):
        store.visit(token, "ch03")
        store.answer(token, Q1.id, WRONG1, False)
        store.guess(token, "ch03", choice=1)
        store.verdict(token, "ch03", 1, 1, True)
        store.trained(token, "ch03", "live", 0.9)
        store.put_settings(token, "widget", {"ch03_epochs": 3})
        store.log_run(token, "r1", {"n": 1})
    assert store.forget(me) is True
    assert set(rows_of(store, me).values()) == {0}
    kept = rows_of(store, other)
    assert kept.pop("quarantine") == 0 and kept.pop("transfers") == 0 and min(kept.values()) == 1
    assert store.forget(me) is False
    assert not store.load(me).known


def test_damaged_records_are_kept_aside_and_reported_once(store):
    token = next(TOKENS)
    store.put_settings(token, "widget", {"ch03_epochs": 3, "ch03_lr": 0.01})
    store.log_run(token, "r1", {"n": 1})
    store.log_run(token, "r2", {"n": 2})
    store.log_run(token, "r3", {"n": 3})
    with store.engine.begin() as conn:
        conn.execute(T.settings.update().where(T.settings.c.key == "ch03_lr").values(value="{broken"))
        conn.execute(T.runlog.update().where(T.runlog.c.key == "r1").values(value="[1, 2]"))
        conn.execute(T.runlog.update().where(T.runlog.c.key == "r2").values(value='{"n": NaN}'))
    state = store.load(token)
    assert state.damaged == 3
    assert state.widgets == {"ch03_epochs": 3} and [k for k, _ in state.log] == ["r3"]
    with store.engine.connect() as conn:
        kept = conn.execute(select(T.quarantine.c.source, T.quarantine.c.key, T.quarantine.c.data)
                            .order_by(T.quarantine.c.source)).all()
    assert sorted(tuple(r) for r in kept) == [("runlog", "r1", "[1, 2]"), ("runlog", "r2", '{"n": NaN}'),
                                              ("settings", "widget:ch03_lr", "{broken")]
    assert store.load(token).damaged == 0
    assert store.totals()["quarantine"] == 3


# --- room ------------------------------------------------------------------------------------------

def test_room_state_is_shared_between_servers(make, clock):
    one, two = make(), make()
    room.change(one, banner="  Bitte   Kapitel 6  öffnen " + "x" * 400, banner_chapter="ch06", quick=True,
                 since=clock.now - 60)
    state = room.state(two)
    assert state.banner.startswith("Bitte Kapitel 6 öffnen x") and len(state.banner) == 300
    assert (state.banner_chapter, state.quick, state.since) == ("ch06", True, clock.now - 60)
    room.change(two, quick=False, banner="", banner_chapter=None)
    assert room.state(one).quick is False and room.state(one).banner == ""
    with pytest.raises(UnknownKey):
        room.change(one, banner_chapter="ch99")


def test_online_counts_learners_seen_recently(make, clock):
    store = make(online_seconds=300)
    a, b = next(TOKENS), next(TOKENS)
    store.touch(a)
    clock.now += 200
    store.touch(b)
    assert room.state(store).online == 2
    clock.now += 150
    assert room.state(store).online == 1
    store.touch(a)                                            # last seen 350 s ago: noted again
    assert room.state(store).online == 2


def test_room_report_from_known_progress_with_k_threshold(store, clock):
    since = clock.now
    people = [next(TOKENS) for _ in range(4)]
    ch03 = Q.guess("ch03")
    for i, token in enumerate(people):
        store.visit(token, "ch03" if i < 3 else "ch06")
        store.answer(token, Q1.id, RIGHT1 if i == 0 else WRONG1, i == 0)
        store.answer(token, Q1.id, RIGHT1, True)
        store.guess(token, "ch03", choice=i % 2)
        store.guess(token, "ch03", choice=1)                  # a changed guess: the first one counts
        store.verdict(token, "ch03", i % 2, 1, i % 2 == 1)
        store.trained(token, "ch03", "live", accuracy=0.90 + i / 100)
    report = room.report(store, since=since, k=3)
    assert report.learners == 4
    assert dict(report.positions) == {"ch03": 3, "ch06": None}     # one learner in ch06: hidden
    row = next(r for r in report.questions if r.question == Q1.id)
    assert (row.learners, row.first_right, row.wrong_option, row.wrong_learners) == (4, 1, str(WRONG1), 3)
    assert row.share == 0.25
    (guess,) = report.guesses
    assert (guess.chapter, guess.learners, guess.options) == ("ch03", 4, {0: 2, 1: 2})
    assert (guess.judged, guess.right, guess.outcomes) == (4, 2, {1: 4})
    assert len(ch03.options) > 1
    (runs,) = report.trainings
    assert (runs.chapter, runs.learners, runs.runs, runs.median_accuracy) == ("ch03", 4, 4, pytest.approx(0.915))
    hidden = room.report(store, since=since, k=5)
    assert hidden.questions[0].learners is None and hidden.questions[0].wrong_option is None
    assert hidden.guesses[0].options == {} and hidden.trainings[0].median_accuracy is None
    assert all(n is None for _, n in hidden.positions)


def test_room_report_since_and_window(store, clock):
    early, late = next(TOKENS), next(TOKENS)
    store.answer(early, Q1.id, WRONG1, False)
    clock.now += 3600
    room.change(store, since=clock.now)
    store.answer(late, Q1.id, RIGHT1, True)
    store.answer(early, Q1.id, RIGHT1, True)                  # the first try since the room's start
    row = room.report(store, k=1).questions[0]                # since: the room's own start
    assert (row.learners, row.first_right) == (2, 2)
    clock.now += 9 * 3600
    store.touch(late)
    report = room.report(store, hours=8, k=1)                 # early not seen for 9 hours
    assert report.learners == 1 and report.questions[0].learners == 1


def test_room_report_ignores_forgotten_learners(store, clock):
    tokens = [next(TOKENS) for _ in range(3)]
    for token in tokens:
        store.answer(token, Q1.id, WRONG1, False)
    store.forget(tokens[0])
    assert room.report(store, since=0, k=1).questions[0].learners == 2


# --- schema, connection, import --------------------------------------------------------------------

def test_schema_version_and_a_later_migration(store_url, monkeypatch):
    store = Store(store_url)
    with store.engine.connect() as conn:
        assert T.version(conn) == T.VERSION == 2
    added = []

    def v3(conn):
        added.append(1)
        conn.execute(text("CREATE TABLE extra_v3 (id INTEGER PRIMARY KEY)"))

    monkeypatch.setattr(T, "MIGRATIONS", [*T.MIGRATIONS, v3])
    monkeypatch.setattr(T, "VERSION", 3)
    assert T.migrate(store.engine) == 3 and T.migrate(store.engine) == 3
    assert added == [1]
    monkeypatch.setattr(T, "MIGRATIONS", T.MIGRATIONS[:2])
    monkeypatch.setattr(T, "VERSION", 2)
    with pytest.raises(RuntimeError, match="schema version 3"):
        T.migrate(store.engine)
    store.close()


def test_unreachable_database_is_a_german_error():
    with pytest.raises(Unavailable) as info:
        Store("postgresql+psycopg://postgres@/x?host=/nonexistent-socket-dir&port=1")
    assert "nicht erreichbar" in info.value.message_de


def test_a_database_host_that_does_not_answer_is_not_waited_for_on_every_page(tmp_path, monkeypatch):
    """PostgreSQL behind a host that does not answer costs ``connect_timeout`` per attempt: after one
    slow failure the store refuses at once (German message) for a while, then tries again."""
    from sqlalchemy.exc import OperationalError
    from tutorial.store import store as S
    clock = Clock()
    made = Store(f"sqlite:///{tmp_path / 'p.sqlite3'}", clock=clock)
    attempts = []

    def no_answer():
        attempts.append(clock.now)
        clock.now += 10                                 # connect_timeout ran out
        raise OperationalError("connect", {}, TimeoutError("timeout expired"))

    real = made.engine.connect
    monkeypatch.setattr(made.engine, "connect", no_answer)
    token = "slow-host-abcdefghijklmnop"
    for _ in range(3):
        with pytest.raises(Unavailable) as info:
            made.visit(token, "ch03")
        assert "nicht erreichbar" in info.value.message_de
    assert len(attempts) == 1                           # the other page runs did not wait again
    clock.now += S.DOWN_SECONDS
    monkeypatch.setattr(made.engine, "connect", real)   # the host answers again
    made.visit(token, "ch03")
    assert made.load(token).visited == ["ch03"]
    made.close()


def test_sqlite_pragmas(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'sub' / 'p.sqlite3'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == connect.BUSY_TIMEOUT_MS
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_database_url_from_setting_environment_or_default(monkeypatch, tmp_path):
    monkeypatch.setenv("TUTORIAL_PROGRESS_DIR", str(tmp_path))
    monkeypatch.delenv(settings.DATABASE_URL, raising=False)
    assert connect.database_url() == f"sqlite:///{tmp_path / 'progress.sqlite3'}"
    monkeypatch.setenv(settings.DATABASE_URL, "postgres://u:p@db.example/kurs")
    assert connect.database_url() == "postgresql+psycopg://u:p@db.example/kurs"
    assert connect.database_url("sqlite:////srv/p.sqlite3") == "sqlite:////srv/p.sqlite3"


def _old_file(folder: Path, token: str, data) -> Path:
    file = folder / f"{token_hash(token)}.json"
    file.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return file


def test_old_json_progress_is_imported_once(store, tmp_path):
    old, broken, unknown = next(TOKENS), next(TOKENS), next(TOKENS)
    folder = tmp_path / "progress"
    folder.mkdir()
    good = _old_file(folder, old, {
        "version": 1, "visited": ["ch01", "ch03", "nope"], "ran": ["ch03"],
        "answers": {Q1.id: {"tries": 3, "right": True, "first": False}, "bogus.q": {"tries": 1}},
        "guesses": {"ch03": {"choice": 1, "skipped": False, "hint": True}, "ch04": {"choice": 0}},
        "widgets": {"ch03_epochs": 4, "bad key": 1}, "selections": {"ch03": {"kind": "pretrained", "name": "x"}},
        "log": [{"id": "live:x", "number": 1, "history": {"epochs": [{"val_loss": None}]}}],
        "session_id": "s-1"})
    before = good.read_bytes()
    _old_file(folder, broken, "{not json")
    (folder / "notes.txt").write_text("not a progress file")
    assert legacy.import_directory(store, folder) == {"imported": 1, "damaged": 1, "skipped": 0, "already": 0}
    state = store.load(old)
    assert state.visited == ["ch01", "ch03"] and state.ran == ["ch03"] and state.chapter == "ch03"
    assert state.answers == {Q1.id: {"tries": 3, "right": True, "first": False, "option": ""}}
    assert state.guesses == {("ch03", ""): {"choice": 1, "skipped": False, "hint": True}}
    assert state.widgets == {"ch03_epochs": 4} and state.meta == {"session_id": "s-1"}
    assert state.selections == {"ch03": {"kind": "pretrained", "name": "x"}}
    assert [entry["id"] for _, entry in state.log] == ["live:x"]
    assert counters(store, old)[0] == sum(rows_of(store, old).values()) - 1
    assert store.totals()["quarantine"] == 1
    store.visit(old, "ch04")                                  # the learner goes on in the store
    _old_file(folder, unknown, {"version": 1, "visited": ["ch02"]})
    assert legacy.import_directory(store, folder) == {"imported": 1, "damaged": 0, "skipped": 0, "already": 2}
    assert store.load(old).visited == ["ch01", "ch03", "ch04"] and good.read_bytes() == before
    row = next(r for r in room.report(store, since=0, k=1).questions if r.question == Q1.id)
    assert row.wrong_option is None                           # imported answers have no option


# --- two tabs at once ------------------------------------------------------------------------------

def test_two_tabs_in_two_threads_lose_nothing(make):
    tabs = [make(), make()]
    token = next(TOKENS)
    tabs[0].touch(token)
    errors = []

    def work(n: int) -> None:
        try:
            store = tabs[n]
            for i in range(40):
                store.answer(token, Q1.id, i % len(Q1.options), False)
                store.put_settings(token, "widget", {f"ch03_tab{n}_{i}": i, "ch03_shared": n})
                store.log_run(token, f"tab{n}-{i}", {"i": i})
                store.visit(token, "ch03")
        except Exception as exc:       # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    state = tabs[1].load(token)
    assert state.answers[Q1.id]["tries"] == 80 and len(state.log) == 80
    assert len(state.widgets) == 81 and state.widgets["ch03_shared"] in (0, 1)
    with tabs[0].engine.connect() as conn:
        assert conn.execute(select(T.visits.c.count)).scalar() == 80
    assert counters(tabs[0], token)[0] == sum(rows_of(tabs[0], token).values()) - 1


CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from tutorial.store.store import Store
    store = Store({url!r})
    for i in range(30):
        store.answer({token!r}, {question!r}, 0, False)
        store.put_settings({token!r}, "widget", {{f"ch03_p{{sys.argv[1]}}_{{i}}": i}})
        store.log_run({token!r}, f"p{{sys.argv[1]}}-{{i}}", {{"i": i}})
    store.close()
""")


@pytest.mark.slow
def test_two_tabs_in_two_processes_lose_nothing(store_url, store):
    token = next(TOKENS)
    code = CHILD.format(root=str(ROOT), url=store_url, token=token, question=Q1.id)
    children = [subprocess.Popen([sys.executable, "-c", code, str(n)], stderr=subprocess.PIPE, text=True)
                for n in (0, 1)]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    state = store.load(token)
    assert state.answers[Q1.id]["tries"] == 60 and len(state.log) == 60 and len(state.widgets) == 60
    assert counters(store, token)[0] == sum(rows_of(store, token).values()) - 1


@pytest.mark.slow
def test_backup_and_restore_as_the_readme_says(store_url, store, tmp_path, request):
    """SQLite: ``sqlite3 … ".backup …"`` while the store is open; PostgreSQL: ``pg_dump -Fc`` and
    ``pg_restore --clean --if-exists`` into another database."""
    token = next(TOKENS)
    store.visit(token, "ch03")
    store.answer(token, Q1.id, RIGHT1, True)
    store.log_run(token, "r1", {"n": 1})
    if store_url.startswith("sqlite"):
        copy = tmp_path / "sicherung.sqlite3"
        subprocess.run(["sqlite3", store_url[len("sqlite:///"):], f".backup {copy}"], check=True, timeout=60)
        restored_url = f"sqlite:///{copy}"
    else:
        server = request.getfixturevalue("postgres")
        libpq = store_url.replace("postgresql+psycopg://", "postgresql://")
        dump = tmp_path / "fortschritt.dump"
        subprocess.run(["pg_dump", "-Fc", "-d", libpq, "-f", str(dump)], check=True, timeout=60)
        restored_url = server.create_database(f"r{os.getpid()}_{next(_restored)}")
        Store(restored_url).close()          # a running app's tables: --clean replaces them
        subprocess.run(["pg_restore", "--clean", "--if-exists", "-d",
                        restored_url.replace("postgresql+psycopg://", "postgresql://"), str(dump)],
                       check=True, timeout=60)
    restored = Store(restored_url)
    state = restored.load(token)
    assert state.visited == ["ch03"] and state.answers[Q1.id]["right"] and [k for k, _ in state.log] == ["r1"]
    restored.close()
