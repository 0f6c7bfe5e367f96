"""The room: its shared state (banner, workshop mode, "since", who is online) and its aggregates for
the host ("Der Raum"), as indexed queries over the learners seen recently. Every app server on the
same store sees the same room.

:func:`state` / :func:`change` read and set the host's controls; :func:`report` is the statistics.

Each number counts events since the room's start (``since``, set by "Statistik neu beginnen") of
learners seen in the last ``hours``. Nothing is per person: a row (a chapter's position count, a
question, a guess, a chapter's runs) whose number rests on fewer than ``k`` learners is reported as
hidden (its numbers None), so no single learner can be recognised.

* :attr:`Report.positions` – learners per chapter (their current position);
* :attr:`Report.questions` – per "Verständnisfrage": learners who answered, right at their first try
  (since the start; a learner's reset does not make a later answer a first try), and the wrong option
  most learners chose; the questions the room gets wrong first;
* :attr:`Report.guesses` – per "Ihre Vermutung" (chapter, step): how the learners' first guesses fell
  on the options, how many had their guess judged on their own run, how many of those were right, and
  what the runs showed (per option);
* :attr:`Report.trainings` – live runs finished per chapter and their median test accuracy.
"""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import Integer, cast, distinct, func, select

from tutorial import settings
from tutorial.store import limits as lim
from tutorial.store import schema as T
from tutorial.store.errors import UnknownKey
from tutorial.store.store import Store

K_DEFAULT = settings.SETTINGS[settings.ROOM_K].default              # the app passes settings.room_k()
HOURS_DEFAULT = settings.SETTINGS[settings.ROOM_HOURS].default      # … and settings.room_hours()


@dataclass
class RoomState:
    banner: str = ""
    banner_chapter: Optional[str] = None      # "Alle zu Kapitel …": the banner links this chapter
    quick: bool = False                       # workshop mode
    since: float = 0.0                        # the room's statistics start here ("Statistik neu beginnen")
    online: int = 0                           # learners seen within ``Limits.online_seconds``


def state(store: Store) -> RoomState:
    with store._tx(write=False) as conn:
        values = {}
        for key, value in conn.execute(select(T.room.c.key, T.room.c.value)).all():
            try:
                values[key] = json.loads(value)
            except ValueError:
                pass
        online = conn.execute(select(func.count()).where(
            T.learners.c.last_seen >= store.clock() - store.limits.online_seconds)).scalar()
    out = RoomState(online=online)
    out.banner = values.get("banner") if isinstance(values.get("banner"), str) else ""
    chapter = values.get("banner_chapter")
    out.banner_chapter = chapter if chapter in store.vocabulary.chapter_keys else None
    out.quick = values.get("quick") is True
    since = values.get("since")
    out.since = float(since) if isinstance(since, (int, float)) and not isinstance(since, bool) else 0.0
    return out


def change(store: Store, **values) -> None:
    """Change the room: ``banner`` (text), ``banner_chapter`` (chapter key or None), ``quick``
    (workshop mode), ``since`` (start of the statistics, seconds since 1970)."""
    clean = {}
    for key, value in values.items():
        if key not in lim.ROOM_KEYS:
            raise UnknownKey(f"room key {str(key)[:20]!r}")
        if key == "banner":
            value = " ".join(str(value or "").split())[:lim.BANNER_MAX]
        elif key == "banner_chapter":
            value = None if value is None else store.vocabulary.chapter(value)
        elif key == "quick":
            value = bool(value)
        else:
            value = lim.number(value, "since") or 0.0
        clean[key] = json.dumps(value)
    now = store.clock()
    with store._tx() as conn:
        for key, text in clean.items():
            conn.execute(store._insert(T.room).values(key=key, value=text, updated=now).on_conflict_do_update(
                index_elements=["key"], set_={"value": text, "updated": now}))


@dataclass
class QuestionRow:
    question: str
    learners: Optional[int]          # None: hidden (fewer than k learners)
    first_right: Optional[int]
    wrong_option: Optional[str] = None       # the wrong option (index or number) chosen by most learners
    wrong_learners: Optional[int] = None

    @property
    def share(self) -> Optional[float]:
        return None if not self.learners else self.first_right / self.learners


@dataclass
class GuessRow:
    chapter: str
    step: str
    learners: Optional[int]
    options: dict = field(default_factory=dict)     # option index -> learners whose first guess it was
    judged: Optional[int] = None                    # learners with a decided verdict on their own run
    right: Optional[int] = None                     # … whose first decided verdict was right
    outcomes: dict = field(default_factory=dict)    # option index -> learners whose run showed it


@dataclass
class TrainingRow:
    chapter: str
    learners: Optional[int]
    runs: Optional[int] = None
    median_accuracy: Optional[float] = None


@dataclass
class Report:
    since: float
    seen_after: float
    k: int
    learners: int                                    # learners seen in the window
    positions: list = field(default_factory=list)    # (chapter, learners or None)
    questions: list = field(default_factory=list)
    guesses: list = field(default_factory=list)
    trainings: list = field(default_factory=list)


def report(store: Store, since: Optional[float] = None, hours: float = HOURS_DEFAULT,
           k: int = K_DEFAULT, hosts: tuple = ()) -> Report:
    """The room since ``since`` (default: the room's own start) over learners seen in the last
    ``hours``, with counts below ``k`` learners hidden. A learner whose current position is one of the
    chapter keys ``hosts`` (the host's own pages) is left out: that is the host."""
    if since is None:
        since = state(store).since
    k = max(1, int(k))
    seen_after = max(float(since), store.clock() - hours * 3600)
    L = T.learners
    recent = L.c.last_seen >= seen_after
    if hosts:
        recent = recent & (L.c.chapter.is_(None) | L.c.chapter.not_in(list(hosts)))
    with store._tx(write=False) as conn:
        out = Report(since=float(since), seen_after=seen_after, k=k,
                     learners=conn.execute(select(func.count()).where(recent)).scalar())
        for chapter, n in conn.execute(select(L.c.chapter, func.count()).where(recent, L.c.chapter.is_not(None))
                                       .group_by(L.c.chapter).order_by(L.c.chapter)):
            out.positions.append((chapter, n if n >= k else None))
        out.questions = _questions(conn, since, recent, k)
        out.guesses = _guesses(conn, since, recent, k)
        out.trainings = _trainings(conn, since, recent, k)
    return out


def _first(table, since: float, recent, *group, where=()):
    """The id of each recent learner's first event per ``group`` since ``since``."""
    return (select(func.min(table.c.id).label("id"))
            .join(T.learners, T.learners.c.id == table.c.learner_id)
            .where(table.c.at >= since, recent, *where)
            .group_by(table.c.learner_id, *group)).subquery()


def _questions(conn, since: float, recent, k: int) -> list:
    A = T.answers
    first = _first(A, since, recent, A.c.question)
    rows = {q: QuestionRow(q, n, int(right or 0)) for q, n, right in conn.execute(
        select(A.c.question, func.count(), func.sum(cast(A.c.right, Integer)))
        .join(first, A.c.id == first.c.id).group_by(A.c.question))}
    wrong = (select(A.c.question, A.c.option, func.count(distinct(A.c.learner_id)).label("n"))
             .join(T.learners, T.learners.c.id == A.c.learner_id)
             .where(A.c.at >= since, recent, A.c.right.is_(False), A.c.option != "").group_by(A.c.question, A.c.option))
    for question, option, n in conn.execute(wrong):
        row = rows.get(question)
        if row is not None and (row.wrong_learners is None or (n, option) > (row.wrong_learners, row.wrong_option)):
            row.wrong_option, row.wrong_learners = option, n
    for row in rows.values():
        if row.learners < k:
            row.learners = row.first_right = row.wrong_option = row.wrong_learners = None
    return sorted(rows.values(), key=lambda r: (r.share is None, r.share if r.share is not None else 0,
                                                -(r.learners or 0), r.question))


def _guesses(conn, since: float, recent, k: int) -> list:
    G = T.guess_events
    rows: dict = {}
    first = _first(G, since, recent, G.c.chapter, G.c.step, where=(G.c.kind == "guess",))
    for chapter, step, choice, n in conn.execute(
            select(G.c.chapter, G.c.step, G.c.choice, func.count()).join(first, G.c.id == first.c.id)
            .group_by(G.c.chapter, G.c.step, G.c.choice)):
        row = rows.setdefault((chapter, step), GuessRow(chapter, step, 0, judged=0, right=0))
        row.options[choice] = n
        row.learners += n
    decided = _first(G, since, recent, G.c.chapter, G.c.step,
                     where=(G.c.kind == "verdict", G.c.correct.is_not(None)))
    for chapter, step, outcome, n, right in conn.execute(
            select(G.c.chapter, G.c.step, G.c.outcome, func.count(), func.sum(cast(G.c.correct, Integer)))
            .join(decided, G.c.id == decided.c.id).group_by(G.c.chapter, G.c.step, G.c.outcome)):
        row = rows.setdefault((chapter, step), GuessRow(chapter, step, 0, judged=0, right=0))
        row.outcomes[outcome] = n
        row.judged += n
        row.right += int(right or 0)
    for row in rows.values():
        if max(row.learners, row.judged) < k:
            row.learners = row.judged = row.right = None
            row.options, row.outcomes = {}, {}
    return sorted(rows.values(), key=lambda r: (r.chapter, r.step))


def _trainings(conn, since: float, recent, k: int) -> list:
    R = T.trainings
    runs: dict = {}     # chapter -> [learners, accuracies, runs]
    for chapter, learner, accuracy in conn.execute(
            select(R.c.chapter, R.c.learner_id, R.c.accuracy)
            .join(T.learners, T.learners.c.id == R.c.learner_id)
            .where(R.c.at >= since, recent, R.c.kind == "live")):
        entry = runs.setdefault(chapter, [set(), [], 0])
        entry[0].add(learner)
        entry[2] += 1
        if accuracy is not None:
            entry[1].append(accuracy)
    out = []
    for chapter in sorted(runs):
        learners, accuracies, count = runs[chapter]
        if len(learners) < k:
            out.append(TrainingRow(chapter, None))
        else:
            out.append(TrainingRow(chapter, len(learners), count,
                                   statistics.median(accuracies) if accuracies else None))
    return out
