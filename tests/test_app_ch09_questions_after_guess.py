"""AppTest of chapter 9: the questions under "Dropout zum Anfassen" quote run 1's finished losses
(training 0,005, validation 0,079) and so answer the page's guess about run 1 – they appear only
once that guess is made (or skipped), a note stands in their place before."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tutorial.app import identity
from tutorial.chapters import by_number
from tutorial.paths import ROOT

pytestmark = pytest.mark.app

PROMPT = "Was erwarten Sie für denselben Lauf mit Dropout 0,25"


@pytest.fixture(autouse=True)
def no_cookie(monkeypatch):
    monkeypatch.setattr(identity, "browser_cookie", lambda: None)


def text(at: AppTest) -> str:
    return " ".join(" ".join(e.value for e in [*at.markdown, *at.caption]).split())


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_dropout_questions_wait_for_the_guess_about_run_1():
    entry = by_number(9)
    at = AppTest.from_file(str(ROOT / entry.file), default_timeout=120).run()
    assert not at.exception
    assert PROMPT not in text(at)
    assert "sobald Sie oben in der Übung eine Vermutung festgehalten" in text(at)
    at.radio(key=f"{entry.key}_guess").set_value(2).run()
    at.button(key=f"{entry.key}_guess_commit").click().run()
    assert not at.exception
    assert PROMPT in text(at)
    assert "sobald Sie oben in der Übung eine Vermutung festgehalten" not in text(at)
