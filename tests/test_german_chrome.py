"""tutorial.app.chrome without a browser: the number boxes answer out-of-range input in German and
return None; the injected script carries every translation and patches no browser API; and what the
chrome relies on in Streamlit's frontend (English strings, ``data-testid``s) still exists in the
installed version – the upgrade check of the README's "Streamlit-Upgrade-Checkliste". The browser side
is tested in tests/test_browser_german.py, tests/test_browser_phone.py, tests/test_browser_dialogs.py."""
from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
from functools import cache

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from tutorial.app.chrome import canvas, phone, script, translate

pytestmark = pytest.mark.app


def whole_number_app():
    import streamlit as st

    from tutorial.app.chrome import number_box

    st.session_state.setdefault("filters", 12)
    value = number_box.whole_number("Filter", 1, 128, key="filters")
    st.markdown(f"Wert: {value}")


@pytest.mark.parametrize("entered, shown, message", [
    (64, "Wert: 64", None),
    (200, "Wert: None", "Filter: 200 ist zu groß – erlaubt ist eine ganze Zahl von 1 bis 128."),
    (0, "Wert: None", "Filter: 0 ist zu klein – erlaubt ist eine ganze Zahl von 1 bis 128."),
    (1280, "Wert: None", "Filter: 1.280 ist zu groß – erlaubt ist eine ganze Zahl von 1 bis 128."),
])
def test_whole_number(entered, shown, message):
    at = AppTest.from_function(whole_number_app, default_timeout=60).run()
    assert at.markdown[0].value == "Wert: 12" and not at.error
    at.number_input(key="filters").set_value(entered).run()
    assert not at.exception
    assert at.markdown[0].value == shown
    assert [e.value for e in at.error] == ([message] if message else [])


def test_script_sets_lang_and_carries_the_translations():
    text = script.script()
    assert text is script.script(), "built once per process"
    assert 'document.documentElement.lang = "de"' in text
    assert text.startswith(script.ASSET.read_text(encoding="utf-8").rstrip())
    config = json.loads(text[len(script.ASSET.read_text(encoding="utf-8").rstrip()) + 1:-2])
    assert config == json.loads(json.dumps(script.config()))
    assert config["exact"] == translate.EXACT and config["canvas"]["css"] == canvas.CSS
    for english in ("Upload", "Select all", "Deploy", "Undo", "Update the app with this drawing", "Fullscreen",
                    "Connection error", "Page not found"):
        assert translate.EXACT[english] and translate.EXACT[english] != english
    # st.html runs its body through DOMPurify, which drops a script whose text holds "<" followed by a
    # letter, "/" or "!" (it looks like markup): the script would silently not run
    assert not re.search(r"<[/\w!]", text)


def test_script_patches_no_browser_api():
    """No global prototype patch (the canvas's shadow root is found by looking at its host element)."""
    code = script.ASSET.read_text(encoding="utf-8")
    assert not re.search(r"\.prototype\.\w+\s*=", code)
    assert "attachShadow" not in code


def test_patterns_are_valid_and_translate_their_examples():
    examples = {
        "Help for Filter": "Hilfe zu Filter",
        "Download as CSV": "Als CSV herunterladen",
        "5MB per file": "höchstens 5 MB pro Datei",
        "200.0MB per file • PNG": "höchstens 200 MB pro Datei",
        "1.5MB per file": "höchstens 1,5 MB pro Datei",
        "The page that you have requested does not seem to exist. Running the app's main page.":
            "Diese Seite gibt es nicht. Sie sehen die Startseite.",
        "Connection failed with status 502.": "Der Server antwortet mit einem Fehler (Status 502). Die Seite versucht es weiter.",
    }
    compiled = [(re.compile(js), rep) for js, rep in translate.PATTERNS]   # the syntax used is Python's too
    for english, german in examples.items():
        matching = [(rx, rep) for rx, rep in compiled if rx.search(english)]
        assert matching, english
        rx, rep = matching[0]                                # the script uses the first match
        assert rx.sub(re.sub(r"\$(\d)", r"\\\1", rep), english) == german


def test_router_applies_the_german_chrome(monkeypatch):
    """streamlit_app.py sends the script (st.html with JavaScript) on every run, before the page."""
    monkeypatch.setenv("TUTORIAL_WARM_START", "0")       # no training child for this look at the router
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    bodies = [h.proto.body for h in at.get("html")]
    assert any(script.MARKER in body and "documentElement.lang" in body for body in bodies), bodies
    assert any(phone.CSS.strip() in body for body in bodies)


def test_no_css_hides_streamlit_dialogs_or_errors():
    """The app hides nothing of Streamlit's own UI: no dialog, exception or error is display:none."""
    styles = [script.HIDE_MARKER, phone.CSS, canvas.CSS]
    # allowed: the chrome's own container, and the app's own keyed wide/phone variants of a digit grid
    # or table (views.show_digits, views.table: one of two drawn variants is shown per screen width)
    own = re.compile(r'^(\[class\*="st-key-(digits|table)_(phone|wide)_"\],?\s*)+$')
    for text in styles:
        for outer, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
            selector = outer
            if "{" in body:   # a rule inside @media: the selector stands inside the block
                selector, body = body.rsplit("{", 1)
            if "display: none" in body or "display:none" in body:
                selector = re.sub(r"/\*.*?\*/", "", selector, flags=re.S).strip()
                assert (selector == f'[data-testid="stElementContainer"]:has(.{script.MARKER})'
                        or own.match(selector)), (selector, body)
    sources = (glob.glob("streamlit_app.py") + glob.glob("tutorial/**/*.py", recursive=True)
               + glob.glob("kapitel/**/*.py", recursive=True))
    hiding = re.compile(r"(stDialog|stException|stAlert|stToast|dialog)[^\n]*"
                        r"(display\s*:\s*none|visibility\s*:\s*hidden)")
    for path in sources:
        assert not hiding.search(open(path, encoding="utf-8").read()), path


@cache
def frontend() -> str:
    """The installed Streamlit frontend and the canvas component's bundle, as one text."""
    folders = [os.path.join(os.path.dirname(streamlit.__file__), "static"),
               os.path.join(os.path.dirname(importlib.util.find_spec("streamlit_drawable_canvas").origin), "frontend")]
    files = [f for folder in folders for f in glob.glob(os.path.join(folder, "**", "*.js"), recursive=True)]
    assert len(files) > 10, folders
    return "\n".join(open(f, encoding="utf-8", errors="replace").read() for f in files)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_every_translated_string_still_exists_in_streamlit():
    """After a Streamlit upgrade a renamed English string would silently stay English: it fails here."""
    from streamlit.elements.exception import _GENERIC_UNCAUGHT_EXCEPTION_TEXT as redacted   # sent by the server

    assert redacted in translate.EXACT
    bundle = frontend()
    assert [english for english in translate.EXACT if english not in bundle and english != redacted] == []
    assert len(max(translate.EXACT, key=len)) <= 400       # chrome.js leaves longer texts alone


def test_every_test_id_the_chrome_names_still_exists_in_streamlit():
    bundle = frontend()
    named = " ".join([script.HIDE_MARKER, phone.CSS, translate.DECIMAL_COMMA, canvas.HOST])
    ids = set(re.findall(r'data-testid="(\w+)"', named))
    assert {"stSliderThumbValue", "stSliderTickBar", "stBidiComponentIsolated", "stElementContainer"} <= ids
    assert sorted(i for i in ids if f"`{i}`" not in bundle and f'"{i}"' not in bundle) == []
    assert canvas.TOOLBAR in bundle


@pytest.mark.parametrize("page, setup, box, bad, message", [
    ("kapitel/faltungsnetze/11_faltungsnetz.py", {}, "ch11_filters_0", 200,
     "Filter: 200 ist zu groß – erlaubt ist eine ganze Zahl von 1 bis 128."),
    ("kapitel/dichte_netze/06_mehr_schichten.py", {"ch06_hidden": 2}, "ch06_units_1", 5,
     "Neuronen in Schicht 2: 5 ist zu klein – erlaubt ist eine ganze Zahl von 10 bis 784."),
], ids=["ch11-filter", "ch06-neurons"])
def test_out_of_range_box_on_a_page(page, setup, box, bad, message):
    """The page says what is wrong in German and offers no training and no solution check for it."""
    at = AppTest.from_file(f"../{page}", default_timeout=60)
    for key, value in setup.items():
        at.session_state[key] = value
    at.run()
    key = box.split("_")[0]
    assert any(b.key == f"{key}_train" for b in at.button), "the valid default offers a training"
    at.number_input(key=box).set_value(bad).run()
    assert not at.exception, [e.message for e in at.exception]
    assert message in [e.value for e in at.error]
    assert not any(b.key == f"{key}_train" for b in at.button)
    assert not any("entspricht der Lösung" in s.value for s in at.success)


def test_an_epoch_value_above_the_chapters_maximum_is_clamped_and_priced():
    """Chapter 11 allows at most ``max_epochs`` epochs: a larger typed or saved value becomes the
    maximum, and the training's price check says what to lower when even that is too long."""
    from tutorial.chapters import CHAPTERS
    most = next(c for c in CHAPTERS if c.key == "ch11").max_epochs
    at = AppTest.from_file("../kapitel/faltungsnetze/11_faltungsnetz.py", default_timeout=60).run()
    at.number_input(key="ch11_epochs").set_value(99).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.number_input(key="ch11_epochs").value == most
    errors = [e.value for e in at.error]
    trainable = any(b.key == "ch11_train" and not b.proto.disabled for b in at.button)
    assert trainable or any("Epochen auf höchstens" in e for e in errors), errors
