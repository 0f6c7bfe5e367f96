"""The one interface the app uses for a learner's progress (no Streamlit; the room: tutorial.store.room).

A learner is known by a random token (the app keeps it in a cookie); the database holds only its
hash. Every write runs in one short transaction that first locks the learner's row (PostgreSQL:
``SELECT … FOR UPDATE``; SQLite: ``BEGIN IMMEDIATE``), checks the caps and counts the rows and bytes
the write adds – so two tabs of one learner queue for a moment and never overwrite each other:
events are appended, settings are updated per key (last writer per key wins, not per record).

A refused write raises a :class:`~tutorial.store.errors.StoreError` with a German ``message_de``;
a stored value that no longer reads back is moved to the ``quarantine`` table and counted in
:attr:`~tutorial.store.reading.LearnerState.damaged`, so the app can tell the learner once.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, Union

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from tutorial.store import limits as lim
from tutorial.store import schema as T
from tutorial.store.connect import WRITE, make_engine
from tutorial.store.errors import InvalidValue, LearnerFull, StoreError, StoreFull, Unavailable
from tutorial.store.limits import ROW_BYTES, token_hash

SLOW_CONNECT = 1.0     # seconds: a failed connection attempt that took this long (a host that does not answer) …
DOWN_SECONDS = 30.0    # … makes the store refuse at once for so long instead of every page waiting for it again


@dataclass
class _Learner:
    id: int
    rows: int
    bytes: int
    generation: int


class Store:
    """Progress of all learners and the room's state in one database."""

    def __init__(self, engine: Union[Engine, str, None] = None, limits: lim.Limits = lim.Limits(),
                 vocabulary: Optional[lim.Vocabulary] = None, clock: Callable[[], float] = time.time,
                 migrate: bool = True):
        self.engine = engine if isinstance(engine, Engine) else make_engine(engine)
        self.limits = limits
        self.vocabulary = vocabulary or lim.Vocabulary()
        self.clock = clock
        self._totals: tuple[float, int, int] = (-1e18, 0, 0)     # (when, learners, bytes)
        self._expired_at = -1e18
        self._down_until = -1e18     # after a slow failed connection: refuse at once until then
        # SQLite: the app server's own writers queue here and are woken at once; SQLite's busy handler
        # (between processes) polls with growing sleeps, which under contention costs tens of ms
        self._write_lock = threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()
        if migrate:
            try:
                T.migrate(self.engine)
            except DBAPIError as exc:
                raise Unavailable(f"{type(exc.orig).__name__}: {str(exc.orig)[:200]}") from exc

    def close(self) -> None:
        self.engine.dispose()

    # --- transactions ------------------------------------------------------------------------------
    @contextmanager
    def _tx(self, write: bool = True) -> Iterator[Connection]:
        if self.clock() < self._down_until:
            raise Unavailable("the database did not answer a moment ago")
        try:
            with (self._write_lock if write else nullcontext()), self._connect() as conn:
                if write:
                    conn.execution_options(**{WRITE: True})
                with conn.begin():
                    yield conn
        except StoreError:
            raise
        except DBAPIError as exc:
            raise Unavailable(f"{type(exc.orig).__name__}: {str(exc.orig)[:200]}") from exc

    def _connect(self) -> Connection:
        """A connection; a failed attempt that took :data:`SLOW_CONNECT` seconds or more (PostgreSQL
        behind a host that does not answer: ``connect_timeout``) stops further attempts for
        :data:`DOWN_SECONDS`, so page runs get the German message at once instead of each waiting."""
        started = self.clock()
        try:
            return self.engine.connect()
        except DBAPIError:
            if self.clock() - started >= SLOW_CONNECT:
                self._down_until = self.clock() + DOWN_SECONDS
            raise

    def _insert(self, table):
        return (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)(table)

    def _lock(self, conn: Connection, token: str, create: bool = True) -> Optional[_Learner]:
        """The learner's row, locked for this transaction (created when missing and ``create``)."""
        key = token_hash(token)
        query = (select(T.learners.c.id, T.learners.c.rows, T.learners.c.bytes, T.learners.c.generation)
                 .where(T.learners.c.token_hash == key).with_for_update())
        row = conn.execute(query).first()
        if row is None:
            if not create:
                return None
            self._room_for_one_more(conn)
            now = self.clock()
            conn.execute(self._insert(T.learners).values(
                token_hash=key, created=now, last_seen=now, generation=0, rows=0, bytes=0)
                .on_conflict_do_nothing(index_elements=["token_hash"]))
            row = conn.execute(query).first()
        return _Learner(*row)

    def _room_for_one_more(self, conn: Connection) -> None:
        """Refuse a new learner when the whole store is at its cap (after expiring old learners);
        expiry runs at most hourly, on a new learner's first write."""
        now = self.clock()
        if now - self._expired_at > 3600:
            self._expire(conn, now)
        when, count, size = self._totals
        if now - when > 60 or count >= self.limits.store_learners or size >= self.limits.store_bytes:
            count, size = conn.execute(select(func.count(), func.coalesce(func.sum(T.learners.c.bytes), 0))).one()
            when = now
        if count >= self.limits.store_learners or size >= self.limits.store_bytes:
            self._expire(conn, now)
            self._expire_empty(conn, now)
            count, size = conn.execute(select(func.count(), func.coalesce(func.sum(T.learners.c.bytes), 0))).one()
            if count >= self.limits.store_learners or size >= self.limits.store_bytes:
                raise StoreFull(f"store full: {count} learners, {size} bytes")
        self._totals = (when, count + 1, size)

    def _charge(self, conn: Connection, learner: _Learner, rows: int, size: int, **values) -> None:
        """Count ``rows``/``size`` against the learner's caps (refused above them) and note the visit."""
        if (rows > 0 and learner.rows + rows > self.limits.learner_rows) or (
                size > 0 and learner.bytes + size > self.limits.learner_bytes):
            raise LearnerFull(f"learner at cap: {learner.rows} rows, {learner.bytes} bytes")
        learner.rows += rows
        learner.bytes += size
        conn.execute(update(T.learners).where(T.learners.c.id == learner.id).values(
            rows=learner.rows, bytes=learner.bytes, last_seen=self.clock(), **values))

    def _enter(self, conn: Connection, token: str, rows: int, size: int, **values) -> _Learner:
        """Lock and charge in one statement when the learner exists and has room (one round trip less
        than :meth:`_lock` + :meth:`_charge`, which handle a new learner and a refusal)."""
        L = T.learners
        row = conn.execute(update(L).where(
            L.c.token_hash == token_hash(token), L.c.rows + rows <= self.limits.learner_rows,
            L.c.bytes + size <= self.limits.learner_bytes).values(
            rows=L.c.rows + rows, bytes=L.c.bytes + size, last_seen=self.clock(), **values)
            .returning(L.c.id, L.c.rows, L.c.bytes, L.c.generation)).first()
        if row is not None:
            return _Learner(*row)
        learner = self._lock(conn, token)
        self._charge(conn, learner, rows, size, **values)
        return learner

    # --- learners ----------------------------------------------------------------------------------
    def touch(self, token: str) -> None:
        """The learner is here: create the record or note the time (at most every ``touch_seconds``)."""
        key = token_hash(token)
        now = self.clock()
        with self._tx() as conn:
            done = conn.execute(update(T.learners).where(
                T.learners.c.token_hash == key,
                T.learners.c.last_seen < now - self.limits.touch_seconds).values(last_seen=now)).rowcount
            if not done:
                self._lock(conn, token)

    def exists(self, token: str) -> bool:
        with self._tx(write=False) as conn:
            return conn.execute(select(T.learners.c.id).where(
                T.learners.c.token_hash == token_hash(token))).first() is not None

    def visit(self, token: str, chapter: str) -> None:
        """A page of ``chapter`` ran: visited (count, first, last) and the learner's current position."""
        self.vocabulary.chapter(chapter)
        now = self.clock()
        with self._tx() as conn:
            learner = self._enter(conn, token, 0, 0, chapter=chapter)
            where = (T.visits.c.learner_id == learner.id, T.visits.c.chapter == chapter)
            if not conn.execute(update(T.visits).where(*where).values(
                    last=now, count=T.visits.c.count + 1)).rowcount:
                self._charge(conn, learner, 1, ROW_BYTES)
                conn.execute(T.visits.insert().values(learner_id=learner.id, chapter=chapter, first=now,
                                                      last=now, count=1))

    def answer(self, token: str, question: str, option: Any, right: bool) -> None:
        """An answer to a "Verständnisfrage" (appended; the first one stays the first try even after
        the learner resets the progress)."""
        text = self.vocabulary.answer(question, option)
        with self._tx() as conn:
            learner = self._enter(conn, token, 1, ROW_BYTES + len(text))
            conn.execute(T.answers.insert().values(learner_id=learner.id, question=question, option=text,
                                                   right=bool(right), generation=learner.generation,
                                                   at=self.clock()))

    def guess(self, token: str, chapter: str, choice: Optional[int] = None, skipped: bool = False,
              hint: Optional[bool] = None, step: str = "", event: bool = True) -> None:
        """The state of a chapter's "Ihre Vermutung" (updated in place); a committed ``choice`` is also
        appended as a guess event for the room (``event=False``: not again, e.g. when only the hint
        changes). ``hint=None`` keeps the hint as it is."""
        self.vocabulary.guess(chapter, step, choice)
        now = self.clock()
        with self._tx() as conn:
            events = int(choice is not None and event)
            learner = self._enter(conn, token, events, events * ROW_BYTES)
            where = (T.guesses.c.learner_id == learner.id, T.guesses.c.chapter == chapter,
                     T.guesses.c.step == step)
            values = {"choice": choice, "skipped": bool(skipped) and choice is None, "updated": now}
            if hint is not None:
                values["hint"] = bool(hint)
            if not conn.execute(update(T.guesses).where(*where).values(**values)).rowcount:
                self._charge(conn, learner, 1, ROW_BYTES)
                conn.execute(T.guesses.insert().values(learner_id=learner.id, chapter=chapter, step=step,
                                                       **{"hint": False, **values}))
            if events:
                conn.execute(T.guess_events.insert().values(
                    learner_id=learner.id, chapter=chapter, step=step, kind="guess", choice=choice,
                    generation=learner.generation, at=now))

    def verdict(self, token: str, chapter: str, choice: int, outcome: Optional[int],
                correct: Optional[bool], step: str = "") -> None:
        """A guess judged on the learner's own run: the option the run confirmed (None: undecided)."""
        self.vocabulary.guess(chapter, step, choice, outcome)
        with self._tx() as conn:
            learner = self._enter(conn, token, 1, ROW_BYTES)
            conn.execute(T.guess_events.insert().values(
                learner_id=learner.id, chapter=chapter, step=step, kind="verdict", choice=choice,
                outcome=outcome, correct=None if outcome is None else bool(correct),
                generation=learner.generation, at=self.clock()))

    def trained(self, token: str, chapter: str, kind: str = "live", accuracy: Optional[float] = None,
                seconds: Optional[float] = None, spec: str = "") -> None:
        """A finished run (live, or a ready-made result looked at) of ``chapter``'s exercise."""
        self.vocabulary.chapter(chapter)
        if kind not in lim.TRAINING_KINDS or not isinstance(spec, str) or len(spec) > 200:
            raise InvalidValue(f"training {kind!r}")
        accuracy, seconds = lim.number(accuracy, "accuracy"), lim.number(seconds, "seconds")
        with self._tx() as conn:
            learner = self._enter(conn, token, 1, ROW_BYTES + len(spec))
            conn.execute(T.trainings.insert().values(
                learner_id=learner.id, chapter=chapter, kind=kind, spec=spec,
                accuracy=accuracy, seconds=seconds,
                generation=learner.generation, at=self.clock()))

    def put_settings(self, token: str, kind: str, values: dict) -> None:
        """Per-page settings of ``kind`` (see :data:`~tutorial.store.limits.SETTING_KINDS`), each key
        updated in place; a value of None deletes the key. All or nothing."""
        if not isinstance(values, dict):
            raise InvalidValue("settings")
        prepared = {}
        for key, value in values.items():
            _, _, cap = self.vocabulary.setting(kind, key)
            prepared[key] = None if value is None else lim.dumps(value, cap, f"{kind}:{key}")
        if not prepared:
            return
        now = self.clock()
        with self._tx() as conn:
            learner = self._lock(conn, token)
            old = dict(conn.execute(select(T.settings.c.key, T.settings.c.bytes).where(
                T.settings.c.learner_id == learner.id, T.settings.c.kind == kind,
                T.settings.c.key.in_(list(prepared)))).all())
            new_keys = [k for k, v in prepared.items() if v is not None and k not in old]
            if new_keys:
                count = conn.execute(select(func.count()).where(T.settings.c.learner_id == learner.id)).scalar()
                if count + len(new_keys) > self.limits.settings_per_learner:
                    raise LearnerFull(f"{count} settings")
            rows = size = 0
            for key, text in prepared.items():
                where = (T.settings.c.learner_id == learner.id, T.settings.c.kind == kind, T.settings.c.key == key)
                if text is None:
                    if key in old:
                        conn.execute(delete(T.settings).where(*where))
                        rows, size = rows - 1, size - old[key]
                    continue
                cost = ROW_BYTES + len(key) + len(text.encode())
                if key in old:
                    conn.execute(update(T.settings).where(*where).values(value=text, bytes=cost, updated=now))
                    size += cost - old[key]
                else:
                    conn.execute(T.settings.insert().values(learner_id=learner.id, kind=kind, key=key,
                                                            value=text, bytes=cost, updated=now))
                    rows, size = rows + 1, size + cost
            self._charge(conn, learner, rows, size)

    def log_run(self, token: str, key: str, entry: dict) -> None:
        """A run log entry, appended (or updated in place when ``key`` is already logged, e.g. the
        same run with its per-batch curve dropped); beyond ``runlog_entries`` the oldest go."""
        lim.check_key(key, "run log entry")
        text = lim.dumps(entry, self.limits.runlog_entry_bytes, "run log entry")
        if not isinstance(entry, dict):
            raise InvalidValue("run log entry")
        cost = ROW_BYTES + len(key) + len(text.encode())
        now = self.clock()
        with self._tx() as conn:
            learner = self._lock(conn, token)
            mine = T.runlog.c.learner_id == learner.id
            old = conn.execute(select(T.runlog.c.bytes).where(mine, T.runlog.c.key == key)).scalar()
            if old is not None:
                self._charge(conn, learner, 0, cost - old)
                conn.execute(update(T.runlog).where(mine, T.runlog.c.key == key).values(
                    value=text, bytes=cost, updated=now))
                return
            surplus = conn.execute(select(T.runlog.c.id, T.runlog.c.bytes).where(mine).order_by(
                T.runlog.c.id.desc()).offset(self.limits.runlog_entries - 1)).all()
            if surplus:
                conn.execute(delete(T.runlog).where(T.runlog.c.id.in_([r.id for r in surplus])))
            self._charge(conn, learner, 1 - len(surplus), cost - sum(r.bytes for r in surplus))
            conn.execute(T.runlog.insert().values(learner_id=learner.id, key=key, value=text, bytes=cost,
                                                  at=now, updated=now))

    def clear_log(self, token: str) -> None:
        """"Protokoll leeren": the learner's run log entries are deleted."""
        with self._tx() as conn:
            learner = self._lock(conn, token, create=False)
            if learner is None:
                return
            mine = T.runlog.c.learner_id == learner.id
            count, size = conn.execute(select(func.count(), func.coalesce(func.sum(T.runlog.c.bytes), 0))
                                       .where(mine)).one()
            conn.execute(delete(T.runlog).where(mine))
            self._charge(conn, learner, -count, -int(size))

    def reset(self, token: str) -> None:
        """"Fortschritt zurücksetzen": visits, guesses, answers and runs no longer count for the learner
        (a new generation); settings and the run log stay; the room keeps the first tries."""
        with self._tx() as conn:
            learner = self._lock(conn, token, create=False)
            if learner is None:
                return
            gone = 0
            for table in (T.visits, T.guesses):
                gone += conn.execute(delete(table).where(table.c.learner_id == learner.id)).rowcount
            self._charge(conn, learner, -gone, -gone * ROW_BYTES, generation=learner.generation + 1)

    def forget(self, token: str) -> bool:
        """"Meine Daten löschen": the learner and every row that belongs to them. True if there was one."""
        with self._tx() as conn:
            learner = self._lock(conn, token, create=False)
            if learner is None:
                return False
            self._delete_learners(conn, [learner.id])
            return True

    def _delete_learners(self, conn: Connection, ids: list) -> None:
        for table in (*T.LEARNER_TABLES, T.quarantine):      # explicit: also without SQLite's FK pragma
            conn.execute(delete(table).where(table.c.learner_id.in_(ids)))
        conn.execute(delete(T.learners).where(T.learners.c.id.in_(ids)))

    def expire(self) -> int:
        """Delete learners not seen for ``expiry_days``; returns how many."""
        with self._tx() as conn:
            return self._expire(conn, self.clock())

    def _expire(self, conn: Connection, now: float) -> int:
        ids = conn.execute(select(T.learners.c.id).where(
            T.learners.c.last_seen < now - self.limits.expiry_days * 86400)).scalars().all()
        for start in range(0, len(ids), 500):
            self._delete_learners(conn, ids[start:start + 500])
        if self.engine.dialect.name == "sqlite":    # planner statistics for the room's queries (~1 ms;
            conn.exec_driver_sql("PRAGMA analysis_limit=400")   # PostgreSQL's autovacuum does this)
            conn.exec_driver_sql("ANALYZE")
        self._expired_at = now
        return len(ids)

    def _expire_empty(self, conn: Connection, now: float) -> int:
        """At the cap: delete the longest-unseen learners that hold nothing but visits (no row in any other
        learner table: no answer, guess, training, setting, run, device code or quarantined record) and
        were not seen for ``empty_hours`` – up to a tenth of the cap, so a script that opens many sessions
        cannot lock real new learners out."""
        L = T.learners
        holds = [select(t.c.learner_id).where(t.c.learner_id == L.c.id).exists()
                 for t in (*T.LEARNER_TABLES, T.quarantine) if t is not T.visits]
        query = (select(L.c.id).where(L.c.last_seen < now - self.limits.empty_hours * 3600,
                                      *[~h for h in holds])
                 .order_by(L.c.last_seen).limit(max(1, self.limits.store_learners // 10)))
        ids = conn.execute(query).scalars().all()
        for start in range(0, len(ids), 500):
            self._delete_learners(conn, ids[start:start + 500])
        return len(ids)

    # --- reading a learner ---------------------------------------------------------------------------
    def load(self, token: str):
        """Everything of the learner (:class:`tutorial.store.reading.LearnerState`); damaged records
        are moved aside and counted."""
        from tutorial.store.reading import read_learner
        return read_learner(self, token)

    def totals(self) -> dict:
        """Learners and bytes in the store (for the host page)."""
        with self._tx(write=False) as conn:
            count, size = conn.execute(select(func.count(), func.coalesce(func.sum(T.learners.c.bytes), 0))).one()
            damaged = conn.execute(select(func.count()).select_from(T.quarantine)).scalar()
        return {"learners": count, "bytes": int(size), "quarantine": damaged}
