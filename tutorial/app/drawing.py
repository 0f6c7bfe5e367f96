""""Ziffern zeichnen": the models to try, the drawing canvas, the upload, and what the models see.

The canvas's value comes from the browser and is untrusted: the page reads the component's PNG
bytes (``result.image_bytes``; ``image_data`` would hand any data URL to Pillow), checks them with
:func:`tutorial.preprocess.canvas_png` (a PNG of canvas size, from its header, before anything is
decoded) and ignores anything else with a German note. The drawing goes through
:func:`tutorial.preprocess.canvas_to_mnist` (MNIST's own normalisation); the result is kept as the
learner's drawn digit (:func:`tutorial.app.state.drawn_digit`) for "Modelle von innen". Drawings and
uploads are decoded once per content (:func:`_decoded`, a small bounded cache keyed by the bytes). TensorFlow is imported only when the first model is loaded, behind the
loader's spinner. Call :func:`choices` after ``page.start`` (which restores a reloaded learner's runs).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from tutorial import pretrained
from tutorial.app import loader, runlog, state
from tutorial.charts import internals as C
from tutorial.deutsch import de
from tutorial.preprocess import ImageInputError, canvas_png, canvas_to_mnist, image_to_mnist, to_display
from tutorial.presets import PRESET_TITLES

CANVAS_SIZE = 280
CHAPTER_MODELS = ("keras_01_mnist", "keras_02_mnist_dense", "keras_03_mnist_dense_lrdecay_dropout",
                  "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm")
DEFAULT_MODEL = "keras_05_mnist_batch_norm"
SEES = "So sieht das Modell Ihre Zeichnung: 28 × 28 Pixel"
SEES_PHOTO = "So sieht das Modell Ihr Bild: 28 × 28 Pixel"
UNSURE = 0.6                          # below this confidence the page says the model is unsure
NO_MODEL = "Ohne Modell gibt es keine Vorhersage."


def pct(p: float) -> str:
    if p > 0.999:
        return "über 99,9 %"
    return de(100 * p, 1) + " %"


# --- the models -----------------------------------------------------------------------------------

@dataclass
class Choices:
    """The models to try, by label: the chapters' pretrained models, then the learner's own runs."""
    pretrained: dict      # label -> preset name
    own: dict             # label (run title) -> the trainer's result
    missing: list         # labels of chapter models whose files are not there

    @property
    def options(self) -> list[str]:
        return list(self.pretrained) + list(self.own)

    def model(self, label: str):
        """The model, or None (after a German error) when its file cannot be loaded."""
        if label in self.own:
            return self.own[label].model
        return loader.pretrained_model(self.pretrained[label])

    def all_models(self) -> dict[str, object]:
        return {label: model for label in self.options if (model := self.model(label)) is not None}


def choices() -> Choices:
    """The models to try (call after ``page.start``, which restores the learner's run log)."""
    available = set(pretrained.available())
    return Choices(pretrained={PRESET_TITLES[name]: name for name in CHAPTER_MODELS if name in available},
                   own={title: result for title, (_, result) in runlog.own_models().items()},
                   missing=[PRESET_TITLES[name] for name in CHAPTER_MODELS if name not in available])


def model_box(key: str, models: Choices) -> Optional[str]:
    """Notes on missing models and the "Modell" selectbox; returns the chosen label (None: no model)."""
    options = models.options
    if models.missing:
        st.info("Noch nicht vorhanden: " + ", ".join(models.missing) + ". Die fertigen Modelle entstehen mit "
                "»python -m tutorial pretrain«; sobald eine Datei da ist, erscheint das Modell hier.",
                icon=":material/hourglass_top:")
    if not options:
        st.warning("Es gibt noch kein Modell zum Ausprobieren: Weder die fertigen Modelle aus »assets/models« "
                   "noch ein selbst trainiertes Modell sind vorhanden. Trainieren Sie in einem Kapitel ein Modell "
                   "oder erzeugen Sie die fertigen Modelle mit »python -m tutorial pretrain«.",
                   icon=":material/warning:")
        return None
    widget = f"{key}_model"
    if state.widget_value(widget) not in options:      # a model that is gone (e.g. an evicted own run)
        state.forget_widget(widget)
    default = PRESET_TITLES[DEFAULT_MODEL]
    choice = st.selectbox("Modell", options, index=options.index(default) if default in options else 0,
                          key=widget, help="Die fertigen Modelle der Kapitel und jedes Modell, das Sie in dieser "
                                           "Sitzung selbst trainiert haben.")
    if models.own:
        st.caption(f"Dazu {len(models.own)} Modell(e), die Sie in dieser Sitzung selbst trainiert haben.")
    return choice


# --- predictions ----------------------------------------------------------------------------------

def predict(model, vector: np.ndarray) -> np.ndarray:
    from tutorial.models import predict_proba
    return predict_proba(model, vector.reshape(1, 784))[0]


def show_prediction(vector: np.ndarray, model, heading: str, caption: str) -> np.ndarray:
    """Heading 'Vorhersage: 7', the confidence, the 28×28 input and the ten probabilities."""
    probs = predict(model, vector)
    guess = int(np.argmax(probs))
    st.subheader(f"{heading}: {guess}", anchor=False)
    if probs[guess] < UNSURE:
        second = int(np.argsort(probs)[-2])
        st.warning(f"Das Modell ist unsicher: nur {pct(probs[guess])} für die {guess}, "
                   f"{pct(probs[second])} für die {second}.", icon=":material/help:")
    else:
        st.caption(f"Sicherheit: {pct(probs[guess])}")
    image_col, chart_col = st.columns([2, 3])
    image_col.image(to_display(vector, 8), caption=caption, width="stretch")
    chart_col.altair_chart(C.probability_bars(probs, title="Wahrscheinlichkeit je Ziffer", height=230),
                           width="stretch")
    return probs


def _predict_with(models: Choices, choice: Optional[str], vector: np.ndarray, heading: str, caption: str) -> None:
    """The chosen model's prediction, or the input alone with a note when there is no model."""
    if choice is None:
        st.image(to_display(vector, 8), caption=caption, width=224)
        st.warning(NO_MODEL)
    elif (model := models.model(choice)) is not None:
        show_prediction(vector, model, heading, caption)


def compare_table(vector: np.ndarray, models: Choices) -> None:
    """Every available model's digit and confidence for the same input."""
    rows = []
    for label, model in models.all_models().items():
        probs = predict(model, vector)
        guess = int(np.argmax(probs))
        rows.append({"Modell": label, "Ziffer": guess, "Sicherheit": float(probs[guess])})
    # an HTML table: German percent ("98,3 %"), and on a phone its columns wrap instead of being cut
    st.table([{**row, "Sicherheit": pct(row["Sicherheit"]).replace(" %", "\u00a0%")} for row in rows],
             hide_index=True)


# --- the canvas -----------------------------------------------------------------------------------

def clear_canvas(key: str) -> None:
    """'Leeren': forget the old canvas and its drawing; the next run draws a new, empty one."""
    state.forget_widget(_canvas_key(key))
    state.next_canvas(key)
    state.forget_drawn_digit()


def _canvas_key(key: str) -> str:
    return f"{key}_canvas_{state.canvas_number(key)}"


DECODED_ENTRIES = 64   # decoded drawings and uploads kept (784 floats each), for all sessions together


def _canvas_vector(blob: bytes) -> Optional[np.ndarray]:
    """A canvas PNG as the model sees it (None: nothing drawn); ImageInputError for anything else."""
    image = canvas_png(blob)
    return canvas_to_mnist(image) if image is not None else None


@st.cache_data(max_entries=DECODED_ENTRIES, show_spinner=False)
def _decoded(kind: str, blob: bytes) -> tuple[Optional[np.ndarray], Optional[str]]:
    """``(vector, None)`` or ``(None, German message)`` for a drawing (``kind="canvas"``) or an upload,
    computed once per content: a rerun (another model, a slider) does not decode the same bytes again.
    The cache is keyed by a hash of the bytes and holds only the small results."""
    try:
        return (_canvas_vector(blob) if kind == "canvas" else image_to_mnist(blob)), None
    except ImageInputError as exc:
        return None, str(exc)


def _canvas_bytes(result) -> Optional[bytes]:
    """The PNG bytes the canvas sent (None: nothing drawn). A value that is no base64 data URL
    counts as not readable (b""), which :func:`tutorial.preprocess.canvas_png` refuses."""
    try:
        return result.image_bytes
    except Exception:   # a forged or damaged value from the browser (no str, no ";base64,", bad base64)
        return b""


def _drawn_vector(result) -> tuple[Optional[np.ndarray], Optional[str]]:
    """The canvas's drawing as the model sees it and a German note when the value was refused."""
    blob = _canvas_bytes(result)
    if blob is None:
        return None, None
    return _decoded("canvas", blob)


def canvas(key: str, models: Choices, choice: Optional[str]) -> Optional[np.ndarray]:
    """The pen width, the canvas and "Leeren" on the left, the chosen model's prediction on the right;
    returns the drawing (784 values) or None."""
    left, right = st.columns([1, 1], gap="large")
    with left:
        stroke = st.slider("Stiftbreite", min_value=5, max_value=40, value=20, step=1, key=f"{key}_stroke",
                           help="Breite des Pinsels in Pixeln der 280 × 280 großen Zeichenfläche.")
        # the canvas's toolbar sits in a strip just above the canvas, always shown (tutorial.app.chrome.canvas:
        # touch screens have no hover)
        st.caption("Die Knöpfe direkt über der Zeichenfläche: letzten Strich zurücknehmen oder wiederholen, "
                   "alles löschen.")
        result = st_canvas(stroke_width=stroke, stroke_color="#FFFFFF", background_color="#000000",
                           height=CANVAS_SIZE, width=CANVAS_SIZE, drawing_mode="freedraw",
                           return_image_data=True, key=_canvas_key(key))
        st.button("Leeren", key=f"{key}_clear", on_click=clear_canvas, args=(key,), icon=":material/delete:",
                  help="Löscht die Zeichnung. Einzelne Striche nehmen Sie mit dem Pfeil über der "
                       "Zeichenfläche zurück.")
    vector, refused = _drawn_vector(result)
    with right:
        if refused:
            st.warning(refused, icon=":material/block:")
        if vector is None:
            state.forget_drawn_digit()
            st.info("Malen Sie eine Ziffer von 0 bis 9 auf die schwarze Fläche – groß oder klein, mittig oder "
                    "am Rand. Die Vorhersage erscheint hier, sobald Sie den Finger oder die Maustaste loslassen.",
                    icon=":material/draw:")
        else:
            state.set_drawn_digit(vector)
            _predict_with(models, choice, vector, "Vorhersage", SEES)
    return vector


def comparison(vector: Optional[np.ndarray], models: Choices) -> None:
    """"Alle Modelle vergleichen" under a drawing."""
    if vector is None or not models.options:
        return
    st.subheader("Alle Modelle vergleichen", anchor=False)
    st.caption("Dieselbe Zeichnung, jedes verfügbare Modell: erkannte Ziffer und wie sicher es sich ist.")
    compare_table(vector, models)


# --- the upload -----------------------------------------------------------------------------------

def upload(key: str, models: Choices, choice: Optional[str], drawn: Optional[np.ndarray]) -> None:
    """A photo or scan of a digit: the chosen model's prediction and, on request, every model's. An
    upload is the drawn digit for "Modelle von innen" while the canvas is empty."""
    file = st.file_uploader("Bild einer Ziffer (PNG oder JPEG, höchstens 5 MB – größere Fotos bitte vorher "
                            "verkleinern oder zuschneiden)", key=f"{key}_upload", max_upload_size=5)
    # no type=[…]: Streamlit would refuse another file with only a red icon and an English hover text;
    # image_to_mnist checks the file itself and answers in German below
    if file is None:
        return
    photo, problem = _decoded("upload", file.getvalue())
    if photo is None:
        st.error(problem, icon=":material/error:")
        return
    _predict_with(models, choice, photo, "Vorhersage für Ihr Bild", SEES_PHOTO)
    if drawn is None:
        state.set_drawn_digit(photo)
    if models.options:
        with st.expander("Alle Modelle für Ihr Bild vergleichen"):
            compare_table(photo, models)
