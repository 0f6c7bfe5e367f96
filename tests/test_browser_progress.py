"""Progress in a real browser, with the learner in a cookie (tutorial/app/identity.py) and the progress
store behind it: reload and a return at the plain address keep everything (answers, settings, the guess,
a running and then finished run, the run log), the address never carries an identity, another device
continues with a one-time code, "Das bin nicht ich" starts afresh, a page embedded on another site says
that progress lasts only for this visit, and two app servers sharing one PostgreSQL store see the same
learner.

One ``streamlit run streamlit_app.py`` (fixture ``app_url``), Debian's chromium (fixture ``browser``),
a fresh browser context (cookie jar) per learner; the two-server test starts its own servers and a
throwaway PostgreSQL (tests/postgres.py) and fails instead of skipping when ``TUTORIAL_REQUIRE_POSTGRES=1``.
"""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.conftest import DESKTOP, start_server, stop_server
from tutorial import questions as Q
from tutorial.app import identity
from tutorial.chapters import CHAPTERS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXCEPTION = '[data-testid="stException"]'
IDLE_APP = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EPOCHS = 5
TRAINING = re.compile("Warteschlange|Wartet|TensorFlow|Schritt")
N_QUESTIONS = sum(len(qs) for qs in Q.all_questions().values())
SOFTMAX = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.softmax_shift")
RIGHT = next(o for o in SOFTMAX.options if o.correct)


def new_learner(browser):
    """A fresh browser context (its own cookie jar) with one page."""
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def wait_idle(page) -> None:
    page.get_by_role("heading", level=1).first.wait_for()
    page.wait_for_selector(IDLE_APP)
    time.sleep(0.4)
    page.wait_for_selector(IDLE_APP)


def cookie(context) -> str | None:
    """The learner token in the browser's cookie (None: none yet)."""
    found = [c["value"] for c in context.cookies() if c["name"] == identity.COOKIE]
    return found[0] if found else None


def settled_cookie(context, timeout: float = 10.0) -> str:
    deadline = time.time() + timeout
    while cookie(context) is None:
        assert time.time() < deadline, "the page wrote no cookie"
        time.sleep(0.1)
    return cookie(context)


def wait_result(page, timeout: float = 120_000) -> None:
    """Wait for the finished run's result; on a timeout say what the page shows instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    try:
        page.get_by_text("Fehler von 10.000 Testziffern").wait_for(timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError("no result; the page shows: "
                             + page.locator('[data-testid="stMain"]').inner_text()[-3000:]) from None


def sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def expect_sidebar(page, text: str) -> None:
    """The sidebar shows ``text`` – waited for: after a load the idle app may still be between the
    first run and the rerun that the cookie starts (seen on a busy box: only "Kapitel 1: besucht" yet)."""
    expect(page.get_by_test_id("stSidebar")).to_contain_text(text, timeout=20_000)
    wait_idle(page)                          # and it is still there once the runs are over
    assert text in sidebar_text(page), sidebar_text(page)


def answer_softmax(page, url: str) -> None:
    page.goto(f"{url}/neuronale_netze")
    wait_idle(page)
    page.get_by_text(RIGHT.text, exact=True).click()
    page.get_by_text(RIGHT.feedback).wait_for()
    wait_idle(page)


def no_identity_in(url: str) -> bool:
    return identity.OLD_PARAM + "=" not in url and identity.CODE_PARAM + "=" not in url


def test_progress_run_log_and_run_survive_reloads_and_a_return_at_the_plain_address(app_url, browser):
    context, page = new_learner(browser)
    try:
        page.goto(f"{app_url}/")
        wait_idle(page)
        learner = settled_cookie(context)
        assert no_identity_in(page.url)
        # chapter 4: answer a question (its feedback appears only now)
        page.goto(f"{app_url}/neuronale_netze")
        wait_idle(page)
        assert page.get_by_text(RIGHT.feedback).count() == 0
        page.get_by_text(RIGHT.text, exact=True).click()
        page.get_by_text(RIGHT.feedback).wait_for()
        wait_idle(page)

        # chapter 3 in the same session: 5 epochs on all digits, a guess, "Trainieren"
        page.locator('[data-testid="stSidebarNav"]').get_by_text("3 · Ein erstes Netz trainieren").click()
        wait_idle(page)
        epochs = page.get_by_label("Epochen", exact=True)
        epochs.fill(str(EPOCHS))
        epochs.press("Enter")
        wait_idle(page)
        page.get_by_text("Etwa 1.000 (zwischen 500 und 2.000)", exact=True).click()
        wait_idle(page)
        page.get_by_role("button", name="Vermutung festhalten").click()
        wait_idle(page)
        page.get_by_role("button", name="Trainieren").click()
        page.locator('[data-testid="stMain"] [data-testid="stProgress"]').filter(has_text=TRAINING).first.wait_for()

        # F5 while it trains: the same learner, the run is shown again by itself
        page.reload()
        wait_idle(page)
        assert cookie(context) == learner and no_identity_in(page.url)
        page.locator('[data-testid="stMain"] [data-testid="stProgress"]').filter(has_text=TRAINING) \
            .or_(page.get_by_text("Fehler von 10.000 Testziffern")).first.wait_for(timeout=10_000)
        wait_result(page, 240_000)
        wait_idle(page)
        assert page.get_by_text("Ihre Vermutung – geprüft an diesem Lauf", exact=True).count() == 1

        # F5 after it finished: result, verdict, settings and progress are all still there
        page.reload()
        wait_idle(page)
        wait_result(page)
        assert page.get_by_text("Ihre Vermutung – geprüft an diesem Lauf", exact=True).count() == 1
        assert page.get_by_text("Sie vermuten: Etwa 1.000 (zwischen 500 und 2.000)").count() == 1
        assert page.get_by_label("Epochen", exact=True).input_value() == str(EPOCHS)
        expect_sidebar(page, f"Verständnisfragen richtig: 1 von {N_QUESTIONS}")
        side = sidebar_text(page)
        chapters = [c for c in CHAPTERS if c.number is not None]
        exercises = sum(Q.guess(c.key) is not None for c in chapters)     # the chapters that ask for a guess
        assert f"Übungen trainiert: 1 von {exercises}" in side and f"Kapitel besucht: 3 von {len(chapters)}" in side
        assert page.locator(EXCEPTION).count() == 0

        # the run log (another page of the same learner) still holds the run
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Versuchsprotokoll").click()
        wait_idle(page)
        assert page.get_by_text("Noch keine Läufe").count() == 0
        assert "Kapitel 3" in page.locator('[data-testid="stMain"]').inner_text()

        # a new tab straight into "Modelle von innen": the learner's own network on the first render
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        tab.goto(f"{app_url}/modelle_von_innen")
        wait_idle(tab)
        tab.get_by_text("Ihre eigenen Netze (1)").wait_for(timeout=10_000)
        assert tab.locator(EXCEPTION).count() == 0
        tab.close()

        # back later at the plain address (the tab closed, a new one opened): everything is there
        page.close()
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(app_url)
        wait_idle(page)
        assert "Ihr Fortschritt" in page.locator('[data-testid="stMain"]').inner_text()
        expect_sidebar(page, f"Verständnisfragen richtig: 1 von {N_QUESTIONS}")
        assert cookie(context) == learner and no_identity_in(page.url)
    finally:
        context.close()

    other, other_page = new_learner(browser)          # another browser sees none of it
    try:
        other_page.goto(f"{app_url}/")
        wait_idle(other_page)
        assert settled_cookie(other) != learner
        expect_sidebar(other_page, f"Verständnisfragen richtig: 0 von {N_QUESTIONS}")
    finally:
        other.close()


def test_another_device_continues_with_a_one_time_code_and_das_bin_nicht_ich_starts_afresh(app_url, browser):
    laptop, page = new_learner(browser)
    phone, phone_page = new_learner(browser)
    try:
        answer_softmax(page, app_url)
        learner = settled_cookie(laptop)
        page.goto(f"{app_url}/")
        wait_idle(page)
        page.get_by_text("Auf einem anderen Gerät weitermachen").click()
        page.get_by_role("button", name="Code erzeugen").click()
        wait_idle(page)
        main = page.locator('[data-testid="stMain"]').inner_text()
        code = re.search(r"Ihr Code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", main).group(1)
        assert "niemanden weiter" in main

        phone_page.goto(f"{app_url}/?{identity.CODE_PARAM}={code}")   # the link, opened on the other device
        wait_idle(phone_page)
        assert no_identity_in(phone_page.url)
        phone_page.get_by_text(f"Verständnisfragen richtig: 1 von {N_QUESTIONS}").wait_for(timeout=10_000)
        assert settled_cookie(phone) == learner
        phone_page.reload()                                            # and it stays that learner
        wait_idle(phone_page)
        expect_sidebar(phone_page, f"Verständnisfragen richtig: 1 von {N_QUESTIONS}")

        # a shared computer: "Das bin nicht ich – neu beginnen"
        phone_page.get_by_role("button", name="Das bin nicht ich – neu beginnen").click()
        phone_page.get_by_role("button", name="Ja, neu beginnen").click()
        wait_idle(phone_page)
        phone_page.get_by_text(f"Verständnisfragen richtig: 0 von {N_QUESTIONS}").wait_for(timeout=10_000)
        deadline = time.time() + 10
        while cookie(phone) == learner and time.time() < deadline:
            time.sleep(0.1)
        assert cookie(phone) not in (None, learner)
        phone_page.reload()
        wait_idle(phone_page)
        expect_sidebar(phone_page, f"Verständnisfragen richtig: 0 von {N_QUESTIONS}")
        page.reload()                                                  # the laptop keeps its progress
        wait_idle(page)
        expect_sidebar(page, f"Verständnisfragen richtig: 1 von {N_QUESTIONS}")
        assert page.locator(EXCEPTION).count() == 0 and phone_page.locator(EXCEPTION).count() == 0
    finally:
        laptop.close()
        phone.close()


def test_embedded_on_another_site_the_page_says_progress_lasts_only_for_this_visit(app_url, browser):
    import http.server
    import threading

    class Embedding(http.server.BaseHTTPRequestHandler):     # another site (localhost) embeds the app
        def do_GET(self):
            body = f'<iframe src="{app_url}/" width="1300" height="900"></iframe>'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Embedding)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    context, page = new_learner(browser)
    try:
        page.goto(f"http://localhost:{site.server_port}/")
        frame = page.frame_locator("iframe")
        frame.get_by_role("heading", level=1).first.wait_for()
        notice = frame.locator(f".{identity.MARKER}-notice")
        notice.wait_for(state="visible", timeout=15_000)
        assert "Nur für diesen Besuch." in notice.inner_text()
        assert cookie(context) is None
    finally:
        context.close()
        site.shutdown()




def test_two_app_servers_sharing_one_postgresql_store_see_the_same_learner(browser, postgres, monkeypatch):
    monkeypatch.setenv("TUTORIAL_DATABASE_URL", postgres.create_database("zwei_server"))
    servers = []
    context, page = new_learner(browser)
    try:
        servers = [start_server(), start_server()]
        (_, first), (_, second) = servers
        answer_softmax(page, first)                                    # progress made on server 1 …
        learner = settled_cookie(context)
        page.goto(f"{second}/")                                        # … is there on server 2
        wait_idle(page)
        expect_sidebar(page, f"Verständnisfragen richtig: 1 von {N_QUESTIONS}")
        assert cookie(context) == learner
        assert page.locator(EXCEPTION).count() == 0
    finally:
        context.close()
        for proc, _ in servers:
            stop_server(proc)
