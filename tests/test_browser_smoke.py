"""Browser smoke test: the running app opens every page without an exception box, and one live
training (quick mode) runs through the real server, fragment polling included.

Starts ``streamlit run streamlit_app.py`` on a free port and drives Debian's chromium through
Playwright's sync API (no downloaded browsers). The server is always stopped.
"""
from __future__ import annotations

import time

import pytest

from tutorial.chapters import CHAPTERS

EXCEPTION = '[data-testid="stException"]'
IDLE_APP = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@pytest.fixture(scope="module")
def browser_page(app_url, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    yield app_url, page
    page.close()


def wait_idle(page, title: str | None = None) -> None:
    """Wait until the script run is over (and the page's title is shown)."""
    if title:   # this page's title: right after a click the previous page's heading is still there
        page.get_by_role("heading", level=1, name=title).first.wait_for()
    page.wait_for_selector(IDLE_APP)
    time.sleep(0.4)            # a rerun may start right after the first run
    page.wait_for_selector(IDLE_APP)


def test_every_page_opens_without_exception(browser_page):
    url, page = browser_page
    opened = 0
    # the start page last: the first request on the fresh server is a deep link into chapter 2
    for info in CHAPTERS[1:] + CHAPTERS[:1]:
        if not info.exists:
            continue
        page.goto(f"{url}/{info.url_path}")
        wait_idle(page, info.page_title)
        # the router's menu (sections, German titles), not Streamlit's file-name menu
        assert page.get_by_test_id("stSidebarNav").get_by_text("1 · Übersicht").count() == 1, info.file
        assert page.locator(EXCEPTION).count() == 0, f"{info.file}: {page.locator(EXCEPTION).first.inner_text()}"
        assert not page.get_by_text("Page not found").is_visible(), info.file
        # (the query holds the learner's progress token, "?lernende=…")
        assert page.url.split("?")[0].rstrip("/") == f"{url}/{info.url_path}".rstrip("/"), info.file
        opened += 1
    assert opened == sum(info.exists for info in CHAPTERS) >= 10


def test_quick_live_training_in_the_browser(browser_page):
    url, page = browser_page
    page.goto(f"{url}/erstes_netz")
    wait_idle(page, "3 · Ein erstes Netz trainieren")
    page.get_by_text("Schnellmodus (6.000 Ziffern, höchstens 3 Epochen)").click()
    wait_idle(page)
    page.get_by_role("button", name="Ohne Vermutung weiter").click()    # the result area opens
    wait_idle(page)
    page.get_by_role("button", name="Trainieren").click()
    # the fragment polls the job until the result is drawn
    page.get_by_text("Fehler von 10.000 Testziffern").wait_for(timeout=180_000)
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    assert page.get_by_text("Schnelllauf:").count() == 1               # the quick run says so beside its score
    assert page.get_by_text("Trainingsziffern mit Label").count() == 1

    # same session through the menu: the run is in the log, and coming back keeps it
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Versuchsprotokoll").click()
    wait_idle(page, "Versuchsprotokoll")
    assert page.get_by_text("Noch keine Läufe").count() == 0
    assert page.locator('[data-testid="stTable"]').count() == 1      # the log's table wraps, never cut
    assert page.get_by_text("Ihr Lauf: Kapitel 3").count() >= 1        # named by chapter, settings, accuracy
    assert page.locator(EXCEPTION).count() == 0
    page.locator('[data-testid="stSidebarNav"]').get_by_text("3 · Ein erstes Netz trainieren").click()
    wait_idle(page, "3 · Ein erstes Netz trainieren")
    page.get_by_text("Fehler von 10.000 Testziffern").wait_for()   # the kept run is drawn again
