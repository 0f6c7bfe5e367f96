"""AppTest of chapters 9–12 (issue 22 §4/§5): each page renders; what a run reveals (the finished runs'
losses and errors, the chapter 9/12 comparison) appears only after a run or when the learner trains
without a guess; every "Vertiefung" renders; chapter 10 no longer promises chapter 11's outcome."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tutorial.app import identity
from tutorial.chapters import by_number
from tutorial.paths import ROOT

pytestmark = pytest.mark.app

# chapter → (text only a run may reveal, the page's optional deeper parts)
PAGES = {
    9: ("98,23 % der Testziffern", ["Vertiefung: Verlust steigt, Genauigkeit bleibt – wie passt das zusammen?"]),
    11: ("99,12 % der 10.000", ["Vertiefung: Wie groß die Ausgabe bei Schrittweite 2 oder 3 wird"]),
    12: ("0,047 → 0,030 (besser)", []),
}


@pytest.fixture(autouse=True)
def no_cookie(monkeypatch):
    monkeypatch.setattr(identity, "browser_cookie", lambda: None)


def text(at: AppTest) -> str:
    return " ".join(" ".join(e.value for e in [*at.markdown, *at.caption]).split())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.slow   # seconds of work: not in the fast loop
@pytest.mark.parametrize("number", sorted(PAGES))
def test_outcome_after_the_guess_and_every_deeper_part_renders(number):
    entry = by_number(number)
    reveal, deeper = PAGES[number]
    at = ok(AppTest.from_file(str(ROOT / entry.file), default_timeout=120).run())
    assert reveal not in text(at)
    at.button(key=f"{entry.key}_guess_skip").click().run()
    assert reveal in text(ok(at))
    labels = [t.label for t in at.toggle if t.label.startswith("Vertiefung: ")]
    assert labels == deeper
    for toggle in at.toggle:
        if toggle.label.startswith("Vertiefung: "):
            toggle.set_value(True)
    before = len(text(at))
    ok(at.run())
    assert (len(text(at)) > before) == bool(deeper)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter_10_renders_without_promising_chapter_11s_result():
    at = ok(AppTest.from_file(str(ROOT / by_number(10).file), default_timeout=120).run())
    body = text(at)
    assert "99 %" not in body and "Block" not in body
    assert "Datenwürfel" in body
