"""Helpers shared by the browser tests: wait until Streamlit's script run is over, open a page of the
chapter table and let its charts and components settle."""
from __future__ import annotations

import time

IDLE_APP = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_idle(page) -> None:
    """Wait until the script run is over (a rerun may start right after the first one)."""
    page.wait_for_selector(IDLE_APP)
    time.sleep(0.5)
    page.wait_for_selector(IDLE_APP)


def open_page(page, url: str, entry, settle: float = 0.3) -> None:
    """Open ``entry`` (a :class:`tutorial.chapters.Chapter`) and wait for its title and an idle app;
    ``settle`` seconds more for charts and components to finish their layout."""
    page.goto(f"{url}/{entry.url_path}")
    page.get_by_role("heading", level=1).first.wait_for()
    wait_idle(page)
    time.sleep(settle)
