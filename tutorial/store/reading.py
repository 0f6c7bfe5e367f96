"""Reading one learner back: :class:`LearnerState` from the learner's rows.

A stored value that does not read back as plain JSON (a damaged record) is moved to the
``quarantine`` table in its own short transaction and counted in :attr:`LearnerState.damaged`
together with earlier damaged records the learner has not been told about yet; after this read
they count as reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import delete, func, select, update

from tutorial.store import limits as lim
from tutorial.store import schema as T
from tutorial.store.limits import QUARANTINE_DATA, token_hash


@dataclass
class LearnerState:
    """What a learner did and what a reload brings back (empty for an unknown token)."""
    visited: list = field(default_factory=list)          # chapter keys, first visit first
    ran: list = field(default_factory=list)              # chapters with a finished run (live or ready-made)
    answers: dict = field(default_factory=dict)          # question -> {"tries", "right", "first", "option"}
    guesses: dict = field(default_factory=dict)          # (chapter, step) -> {"choice", "skipped", "hint"}
    widgets: dict = field(default_factory=dict)          # setting kind "widget": key -> value
    selections: dict = field(default_factory=dict)       # kind "selection"
    meta: dict = field(default_factory=dict)             # kind "meta"
    log: list = field(default_factory=list)              # run log: (key, entry dict), oldest first
    chapter: Optional[str] = None                        # current position (the last page visited)
    known: bool = False                                  # the store has a record of this learner
    damaged: int = 0                                     # records kept aside, not yet reported


def read_learner(store, token: str) -> LearnerState:
    """The learner with ``token`` from ``store`` (a :class:`tutorial.store.store.Store`)."""
    key = token_hash(token)
    state = LearnerState()
    damaged = []      # (table, primary key values, record key, reason, data)
    with store._tx(write=False) as conn:
        row = conn.execute(select(T.learners.c.id, T.learners.c.generation, T.learners.c.chapter)
                           .where(T.learners.c.token_hash == key)).first()
        if row is None:
            return state
        learner, generation = row.id, row.generation
        state.known, state.chapter = True, row.chapter
        state.visited = list(conn.execute(select(T.visits.c.chapter).where(T.visits.c.learner_id == learner)
                                          .order_by(T.visits.c.first, T.visits.c.chapter)).scalars())
        ran = conn.execute(select(T.trainings.c.chapter).where(
            T.trainings.c.learner_id == learner, T.trainings.c.generation == generation)
            .order_by(T.trainings.c.id)).scalars()
        state.ran = list(dict.fromkeys(ran))
        first = {}
        for a in conn.execute(select(T.answers.c.question, T.answers.c.option, T.answers.c.right,
                                     T.answers.c.generation).where(T.answers.c.learner_id == learner)
                              .order_by(T.answers.c.id)):
            first.setdefault(a.question, a.right)
            if a.generation != generation:
                continue
            entry = state.answers.setdefault(a.question, {"tries": 0, "right": False, "first": first[a.question]})
            entry["tries"] += 1
            entry["right"] = entry["right"] or a.right
            entry["option"] = a.option
        for g in conn.execute(select(T.guesses).where(T.guesses.c.learner_id == learner)):
            state.guesses[(g.chapter, g.step)] = {"choice": g.choice, "skipped": g.skipped, "hint": g.hint}
        targets = {"widget": state.widgets, "selection": state.selections, "meta": state.meta}
        for s in conn.execute(select(T.settings.c.kind, T.settings.c.key, T.settings.c.value)
                              .where(T.settings.c.learner_id == learner)):
            try:
                targets[s.kind][s.key] = lim.loads(s.value)
            except (ValueError, KeyError) as exc:
                damaged.append((T.settings, {"kind": s.kind, "key": s.key}, f"{s.kind}:{s.key}", exc, s.value))
        for r in conn.execute(select(T.runlog.c.id, T.runlog.c.key, T.runlog.c.value)
                              .where(T.runlog.c.learner_id == learner).order_by(T.runlog.c.id)):
            try:
                entry = lim.loads(r.value)
                if not isinstance(entry, dict):
                    raise ValueError("not an object")
                state.log.append((r.key, entry))
            except ValueError as exc:
                damaged.append((T.runlog, {"id": r.id}, r.key, exc, r.value))
        unreported = conn.execute(select(func.count()).where(
            T.quarantine.c.learner_id == learner, T.quarantine.c.reported.is_(False))).scalar()
    if damaged or unreported:
        state.damaged = unreported + len(damaged)
        _keep_aside(store, learner, damaged)
    return state


def _keep_aside(store, learner: int, damaged: list) -> None:
    """Move damaged records to the quarantine and mark the learner's quarantine as reported."""
    now = store.clock()
    with store._tx() as conn:
        for table, pk, record_key, reason, data in damaged:
            where = [table.c.learner_id == learner] + [table.c[name] == value for name, value in pk.items()]
            if not conn.execute(delete(table).where(*where)).rowcount:
                continue      # another tab moved it already
            conn.execute(T.quarantine.insert().values(
                learner_id=learner, source=table.name, key=str(record_key)[:200],
                reason=f"{type(reason).__name__}: {reason}"[:200], data=str(data)[:QUARANTINE_DATA],
                reported=True, at=now))
        conn.execute(update(T.quarantine).where(T.quarantine.c.learner_id == learner,
                                                T.quarantine.c.reported.is_(False)).values(reported=True))
