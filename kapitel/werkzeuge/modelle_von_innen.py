"""Inside the trained models: dense templates, conv filters, feature maps, confusion matrices.

TensorFlow is imported lazily (loading a model), behind a spinner. Reads
``st.session_state["drawn_digit"]`` (float32 (784,), pixel/256) stored by the canvas page.
"""
import altair as alt
import numpy as np
import streamlit as st

from tutorial import pretrained
from tutorial import theory as T
from tutorial.charts import internals as C
from tutorial.app import german, loader, page, runlog, state
from tutorial.deutsch import de, de_format, percent
from tutorial.spec import PRESET_TITLES, PRESETS, TEST_SIZE

CONV_MODELS = ("keras_04_mnist_convolutional", "keras_05_mnist_batch_norm", "ex_11_conv_no_dropout")
OWN = runlog.own_models()    # the learner's own trained networks: title -> (run, model)

chapter = page.start(__file__)
st.markdown("""
Ein trainiertes Netz ist keine Blackbox: Seine Gewichte sind Zahlen, die man ansehen kann, und für
jedes Bild lässt sich verfolgen, was jede Schicht daraus macht. Diese Seite öffnet die fertig
trainierten Modelle der Kapitel 3 bis 13 – und jedes Netz, das Sie in dieser Sitzung selbst
trainiert haben.
""")
if OWN:
    st.caption(f"Ihre eigenen Netze ({len(OWN)}) finden Sie in den Auswahllisten unten, jeweils nach den fertigen "
               "Modellen.")


def load(option: str):
    """A pretrained model (by preset name) or one of the learner's own (by title); None after the
    loader's German message when a file is missing or damaged."""
    if option in OWN:
        return OWN[option][1].model
    return loader.pretrained_model(option)


def model_title(option: str) -> str:
    return PRESET_TITLES.get(option, option)


def ident(option: str) -> str:
    return OWN[option][0].id if option in OWN else option


@st.cache_data(max_entries=12, show_spinner=False)
def test_probabilities(ident: str, _model) -> np.ndarray:
    """The model's probabilities (10,000 × 10) for all test digits (cached per model: ``ident``)."""
    from tutorial import data, models
    images, _ = loader.mnist("test")
    return models.predict_proba(_model, data.to_model_input(images))


# --- 1. the templates of the single dense layer ---------------------------------------------------
st.header("Die zehn Schablonen des einschichtigen Netzes")
st.markdown("""
Das Netz aus Kapitel 3 hat genau eine dichte Schicht: 784 Eingaben, 10 Neuronen. Die Gewichte eines
Neurons sind 784 Zahlen – eine pro Pixel – und lassen sich deshalb wieder als 28 × 28-Bild zeigen.
**Rot** heißt: Tinte an dieser Stelle spricht *für* diese Ziffer, **blau**: Tinte hier spricht
*dagegen*. Jedes Neuron hat also eine Art Schablone gelernt, und die gewichtete Summe misst, wie gut
ein Bild auf sie passt.
""")
model01 = load("keras_01_mnist")
if model01 is not None:
    kernel = np.asarray(model01.layers[-1].get_weights()[0])  # (784, 10)
    st.altair_chart(C.image_grid_chart([kernel[:, d].reshape(28, 28) for d in range(10)],
                                       [f"Ziffer {d}" for d in range(10)], columns=5, cell=120, diverging=True),
                    width="content")
    st.caption("Jede Schablone ist auf ihren eigenen größten Betrag skaliert; zeigen Sie mit der Maus auf ein Pixel, "
               "erscheint das echte Gewicht.")

# --- 2. first conv layer filters ----------------------------------------------------------------
st.header("Die Filter der ersten Faltungsschicht")
available_conv = [n for n in CONV_MODELS if n in pretrained.available()]
available_conv += [t for t, (run, _) in OWN.items() if run.spec.is_conv]
if not available_conv:
    st.info(loader.missing_message("keras_05_mnist_batch_norm"), icon=":material/hourglass_top:")
conv_name = st.selectbox("Faltungsnetz", available_conv or list(CONV_MODELS[:2]), format_func=model_title,
                         key="inside_conv_model", disabled=not available_conv)
conv_model = load(conv_name) if available_conv else None
if conv_model is not None:
    from tutorial import models

    first = models.first_conv_kernel(conv_model)  # (k, k, 1, filters)
    st.markdown(f"Die erste Faltung hat {first.shape[-1]} Filter der Größe {first.shape[0]} × {first.shape[1]} "
                f"– ihr Gewichtstensor hat die Form {tuple(first.shape)}. Viele sehen aus wie Kanten- oder "
                "Strichdetektoren in verschiedenen Richtungen: gelernt, nicht vorgegeben.")
    st.altair_chart(C.image_grid_chart([first[:, :, 0, f] for f in range(first.shape[-1])],
                                       [f"Filter {f + 1}" for f in range(first.shape[-1])],
                                       columns=12, cell=62, diverging=True), width="content")

    # --- 3. feature maps -------------------------------------------------------------------------
    st.header("Merkmalskarten: was jede Schicht sieht")
    drawn = st.session_state.get("drawn_digit")
    sources = ["Testziffer"] + (["Ihre Zeichnung"] if drawn is not None else [])
    left, right = st.columns([1, 2])
    source = left.radio("Eingabe", sources, key="inside_source", horizontal=True)
    if drawn is None:
        left.caption("Auf der Seite »Ziffern zeichnen« können Sie eine eigene Ziffer malen; sie erscheint dann "
                     "hier als weitere Eingabe.")
    images, labels = loader.mnist("test")
    if source == "Testziffer":
        index = german.whole_number("Nr. der Testziffer (0–9.999)", 0, TEST_SIZE - 1, container=left,
                                    key=state.keep("inside_digit", 0))
        if index is None:     # out of range: the German message stands under the box; show digit 0 meanwhile
            index = 0
        x = images[index].astype(np.float32) / 256.0
        title = f"Testziffer {index} (Label {int(labels[index])})"
    else:
        x = np.asarray(drawn, dtype=np.float32).reshape(28, 28)
        title = "Ihre Zeichnung"
    with st.spinner("Die Merkmalskarten werden berechnet …"):
        from tutorial import models
        blocks = models.conv_feature_maps(conv_model, x.reshape(784))
        probs = models.predict_proba(conv_model, x.reshape(1, 784))[0]
    with left:
        st.vega_lite_chart(C.image_chart(x, title, size=200), width="content")
    with right:
        guess = int(np.argmax(probs))
        share = percent(probs[guess], 1)
        st.markdown(f"Das Netz hält die Eingabe zu **{share}** für eine **{guess}**.")
        st.altair_chart(C.probability_bars(probs, int(labels[index]) if source == "Testziffer" else None,
                                           "Wahrscheinlichkeiten je Ziffer", height=220), width="stretch")
    for i, (label, maps) in enumerate(blocks):
        h, w, c = maps.shape
        st.markdown(f"**Faltungsblock {i + 1}** ({label}, nach der Aktivierung): {c} Karten zu {h} × {w}")
        columns = 12 if c <= 24 else 16
        st.altair_chart(C.image_grid_chart([maps[:, :, j] for j in range(c)], [f"{j + 1}" for j in range(c)],
                                           columns=min(c, columns), cell=max(38, 780 // columns - 8)),
                        width="content")
    st.caption("Hell = starke Antwort des Filters. Vorne reagieren die Karten auf Striche und Kanten an bestimmten "
               "Stellen; mit jeder Schicht werden die Karten kleiner (Schrittweite 2) und die Muster abstrakter.")

# --- 4. confusion matrices ----------------------------------------------------------------------
st.header("Welche Ziffern verwechselt ein Modell?")
st.markdown("""
Die **Verwechslungsmatrix** (*confusion matrix*) zählt für alle 10.000 Testziffern, welche Ziffer
richtig gewesen wäre (Zeile) und welche das Modell vorhergesagt hat (Spalte). Auf der Diagonale
stehen die Treffer, überall sonst Fehler. Klicken Sie auf ein Feld – oder wählen Sie es unten aus –,
um genau diese verwechselten Ziffern samt den Wahrscheinlichkeiten des Modells zu sehen.
""")
ready = [n for n in PRESETS if n in pretrained.available()] + list(OWN)
if not ready:
    st.info(loader.missing_message("keras_05_mnist_batch_norm"), icon=":material/hourglass_top:")
else:
    default = ready.index("keras_05_mnist_batch_norm") if "keras_05_mnist_batch_norm" in ready else 0
    name = st.selectbox("Modell", ready, index=default, format_func=model_title, key="inside_cm_model")
    if (cm_model := load(name)) is not None:
        with st.spinner("Das Modell klassifiziert alle 10.000 Testziffern …"):
            probs = test_probabilities(ident(name), cm_model)
        images, labels = loader.mnist("test")
        predicted = probs.argmax(axis=1)
        cm = T.confusion_matrix(labels, predicted)
        accuracy = T.accuracy_from_confusion(cm)
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
                                on_select="rerun", selection_mode="zelle", key=f"inside_cm_chart_{ident(name)}",
                                width="content")
        pairs = [(int(t), int(p)) for t, p in zip(*np.nonzero(off))]
        pairs.sort(key=lambda tp: -off[tp])
        clicked = None
        try:
            points = event.selection["zelle"] if event else []
            if points:
                clicked = (int(points[0]["wahr"]), int(points[0]["vorhergesagt"]))
        except (AttributeError, KeyError, TypeError, IndexError):
            clicked = None
        if not pairs:
            st.success("Dieses Modell hat keine einzige Testziffer verwechselt.")
        else:
            choice = st.selectbox("Verwechslung (richtig → vorhergesagt)", pairs,
                                  format_func=lambda tp: f"{tp[0]} → {tp[1]}  ({off[tp]}×)", key=f"inside_pair_{ident(name)}")
            true_digit, pred_digit = clicked if clicked is not None else choice
            if true_digit == pred_digit:
                st.info(f"Das ist ein Feld der Diagonale: {de(int(cm[true_digit, true_digit]))}-mal wurde die {true_digit} richtig erkannt. "
                        "Wählen Sie ein Feld außerhalb der Diagonale.")
            else:
                idx = np.flatnonzero((labels == true_digit) & (predicted == pred_digit))
                st.markdown(f"**{len(idx)}-mal** hat das Modell eine **{true_digit}** für eine **{pred_digit}** "
                            "gehalten" + (" – hier die ersten 12:" if len(idx) > 12 else ":"))
                cols = st.columns(4)
                for n, i in enumerate(idx[:12]):
                    with cols[n % 4]:
                        st.image(255 - images[i], width=84)
                        st.caption(f"Testziffer {i}: {percent(probs[i, pred_digit], 0)} für {pred_digit}, "
                                   f"{percent(probs[i, true_digit], 0)} für {true_digit}")
                        st.altair_chart(C.probability_bars(probs[i], true_digit, height=110), width="stretch")
                st.caption("Grün: die richtige Ziffer, rot: die Vorhersage des Modells.")
        acc_text = de_format(accuracy, ".4f")
        st.caption(f"Summe der Diagonale ÷ 10.000 = {acc_text} – das ist genau die Testgenauigkeit des Modells.")

page.end(chapter)
