"""Values from the browser stay outside: query values and search words are shown as plain text, never
as Markdown (issue 20, item 2)."""
from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from tutorial.app.terms import QUERY_MAX, plain

pytestmark = pytest.mark.app

GLOSSARY_PAGE = "../kapitel/einstieg/04_neuronale_netze.py"
CRAFTED = ["[Klick](https://evil.example) Ihr Konto ist gesperrt",
           "![x](http://evil.example/bild.png)",
           "<img src=x onerror=alert(1)> **fett** :red[rot] :material/warning: $x^2$ `code`",
           "Zeile\n\n# Überschrift"]


def rendered(markdown: str) -> str:
    """HTML of a Markdown string as CommonMark renders it (links, images, emphasis, raw HTML)."""
    return MarkdownIt("commonmark").render(markdown)


def streamlit_syntax(markdown: str) -> list[str]:
    """Streamlit's own Markdown extensions still active in ``markdown`` (unescaped)."""
    return re.findall(r"(?<!\\):(?:red|blue|green|orange|violet|gray|grey|rainbow|primary)\[|(?<!\\):material/"
                      r"|(?<!\\)\$", markdown)


def shown(markdown: str) -> str:
    """The text a reader sees of an inline Markdown string."""
    return "".join(token.content for token in MarkdownIt("commonmark").parseInline(markdown)[0].children)


@pytest.mark.parametrize("text", CRAFTED)
def test_plain_text_renders_as_the_text_itself(text):
    html = rendered(plain(text))
    for tag in ("<a", "<img", "<strong", "<em", "<code", "<h1"):
        assert tag not in html, html
    assert not streamlit_syntax(plain(text))
    assert shown(plain(text)) == " ".join(text.split())      # exactly what was typed, line breaks as spaces


@pytest.mark.parametrize("text", CRAFTED[:2])
def test_a_crafted_begriff_link_is_shown_as_text(text):
    at = AppTest.from_file(GLOSSARY_PAGE, default_timeout=60)
    at.query_params["begriff"] = text
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    notes = [w.value for w in at.warning if "Kein Begriff passt" in w.value]
    assert len(notes) == 1
    html = rendered(notes[0])
    assert "<a" not in html and "<img" not in html
    assert f"»{text}«" in shown(notes[0])
    assert at.text_input(key="glossary_query").value == text


def test_a_long_begriff_is_shortened_not_refused():
    at = AppTest.from_file(GLOSSARY_PAGE, default_timeout=60)
    at.query_params["begriff"] = "Epoche" + "x" * 10_000
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.text_input(key="glossary_query").value) == QUERY_MAX


# --- widget values: state.keep lets only known, bounded values through (issue 20, items 2 and 4) -------

KEEP_SCRIPT = '''
import streamlit as st
from tutorial.app import state
pad = st.radio("Padding", ["same", "valid"], key=state.keep("pad", "same", ["same", "valid"]))
conv = st.slider("Faltungen", min_value=1, max_value=4, key=state.keep("conv", 3, range(1, 4 + 1)))
bn = st.toggle("BN", key=state.keep("bn", False))
runs = st.multiselect("Läufe", ["a", "b"], key=state.keep("runs", ["a"], ["a", "b"]))
units = st.number_input("Neuronen", step=10, key=state.keep("units", 200))
st.write(repr((pad, conv, bn, runs, units)))
'''
FORGED = {"pad": 'valid"); import os; os.system("id") #\n' + "X" * 1_000_000, "conv": 99, "bn": "ja",
          "runs": ["a", "zz"], "units": "1e999"}
CLEAN = ("same", 4, False, ["a"], 200)


def keep_app() -> AppTest:
    return AppTest.from_string(KEEP_SCRIPT, default_timeout=30)


def kept(at: AppTest) -> tuple:
    return tuple(at.session_state["_keep_" + key] for key in ("pad", "conv", "bn", "runs", "units"))


def test_forged_values_in_the_saved_progress_are_replaced_before_a_widget_sees_them():
    """What ``state.restore`` brings back from a store (a forged or outdated file) – before, the slider
    raised ("The value 99 is greater than the max_value 4") and the toggle a TypeError on every reload."""
    at = keep_app()
    for key, value in FORGED.items():
        at.session_state["_keep_" + key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.markdown[0].value == repr(CLEAN)
    assert kept(at) == CLEAN                      # what the progress store saves


def test_forged_widget_values_from_the_browser_are_not_kept():
    """A value that arrives as the widget's own value (here set before the run, as a browser would send
    it) is checked before it is mirrored for other pages and the progress store; before, the 1 MB radio
    value went into the mirror (and so into the progress file) unchanged."""
    at = keep_app()
    for key, value in FORGED.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.markdown[0].value == repr(CLEAN)
    assert kept(at) == CLEAN


def test_good_values_survive_unchanged():
    at = keep_app()
    good = {"pad": "valid", "conv": 2, "bn": True, "runs": ["b", "a"], "units": 40}
    for key, value in good.items():
        at.session_state["_keep_" + key] = value
    at.run()
    assert not at.exception
    assert kept(at) == tuple(good.values())


def test_chapter_11_with_a_forged_saved_state_opens_with_known_values():
    at = AppTest.from_file("../kapitel/faltungsnetze/11_faltungsnetz.py", default_timeout=90)
    at.session_state["_keep_ch11_conv"] = 99
    at.session_state["_keep_ch11_padding"] = 'valid")\nimport os #'
    at.session_state["_keep_ch11_stride_0"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.slider(key="ch11_conv").value == 4
    assert at.radio(key="ch11_padding").value == "same"
    assert at.radio(key="ch11_stride_0").value == 1
