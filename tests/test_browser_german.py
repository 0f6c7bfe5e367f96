"""Browser test: the learner sees no English UI strings, the page says ``lang="de"``, and wrong input
is answered in German, in the page.

The session's server (fixture ``app_url``) and chromium (a fresh context per test). The visible text
and the widgets' chrome (``aria-label``, ``title`` and ``placeholder``, also inside the canvas
component's shadow root) is collected and searched for the English strings in
:data:`tests.browser.ENGLISH`; program code (``pre``/``code``) and the charts' SVG are not UI text and
are left out. Every page of the chapter table gets these checks in the one sweep over all pages
(tests/test_browser_smoke.py); here: open menus, wrong input, the uploader. No page trains a model.
"""
from __future__ import annotations

import re
import time

import pytest

from tutorial.chapters import by_number, chapter
from tests.browser import SLIDER_VALUES, collect, english_in, open_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(app_url, desktop_page):
    return desktop_page


def test_float_slider_shows_a_decimal_comma(app_url, page):
    """Chapter 4's neuron demo has sliders with steps of 0,05 / 0,1: their values and ends read "0,80",
    not "0.80"."""
    open_page(page, app_url, by_number(4))
    values = [v.strip() for v in page.locator(SLIDER_VALUES).all_inner_texts()]
    decimals = [v for v in values if re.fullmatch(r"[−-]?\d+,\d+", v)]
    assert decimals, f"no slider with a decimal value on chapter 4: {values}"
    assert not [v for v in values if "." in v], values


def test_multiselect_menu_is_german(app_url, page):
    """The open menu of a multiselect offers "Alle auswählen", not "Select all" (chapter 4's methods)."""
    open_page(page, app_url, by_number(4))
    box = page.get_by_test_id("stMultiSelect").first
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    menu = page.get_by_role("listbox")
    menu.wait_for()
    time.sleep(0.3)
    texts = collect(page)
    page.keyboard.press("Escape")
    assert english_in(texts) == []
    assert "Alle auswählen" in texts or "Keine Treffer" in texts, texts[-20:]


def test_number_out_of_range_is_answered_in_german(app_url, page):
    """Chapter 11: 200 filters (allowed 1 … 128) give a German error under the box, no English message,
    and no comparison with the solution for a model that is not taken."""
    open_page(page, app_url, by_number(11))
    box = page.get_by_role("spinbutton", name="Filter", exact=True).first
    box.scroll_into_view_if_needed()
    box.fill("200")
    box.press("Enter")
    message = page.get_by_text("Filter: 200 ist zu groß")
    message.wait_for()
    wait_idle(page)
    assert message.is_visible()
    texts = collect(page)
    assert english_in(texts) == []
    assert not page.get_by_text("Vergleich mit der Lösung").count()
    assert not page.get_by_text("entspricht der Lösung").count()
    # a valid number is accepted again
    box.fill("12")
    box.press("Enter")
    message.wait_for(state="detached")
    wait_idle(page)
    assert page.get_by_text("ist zu groß").count() == 0


def test_drawing_page_uploader_and_canvas_toolbar_are_german(app_url, page, tmp_path):
    open_page(page, app_url, chapter("ziffern_zeichnen"))
    dropzone = page.get_by_test_id("stFileUploaderDropzone")
    assert "Hochladen" in dropzone.inner_text()
    assert "höchstens 5 MB pro Datei" in dropzone.inner_text()
    # the canvas toolbar (in the component's shadow root): German tooltips, visible without hovering
    toolbar = page.evaluate("""() => {
      for (const el of document.querySelectorAll('*')) {
        const bar = el.shadowRoot && el.shadowRoot.querySelector('.dc-toolbar');
        if (bar) return {opacity: getComputedStyle(bar).opacity,
                         titles: [...bar.querySelectorAll('button')].map(b => b.title)};
      }
      return null;
    }""")
    assert toolbar is not None, "canvas toolbar not found"
    assert toolbar["opacity"] == "1"
    assert "Rückgängig" in toolbar["titles"] and "Wiederholen" in toolbar["titles"], toolbar["titles"]
    # a file that is no image: accepted by the uploader, answered by the page in German
    wrong = tmp_path / "notizen.txt"
    wrong.write_text("keine Ziffer")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(wrong))
    error = page.get_by_text("kein lesbares Bild")
    error.wait_for()
    wait_idle(page)
    assert error.is_visible()
    assert english_in(collect(page)) == []
    # a file above the 5 MB limit: Streamlit refuses it in the browser; its message is German
    big = tmp_path / "foto.png"
    big.write_bytes(b"\0" * 6_000_000)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(big))
    too_big = page.get_by_text("Die Datei ist zu groß")
    too_big.wait_for()
    assert too_big.is_visible()
    assert english_in(collect(page)) == []
