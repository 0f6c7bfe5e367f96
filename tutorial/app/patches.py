"""Explicit changes to Streamlit's behaviour, applied once per process by :func:`apply`.

Called from the router (``streamlit_app.py``) and from :func:`tutorial.app.page.start`, so a page
run on its own (``streamlit run kapitel/…`` or ``AppTest.from_file``) gets them too. Applying twice
does nothing.
"""
from __future__ import annotations

import sys


def apply() -> None:
    """Apply every patch of this module (idempotent)."""
    keep_keras_state()


def keep_keras_state() -> None:
    """Stop Streamlit from calling ``keras.backend.clear_session()`` after every script run.

    Why: Streamlit (1.67) does that to free the models a script built. In this app models live
    longer than a script run (cached pretrained models, finished runs handed over by the trainer),
    and ``clear_session`` replaces Keras' global state for *all* threads: a rerun in one session
    while another session's thread loads or builds a model resets its layer-name counters and
    scopes ("All layers added to a Sequential model should have unique names"). The matplotlib
    part of Streamlit's clean-up is kept.
    """
    from streamlit.runtime.scriptrunner import script_runner

    if getattr(script_runner._clean_problem_modules, "keeps_keras", False):
        return

    def clean_problem_modules() -> None:
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            try:
                plt.close("all")
            except Exception:  # noqa: BLE001 - Streamlit ignores failures here, too
                pass

    clean_problem_modules.keeps_keras = True
    script_runner._clean_problem_modules = clean_problem_modules
