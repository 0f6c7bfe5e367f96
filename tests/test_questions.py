"""The questions of every chapter (tutorial/questions): well-formed, true for this app, and the
"Ihre Vermutung" judging against real run histories (the pretrained runs in assets/models)."""
from __future__ import annotations

import importlib
import math
import re
from pathlib import Path

import pytest

from tutorial import pretrained
from tutorial import questions as Q
from tutorial import presets
from tutorial import spec as S
from tutorial.chapters import CHAPTERS, exercises
from tutorial.questions import ch04, ch06, ch08, ch10, ch11, ch13

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parent.parent
ALL = [q for qs in Q.all_questions().values() for q in qs]


def history(name: str) -> dict:
    return pretrained.load_history(name)


def truncated(name: str, epochs: int) -> dict:
    """The first ``epochs`` epochs of a pretrained run: a shorter real run of the same model."""
    h = dict(history(name))
    h["epochs"] = h["epochs"][:epochs]
    return h


def test_at_least_30_questions_2_to_4_per_chapter_unique_ids():
    assert len(ALL) >= 30
    for key, qs in Q.all_questions().items():
        assert 2 <= len(qs) <= 4, key
    ids = [q.id for q in ALL]
    assert len(ids) == len(set(ids))
    for key, qs in Q.all_questions().items():
        assert all(q.id.startswith(key + ".") for q in qs)


@pytest.mark.parametrize("question", [q for q in ALL if q.kind == "choice"], ids=lambda q: q.id)
def test_choice_question_has_one_right_option_and_own_feedback(question):
    assert 2 <= len(question.options) <= 4
    assert sum(o.correct for o in question.options) == 1
    feedback = [o.feedback for o in question.options]
    assert all(len(f) > 20 for f in feedback)
    assert len(set(feedback)) == len(feedback), "every option needs its own explanation"
    assert len({o.text for o in question.options}) == len(question.options)
    for i, option in enumerate(question.options):
        assert question.check(i) == (option.correct, option.feedback)


@pytest.mark.parametrize("question", [q for q in ALL if q.kind == "number"], ids=lambda q: q.id)
def test_number_question_accepts_its_answer_only(question):
    right, text = question.check(question.answer)
    assert right and text == question.right
    for wrong in (question.answer + 1, question.answer - 1, 0):
        if wrong != question.answer:
            assert question.check(wrong)[0] is False
    for number, text in question.typical:
        assert number != question.answer
        assert question.check(number) == (False, text)
    assert question.check(float("nan"))[0] is False


def test_numbers_are_the_engines():
    # computed by the engine's layer table, checked here against Keras' formula once
    assert ch04.DENSE_200 == 784 * 200 + 200
    assert ch06.PARAMS == S.param_count(presets.PRESETS["ex_06_sigmoid"])
    assert ch10.STRIDE2 == 14 and ch10.VALID3 == 26
    assert ch10.CONV2 == 6 * 6 * 12 * 24 + 24
    assert ch11.DENSE["params"] == 7 * 7 * 32 * 200 + 200
    assert ch11.TOTAL == S.param_count(presets.PRESETS["ex_11_conv_no_dropout"])
    assert ch13.BN_ROW["trainable"] == 12 and ch13.BN_ROW["non_trainable"] == 24
    q = next(q for q in ALL if q.id == "ch12.dropout_at_prediction")
    assert q.answer == 0 and q.typical[0][0] == 80     # 40 % of 200 switched off only while training


def test_german_number_format_in_questions():
    text = " ".join([q.prompt for q in ALL] + [o.text + " " + o.feedback for q in ALL for o in q.options]
                    + [q.right + " " + q.wrong for q in ALL] + [t for q in ALL for _, t in q.typical])
    text = re.sub(r"`[^`]*`", "", text)     # code is written as Python writes it
    assert not re.search(r"\d\.(?!\d{3}(?!\d))\d", text), "decimal point instead of comma"
    assert not re.search(r"(?<![\d,])\d{5,}", text), "large numbers need a thousands separator"


def overfits(name: str) -> tuple[float, float]:
    """(rise of the validation loss after its lowest point, final validation/training loss ratio)."""
    loss = [e["val_loss"] for e in history(name)["epochs"]]
    last = history(name)["epochs"][-1]
    return loss[-1] / min(loss) - 1, last["val_loss"] / last["loss"]


@pytest.mark.parametrize("qid", ["ch09.which_overfits", "ch12.which_overfits"])
def test_overfitting_chart_questions_point_at_the_run_that_overfits(qid):
    question = next(q for q in ALL if q.id == qid)
    right = next(i for i, o in enumerate(question.options) if o.correct)
    other = 1 - right
    a, b = overfits(question.runs[right]), overfits(question.runs[other])
    assert a[0] > b[0] and a[1] > b[1]


def test_noisy_learning_rate_chart_question():
    question = next(q for q in ALL if q.id == "ch08.which_noisy")
    right = next(i for i, o in enumerate(question.options) if o.correct)
    assert question.runs[right] == "ex_08_lr001"
    assert ch08.loss_course(history("ex_08_lr001"))[0] == 0          # jumps
    assert ch08.loss_course(history("ex_08_lr_decay"))[0] == 2       # flat


def test_decay_question_uses_the_presets_learning_rates():
    question = next(q for q in ALL if q.id == "ch08.decay_epoch5")
    right = next(o for o in question.options if o.correct)
    assert right.text == "0,0013"
    assert math.isclose(presets.PRESETS["ex_08_lr_decay"].lr_at(4), 0.01 * 0.6 ** 4)


# --- "Ihre Vermutung" ---------------------------------------------------------------------------------

GUESS_CHAPTERS = ["ch03", "ch06", "ch07", "ch08", "ch09", "ch11", "ch12", "ch13"]

# per chapter: two real runs (pretrained histories, or the first epochs of one) that end differently
TWO_RUNS = {
    "ch03": (("keras_01_mnist", None), ("ex_06_sigmoid", None)),
    "ch06": (("ex_06_sigmoid", None), ("keras_01_mnist", None)),
    "ch07": (("ex_06_sigmoid", None), ("keras_02_mnist_dense", None)),
    "ch08": (("ex_08_lr001", None), ("ex_08_lr_decay", None)),
    "ch09": (("ex_09_four_dense", None), ("keras_03_mnist_dense_lrdecay_dropout", None)),
    "ch11": (("ex_11_conv_no_dropout", None), ("keras_02_mnist_dense", None)),
    "ch12": (("ex_11_conv_no_dropout", None), ("keras_04_mnist_convolutional", None)),
    "ch13": (("keras_05_mnist_batch_norm", None), ("keras_05_mnist_batch_norm", 1)),
}


def test_every_exercise_chapter_has_a_guess():
    keys = {c.key for c in exercises()} | {"ch03"}
    assert keys == set(GUESS_CHAPTERS)
    for key in GUESS_CHAPTERS:
        g = Q.guess(key)
        assert g is not None and 3 <= len(g.options) <= 4 and len(g.why) == len(g.options)


@pytest.mark.parametrize("key", GUESS_CHAPTERS)
def test_guess_judged_against_the_runs_own_history(key):
    g = Q.guess(key)
    (name_a, epochs_a), (name_b, epochs_b) = TWO_RUNS[key]
    run_a = truncated(name_a, epochs_a) if epochs_a else history(name_a)
    run_b = truncated(name_b, epochs_b) if epochs_b else history(name_b)
    index_a, facts_a = g.outcome(run_a, presets.PRESETS[name_a])
    index_b, facts_b = g.outcome(run_b, presets.PRESETS[name_b])
    assert index_a is not None and index_b is not None and index_a != index_b
    # the same guess gets two different verdicts from the two runs
    verdict_a = Q.judge(g, index_a, run_a, presets.PRESETS[name_a])
    verdict_b = Q.judge(g, index_a, run_b, presets.PRESETS[name_b])
    assert verdict_a.correct and not verdict_b.correct
    assert verdict_a.text_de.startswith("**Richtig vermutet.**")
    assert "Diesmal nicht" in verdict_b.text_de and g.options[index_b] in verdict_b.text_de
    # the explanation cites the run's own numbers in German format
    assert re.search(r"\d,\d{2,3}", verdict_a.text_de), verdict_a.text_de


def test_guess_cites_this_runs_accuracy():
    g = Q.guess("ch07")
    verdict = Q.judge(g, 2, history("keras_02_mnist_dense"))
    accuracy = history("keras_02_mnist_dense")["epochs"][-1]["val_accuracy"]
    assert f"{100 * accuracy:.2f}".replace(".", ",") + " %" in verdict.text_de


def test_quick_run_says_that_a_full_run_scores_higher():
    quick = presets.PRESETS["keras_01_mnist"].quick()
    verdict = Q.judge(Q.guess("ch03"), 1, history("keras_01_mnist"), quick)
    assert "Lauf im Schnellmodus mit nur 6.000 Trainingsziffern und 3 Epochen" in verdict.text_de
    assert "Lauf im Schnellmodus" not in Q.judge(Q.guess("ch03"), 1, history("keras_01_mnist"), presets.PRESETS["keras_01_mnist"]).text_de


def test_too_short_run_is_not_judged():
    verdict = Q.judge(Q.guess("ch08"), 0, truncated("ex_08_lr001", 1))
    assert not verdict.decided and not verdict.correct and "zu kurz" in verdict.text_de


def test_nan_run_is_not_judged():
    broken = {"epochs": [{"epoch": 1, "loss": float("nan"), "accuracy": 0.1, "val_loss": float("nan"),
                          "val_accuracy": 0.1}], "batches": []}
    for key in GUESS_CHAPTERS:
        assert Q.judge(Q.guess(key), 0, broken).decided is False


# --- every place a page asks for exists, and every question is asked -------------------------------

def page_places() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for entry in CHAPTERS:
        if not entry.exists:
            continue
        text = (ROOT / entry.file).read_text(encoding="utf-8")
        found[entry.key] = set(re.findall(r"quiz\.questions\(chapter, \"(\w+)\"\)", text))
    return found


def test_pages_ask_every_question_once():
    places = page_places()
    for key in Q.CHAPTER_KEYS:
        assert places.get(key) == set(importlib.import_module(f"tutorial.questions.{key}").QUESTIONS), key
    for key, used in places.items():
        for place in used:
            Q.questions(key, place)    # KeyError for a typo in a page


def test_error_count_is_extrapolated_only_for_a_run_checked_on_fewer_test_digits():
    """Chapter 3's verdict: a run checked on all 10.000 test digits (also in quick mode) names its exact
    error count; only a run checked on a subset says "hochgerechnet"."""
    spec = presets.PRESETS["keras_01_mnist"]
    run = {"epochs": [{"epoch": 1, "loss": 0.5, "accuracy": 0.8, "val_loss": 0.4, "val_accuracy": 0.7263}]}
    _, facts = Q.guess("ch03").outcome(run, spec.quick())
    assert "2.737 Fehler unter den 10.000 Testziffern" in facts and "hochgerechnet" not in facts
    _, facts = Q.guess("ch03").outcome(run, spec.with_(val_limit=1000))
    assert "hochgerechnet 2.737 Fehler auf 10.000 Ziffern" in facts
