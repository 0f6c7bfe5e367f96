"""Chapter 13 (issue 22 §4): a short main path, the depth in optional parts (page.deeper) that are built
only when switched on – through Streamlit's AppTest."""
import pytest
from streamlit.testing.v1 import AppTest

from tutorial.app import identity
from tutorial.chapters import by_number
from tutorial.paths import ROOT

pytestmark = pytest.mark.app

DEEPER = {"deeper_ch13_alpha_beta": "Kann das Netz die Normalisierung wieder zurücknehmen?",
          "deeper_ch13_fair": "mit Batch-Größe 128 nur 468",
          "deeper_ch13_predict": "davon 536 nicht trainierbar – 2 × (12 + 24 + 32 + 200)"}


@pytest.fixture(autouse=True)
def no_cookie(monkeypatch):
    monkeypatch.setattr(identity, "browser_cookie", lambda: None)


def page_text(at: AppTest) -> str:
    return " ".join(" ".join(e.value for e in [*at.markdown, *at.caption]).split())


@pytest.mark.slow   # a whole page three times (about 18 s): not in the fast loop
def test_chapter_13_main_path_is_short_and_the_optional_parts_open_on_demand():
    at = AppTest.from_file(str(ROOT / by_number(13).file), default_timeout=120).run()
    assert not at.exception
    text = page_text(at)
    assert "Standardabweichung 1,63, normalisiert −1,22, 0 und 1,22" in text   # the worked example, computed
    assert "1. BN sitzt zwischen der Summe einer Schicht und ihrer Aktivierung" in " ".join(
        m.value for m in at.markdown).replace("\n", " ")                      # the rules the questions cite
    assert not any(part in text for part in DEEPER.values())                 # nothing optional built yet
    assert not any(t.value for t in at.toggle if t.key in DEEPER)

    at.button(key="ch13_guess_skip").click().run()        # the result (and its optional part) may be told
    for key in DEEPER:
        at.toggle(key=key).set_value(True)
    at.run()
    assert not at.exception
    text = page_text(at)
    for part in DEEPER.values():
        assert part in text
    assert len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart")) >= 4   # both BN demos
