"""Shared test set-up: quiet TensorFlow logs, the repo root as working directory, the test layers, and
the fixtures of the browser tests.

Layers: every test carries one of the markers ``engine``, ``app``, ``browser``, ``ray`` (usually a
``pytestmark`` line per file). Everything that starts a process – a server, a browser, Ray, a training
child, a fresh Python, a database server – is also ``slow``, and so is a test that takes seconds of
work (measured; the fast loop ``python -m pytest -m "not slow"`` leaves them out and stays ≤ 60 s).
Tests that use the server or the browser below are marked ``browser`` and ``slow`` here, and a test
that is not ``slow`` but starts a process fails with the command line (so the fast loop stays fast).

Browser tests share ONE ``streamlit run streamlit_app.py`` per test session (fixture ``app_url``,
warm start off, stopped with its whole process group) and ONE chromium (fixture ``browser``, Debian's
chromium via Playwright); each test gets a new tab as a new learner (``desktop_page``, ``phone_page``:
cookies cleared, the context and its cache shared per screen).
Tests that stop or restart a server, or need a second one, start their own with :func:`start_server`.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from benchmarks.common import CHROMIUM_ARGS, start_streamlit, stop_streamlit

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# no warm start in AppTest runs of the router (it would start a training child); tests of the warm
# start switch it on themselves
os.environ.setdefault("TUTORIAL_WARM_START", "0")
# the progress store (a SQLite file, tutorial/store) of the tests and their servers goes to a temporary directory
os.environ.setdefault("TUTORIAL_PROGRESS_DIR", tempfile.mkdtemp(prefix="tutorial-progress-"))
ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)

DESKTOP = {"viewport": {"width": 1400, "height": 1000}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

LAYERS = ("engine", "app", "browser", "ray")
BROWSER_FIXTURES = {"app_url", "browser", "desktop_page", "phone_page"}


# --- layers -----------------------------------------------------------------------------------------

@pytest.hookimpl(tryfirst=True)       # before ``-m`` deselects
def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(item.fixturenames):
            item.add_marker("browser")
            item.add_marker("slow")


def pytest_runtest_setup(item):
    if not any(item.get_closest_marker(layer) for layer in LAYERS):
        pytest.fail(f"{item.nodeid} has no layer marker: add `pytestmark = pytest.mark.engine` (or app, "
                    "browser, ray) to its file", pytrace=False)


# system probes that libraries start while importing (platform.processor(), ctypes.util.find_library)
PROBES = {"uname", "ldconfig", "ldconfig.real", "gcc", "cc", "ld", "objdump", "lscpu", "getconf", "nvidia-smi"}


class _Spawned(list):
    """Command lines of the processes a test started (``subprocess.Popen``, which ``run``, the
    training worker, Ray and Playwright all go through), system probes aside."""

    def __enter__(self):
        spawned, original = self, subprocess.Popen
        self._original = original

        class Recording(original):
            def __init__(self, args, *more, **kwargs):
                words = args.split() if isinstance(args, str) else [str(a) for a in args]
                if not words or Path(words[0]).name not in PROBES:
                    spawned.append(" ".join(words))
                super().__init__(args, *more, **kwargs)

        subprocess.Popen = Recording
        return self

    def __exit__(self, *exc):
        subprocess.Popen = self._original


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if item.get_closest_marker("slow"):
        return (yield)
    with _Spawned() as spawned:
        result = yield
    if spawned:
        pytest.fail(f"{item.nodeid} starts a process but is not marked slow: {spawned[:3]}", pytrace=False)
    return result


# --- one server and one browser per test session ------------------------------------------------

def start_server(script: str = "streamlit_app.py", warm_start: bool = False) -> tuple[subprocess.Popen, str]:
    """A Streamlit server on a free localhost port, in its own process group; stop it with
    :func:`stop_server` (which ends its training children too)."""
    env = dict(os.environ, TUTORIAL_WARM_START="1" if warm_start else "0")
    return start_streamlit(env=env, script=script)


stop_server = stop_streamlit


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright's sync API (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def app_url():
    """URL of the session's app server (warm start off). Its first request being a deep link is
    tested in tests/test_browser_dialogs.py, with a server of its own."""
    proc, url = start_server()
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def _screens(browser):
    """The session's browser contexts of :func:`desktop_page` and :func:`phone_page`, one per screen."""
    opened: dict = {}
    yield opened
    for context in opened.values():
        context.close()


def _learner_page(screens: dict, browser, name: str, options: dict):
    """A new tab as a new learner in the context of screen ``name``: its cookies (the learner's identity)
    are cleared, its cache is kept – a fresh context compiles Streamlit's scripts anew on every page
    load (~5 s of chromium's CPU on this machine, measured), a used one takes them from its cache."""
    if name not in screens:
        screens[name] = browser.new_context(**options)
    context = screens[name]
    context.clear_cookies()
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


@pytest.fixture
def desktop_page(browser, _screens):
    """A page as a new learner (no cookies, a new tab), 1400 × 1000."""
    page = _learner_page(_screens, browser, "desktop", DESKTOP)
    yield page
    page.close()


@pytest.fixture
def phone_page(browser, _screens):
    """A page as a new learner (no cookies, a new tab) at phone size (390 × 844, touch)."""
    page = _learner_page(_screens, browser, "phone", PHONE)
    yield page
    page.close()


_store_databases = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def store_url(request, tmp_path):
    """A fresh progress database for one test: a SQLite file, and (``slow``) a database on the session's
    PostgreSQL – so every store test runs on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'progress.sqlite3'}"
    return request.getfixturevalue("postgres").create_database(f"t{os.getpid()}_{next(_store_databases)}")


@pytest.fixture
def clock():
    """A clock the test moves by hand (tests/fakes.py)."""
    from tests.fakes import Clock
    return Clock()


@pytest.fixture(scope="session")
def postgres():
    """One throwaway PostgreSQL 15 for the whole test session (tests/postgres.py). Without the
    binaries the tests skip, unless TUTORIAL_REQUIRE_POSTGRES=1 (scripts/test.sh): then they fail."""
    from tests.postgres import Missing, temporary_postgres
    try:
        with temporary_postgres() as server:
            yield server
    except Missing as exc:
        if os.environ.get("TUTORIAL_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"TUTORIAL_REQUIRE_POSTGRES=1 but {exc}")
        pytest.skip(f"{exc} (set TUTORIAL_REQUIRE_POSTGRES=1 to make this a failure)")
