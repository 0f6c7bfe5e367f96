"""What a learner's session keeps: widget values across pages, the test switch, the session's id.

Streamlit forgets a widget's value when the widget is not drawn in a run (e.g. while the learner
reads another page); :func:`keep` mirrors it in a plain session key and restores it from there.
"""
from __future__ import annotations

import uuid

import streamlit as st

TEST_MODE_KEY = "tutorial_test_mode"   # set by the tests: tiny, fast runs
TEST_LIMITS = {"limit": 300, "epochs": 1, "val_limit": 500}
SESSION_ID_KEY = "_session_id"
_KEEP = "_keep_"


def keep(key: str, default):
    """The key for a widget whose value survives leaving the page (pass it as ``key=``)."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(_KEEP + key, default)
    st.session_state[_KEEP + key] = st.session_state[key]
    return key


def set_widgets(values: dict) -> None:
    """Set widget values (use as an ``on_click`` callback, which runs before the widgets are drawn)."""
    for key, value in values.items():
        st.session_state[key] = value
        st.session_state[_KEEP + key] = value


def test_mode() -> bool:
    return bool(st.session_state.get(TEST_MODE_KEY))


def session_id() -> str:
    """A random id of this browser session: the ``owner`` of the runs it asks the trainer for."""
    return st.session_state.setdefault(SESSION_ID_KEY, uuid.uuid4().hex)
