""""Ihr Fortschritt": what a learner did, kept across reloads and server restarts, without accounts.

Design: a random, unguessable learner token (128 bit) lives in the page URL as ``?lernende=…`` and is
set again on every page run (navigation may drop query parameters). On the server one small JSON
file per token (:mod:`tutorial.learner`) holds the progress (chapters visited, exercises run,
questions answered right, guesses) and what a reload must bring back: the widget values of every
page, each page's last run (a still-running training is re-attached, because the trainer keeps jobs
by their spec) and the run log. Only someone who has the link sees that learner's progress; the
file name is a hash of the token.

:func:`visit` (called by ``page.start``) restores the state on a session's first run and draws the
sidebar box; :func:`save` (called by ``page.end`` and after every answer) writes it when it changed.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Optional

import streamlit as st

from tutorial import learner
from tutorial import questions as Q
from tutorial.app import state
from tutorial.chapters import CHAPTERS, Chapter
from tutorial.spec import RunSpec

PARAM = "lernende"              # query parameter of the learner token
FULL_RUNS = 12                  # the newest runs keep their per-batch curves in the file, older ones per epoch


# --- the learner's data in this session ------------------------------------------------------------

def data() -> dict:
    """The learner's progress in this session (loaded from the token's file on the first run)."""
    if state.progress_data() is None:
        _load()
    return state.progress_data()


def token() -> str:
    data()
    return state.learner_token()


def _load() -> None:
    requested = st.query_params.get(PARAM)
    if requested is not None and not learner.valid_token(requested):
        st.toast("Der Fortschritts-Link in der Adresse ist unvollständig oder ungültig – Sie beginnen mit "
                 "einem neuen, leeren Fortschritt.", icon=":material/link_off:")
        requested = None
    tok = requested or learner.new_token()
    stored = learner.load(tok) if requested else learner.empty()
    state.set_learner(tok)
    state.set_progress_data(stored)
    state.set_saved_fingerprint(_digest(stored) if requested else None)
    _restore(stored)


def _restore(stored: dict) -> None:
    """Put widget values, the pages' last runs and the run log back into the session."""
    selections = {key: learner.selection_from_dict(selection)
                  for key, selection in stored.get("selections", {}).items()}
    state.restore(stored.get("widgets", {}), {k: v for k, v in selections.items() if v is not None})
    if stored.get("log") and not state.run_log():
        state.set_run_log([run for run in (_run_from_dict(item) for item in stored["log"]) if run is not None])


def _run_to_dict(run, full: bool = True) -> dict:
    """A logged run as plain data (cached: a logged run does not change). ``full=False`` drops the
    per-batch curve and keeps the per-epoch values, so a long log keeps the file small."""
    cache = state.log_cache()
    marker = (run.id, run.number, run.errors, full)
    if cache.get(run.id, (None,))[0] != marker:
        fields = {f.name: getattr(run, f.name) for f in dataclasses.fields(run)}
        fields["spec"] = run.spec.to_data()
        history = learner.clean_history(run.history)
        if not full:
            history["batches"] = []
        fields["history"] = history
        cache[run.id] = (marker, fields)
    return cache[run.id][1]


def _run_from_dict(item: dict):
    from tutorial.app.runlog import Run
    try:
        fields = dict(item)
        fields["spec"] = RunSpec.from_data(fields["spec"])
        fields["history"] = learner.restore_history(fields["history"])
        names = {f.name for f in dataclasses.fields(Run)}
        return Run(**{k: v for k, v in fields.items() if k in names})
    except (ValueError, KeyError, TypeError):
        return None


def _collect() -> tuple[dict, list]:
    """The learner's data with the session's current widget values and runs, and the run log's runs."""
    out = dict(data())
    kept = state.persisted()
    out["widgets"] = {k: v for k, v in kept["widgets"].items() if learner.plain_widget(v)}
    selections = {k: learner.selection_to_dict(v) for k, v in kept["selections"].items()}
    out["selections"] = {k: v for k, v in selections.items() if v is not None}
    log = [run for run in state.run_log() if dataclasses.is_dataclass(run)]
    return out, log


def _digest(value: dict, log: list = ()) -> str:
    """A fingerprint of the state; a run in the log counts by its id, number and score (its history,
    the bulk of the file, does not change once it is logged)."""
    light = {k: v for k, v in value.items() if k != "log"}
    light["log"] = [[run.id, run.number, run.errors] for run in log] if log else [
        [item.get("id"), item.get("number"), item.get("errors")] for item in value.get("log", [])]
    return hashlib.sha1(json.dumps(light, sort_keys=True, default=learner._plain).encode()).hexdigest()


def save() -> None:
    """Write the learner's state if it changed since the last write (a failure only warns)."""
    collected, log = _collect()
    digest = _digest(collected, log)
    if digest == state.saved_fingerprint():
        return
    collected["log"] = [_run_to_dict(run, full=i >= len(log) - FULL_RUNS) for i, run in enumerate(log)]
    try:
        learner.save(token(), collected)
    except OSError:
        st.toast("Ihr Fortschritt konnte auf dem Server gerade nicht gespeichert werden.", icon=":material/warning:")
        return
    state.set_saved_fingerprint(digest)


def keep_link() -> None:
    """Put the learner token into the URL (again): a reload then finds the learner's file."""
    tok = token()
    if st.query_params.get(PARAM) != tok:
        st.query_params[PARAM] = tok


# --- recording -------------------------------------------------------------------------------------

def _add(name: str, key: str) -> None:
    values = data()[name]
    if key not in values:
        values.append(key)


def visit(entry: Chapter) -> None:
    """A page run of ``entry``: restore on the session's first run, keep the link, mark it visited."""
    data()
    keep_link()
    _add("visited", entry.key)
    sidebar(entry)


def ran(entry: Chapter) -> None:
    """The chapter's exercise produced a finished result."""
    _add("ran", entry.key)


def answered(question_id: str, right: bool) -> None:
    """Record an answer: ``right`` once right stays right; the first try is kept separately."""
    answers = data()["answers"]
    entry = answers.setdefault(question_id, {"tries": 0, "right": False, "first": right})
    entry["tries"] += 1
    entry["right"] = entry["right"] or right
    save()


def guess_state(chapter_key: str) -> dict:
    """{"choice": option index or None, "skipped": bool, "hint": bool} of the chapter's guess."""
    return data()["guesses"].setdefault(chapter_key, {"choice": None, "skipped": False, "hint": False})


def reset() -> None:
    """Forget visited chapters, exercises, answers and guesses (the run log and settings stay)."""
    current = data()
    for name in ("visited", "ran"):
        current[name] = []
    current["answers"], current["guesses"] = {}, {}
    state.forget_answers()
    save()


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


def sidebar(entry: Optional[Chapter] = None) -> None:
    t = totals()
    with st.sidebar:
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


def overview() -> None:
    """The start page's "Ihr Fortschritt": the table, the personal link and the reset button."""
    st.header("Ihr Fortschritt")
    t = totals()
    st.markdown(f"Sie haben **{t['visited']} von {t['chapters']}** Kapiteln besucht, **{t['ran']} von "
                f"{t['exercises']}** Übungen trainiert und **{t['right']} von {t['questions']}** "
                "Verständnisfragen richtig beantwortet.")
    st.dataframe(rows(), hide_index=True, width="stretch")
    st.caption("Ihr Fortschritt, Ihre Einstellungen und Ihr Versuchsprotokoll hängen an der Adresse dieser Seite "
               f"(»?{PARAM}=…«). Mit einem Lesezeichen oder nach dem Neuladen geht es dort weiter, wo Sie "
               "aufgehört haben. Geben Sie diese Adresse nicht weiter – wer sie hat, sieht Ihren Fortschritt.")
    with st.popover("Fortschritt zurücksetzen", icon=":material/restart_alt:"):
        st.markdown("Besuchte Kapitel, trainierte Übungen, Antworten und Vermutungen werden gelöscht. "
                    "Versuchsprotokoll und Einstellungen bleiben erhalten.")
        st.button("Ja, zurücksetzen", key="progress_reset", on_click=reset, type="primary")
