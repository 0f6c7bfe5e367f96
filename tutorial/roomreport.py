""""Der Raum" in words: the room's statistics (:func:`tutorial.store.room.report`) as the host page,
the projector and the CSV download show them – German text, no Streamlit.

Nothing here is per person. The store already hides a row whose number rests on fewer than ``k``
learners; this module applies the same threshold to every part of a row that rests on a smaller group
(how many chose the most frequent wrong answer, how many had their guess judged on their own run), so
no number on the screen comes from fewer than ``k`` learners. :func:`threshold_note` says so.

* :func:`positions` – learners per chapter in the course's order (the host's own pages left out; pass
  :data:`HOST_PAGES` to the report as ``hosts`` to leave out the host altogether);
* :func:`question_lines` – per "Verständnisfrage": "R von N richtig beim ersten Versuch", worst first,
  with the most chosen wrong answer;
* :func:`guess_lines` – per "Ihre Vermutung": a ready sentence for the discussion
  ("62 % dachten »Über 96 %« … – recht hatten auf ihren eigenen Läufen 5 von 8.");
* :func:`training_lines` – runs finished per chapter and their median test accuracy;
* :func:`csv_records` – all of it as rows for the CSV download (:func:`tutorial.deutsch.spreadsheet_csv`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from tutorial import questions as Q
from tutorial.chapters import CHAPTERS, Chapter
from tutorial.deutsch import count, de, general, percent
from tutorial.store.room import GuessRow, QuestionRow, Report, TrainingRow

_BY_KEY = {c.key: c for c in CHAPTERS}
HOST_PAGES = tuple(c.key for c in CHAPTERS if not c.menu)    # whoever is on one of them is the host


@lru_cache(maxsize=1)
def _questions() -> dict:
    """question id -> (chapter key, Question)."""
    return {q.id: (key, q) for key, qs in Q.all_questions().items() for q in qs}


def chapter_label(key: str) -> str:
    """"Kapitel 7 · Tiefe Netze richtig trainieren" (a tool page: its title)."""
    entry = _BY_KEY.get(key)
    if entry is None:
        return key
    return f"Kapitel {entry.number} · {entry.title}" if entry.number is not None else entry.title


def lead_label(key: str) -> str:
    """The banner's link that points everyone to one page: "Alle zu Kapitel 6: Mehr Schichten"."""
    entry = _BY_KEY[key]
    return f"Alle zu {entry.label}: {entry.title}" if entry.number is not None else f"Alle zu »{entry.title}«"


def when(seconds: float) -> str:
    """A moment as the host reads it: "7.12.2026, 14:05 Uhr" (the server's local time)."""
    moment = time.localtime(seconds)
    return f"{moment.tm_mday}.{moment.tm_mon}.{moment.tm_year}, {moment.tm_hour:02d}:{moment.tm_min:02d} Uhr"


def threshold_note(k: int) -> str:
    return (f"Nichts hier betrifft eine einzelne Person: Eine Zahl erscheint erst, wenn mindestens "
            f"{people(k)} zu ihr beigetragen haben; darunter steht "
            f"»weniger als {de(k)}«.")


def window_text(report: Report, hours: float) -> str:
    """What the numbers cover: over whom (learners seen in the window), since when."""
    who = people(report.learners)
    if report.since > 0 and report.since >= report.seen_after:
        return f"{who} seit {when(report.since)}, als die Statistik neu begann."
    start = f"seit {when(report.since)}" if report.since > 0 else "seit Beginn der Aufzeichnung"
    return f"{who} in den letzten {general(hours, 3)} Stunden; Antworten und Läufe {start}."


def people(n: int) -> str:
    """"1 Person", "12 Lernende"."""
    return count(n, "Person", "Lernende")


def fewer(k: int) -> str:
    return f"weniger als {de(k)}"


# --- where the room is ------------------------------------------------------------------------------

def positions(report: Report) -> list[tuple[Chapter, Optional[int]]]:
    """Learners per chapter (None: fewer than k) in the course's order; the host's own pages (not in the
    learners' menu) are left out."""
    counts = dict(report.positions)
    return [(c, counts[c.key]) for c in CHAPTERS if c.key in counts and c.menu]


def few_places(report: Report) -> str:
    """The chapters where fewer than k learners are, in one line ("" when there are none)."""
    places = [c for c, n in positions(report) if n is None]
    if not places:
        return ""
    numbered = [de(c.number) for c in places if c.number is not None]
    parts = ([("Kapitel " if len(numbered) == 1 else "den Kapiteln ") + ", ".join(numbered)] if numbered else [])
    parts += [f"»{c.title}«" for c in places if c.number is None]
    return f"{'Jeweils w' if len(places) > 1 else 'W'}eniger als {de(report.k)} Lernende in " + ", ".join(parts) + "."


# --- the questions ----------------------------------------------------------------------------------

@dataclass
class QuestionLine:
    chapter: str            # "Kapitel 7 · …"
    prompt: str
    result: str             # "1 von 4 richtig beim ersten Versuch" or "weniger als 3 Lernende"
    share: Optional[float]  # first try right / learners (None: hidden)
    wrong: str              # "Häufigste falsche Antwort: »…« (3 Lernende)" or ""
    learners: Optional[int] = None
    first_right: Optional[int] = None
    wrong_option: str = ""  # the wrong answer's text
    wrong_learners: Optional[int] = None


def option_text(question_id: str, option: Optional[str]) -> str:
    """A stored answer (option index, or the typed number) as the learner saw it."""
    if option is None:
        return ""
    entry = _questions().get(question_id)
    if entry is None:
        return option
    question = entry[1]
    try:
        if question.options:
            return question.options[int(option)].text
        return general(float(option), 6)
    except (ValueError, IndexError):
        return option


def question_line(row: QuestionRow, k: int) -> QuestionLine:
    key, question = _questions().get(row.question, ("", None))
    prompt = question.prompt if question is not None else row.question
    label = chapter_label(key) if key else ""
    if row.learners is None:
        return QuestionLine(label, prompt, f"{fewer(k)} Lernende", None, "")
    result = f"{de(row.first_right)} von {de(row.learners)} richtig beim ersten Versuch"
    wrong, text, wrong_n = "", "", None
    if row.wrong_option is not None and row.wrong_learners and row.wrong_learners >= k:
        text, wrong_n = option_text(row.question, row.wrong_option), row.wrong_learners
        wrong = f"Häufigste falsche Antwort: »{text}« ({people(wrong_n)})"
    elif row.wrong_option is not None:
        wrong = f"Jede falsche Antwort wählten {fewer(k)} Lernende."
    return QuestionLine(label, prompt, result, row.share, wrong, row.learners, row.first_right, text, wrong_n)


def question_lines(report: Report) -> list[QuestionLine]:
    """Every question of the course answered in the room, the ones it gets wrong first (the store's
    order); answers to questions taken out of the course (``questions.RETIRED``) are left out."""
    known = _questions()
    return [question_line(row, report.k) for row in report.questions if row.question in known]


# --- the guesses -----------------------------------------------------------------------------------

@dataclass
class GuessLine:
    chapter: str
    prompt: str
    sentence: str
    shares: list            # (option text, learners, share) – most chosen first; [] when hidden
    judged: Optional[int] = None
    right: Optional[int] = None


def guess_line(row: GuessRow, k: int) -> GuessLine:
    guess = Q.guess(row.chapter)
    prompt = guess.prompt if guess is not None else row.chapter
    options = guess.options if guess is not None else ()

    def name(index: int) -> str:
        return options[index] if 0 <= index < len(options) else str(index)

    label = chapter_label(row.chapter)
    if guess is not None and guess.steps:          # exercises in steps: one guess per step
        label += f" ({guess.step_name(row.step)})"
    shares = []
    if row.learners and row.learners >= k:
        shares = sorted(((name(i), n, n / row.learners) for i, n in row.options.items()),
                        key=lambda s: (-s[1], s[0]))
        (top, _, top_share), *rest = shares
        first = f"{percent(top_share, 0)} dachten »{top}«"
        if rest:
            first += " (" + ", ".join(f"{percent(share, 0)} »{text}«" for text, _, share in rest) + ")"
    else:
        first = f"Vermutet haben bisher {fewer(k)} Lernende"
    judged = row.judged if row.judged is not None and row.judged >= k else None
    if judged is not None:
        second = f"recht hatten auf ihren eigenen Läufen {de(row.right)} von {de(judged)}"
        if row.outcomes:
            shown = max(row.outcomes.items(), key=lambda item: (item[1], -item[0]))[0]
            second += f"; die Läufe zeigten meist »{name(shown)}«"
    else:
        second = f"auf dem eigenen Lauf geprüft ist die Vermutung erst bei {fewer(k)} Lernenden"
    return GuessLine(label, prompt, f"{first} – {second}.", shares, judged,
                     row.right if judged is not None else None)


def guess_lines(report: Report) -> list[GuessLine]:
    return [guess_line(row, report.k) for row in report.guesses]


# --- the trainings ---------------------------------------------------------------------------------

@dataclass
class TrainingLine:
    chapter: str
    runs: str               # "12 Läufe von 5 Lernenden" or "weniger als 3 Lernende"
    accuracy: str           # "97,8 %" or "–"
    learners: Optional[int] = None
    count: Optional[int] = None
    median: Optional[float] = None


def training_line(row: TrainingRow, k: int) -> TrainingLine:
    label = chapter_label(row.chapter)
    if row.learners is None:
        return TrainingLine(label, f"{fewer(k)} Lernende", "–")
    return TrainingLine(label, f"{count(row.runs, 'Lauf', 'Läufe')} von {de(row.learners)} Lernenden",
                        percent(row.median_accuracy, 1), row.learners, row.runs, row.median_accuracy)


def training_lines(report: Report) -> list[TrainingLine]:
    order = {c.key: i for i, c in enumerate(CHAPTERS)}
    rows = sorted(report.trainings, key=lambda r: order.get(r.chapter, len(order)))
    return [training_line(row, report.k) for row in rows]


# --- the CSV download ------------------------------------------------------------------------------

CSV_COLUMNS = ("Bereich", "Kapitel", "Frage", "Antwort", "Lernende", "Anzahl", "Anteil",
               "Median Testgenauigkeit", "Hinweis")


def csv_records(report: Report, hours: float) -> list[dict]:
    """The room's statistics as one table (one row per number; hidden numbers empty, with a note)."""
    k = report.k
    hidden = f"{fewer(k)} Lernende – verborgen"
    out = [{"Bereich": "Zeitraum", "Frage": window_text(report, hours),
            "Lernende": report.learners, "Hinweis": f"k = {k}"}]
    total = sum(n for _, n in positions(report) if n)
    for entry, n in positions(report):
        out.append({"Bereich": "Position", "Kapitel": chapter_label(entry.key), "Lernende": n, "Anzahl": n,
                    "Anteil": n / total if n and total else None, "Hinweis": "" if n else hidden})
    for line in question_lines(report):
        out.append({"Bereich": "Verständnisfrage", "Kapitel": line.chapter, "Frage": line.prompt,
                    "Antwort": "richtig beim ersten Versuch", "Lernende": line.learners,
                    "Anzahl": line.first_right, "Anteil": line.share,
                    "Hinweis": "" if line.learners else hidden})
        if line.wrong_option:
            out.append({"Bereich": "Verständnisfrage", "Kapitel": line.chapter, "Frage": line.prompt,
                        "Antwort": f"häufigste falsche Antwort: {line.wrong_option}", "Lernende": line.learners,
                        "Anzahl": line.wrong_learners, "Anteil": line.wrong_learners / line.learners})
    for row, line in zip(report.guesses, guess_lines(report)):
        for text, n, share in line.shares:
            out.append({"Bereich": "Vermutung", "Kapitel": line.chapter, "Frage": line.prompt, "Antwort": text,
                        "Lernende": row.learners, "Anzahl": n, "Anteil": share})
        if not line.shares:
            out.append({"Bereich": "Vermutung", "Kapitel": line.chapter, "Frage": line.prompt,
                        "Hinweis": hidden})
        if line.judged:
            out.append({"Bereich": "Vermutung", "Kapitel": line.chapter, "Frage": line.prompt,
                        "Antwort": "auf dem eigenen Lauf richtig", "Lernende": line.judged, "Anzahl": line.right,
                        "Anteil": line.right / line.judged})
    for line in training_lines(report):
        out.append({"Bereich": "Training", "Kapitel": line.chapter, "Lernende": line.learners,
                    "Anzahl": line.count, "Median Testgenauigkeit": line.median,
                    "Hinweis": "" if line.learners else hidden})
    return [{column: record.get(column) for column in CSV_COLUMNS} for record in out]


def csv_name(now: float) -> str:
    moment = time.localtime(now)
    return f"raum-{moment.tm_year}-{moment.tm_mon:02d}-{moment.tm_mday:02d}-{moment.tm_hour:02d}{moment.tm_min:02d}.csv"
