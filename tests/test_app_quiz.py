"""The app layer of guess & check and progress (tutorial/app/quiz.py, tutorial/app/progress.py) on real
pages through Streamlit's AppTest, and the learner store (tutorial/learner.py)."""
from __future__ import annotations

import json
import os

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import learner, pretrained
from tutorial import questions as Q
from tutorial import presets
from tutorial.app import progress
from tutorial.chapters import by_number
from tutorial.paths import ROOT

pytestmark = pytest.mark.app

CH04 = by_number(4).file
CH07 = by_number(7).file


def new(path: str, token: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    if token is not None:
        at.query_params[progress.PARAM] = token
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def stored(at: AppTest) -> dict:
    return learner.load(at.query_params[progress.PARAM][0] if isinstance(at.query_params[progress.PARAM], list)
                        else at.query_params[progress.PARAM])


def token_of(at: AppTest) -> str:
    value = at.query_params[progress.PARAM]
    return value[0] if isinstance(value, list) else value


# --- "Verständnisfrage" ----------------------------------------------------------------------------

def test_questions_give_feedback_only_after_an_answer_and_allow_a_retry():
    at = new(CH04).run()
    assert not at.exception
    assert texts(at, "markdown").count("**Verständnisfrage**") == len(Q.chapter_questions("ch04"))
    feedback = {o.feedback for q in Q.chapter_questions("ch04") for o in q.options}
    shown = " ".join(texts(at, "success") + texts(at, "error"))
    assert not any(f in shown for f in feedback), "an answer is visible before the first try"

    dense = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.dense_params")
    at.number_input(key="quiz_ch04.dense_params").set_value(784 * 200).run()
    assert any(dense.typical[0][1] in e for e in texts(at, "error"))
    at.number_input(key="quiz_ch04.dense_params").set_value(dense.answer).run()
    assert any(dense.right in s for s in texts(at, "success"))

    softmax = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.softmax")
    at.radio(key="quiz_ch04.softmax").set_value(0).run()
    assert any(softmax.options[0].feedback in e for e in texts(at, "error"))
    right = next(i for i, o in enumerate(softmax.options) if o.correct)
    at.radio(key="quiz_ch04.softmax").set_value(right).run()
    assert any(softmax.options[right].feedback in s for s in texts(at, "success"))
    assert not at.exception

    saved = stored(at)
    again = new(CH04, token_of(at)).run()     # a reload: the questions answered right say so
    assert sum("schon einmal richtig beantwortet" in c for c in texts(again, "caption")) == 2
    assert saved["answers"]["ch04.dense_params"] == {"tries": 2, "right": True, "first": False}
    assert saved["answers"]["ch04.softmax"]["right"] is True
    assert "ch04" in saved["visited"]


# --- progress and reload ---------------------------------------------------------------------------

def test_progress_and_settings_survive_a_new_session_with_the_same_link():
    at = new(CH07).run()
    token = token_of(at)
    assert learner.valid_token(token)
    at.radio(key="ch07_activation").set_value("relu").run()
    at.button(key="ch07_guess_skip").click().run()
    assert not at.exception

    again = new(CH07, token).run()           # a reload: new session, same URL
    assert not again.exception
    assert again.radio(key="ch07_activation").value == "relu"
    assert any("Kapitel besucht: 1 von" in p.text for p in again.sidebar.get("progress"))
    assert "Kapitel 7: Übung noch nicht trainiert · 0 von 3 Fragen richtig" in [c.value for c in again.sidebar.caption]
    # the guess choice ("Ohne Vermutung weiter") was kept: no guess buttons, the change button instead
    assert again.button(key="ch07_guess_change")

    other = new(CH07).run()                  # another learner sees nothing of it
    assert token_of(other) != token
    assert other.radio(key="ch07_activation").value == "sigmoid"


def test_an_invalid_link_starts_a_fresh_progress_without_a_traceback():
    at = new(CH04, "../../etc/passwd").run()
    assert not at.exception
    assert learner.valid_token(token_of(at))
    assert any("ungültig" in t.value for t in at.toast)


def test_start_page_table_and_reset():
    at = new(by_number(1).file).run()
    assert not at.exception
    assert "Ihr Fortschritt" in texts(at, "header")
    table = at.dataframe[0].value
    assert len(table) == 16 and list(table.columns)[:2] == ["Kapitel", "Besucht"]
    assert table.iloc[0]["Besucht"] == "ja" and table.iloc[1]["Besucht"] == "–"
    token = token_of(at)
    ch04 = new(CH04, token).run()
    ch04.radio(key="quiz_ch04.learning_rate").set_value(1).run()
    at = new(by_number(1).file, token).run()
    table = at.dataframe[0].value
    assert table.iloc[3]["Verständnisfragen richtig"] == f"1 von {len(Q.chapter_questions('ch04'))}"
    at.button(key="progress_reset").click().run()
    table = at.dataframe[0].value
    assert table.iloc[3]["Verständnisfragen richtig"].startswith("0 von")
    assert table.iloc[3]["Besucht"] == "–"


# --- "Ihre Vermutung" -------------------------------------------------------------------------------

def test_guess_gates_the_result_hint_shows_comparison_and_verdict_uses_the_run():
    assert "ex_06_sigmoid" in pretrained.available(), "the pretrained runs are part of the repository"
    at = new(CH07).run()
    assert "**Ihre Vermutung**" in texts(at, "markdown")
    assert not any("Vergleich mit der Lösung" in t for t in texts(at, "info"))
    at.button(key="ch07_hint").click().run()
    assert any("Vergleich mit der Lösung" in t for t in texts(at, "info"))

    at.button(key="ch07_pretrained").click().run()          # defaults = ex_06_sigmoid
    assert "##### Ergebnis" not in texts(at, "markdown")    # collapsed until the learner guessed
    at.radio(key="ch07_guess").set_value(0).run()            # "Unter 90 %"
    at.button(key="ch07_guess_commit").click().run()
    assert not at.exception
    assert "##### Ergebnis" in texts(at, "markdown")
    accuracy = pretrained.load_history("ex_06_sigmoid")["epochs"][-1]["val_accuracy"]
    number = f"{100 * accuracy:.2f}".replace(".", ",") + " %"
    assert any("Richtig vermutet" in s and number in s for s in texts(at, "success"))

    at.button(key="ch07_guess_change").click().run()
    at.radio(key="ch07_guess").set_value(2).run()
    at.button(key="ch07_guess_commit").click().run()
    assert any("Diesmal nicht" in w and number in w for w in texts(at, "warning"))
    assert "ch07" in stored(at)["ran"]


# --- the store ---------------------------------------------------------------------------------------

def test_store_round_trip_atomic_and_private(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTORIAL_PROGRESS_DIR", str(tmp_path))
    token = learner.new_token()
    assert learner.valid_token(token) and not learner.valid_token("x" * 21) and not learner.valid_token(None)
    data = learner.empty()
    data["visited"] = ["ch03"]
    data["selections"] = {"ch06": learner.selection_to_dict({"kind": "live", "spec": presets.PRESETS["ex_06_sigmoid"]})}
    learner.save(token, data)
    files = os.listdir(tmp_path)
    assert len(files) == 1 and token not in files[0]           # the file name does not reveal the link
    loaded = learner.load(token)
    assert loaded["visited"] == ["ch03"]
    assert learner.selection_from_dict(loaded["selections"]["ch06"])["spec"] == presets.PRESETS["ex_06_sigmoid"]
    (tmp_path / files[0]).write_text("{kaputt", encoding="utf-8")
    assert learner.load(token) == learner.empty()               # a damaged file: start fresh, no crash
    with pytest.raises(ValueError):
        learner.path("../../etc/passwd")
    assert learner.selection_from_dict({"kind": "pretrained", "name": "gibt_es_nicht"}) is None
    assert learner.selection_from_dict({"kind": "live", "spec": {"layers": [{"type": "os"}]}}) is None


def test_history_with_nan_survives_json():
    history = {"epochs": [{"epoch": 1, "loss": float("nan"), "val_loss": 1.0}], "batches": []}
    text = json.dumps(learner.clean_history(history))
    back = learner.restore_history(json.loads(text))
    assert back["epochs"][0]["val_loss"] == 1.0 and back["epochs"][0]["loss"] != back["epochs"][0]["loss"]


def test_long_run_log_is_stored_and_restored_older_runs_without_batch_curves():
    from tutorial.app import runlog, state

    spec = presets.PRESETS["keras_01_mnist"].with_(limit=300, epochs=1, val_limit=500)
    history = {"epochs": [{"epoch": 1, "loss": 1.0, "accuracy": 0.7, "val_loss": 0.9, "val_accuracy": 0.75}],
               "batches": [{"step": 10, "epoch": 0.5, "loss": 1.5, "accuracy": 0.5}]}
    runs = [runlog.Run(f"live:{i}", "Kapitel 3", runlog.LIVE, spec.with_(seed=i), history, 1.0, errors=100, n_val=500,
                       number=i + 1) for i in range(progress.FULL_RUNS + 2)]
    at = new(CH04)
    at.session_state[state.LOG_KEY] = runs
    at.run()
    assert not at.exception
    log = stored(at)["log"]
    assert [item["number"] for item in log] == list(range(1, progress.FULL_RUNS + 3))
    assert [bool(item["history"]["batches"]) for item in log] == [False, False] + [True] * progress.FULL_RUNS

    again = new(CH04, token_of(at)).run()
    restored = again.session_state[state.LOG_KEY]
    assert [r.id for r in restored] == [r.id for r in runs]
    assert restored[-1].spec == runs[-1].spec and restored[-1].history == history and restored[0].errors == 100
