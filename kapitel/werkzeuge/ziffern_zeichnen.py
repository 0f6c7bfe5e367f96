"""Ziffern zeichnen: draw a digit (or upload a photo) and see what every model recognises.

The canvas image goes through tutorial.preprocess.canvas_to_mnist (MNIST's own normalisation);
the result is stored in st.session_state["drawn_digit"] for the "Modelle von innen" page.
TensorFlow is imported only when the first model is loaded, behind a spinner.
"""
from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from tutorial import pretrained
from tutorial.charts import internals as C
from tutorial.app import loader, page, runlog
from tutorial.deutsch import de
from tutorial.preprocess import ImageInputError, canvas_to_mnist, image_to_mnist, to_display
from tutorial.spec import PRESET_TITLES

chapter = page.start(__file__)
KEY = chapter.key
CANVAS_NR = f"{KEY}_canvas_nr"        # bumped by "Leeren": a new key gives a fresh, empty canvas
DRAWN = "drawn_digit"                 # float32 (784,), read by "Modelle von innen"
CANVAS_SIZE = 280
CHAPTER_MODELS = ("keras_01_mnist", "keras_02_mnist_dense", "keras_03_mnist_dense_lrdecay_dropout",
                  "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm")
DEFAULT_MODEL = "keras_05_mnist_batch_norm"
SEES = "So sieht das Modell Ihre Zeichnung: 28 × 28 Pixel"
SEES_PHOTO = "So sieht das Modell Ihr Bild: 28 × 28 Pixel"
UNSURE = 0.6                          # below this confidence the page says the model is unsure


def canvas_key() -> str:
    return f"{KEY}_canvas_{st.session_state.setdefault(CANVAS_NR, 0)}"


def clear_canvas() -> None:
    """'Leeren': forget the old canvas and its drawing; the next run draws a new, empty one."""
    st.session_state.pop(canvas_key(), None)
    st.session_state[CANVAS_NR] = st.session_state.get(CANVAS_NR, 0) + 1
    st.session_state.pop(DRAWN, None)


def pct(p: float) -> str:
    if p > 0.999:
        return "über 99,9 %"
    return de(100 * p, 1) + " %"


# --- the models -----------------------------------------------------------------------------------

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


def compare_table(vector: np.ndarray, models: dict[str, object]) -> None:
    rows = []
    for label, model in models.items():
        probs = predict(model, vector)
        guess = int(np.argmax(probs))
        rows.append({"Modell": label, "Ziffer": guess, "Sicherheit": float(probs[guess])})
    # an HTML table: German percent ("98,3 %"), and on a phone its columns wrap instead of being cut
    st.table([{**row, "Sicherheit": pct(row["Sicherheit"]).replace(" %", "\u00a0%")} for row in rows],
             hide_index=True)


# --- the page -------------------------------------------------------------------------------------

st.markdown("""
Jetzt sind Sie dran: Schreiben Sie mit dem Finger, einem Stift oder der Maus eine Ziffer von 0 bis 9 auf
die schwarze Fläche. Sobald Sie absetzen, bereitet die App Ihre Zeichnung so auf wie die MNIST-Ziffern, mit
denen die Modelle trainiert wurden, und zeigt, was das gewählte Modell darin erkennt.
""")
with st.expander("Was passiert mit Ihrer Zeichnung?", icon=":material/info:"):
    st.markdown("""
Ein Modell kennt nur Bilder, die genauso vorbereitet sind wie seine Trainingsdaten. Bei MNIST wurde jede
Ziffer so normiert – und genau das macht diese Seite mit Ihrer Zeichnung, bevor sie ins Netz geht:

1. **Graustufen:** aus den Farbkanälen wird ein Helligkeitswert je Pixel, weiße Tinte auf Schwarz.
2. **Zuschneiden:** alles außerhalb des kleinsten Rechtecks um die Striche fällt weg.
3. **Skalieren:** die längere Seite wird auf 20 Pixel gebracht, das Seitenverhältnis bleibt, weiche Kanten
   entstehen durch Kantenglättung. Sehr dünne oder sehr dicke Striche werden dabei an die Strichstärke der
   MNIST-Ziffern angeglichen.
4. **Einpassen:** das Ergebnis kommt in ein Feld von 28 × 28 Pixeln und wird so verschoben, dass sein
   Schwerpunkt in der Mitte liegt.

Ohne diese Schritte würde eine kleine Ziffer in der Ecke als winziger Fleck ankommen – viele Zeichen-Demos
liegen genau deshalb daneben. Am Ende stehen 784 Zahlen zwischen 0 und knapp 1 (Grauwert / 256), wie beim
Training.
""")

# model choice ------------------------------------------------------------------------------------
available = set(pretrained.available())
chapter_models = {PRESET_TITLES[name]: name for name in CHAPTER_MODELS if name in available}
missing = [PRESET_TITLES[name] for name in CHAPTER_MODELS if name not in available]
live = {title: result for title, (_, result) in runlog.own_models().items()}   # the learner's own runs
options = list(chapter_models) + list(live)
if missing:
    st.info("Noch nicht vorhanden: " + ", ".join(missing) + ". Die fertigen Modelle entstehen mit "
            "»python -m tutorial pretrain«; sobald eine Datei da ist, erscheint das Modell hier.",
            icon=":material/hourglass_top:")
if not options:
    st.warning("Es gibt noch kein Modell zum Ausprobieren: Weder die fertigen Modelle aus »assets/models« "
               "noch ein selbst trainiertes Modell sind vorhanden. Trainieren Sie in einem Kapitel ein Modell "
               "oder erzeugen Sie die fertigen Modelle mit »python -m tutorial pretrain«.",
               icon=":material/warning:")
default_label = PRESET_TITLES[DEFAULT_MODEL]
if st.session_state.get(f"{KEY}_model") not in options:
    st.session_state.pop(f"{KEY}_model", None)
choice = st.selectbox("Modell", options, index=options.index(default_label) if default_label in options else 0,
                      key=f"{KEY}_model", disabled=not options,
                      help="Die fertigen Modelle der Kapitel und jedes Modell, das Sie in dieser Sitzung "
                           "selbst trainiert haben.") if options else None
if live:
    st.caption(f"Dazu {len(live)} Modell(e), die Sie in dieser Sitzung selbst trainiert haben.")


def get_model(label: str):
    """The chosen model, or None (after a German error) when its file cannot be loaded."""
    if label in live:
        return live[label].model
    return loader.pretrained_model(chapter_models[label])


def all_models() -> dict[str, object]:
    return {label: model for label in options if (model := get_model(label)) is not None}


# drawing -----------------------------------------------------------------------------------------
left, right = st.columns([1, 1], gap="large")
with left:
    stroke = st.slider("Stiftbreite", min_value=5, max_value=40, value=20, step=1, key=f"{KEY}_stroke",
                       help="Breite des Pinsels in Pixeln der 280 × 280 großen Zeichenfläche.")
    # the canvas's toolbar sits in a strip just above the canvas, always shown (tutorial.app.german:
    # touch screens have no hover)
    st.caption("Die Knöpfe direkt über der Zeichenfläche: letzten Strich zurücknehmen oder wiederholen, "
               "alles löschen.")
    result = st_canvas(stroke_width=stroke, stroke_color="#FFFFFF", background_color="#000000",
                       height=CANVAS_SIZE, width=CANVAS_SIZE, drawing_mode="freedraw",
                       return_image_data=True, key=canvas_key())
    st.button("Leeren", key=f"{KEY}_clear", on_click=clear_canvas, icon=":material/delete:",
              help="Löscht die Zeichnung. Einzelne Striche nehmen Sie mit dem Pfeil über der "
                   "Zeichenfläche zurück.")

image = None
try:
    image = result.image_data
except Exception:   # a damaged data URL from the browser: treat the canvas as empty
    image = None
vector = canvas_to_mnist(image) if image is not None else None

with right:
    if vector is None:
        st.session_state.pop(DRAWN, None)
        st.info("Malen Sie eine Ziffer von 0 bis 9 auf die schwarze Fläche – groß oder klein, mittig oder "
                "am Rand. Die Vorhersage erscheint hier, sobald Sie den Finger oder die Maustaste loslassen.",
                icon=":material/draw:")
    else:
        st.session_state[DRAWN] = vector
        if choice is None:
            st.image(to_display(vector, 8), caption=SEES, width=224)
            st.warning("Ohne Modell gibt es keine Vorhersage.")
        elif (model := get_model(choice)) is not None:
            show_prediction(vector, model, "Vorhersage", SEES)

if vector is not None and options:
    st.subheader("Alle Modelle vergleichen", anchor=False)
    st.caption("Dieselbe Zeichnung, jedes verfügbare Modell: erkannte Ziffer und wie sicher es sich ist.")
    compare_table(vector, all_models())

# upload ------------------------------------------------------------------------------------------
st.divider()
st.subheader("Oder: ein Foto oder einen Scan hochladen", anchor=False)
st.markdown("Schreiben Sie eine Ziffer mit einem dicken Stift auf weißes Papier und fotografieren Sie sie "
            "möglichst formatfüllend. Dunkle Schrift auf hellem Grund wird automatisch umgekehrt.")
upload = st.file_uploader("Bild einer Ziffer (PNG oder JPEG, höchstens 5 MB – größere Fotos bitte vorher "
                          "verkleinern oder zuschneiden)", key=f"{KEY}_upload", max_upload_size=5)
# no type=[…]: Streamlit would refuse another file with only a red icon and an English hover text;
# image_to_mnist checks the file itself and answers in German below
if upload is not None:
    try:
        photo = image_to_mnist(upload.getvalue())
    except ImageInputError as exc:
        st.error(str(exc), icon=":material/error:")
    else:
        if choice is None:
            st.image(to_display(photo, 8), caption=SEES_PHOTO, width=224)
            st.warning("Ohne Modell gibt es keine Vorhersage.")
        elif (model := get_model(choice)) is not None:
            show_prediction(photo, model, "Vorhersage für Ihr Bild", SEES_PHOTO)
        if vector is None:
            st.session_state[DRAWN] = photo
        if options:
            with st.expander("Alle Modelle für Ihr Bild vergleichen"):
                compare_table(photo, all_models())

page.end(chapter)
