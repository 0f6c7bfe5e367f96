"""Issue 22 §5: "Trainieren" with settings the server has already trained shows that run at once and
says so, instead of a silent "Trainingsdauer 21 s" after 1,6 s (tutorial.app.live)."""
from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import presets
from tutorial.app import live, loader, progress, state
from tutorial.backend import InProcess
from tutorial.chapters import by_number
from tutorial.jobs import LocalTrainer

pytestmark = [pytest.mark.app, pytest.mark.slow]     # a real (tiny) training in this process

SPEC = presets.PRESETS["keras_01_mnist"].with_(**state.TEST_LIMITS)


def test_a_repeated_identical_training_says_it_shows_the_earlier_run(monkeypatch):
    fake = LocalTrainer(backend=lambda threads: InProcess(), parallel=1)
    monkeypatch.setattr(loader, "trainer", lambda: fake)
    earlier = fake.submit(SPEC, owner="someone else")
    deadline = time.time() + 120
    while earlier.state != "done":
        assert time.time() < deadline and earlier.state not in ("failed", "cancelled"), earlier.message
        time.sleep(0.2)

    at = AppTest.from_file(f"../{by_number(3).file}", default_timeout=90)
    at.session_state[state.TEST_MODE_KEY] = True
    at.session_state[state.PROGRESS_KEY] = {**progress.empty(), "guesses": {
        "ch03": {"choice": None, "skipped": True, "hint": False}}}
    at.run()
    at.button(key="ch03_train").click().run()
    assert not at.exception
    notes = [i.value for i in at.info if "Genau diesen Lauf" in i.value]
    assert len(notes) == 1 and "Trainingsdauer" in notes[0] and "damaligen Laufs" in notes[0]
    assert "Uhr Serverzeit" in notes[0]
    assert live.reused_text(1e300).startswith("Genau diesen Lauf")        # an absurd stored time: no clock
