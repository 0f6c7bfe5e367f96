"""The store's tables, its schema version and the migrations that bring a database up to date.

What is updated in place: a learner (created, last seen, current chapter, counters for the caps),
visits, the state of a guess, per-page settings. What is appended: answers (with the chosen option),
guesses and their verdicts, trainings, run log entries – so two tabs of one learner add rows and never
overwrite each other. A learner's "Fortschritt zurücksetzen" raises the learner's ``generation``: the
learner's own view shows only the current generation, while the room still sees the first try.

:data:`MIGRATIONS` is the schema's history: migration *n* brings version *n − 1* to *n*; version 1
creates the tables below but ``transfers``, version 2 adds ``transfers``. A later change appends a
function with explicit DDL (``ALTER TABLE …``) and changes the table definitions here to match.
"""
from __future__ import annotations

import time
from typing import Callable

from sqlalchemy import (BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, MetaData,
                        PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, select, text)
from sqlalchemy.engine import Connection, Engine

from tutorial.store.connect import WRITE

metadata = MetaData()


def _learner_fk() -> Column:
    return Column("learner_id", Integer, ForeignKey("learners.id", ondelete="CASCADE"), nullable=False)


schema_version = Table(
    "schema_version", metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("updated", Float, nullable=False))

learners = Table(
    "learners", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("chapter", String(32)),                      # current position (the last page visited)
    Column("generation", Integer, nullable=False, default=0),
    Column("rows", Integer, nullable=False, default=0),     # rows this learner holds (the caps)
    Column("bytes", BigInteger, nullable=False, default=0),
    Index("ix_learners_seen", "last_seen"),
    Index("ix_learners_chapter", "chapter", "last_seen"))

visits = Table(
    "visits", metadata, _learner_fk(),
    Column("chapter", String(32), nullable=False),
    Column("first", Float, nullable=False),
    Column("last", Float, nullable=False),
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("learner_id", "chapter"))

answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _learner_fk(),
    Column("question", String(64), nullable=False),
    Column("option", String(32), nullable=False),        # option index, or the typed number
    Column("right", Boolean, nullable=False),
    Column("generation", Integer, nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_answers_question", "question", "at"),
    Index("ix_answers_learner", "learner_id", "question", "at"))

guesses = Table(
    "guesses", metadata, _learner_fk(),
    Column("chapter", String(32), nullable=False),
    Column("step", String(32), nullable=False),
    Column("choice", Integer),
    Column("skipped", Boolean, nullable=False),
    Column("hint", Boolean, nullable=False),
    Column("updated", Float, nullable=False),
    PrimaryKeyConstraint("learner_id", "chapter", "step"))

guess_events = Table(
    "guess_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _learner_fk(),
    Column("chapter", String(32), nullable=False),
    Column("step", String(32), nullable=False),
    Column("kind", String(8), nullable=False),           # "guess" | "verdict"
    Column("choice", Integer, nullable=False),
    Column("outcome", Integer),                          # verdict: the option the run confirmed
    Column("correct", Boolean),                          # verdict: None when the run could not decide
    Column("generation", Integer, nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_guess_events_chapter", "chapter", "step", "at"),
    Index("ix_guess_events_learner", "learner_id"))

trainings = Table(
    "trainings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _learner_fk(),
    Column("chapter", String(32), nullable=False),
    Column("kind", String(8), nullable=False),           # "live" | "fertig"
    Column("spec", String(200), nullable=False),
    Column("accuracy", Float),
    Column("seconds", Float),
    Column("generation", Integer, nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_trainings_chapter", "chapter", "at"),
    Index("ix_trainings_learner", "learner_id"))

settings = Table(
    "settings", metadata, _learner_fk(),
    Column("kind", String(12), nullable=False),          # see limits.SETTING_KINDS
    Column("key", String(80), nullable=False),
    Column("value", Text, nullable=False),               # JSON
    Column("bytes", Integer, nullable=False),
    Column("updated", Float, nullable=False),
    PrimaryKeyConstraint("learner_id", "kind", "key"))

runlog = Table(
    "runlog", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True), _learner_fk(),
    Column("key", String(80), nullable=False),           # the caller's id of the entry
    Column("value", Text, nullable=False),               # JSON
    Column("bytes", Integer, nullable=False),
    Column("at", Float, nullable=False),
    Column("updated", Float, nullable=False),
    UniqueConstraint("learner_id", "key", name="uq_runlog_learner_key"))

room = Table(
    "room", metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Text, nullable=False),               # JSON
    Column("updated", Float, nullable=False))

quarantine = Table(
    "quarantine", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", Integer, ForeignKey("learners.id", ondelete="CASCADE")),
    Column("source", String(40), nullable=False),        # table or "json-import"
    Column("key", String(200), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("data", Text, nullable=False),
    Column("reported", Boolean, nullable=False),         # the learner has been told
    Column("at", Float, nullable=False),
    Index("ix_quarantine_learner", "learner_id"))

transfers = Table(       # version 2: "Auf einem anderen Gerät weitermachen" (tutorial.store.transfer)
    "transfers", metadata,
    Column("code_hash", String(64), primary_key=True),   # sha256 of the one-time code, never the code
    Column("learner_id", Integer, ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("sealed", String(240), nullable=False),       # the learner's token, encrypted with the code
    Column("expires", Float, nullable=False),
    Index("ix_transfers_learner", "learner_id"))

imports = Table(
    "imports", metadata,
    Column("name", String(120), primary_key=True),       # an old JSON progress file's name
    Column("outcome", String(16), nullable=False),       # "imported" | "damaged" | "skipped"
    Column("at", Float, nullable=False))

LEARNER_TABLES = (visits, answers, guesses, guess_events, trainings, settings, runlog, transfers)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[t for t in metadata.sorted_tables if t not in (schema_version, transfers)])


def _v2(conn: Connection) -> None:
    """One-time codes for moving to another device."""
    transfers.create(conn)


MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2]
VERSION = len(MIGRATIONS)


def version(conn: Connection) -> int:
    """The schema version of the database (0: empty)."""
    schema_version.create(conn, checkfirst=True)
    return conn.execute(select(schema_version.c.version).where(schema_version.c.id == 1)).scalar() or 0


def migrate(engine: Engine) -> int:
    """Bring the database to :data:`VERSION` (several servers starting at once: one migrates, the others
    wait – SQLite's write lock, PostgreSQL's advisory lock). Returns the version."""
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(190019)"))
        current = version(conn)
        if current > VERSION:
            raise RuntimeError(f"the database has schema version {current}, this app knows {VERSION}")
        for step in MIGRATIONS[current:]:
            step(conn)
        if current < VERSION:
            values = {"version": VERSION, "updated": time.time()}
            if current == 0:
                conn.execute(schema_version.insert().values(id=1, **values))
            else:
                conn.execute(schema_version.update().where(schema_version.c.id == 1).values(**values))
    return VERSION
