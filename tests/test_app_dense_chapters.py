"""AppTest of chapters 5–8 (issue 22 §4/§5): chapter 5's short main path with its optional deeper part
and the app's own way told in German; chapters 6–8 draw what a run reveals only after a run of that
step (the learner's guess is asked before), and every "Vertiefung" renders."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tutorial.chapters import chapter
from tutorial.paths import ROOT

pytestmark = pytest.mark.app

TIMEOUT = 120


def page(stem: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / chapter(stem).file), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def body(at: AppTest) -> str:
    return " ".join(" ".join([m.value for m in at.markdown] + [c.value for c in at.caption]).split())


def step(at: AppTest, *clicks: str) -> AppTest:
    for key in clicks:
        at.button(key=key).click().run()
        assert not at.exception, [e.message for e in at.exception]
    return at


def deeper_on(at: AppTest) -> list[str]:
    """Switch every "Vertiefung" of the page on; returns their labels."""
    labels = [t.label for t in at.toggle if t.label.startswith("Vertiefung: ")]
    for toggle in at.toggle:
        if toggle.label.startswith("Vertiefung: "):
            toggle.set_value(True)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return labels


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter_5_main_path_is_short_and_the_pipeline_is_a_deeper_part():
    at = page("05_der_code")
    text = body(at)
    assert "| Feld »Epochen« | `EPOCHS = 10`" in text and "`TRAIN_SIZE = 6000`" in text
    assert "drop_remainder" not in text and "Vorrat von 5.000" not in text     # the details wait behind the switch
    how = [e for e in at.expander if e.label == "So macht es diese App"]
    assert len(how) == 2 and not any(e.code for e in how)                      # German, no English source
    assert any("SHA-256" in m.value for e in how for m in e.markdown)
    assert deeper_on(at) == ["Vertiefung: Wie aus den Dateien Batches werden"]
    text = body(at)
    assert "468 volle Batches zu 128 und 96 übrige" in text and "rund 188 MB" in text


@pytest.mark.slow   # loads finished models (TensorFlow)
def test_chapter_6_reading_only_after_a_run():
    at = page("06_mehr_schichten")
    assert "78,9" not in body(at) and "enttäuscht" not in body(at)
    at.slider(key="ch06_hidden").set_value(2).run()
    step(at, "ch06_guess_skip", "ch06_pretrained")
    assert "78,9 %" in body(at) and "Warum das enttäuscht" in body(at)


@pytest.mark.slow   # loads finished models (TensorFlow)
def test_chapter_7_reveals_each_step_after_its_own_run():
    at = page("07_tiefe_netze")
    assert "93,7" not in body(at) and "97,6" not in body(at)
    assert deeper_on(at) == ["Vertiefung: Mit welchen Zahlen die Gewichte beginnen"]
    assert "g ≈ 0,078" in body(at)
    assert "Bei s = 65 liegt" in body(at) and "104 unter dem größten" in body(at)    # tutorial.theory's float32
    at.radio(key="ch07_activation").set_value("relu").run()
    step(at, "ch07_guess_skip", "ch07_pretrained")                  # step 1: relu, SGD
    assert "93,7 %" in body(at) and "97,6" not in body(at)
    at.radio(key="ch07_optimizer").set_value("adam").run()         # step 2 asks again; nothing given away
    assert "97,6" not in body(at)
    step(at, "ch07_adam_guess_skip")
    assert "**97,6 %**" in body(at)


@pytest.mark.slow   # loads finished models (TensorFlow)
def test_chapter_8_result_only_after_a_run_of_its_step():
    at = page("08_lernrate")
    assert "Lernratenabfall einschalten" in [t.label for t in at.toggle]
    assert "Abklingen" not in body(at) and "abklingen" not in body(at)
    assert "96,4 %" not in body(at) and "98,15 %" not in body(at)
    assert "Welcher Lauf hatte die feste Lernrate?" not in body(at)   # its two curves would answer both guesses
    at.select_slider(key="ch08_lr").set_value(0.01).run()
    step(at, "ch08_guess_skip", "ch08_pretrained")                  # step 1: 0,01 without decay
    assert "96,4 %" in body(at) and "98,15 %" not in body(at)
    at.toggle(key="ch08_decay_on").set_value(True).run()            # step 2: its own guess first
    assert "98,15 %" not in body(at) and "Abklingen" not in body(at)
    step(at, "ch08_abklingen_guess_skip")
    assert "98,15 %" in body(at) and "Welcher Lauf hatte die feste Lernrate?" in body(at)
