""""Ihr Fortschritt": what a learner did, kept across reloads, tabs, devices and server restarts, without
accounts.

The learner is a random token in a cookie (:mod:`tutorial.app.identity`); their progress lives in the
progress store (:mod:`tutorial.store`, one per server process: :mod:`tutorial.app.storage`). On a
session's first run :func:`data` reads it back (chapters visited, exercises run, answers, guesses) and
puts back what a reload must bring back: every page's widget values and last run (a still-running
training is re-attached, because the trainer keeps jobs by their spec) and the run log.

Writes go to the store as they happen, each a small row of its own, so two tabs of one learner add
rows and never overwrite each other: a page visit (:func:`visit`, also the learner's position for the
room and "online"), an answer with the chosen option (:func:`answered`), a guess (:func:`set_guess`)
and its verdict on the learner's own run (:func:`judged`), a finished run (:func:`trained`); widget
values and the pages' last runs per key and new run log entries when the page ends (:func:`save`).
A write the store refuses shows its German message once; the session keeps everything for this
visit. A damaged stored record is set aside by the store and the learner is told once.
"""
from __future__ import annotations

import dataclasses
import json
import threading
import time
from typing import Callable, Optional

import streamlit as st

from tutorial import questions as Q
from tutorial.app import identity, progress_file, records, state, storage, views
from tutorial.chapters import CHAPTERS, Chapter
from tutorial.store.errors import StoreError, Unavailable
from tutorial.store.limits import new_token

FULL_RUNS = 12          # the newest runs keep their per-batch curves in the store, older ones per epoch
TOUCH_SECONDS = 60      # "online": a learner who only reads is noted at most this often
DAMAGED = ("Ein Teil Ihres gespeicherten Fortschritts war beschädigt und ließ sich nicht lesen. Er wurde "
           "beiseitegelegt; alles andere ist wieder da.")


# --- the learner's data in this session ------------------------------------------------------------

def empty() -> dict:
    """A learner with no progress (what tests seed as the session's progress)."""
    return {"visited": [], "ran": [], "answers": {}, "guesses": {}}


def data() -> dict:
    """The learner's progress in this session (read from the store on the session's first run)."""
    if state.progress_data() is None:
        _load()
    return state.progress_data()


def token() -> str:
    data()
    return state.learner_token()


def _text(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _load() -> None:
    if not state.identity_settled():
        identity.establish()
    current = empty()
    state.set_progress_data(current)       # first: a failure below leaves an empty progress for this visit
    memo = state.learner_memo()
    try:
        stored = storage.store().load(state.learner_token())
    except StoreError as exc:
        memo["unread"] = True              # the saved settings are unknown: this visit's never replace them
        _tell(exc.message_de)
        return
    current["visited"], current["ran"] = list(stored.visited), list(stored.ran)
    current["answers"] = {q: dict(a) for q, a in stored.answers.items()}
    current["guesses"] = {guess_key(chapter, step): dict(g) for (chapter, step), g in stored.guesses.items()}
    memo["settings"] = {**{("widget", k): _text(v) for k, v in stored.widgets.items()},
                        **{("selection", k): _text(v) for k, v in stored.selections.items()}}
    selections = {k: records.selection_from_data(v) for k, v in stored.selections.items()}
    state.restore(stored.widgets, {k: v for k, v in selections.items() if v is not None})
    logged = {key: bool(entry.get("history", {}).get("batches")) for key, entry in stored.log}
    memo["trained"] = set(logged)                  # a run shown again after a reload is not a new run
    if stored.log and not state.run_log():
        state.set_run_log([run for run in (records.run_from_data(e) for _, e in stored.log) if run is not None])
    mine = {getattr(run, "id", None) for run in state.run_log()}
    # only entries this session's log holds count as written by it: one it lacks was not "cleared" here
    memo["logged"] = {key: full for key, full in logged.items() if key in mine}
    if stored.damaged:
        _tell(DAMAGED)


def _tell(message: str) -> None:
    """Show a German message once per session and learner."""
    told = state.learner_memo().setdefault("told", set())
    if message not in told:
        told.add(message)
        st.toast(message, icon=":material/warning:", duration="long")


def _write(action: Callable[[str], object]) -> bool:
    """Run ``action(token)`` against the store; a refusal shows its German message (once)."""
    try:
        action(token())
        return True
    except StoreError as exc:
        _tell(exc.message_de)
        return False


# --- recording -------------------------------------------------------------------------------------

def _add(name: str, key: str) -> None:
    values = data()[name]
    if key not in values:
        values.append(key)


def visit(entry: Chapter) -> None:
    """A page run of ``entry``: restore on the session's first run, note the visit (the learner's
    position, "online"), draw the sidebar box and keep the cookie."""
    data()
    identity.old_link_offer()
    memo, now = state.learner_memo(), time.time()
    if memo.get("position") != entry.key:
        memo["position"], memo["touched"] = entry.key, now
        _write(lambda tok: storage.store().visit(tok, entry.key))
    elif now - memo.get("touched", 0) > TOUCH_SECONDS:
        memo["touched"] = now
        _write(lambda tok: storage.store().touch(tok))
    _add("visited", entry.key)
    storage.upkeep()
    sidebar(entry)
    identity.keep_cookie()


def trained(entry: Chapter, run) -> None:
    """The chapter's exercise shows a finished run (a :class:`tutorial.app.runlog.Run`, live or ready-made)."""
    _add("ran", entry.key)
    done = state.learner_memo().setdefault("trained", set())
    if run.id in done:
        return
    done.add(run.id)
    _write(lambda tok: storage.store().trained(tok, entry.key, run.kind, accuracy=run.accuracy,
                                               seconds=run.seconds, spec=run.spec.key))


def answered(question_id: str, option, right: bool) -> None:
    """Record an answer (the chosen option or typed number): right once stays right; the first try
    is kept separately."""
    answers = data()["answers"]
    entry = answers.setdefault(question_id, {"tries": 0, "right": False, "first": right})
    entry["tries"] += 1
    entry["right"] = entry["right"] or right
    _write(lambda tok: storage.store().answer(tok, question_id, option, right))


def guess_key(chapter_key: str, step: str = "") -> str:
    """The key of a chapter's guess (per step of an exercise in steps: chapters 7 and 8)."""
    return f"{chapter_key}:{step}" if step else chapter_key


def guess_state(chapter_key: str, step: str = "") -> dict:
    """{"choice": option index or None, "skipped": bool, "hint": bool} of the chapter's guess (``step``)."""
    return data()["guesses"].setdefault(guess_key(chapter_key, step),
                                        {"choice": None, "skipped": False, "hint": False})


def set_guess(chapter_key: str, step: str = "", **changes) -> None:
    """Change the chapter's guess (``choice``, ``skipped``, ``hint``) for ``step`` and store it; a newly
    committed choice is a guess event for the room."""
    current = guess_state(chapter_key, step)
    committed = changes.get("choice") is not None and changes["choice"] != current["choice"]
    current.update(changes)
    _write(lambda tok: storage.store().guess(tok, chapter_key, current["choice"], current["skipped"],
                                             current["hint"], step=step, event=committed))


def judged(entry: Chapter, guess, choice: int, history: dict, spec, correct: bool) -> None:
    """The learner's guess was judged on their own run: the option the run confirmed (once per run
    and choice in a session)."""
    done = state.learner_memo().setdefault("verdicts", set())
    key = (entry.key, getattr(spec, "key", ""), choice)
    if key in done:
        return
    done.add(key)
    outcome, step = guess.outcome(history, spec)[0], guess.step_of(spec)
    _write(lambda tok: storage.store().verdict(tok, entry.key, choice, outcome,
                                               None if outcome is None else correct, step=step))


def save() -> None:
    """Store what changed since the last write: widget values and pages' last runs per key, new run
    log entries (called by ``page.end``)."""
    data()
    _save_settings()
    _save_log()


def _save_settings() -> None:
    kept = state.persisted()
    wanted = {("widget", k): v for k, v in kept["widgets"].items() if records.plain_widget(v)}
    for key, selection in kept["selections"].items():
        converted = records.selection_to_data(selection)
        if converted is not None:
            wanted[("selection", key)] = converted
    memo = state.learner_memo()
    if memo.get("unread"):     # the store could not be read at the session's start: the page shows defaults,
        return                 # not the learner's choices ("gilt vorerst nur für diesen Besuch")
    saved, refused = memo.setdefault("settings", {}), memo.setdefault("refused", set())
    changes: dict = {}
    for (kind, key), value in wanted.items():
        text = _text(value)
        if saved.get((kind, key)) != text and (kind, key, text) not in refused:
            changes.setdefault(kind, {})[key] = (value, text)
    store = None
    for kind, items in changes.items():
        try:
            store = store or storage.store()
            store.put_settings(token(), kind, {key: value for key, (value, _) in items.items()})
            saved.update({(kind, key): text for key, (_, text) in items.items()})
            continue
        except Unavailable as exc:
            _tell(exc.message_de)
            return
        except StoreError:
            pass
        for key, (value, text) in items.items():      # one refused value: store the others, say why
            try:
                store.put_settings(token(), kind, {key: value})
                saved[(kind, key)] = text
            except StoreError as exc:
                refused.add((kind, key, text))
                _tell(exc.message_de)


def _save_log() -> None:
    log = [run for run in state.run_log() if dataclasses.is_dataclass(run)]
    logged = state.learner_memo().setdefault("logged", {})
    if set(logged) - {run.id for run in log}:       # runs only leave the log by "Protokoll leeren"
        if not _write(lambda tok: storage.store().clear_log(tok)):
            return
        logged.clear()
    for i, run in enumerate(log):
        full = i >= len(log) - FULL_RUNS
        if run.id in logged and (logged[run.id] == full or not logged[run.id]):
            continue
        if not _write(lambda tok: storage.store().log_run(tok, run.id, records.run_to_data(run, full))):
            return
        logged[run.id] = full


def reset() -> None:
    """Forget visited chapters, exercises, answers and guesses (the run log and settings stay)."""
    _write(lambda tok: storage.store().reset(tok))
    state.set_progress_data(empty())
    memo = state.learner_memo()
    for name in ("trained", "verdicts", "position"):    # a run shown again now counts for the new start
        memo.pop(name, None)
    state.forget_answers()


def forget() -> None:
    """"Meine Daten löschen": everything of this learner leaves the store; the browser starts afresh."""
    if _write(lambda tok: storage.store().forget(tok)):
        identity.switch(new_token())
        st.toast("Ihre Daten sind gelöscht. Sie beginnen mit einem neuen, leeren Fortschritt.",
                 icon=":material/delete:")


# --- views -----------------------------------------------------------------------------------------

def _chapters() -> list[Chapter]:
    return [c for c in CHAPTERS if c.number is not None]


def has_exercise(entry: Chapter) -> bool:
    return Q.guess(entry.key) is not None


def right_answers(entry: Chapter) -> tuple[int, int]:
    """(questions of the chapter answered right, questions of the chapter)."""
    answers = data()["answers"]
    qs = Q.chapter_questions(entry.key)
    return sum(1 for q in qs if answers.get(q.id, {}).get("right")), len(qs)


def totals() -> dict:
    current = data()
    chapters = _chapters()
    exercises = [c for c in chapters if has_exercise(c)]
    pairs = [right_answers(c) for c in chapters]
    return {"visited": sum(c.key in current["visited"] for c in chapters), "chapters": len(chapters),
            "ran": sum(c.key in current["ran"] for c in exercises), "exercises": len(exercises),
            "right": sum(p[0] for p in pairs), "questions": sum(p[1] for p in pairs)}


_run = threading.local()   # this script run's sidebar slot (a session's script runs on its own thread)


def sidebar(entry: Optional[Chapter] = None, *, again: bool = False) -> None:
    """Draw "Ihr Fortschritt" in the sidebar; ``again=True`` (page.end) redraws the same slot at the end
    of the run, so answers and trainings of this very run are counted at once."""
    if again:
        slot = getattr(_run, "slot", None)
        if slot is None:
            return
    else:
        slot = _run.slot = st.sidebar.empty()
    t = totals()
    with slot.container():
        st.markdown("**Ihr Fortschritt**")
        st.progress(t["visited"] / t["chapters"], text=f"Kapitel besucht: {t['visited']} von {t['chapters']}")
        st.progress(t["ran"] / t["exercises"], text=f"Übungen trainiert: {t['ran']} von {t['exercises']}")
        st.progress(t["right"] / max(1, t["questions"]),
                    text=f"Verständnisfragen richtig: {t['right']} von {t['questions']}")
        if entry is not None and entry.number is not None:
            st.caption(f"Kapitel {entry.number}: " + chapter_status(entry))


def chapter_status(entry: Chapter) -> str:
    """One chapter's progress as a short German line for the sidebar."""
    parts = []
    if has_exercise(entry):
        parts.append("Übung trainiert" if entry.key in data()["ran"] else "Übung noch nicht trainiert")
    right, total = right_answers(entry)
    if total:
        parts.append(f"{right} von {total} Fragen richtig")
    return " · ".join(parts) or "besucht"


def rows() -> list[dict]:
    """The start page's table: one row per chapter."""
    current = data()
    out = []
    for c in _chapters():
        right, total = right_answers(c)
        out.append({
            "Kapitel": c.menu_title,
            "Besucht": "ja" if c.key in current["visited"] else "–",
            "Übung trainiert": ("ja" if c.key in current["ran"] else "–") if has_exercise(c) else "keine Übung",
            "Verständnisfragen richtig": f"{right} von {total}" if total else "keine Fragen",
        })
    return out


def privacy_note() -> str:
    days = storage.limits().expiry_days
    return ("**Was gespeichert wird:** die besuchten Kapitel, Ihre Antworten und Vermutungen, Ihre Läufe "
            "(Einstellungen und Ergebnisse), die Einstellungen jeder Seite und Ihr Versuchsprotokoll – "
            "unter einer zufälligen Kennung, ohne Namen, E-Mail-Adresse oder IP-Adresse. Die Kennung liegt als "
            "Cookie in diesem Browser (nur dafür, kein Tracking); auf dem Server steht nur ein Hash davon. "
            f"**Wie lange:** bis Sie Ihre Daten löschen, höchstens {_days(days)} nach Ihrem letzten Besuch. "
            "Die Kursleitung sieht nur Zahlen über alle Lernenden zusammen, nie Ihre einzelnen Antworten.")


def _days(days: float) -> str:
    from tutorial.deutsch import count
    return count(round(days), "Tag", "Tage")


def overview() -> None:
    """The start page's "Ihr Fortschritt": the table, the privacy note and the learner's controls."""
    st.header("Ihr Fortschritt")
    t = totals()
    st.markdown(f"Sie haben **{t['visited']} von {t['chapters']}** Kapiteln besucht, **{t['ran']} von "
                f"{t['exercises']}** Übungen trainiert und **{t['right']} von {t['questions']}** "
                "Verständnisfragen richtig beantwortet.")
    views.table(rows(), "progress")
    st.caption("Ihr Fortschritt, Ihre Einstellungen und Ihr Versuchsprotokoll bleiben in diesem Browser "
               "erhalten – nach dem Neuladen, in jedem Tab und wenn Sie später wiederkommen. " + privacy_note())
    left, middle = st.columns(2)
    with left.popover("Fortschritt zurücksetzen", icon=":material/restart_alt:"):
        st.markdown("Besuchte Kapitel, trainierte Übungen, Antworten und Vermutungen werden gelöscht. "
                    "Versuchsprotokoll und Einstellungen bleiben erhalten.")
        st.button("Ja, zurücksetzen", key="progress_reset", on_click=reset, type="primary")
    with middle.popover("Meine Daten löschen", icon=":material/delete:"):
        st.markdown("Alles, was die App über Sie gespeichert hat, wird sofort vom Server gelöscht: Fortschritt, "
                    "Antworten, Einstellungen und Versuchsprotokoll. Dieser Browser beginnt danach neu.")
        st.button("Ja, alles löschen", key="progress_forget", on_click=forget, type="primary")
    identity.controls()
    progress_file.controls()
