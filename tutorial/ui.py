"""The Streamlit layer of the engine: cached training jobs, pretrained models and the exercise panel.

Every exercise page builds a :class:`~tutorial.spec.RunSpec` from its widgets and hands it to
:func:`exercise`, which adds the code toggle, the solution, the comparison with the solution,
epochs and quick mode, "Trainieren" (live) and "Fertiges Ergebnis ansehen" (pretrained), the live
progress and curves, and after the run the model summary, the predictions and the run log entry.

TensorFlow is imported only when a model is really needed (``tutorial.models`` inside functions,
behind a spinner); importing this module stays cheap.
"""
from __future__ import annotations

import time
from typing import Callable, Optional, Union

import numpy as np
import streamlit as st

from tutorial import charts, pretrained
from tutorial import spec as S
from tutorial.deutsch import count, de, percent  # noqa: F401  (pages also use ui.de and ui.percent)
from tutorial.jobs import Job, Trainer

TEST_MODE_KEY = "tutorial_test_mode"   # session switch used by the tests: tiny, fast runs
TEST_LIMITS = {"limit": 300, "epochs": 1, "val_limit": 500}
LOG_KEY = "versuchsprotokoll"
LIVE_EVERY = 1.5          # seconds between two redraws of a running training
FONT_DIGITS = 24
VAL_DIGITS = 168
MAX_EPOCHS = 30
# finished live runs the server keeps (model ≈ 10 MB each in memory); older ones are trained again on request
KEPT_RUNS = 24

PRETRAINED_MISSING = ("Das fertige Ergebnis für diese Einstellung ist noch nicht vorhanden. Es wird mit "
                      "»python -m tutorial pretrain« erzeugt; bis dahin können Sie live trainieren.")


# --- keep Keras' global state across script runs -----------------------------------------------

def _keep_keras_state() -> None:
    """Stop Streamlit from calling ``keras.backend.clear_session()`` after every script run.

    Streamlit does that to free models a script built. Here models live longer than a script run
    (cached pretrained models, finished runs loaded by the trainer's worker thread, or trained in
    this process when a Trainer is given ``tutorial.training.train``), and ``clear_session``
    replaces Keras' global state for *all* threads: a rerun in any session while another thread
    builds a model resets its layer-name counters and scopes ("All layers added to a Sequential
    model should have unique names"). The matplotlib part of Streamlit's clean-up is kept.
    """
    import sys

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


_keep_keras_state()


# --- small helpers ------------------------------------------------------------------------------



def duration(seconds: Optional[float]) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "–"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


def state(key: str, default):
    """Key for a widget whose value survives leaving the page.

    Streamlit forgets a widget's value when the widget is not drawn in a run (e.g. on another
    page). The value is mirrored in a plain session key and restored from there.
    """
    keep = "_keep_" + key
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(keep, default)
    st.session_state[keep] = st.session_state[key]
    return key


def set_widgets(values: dict) -> None:
    """Set widget values (use as an ``on_click`` callback, which runs before the widgets)."""
    for key, value in values.items():
        st.session_state[key] = value
        st.session_state["_keep_" + key] = value


def test_mode() -> bool:
    return bool(st.session_state.get(TEST_MODE_KEY))


# --- cached engine objects ----------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def trainer() -> Trainer:
    """One trainer (queue + worker thread) per server process, shared by all sessions."""
    return Trainer(max_jobs=KEPT_RUNS)


@st.cache_resource(max_entries=KEPT_RUNS, show_spinner=False)
def training_job(spec: S.RunSpec) -> Job:
    """The one job for ``spec`` (queued, running or finished), shared by all sessions."""
    return trainer().submit(spec)


def retry(spec: S.RunSpec) -> None:
    """Enqueue a failed run again."""
    trainer().submit(spec)
    training_job.clear()


def queue_position(job: Job) -> int:
    """1 if ``job`` is next in line, 2 if one run waits before it, … (0: running or finished)."""
    return trainer().position(job) if job.state == "queued" else 0


@st.cache_resource(max_entries=8, show_spinner=False)
def pretrained_model(name: str):
    return pretrained.load_model(name)


@st.cache_data(max_entries=16, show_spinner=False)
def pretrained_history(name: str) -> dict:
    return pretrained.load_history(name)


@st.cache_resource(max_entries=32, show_spinner=False)
def evaluation(ident: str, _model, n_val: int = S.TEST_SIZE) -> dict:
    """Predictions of a model for the font digits and the first ``n_val`` test digits.

    Cached per run (``ident``): the 168 shown validation digits (misrecognised ones first) and
    the number of errors.
    """
    from tutorial import data, fonts, models

    images, labels = data.load_arrays("test")
    images, labels = images[:n_val], labels[:n_val]
    predicted = models.predict_proba(_model, data.to_model_input(images)).argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    right = np.flatnonzero(predicted == labels)
    order = np.concatenate([wrong, right])[:VAL_DIGITS]
    font_images, font_labels = fonts.font_digits(FONT_DIGITS)
    font_predicted = models.predict_proba(_model, data.to_model_input(font_images)).argmax(axis=1)
    return {"n": int(n_val), "errors": int(len(wrong)), "val_index": order, "val_predicted": predicted[order],
            "font_predicted": font_predicted, "font_labels": font_labels}


def preset_result(name: str) -> Optional[dict]:
    """Test accuracy and error count of a pretrained run (from its stored history, no TensorFlow)."""
    if name not in pretrained.available():
        return None
    accuracy = pretrained_history(name).get("test_accuracy")
    if accuracy is None:
        return None
    return {"accuracy": accuracy, "errors": round((1 - accuracy) * S.TEST_SIZE)}


def preset_note(*names: str) -> None:
    """A caption with the test accuracy of pretrained runs, so the text's numbers can be checked."""
    parts = [f"{S.PRESET_TITLES[n]}: {percent(r['accuracy'])} ({de(r['errors'])} Fehler)"
             for n in names if (r := preset_result(n))]
    if parts:
        st.caption("Zum Vergleich die fertigen Läufe dieser App auf den 10.000 Testziffern – " + "; ".join(parts) + ".")


# --- run log ("Versuchsprotokoll") ----------------------------------------------------------------

def run_log() -> list[dict]:
    return st.session_state.setdefault(LOG_KEY, [])


def best_accuracy(history: dict) -> Optional[float]:
    values = [e["val_accuracy"] for e in history.get("epochs", []) if np.isfinite(e["val_accuracy"])]
    return max(values) if values else None


def log_run(ident: str, chapter: str, kind: str, spec: S.RunSpec, history: dict, seconds: Optional[float],
            errors: Optional[int] = None, n_val: Optional[int] = None) -> None:
    """Add a finished run to the session's run log, once."""
    log = run_log()
    if any(entry["id"] == ident for entry in log):
        return
    best = best_accuracy(history)
    log.append({
        "id": ident, "Nr": len(log) + 1, "Kapitel": chapter, "Art": kind,
        "Einstellungen": spec.describe(), "Parameter": S.param_count(spec),
        "Beste Val.-Genauigkeit (%)": None if best is None else round(100 * best, 2),
        "Fehler": None if errors is None else f"{errors} von {de(n_val)}",
        "Dauer (s)": None if seconds is None else round(float(seconds), 1),
        "Uhrzeit": time.strftime("%H:%M:%S"), "history": history, "spec": spec,
    })


def session_models() -> dict[str, object]:
    """The Keras models this session trained live and that the shared trainer still holds,
    as menu label ("Ihr Lauf Nr. 3 · Kapitel …") -> model (for the drawing page)."""
    models = {}
    for entry in run_log():
        if not str(entry["id"]).startswith("live:") or entry.get("spec") is None:
            continue
        job = trainer().get(entry["spec"])
        result = job.result if job is not None and job.done else None
        if result is None or result.model is None or result.status == "nan":
            continue
        models[f"Ihr Lauf Nr. {entry['Nr']} · {entry['Kapitel'] or 'live'}"] = result.model
    return models


# --- drawing --------------------------------------------------------------------------------------

def show_code(spec: S.RunSpec, key: str, label: str = "Code anzeigen") -> None:
    """A toggle that shows the Keras code for ``spec`` (the engine's own code rendering)."""
    if st.toggle(label, key=state(f"{key}_code", False)):
        st.code(spec.to_code(), language="python")


def show_digits(images, labels, wrong=None, caption: Optional[str] = None, columns: int = 24) -> None:
    st.image(charts.digit_grid(images, labels, wrong, columns=columns), caption=caption, width="stretch",
             output_format="PNG")


def show_curves(history: dict, zoom: float = 1) -> None:
    loss, acc = charts.training_charts(history, zoom)
    left, right = st.columns(2)
    left.altair_chart(loss, width="stretch")
    right.altair_chart(acc, width="stretch")


def show_lr_schedule(spec: S.RunSpec) -> None:
    st.altair_chart(charts.lr_chart(spec), width="stretch")


def show_layer_table(spec: S.RunSpec) -> bool:
    """Output shape and parameters of every layer, computed without TensorFlow.

    Returns False (after a German error message) when the stack cannot work.
    """
    try:
        rows = S.layer_table(spec)
    except ValueError as exc:
        st.error(f"Dieses Modell lässt sich so nicht bauen: {exc}")
        return False
    table = [{"Schicht": "Eingabe", "Ausgabeform": "(None, 784)", "Parameter": "0"}]
    table += [{"Schicht": row["label"], "Ausgabeform": str((None, *row["output_shape"])),
               "Parameter": de(row["params"])} for row in rows]
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(f"Insgesamt {de(sum(r['params'] for r in rows))} Parameter.")
    return True


def _progress(job: Job, snap: dict) -> None:
    if snap["state"] == "queued":
        position = queue_position(job)
        st.info(f"Sie sind an Position {position} der Warteschlange. Auf diesem Server läuft immer nur ein "
                "Training gleichzeitig; Ihres startet von selbst, sobald die Läufe vor Ihnen fertig sind. "
                "Sie können solange weiterlesen.", icon=":material/hourglass_top:")
        st.progress(0.0, text="Wartet …")
        return
    step, total = snap["step"], max(1, snap["total_steps"])
    if step == 0:
        st.progress(0.0, text="TensorFlow wird geladen und das Modell gebaut …")
        return
    epoch = min(snap["epoch"] + 1, snap["epochs_total"])
    text = (f"Schritt {de(step)} von {de(total)} · Epoche {epoch} von {snap['epochs_total']}"
            f" · noch etwa {duration(snap['remaining'])}")
    st.progress(min(1.0, step / total), text=text)


@st.fragment(run_every=LIVE_EVERY)
def _live_view(spec: S.RunSpec, zoom: float) -> None:
    """Redrawn every few seconds while the job trains; a full rerun shows the result."""
    job = training_job(spec)
    if job.done:
        st.rerun(scope="app")
    snap = job.snapshot()
    _progress(job, snap)
    if snap["batches"] or snap["epochs"]:
        show_curves({"batches": snap["batches"], "epochs": snap["epochs"], "epochs_total": spec.epochs}, zoom)


def _result(ident: str, spec: S.RunSpec, history: dict, model, seconds: Optional[float], status: str,
            message: str, kind: str, chapter: str, zoom: float) -> None:
    """Curves, summary table, predictions and run-log entry of a finished run."""
    best = best_accuracy(history)
    if status == "nan":
        st.error(message, icon=":material/error:")
        show_curves(history, zoom)
        log_run(ident, chapter, kind, spec, history, seconds)
        return
    if message:
        st.warning(message)
    cols = st.columns(4)
    cols[0].metric("Beste Validierungsgenauigkeit", percent(best))
    last = history["epochs"][-1]["val_accuracy"] if history.get("epochs") else None
    cols[1].metric("Nach der letzten Epoche", percent(last))
    cols[2].metric("Parameter", de(S.param_count(spec)))
    cols[3].metric("Trainingsdauer", duration(seconds))
    show_curves(history, zoom)

    n_val = spec.val_size if kind == "live" else S.TEST_SIZE
    with st.spinner("Vorhersagen für die Testziffern werden berechnet …"):
        from tutorial import data, models
        ev = evaluation(ident, model, n_val)
        rows = models.summary_rows(model)
    with st.expander("Modellübersicht (model.summary)", expanded=False):
        st.dataframe([{**r, "Parameter": de(r["Parameter"])} for r in rows], hide_index=True, width="stretch")
        st.caption(f"Insgesamt {de(sum(r['Parameter'] for r in rows))} Parameter.")

    st.markdown(f"**{de(ev['errors'])} Fehler von {de(ev['n'])} Testziffern** "
                f"(Genauigkeit {percent(1 - ev['errors'] / ev['n'])}).")
    font_images, _ = _font_digits()
    show_digits(font_images, ev["font_predicted"], ev["font_predicted"] != ev["font_labels"],
                caption="Ziffern aus Schriftarten mit der Vorhersage des Modells – rot: falsch erkannt")
    images, labels = data.load_arrays("test")
    index = ev["val_index"]
    show_digits(images[index], ev["val_predicted"], ev["val_predicted"] != labels[index],
                caption=f"{len(index)} Testziffern mit Vorhersage, falsch erkannte (rot) zuerst")
    log_run(ident, chapter, kind, spec, history, seconds, ev["errors"], ev["n"])


def _font_digits():
    from tutorial import fonts
    return fonts.font_digits(FONT_DIGITS)


def mnist(split: str):
    """``data.load_arrays(split)``; a missing or damaged file stops the page with the German message."""
    from tutorial import data
    try:
        return data.load_arrays(split)
    except data.DataError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()


def show_run(run: dict, key: str, chapter: str, zoom: float) -> None:
    """Draw a page's current run: live progress, or the finished result (German messages on failure)."""
    from tutorial import data
    try:
        _show_run(run, key, chapter, zoom)
    except data.DataError as exc:
        st.error(str(exc), icon=":material/error:")


def load_pretrained(name: str):
    """The cached pretrained model, or None after a German error when its file cannot be loaded."""
    try:
        return pretrained_model(name)
    except Exception as exc:  # noqa: BLE001 - a damaged file must not show a traceback
        st.error(f"Das fertige Modell »{name}« ließ sich nicht laden ({type(exc).__name__}). Stellen Sie die "
                 f"Datei assets/models/{name}.keras wieder her oder erzeugen Sie sie mit "
                 "»python -m tutorial pretrain«.", icon=":material/error:")
        return None


def _show_run(run: dict, key: str, chapter: str, zoom: float) -> None:
    if run["kind"] == "pretrained":
        name = run["name"]
        if name not in pretrained.available():
            st.warning(PRETRAINED_MISSING)
            return
        history = pretrained_history(name)
        with st.spinner("Das fertige Modell wird geladen (TensorFlow startet) …"):
            model = load_pretrained(name)
        if model is None:
            return
        st.caption(f"Fertiges Ergebnis: {S.PRESET_TITLES.get(name, name)} – trainiert mit "
                   f"{S.PRESETS[name].epochs} Epochen auf allen {de(S.TRAIN_SIZE)} Trainingsziffern.")
        _result("fertig:" + name, S.PRESETS[name], history, model, history.get("seconds"),
                history.get("status", "done"), "", "fertig", chapter, zoom)
        return
    spec = run["spec"]
    job = training_job(spec)
    if job.state == "failed":
        st.error(job.message)
        st.button("Erneut versuchen", key=f"{key}_retry", on_click=retry, args=(spec,))
        return
    if not job.done:
        _live_view(spec, zoom)
        return
    result = job.result
    _result("live:" + spec.key, spec, result.history, result.model, result.seconds, result.status,
            result.message, "live", chapter, zoom)


def last_history(key: str) -> Optional[dict]:
    """History of the page's last finished run (None if there is none)."""
    run = st.session_state.get(f"_run_{key}")
    if not run:
        return None
    if run["kind"] == "pretrained":
        return pretrained_history(run["name"]) if run["name"] in pretrained.available() else None
    job = training_job(run["spec"])
    return job.result.history if job.done and job.result is not None else None


# --- the exercise panel -------------------------------------------------------------------------

def effective_spec(spec: S.RunSpec, epochs: int, quick: bool) -> S.RunSpec:
    """The run that "Trainieren" starts: chosen epochs, quick mode, test mode."""
    spec = spec.with_(epochs=int(epochs))
    if quick:
        spec = spec.quick()
    if test_mode():
        spec = spec.with_(**TEST_LIMITS)
    return spec


def matching_preset(spec: S.RunSpec) -> Optional[str]:
    """The preset with the same model and settings as the widgets (any epochs, all digits)."""
    return S.preset_for(spec.with_(epochs=10, limit=None, val_limit=None))


def _start(key: str, run: dict) -> None:
    st.session_state[f"_run_{key}"] = run
    if run["kind"] == "live":
        training_job(run["spec"])


def exercise(spec: Optional[S.RunSpec], solution: Optional[str] = None, key: str = "ex", *,
             apply_solution: Union[None, dict, Callable[[], None]] = None, chapter: str = "",
             zoom: int = 1, solution_text: str = "") -> None:
    """The panel under every exercise.

    ``spec`` is the model the learner chose with the page's widgets (None if the choice is
    impossible; the page has then said why). ``solution`` names the preset the codelab gives
    as solution; ``apply_solution`` is a dict {widget key: value} or a callback that sets the
    page's widgets to it.
    """
    valid = spec is not None
    if valid:
        try:
            S.layer_table(spec)
        except ValueError as exc:
            st.error(f"Dieses Modell lässt sich so nicht bauen: {exc}")
            valid = False

    if solution is not None:
        solution_spec = S.PRESETS[solution]
        if valid:
            diffs = S.differences(spec, solution_spec)
            if diffs:
                st.info("**Vergleich mit der Lösung** – so unterscheidet sich Ihre Wahl:\n\n"
                        + "\n".join(f"- {d}" for d in diffs), icon=":material/compare_arrows:")
            else:
                st.success("Ihre Wahl entspricht der Lösung des Notizbuchs.", icon=":material/check_circle:")
        with st.expander("Lösung", icon=":material/lightbulb:"):
            if solution_text:
                st.markdown(solution_text)
            st.code(solution_spec.model_code(), language="python")
            if apply_solution is not None:
                callback = (lambda: set_widgets(apply_solution)) if isinstance(apply_solution, dict) else apply_solution
                st.button("Lösung übernehmen", key=f"{key}_solution", on_click=callback,
                          icon=":material/auto_fix_high:")

    st.markdown("##### Training")
    left, right = st.columns(2)
    epochs = left.number_input("Epochen", min_value=1, max_value=MAX_EPOCHS, step=1,
                               key=state(f"{key}_epochs", spec.epochs if spec is not None else 10))
    quick = right.toggle("Schnellmodus (6.000 Ziffern, höchstens 3 Epochen)", key=state(f"{key}_quick", False),
                         help="Für langsame Rechner: trainiert nur auf den ersten 6.000 Trainingsziffern.")
    if not valid:
        _last_run(key, chapter, zoom)
        return
    run_spec = effective_spec(spec, epochs, quick)
    st.caption(f"{de(run_spec.train_size)} Trainingsziffern in Batches zu {run_spec.batch_size} → "
               f"{de(run_spec.steps_per_epoch)} Schritte pro Epoche, {count(run_spec.epochs, 'Epoche', 'Epochen')}, "
               f"{de(S.param_count(run_spec))} Parameter.")
    show_code(run_spec, key)

    preset = matching_preset(spec)
    have_preset = preset is not None and preset in pretrained.available()
    b1, b2 = st.columns(2)
    b1.button("Trainieren", key=f"{key}_train", type="primary", icon=":material/play_arrow:",
              on_click=_start, args=(key, {"kind": "live", "spec": run_spec}), width="stretch")
    b2.button("Fertiges Ergebnis ansehen", key=f"{key}_pretrained", icon=":material/inventory_2:",
              disabled=not have_preset, on_click=_start, args=(key, {"kind": "pretrained", "name": preset}),
              width="stretch")
    if preset is None:
        b2.caption("Für genau diese Einstellung gibt es kein fertiges Ergebnis – vorbereitet sind nur die "
                   "Einstellungen aus den Übungen des Codelabs. Trainieren Sie live.")
    elif not have_preset:
        b2.caption(PRETRAINED_MISSING)
    else:
        b2.caption(f"Sofort da: {S.PRESET_TITLES[preset]}, 10 Epochen auf allen Daten.")

    _last_run(key, chapter, zoom, run_spec, preset)


def _last_run(key: str, chapter: str, zoom: int, run_spec: Optional[S.RunSpec] = None,
              preset: Optional[str] = None) -> None:
    """The page's last run (kept in the session, so it survives leaving the page)."""
    run = st.session_state.get(f"_run_{key}")
    if run is None:
        return
    st.markdown("##### Ergebnis")
    if run["kind"] == "live" and run["spec"] != run_spec:
        st.caption(f"Angezeigt wird Ihr letzter Lauf: {run['spec'].describe()}")
    elif run["kind"] == "pretrained" and run["name"] != preset:
        st.caption("Angezeigt wird das zuletzt gewählte fertige Ergebnis.")
    zoom_choice = st.radio("Zoom der Kurven", charts.ZOOMS, key=state(f"{key}_zoom", zoom), horizontal=True,
                           format_func=lambda z: f"{z}×",
                           help="Wie PlotTraining(zoom=…) im Notizbuch: vergrößert um Verlust 0 und Genauigkeit 100 %. "
                                "Bei starkem Zoom erscheinen die Kurven erst, wenn die Werte in diesen Bereich kommen.")
    show_run(run, key, chapter, zoom_choice)


def run_panel(spec: S.RunSpec, key: str, chapter: str, zoom: int = 1) -> None:
    """The training part of :func:`exercise` for a fixed model (chapter 3)."""
    exercise(spec, None, key, chapter=chapter, zoom=zoom)


# --- chapter 5: predict and argmax ------------------------------------------------------------------

def argmax_demo(name: str = "keras_01_mnist", n: int = 128) -> None:
    """Predict one batch of ``n`` test digits with a pretrained model: shape [n, 10], argmax(axis=1)."""
    if name not in pretrained.available():
        st.warning(PRETRAINED_MISSING)
        return
    with st.spinner("Das fertige Modell wird geladen (TensorFlow startet) …"):
        from tutorial import data, models
        model = load_pretrained(name)
    if model is None:
        return
    images, labels = mnist("test")
    probabilities = models.predict_proba(model, data.to_model_input(images[:n]))
    predicted = probabilities.argmax(axis=1)
    st.markdown(f"`probabilities.shape` = **{tuple(probabilities.shape)}** – eine Zeile pro Bild, "
                "eine Spalte pro Ziffer. Die ersten fünf Zeilen (gerundet):")
    st.dataframe([{**{str(d): de(float(p), 3) for d, p in enumerate(row)}, "argmax": int(predicted[i]),
                   "richtig": int(labels[i])} for i, row in enumerate(probabilities[:5])],
                 hide_index=True, width="stretch")
    wrong = predicted != labels[:n]
    st.markdown(f"`np.argmax(probabilities, axis=1)` liefert {n} Ziffern; davon sind **{int(wrong.sum())}** "
                "falsch (rot):")
    show_digits(images[:n], predicted, wrong, columns=32)
