"""A learner's progress as a file: "Fortschritt herunterladen" and, after a confirmation, "Fortschritt
aus Datei laden" (start page, under "Ihr Fortschritt").

The file is JSON (:data:`FORMAT`): visited chapters, trained exercises, answers, guesses, the pages'
settings and the run log – what :meth:`tutorial.store.store.Store.load` returns. A file that comes back
is untrusted: :func:`parse` bounds its size and every count, and checks every entry against the store's
own vocabulary and caps (known chapters, questions, options, setting keys; run log entries that are
runs of this app) before anything is written; a wrong or damaged file gets a German message and
changes nothing. :func:`apply` then writes it through the store's ordinary methods: visits, answers
and trainings are added to the learner's, the file's guesses, settings and logged runs replace those
of the same name.
"""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Optional

import streamlit as st

from tutorial.app import records, state, storage
from tutorial.deutsch import de
from tutorial.store import limits as lim
from tutorial.store.errors import StoreError

APP = "deep-learning-ohne-doktortitel"
FORMAT = 1
MAX_BYTES = 3_000_000          # a full course with 200 logged runs is well below 2 MB
FILE_NAME = "fortschritt.json"


class FileRejected(ValueError):
    """A progress file that is not loaded; ``message`` says why, in German."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Parsed:
    visited: list = field(default_factory=list)
    ran: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)       # question -> (option, right)
    guesses: list = field(default_factory=list)       # (chapter, step, choice, skipped, hint)
    settings: dict = field(default_factory=dict)      # kind -> {key: value}
    log: list = field(default_factory=list)           # (key, entry)


# --- to a file ---------------------------------------------------------------------------------------

def _option(text):
    """An answer's stored option text as the value :meth:`Store.answer` takes (index or number)."""
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


def to_file(learner) -> bytes:
    """A learner's state (:class:`tutorial.store.reading.LearnerState`) as the bytes of a progress file."""
    payload = {
        "app": APP, "format": FORMAT,
        "exported": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "visited": list(learner.visited), "ran": list(learner.ran),
        "answers": {q: {"option": _option(a.get("option")), "right": bool(a.get("right"))}
                    for q, a in learner.answers.items()},
        "guesses": [{"chapter": c, "step": s, **g} for (c, s), g in learner.guesses.items()],
        "settings": {"widget": dict(learner.widgets), "selection": dict(learner.selections)},
        "log": [{"key": key, "entry": entry} for key, entry in learner.log],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


# --- from a file -------------------------------------------------------------------------------------

WRONG = "Diese Datei ist keine Fortschrittsdatei dieser App."


def _bounded(value, kind: type, most: int, what: str):
    """``value`` when it is a ``kind`` (list or dict) of at most ``most`` entries, else FileRejected."""
    if not isinstance(value, kind):
        form = "ist keine Liste" if kind is list else "fehlt oder hat die falsche Form"
        raise FileRejected(f"Die Datei ist beschädigt: »{what}« {form}. Es wurde nichts geladen.")
    if len(value) > most:
        raise FileRejected(f"Die Datei enthält zu viele Einträge unter »{what}« ({de(len(value))}, höchstens "
                           f"{de(most)}). Es wurde nichts geladen.")
    return value


def _list(value, most: int, what: str) -> list:
    return _bounded(value, list, most, what)


def _dict(value, most: int, what: str) -> dict:
    return _bounded(value, dict, most, what)


def parse(blob: bytes, vocabulary: lim.Vocabulary, limits: lim.Limits) -> Parsed:
    """The checked content of a progress file; raises :class:`FileRejected` (German) for anything else."""
    if not isinstance(blob, (bytes, bytearray)) or len(blob) > MAX_BYTES:
        raise FileRejected(f"Die Datei ist zu groß (höchstens {de(MAX_BYTES // 1_000_000)} MB) – eine "
                           "Fortschrittsdatei dieser App ist viel kleiner. Es wurde nichts geladen.")
    try:
        data = lim.loads(bytes(blob).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FileRejected(WRONG + " (Sie ist kein lesbares JSON.) Es wurde nichts geladen.") from None
    if not isinstance(data, dict) or data.get("app") != APP:
        raise FileRejected(WRONG + " Es wurde nichts geladen.")
    if data.get("format") != FORMAT:
        raise FileRejected("Diese Fortschrittsdatei hat ein Format, das diese Version der App nicht kennt "
                           "(von einer neueren Version?). Es wurde nichts geladen.")
    out = Parsed()
    part = "Kapitel"
    try:
        chapters = len(vocabulary.chapter_keys)
        out.visited = [vocabulary.chapter(c) for c in _list(data.get("visited", []), chapters, "visited")]
        out.ran = [vocabulary.chapter(c) for c in _list(data.get("ran", []), chapters, "ran")]
        part = "Antworten"
        answers = _dict(data.get("answers", {}), len(vocabulary.questions) + len(vocabulary.retired), "answers")
        for question, answer in answers.items():
            if question in vocabulary.retired:
                continue            # a question taken out of the course since the file was written
            answer = _dict(answer, 4, "answers")
            option = answer.get("option")
            vocabulary.answer(question, option)
            # "right" only when the chosen option is right: a file cannot make a wrong answer count
            right = answer.get("right") is True and vocabulary.is_right(question, option) is not False
            out.answers[question] = (option, right)
        part = "Vermutungen"
        for g in _list(data.get("guesses", []), 4 * chapters, "guesses"):
            g = _dict(g, 6, "guesses")
            chapter, step = vocabulary.guess(g.get("chapter"), g.get("step", ""), g.get("choice"))
            hint = g.get("hint")
            out.guesses.append((chapter, step, g.get("choice"), g.get("skipped") is True,
                                hint if isinstance(hint, bool) else None))
        part = "Einstellungen"
        settings = _dict(data.get("settings", {}), 2, "settings")
        for kind in settings:
            if kind not in ("widget", "selection"):
                raise FileRejected(f"Die Datei ist beschädigt: unbekannte Art von Einstellungen »{str(kind)[:20]}«. "
                                   "Es wurde nichts geladen.")
            values = _dict(settings[kind], limits.settings_per_learner, "settings")
            for key, value in values.items():
                _, _, cap = vocabulary.setting(kind, key)
                lim.dumps(value, cap, f"{kind}:{key}")
                if kind == "selection" and records.selection_from_data(value) is None:
                    raise FileRejected("Die Datei ist beschädigt: ein gespeicherter Lauf einer Seite ist kein "
                                       "Lauf dieser App. Es wurde nichts geladen.")
            out.settings[kind] = dict(values)
        part = "Versuchsprotokoll"
        for item in _list(data.get("log", []), limits.runlog_entries, "log"):
            item = _dict(item, 2, "log")
            key = lim.check_key(item.get("key"), "run log entry")
            entry = item.get("entry")
            lim.dumps(entry, limits.runlog_entry_bytes, "run log entry")
            if not isinstance(entry, dict) or records.run_from_data(entry) is None:
                raise FileRejected("Die Datei ist beschädigt: ein Eintrag des Versuchsprotokolls ist kein Lauf "
                                   "dieser App. Es wurde nichts geladen.")
            out.log.append((key, entry))
    except StoreError:
        raise FileRejected(f"Die Datei ist beschädigt oder passt nicht zu dieser App: Unter »{part}« steht ein "
                           "Eintrag, den die App nicht kennt. Es wurde nichts geladen.") from None
    return out


def apply(store, token: str, parsed: Parsed) -> None:
    """Write a parsed file into the learner's progress (raises StoreError when the store refuses)."""
    for chapter in parsed.visited:
        store.visit(token, chapter)
    for chapter in parsed.ran:
        store.trained(token, chapter, kind="fertig")
    for question, (option, right) in parsed.answers.items():
        store.answer(token, question, option, right)
    for chapter, step, choice, skipped, hint in parsed.guesses:
        store.guess(token, chapter, choice, skipped, hint, step=step, event=False)
    for kind, values in parsed.settings.items():
        store.put_settings(token, kind, values)
    for key, entry in parsed.log:
        store.log_run(token, key, entry)


def summary(parsed: Parsed) -> str:
    return (f"{de(len(parsed.visited))} besuchte Kapitel, {de(len(parsed.ran))} trainierte Übungen, "
            f"{de(len(parsed.answers))} beantwortete Fragen, {de(len(parsed.log))} Läufe im Versuchsprotokoll")


# --- the start page's controls ----------------------------------------------------------------------

def controls() -> None:
    """Download the progress as a file; load one after a confirmation."""
    with st.expander("Fortschritt als Datei sichern oder laden", icon=":material/save:"):
        st.markdown("Eine Datei mit Ihrem Fortschritt, Ihren Einstellungen und Ihrem Versuchsprotokoll – zum "
                    "Aufbewahren oder für eine andere Installation dieser App. Laden Sie sie später hier wieder.")
        try:
            store, token = storage.store(), state.learner_token()
        except StoreError as exc:
            st.warning(exc.message_de)
            return
        st.download_button("Fortschritt herunterladen", data=lambda: to_file(store.load(token)),
                           file_name=FILE_NAME, mime="application/json", icon=":material/download:",
                           key="progress_file_download", on_click="ignore")
        upload = st.file_uploader("Fortschrittsdatei laden", type=["json"], key="progress_file_upload")
        if upload is None:
            return
        try:
            if upload.size > MAX_BYTES:
                raise FileRejected(f"Die Datei ist zu groß (höchstens {de(MAX_BYTES // 1_000_000)} MB). "
                                   "Es wurde nichts geladen.")
            parsed = parse(upload.getvalue(), store.vocabulary, store.limits)
        except FileRejected as exc:
            st.error(exc.message, icon=":material/error:")
            return
        st.markdown(f"Die Datei enthält {summary(parsed)}. Beim Laden kommt das zu Ihrem jetzigen Fortschritt "
                    "hinzu; Einstellungen, Vermutungen und gleichnamige Läufe aus der Datei ersetzen Ihre jetzigen.")
        if st.button("Ja, Fortschritt laden", key="progress_file_confirm", type="primary"):
            _load(store, token, parsed)


def _load(store, token: str, parsed: Parsed) -> None:
    message: Optional[str] = None
    try:
        apply(store, token, parsed)
    except StoreError as exc:
        message = exc.message_de
    state.set_progress_data(None)          # read again from the store on this run
    if message:
        st.error(f"Die Datei wurde nur zum Teil geladen: {message}", icon=":material/error:")
    else:
        st.success("Ihr Fortschritt ist geladen. Laden Sie die Seite neu, damit auch alle Einstellungen und "
                   "das Versuchsprotokoll erscheinen.", icon=":material/check_circle:")
