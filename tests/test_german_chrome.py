"""tutorial.app.german without a browser: the number boxes answer out-of-range input in German and
return None, and the chrome script carries every translation (the browser side is tested in
tests/test_browser_german.py)."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tutorial.app import german


def whole_number_app():
    import streamlit as st

    from tutorial.app import german

    st.session_state.setdefault("filters", 12)
    value = german.whole_number("Filter", 1, 128, key="filters")
    st.markdown(f"Wert: {value}")


def decimal_number_app():
    import streamlit as st

    from tutorial.app import german

    st.session_state.setdefault("p", 0.25)
    value = german.decimal_number("Wahrscheinlichkeit", 0.0, 1.0, key="p", step=0.05)
    st.markdown(f"Wert: {value}")


@pytest.mark.parametrize("entered, shown, message", [
    (64, "Wert: 64", None),
    (200, "Wert: None", "Filter: 200 ist zu groß – erlaubt ist eine ganze Zahl von 1 bis 128."),
    (0, "Wert: None", "Filter: 0 ist zu klein – erlaubt ist eine ganze Zahl von 1 bis 128."),
    (1280, "Wert: None", "Filter: 1.280 ist zu groß – erlaubt ist eine ganze Zahl von 1 bis 128."),
])
def test_whole_number(entered, shown, message):
    at = AppTest.from_function(whole_number_app).run()
    assert at.markdown[0].value == "Wert: 12" and not at.error
    at.number_input(key="filters").set_value(entered).run()
    assert not at.exception
    assert at.markdown[0].value == shown
    assert [e.value for e in at.error] == ([message] if message else [])


def test_decimal_number():
    at = AppTest.from_function(decimal_number_app).run()
    assert at.markdown[0].value == "Wert: 0.25" and not at.error
    at.number_input(key="p").set_value(1.5).run()
    assert at.markdown[0].value == "Wert: None"
    assert [e.value for e in at.error] == ["Wahrscheinlichkeit: 1,50 ist zu groß – erlaubt ist eine Zahl von 0,00 bis 1,00."]
    at.number_input(key="p").set_value(0.8).run()
    assert at.markdown[0].value == "Wert: 0.8" and not at.error


def test_script_sets_lang_and_carries_the_translations():
    script = german.script()
    assert 'document.documentElement.lang = "de"' in script
    exact = json.loads(script.split("const EXACT = ", 1)[1].split(";\n", 1)[0])
    assert exact == german.EXACT
    for english in ("Upload", "Select all", "Deploy", "Undo", "Update the app with this drawing", "Fullscreen"):
        assert exact[english] and exact[english] != english
    assert "__EXACT__" not in script and "__PATTERNS__" not in script and "__CANVAS_CSS__" not in script


def test_router_applies_the_german_chrome():
    """streamlit_app.py sends the script (st.html with JavaScript) on every run, before the page."""
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    bodies = [h.proto.body for h in at.get("html")]
    assert any("tutorial-german" in body and "documentElement.lang" in body for body in bodies), bodies


@pytest.mark.parametrize("page, setup, box, bad, message", [
    ("kapitel/faltungsnetze/11_faltungsnetz.py", {}, "ch11_filters_0", 200,
     "Filter: 200 ist zu groß – erlaubt ist eine ganze Zahl von 1 bis 128."),
    ("kapitel/dichte_netze/06_mehr_schichten.py", {"ch06_hidden": 2}, "ch06_units_1", 5,
     "Neuronen in Schicht 2: 5 ist zu klein – erlaubt ist eine ganze Zahl von 10 bis 784."),
    ("kapitel/faltungsnetze/11_faltungsnetz.py", {}, "ch11_epochs", 99,
     "Epochen: 99 ist zu groß – erlaubt ist eine ganze Zahl von 1 bis 30."),
], ids=["ch11-filter", "ch06-neurons", "epochs"])
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
