"""Every session-state key of the app, defined once, behind named accessors.

No other module reads or writes ``st.session_state`` by a string of its own: it calls the accessor
here. The key names are public constants only so that tests can seed an ``AppTest`` session (they
cannot call the accessors from outside a script run).

What a session keeps:

* **widget values across pages** – Streamlit forgets a widget's value when the widget is not drawn in
  a run (e.g. while the learner reads another page); :func:`keep` mirrors it in a plain session key
  and restores it from there;
* **the learner** – :func:`learner_token` (the secret that finds the learner's saved progress; it
  comes from the browser's cookie, :mod:`tutorial.app.identity`), the token the browser sent
  (:func:`browser_token`) and :func:`learner_id` (a non-secret id derived from the token: the
  ``owner`` of the learner's trainer runs);
* **the learner's progress** as loaded from the store, what this session recorded or told the
  learner already (:func:`learner_memo`, :mod:`tutorial.app.progress`);
* **each page's last run** (a *selection*), a message for the page's next run, **the run log**, the
  **drawn digit** of "Ziffern zeichnen", the quiz's answer widgets, the host page's unlock, test mode.

:func:`persisted` / :func:`restore` are the one way the progress store learns what a reload must
bring back (widget values and the pages' last runs); it needs no key names.
"""
from __future__ import annotations

import hashlib
from typing import Any, Optional

import streamlit as st

TEST_MODE_KEY = "tutorial_test_mode"   # set by the tests: tiny, fast runs
TEST_LIMITS = {"limit": 300, "epochs": 1, "val_limit": 500}
LEARNER_TOKEN_KEY = "_learner_token"
LEARNER_ID_KEY = "_learner_id"          # tests may seed it to act as a named learner
BROWSER_TOKEN_KEY = "_learner_cookie"   # the token the browser's cookie carried when the session connected
PROGRESS_KEY = "_learner_data"
MEMO_KEY = "_learner_memo"              # what the session recorded and told the learner already
LOG_KEY = "versuchsprotokoll"
DRAWN_KEY = "drawn_digit"
HOST_KEY = "_kursleitung_offen"         # when this session unlocked the host pages (epoch seconds)
SESSION_ID_KEY = "_session_id"
_KEEP = "_keep_"
_RUN = "_run_"
_NOTICE = "_notice_"
_ANSWER = "quiz_"


def _state():
    return st.session_state


# --- widget values across pages --------------------------------------------------------------------

def keep(key: str, default, options=None):
    """The key for a widget whose value survives leaving the page (pass it as ``key=``).

    The one check of widget values: the value the browser sent or the saved progress brought back is
    kept (mirrored, saved, drawn) only if :func:`tutorial.widget_values.checked` lets it pass – of the
    default's type and bounded in size, among the widget's ``options`` (pass them for a radio,
    selectbox, select slider or multiselect) or clamped into a ``range`` (pass it for a slider);
    otherwise the widget starts from ``default``."""
    from tutorial.widget_values import checked
    state = _state()
    value = state[key] if key in state else state.get(_KEEP + key, default)
    good = checked(value, default, options)
    if key not in state or good is not value:
        state[key] = good
    state[_KEEP + key] = good
    return key


def set_widgets(values: dict) -> None:
    """Set widget values (use as an ``on_click`` callback, which runs before the widgets are drawn)."""
    state = _state()
    for key, value in values.items():
        state[key] = value
        state[_KEEP + key] = value


def widget_value(key: str, default=None):
    """The current value of the widget with ``key`` (``default`` before it was drawn)."""
    return _state().get(key, default)


def forget_widget(key: str) -> None:
    """Drop a widget's value: the next run draws it with its default."""
    _state().pop(key, None)


def set_widget_options(key: str, options) -> None:
    """Keep only the chosen values that are still among ``options`` (a multiselect whose options shrank)."""
    state = _state()
    if key in state:
        state[key] = [value for value in state[key] if value in options]


# --- the learner -----------------------------------------------------------------------------------

def set_learner(token: str) -> None:
    """This session belongs to the learner with ``token`` (:mod:`tutorial.app.identity` decides on the
    session's first run, and again when the learner changes identity); the progress loaded for the
    previous learner and the session's notes about it are dropped."""
    state = _state()
    state[LEARNER_TOKEN_KEY] = token
    for key in (LEARNER_ID_KEY, PROGRESS_KEY, MEMO_KEY):
        state.pop(key, None)


def learner_token() -> str:
    """The learner's secret token: it finds their saved progress and is never shown to others. A
    session whose learner is not known yet gets a new random one."""
    state = _state()
    if LEARNER_TOKEN_KEY not in state:
        from tutorial.store.limits import new_token
        state[LEARNER_TOKEN_KEY] = new_token()
    return state[LEARNER_TOKEN_KEY]


def has_learner() -> bool:
    """Whether this session's learner is decided (a token set or seeded)."""
    return LEARNER_TOKEN_KEY in _state()


def identity_settled() -> bool:
    """Whether :mod:`tutorial.app.identity` has looked at the browser's cookie in this session."""
    return BROWSER_TOKEN_KEY in _state()


def browser_token() -> Optional[str]:
    """The learner token the browser's cookie carried when this session connected (None: none)."""
    return _state().get(BROWSER_TOKEN_KEY)


def set_browser_token(token: Optional[str]) -> None:
    _state()[BROWSER_TOKEN_KEY] = token


def forget_learner_session() -> None:
    """A fresh start in this session: kept widget values, the pages' last runs, the run log and the
    answers go (the next run draws every widget with its default)."""
    state = _state()
    for key in [k for k in state if isinstance(k, str)]:
        if key.startswith(_KEEP):
            state.pop(key[len(_KEEP):], None)
            state.pop(key, None)
        elif key.startswith((_RUN, _ANSWER)) or key in (LOG_KEY, DRAWN_KEY):
            state.pop(key, None)


def learner_id() -> str:
    """The learner's non-secret id, derived from the token: the ``owner`` of their trainer runs,
    "online" on the host page, the key a database store can use. The same on every reload and in
    every tab of the learner."""
    state = _state()
    if LEARNER_ID_KEY not in state:
        digest = hashlib.sha256(("learner:" + learner_token()).encode()).hexdigest()
        state[LEARNER_ID_KEY] = digest[:32]
    return state[LEARNER_ID_KEY]


# --- the learner's progress (tutorial.app.progress) ------------------------------------------------

def progress_data() -> Optional[dict]:
    """The learner's progress as loaded into this session (None before the first load)."""
    return _state().get(PROGRESS_KEY)


def set_progress_data(data: dict) -> None:
    _state()[PROGRESS_KEY] = data


def learner_memo() -> dict:
    """What this session recorded for its learner and told them already (the progress module's notes:
    settings as last written, logged runs, the current position, messages shown); empty again after
    :func:`set_learner`."""
    return _state().setdefault(MEMO_KEY, {})


def persisted() -> dict:
    """What a reload must bring back: ``{"widgets": {widget key: value}, "selections": {page key:
    selection}}`` – the kept widget values and every page's last run (plain or not; the store decides)."""
    state = _state()
    widgets, selections = {}, {}
    for key, value in state.items():
        if not isinstance(key, str):
            continue
        if key.startswith(_KEEP):
            widgets[key[len(_KEEP):]] = value
        elif key.startswith(_RUN):
            selections[key[len(_RUN):]] = value
    return {"widgets": widgets, "selections": selections}


def restore(widgets: dict, selections: dict) -> None:
    """Put saved widget values and pages' last runs back (what this session set already wins)."""
    from tutorial.widget_values import restorable
    state = _state()
    for key, value in restorable(widgets).items():      # checked against the widget by keep()
        state.setdefault(_KEEP + key, value)
    for key, selection in selections.items():
        state.setdefault(_RUN + key, selection)


# --- a page's last run and its notice (tutorial.app.live, .exercise) --------------------------------

def selection(page_key: str) -> Optional[dict]:
    """The run a page shows: ``{"kind": "live", "spec": …, "cancelled": …}`` or ``{"kind": "pretrained",
    "name": …}`` (None: no run yet)."""
    return _state().get(_RUN + page_key)


def set_selection(page_key: str, value: dict) -> None:
    _state()[_RUN + page_key] = value


def set_notice(page_key: str, text: str) -> None:
    """A message for the page's next run (e.g. the queue limit)."""
    _state()[_NOTICE + page_key] = text


def pop_notice(page_key: str) -> Optional[str]:
    return _state().pop(_NOTICE + page_key, None)


# --- the run log (tutorial.app.runlog) -------------------------------------------------------------

def run_log() -> list:
    """The session's run log (a list of :class:`tutorial.app.runlog.Run`, oldest first)."""
    return _state().setdefault(LOG_KEY, [])


def set_run_log(runs: list) -> None:
    _state()[LOG_KEY] = runs


# --- the drawn digit ("Ziffern zeichnen" → "Modelle von innen") -----------------------------------

def drawn_digit():
    """The learner's drawing or photo as the model sees it (float32 (784,), pixel/256), or None."""
    return _state().get(DRAWN_KEY)


def set_drawn_digit(vector) -> None:
    _state()[DRAWN_KEY] = vector


def forget_drawn_digit() -> None:
    _state().pop(DRAWN_KEY, None)


def canvas_number(page_key: str) -> int:
    """The number of the page's current canvas (a new number gives a fresh, empty canvas)."""
    return _state().setdefault(f"{page_key}_canvas_nr", 0)


def next_canvas(page_key: str) -> None:
    state = _state()
    state[f"{page_key}_canvas_nr"] = canvas_number(page_key) + 1


# --- questions (tutorial.app.quiz) -----------------------------------------------------------------

def answer_key(question_id: str) -> str:
    """The widget key of a question's answer."""
    return _ANSWER + question_id


def answer_is_new(question_id: str, value: Any) -> bool:
    """True once per new answer value (a rerun of the same answer is not a new try)."""
    state = _state()
    key = answer_key(question_id) + "_last"
    if state.get(key) == value:
        return False
    state[key] = value
    return True


def forget_answers() -> None:
    """Clear every question's answer widget (after "Fortschritt zurücksetzen")."""
    state = _state()
    for key in [k for k in state if isinstance(k, str) and k.startswith(_ANSWER)]:
        del state[key]


# --- the explanations' "new random numbers" buttons (tutorial.app.explain) ------------------------

def counter(key: str) -> int:
    """How often a button bumped the counter ``key`` in this session (0 at first)."""
    return _state().get(key, 0)


def bump(key: str) -> int:
    """Add one to the counter ``key`` and return it."""
    _state()[key] = counter(key) + 1
    return _state()[key]


# --- the host page (tutorial.app.hostpage) ---------------------------------------------------------

def session_id() -> str:
    """A random id of this browser session (not of the learner: every tab and reload is a session of
    its own). The host login's per-session back-off counts failures by it (:class:`tutorial.login.Gate`).
    Made here rather than read from Streamlit's runtime, which has no public session id."""
    state = _state()
    if SESSION_ID_KEY not in state:
        import secrets
        state[SESSION_ID_KEY] = secrets.token_hex(16)
    return state[SESSION_ID_KEY]


def host_unlocked() -> bool:
    """Whether this session opened the host pages with the password, less than
    :data:`tutorial.login.UNLOCK_HOURS` hours ago."""
    from tutorial import login
    unlocked_at = _state().get(HOST_KEY)
    return isinstance(unlocked_at, float) and login.unlock_valid(unlocked_at)


def set_host_unlocked(value: bool) -> None:
    """Open the host pages for this session from now on (``True``) or close them (``False``)."""
    import time
    if value:
        _state()[HOST_KEY] = time.time()
    else:
        _state().pop(HOST_KEY, None)


# --- tests -----------------------------------------------------------------------------------------

def test_mode() -> bool:
    return bool(_state().get(TEST_MODE_KEY))
