"""The learner answers before being told: "Ihre Vermutung" above "Trainieren" and "Verständnisfrage"
blocks inside a chapter's text. The questions and the judging are engine data and functions
(:mod:`tutorial.questions`); this module draws them and records the answers (:mod:`tutorial.app.progress`).
"""
from __future__ import annotations

import streamlit as st

from tutorial import questions as Q
from tutorial.app import progress, runlog, state
from tutorial.chapters import Chapter
from tutorial.deutsch import de, general, read_number
from tutorial.questions.model import Question


# --- "Verständnisfrage" --------------------------------------------------------------------------

def questions(chapter: Chapter, place: str) -> None:
    """Draw the chapter's questions for ``place`` (see ``tutorial/questions/chNN.py``)."""
    for question in Q.questions(chapter.key, place):
        _question(question)


def _run_charts(names: tuple[str, ...], zoom: int = 1) -> None:
    """The loss curves of pretrained runs side by side, named "Lauf A", "Lauf B" …"""
    from tutorial.charts import training as curves
    from tutorial.app import loader
    from tutorial.deutsch import general

    if zoom > 1:     # the axis' top exactly (1,2 / 16 = 0,075, not rounded to 0,07)
        st.caption(f"Zoom {zoom}×: Die Achse zeigt den Verlust von 0 bis {general(curves.zoom_limits(zoom)[0][1], 3)}.")

    columns = st.columns(len(names))
    for i, (column, name) in enumerate(zip(columns, names)):
        history = loader.pretrained_history(name)
        column.markdown(f"**Lauf {chr(65 + i)}**")
        if history is None:
            column.warning(loader.missing_message(name))
            continue
        loss, _ = curves.training_charts(history, zoom)
        column.altair_chart(loss, width="stretch")


def _typed_number(text: str):
    """The number the learner typed (German or English notation), with what was read shown below
    the box; None (and a German message) when the box is empty or holds no number."""
    if not text or not text.strip():
        return None
    try:
        value = read_number(text)
    except ValueError as error:
        st.error(str(error), icon=":material/error:")
        return None
    st.caption(f"Gelesen als: {de(value, 0) if value == int(value) else general(value, 6)}")
    return value


@st.fragment
def _question(question: Question) -> None:
    """One question in its own fragment: answering reruns only this block."""
    key = state.answer_key(question.id)
    with st.container(border=True):
        st.markdown("**Verständnisfrage**")
        st.markdown(question.prompt)
        if question.runs:
            _run_charts(question.runs, question.zoom)
        if question.kind == "choice":
            value = st.radio("Ihre Antwort", range(len(question.options)), index=None, key=key,
                             format_func=lambda i: question.options[i].text, label_visibility="collapsed")
        else:
            # a text box read the German way (169.670, 0,5): a number box would read "169.670" as 169
            value = _typed_number(st.text_input("Ihre Antwort (eine Zahl, mit Eingabetaste bestätigen)", key=key,
                                                max_chars=40, placeholder="zum Beispiel 1.234 oder 0,5"))
        if value is None:
            if progress.data()["answers"].get(question.id, {}).get("right"):
                st.caption("Diese Frage haben Sie schon einmal richtig beantwortet.")
            return
        right, feedback = question.check(value)
        if state.answer_is_new(question.id, value):
            first_right = right and not progress.data()["answers"].get(question.id, {}).get("right")
            progress.answered(question.id, value, right)
            if first_right:      # the sidebar's "Ihr Fortschritt" counts it now, not on the next page
                st.rerun(scope="app")
        if right:
            st.success(feedback, icon=":material/check_circle:")
        else:
            st.error(feedback + " Versuchen Sie es noch einmal.", icon=":material/help:")


# --- "Ihre Vermutung" ----------------------------------------------------------------------------

def _guess_key(chapter_key: str, step: str = "") -> str:
    """The widget key of the chapter's guess (the radio before "Vermutung festhalten"), per step."""
    return f"{chapter_key}_{step}_guess" if step else f"{chapter_key}_guess"


def _commit(chapter_key: str, step: str = "") -> None:
    choice = state.widget_value(_guess_key(chapter_key, step))
    if choice is not None:
        progress.set_guess(chapter_key, step, choice=int(choice), skipped=False)


def _skip(chapter_key: str, step: str = "") -> None:
    progress.set_guess(chapter_key, step, choice=None, skipped=True)


def _change(chapter_key: str, step: str = "") -> None:
    progress.set_guess(chapter_key, step, choice=None, skipped=False)
    state.forget_widget(_guess_key(chapter_key, step))


def _hint(chapter_key: str, step: str = "") -> None:
    progress.set_guess(chapter_key, step, hint=True)


def _step(chapter: Chapter, spec) -> str:
    g = Q.guess(chapter.key)
    return g.step_of(spec) if g is not None else ""


def is_open(chapter: Chapter, spec=None) -> bool:
    """True once the learner guessed or chose "Ohne Vermutung weiter" for the step of ``spec`` (or the
    chapter asks nothing)."""
    if Q.guess(chapter.key) is None:
        return True
    current = progress.guess_state(chapter.key, _step(chapter, spec))
    return current["choice"] is not None or current["skipped"]


def revealed(chapter: Chapter) -> bool:
    """True when the page may state the outcome its guess asks about: the chapter asks nothing, the
    learner trains without a guess, or a run of the chapter (live or ready-made) was shown."""
    if Q.guess(chapter.key) is None or progress.guess_state(chapter.key)["skipped"]:
        return True
    return chapter.key in progress.data()["ran"]


def after_guess(chapter: Chapter) -> bool:
    """:func:`is_open`; otherwise a short note in place of questions whose answers quote the run the
    guess is about."""
    if is_open(chapter):
        return True
    st.caption("Die Fragen zu diesem Abschnitt erscheinen, sobald Sie oben in der Übung eine Vermutung "
               "festgehalten oder »Ohne Vermutung weiter« gewählt haben – denn die Antworten nennen Zahlen des "
               "Laufs, nach dem die Vermutung fragt.")
    return False


def after_run(chapter: Chapter) -> bool:
    """:func:`revealed`; otherwise a short note in place of the text that would give the guess away."""
    if revealed(chapter):
        return True
    st.caption("Hier folgt die Auswertung, sobald Sie einen Lauf gesehen haben – vorher würde sie Ihre "
               "Vermutung vorwegnehmen.")
    return False


def step_revealed(chapter: Chapter, step: str) -> bool:
    """:func:`revealed` for one step of a guess asked per step (chapters 7 and 8): that step's guess was
    skipped, or a run of that step (live or ready-made) is in the learner's run log."""
    g = Q.guess(chapter.key)
    if g is None or not g.steps:
        return revealed(chapter)
    if progress.guess_state(chapter.key, step)["skipped"]:
        return True
    return any(run.chapter == chapter.label and g.step_of(run.spec) == step for run in runlog.runs())


def after_step_run(chapter: Chapter, step: str, which: str) -> bool:
    """:func:`after_run` for one step of the chapter's guess (:func:`step_revealed`); ``which`` names the
    step's run in the note ("mit Lernratenabfall")."""
    if step_revealed(chapter, step):
        return True
    st.caption(f"Hier folgt die Auswertung, sobald Sie einen Lauf {which} gesehen haben – vorher würde sie "
               "Ihre Vermutung vorwegnehmen.")
    return False


def comparison_allowed(chapter: Chapter, spec=None) -> bool:
    """"Vergleich mit der Lösung" only after the page's first run or when the learner asked for a hint."""
    if Q.guess(chapter.key) is None:
        return True
    return (progress.guess_state(chapter.key, _step(chapter, spec))["hint"] or chapter.key in progress.data()["ran"]
            or state.selection(chapter.key) is not None)


def guess(chapter: Chapter, spec=None) -> bool:
    """Draw "Ihre Vermutung" (above "Trainieren"); returns :func:`is_open`."""
    g = Q.guess(chapter.key)
    if g is None:
        return True
    key, step = chapter.key, g.step_of(spec)
    current = progress.guess_state(key, step)
    ids = f"{key}_{step}" if step else key      # widget keys per step (the first step keeps the old ones)
    with st.container(border=True):
        st.markdown(f"**Ihre Vermutung – {g.step_name(step)}**" if g.steps else "**Ihre Vermutung**")
        if step:
            st.caption("Neuer Schritt der Übung, neue Vermutung: Ihre Vermutung zum vorigen Schritt bleibt dort "
                       "stehen und wird an dessen Lauf geprüft.")
        st.markdown(g.prompt)
        if current["choice"] is not None:
            st.markdown(f"Sie vermuten: **{g.options[current['choice']]}**. Ob es stimmt, steht nach dem Lauf "
                        "weiter unten im Kasten »Ihre Vermutung – geprüft an diesem Lauf«, unter dem Ergebnis mit "
                        "seinen Kurven und Ziffern.")
            st.button("Vermutung ändern", key=f"{ids}_guess_change", on_click=_change, args=(key, step),
                      icon=":material/edit:")
        elif current["skipped"]:
            st.caption("Sie trainieren ohne Vermutung.")
            st.button("Doch eine Vermutung abgeben", key=f"{ids}_guess_change", on_click=_change, args=(key, step),
                      icon=":material/edit:")
        else:
            st.radio("Ihre Vermutung", range(len(g.options)), index=None, key=_guess_key(key, step),
                     format_func=lambda i: g.options[i], label_visibility="collapsed")
            left, right = st.columns(2)
            left.button("Vermutung festhalten", key=f"{ids}_guess_commit", on_click=_commit, args=(key, step),
                        type="primary", icon=":material/lock:",
                        disabled=state.widget_value(_guess_key(key, step)) is None)
            right.button("Ohne Vermutung weiter", key=f"{ids}_guess_skip", on_click=_skip, args=(key, step),
                         icon=":material/skip_next:")
            st.caption("Das Ergebnis erscheint, sobald Sie eine Vermutung festgehalten oder »Ohne Vermutung "
                       "weiter« gewählt haben.")
        if not comparison_allowed(chapter, spec):
            st.button("Hinweis: meine Wahl mit der Lösung vergleichen", key=f"{ids}_hint", on_click=_hint,
                      args=(key, step), icon=":material/lightbulb:")
    return is_open(chapter, spec)


def verdict(chapter: Chapter, history: dict, spec=None) -> None:
    """Judge the learner's guess against the finished run's own ``history`` (call under the result)."""
    g = Q.guess(chapter.key)
    if g is None or not history:
        return
    step = g.step_of(spec)                  # the guess of the step this run belongs to
    current = progress.guess_state(chapter.key, step)
    if current["choice"] is None:
        return
    result = Q.judge(g, current["choice"], history, spec)
    progress.judged(chapter, g, current["choice"], history, spec, result.correct)
    with st.container(border=True):
        st.markdown("**Ihre Vermutung – geprüft an diesem Lauf**"
                    + (f" ({g.step_name(step)})" if g.steps else ""))
        if not result.decided:
            st.info(result.text_de, icon=":material/help:")
        elif result.correct:
            st.success(result.text_de, icon=":material/check_circle:")
        else:
            st.warning(result.text_de, icon=":material/lightbulb:")
