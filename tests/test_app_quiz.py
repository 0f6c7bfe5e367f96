"""The app layer of guess & check, progress and identity (tutorial/app/quiz.py, progress.py, identity.py)
on real pages through Streamlit's AppTest, with the progress store (a SQLite file per test run).

AppTest cannot send cookies, so a test plays the browser through ``identity.browser_cookie`` (what
``st.context.cookies`` gives a real session): ``Browser`` holds one cookie jar; every new AppTest
session of that browser starts with its cookie, and the script the page sends to write the cookie is
read back from the page (``at.html``)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest

from tutorial import pretrained
from tutorial import questions as Q
from tutorial import presets
from tutorial.app import identity, progress, records, storage
from tutorial.chapters import by_number
from tutorial.deutsch import de
from tutorial.paths import ROOT
from tutorial.store import schema as T
from tutorial.store import transfer
from tutorial.store.errors import TooLarge, Unavailable
from tutorial.store.limits import token_hash

pytestmark = pytest.mark.app

CH01 = by_number(1).file
CH04 = by_number(4).file
CH07 = by_number(7).file
WRITTEN = re.compile(r"\.apply\(null, \[\"tutorial_lernende\", \"([A-Za-z0-9_-]+)\"")


class Browser:
    """One browser: its cookie jar (the learner token a new session brings along)."""

    def __init__(self, cookie: str | None = None):
        self.cookie = cookie

    def open(self, path: str, **params) -> AppTest:
        """A new session (a page load or a reload) of ``path`` in this browser; the cookie the page
        writes is kept, as a browser would."""
        at = AppTest.from_file(str(ROOT / path), default_timeout=120)
        for name, value in params.items():
            at.query_params[name] = value
        at._browser = self
        return self.run(at)

    def run(self, at: AppTest) -> AppTest:
        _current["cookie"] = self.cookie
        at.run()
        self.seen(at)
        return at

    def seen(self, at: AppTest) -> str | None:
        """Keep the cookie the page's script writes (after any run of ``at``); returns the jar's cookie."""
        for element in at.html:
            found = WRITTEN.search(element.value)
            if found:
                self.cookie = found.group(1)
        return self.cookie


_current: dict = {"cookie": None}


@pytest.fixture(autouse=True)
def cookies(monkeypatch):
    monkeypatch.setattr(identity, "browser_cookie", lambda: _current["cookie"])


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def token_of(at: AppTest) -> str:
    return at.session_state["_learner_token"]


def stored(token: str):
    return storage.store().load(token)


def toasts(at: AppTest) -> str:
    return " ".join(t.value for t in at.toast)


# --- "Verständnisfrage" ----------------------------------------------------------------------------

@pytest.mark.slow   # seconds of work: not in the fast loop
def test_questions_give_feedback_only_after_an_answer_and_allow_a_retry():
    browser = Browser()
    at = browser.open(CH04)
    assert not at.exception
    assert texts(at, "markdown").count("**Verständnisfrage**") == len(Q.chapter_questions("ch04"))
    feedback = {o.feedback for q in Q.chapter_questions("ch04") for o in q.options}
    shown = " ".join(texts(at, "success") + texts(at, "error"))
    assert not any(f in shown for f in feedback), "an answer is visible before the first try"

    dense = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.dense_params")
    at.text_input(key="quiz_ch04.dense_params").input("156.800").run()          # German thousands dot
    assert any(dense.typical[0][1] in e for e in texts(at, "error"))
    at.text_input(key="quiz_ch04.dense_params").input(de(dense.answer)).run()
    assert any(dense.right in s for s in texts(at, "success"))

    softmax = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.softmax_shift")
    at.radio(key="quiz_ch04.softmax_shift").set_value(0).run()
    assert any(softmax.options[0].feedback in e for e in texts(at, "error"))
    right = next(i for i, o in enumerate(softmax.options) if o.correct)
    at.radio(key="quiz_ch04.softmax_shift").set_value(right).run()
    assert any(softmax.options[right].feedback in s for s in texts(at, "success"))
    assert not at.exception

    saved = stored(token_of(at))
    again = browser.open(CH04)                # a reload: the questions answered right say so
    assert token_of(again) == token_of(at)
    assert sum("schon einmal richtig beantwortet" in c for c in texts(again, "caption")) == 2
    assert saved.answers["ch04.dense_params"] == {"tries": 2, "right": True, "first": False,
                                                  "option": format(float(dense.answer), ".10g")}
    assert saved.answers["ch04.softmax_shift"] == {"tries": 2, "right": True, "first": False, "option": str(right)}
    assert "ch04" in saved.visited


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_sidebar_progress_counts_an_answer_at_once():
    """Issue 22 §5: "Ihr Fortschritt" counted answers only on the next page (the question's fragment
    did not redraw the sidebar)."""
    at = Browser().open(CH04)
    total = len(Q.chapter_questions("ch04"))
    assert f"Kapitel 4: 0 von {total} Fragen richtig" in [c.value for c in at.sidebar.caption]
    softmax = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.softmax_shift")
    right = next(i for i, o in enumerate(softmax.options) if o.correct)
    at.radio(key="quiz_ch04.softmax_shift").set_value(right).run()
    assert not at.exception
    assert f"Kapitel 4: 1 von {total} Fragen richtig" in [c.value for c in at.sidebar.caption]
    assert any("Verständnisfragen richtig: 1 von" in p.text for p in at.sidebar.get("progress"))
    assert any(softmax.options[right].feedback in s for s in texts(at, "success"))   # the feedback stays
    assert len([c for c in at.sidebar.caption if c.value.startswith("Kapitel 4:")]) == 1   # one box, redrawn


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_number_typed_the_german_way_is_read_and_said():
    """Issue 22 §5: "169.670" (as the app writes it) became 169 in a number box."""
    at = Browser().open(CH04)
    dense = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.dense_params")
    at.text_input(key="quiz_ch04.dense_params").input(de(dense.answer)).run()
    assert any(dense.right in s for s in texts(at, "success"))
    assert f"Gelesen als: {de(dense.answer)}" in texts(at, "caption")
    at.text_input(key="quiz_ch04.dense_params").input("hundert").run()
    assert any("»hundert« ist keine Zahl" in e for e in texts(at, "error")) and not at.exception


@pytest.mark.slow   # seconds of work: not in the fast loop
@pytest.mark.parametrize("number", [3, 4, 5, 6, 7, 8])
def test_every_question_of_chapters_3_to_8_renders_and_judges_on_its_page(number):
    """Issue 22 §3: the computed and predicted questions on their real pages – every wrong option and
    typical wrong number shows its own feedback, the right answer (numbers typed the German way, with a
    real minus) its praise; chart questions draw their runs."""
    entry = by_number(number)
    at = Browser().open(entry.file)
    assert not at.exception
    skip = [b for b in at.button if b.key == f"{entry.key}_guess_skip"]
    if skip:                          # questions that would answer the guess appear only after it
        skip[0].click().run()
    if number == 8:                   # chapter 8 asks per step: step 2 (Lernratenabfall) too
        at.toggle(key=f"{entry.key}_decay_on").set_value(True).run()
        at.button(key=f"{entry.key}_abklingen_guess_skip").click().run()
    for question in Q.chapter_questions(f"ch{number:02d}"):
        key = f"quiz_{question.id}"
        if question.kind == "choice":
            for i, option in enumerate(question.options):
                at.radio(key=key).set_value(i).run()
                shown = texts(at, "success" if option.correct else "error")
                assert any(option.feedback in s for s in shown), (question.id, i)
        else:
            for wrong, feedback in question.typical:
                at.text_input(key=key).input(de(wrong, 1).replace("-", "−")).run()
                assert any(feedback in e for e in texts(at, "error")), (question.id, wrong)
            at.text_input(key=key).input(de(question.answer).replace("-", "−")).run()
            assert any(question.right in s for s in texts(at, "success")), question.id
        assert not at.exception, question.id
    charted = [q for q in Q.chapter_questions(f"ch{number:02d}") if q.runs]
    assert len(at.get("vega_lite_chart")) >= sum(len(q.runs) for q in charted)


# --- progress, identity and reload ---------------------------------------------------------------

@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_new_browser_gets_a_fresh_token_and_the_page_writes_the_cookie():
    browser = Browser()
    at = browser.open(CH07)
    assert not at.exception
    token = token_of(at)
    assert browser.cookie == token and len(token) == 32           # secrets.token_urlsafe(24)
    assert not at.query_params                                     # the address carries no identity
    again = browser.open(CH07)                                     # the cookie is there: no script any more
    assert token_of(again) == token and not [h for h in again.html if WRITTEN.search(h.value)]
    other = Browser().open(CH07)                                   # another browser: another learner
    assert token_of(other) != token


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_progress_and_settings_survive_a_reload_at_the_plain_address():
    browser = Browser()
    at = browser.open(CH07)
    at.radio(key="ch07_activation").set_value("relu").run()
    at.button(key="ch07_guess_skip").click().run()
    assert not at.exception

    again = browser.open(CH07)               # a reload: new session, same cookie
    assert not again.exception
    assert again.radio(key="ch07_activation").value == "relu"
    assert any("Kapitel besucht: 1 von" in p.text for p in again.sidebar.get("progress"))
    assert "Kapitel 7: Übung noch nicht trainiert · 0 von 3 Fragen richtig" in [c.value for c in again.sidebar.caption]
    assert again.button(key="ch07_guess_change")     # the guess choice ("Ohne Vermutung weiter") was kept

    other = Browser().open(CH07)             # another learner sees nothing of it
    assert other.radio(key="ch07_activation").value == "sigmoid"


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_two_tabs_of_one_learner_add_up_instead_of_overwriting():
    browser = Browser()
    first = browser.open(CH04)
    tab1, tab2 = browser.open(CH04), browser.open(CH07)            # two tabs, both open at once
    dense = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.dense_params")
    tab1.text_input(key="quiz_ch04.dense_params").input(de(dense.answer)).run()
    tab2.radio(key="ch07_activation").set_value("relu").run()
    tab1.radio(key="quiz_ch04.softmax_shift").set_value(0).run()         # tab 1 writes again after tab 2
    assert not tab1.exception and not tab2.exception
    state = stored(token_of(first))
    assert set(state.answers) == {"ch04.dense_params", "ch04.softmax_shift"} and state.widgets["ch07_activation"] == "relu"
    again = browser.open(CH07)
    assert again.radio(key="ch07_activation").value == "relu"
    assert any("Verständnisfragen richtig: 1 von" in p.text for p in again.sidebar.get("progress"))


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_start_page_table_privacy_note_reset_and_forget():
    browser = Browser()
    at = browser.open(CH01)
    assert not at.exception
    assert "Ihr Fortschritt" in texts(at, "header")
    assert any("Was gespeichert wird" in c and "90 Tage" in c for c in texts(at, "caption"))
    table = at.dataframe[0].value
    assert len(table) == 16 and list(table.columns)[:2] == ["Kapitel", "Besucht"]
    assert table.iloc[0]["Besucht"] == "ja" and table.iloc[1]["Besucht"] == "–"
    ch04 = browser.open(CH04)
    cross_entropy = next(q for q in Q.chapter_questions("ch04") if q.id == "ch04.cross_entropy")
    ch04.radio(key="quiz_ch04.cross_entropy").set_value(next(i for i, o in enumerate(cross_entropy.options)
                                                           if o.correct)).run()
    ch04.radio(key="quiz_ch04.softmax_shift").set_value(0).run()
    at = browser.open(CH01)
    token = token_of(at)
    table = at.dataframe[0].value
    assert table.iloc[3]["Verständnisfragen richtig"] == f"1 von {len(Q.chapter_questions('ch04'))}"

    at.button(key="progress_reset").click().run()              # reset: progress gone, the room keeps the answers
    table = at.dataframe[0].value
    assert table.iloc[3]["Verständnisfragen richtig"].startswith("0 von") and table.iloc[3]["Besucht"] == "–"
    assert storage.store().exists(token) and stored(token).answers == {}
    with storage.store().engine.connect() as conn:
        kept = conn.execute(select(func.count()).select_from(T.answers).join(
            T.learners, T.learners.c.id == T.answers.c.learner_id).where(T.learners.c.token_hash == token_hash(token))).scalar()
    assert kept == 2

    at.button(key="progress_forget").click().run()             # forget: nothing left, a new learner in this browser
    assert not at.exception and "gelöscht" in toasts(at)
    assert not storage.store().exists(token)
    assert token_of(at) != token and browser.seen(at) == token_of(at)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_das_bin_nicht_ich_starts_a_fresh_learner_and_keeps_the_old_progress_stored():
    browser = Browser()
    at = browser.open(CH07)
    at.radio(key="ch07_activation").set_value("relu").run()
    old = token_of(at)
    start = browser.open(CH01)
    start.button(key="identity_fresh").click().run()
    assert not start.exception and token_of(start) != old and browser.seen(start) == token_of(start)
    again = browser.open(CH07)
    assert again.radio(key="ch07_activation").value == "sigmoid"            # fresh
    assert stored(old).widgets["ch07_activation"] == "relu"                 # the old learner is untouched


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_refused_write_shows_its_german_message_and_the_session_keeps_the_value():
    browser = Browser()
    at = AppTest.from_file(str(ROOT / CH07), default_timeout=120)
    at.session_state["_keep_ch07_notiz"] = "x" * 10_000                 # larger than a widget value may be
    browser.run(at)
    assert not at.exception
    assert TooLarge.message_de in toasts(at)
    assert at.session_state["_keep_ch07_notiz"] == "x" * 10_000        # kept for this visit
    assert "ch07_notiz" not in stored(token_of(at)).widgets
    at.radio(key="ch07_activation").set_value("relu").run()            # other values are still stored
    assert stored(token_of(at)).widgets["ch07_activation"] == "relu"


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_an_unreachable_store_leaves_the_page_working_with_a_german_message(monkeypatch):
    def down():
        raise Unavailable("test")

    monkeypatch.setattr(storage, "store", down)
    at = Browser().open(CH07)
    assert not at.exception
    assert Unavailable.message_de in toasts(at)
    at.radio(key="ch07_activation").set_value("relu").run()
    assert not at.exception and at.radio(key="ch07_activation").value == "relu"


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_damaged_record_is_set_aside_and_the_learner_told_once():
    browser = Browser()
    at = browser.open(CH07)
    at.radio(key="ch07_activation").set_value("relu").run()
    token = token_of(at)
    with storage.store().engine.begin() as conn:
        conn.execute(text("UPDATE settings SET value = '{kaputt' WHERE key = 'ch07_activation'"))
    again = browser.open(CH07)
    assert not again.exception and progress.DAMAGED in toasts(again)
    assert again.radio(key="ch07_activation").value == "sigmoid"
    third = browser.open(CH07)
    assert progress.DAMAGED not in toasts(third)
    assert storage.store().totals()["quarantine"] >= 1 and token_of(third) == token


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_an_old_link_is_not_adopted_but_its_progress_can_be_copied():
    host = Browser()
    at = host.open(CH07)
    at.radio(key="ch07_activation").set_value("relu").run()
    old = token_of(at)
    learner = Browser()
    page = learner.open(CH07, lernende=old)                 # e.g. the host pasted their old link in the chat
    assert not page.exception
    assert token_of(page) != old and not page.query_params
    assert page.radio(key="ch07_activation").value == "sigmoid"
    page.button(key="identity_old_copy").click().run()
    assert not page.exception and "übernommen" in toasts(page)
    assert token_of(page) != old
    assert learner.open(CH07).radio(key="ch07_activation").value == "relu"
    assert stored(old).widgets["ch07_activation"] == "relu"          # the old learner is untouched
    bad = Browser().open(CH04, lernende="../../etc/passwd")
    assert not bad.exception and "ungültig" in toasts(bad) and not bad.query_params


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_another_device_with_a_one_time_code_typed_or_as_a_link(monkeypatch):
    laptop = Browser()
    at = laptop.open(CH07)
    at.radio(key="ch07_activation").set_value("relu").run()
    start = laptop.open(CH01)
    start.button(key="identity_issue").click().run()
    shown = " ".join(texts(start, "markdown"))
    code = re.search(r"Ihr Code: \*\*([A-Z0-9-]+)\*\*", shown).group(1)
    assert len(code.replace("-", "")) == transfer.CODE_LENGTH
    assert any("niemanden weiter" in w for w in texts(start, "warning"))
    assert any("?weiter=" + code.replace("-", "") in c.value for c in start.code)

    phone = Browser()
    first = phone.open(CH01)
    first.text_input(key="identity_code").set_value(code.lower()).run()
    first.button(key="identity_redeem").click().run()
    assert not first.exception and token_of(first) == token_of(start) == phone.seen(first)
    assert phone.open(CH07).radio(key="ch07_activation").value == "relu"

    tablet = Browser()                                           # the code was used once
    used = tablet.open(CH07, weiter=code)
    assert token_of(used) != token_of(start) and identity.CODE_WRONG in toasts(used) and not used.query_params
    start.button(key="identity_issue").click().run()             # a new code, as a link
    code = re.search(r"Ihr Code: \*\*([A-Z0-9-]+)\*\*", " ".join(texts(start, "markdown"))).group(1)
    linked = tablet.open(CH07, weiter=code)
    assert token_of(linked) == token_of(start) and not linked.query_params
    assert linked.radio(key="ch07_activation").value == "relu"


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_guessing_codes_is_slowed_down():
    guesser = Browser()
    at = guesser.open(CH01)
    for _ in range(storage.limiter().free + 2):      # the free tries, one that starts the back-off, one refused
        at.text_input(key="identity_code").set_value("ABCD-EFGH-JKLM").run()
        at.button(key="identity_redeem").click().run()
    assert "Zu viele falsche Codes" in toasts(at)


# --- "Ihre Vermutung" -------------------------------------------------------------------------------

@pytest.mark.slow   # seconds of work: not in the fast loop
def test_guess_gates_the_result_hint_shows_comparison_and_verdict_uses_the_run():
    assert "ex_06_sigmoid" in pretrained.available(), "the pretrained runs are part of the repository"
    at = Browser().open(CH07)
    assert any(t.startswith("**Ihre Vermutung") for t in texts(at, "markdown"))
    assert not any("Vergleich mit der Lösung" in t for t in texts(at, "info"))
    at.button(key="ch07_hint").click().run()
    assert any("Vergleich mit der Lösung" in t for t in texts(at, "info"))

    at.button(key="ch07_pretrained").click().run()          # defaults = ex_06_sigmoid
    assert "##### Ergebnis" not in texts(at, "markdown")    # collapsed until the learner guessed
    at.radio(key="ch07_guess").set_value(0).run()            # "Unter 90 %"
    at.button(key="ch07_guess_commit").click().run()
    assert not at.exception
    assert "##### Ergebnis" in texts(at, "markdown")
    accuracy = pretrained.load_history("ex_06_sigmoid")["epochs"][-1]["val_accuracy"]
    number = f"{100 * accuracy:.2f}".replace(".", ",") + " %"
    assert any("Richtig vermutet" in s and number in s for s in texts(at, "success"))

    at.button(key="ch07_guess_change").click().run()
    at.radio(key="ch07_guess").set_value(2).run()
    at.button(key="ch07_guess_commit").click().run()
    assert any("Diesmal nicht" in w and number in w for w in texts(at, "warning"))
    state = stored(token_of(at))
    assert "ch07" in state.ran and state.guesses[("ch07", "")]["choice"] == 2
    with storage.store().engine.connect() as conn:      # what the room counts: both guesses, both verdicts
        events = conn.execute(select(T.guess_events.c.kind, T.guess_events.c.choice, T.guess_events.c.correct)
                              .join(T.learners, T.learners.c.id == T.guess_events.c.learner_id)
                              .where(T.learners.c.token_hash == token_hash(token_of(at)))
                              .order_by(T.guess_events.c.id)).all()
        trainings = conn.execute(select(T.trainings.c.kind).join(T.learners, T.learners.c.id == T.trainings.c.learner_id)
                                 .where(T.learners.c.token_hash == token_hash(token_of(at)))).scalars().all()
    assert [tuple(e) for e in events] == [("guess", 0, None), ("verdict", 0, True), ("guess", 2, None),
                                          ("verdict", 2, False)]
    assert trainings == ["fertig"]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_two_step_exercise_asks_again_for_its_second_step():
    """Issue 22 §5: chapter 7's first guess was silently reused for step 2 (Adam) and judged against it."""
    at = Browser().open(CH07)
    at.radio(key="ch07_activation").set_value("relu").run()
    at.radio(key="ch07_guess").set_value(1).run()             # step 1 (relu, SGD): "Zwischen 90 % und 96 %"
    at.button(key="ch07_guess_commit").click().run()
    at.radio(key="ch07_optimizer").set_value("adam").run()    # step 2: a new guess is asked for
    assert not at.exception
    assert any("Schritt 2: Adam statt SGD" in t for t in texts(at, "markdown"))
    assert at.radio(key="ch07_adam_guess").value is None and "##### Ergebnis" not in texts(at, "markdown")
    at.radio(key="ch07_adam_guess").set_value(2).run()        # "Über 96 %"
    at.button(key="ch07_adam_guess_commit").click().run()
    at.button(key="ch07_pretrained").click().run()            # relu + Adam = keras_02: 97,60 %
    assert not at.exception
    assert any("Richtig vermutet" in s and "relu, Adam" in s for s in texts(at, "success"))
    guesses = stored(token_of(at)).guesses
    assert guesses[("ch07", "")]["choice"] == 1 and guesses[("ch07", "adam")]["choice"] == 2
    at.radio(key="ch07_optimizer").set_value("sgd").run()     # back at step 1: its own guess is still there
    assert any("Sie vermuten: **Zwischen 90 % und 96 %**" in t for t in texts(at, "markdown"))


# --- what the store records --------------------------------------------------------------------------

@pytest.mark.slow   # seconds of work: not in the fast loop
def test_long_run_log_is_stored_and_restored_older_runs_without_batch_curves():
    from tutorial.app import runlog, state

    spec = presets.PRESETS["keras_01_mnist"].with_(limit=300, epochs=1, val_limit=500)
    history = {"epochs": [{"epoch": 1, "loss": 1.0, "accuracy": 0.7, "val_loss": 0.9, "val_accuracy": 0.75}],
               "batches": [{"step": 10, "epoch": 0.5, "loss": 1.5, "accuracy": 0.5}]}
    runs = [runlog.Run(f"live:{i}", "Kapitel 3", runlog.LIVE, spec.with_(seed=i), history, 1.0, errors=100, n_val=500,
                       number=i + 1) for i in range(progress.FULL_RUNS + 2)]
    browser = Browser()
    at = AppTest.from_file(str(ROOT / CH04), default_timeout=120)
    at.session_state[state.LOG_KEY] = runs
    browser.run(at)
    assert not at.exception
    log = [entry for _, entry in stored(token_of(at)).log]
    assert [item["number"] for item in log] == list(range(1, progress.FULL_RUNS + 3))
    assert [bool(item["history"]["batches"]) for item in log] == [False, False] + [True] * progress.FULL_RUNS

    again = browser.open(CH04)
    restored = again.session_state[state.LOG_KEY]
    assert [r.id for r in restored] == [r.id for r in runs]
    assert restored[-1].spec == runs[-1].spec and restored[-1].history == history and restored[0].errors == 100


def test_selections_and_histories_convert_to_plain_data_and_back():
    live = {"kind": "live", "spec": presets.PRESETS["ex_06_sigmoid"], "cancelled": False}
    assert records.selection_from_data(records.selection_to_data(live)) == live
    assert records.selection_from_data({"kind": "pretrained", "name": "gibt_es_nicht"}) is None
    assert records.selection_from_data({"kind": "live", "spec": {"layers": [{"type": "os"}]}}) is None
    history = {"epochs": [{"epoch": 1, "loss": float("nan"), "val_loss": 1.0}], "batches": []}
    back = records.restore_history(records.clean_history(history))
    assert back["epochs"][0]["val_loss"] == 1.0 and back["epochs"][0]["loss"] != back["epochs"][0]["loss"]


@pytest.mark.slow   # a whole page through AppTest
def test_zoomed_run_charts_name_the_axis_top_exactly():
    """Chapter 15's chart question draws two runs at zoom 16×: the caption names the axis' top as the
    chart draws it (1,2 / 16 = 0,075), not rounded to two places (0,07)."""
    at = AppTest.from_file("../kapitel/abschluss/15_zusammenfassung.py", default_timeout=120).run()
    assert not at.exception
    assert "Zoom 16×: Die Achse zeigt den Verlust von 0 bis 0,075." in [c.value for c in at.caption]
