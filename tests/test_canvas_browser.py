"""End to end in a real browser: draw a 1, a 7 and a 0 on the canvas, read the prediction.

Starts ``streamlit run streamlit_app.py`` on a free port, drives Debian's chromium through
Playwright (no downloaded browsers), draws with ``page.mouse`` on the canvas inside the component's
shadow root and clears it with the page's "Leeren" button between the digits.
"""
from __future__ import annotations

import math
import re
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CANVAS = '[data-testid="stBidiComponentIsolated"] canvas.upper-canvas'
PREDICTION = re.compile(r"^Vorhersage: (\d)$")
HINT = "Malen Sie eine Ziffer"

# strokes in canvas pixels (280 × 280); none starts near the toolbar at the top right
ONE = [[(146, 40), (140, 140), (134, 240)]]
SEVEN = [[(60, 55), (130, 55), (205, 55), (160, 145), (115, 240)]]
ZERO = [[(140 + 62 * math.cos(a), 145 + 92 * math.sin(a))
         for a in [math.pi * (0.6 + 2.15 * i / 48) for i in range(49)]]]


@pytest.fixture(scope="module")
def page(app_url, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/ziffern_zeichnen")   # a deep link straight after the server start
    page.get_by_text(HINT).wait_for()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_test_id("stSidebarNav").get_by_text("1 · Übersicht").count() == 1   # the router ran
    yield page
    page.close()


def draw(page, strokes) -> None:
    canvas = page.locator(CANVAS)
    canvas.wait_for(state="visible")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None and round(box["width"]) == 280 and round(box["height"]) == 280
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
        page.mouse.up()


def prediction(page) -> int:
    heading = page.get_by_text(PREDICTION)
    heading.wait_for(state="visible")
    return int(PREDICTION.match(heading.inner_text().strip()).group(1))


def clear(page) -> None:
    page.get_by_role("button", name="Leeren").click()
    page.get_by_text(HINT).wait_for(state="visible")
    page.get_by_text(PREDICTION).wait_for(state="detached")
    deadline = time.time() + 30
    while page.locator(CANVAS).count() != 1:   # the old canvas goes when the rerun has finished
        assert time.time() < deadline, "the old canvas did not disappear after 'Leeren'"
        time.sleep(0.2)
    page.locator(CANVAS).wait_for(state="visible")
    time.sleep(0.5)   # let the new canvas finish mounting before the next stroke


@pytest.mark.parametrize("digit, strokes", [(1, ONE), (7, SEVEN), (0, ZERO)], ids=["eins", "sieben", "null"])
def test_drawn_digit_is_recognised(page, digit, strokes):
    assert page.get_by_text(PREDICTION).count() == 0, "the canvas is not empty before drawing"
    draw(page, strokes)
    try:
        start = time.perf_counter()
        assert prediction(page) == digit
        print(f"\n{digit}: prediction shown after {time.perf_counter() - start:.2f} s")
        page.get_by_text("Alle Modelle vergleichen").first.wait_for()   # drawn a moment after the prediction
    finally:
        clear(page)      # the next digit starts on an empty canvas even if this one failed
