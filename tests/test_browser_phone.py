"""Browser test at phone size (390 × 844, touch): the drawing page with a drawn digit.

The session's server (fixture ``app_url``) and chromium in a phone context (fixture ``phone_page``:
``is_mobile``, ``has_touch``). That no page scrolls sideways – the document and the main area
(``[data-testid="stMain"]``) no wider than the screen, nothing cut off with "…" (``MEASURE`` in
tests/browser.py) – is checked for every page of the chapter table in the one sweep over all pages
(tests/test_browser_smoke.py), on a phone also that no inner box hides part of its content sideways.
Here: the drawing page with a drawn digit (its comparison table must fit the width), a long heading
and chapter 3's digit grids.
"""
from __future__ import annotations

import re

import pytest

from tutorial.chapters import chapter
from tests.browser import MEASURE, fits, open_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CANVAS = '[data-testid="stBidiComponentIsolated"] canvas.upper-canvas'
SEVEN = [(60, 55), (130, 55), (205, 55), (160, 145), (115, 240)]


@pytest.fixture
def phone(app_url, phone_page):
    phone_page.set_default_timeout(90_000)
    return phone_page


def test_drawing_page_on_a_phone(app_url, phone):
    """Touch wording, the canvas toolbar visible without hover, and the comparison of all models
    (every column, the German percent included) inside the screen after drawing a 7."""
    open_page(phone, app_url, chapter("ziffern_zeichnen"), settle=0.8)
    main = phone.get_by_test_id("stMain")
    assert "Finger" in main.inner_text()
    toolbar = phone.evaluate("""() => {
      for (const el of document.querySelectorAll('*')) {
        const bar = el.shadowRoot && el.shadowRoot.querySelector('.dc-toolbar');
        if (bar) { const r = bar.getBoundingClientRect(); return {opacity: getComputedStyle(bar).opacity, right: r.right}; }
      }
      return null;
    }""")
    assert toolbar is not None and toolbar["opacity"] == "1" and toolbar["right"] <= 390, toolbar

    canvas = phone.locator(CANVAS)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    phone.mouse.move(box["x"] + SEVEN[0][0], box["y"] + SEVEN[0][1])
    phone.mouse.down()
    for x, y in SEVEN[1:]:
        phone.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    phone.mouse.up()
    phone.get_by_text("Alle Modelle vergleichen").wait_for()
    wait_idle(phone)
    table = phone.get_by_test_id("stTable").first
    table.wait_for()
    table.scroll_into_view_if_needed()
    cells = table.locator("th, td")
    rights = [b["x"] + b["width"] for b in (cells.nth(i).bounding_box() for i in range(cells.count())) if b]
    assert rights and max(rights) <= 390 - 8, f"comparison table cut: rightmost cell ends at {max(rights)} px"
    text = table.inner_text()
    assert "Sicherheit" in text and re.search(r"\d,\d\s%", text), text       # "98,3 %"
    assert not re.search(r"\d\.\d+\s?%", text), text                        # never "98.25%"
    assert fits(phone.evaluate(MEASURE))


def test_long_heading_is_not_broken_mid_word_on_a_phone(app_url, phone):
    open_page(phone, app_url, chapter("04_neuronale_netze"), settle=0.8)
    heading = phone.get_by_role("heading", name="Besser werden: Gradientenabstieg").first
    heading.scroll_into_view_if_needed()
    word = heading.evaluate("""h => {
      const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const start = n.textContent.indexOf('Gradientenabstieg');
        if (start < 0) continue;
        const range = document.createRange();
        range.setStart(n, start); range.setEnd(n, start + 'Gradientenabstieg'.length);
        return range.getClientRects().length;
      }
      return -1; }""")
    assert word == 1, "the word is split over two lines"


def test_digit_grid_reflows_on_a_phone(app_url, phone):
    """Chapter 3's digit grids: the 8-per-row grid is shown on a phone, the 24-per-row one hidden."""
    open_page(phone, app_url, chapter("03_erstes_netz"), settle=1.0)
    wide = phone.locator('[class*="st-key-digits_wide_"]').first
    narrow = phone.locator('[class*="st-key-digits_phone_"]').first
    assert not wide.is_visible() and narrow.is_visible()
    box = narrow.locator("img").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390 and box["width"] / 8 >= 40   # >= 40 px per digit
