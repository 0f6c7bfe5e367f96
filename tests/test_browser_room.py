""""Der Raum" in a real browser: two app servers on one store show the same room, and learners who
answer a question appear as a count on the host page (own servers on a shared SQLite file; slow)."""
from __future__ import annotations

import csv
import io
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.common import start_streamlit, stop_streamlit
from tests.browser import wait_idle
from tests.conftest import DESKTOP
from tests.test_room import QUESTION, seed
from tutorial import questions as Q
from tutorial import workshop
from tutorial.chapters import by_number
from tutorial.store import room
from tutorial.store.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "raum-geheim-12345"
WAIT = 60_000


@pytest.fixture
def shared_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'progress.sqlite3'}"
    made = Store(url)
    yield url, made
    made.close()


@contextmanager
def running(url: str, count: int):
    """``count`` app servers on the store at ``url``, with the host password."""
    env = dict(os.environ, TUTORIAL_DATABASE_URL=url, TUTORIAL_HOST_PASSWORD=PASSWORD, TUTORIAL_WARM_START="0")
    started = []
    try:
        for _ in range(count):
            started.append(start_streamlit(env=env))
        yield [address for _, address in started]
    finally:
        for proc, _ in started:
            stop_streamlit(proc)


@pytest.fixture
def servers(shared_store):
    """Two app servers on the same store (as two servers of a course behind one address)."""
    with running(shared_store[0], 2) as addresses:
        yield addresses


@pytest.fixture
def server(shared_store):
    """One app server on its own store."""
    with running(shared_store[0], 1) as (address,):
        yield address


def host_page(browser, address: str):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(f"{address}/kursleitung")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("heading", name="Der Raum").wait_for()
    return context, page


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_two_app_servers_on_one_store_show_the_same_room(browser, servers, shared_store):
    _, store = shared_store
    tokens = seed(store)
    pages = [host_page(browser, address) for address in servers]
    try:
        for _, page in pages:
            page.get_by_text("2 von 5 richtig beim ersten Versuch").wait_for()
            page.get_by_text(re.compile("recht hatten auf ihren eigenen Läufen 4 von 5")).wait_for()
        first, second = pages[0][1], pages[1][1]
        # the CSV is made when clicked (on the download's own thread), from the shared store
        with second.expect_download() as download:
            second.get_by_role("button", name="Statistik als CSV herunterladen").click()
        assert download.value.suggested_filename.startswith("raum-")
        data = Path(download.value.path()).read_bytes()
        assert data.startswith("\ufeff".encode())
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        first_try = next(r for r in rows if r["Frage"] == QUESTION.prompt and r["Antwort"] == "richtig beim ersten Versuch")
        assert (first_try["Lernende"], first_try["Anzahl"]) == ("5", "2")
        # "Statistik neu beginnen" on the second server: the first server's room starts anew as well
        second.get_by_role("button", name="Statistik neu beginnen").click()
        second.get_by_role("button", name="Jetzt neu beginnen").click()
        second.get_by_text("Noch hat niemand eine Verständnisfrage beantwortet.").first.wait_for()
        first.get_by_text("Noch hat niemand eine Verständnisfrage beantwortet.").first.wait_for(timeout=45_000)
        assert "2 von 5 richtig" not in main_text(first)
        assert store.load(tokens[0]).answers                  # the learners' progress is untouched
        # "Alle zu Kapitel 6" on the first server: a learner of the second server sees the link
        choose = first.locator('[data-testid="stSelectbox"]').filter(has_text="Kapitel für alle")
        choose.locator("input").click()
        first.keyboard.type(by_number(6).menu_title)
        first.keyboard.press("Enter")
        first.get_by_role("button", name="Alle zu Kapitel 6").wait_for()
        first.get_by_role("button", name="Alle zu Kapitel 6").click()
        first.get_by_text("Alle Seiten zeigen gerade den Link").wait_for()
        assert room.state(store).banner_chapter == "ch06"
        # each server reads the room at most every FRESH_SECONDS (the second one's host page just did):
        # a learner's next page run after that shows the link
        time.sleep(workshop.FRESH_SECONDS + 0.5)
        learner = browser.new_context(**DESKTOP)
        try:
            page = learner.new_page()
            page.set_default_timeout(WAIT)
            page.goto(f"{servers[1]}/{by_number(3).url_path}")
            page.get_by_role("link", name="Alle zu Kapitel 6: Mehr Schichten").click()
            page.get_by_role("heading", name=by_number(6).page_title).wait_for()
        finally:
            learner.close()
    finally:
        for context, _ in pages:
            context.close()


def shown_as(markdown: str) -> str:
    """A question's text as the browser shows it (Markdown's `code` marks are not part of the text)."""
    return markdown.replace("`", "")


def test_learners_answer_and_the_host_page_shows_the_count(browser, server):
    """Three learners (k = 3), each in a browser context of their own (a cookie each), answer chapter
    3's first multiple-choice question – two right, one wrong; the host page counts them, naming nobody."""
    question = next(q for q in Q.chapter_questions("ch03") if q.options)
    right = next(o for o in question.options if o.correct)
    wrong = next(o for o in question.options if not o.correct)
    for option in (right, right, wrong):
        context = browser.new_context(**DESKTOP)
        try:
            page = context.new_page()
            page.set_default_timeout(WAIT)
            page.goto(f"{server}/{by_number(3).url_path}")
            wait_idle(page, by_number(3).page_title)     # a click during the first run can be lost on a busy box
            box = page.locator('[data-testid="stVerticalBlock"]').filter(has_text=shown_as(question.prompt)).filter(
                has=page.locator('[data-testid="stRadio"]')).last
            box.get_by_text(shown_as(option.text), exact=True).click()
            feedback = "stAlertContentSuccess" if option.correct else "stAlertContentError"
            box.locator(f'[data-testid="{feedback}"]').wait_for()
        finally:
            context.close()
    context, page = host_page(browser, server)
    try:
        page.get_by_text("2 von 3 richtig beim ersten Versuch").wait_for()
        shown = main_text(page)
        assert shown_as(question.prompt) in shown and "3 Lernende in den letzten 8 Stunden" in shown
        assert "Wo die Lernenden gerade sind" in shown
    finally:
        context.close()
