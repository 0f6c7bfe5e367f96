"""A learner's progress as a file (tutorial.app.progress_file): it goes out and comes back into another
learner unchanged; a wrong, damaged, forged or oversized file is refused in German and changes nothing."""
from __future__ import annotations

import json
import secrets

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import presets
from tutorial.app import progress_file as P
from tutorial.app import records
from tutorial.app.runlog import LIVE, Run
from tutorial.store.store import Store

pytestmark = pytest.mark.app


@pytest.fixture
def store(tmp_path):
    made = Store(f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    yield made
    made.close()


def _token() -> str:
    return secrets.token_urlsafe(24)


def _busy_learner(store) -> str:
    token = _token()
    store.visit(token, "ch03")
    store.visit(token, "ch07")
    store.trained(token, "ch07", "live", accuracy=0.93, seconds=12.0, spec="abc")
    store.answer(token, "ch03.flat_color_shape", 1, False)
    store.answer(token, "ch03.flat_color_shape", 2, True)
    store.answer(token, "ch03.steps", 468, True)
    store.guess(token, "ch07", 1, False, True)
    store.put_settings(token, "widget", {"ch07_activation": "relu", "ch07_epochs": 3})
    spec = presets.PRESETS["keras_01_mnist"].with_(limit=1280, epochs=1)
    history = {"epochs": [{"epoch": 1, "loss": 1.0, "accuracy": 0.7, "val_loss": 0.9, "val_accuracy": 0.75}],
               "batches": []}
    run = Run("live:" + spec.key, "Kapitel 3", LIVE, spec, history, 1.0, errors=125, n_val=500, number=1)
    store.put_settings(token, "selection", {"ch03": records.selection_to_data({"kind": "live", "spec": spec})})
    store.log_run(token, run.id, records.run_to_data(run))
    return token


def test_progress_goes_out_and_comes_back(store):
    token = _busy_learner(store)
    blob = P.to_file(store.load(token))
    assert json.loads(blob)["app"] == P.APP
    parsed = P.parse(blob, store.vocabulary, store.limits)
    assert "2 besuchte Kapitel" in P.summary(parsed) and "1 Läufe" in P.summary(parsed)
    other = _token()
    P.apply(store, other, parsed)
    before, after = store.load(token), store.load(other)
    assert after.visited == before.visited and after.ran == before.ran
    assert {q: (a["option"], a["right"]) for q, a in after.answers.items()} == \
        {q: (a["option"], a["right"]) for q, a in before.answers.items()}
    assert after.guesses == before.guesses
    assert after.widgets == before.widgets and after.selections == before.selections
    assert after.log == before.log


def test_an_answer_to_a_question_taken_out_of_the_course_is_skipped_not_refused(store):
    """Files written before a question was replaced (its id in ``questions.RETIRED``) still load: that
    answer is left out, the rest comes in – also when the file holds more answers than the course has now."""
    from tutorial import questions as Q
    current = {q: {"option": 0, "right": False} for q in store.vocabulary.questions}
    answers = {**{q: {"option": 0, "right": False} for q in sorted(Q.RETIRED)}, **current}
    assert len(answers) > len(store.vocabulary.questions)          # more than the course asks today
    parsed = P.parse(_file(answers=answers), store.vocabulary, store.limits)
    assert parsed.answers == {q: (0, False) for q in current}
    with pytest.raises(P.FileRejected):                             # an id that never existed is still refused
        P.parse(_file(answers={"ch03.erfunden": {"option": 0, "right": True}}), store.vocabulary, store.limits)


def test_a_file_cannot_make_a_wrong_answer_count_as_right(store):
    """The file says which option was chosen and whether it was right: "right" is believed only for the
    right option (the room's statistics count first tries right)."""
    from tutorial import questions as Q
    question = next(q for qs in Q.all_questions().values() for q in qs if q.options)
    good = next(i for i, o in enumerate(question.options) if o.correct)
    bad = next(i for i, o in enumerate(question.options) if not o.correct)
    for option, expected in ((good, True), (bad, False)):
        parsed = P.parse(_file(answers={question.id: {"option": option, "right": True}}), store.vocabulary, store.limits)
        assert parsed.answers == {question.id: (option, expected)}


def _file(**changes) -> bytes:
    payload = {"app": P.APP, "format": P.FORMAT, "visited": ["ch03"], "ran": [], "answers": {},
               "guesses": [], "settings": {}, "log": []}
    payload.update(changes)
    return json.dumps(payload).encode()


@pytest.mark.slow   # seconds of work: not in the fast loop
@pytest.mark.parametrize("blob, says", [
    (b"\x89PNG\r\n\x1a\n", "kein lesbares JSON"),
    (b"[1, 2, 3]", "keine Fortschrittsdatei dieser App"),
    (json.dumps({"app": "etwas anderes"}).encode(), "keine Fortschrittsdatei dieser App"),
    (_file(format=99), "neueren Version"),
    (_file(visited=["ch99"]), "»Kapitel«"),
    (_file(visited="ch03"), "keine Liste"),
    (_file(visited=["ch03"] * 500), "zu viele Einträge"),
    (_file(answers={"ch03.flat_color_shape": {"option": 7, "right": True}}), "»Antworten«"),
    (_file(answers={"erfunden": {"option": 0, "right": True}}), "»Antworten«"),
    (_file(guesses=[{"chapter": "ch07", "choice": 9}]), "»Vermutungen«"),
    (_file(settings={"widget": {"'; DROP TABLE learners; --": 1}}), "»Einstellungen«"),
    (_file(settings={"meta": {}}), "unbekannte Art"),
    (_file(settings={"selection": {"ch03": {"kind": "live", "spec": {"layers": [{"type": "Lambda"}]}}}}),
     "kein Lauf dieser App"),
    (_file(log=[{"key": "x", "entry": {"history": "kaputt"}}]), "kein Lauf dieser App"),
    (_file(log=[{"key": "x", "entry": {"history": "x" * 700_000}}]), "»Versuchsprotokoll«"),
    (_file(visited=["ch03"], padding="x" * (P.MAX_BYTES + 1)), "zu groß"),
    (b'{"app": "deep-learning-ohne-doktortitel", "format": 1, "visited": [NaN]}', "kein lesbares JSON"),
])
def test_a_wrong_file_is_refused_in_german_and_changes_nothing(store, blob, says):
    token = _busy_learner(store)
    before = P.to_file(store.load(token))
    with pytest.raises(P.FileRejected) as caught:
        P.parse(blob, store.vocabulary, store.limits)
    assert says in caught.value.message and "nichts geladen" in caught.value.message
    assert json.loads(P.to_file(store.load(token)))["log"] == json.loads(before)["log"]


@pytest.mark.parametrize("blob, says", [
    (_file(visited=[["ch03"]]), "»Kapitel«"),                                   # not a name
    (_file(ran=[{"ch03": 1}]), "»Kapitel«"),
    (_file(guesses=[{"chapter": ["ch07"], "choice": 0}]), "»Vermutungen«"),
    (_file(answers={"ch03.steps": {"option": 10 ** 400, "right": True}}), "»Antworten«"),  # no float
    (_file(settings={"selection": {"ch03": {"kind": "live", "spec": {"layers": [{"type": []}]}}}}),
     "kein Lauf dieser App"),
    (_file(settings={"selection": {"ch03": {"kind": "pretrained", "name": ["keras_01_mnist"]}}}),
     "kein Lauf dieser App"),
])
def test_a_forged_file_of_odd_types_is_refused_in_german_not_with_a_traceback(blob, says):
    from tutorial.store import limits as lim
    with pytest.raises(P.FileRejected) as caught:
        P.parse(blob, lim.Vocabulary(), lim.Limits())
    assert says in caught.value.message and "nichts geladen" in caught.value.message


def test_deeply_nested_json_is_refused(store):
    blob = b'{"app": "deep-learning-ohne-doktortitel", "format": 1, "log": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(P.FileRejected):
        P.parse(blob, store.vocabulary, store.limits)


def test_start_page_offers_download_and_upload():
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.download_button(key="progress_file_download").proto.label == "Fortschritt herunterladen"
    assert at.get("file_uploader")
