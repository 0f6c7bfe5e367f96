"""The German chrome's one injection per script run.

:func:`apply` (called by the router before ``st.navigation(...).run()``) sends the page CSS
(:mod:`.phone`) and the browser script ``chrome.js`` with its configuration (:func:`config`: the
translation tables of :mod:`.translate`, the canvas settings of :mod:`.canvas`) through
``st.html(..., unsafe_allow_javascript=True)`` – not iframed, so it sees Streamlit's own DOM. The
script file is read once per process. In the browser the script runs once per page load and only
rescans on later runs. Code blocks, charts (SVG) and text fields are never touched.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

from tutorial.app.chrome import canvas, phone, translate

ASSET = Path(__file__).with_name("chrome.js")
MARKER = "tutorial-chrome"       # class of the (empty) element that carries the script
# the element container of that script takes no room
HIDE_MARKER = f'[data-testid="stElementContainer"]:has(.{MARKER}) {{ display: none; }}'


def config() -> dict:
    """What ``chrome.js`` is called with."""
    return {
        "exact": translate.EXACT,
        "patterns": translate.PATTERNS,
        "attributes": translate.ATTRIBUTES,
        "decimalComma": translate.DECIMAL_COMMA,
        "shadowHost": canvas.HOST,
        "canvas": {"toolbar": canvas.TOOLBAR, "css": canvas.CSS, "styleClass": f"{MARKER}-canvas"},
    }


@cache
def script() -> str:
    """``chrome.js`` called with :func:`config` (built once per process)."""
    data = json.dumps(config(), ensure_ascii=False).replace("</", "<\\/")
    return f"{ASSET.read_text(encoding='utf-8').rstrip()}({data});"


def apply() -> None:
    """Call once per run, before the page: German chrome and ``lang="de"``, phone CSS, on every page."""
    st.html(f"<style>{HIDE_MARKER}{phone.CSS}</style>")
    st.html(f'<span class="{MARKER}"></span><script>{script()}</script>', unsafe_allow_javascript=True)
