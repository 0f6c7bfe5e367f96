"""The one sweep over all pages in a real browser, and one live training through the real server.

Every page of the chapter table is opened once on a desktop screen (1400 × 1000) and once on a phone
(390 × 844, touch) with the session's chromium against the session's server (tests/conftest.py), one
browser context per screen for the whole sweep: in a fresh context every page load compiles Streamlit's
scripts anew (~5 s of chromium's CPU per page on this machine, measured), in one context they come from
its cache (~0,6 s) – the sweep is a visitor going from page to page. Each visit checks everything a page must do: its title under the
router's menu (German sections, not Streamlit's file names), no exception box, no "Page not found",
its own URL, nothing fetched from the internet (a workshop room may have none), the "Weiter" link to
the following page, German everywhere (``lang="de"``, no English UI
text in the visible text or the widgets' chrome, no developer menu, sliders with a decimal comma) and
no sideways scrolling (nothing wider than the main area unless it scrolls in its own box, no label
cut off with "…"; on the phone nothing hidden in such a box either). No page trains a model here.
"""
from __future__ import annotations

import pytest

from conftest import DESKTOP, PHONE
from tests.browser import (EXCEPTION, ENGLISH_DECIMAL, HIDDEN, MEASURE, SLIDER_VALUES, collect, english_in, fits,
                           open_page, wait_idle)
from tutorial.chapters import CHAPTERS, by_number, following

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [entry for entry in CHAPTERS if entry.exists]
SCREENS = {"desktop": DESKTOP, "phone": PHONE}
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def visitor(browser):
    """``visitor(screen)``: the sweep's page on that screen and the list of requests it sent that leave
    this machine (the app must work without the internet); one context per screen, opened on first use."""
    opened = {}

    def page_for(screen: str):
        if screen not in opened:
            context = browser.new_context(**SCREENS[screen])
            outside = []
            context.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
            page = context.new_page()
            page.set_default_timeout(60_000)
            opened[screen] = (context, page, outside)
        return opened[screen][1:]

    yield page_for
    for context, _, _ in opened.values():
        context.close()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("entry", PAGES, ids=lambda entry: entry.stem)
def test_page(app_url, visitor, entry, screen):
    page, outside = visitor(screen)
    outside.clear()
    open_page(page, app_url, entry, settle=0.8)     # charts and components finish their layout
    where = f"{entry.file} ({screen})"
    assert outside == [], f"{where}: fetched from the internet: {outside[:3]}"

    # the page itself, under the router's menu
    assert page.locator(EXCEPTION).count() == 0, f"{where}: {page.locator(EXCEPTION).first.inner_text()}"
    assert page.get_by_test_id("stSidebarNav").get_by_text(by_number(1).menu_title).count() == 1, where
    assert page.url.split("?")[0].rstrip("/") == f"{app_url}/{entry.url_path}".rstrip("/"), where
    nxt = following(entry)
    weiter = page.get_by_role("link", name="Weiter:")
    if nxt is None:
        assert weiter.count() == 0, where
    else:
        weiter.wait_for()              # Streamlit loads the link's component after the run
        assert weiter.count() == 1, where
        assert weiter.inner_text().strip().endswith(f"Weiter: {nxt.menu_title}"), where
        href = weiter.evaluate("a => a.href")                      # absolute
        assert href.split("?")[0].rstrip("/") == f"{app_url}/{nxt.url_path}".rstrip("/"), (where, href)

    # German everywhere
    assert page.evaluate("document.documentElement.lang") == "de", where
    texts = collect(page)
    assert len(texts) > 20, f"{where}: hardly any text collected"
    assert english_in(texts) == [], f"{where}: English UI text {english_in(texts)}"
    assert page.get_by_test_id("stAppDeployButton").count() == 0, where     # client.toolbarMode
    assert page.get_by_test_id("stMainMenu").count() == 0, where
    values = page.locator(SLIDER_VALUES).all_inner_texts()
    assert not [v for v in values if ENGLISH_DECIMAL.match(v.strip())], f"{where}: {values}"

    # no sideways scrolling
    assert page.evaluate("window.innerWidth") == SCREENS[screen]["viewport"]["width"]
    width = page.evaluate(MEASURE)
    assert fits(width) and not width["cut"], (f"{where}: page {width['page']}, main {width['main']}, "
                                              f"too wide: {width['wide']}, cut with …: {width['cut']}")
    if screen == "phone":          # nor hidden in an inner box that scrolls sideways (a table, code, a grid)
        assert page.evaluate(HIDDEN) == [], f"{where}: {page.evaluate(HIDDEN)}"


def test_quick_live_training_in_the_browser(app_url, desktop_page):
    url, page = app_url, desktop_page
    page.goto(f"{url}/{by_number(3).url_path}")
    wait_idle(page, by_number(3).page_title)
    page.get_by_text("Schnellmodus (6.000 Ziffern, höchstens 3 Epochen)").click()
    wait_idle(page)
    page.get_by_role("button", name="Ohne Vermutung weiter").click()    # the result area opens
    wait_idle(page)
    page.get_by_role("button", name="Trainieren").click()
    # the fragment polls the job until the result is drawn
    page.get_by_text("Fehler von 10.000 Testziffern").wait_for(timeout=180_000)
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    assert page.get_by_text("Lauf im Schnellmodus:").count() == 1               # the quick run says so beside its score
    assert page.get_by_text("Trainingsziffern mit Label").count() >= 1    # the page around the result is intact

    # same session through the menu: the run is in the log, and coming back keeps it
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Versuchsprotokoll").click()
    wait_idle(page, "Versuchsprotokoll")
    assert page.get_by_text("Noch keine Läufe").count() == 0
    assert page.locator('[data-testid="stTable"]').count() == 1      # the log's table wraps, never cut
    assert page.get_by_text("Ihr Lauf: Kapitel 3").count() >= 1        # named by chapter, settings, accuracy
    assert page.locator(EXCEPTION).count() == 0
    page.locator('[data-testid="stSidebarNav"]').get_by_text(by_number(3).menu_title).click()
    wait_idle(page, by_number(3).page_title)
    page.get_by_text("Fehler von 10.000 Testziffern").wait_for()   # the kept run is drawn again
