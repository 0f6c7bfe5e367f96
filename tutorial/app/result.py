"""The result of a finished run: scores, curves, model summary, predictions, and its run-log entry."""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np
import streamlit as st

from tutorial import export, notebook
from tutorial import spec as S
from tutorial.app import loader, runlog
from tutorial.app.runlog import Run
from tutorial.app.views import show_curves, show_digits
from tutorial.choice import Choice
from tutorial.deutsch import count, de, duration, percent

VAL_DIGITS = 168          # test digits shown under a result, misrecognised ones first


@st.cache_data(max_entries=32, show_spinner=False)
def evaluation(ident: str, n_val: int, _model: Callable[[], object], _predictions=None,
               _font_predictions=None) -> dict:
    """The run's predictions for the first ``n_val`` test digits and for the font digits.

    ``_predictions`` / ``_font_predictions``: the predicted labels when the training child computed
    them already (live runs); otherwise the server loads the model (``_model()``) and predicts them.
    Cached per run (``ident``).
    """
    from tutorial import data

    images, labels = data.load_arrays("test")
    labels = labels[:n_val]
    if _predictions is not None and len(_predictions) >= n_val:
        predicted = np.asarray(_predictions)[:n_val]
    else:
        from tutorial import models   # imports TensorFlow
        predicted = models.predict_proba(_model(), data.to_model_input(images[:n_val])).argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    right = np.flatnonzero(predicted == labels)
    order = np.concatenate([wrong, right])[:VAL_DIGITS]
    font_images, font_labels = loader.font_digits()
    if _font_predictions is not None and len(_font_predictions) == len(font_images):
        font_predicted = np.asarray(_font_predictions)
    else:
        from tutorial import models
        font_predicted = models.predict_proba(_model(), data.to_model_input(font_images)).argmax(axis=1)
    return {"n": int(n_val), "errors": int(len(wrong)), "val_index": order, "val_predicted": predicted[order],
            "font_predicted": font_predicted, "font_labels": font_labels}


def quick_note(choice: Choice) -> None:
    """Say that a run on a subset of the digits scores lower, and what the full run reaches."""
    spec = choice.spec
    text = (f"**Lauf im Schnellmodus:** trainiert auf {de(spec.train_size)} statt {de(S.TRAIN_SIZE)} Trainingsziffern "
            f"mit {count(spec.epochs, 'Epoche', 'Epochen')}")
    if spec.val_limit:
        text += f" und geprüft an {de(spec.val_size)} statt {de(S.TEST_SIZE)} Testziffern"
    text += (". Mit weniger Beispielen und Durchgängen lernt das Netz weniger – die Genauigkeit liegt "
             "deshalb unter der eines vollen Laufs. ")
    full = loader.preset_result(choice.preset) if choice.preset else None
    if full:
        text += (f"Der volle Lauf mit denselben Einstellungen (alle {de(S.TRAIN_SIZE)} Ziffern, "
                 f"{runlog.FULL_EPOCHS} Epochen) erreicht **{percent(full['accuracy'])}**; »Fertiges Ergebnis "
                 "ansehen« zeigt ihn sofort.")
    else:
        text += "Für genau diese Einstellungen gibt es keinen fertigen vollen Lauf zum Vergleich."
    st.info(text, icon=":material/speed:")


def show(run: Run, model: Callable[[], object], zoom: float = 1, status: str = "done", message: str = "",
         predictions: Optional[np.ndarray] = None, font_predictions: Optional[np.ndarray] = None,
         summary: Optional[list] = None) -> None:
    """Draw a finished run and add it to the run log (once).

    ``model`` returns the Keras model; it is only called when the training child did not send the
    predictions and the summary rows already (so a live result needs no TensorFlow in the server).
    """
    history = run.history
    if status == "nan":
        st.error(message, icon=":material/error:")
        show_curves(history, zoom)
        runlog.add(run)
        return
    if message:
        st.warning(message)
    cols = st.columns(4)
    cols[0].metric("Beste Validierungsgenauigkeit", percent(run.best_val_accuracy))
    last = history["epochs"][-1]["val_accuracy"] if history.get("epochs") else None
    cols[1].metric("Nach der letzten Epoche", percent(last))
    cols[2].metric("Parameter", de(run.choice.params))
    cols[3].metric("Trainingsdauer", duration(run.seconds))
    if run.quick:
        quick_note(run.choice)
    show_curves(history, zoom)

    n_val = run.spec.val_size if run.kind == runlog.LIVE else S.TEST_SIZE
    with st.spinner("Vorhersagen für die Testziffern werden berechnet …"):
        from tutorial import data
        ev = evaluation(run.id, n_val, model, predictions, font_predictions)
        if summary is None:
            from tutorial import models   # imports TensorFlow
            summary = models.summary_rows(model())
        rows = summary
    with st.expander("Modellübersicht (model.summary)", expanded=False):
        st.dataframe([{**r, "Parameter": de(r["Parameter"])} for r in rows], hide_index=True, width="stretch")
        st.caption(f"Insgesamt {de(sum(r['Parameter'] for r in rows))} Parameter.")
    download_model(run, model)

    st.markdown(f"**{de(ev['errors'])} Fehler von {de(ev['n'])} Testziffern** "
                f"(Genauigkeit {percent(1 - ev['errors'] / ev['n'])}"
                + (", im Schnellmodus" if run.quick else "") + ").")
    font_images, _ = loader.font_digits()
    show_digits(font_images, ev["font_predicted"], ev["font_predicted"] != ev["font_labels"],
                caption="Ziffern aus Schriftarten mit der Vorhersage des Modells – rot: falsch erkannt")
    images, labels = data.load_arrays("test")
    index = ev["val_index"]
    show_digits(images[index], ev["val_predicted"], ev["val_predicted"] != labels[index],
                caption=f"{len(index)} Testziffern mit Vorhersage, falsch erkannte (rot) zuerst")
    run.errors, run.n_val = ev["errors"], ev["n"]
    runlog.add(run)


def download_model(run: Run, model: Callable[[], object]) -> None:
    """The "Modell herunterladen" button: the run's trained model as a ``.keras`` file (saved on click), and how to load it."""
    name = export.file_name(run.spec, ".keras")
    st.download_button("Modell herunterladen", data=lambda: notebook.model_bytes(model()), file_name=name,
                       mime="application/octet-stream", icon=":material/download:", key=f"model_{run.id}",
                       on_click="ignore", help="Das trainierte Modell als Keras-Datei, zum Weiterverwenden in Python.")
    st.caption(notebook.LOAD_NOTE.format(name=name))
