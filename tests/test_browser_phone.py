"""Browser test at phone size (390 × 844, touch): no page scrolls sideways.

One ``streamlit run streamlit_app.py`` per module (fixture ``app_url``) and Debian's chromium
(fixture ``browser``) in a Playwright context with ``is_mobile`` and ``has_touch``. Every page of the
chapter table is opened (no training); the document and the main area (``[data-testid="stMain"]``,
which scrolls the page) must be no wider than the screen, and no text in the main area may be cut
off with "…". Code blocks, dataframes and tables that
scroll inside their own box are fine; anything that widens the page is listed in the failure message.
The drawing page is also used with a drawn digit: its comparison table must fit the width.
"""
from __future__ import annotations

import re

import pytest

from tutorial.chapters import CHAPTERS, chapter
from tests.browser import open_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CANVAS = '[data-testid="stBidiComponentIsolated"] canvas.upper-canvas'
SEVEN = [(60, 55), (130, 55), (205, 55), (160, 145), (115, 240)]

# widths of the page and of the main area, and the elements that stick out of the main area without
# being inside a box that scrolls (or clips) on its own
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const width = main.clientWidth;
  const wide = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    let own = false;
    for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { own = true; break; }
    }
    if (!own) wide.push(`${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') || el.className}] ${Math.round(r.right)} px`);
  }
  // text cut off with "…" (e.g. a widget label or a link that does not fit)
  const cut = [];
  for (const el of main.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim())
      cut.push(el.innerText.trim().slice(0, 60));
  }
  return {page: [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth],
          main: [main.scrollWidth, main.clientWidth], wide: wide.slice(0, 5), cut: cut.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def phone(app_url, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(90_000)
    yield page
    context.close()


def fits(result: dict) -> bool:
    (page_scroll, page_client), (main_scroll, main_client) = result["page"], result["main"]
    return page_scroll <= page_client + 1 and main_scroll <= main_client + 1


def test_no_page_scrolls_sideways_on_a_phone(app_url, phone):
    too_wide = {}
    checked = 0
    for entry in CHAPTERS:
        if not entry.exists:
            continue
        open_page(phone, app_url, entry, settle=0.8)
        assert phone.evaluate("window.innerWidth") == 390
        result = phone.evaluate(MEASURE)
        if not fits(result) or result["cut"]:
            too_wide[entry.file] = result
        checked += 1
    assert checked == sum(entry.exists for entry in CHAPTERS) >= 10
    assert too_wide == {}, "\n".join(f"{file}: page {r['page']}, main {r['main']}, too wide: {r['wide']}, "
                                     f"cut with …: {r['cut']}" for file, r in too_wide.items())


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
