"""Chapters 6-8 quote numbers of the app's finished runs in their prose (typed in, not computed on the
page, so a page stays readable without the model files). Each quote is recomputed here from
assets/models/<preset>.json: a retrained preset with other numbers fails this test instead of leaving
the text wrong."""
import json
from pathlib import Path

import pytest

from tutorial.deutsch import de, percent

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "kapitel" / "dichte_netze"


def run(name: str) -> dict:
    return json.loads((ROOT / "assets" / "models" / f"{name}.json").read_text(encoding="utf-8"))


def epochs(name: str) -> list[dict]:
    return run(name)["epochs"]


def page(file: str) -> str:
    return " ".join((PAGES / file).read_text(encoding="utf-8").split())


def test_chapter_6_quotes_the_sigmoid_run():
    text, first = page("06_mehr_schichten.py"), epochs("ex_06_sigmoid")[0]
    assert f"ersten Epoche bei {de(first['loss'], 2)}" in text
    assert f"Validierungsverlust danach bei {de(first['val_loss'], 2)}" in text
    assert f"schon bei {percent(first['val_accuracy'], 0)} der Testziffern" in text
    assert f"erkennt es {percent(run('ex_06_sigmoid')['test_accuracy'], 1)}" in text
    assert f"einzelne Schicht mit {percent(run('keras_01_mnist')['test_accuracy'], 1)}" in text


def test_chapter_7_quotes_the_three_runs():
    text = page("07_tiefe_netze.py")
    sigmoid, relu, adam = run("ex_06_sigmoid"), run("ex_07_relu"), run("keras_02_mnist_dense")
    assert f"Mit sigmoid und SGD erkennt das Netz {percent(sigmoid['test_accuracy'], 1)}" in text
    assert f"mit relu und SGD {percent(relu['test_accuracy'], 1)}" in text
    assert f"dieselben {de(relu['params'])} Parameter" in text and sigmoid["params"] == relu["params"]
    assert f"relu bei {percent(relu['epochs'][0]['val_accuracy'], 1)}" in text
    assert f"sigmoid bei {percent(sigmoid['epochs'][0]['val_accuracy'], 1)}" in text
    assert f"**{percent(adam['test_accuracy'], 1)}**" in text


def test_chapter_8_quotes_the_learning_rate_runs():
    text = page("08_lernrate.py")
    fixed = epochs("ex_08_lr001")
    late = fixed[2:]                                  # "ab der dritten Epoche"
    accuracies, losses = [e["val_accuracy"] for e in late], [e["val_loss"] for e in late]
    assert (f"zwischen {percent(min(accuracies), 1)} und {percent(max(accuracies), 1)} hin und her"
            in text)
    assert f"zwischen {de(min(losses), 2)} und {de(max(losses), 2)}" in text
    train = [e["loss"] for e in fixed]
    assert train[7] > train[6] and train[8] > train[7]          # "steigt in den Epochen 8 und 9 wieder an"
    for name in ("keras_02_mnist_dense", "ex_08_lr001", "ex_08_lr_decay"):
        history = run(name)
        first, last = history["epochs"][0]["val_loss"], history["epochs"][-1]["val_loss"]
        assert f"| {percent(history['test_accuracy'], 2)} | {de(first, 3)} → {de(last, 3)}" in text, name
    calm = [e["val_accuracy"] for e in epochs("ex_08_lr_decay")[5:]]   # "ab der sechsten Epoche"
    assert f"ruhig bei {de(100 * min(calm), 1)} bis {percent(max(calm), 1)}" in text
