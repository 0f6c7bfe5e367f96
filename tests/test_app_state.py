"""tutorial/app/state.py owns every session key: no other module touches ``st.session_state``, and
its accessors keep what a learner's session and a reload need."""
import io
import tokenize

import pytest
from streamlit.testing.v1 import AppTest

from tutorial.app import state
from tutorial.paths import ROOT

pytestmark = pytest.mark.app


def _code_names(path) -> set[str]:
    """The identifiers in a Python file's code (not in its strings or comments)."""
    source = path.read_text(encoding="utf-8")
    return {t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.NAME}


def test_only_the_state_module_touches_session_state():
    files = [*(ROOT / "tutorial").rglob("*.py"), *(ROOT / "kapitel").rglob("*.py"), ROOT / "streamlit_app.py"]
    owner = ROOT / "tutorial" / "app" / "state.py"
    users = sorted(str(f.relative_to(ROOT)) for f in files if f != owner and "session_state" in _code_names(f))
    assert users == [], f"use the accessors of tutorial/app/state.py instead: {users}"


def _script():
    import streamlit as st

    from tutorial.app import state

    if st.button("Lernender B", key="switch"):
        state.set_learner("B" * 22)
    st.text_input("Wert", key=state.keep("seite_wert", "anfang"))
    state.set_selection("ch03", {"kind": "pretrained", "name": "keras_01_mnist"})
    st.markdown(f"id={state.learner_id()}")
    st.markdown(f"token={state.learner_token()}")
    st.markdown(f"persisted={sorted(state.persisted()['widgets'].items())}|{sorted(state.persisted()['selections'])}")


def _shown(at: AppTest, prefix: str) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(prefix))[len(prefix):]


def test_learner_id_is_derived_from_the_token_and_not_the_token_itself():
    at = AppTest.from_function(_script, default_timeout=60).run()
    assert not at.exception
    first_id, token = _shown(at, "id="), _shown(at, "token=")
    at.run()
    assert _shown(at, "id=") == first_id and _shown(at, "token=") == token     # stable across runs
    assert token not in first_id
    at.button(key="switch").click().run()
    assert _shown(at, "token=") == "B" * 22 and _shown(at, "id=") != first_id   # another learner, another id
    again = AppTest.from_function(_script, default_timeout=60)
    again.session_state[state.LEARNER_TOKEN_KEY] = "B" * 22                     # the same learner elsewhere
    again.run()
    assert _shown(again, "id=") == _shown(at, "id=")


def test_persisted_lists_kept_widgets_and_pages_runs():
    at = AppTest.from_function(_script, default_timeout=60).run()
    at.text_input(key="seite_wert").set_value("geändert").run()
    assert _shown(at, "persisted=") == "[('seite_wert', 'geändert')]|['ch03']"
