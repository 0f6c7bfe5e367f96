"""The panel under every exercise: solution, training settings, "Trainieren" / "Fertiges Ergebnis
ansehen", and the result area with the page's last run.

A page builds a :class:`~tutorial.spec.RunSpec` from its widgets and calls
``panel(chapter, spec, …)``; the :class:`~tutorial.chapters.Chapter` gives the session key, the
"Kapitel N" label of the run log and the solution preset. The panel resolves the spec once
(:func:`tutorial.choice.resolve`: buildable?, preset, differences to the solution, parameters) and
hands that :class:`~tutorial.choice.Choice` down; nothing below asks again. Next to "Trainieren" it
shows the run's price (parameters, time on an idle box, :func:`tutorial.price.summary`) and, apart
from it, the expected wait now (:func:`tutorial.app.live.wait_text`); a run above the caps
(:func:`tutorial.price.check`) is refused there with the German reason, before any click. The epoch
box goes up to the chapter's ``max_epochs``. Two places take extra
blocks (e.g. a guess before training, a question after the result): ``before_train`` is drawn right
above the buttons, ``after_result`` right under the result.
"""
from __future__ import annotations

from typing import Callable, Optional, Union

import streamlit as st

from tutorial.charts import training as curves
from tutorial import presets, price
from tutorial import spec as S
from tutorial.app import host, live, loader, progress, quiz, result, runlog, state
from tutorial.app.chrome import number_box
from tutorial.choice import Choice, resolve
from tutorial.app.runlog import Run
from tutorial.app.state import TEST_LIMITS, keep, set_widgets, test_mode
from tutorial.app.views import show_code
from tutorial.chapters import Chapter
from tutorial.deutsch import count, de

MAX_EPOCHS = 30
Hook = Optional[Callable[[S.RunSpec], None]]


def effective_spec(spec: S.RunSpec, epochs: int, quick: bool) -> S.RunSpec:
    """The run that "Trainieren" starts: chosen epochs, quick mode, test mode."""
    spec = spec.with_(epochs=int(epochs))
    if quick or host.room().quick:    # the host's workshop mode: every live training in quick mode
        spec = spec.quick()
    if test_mode():
        spec = spec.with_(**TEST_LIMITS)
    return spec


def _solution(chapter: Chapter, choice: Optional[Choice],
              apply_solution: Union[None, dict, Callable[[], None]], solution_text: str) -> None:
    """The comparison of a buildable ``choice`` with the chapter's solution preset, and the "Lösung" box."""
    solution = presets.PRESETS[chapter.solution]
    if choice is not None and quiz.comparison_allowed(chapter):   # after the first run or when asked for a hint
        if choice.is_solution:
            st.success("Ihre Wahl entspricht der Lösung des Notizbuchs.", icon=":material/check_circle:")
        else:
            st.info("**Vergleich mit der Lösung** – so unterscheidet sich Ihre Wahl:\n\n"
                    + "\n".join(f"- {d.text}" for d in choice.differences), icon=":material/compare_arrows:")
    with st.expander("Lösung", icon=":material/lightbulb:"):
        if solution_text:
            st.markdown(solution_text)
        st.code(solution.model_code(), language="python")
        if apply_solution is not None:
            callback = (lambda: set_widgets(apply_solution)) if isinstance(apply_solution, dict) else apply_solution
            st.button("Lösung übernehmen", key=f"{chapter.key}_solution", on_click=callback,
                      icon=":material/auto_fix_high:")


def panel(chapter: Chapter, spec: Optional[S.RunSpec], *, apply_solution: Union[None, dict, Callable[[], None]] = None,
          solution_text: str = "", zoom: int = 1, before_train: Hook = None, after_result: Hook = None) -> None:
    """The exercise panel of ``chapter`` for the model the learner chose (``spec``; None when the
    choice is impossible and the page has said why). ``apply_solution`` is {widget key: value} or a
    callback that sets the page's widgets to the chapter's solution."""
    key = chapter.key
    choice = resolve(spec, chapter.solution) if spec is not None else None   # the one resolution of the spec
    if choice is not None and not choice.buildable:
        st.error(f"Dieses Modell lässt sich so nicht bauen: {choice.problem}")
        choice = None
    if chapter.solution is not None:
        _solution(chapter, choice, apply_solution, solution_text)

    st.markdown("##### Training")
    left, right = st.columns(2)
    most = chapter.max_epochs or MAX_EPOCHS       # a saved larger value is clamped to it
    default = min(most, spec.epochs if spec is not None else runlog.FULL_EPOCHS)
    epochs = number_box.whole_number("Epochen", 1, most, container=left,   # None (German error) if out of range
                                     key=keep(f"{key}_epochs", default, range(1, most + 1)))
    quick = right.toggle(f"Schnellmodus ({de(S.QUICK_LIMIT)} Ziffern, höchstens {S.QUICK_EPOCHS} Epochen)",
                         key=keep(f"{key}_quick", False),
                         help=f"Wenn es schnell gehen soll: trainiert nur auf den ersten {de(S.QUICK_LIMIT)} "
                              "Trainingsziffern – dafür mit geringerer Genauigkeit.")
    if choice is None or epochs is None:
        if quiz.is_open(chapter):
            result_area(chapter, zoom, after_result=after_result)
        return
    run = choice.for_run(effective_spec(choice.spec, epochs, quick))   # what "Trainieren" starts
    run_spec, preset = run.spec, run.preset
    st.caption(f"{de(run_spec.train_size)} Trainingsziffern in Batches zu {run_spec.batch_size} → "
               f"{de(run_spec.steps_per_epoch)} Schritte pro Epoche, {count(run_spec.epochs, 'Epoche', 'Epochen')}, "
               f"{de(run.params)} Parameter.")
    show_code(run_spec, key)

    # --- blocks above "Trainieren" (e.g. the learner's guess) ---------------------------------
    if before_train is not None:
        before_train(run_spec)
    opened = quiz.guess(chapter, run_spec)   # "Ihre Vermutung": the result area opens once answered

    ready = preset is not None and loader.pretrained_history(preset) is not None
    refusal = price.check(run_spec)          # the host's caps (settings): refused before any click
    b1, b2 = st.columns(2)
    b1.button("Trainieren", key=f"{key}_train", type="primary", icon=":material/play_arrow:",
              on_click=live.start, args=(key, run_spec), width="stretch", disabled=refusal is not None)
    if refusal is not None:
        b1.error(refusal.message, icon=":material/block:")
    elif run.price is not None:
        b1.caption(f"{price.summary(run.price)}. {live.wait_text(run_spec, run.price)}")
    b2.button("Fertiges Ergebnis ansehen", key=f"{key}_pretrained", icon=":material/inventory_2:",
              disabled=not ready, on_click=show_ready, args=(key, preset), width="stretch")
    if preset is None:
        b2.caption("Für genau diese Einstellung gibt es kein fertiges Ergebnis – vorbereitet sind nur die "
                   "Einstellungen aus den Übungen des Codelabs. Trainieren Sie live.")
    elif not ready:
        b2.caption(loader.missing_message(preset))
    else:
        b2.caption(f"Sofort da: {run.preset_title}, {runlog.FULL_EPOCHS} Epochen auf allen Daten.")
    live.show_notice(key)
    if opened:
        result_area(chapter, zoom, run, after_result)


def show_ready(key: str, name: str) -> None:
    """"Fertiges Ergebnis ansehen" (an ``on_click`` callback)."""
    state.set_selection(key, {"kind": "pretrained", "name": name})


def result_area(chapter: Chapter, zoom: int, current: Optional[Choice] = None, after_result: Hook = None) -> None:
    """The page's last run (kept in the session, so it survives leaving the page); ``current`` is the
    run the panel would start now (None: no valid choice)."""
    key = chapter.key
    selection = state.selection(key)
    if selection is None:
        return
    st.markdown("##### Ergebnis")
    if selection["kind"] == "live" and (current is None or selection["spec"] != current.spec):
        st.caption(f"Angezeigt wird Ihr letzter Lauf: {selection['spec'].describe()}")
    elif selection["kind"] == "pretrained" and (current is None or selection["name"] != current.preset):
        st.caption("Angezeigt wird das zuletzt gewählte fertige Ergebnis.")
    # the default zoom shows the run (the page's zoom, or less when its validation curve needs it); a new
    # default (another run, or the first epochs arrived) starts a new widget with that default
    shown_id = selection["spec"].key if selection["kind"] == "live" else selection["name"]
    known = _known_history(selection, running=True)
    default = curves.fitting_zoom(known, zoom) if known else zoom
    zoom = st.radio("Zoom der Kurven", curves.ZOOMS, horizontal=True, format_func=lambda z: f"{z}×",
                    key=keep(f"{key}_zoom_{shown_id}_{default}", default, curves.ZOOMS),
                    help="Wie PlotTraining(zoom=…) im Notizbuch: vergrößert den Bereich nahe Verlust 0 und Genauigkeit 100 %.")
    from tutorial import data
    try:
        shown = _show_selection(chapter, selection, zoom)
    except data.DataError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    if shown is None:
        return
    progress.trained(chapter, shown)                   # a finished run of the chapter (the room counts it)
    quiz.verdict(chapter, shown.history, shown.spec)   # the guess judged against this run
    # --- blocks under the result (e.g. a question about it) --------------------------------------
    if after_result is not None:
        after_result(shown.spec)


def _known_history(selection: dict, running: bool = False) -> Optional[dict]:
    """The history of the selected run when it is finished (None while it waits or trains); with
    ``running`` also the epochs a training run has finished so far."""
    if selection["kind"] == "pretrained":
        return loader.pretrained_history(selection["name"])
    job = loader.trainer().get(selection["spec"])
    if job is not None and job.state == "done" and job.result is not None:
        return job.result.history
    epochs = job.snapshot()["epochs"] if running and job is not None and not job.done else []
    return {"epochs": epochs} if epochs else None


def _show_selection(chapter: Chapter, selection: dict, zoom: int) -> Optional[Run]:
    """Draw the selected run; returns it when a finished result is shown."""
    if selection["kind"] == "pretrained":
        name = selection["name"]
        history = loader.pretrained_history(name)
        model = loader.pretrained_model(name) if history is not None else None
        if model is None:
            if history is None:
                st.warning(loader.missing_message(name))
            return None
        spec = presets.PRESETS[name]
        st.caption(f"Fertiges Ergebnis: {presets.PRESET_TITLES.get(name, name)} – trainiert mit {spec.epochs} Epochen "
                   f"auf allen {de(S.TRAIN_SIZE)} Trainingsziffern.")
        run = Run("fertig:" + name, chapter.label, runlog.READY, spec, history, history.get("seconds"))
        result.show(run, lambda: model, zoom, status=history.get("status", "done"))
        return run
    job = live.finished_job(chapter.key, selection, zoom)
    if job is None:
        return None
    spec, res = selection["spec"], job.result
    run = Run("live:" + spec.key, chapter.label, runlog.LIVE, spec, res.history, res.seconds)
    result.show(run, lambda: res.model, zoom, status=res.status, message=res.message, predictions=res.predictions,
                font_predictions=res.font_predictions, summary=res.summary)
    return run


def last_history(chapter: Chapter) -> Optional[dict]:
    """History of the page's last finished run (None if there is none)."""
    selection = state.selection(chapter.key)
    return _known_history(selection) if selection else None
