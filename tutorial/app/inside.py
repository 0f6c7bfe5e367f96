""""Modelle von innen": the models a learner can open, and the four views of the page – the dense
layer's templates, the first convolution's filters, feature maps, and the confusion matrix.

:func:`choices` must be called after ``page.start``: only then has a reload restored the learner's
run log, and with it the learner's own trained networks. TensorFlow is imported when the first model
is loaded (behind the loader's spinner). The drawn digit comes from "Ziffern zeichnen"
(:func:`tutorial.app.state.drawn_digit`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import altair as alt
import numpy as np
import streamlit as st

from tutorial import pretrained
from tutorial import theory_cnn as TC
from tutorial.app import loader, runlog, state, views
from tutorial.app.chrome import number_box
from tutorial.charts import internals as C
from tutorial.deutsch import de, de_format, percent
from tutorial.presets import PRESET_TITLES, PRESETS
from tutorial.spec import TEST_SIZE

DENSE_MODEL = "keras_01_mnist"
CONV_MODELS = ("keras_04_mnist_convolutional", "keras_05_mnist_batch_norm", "ex_11_conv_no_dropout")
DEFAULT_MODEL = loader.INSIDE_DEFAULT
TEST_DIGIT, DRAWING = "Testziffer", "Ihre Zeichnung"
SHOWN_MIXUPS = 12


@dataclass
class Choices:
    """The models the page offers: pretrained ones by preset name, the learner's own by run title."""
    own: dict          # title -> (Run, result) of the learner's live runs the trainer still holds

    def load(self, option: str):
        """The model, or None after the loader's German message when a file is missing or damaged."""
        if option in self.own:
            return self.own[option][1].model
        return loader.pretrained_model(option)

    def ident(self, option: str) -> str:
        """A stable id of the model for caches and widget keys."""
        return self.own[option][0].id if option in self.own else option

    def conv(self) -> list[str]:
        available = [n for n in CONV_MODELS if n in pretrained.available()]
        return available + [title for title, (run, _) in self.own.items() if run.spec.is_conv]

    def all(self) -> list[str]:
        return [n for n in PRESETS if n in pretrained.available()] + list(self.own)


def choices() -> Choices:
    """The page's models (call after ``page.start``, which restores the learner's run log)."""
    return Choices(runlog.own_models())


def model_title(option: str) -> str:
    return PRESET_TITLES.get(option, option)


def own_note(models: Choices) -> None:
    if models.own:
        st.caption(f"Ihre eigenen Netze ({len(models.own)}) finden Sie in den Auswahllisten unten, jeweils nach "
                   "den fertigen Modellen.")


# --- 1. the templates of the single dense layer ----------------------------------------------------

def templates(models: Choices) -> None:
    """The ten weight images of chapter 3's single dense layer."""
    model = models.load(DENSE_MODEL)
    if model is None:
        return
    kernel = np.asarray(model.layers[-1].get_weights()[0])  # (784, 10)
    views.cached_chart(C.image_grid_chart, [kernel[:, d].reshape(28, 28) for d in range(10)],
                       [f"Ziffer {d}" for d in range(10)], columns=5, cell=120, diverging=True, width="content")
    st.caption("Jede Schablone ist auf ihren eigenen größten Betrag skaliert; zeigen Sie mit der Maus auf ein Pixel, "
               "erscheint das echte Gewicht.")


# --- 2. the first convolution's filters ------------------------------------------------------------

def filters(models: Choices):
    """Choose a convolutional network and show its first layer's filters; returns the model (None
    when there is none or it cannot be loaded)."""
    available = models.conv()
    if not available:
        st.info(loader.missing_message(DEFAULT_MODEL), icon=":material/hourglass_top:")
    name = st.selectbox("Faltungsnetz", available or list(CONV_MODELS[:2]), format_func=model_title,
                        key="inside_conv_model", disabled=not available)
    model = models.load(name) if available else None
    if model is None:
        return None
    from tutorial import models as M

    first = M.first_conv_kernel(model)  # (k, k, 1, filters)
    st.markdown(f"Die erste Faltung hat {first.shape[-1]} Filter der Größe {first.shape[0]} × {first.shape[1]} "
                f"– ihr Gewichtstensor hat die Form {tuple(first.shape)}. Viele sehen aus wie Kanten- oder "
                "Strichdetektoren in verschiedenen Richtungen: gelernt, nicht vorgegeben.")
    views.cached_chart(C.image_grid_chart, [first[:, :, 0, f] for f in range(first.shape[-1])],
                       [f"Filter {f + 1}" for f in range(first.shape[-1])], columns=12, cell=62, diverging=True,
                       width="content")
    return model


# --- 3. feature maps -------------------------------------------------------------------------------

def _input(left) -> tuple[np.ndarray, str, Optional[int]]:
    """The image to look at (a test digit or the learner's drawing): (28×28 in [0, 1), title, label)."""
    drawn = state.drawn_digit()
    sources = [TEST_DIGIT] + ([DRAWING] if drawn is not None else [])
    source = left.radio("Eingabe", sources, key="inside_source", horizontal=True)
    if drawn is None:
        left.caption("Auf der Seite »Ziffern zeichnen« können Sie eine eigene Ziffer malen; sie erscheint dann "
                     "hier als weitere Eingabe.")
    if source == DRAWING:
        return np.asarray(drawn, dtype=np.float32).reshape(28, 28), DRAWING, None
    images, labels = loader.mnist("test")
    index = number_box.whole_number("Nr. der Testziffer (0–9.999)", 0, TEST_SIZE - 1, container=left,
                                    key=state.keep("inside_digit", 0))
    if index is None:     # out of range: the German message stands under the box; show digit 0 meanwhile
        index = 0
    label = int(labels[index])
    return images[index].astype(np.float32) / 256.0, f"Testziffer {index} (Label {label})", label


def feature_maps(model) -> None:
    """One input through the network: its probabilities and every convolution block's maps."""
    left, right = st.columns([1, 2])
    x, title, label = _input(left)
    with st.spinner("Die Merkmalskarten werden berechnet …"):
        from tutorial import models as M
        blocks = M.conv_feature_maps(model, x.reshape(784))
        probs = M.predict_proba(model, x.reshape(1, 784))[0]
    with left:
        st.vega_lite_chart(C.image_chart(x, title, size=200), width="content")
    with right:
        guess = int(np.argmax(probs))
        st.markdown(f"Das Netz hält die Eingabe zu **{percent(probs[guess], 1)}** für eine **{guess}**.")
        views.cached_chart(C.probability_bars, probs, label, "Wahrscheinlichkeiten je Ziffer", height=220)
    for i, (name, maps) in enumerate(blocks):
        h, w, c = maps.shape
        st.markdown(f"**Faltungsblock {i + 1}** ({name}, nach der Aktivierung): {c} Karten zu {h} × {w}")
        columns = 12 if c <= 24 else 16
        views.cached_chart(C.image_grid_chart, [maps[:, :, j] for j in range(c)], [f"{j + 1}" for j in range(c)],
                           columns=min(c, columns), cell=max(38, 780 // columns - 8), width="content")
    st.caption("Hell = starke Antwort des Filters. Vorne reagieren die Karten auf Striche und Kanten an bestimmten "
               "Stellen; mit jeder Schicht werden die Karten kleiner (Schrittweite 2) und die Muster abstrakter.")


# --- 4. the confusion matrix -----------------------------------------------------------------------

def _clicked(event) -> Optional[tuple[int, int]]:
    """The (true, predicted) cell the learner clicked in the matrix, if any."""
    try:
        points = event.selection["zelle"] if event else []
        if points:
            return int(points[0]["wahr"]), int(points[0]["vorhergesagt"])
    except (AttributeError, KeyError, TypeError, IndexError, ValueError):
        pass
    return None


def confusion(models: Choices) -> None:
    """Choose a model: its accuracy, its confusion matrix and the digits of one mix-up."""
    ready = models.all()
    if not ready:
        st.info(loader.missing_message(DEFAULT_MODEL), icon=":material/hourglass_top:")
        return
    default = ready.index(DEFAULT_MODEL) if DEFAULT_MODEL in ready else 0
    name = st.selectbox("Modell", ready, index=default, format_func=model_title, key="inside_cm_model")
    model = models.load(name)
    if model is None:
        return
    ident = models.ident(name)
    with st.spinner("Das Modell klassifiziert alle 10.000 Testziffern …"):
        probs = loader.test_probabilities(ident, model)
    _, labels = loader.mnist("test")
    predicted = probs.argmax(axis=1)
    cm = TC.confusion_matrix(labels, predicted)
    accuracy = TC.accuracy_from_confusion(cm)
    errors = int(cm.sum() - np.trace(cm))
    m1, m2, m3 = st.columns(3)
    m1.metric("Genauigkeit", percent(accuracy))
    m2.metric("Fehler", f"{de(errors)} von {de(cm.sum())}")
    off = cm.copy()
    np.fill_diagonal(off, 0)
    t_max, p_max = np.unravel_index(off.argmax(), off.shape)
    m3.metric("Häufigste Verwechslung", f"{t_max} → {p_max}", f"{off[t_max, p_max]}×", delta_color="off")

    selection = alt.selection_point(fields=["wahr", "vorhergesagt"], name="zelle", on="click")
    event = st.altair_chart(C.confusion_chart(cm, "Verwechslungsmatrix (Zeile: richtig, Spalte: vorhergesagt)",
                                              selection),
                            on_select="rerun", selection_mode="zelle", key=f"inside_cm_chart_{ident}",
                            width="content")
    pairs = sorted(((int(t), int(p)) for t, p in zip(*np.nonzero(off))), key=lambda tp: -off[tp])
    if not pairs:
        st.success("Dieses Modell hat keine einzige Testziffer verwechselt.")
    else:
        choice = st.selectbox("Verwechslung (richtig → vorhergesagt)", pairs,
                              format_func=lambda tp: f"{tp[0]} → {tp[1]}  ({off[tp]}×)", key=f"inside_pair_{ident}")
        _mixup(*(_clicked(event) or choice), cm, probs, predicted)
    st.caption(f"Summe der Diagonale ÷ 10.000 = {de_format(accuracy, '.4f')} – das ist genau die "
               "Testgenauigkeit des Modells.")


def _mixup(true_digit: int, pred_digit: int, cm: np.ndarray, probs: np.ndarray, predicted: np.ndarray) -> None:
    """The first test digits the model took for ``pred_digit`` although they are ``true_digit``."""
    if true_digit == pred_digit:
        st.info(f"Das ist ein Feld der Diagonale: {de(int(cm[true_digit, true_digit]))}-mal wurde die {true_digit} "
                "richtig erkannt. Wählen Sie ein Feld außerhalb der Diagonale.")
        return
    images, labels = loader.mnist("test")
    idx = np.flatnonzero((labels == true_digit) & (predicted == pred_digit))
    st.markdown(f"**{len(idx)}-mal** hat das Modell eine **{true_digit}** für eine **{pred_digit}** "
                "gehalten" + (f" – hier die ersten {SHOWN_MIXUPS}:" if len(idx) > SHOWN_MIXUPS else ":"))
    cols = st.columns(4)
    for n, i in enumerate(idx[:SHOWN_MIXUPS]):
        with cols[n % 4]:
            st.image(255 - images[i], width=84)
            st.caption(f"Testziffer {i}: {percent(probs[i, pred_digit], 0)} für {pred_digit}, "
                       f"{percent(probs[i, true_digit], 0)} für {true_digit}")
            views.cached_chart(C.probability_bars, probs[i], true_digit, height=110)
    st.caption("Grün: die richtige Ziffer, rot: die Vorhersage des Modells.")
