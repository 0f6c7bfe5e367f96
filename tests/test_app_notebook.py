"""The exercise panel's ways out of the app, through Streamlit's AppTest: "Als Notebook herunterladen" with
the three steps into Colab or – when the deployment's repository is set – "In Colab öffnen", and
"Modell herunterladen" under a finished result (the downloads themselves: tests/test_browser_downloads.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import settings
from tutorial.chapters import by_number

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_exercise_offers_notebook_and_colab_steps(monkeypatch):
    monkeypatch.delenv(settings.REPOSITORY, raising=False)
    chapter = by_number(9)
    at = AppTest.from_file(str(ROOT / chapter.file), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    button = at.download_button(key=f"{chapter.key}_notebook")
    assert button.proto.label == "Als Notebook herunterladen"
    assert any("Datei → Notebook hochladen" in c.value for c in at.caption)
    assert not at.get("link_button")


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_codelab_stage_links_to_colab_when_the_repository_is_set(monkeypatch):
    monkeypatch.setenv(settings.REPOSITORY, "https://github.com/acme/mnist-kurs")
    at = AppTest.from_file(str(ROOT / by_number(5).file), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    links = [b.proto.url for b in at.get("link_button")]
    assert links == ["https://colab.research.google.com/github/acme/mnist-kurs/blob/main/notebooks/keras_01_mnist.ipynb"]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_finished_result_offers_the_model():
    from tutorial import pretrained
    if "ex_06_sigmoid" not in pretrained.available():
        pytest.fail("assets/models lacks ex_06_sigmoid (python -m tutorial pretrain ex_06_sigmoid)")
    at = AppTest.from_file(str(ROOT / by_number(7).file), default_timeout=60).run()
    if any(b.key == "ch07_guess_skip" for b in at.button):   # the result area opens after "Ihre Vermutung"
        at.button(key="ch07_guess_skip").click().run()
    at.button(key="ch07_pretrained").click().run()          # defaults = ex_06_sigmoid
    assert not at.exception, [e.value for e in at.exception]
    button = at.download_button(key="model_fertig:ex_06_sigmoid")
    assert button.proto.label == "Modell herunterladen"
    assert any('keras.models.load_model("ex_06_sigmoid.keras")' in c.value for c in at.caption)
