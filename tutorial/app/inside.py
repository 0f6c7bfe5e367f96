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
from tutorial.app import loader, runlog, state
from tutorial.app.chrome import number_box
from tutorial.charts import internals as C
from tutorial.charts.base import png_uri
from tutorial.deutsch import de, de_format, percent
from tutorial.presets import PRESET_TITLES, PRESETS
from tutorial.spec import TEST_SIZE

DENSE_MODEL = "keras_01_mnist"
CONV_MODELS = ("keras_04_mnist_convolutional", "keras_05_mnist_batch_norm", "ex_11_conv_no_dropout")
DEFAULT_MODEL = loader.INSIDE_DEFAULT
TEST_DIGIT, DRAWING = "Testziffer", "Ihre Zeichnung"
SHOWN_MIXUPS = 12
# CSS pixels of one picture in the wrapping grids (drawn at twice the size, sharp on high-density screens)
TEMPLATE_PX, FILTER_PX, MAP_PX, DIGIT_PX, MIXUP_PX = 84, 48, 56, 196, 84
SHARP = 2
LABEL_PX = 11


def _strips(images, labels: list[str], per_strip: int, px: int, gap: int, **colour) -> tuple[list[str], int]:
    """The images in strips of ``per_strip`` pictures of ``px`` CSS pixels each (plus ``gap``) with
    their labels, as ``data:`` addresses, and the strips' width in CSS pixels."""
    pics = C.strips(images, labels, per_strip, size=px * SHARP, gap=gap * SHARP, label_px=LABEL_PX * SHARP,
                    **colour)
    return [png_uri(p) for p in pics], pics[0].width // SHARP


def _grid(strips: tuple[list[str], int]) -> None:
    """The strips side by side, wrapping onto as many rows as the screen needs (Streamlit lays an
    image list out as a wrapping row): on a phone fewer pictures per row, none cut or shrunk."""
    uris, width = strips
    st.image(uris, width=width)


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
    _grid(_template_strips(DENSE_MODEL, model))
    st.caption("Jede Schablone ist auf ihr eigenes betragsgrößtes Gewicht skaliert: Das kräftigste Rot oder Blau "
               "ist das stärkste Gewicht dieses Neurons, Weiß ein Gewicht nahe 0.")


@st.cache_data(max_entries=4, show_spinner=False)
def _template_strips(ident: str, _model) -> tuple[list[str], int]:
    """Two templates per strip: five strips in a row on a laptop, two (four templates) on a phone."""
    kernel = np.asarray(_model.layers[-1].get_weights()[0])  # (784, 10)
    return _strips([kernel[:, d].reshape(28, 28) for d in range(10)], [f"Ziffer {d}" for d in range(10)], 2,
                   TEMPLATE_PX, 4, diverging=True)


# --- 2. the first convolution's filters ------------------------------------------------------------

def filters(models: Choices) -> Optional[tuple]:
    """Choose a convolutional network and show its first layer's filters; returns (model, its id
    for the caches) – None when there is none or it cannot be loaded."""
    available = models.conv()
    if not available:
        st.info(loader.missing_message(DEFAULT_MODEL), icon=":material/hourglass_top:")
    name = st.selectbox("Faltungsnetz", available or list(CONV_MODELS[:2]), format_func=model_title,
                        key="inside_conv_model", disabled=not available)
    model = models.load(name) if available else None
    if model is None:
        return None
    shape, strips = _filter_strips(models.ident(name), model)
    st.markdown(f"Die erste Faltung hat {shape[-1]} Filter der Größe {shape[0]} × {shape[1]} "
                f"– ihr Gewichtstensor hat die Form [{', '.join(map(str, shape))}]. Viele sehen aus wie Kanten- oder "
                "Strichdetektoren in verschiedenen Richtungen: gelernt, nicht vorgegeben.")
    _grid(strips)
    st.caption("Rot: positives Gewicht, Blau: negatives, jeder Filter auf sein betragsgrößtes Gewicht skaliert.")
    return model, models.ident(name)


@st.cache_data(max_entries=8, show_spinner=False)
def _filter_strips(ident: str, _model) -> tuple[tuple, tuple[list[str], int]]:
    """The shape of the first convolution's kernel (k, k, 1, filters) and its filters, six per strip."""
    from tutorial import models as M

    first = M.first_conv_kernel(_model)
    n = first.shape[-1]
    return (tuple(int(d) for d in first.shape),
            _strips([first[:, :, 0, f] for f in range(n)], [str(f + 1) for f in range(n)], 6, FILTER_PX, 8,
                    diverging=True))


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


def feature_maps(model, ident: str) -> None:
    """One input through the network: its probabilities and every convolution block's maps
    (``ident``: the model's id for the cache, :meth:`Choices.ident`)."""
    left, right = st.columns([1, 2])
    x, title, label = _input(left)
    with st.spinner("Die Merkmalskarten werden berechnet …"):
        probs, (digit, bars), blocks = _feature_view(ident, model, x, label)
    with left:
        st.image(digit, caption=title, width=DIGIT_PX)
    with right:
        guess = int(np.argmax(probs))
        st.markdown(f"Das Netz hält die Eingabe zu **{percent(probs[guess], 1)}** für eine **{guess}**.")
        st.image(bars[0], width=bars[1],
                 caption="Wahrscheinlichkeit je Ziffer" + ("" if label is None else ": grün die richtige Ziffer"))
    for i, (name, (h, w, c), strips) in enumerate(blocks):
        st.markdown(f"**Faltungsblock {i + 1}** ({name}, nach der Aktivierung): {c} Karten zu {h} × {w}")
        _grid(strips)
    st.caption("Hell = starke Antwort des Filters. Vorne reagieren die Karten auf Striche und Kanten an bestimmten "
               "Stellen; mit jeder Schicht werden die Karten kleiner (Schrittweite 2) und die Muster abstrakter.")


@st.cache_data(max_entries=32, show_spinner=False)
def _feature_view(ident: str, _model, x: np.ndarray, label: Optional[int]) -> tuple[np.ndarray, tuple, list]:
    """The probabilities for ``x``; the input and the probability bars as pictures (the bars' one
    with its width in CSS pixels); per convolution block, (name, (h, w, maps), strips of four maps:
    three in a row on a laptop, one on a phone). Made once per input, not on every page run."""
    from tutorial import models as M

    blocks = M.conv_feature_maps(_model, x.reshape(784))
    probs = M.predict_proba(_model, x.reshape(1, 784))[0]
    bars = C.probability_picture(probs, label, scale=SHARP)
    pictures = (png_uri(C.digit_picture(x, DIGIT_PX * SHARP)), (png_uri(bars), bars.width // SHARP))
    return probs, pictures, [(name, tuple(int(n) for n in maps.shape),
                    _strips([maps[:, :, j] for j in range(maps.shape[-1])],
                            [str(j + 1) for j in range(maps.shape[-1])], 4, MAP_PX, 6))
                   for name, maps in blocks]


# --- 4. the confusion matrix -----------------------------------------------------------------------

def _clicked(event) -> Optional[tuple[int, int]]:
    """The (true, predicted) cell the learner clicked in the matrix, if any – a digit pair 0 … 9 each;
    anything else a browser sends (a script can send any selection) counts as no click."""
    try:
        points = event.selection["zelle"] if event else []
        if points:
            cell = (points[0]["wahr"], points[0]["vorhergesagt"])
            if all(isinstance(d, (int, float)) and not isinstance(d, bool) and d in range(10) for d in cell):
                return int(cell[0]), int(cell[1])
    except (AttributeError, KeyError, TypeError, IndexError):
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

    event = st.vega_lite_chart(spec=_confusion_spec(ident, cm), on_select="rerun", selection_mode="zelle",
                               key=f"inside_cm_chart_{ident}", width="content")
    pairs = sorted(((int(t), int(p)) for t, p in zip(*np.nonzero(off))), key=lambda tp: -off[tp])
    if not pairs:
        st.success("Dieses Modell hat keine einzige Testziffer verwechselt.")
    else:
        choice = st.selectbox("Verwechslung (richtig → vorhergesagt)", pairs,
                              format_func=lambda tp: f"{tp[0]} → {tp[1]}  ({off[tp]}×)", key=f"inside_pair_{ident}")
        _mixup(ident, *(_clicked(event) or choice), cm, probs, predicted)
    st.caption(f"Summe der Diagonale ÷ 10.000 = {de_format(accuracy, '.4f')} – das ist genau die "
               "Testgenauigkeit des Modells.")


@st.cache_data(max_entries=16, show_spinner=False)
def _confusion_spec(ident: str, cm: np.ndarray) -> dict:
    """The clickable matrix as a Vega-Lite spec, built once per model (building and validating the
    Altair chart cost 55–90 ms of server time on every run)."""
    selection = alt.selection_point(fields=["wahr", "vorhergesagt"], name="zelle", on="click")
    return C.confusion_chart(cm, "Verwechslungsmatrix (Zeile: richtig, Spalte: vorhergesagt)", selection).to_dict()


def _mixup(ident: str, true_digit: int, pred_digit: int, cm: np.ndarray, probs: np.ndarray,
           predicted: np.ndarray) -> None:
    """The first test digits the model ``ident`` took for ``pred_digit`` although they are ``true_digit``."""
    if true_digit == pred_digit:
        st.info(f"Das ist ein Feld der Diagonale: {de(int(cm[true_digit, true_digit]))}-mal wurde die {true_digit} "
                "richtig erkannt. Wählen Sie ein Feld außerhalb der Diagonale.")
        return
    images, labels = loader.mnist("test")
    idx = np.flatnonzero((labels == true_digit) & (predicted == pred_digit))
    if not len(idx):      # a clicked empty cell
        st.info(f"Keine einzige {true_digit} hat dieses Modell für eine {pred_digit} gehalten. Wählen Sie ein Feld "
                "mit einer Zahl über 0.")
        return
    st.markdown(f"**{len(idx)}-mal** hat das Modell eine **{true_digit}** für eine **{pred_digit}** "
                "gehalten" + (f" – hier die ersten {SHOWN_MIXUPS}:" if len(idx) > SHOWN_MIXUPS else ":"))
    shown = idx[:SHOWN_MIXUPS]
    uris, width = _mixup_pictures(ident, true_digit, pred_digit, probs[shown], images[shown])
    st.image(uris, caption=[f"Nr. {i}  \n{percent(probs[i, pred_digit], 0)} für {pred_digit}  \n"
                            f"{percent(probs[i, true_digit], 0)} für {true_digit}" for i in shown], width=width)
    st.caption("Unter jeder Ziffer die zehn Wahrscheinlichkeiten des Modells, von 0 (links) bis 9: grün die "
               "richtige Ziffer, rot die Vorhersage des Modells.")


@st.cache_data(max_entries=32, show_spinner=False)
def _mixup_pictures(ident: str, true_digit: int, pred_digit: int, _probs: np.ndarray,
                    _images: np.ndarray) -> tuple[list[str], int]:
    """The shown mix-ups of one cell of model ``ident`` as pictures and their width in CSS pixels
    (made once per cell: a click in the matrix reruns the page)."""
    pics = [C.mixup_picture(image, p, true_digit, size=MIXUP_PX * SHARP, bars=30 * SHARP, gap=12 * SHARP)
            for image, p in zip(_images, _probs)]
    return [png_uri(p) for p in pics], pics[0].width // SHARP
