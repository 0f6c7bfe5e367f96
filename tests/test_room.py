""""Der Raum" in words (tutorial/roomreport.py), its chart, how to join (tutorial/join.py) and its
settings – computed from known progress in a real store (SQLite), with the privacy threshold k."""
from __future__ import annotations

import csv
import io
import itertools

import pytest

from tutorial import chapters, join, roomreport, settings
from tutorial import questions as Q
from tutorial.charts.room import positions_chart
from tutorial.deutsch import spreadsheet_csv
from tutorial.store import room
from tutorial.store.store import Store

pytestmark = pytest.mark.engine

TOKENS = (f"roomlearner{i:03d}-abcdefghijklmnop" for i in itertools.count())
QUESTION = Q.chapter_questions("ch07")[0]                       # "… bei 4 sigmoid-Schichten …"
RIGHT = next(i for i, o in enumerate(QUESTION.options) if o.correct)
WRONG = [i for i, o in enumerate(QUESTION.options) if not o.correct]
EASY = Q.chapter_questions("ch07")[1]
EASY_RIGHT = next(i for i, o in enumerate(EASY.options) if o.correct)
NUMBER = next(q for q in Q.chapter_questions("ch04") if not q.options)
GUESS = Q.guess("ch07")


@pytest.fixture
def store(tmp_path, clock):
    made = Store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", clock=clock)
    yield made
    made.close()


def seed(store: Store) -> list[str]:
    """Six learners with known answers, guesses, runs and positions:

    * QUESTION: first tries 2 right, 3 chose WRONG[0], 1 chose WRONG[1]; every learner right later;
    * EASY: 5 of 6 right at the first try, the one wrong answer alone;
    * NUMBER: 2 learners only (below k = 3);
    * chapter 7's guess: first guesses 4× option 2, 2× option 1 (a changed guess does not count),
      verdicts on their own runs: 5 judged, all runs showed option 2 → 4 right;
    * positions: 4 in ch07, 1 in ch03, 1 on the host page (not in the learners' menu);
    * trainings: 6 live runs in ch07 (accuracies 0,90 … 0,95), 2 learners in ch06.
    """
    tokens = [next(TOKENS) for _ in range(6)]
    firsts = [RIGHT, RIGHT, WRONG[0], WRONG[0], WRONG[0], WRONG[1]]
    for i, token in enumerate(tokens):
        store.visit(token, "ch03" if i == 4 else "kursleitung" if i == 5 else "ch07")
        store.answer(token, QUESTION.id, firsts[i], firsts[i] == RIGHT)
        store.answer(token, QUESTION.id, RIGHT, True)
        easy = EASY_RIGHT if i else (EASY_RIGHT + 1) % len(EASY.options)
        store.answer(token, EASY.id, easy, easy == EASY_RIGHT)
        if i < 2:
            store.answer(token, NUMBER.id, NUMBER.answer, True)
        choice = 2 if i < 4 else 1
        store.guess(token, "ch07", choice=choice)
        store.guess(token, "ch07", choice=0)                 # changed afterwards: the first one counts
        if i < 5:
            store.verdict(token, "ch07", choice, 2, choice == 2)
        store.trained(token, "ch07", "live", accuracy=0.90 + i / 100)
        if i < 2:
            store.trained(token, "ch06", "live", accuracy=0.97)
    return tokens


def test_question_lines_worst_first_with_the_wrong_answer_shown_only_from_k_learners(store):
    seed(store)
    report = room.report(store, since=0, k=3)
    lines = roomreport.question_lines(report)
    by_prompt = {line.prompt: line for line in lines}
    hard, easy = by_prompt[QUESTION.prompt], by_prompt[EASY.prompt]
    assert hard.result == "2 von 6 richtig beim ersten Versuch" and hard.share == pytest.approx(2 / 6)
    assert hard.chapter == "Kapitel 7 · Tiefe Netze richtig trainieren"
    assert hard.wrong == f"Häufigste falsche Antwort: »{QUESTION.options[WRONG[0]].text}« (3 Lernende)"
    assert easy.result == "5 von 6 richtig beim ersten Versuch"
    assert easy.wrong == "Jede falsche Antwort wählten weniger als 3 Lernende." and easy.wrong_option == ""
    number = by_prompt[NUMBER.prompt]              # two learners: nothing but "weniger als 3"
    assert (number.result, number.share, number.wrong) == ("weniger als 3 Lernende", None, "")
    assert lines.index(hard) < lines.index(easy) < lines.index(number)   # the room's trouble first


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_guess_sentence_is_ready_for_the_discussion(store):
    seed(store)
    (line,) = roomreport.guess_lines(room.report(store, since=0, k=3))
    assert line.prompt == GUESS.prompt
    assert line.sentence == (f"67 % dachten »{GUESS.options[2]}« (33 % »{GUESS.options[1]}«) – recht hatten auf "
                             f"ihren eigenen Läufen 4 von 5; die Läufe zeigten meist »{GUESS.options[2]}«.")
    assert [(text, n) for text, n, _ in line.shares] == [(GUESS.options[2], 4), (GUESS.options[1], 2)]
    strict = roomreport.guess_lines(room.report(store, since=0, k=6))[0]
    assert strict.sentence == ("67 % dachten »Über 96 %« (33 % »Zwischen 90 % und 96 %«) – auf dem eigenen Lauf "
                               "geprüft ist die Vermutung erst bei weniger als 6 Lernenden.")
    assert strict.judged is None and strict.right is None


def test_positions_and_trainings_in_course_order_without_host_pages(store):
    seed(store)
    report = room.report(store, since=0, k=1)
    assert [(c.key, n) for c, n in roomreport.positions(report)] == [("ch03", 1), ("ch07", 4)]
    hidden = room.report(store, since=0, k=3)
    assert [(c.key, n) for c, n in roomreport.positions(hidden)] == [("ch03", None), ("ch07", 4)]
    assert roomreport.few_places(hidden) == "Weniger als 3 Lernende in Kapitel 3."
    assert roomreport.few_places(room.report(store, since=0, k=5)) == "Jeweils weniger als 5 Lernende in den Kapiteln 3, 7."
    assert roomreport.few_places(report) == ""
    six, seven = roomreport.training_lines(hidden)
    assert (six.chapter, six.runs, six.accuracy, six.median) == ("Kapitel 6 · Mehr Schichten",
                                                                 "weniger als 3 Lernende", "–", None)
    assert (seven.runs, seven.accuracy) == ("6 Läufe von 6 Lernenden", "92,5 %")


def test_the_host_on_a_host_page_is_not_part_of_the_room(store):
    seed(store)                                           # learner 5 is on "Kursleitung": the host
    report = room.report(store, since=0, k=3, hosts=roomreport.HOST_PAGES)
    assert report.learners == 5 and roomreport.HOST_PAGES == ("kursleitung", "raum")
    hard = next(line for line in roomreport.question_lines(report) if line.prompt == QUESTION.prompt)
    assert hard.result == "2 von 5 richtig beim ersten Versuch"       # the host's wrong answer left out
    (guess,) = roomreport.guess_lines(report)
    assert guess.sentence.startswith(f"80 % dachten »{GUESS.options[2]}« (20 % »{GUESS.options[1]}«)")


def test_privacy_threshold_hides_every_number_below_k_learners(store):
    tokens = seed(store)
    report = room.report(store, since=0, k=7)             # seven: more than the whole room
    assert report.learners == 6
    assert all(n is None for _, n in roomreport.positions(report))
    assert all(line.share is None and line.result == "weniger als 7 Lernende" for line in roomreport.question_lines(report))
    (guess,) = roomreport.guess_lines(report)
    assert guess.shares == [] and guess.sentence == (
        "Vermutet haben bisher weniger als 7 Lernende – auf dem eigenen Lauf geprüft ist die Vermutung erst bei "
        "weniger als 7 Lernenden.")
    assert all(line.median is None for line in roomreport.training_lines(report))
    records = roomreport.csv_records(report, 8)
    numbers = [r[c] for r in records[1:] for c in ("Lernende", "Anzahl", "Anteil", "Median Testgenauigkeit")]
    assert set(numbers) == {None}                         # nothing but the window's own total
    text = spreadsheet_csv(records).decode("utf-8-sig")
    assert "weniger als 7 Lernende – verborgen" in text
    assert not any(token in text or token[:12] in text for token in tokens)
    assert roomreport.threshold_note(7).startswith("Nichts hier betrifft eine einzelne Person: Eine Zahl erscheint "
                                                   "erst, wenn mindestens 7 Lernende")


def test_csv_is_for_a_german_spreadsheet_and_holds_every_visible_number(store):
    seed(store)
    report = room.report(store, since=0, k=3)
    data = spreadsheet_csv(roomreport.csv_records(report, 8))
    assert data.startswith("\ufeff".encode())             # BOM: the spreadsheet reads UTF-8 umlauts
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == list(roomreport.CSV_COLUMNS)
    assert rows[0]["Bereich"] == "Zeitraum" and rows[0]["Lernende"] == "6" and rows[0]["Hinweis"] == "k = 3"
    first = next(r for r in rows if r["Frage"] == QUESTION.prompt and r["Antwort"] == "richtig beim ersten Versuch")
    assert (first["Lernende"], first["Anzahl"], first["Anteil"][:6]) == ("6", "2", "0,3333")
    wrong = next(r for r in rows if r["Frage"] == QUESTION.prompt and r["Antwort"].startswith("häufigste falsche"))
    assert wrong["Antwort"] == f"häufigste falsche Antwort: {QUESTION.options[WRONG[0]].text}" and wrong["Anzahl"] == "3"
    training = next(r for r in rows if r["Bereich"] == "Training" and r["Kapitel"].startswith("Kapitel 7"))
    assert (training["Anzahl"], training["Median Testgenauigkeit"]) == ("6", "0,925")
    position = next(r for r in rows if r["Bereich"] == "Position" and r["Kapitel"].startswith("Kapitel 3"))
    assert position["Lernende"] == "" and position["Hinweis"] == "weniger als 3 Lernende – verborgen"
    assert roomreport.csv_name(1_800_000_000.0).startswith("raum-2027-01-")


def test_statistics_start_anew_without_deleting_progress(store, clock):
    tokens = seed(store)
    clock.now += 60
    room.change(store, since=clock.now)
    assert room.report(store, k=1).questions == []        # the room counts from its new start …
    assert store.load(tokens[0]).answers                  # … and the learner's progress is all there
    store.answer(tokens[0], QUESTION.id, WRONG[0], False)
    (row,) = room.report(store, k=1).questions            # a new first try since the start
    assert (row.learners, row.first_right) == (1, 0)
    assert roomreport.window_text(room.report(store), 8) == (
        f"1 Person seit {roomreport.when(clock.now)}, als die Statistik neu begann.")
    assert roomreport.window_text(room.report(store, since=0), 8) == (
        "6 Lernende in den letzten 8 Stunden; Antworten und Läufe seit Beginn der Aufzeichnung.")


def test_positions_chart_marks_hidden_chapters_without_a_bar():
    spec = positions_chart([("3 · Ein erstes Netz trainieren", None), ("7 · Tiefe Netze", 12)], k=3)
    assert [(v["Lernende"], v["Text"]) for v in spec["data"]["values"]] == [(0, "weniger als 3"), (12, "12")]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"][1] > 12      # room for the label after the bar
    big = positions_chart([("7 · Tiefe Netze", 12)], k=3, big=True)
    assert big["encoding"]["y"]["axis"]["labelFontSize"] > spec["encoding"]["y"]["axis"]["labelFontSize"]
    import altair as alt

    alt.Chart.from_dict({k: v for k, v in spec.items() if k != "$schema"})   # a valid Vega-Lite spec


def test_join_address_is_the_start_page_never_a_personal_link():
    assert join.start_page("http://10.0.0.5:8501/raum?lernende=geheim#x") == "http://10.0.0.5:8501/"
    assert join.start_page("https://kurs.example.org/dl/kursleitung") == "https://kurs.example.org/dl/"
    assert join.start_page("https://kurs.example.org/dl/") == "https://kurs.example.org/dl/"
    for bad in ("javascript:alert(1)", "ftp://host/", "http://host:port/", "", None, "kein Link"):
        assert join.start_page(bad) is None
    assert join.public_address("https://kurs.example.org/?token=x", "http://localhost:8501/raum") == \
        "https://kurs.example.org/"
    assert join.public_address(None, "http://localhost:8501/raum") == "http://localhost:8501/"
    assert join.public_address("nicht://gültig", None) is None
    assert join.only_this_computer("http://localhost:8501/") and join.only_this_computer("http://127.0.0.1/")
    assert join.only_this_computer("http://[::1]:8501/") and not join.only_this_computer("http://10.0.0.5:8501/")


def test_qr_code_encodes_the_address():
    import segno

    png = join.qr_png("http://10.0.0.5:8501/", scale=4)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("1")
    code = segno.make("http://10.0.0.5:8501/", error="m", micro=False)
    side = (code.symbol_size(scale=4, border=4))[0]
    assert image.size == (side, side)
    modules = [[image.getpixel((4 * (4 + x) + 1, 4 * (4 + y) + 1)) == 0 for x in range(len(code.matrix))]
               for y in range(len(code.matrix))]
    assert modules == [[bool(v) for v in row] for row in code.matrix]


def test_room_settings_defaults_and_overrides(monkeypatch):
    for name in (settings.ROOM_K, settings.ROOM_HOURS, settings.PUBLIC_URL):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(settings, "_secrets", None)          # no secrets (and the app's hook back afterwards)
    assert (settings.room_k(), settings.room_hours(), settings.public_url()) == (3, 8.0, None)
    assert room.K_DEFAULT == settings.room_k() and room.HOURS_DEFAULT == settings.room_hours()
    monkeypatch.setenv(settings.ROOM_K, "5")
    monkeypatch.setenv(settings.ROOM_HOURS, "2,5")           # not a number: the default
    monkeypatch.setenv(settings.PUBLIC_URL, "https://kurs.example.org/")
    assert (settings.room_k(), settings.room_hours(), settings.public_url()) == (5, 8.0, "https://kurs.example.org/")
    monkeypatch.setenv(settings.ROOM_K, "0")                 # not positive: the default
    assert settings.room_k() == 3


def test_host_pages_stay_out_of_the_learners_menu_and_reading_order():
    hidden = [c.key for c in chapters.CHAPTERS if not c.menu]
    assert hidden == ["kursleitung", "raum"]
    protocol = chapters.chapter("versuchsprotokoll")
    assert chapters.following(protocol) is None              # "Weiter" never leads to a host page
    assert chapters.chapter("raum").url_path == "raum" and chapters.chapter("raum").exists
    assert roomreport.lead_label("ch06") == "Alle zu Kapitel 6: Mehr Schichten"
    assert roomreport.lead_label("zeichnen") == "Alle zu »Ziffern zeichnen«"


def test_answers_to_questions_taken_out_of_the_course_are_left_out(tmp_path, clock):
    """A question replaced by a better one (its id in ``questions.RETIRED``) may still have answers in the
    store from before: the room's lines and its table skip them instead of showing a bare id."""
    retired = sorted(Q.RETIRED)[0]
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = Store(url, clock=clock, vocabulary=_vocabulary_with(retired))
    for _ in range(3):
        token = next(TOKENS)
        old.answer(token, retired, 0, False)
        old.answer(token, EASY.id, EASY_RIGHT, True)
    old.close()
    now = Store(url, clock=clock)
    try:
        report = room.report(now, since=0, k=3)
        assert {row.question for row in report.questions} == {retired, EASY.id}      # still stored …
        lines = roomreport.question_lines(report)
        assert [line.prompt for line in lines] == [EASY.prompt]                       # … but not shown
        asked = {r.get("Frage") for r in roomreport.csv_records(report, 8) if r["Bereich"] == "Verständnisfrage"}
        assert asked == {EASY.prompt}
    finally:
        now.close()


def _vocabulary_with(question_id: str):
    """The course's vocabulary plus one retired question (answered with an option index 0 … 3)."""
    from tutorial.store.limits import Vocabulary
    known = dict(Vocabulary().questions)
    known[question_id] = 4
    return Vocabulary(_questions=known)
