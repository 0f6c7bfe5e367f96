"""What the app takes from Streamlit beyond its documented API, checked against the installed version
(the README's "Streamlit-Upgrade-Checkliste" names each item with the test that shows its behaviour).

These checks fail with the name of what is gone; the behaviour tests named in the README show whether a
replacement still does the job. The chrome's English strings and ``data-testid``s are checked in
tests/test_german_chrome.py.
"""
from __future__ import annotations

import inspect
import tomllib

import pytest
import streamlit as st

from tutorial.paths import ROOT

pytestmark = pytest.mark.app

CONFIG = ROOT / ".streamlit" / "config.toml"


def test_private_streamlit_names_still_exist():
    from streamlit.elements import exception, vega_charts
    from streamlit.runtime.scriptrunner import script_runner

    # tutorial/app/patches.py replaces this module-level function; Streamlit must still call it by name
    # after every script run (behaviour: test_app_training.py::test_script_runs_do_not_reset_keras_state)
    assert callable(script_runner._clean_problem_modules)
    assert "_log_if_error(_clean_problem_modules)" in inspect.getsource(script_runner.ScriptRunner)
    # tutorial/app/views.py converts shared live charts the way st.altair_chart does
    # (behaviour: test_app_training.py::test_shared_chart_specs_are_reused_while_unchanged_or_fresh)
    assert list(inspect.signature(vega_charts._convert_altair_to_vega_lite_spec).parameters)[:1] == ["altair_chart"]
    # the redacted error text that tutorial/app/chrome/translate.py translates
    assert exception._GENERIC_UNCAUGHT_EXCEPTION_TEXT.startswith("This app has encountered an error.")


def test_every_config_option_is_known_and_in_effect():
    """An option Streamlit no longer knows is only a warning in the server log: its protection would be
    gone silently (``server.maxWidgetStateSize`` and ``runner.postScriptGC`` are hidden options)."""
    options = {f"{section}.{name}": value
               for section, values in tomllib.loads(CONFIG.read_text(encoding="utf-8")).items()
               for name, value in values.items()}
    assert {"server.maxWidgetStateSize", "runner.postScriptGC", "client.showErrorDetails",
            "client.toolbarMode"} <= set(options)
    for key, value in options.items():
        assert st.get_option(key) == value, key        # raises for an unknown option
