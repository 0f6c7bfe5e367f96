"""Explanations of chapter 4: one neuron, a dense layer, activations, softmax, cross-entropy,
gradient descent.

Where the maths fits Vega expressions (the neuron, the activation functions, softmax's
temperature, one-hot and cross-entropy) the chart computes it in the browser from sliders bound
inside it (:mod:`tutorial.charts.browser`): no script run at all. The others run in their own
``st.fragment``, so a widget reruns only its visual, never the page. Nothing here imports
TensorFlow.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from tutorial import theory as T
from tutorial.app import state, views
from tutorial.charts import browser as B
from tutorial.charts import theory as C
from tutorial.deutsch import number, short, signed

# The sliders Vega binds to a chart sit under it by default; put them on top, next to what they change.
CONTROLS_ABOVE = ("<style>.vega-embed:has(> .vega-bindings) { display: flex !important; "
                  "flex-direction: column-reverse; align-items: flex-start; } "
                  ".vega-bindings { margin-bottom: 0.5rem; } "
                  ".vega-bind { display: flex; align-items: center; gap: 0.4rem; flex-wrap: wrap; } "
                  ".vega-bind-name { min-width: 6.5rem; }</style>")


def browser_chart(build, *args) -> None:
    """The chart ``build(*args)`` whose sliders live in the browser, with its controls above it."""
    st.html(CONTROLS_ABOVE)
    views.cached_chart(build, *args, width="content")


def neuron_demo() -> None:
    """One neuron: three inputs, three weights and a bias as sliders → weighted sum → activation."""
    st.markdown("##### Probieren Sie es aus: ein einzelnes Neuron")
    st.caption("Die Regler gehören zur Grafik: Sie rechnet direkt in Ihrem Browser.")
    browser_chart(B.neuron_chart)


@st.fragment
def dense_layer_demo() -> None:
    """A dense layer on a small batch: X·W + b with the shapes, the broadcast bias and the activation."""
    k = "dense_layer_demo"
    st.markdown("##### Probieren Sie es aus: eine dichte Schicht als Matrixprodukt")
    c1, c2, c3 = st.columns(3)
    batch = c1.slider("Bilder im Batch (Zeilen von X)", 1, 6, 3, key=f"{k}_batch")
    n_in = c2.slider("Eingaben pro Bild (hier statt 784 Pixeln)", 2, 6, 4, key=f"{k}_inputs")
    units = c3.slider("Neuronen der Schicht", 1, 5, 3, key=f"{k}_units")
    c4, c5 = st.columns([2, 1])
    activation = c4.radio("Aktivierung", ["softmax", "relu"], horizontal=True, key=f"{k}_activation",
                          help="softmax wie in der letzten Schicht eines Netzes, relu wie in Zwischenschichten")
    seed = state.counter(f"{k}_seed")
    if c5.button("Neue Zufallszahlen", key=f"{k}_shuffle"):
        seed = state.bump(f"{k}_seed")
    rng = np.random.default_rng(seed)
    X = np.round(rng.uniform(0, 1, (batch, n_in)), 2)
    W = np.round(rng.normal(0, 0.8, (n_in, units)), 2)
    b = np.round(rng.normal(0, 0.5, units), 2)
    row = st.slider("Zeile hervorheben (ein Bild des Batches)", 0, batch - 1, 0, key=f"{k}_row") if batch > 1 else 0
    r = T.dense_layer(X, W, b, activation=activation)
    s = r["shapes"]
    st.markdown(f"**Formen:** X {s['X']} · W {s['W']} = X·W {s['XW']}; dazu b {s['b']} → "
                f"Ergebnis {s['Y']}. Der Bias hat nur **einen** Wert pro Neuron; beim Addieren wird er "
                f"für jede der {batch} Zeilen wiederholt (»Broadcasting«).")
    panels = [[(X, "X (Eingaben)", "Bild", "Eingabe", row), (W, "W (Gewichte)", "Eingabe", "Neuron", None),
               (r["XW"], "X·W", "Bild", "Neuron", row)],
              [(b[None, :], "b (wie gespeichert)", "", "Neuron", None),
               (r["b_broadcast"], "b nach Broadcasting", "Bild", "Neuron", row),
               (r["Y"], f"{activation}(X·W + b)", "Bild", "Neuron", row)]]
    for widths, line in zip(([n_in + 1, units + 1, units + 1], [1, 1, 1]), panels):
        for col, (M, title, rows, cols, hl) in zip(st.columns(widths), line):
            col.vega_lite_chart(C.matrix_chart(M, title, rows, cols, highlight_row=hl), width="content")
    first = " + ".join(f"{number(a, 2)}·{signed(w, 2)}" for a, w in zip(X[row], W[:, 0]))
    after = (f"nach relu {number(r['Y'][row, 0])}" if activation == "relu" else
             f"nach softmax über die {units} Neuronen der Zeile {number(r['Y'][row, 0])}"
             + (" – bei nur einem Neuron ist das immer 1" if units == 1 else ""))
    st.caption(f"Beispiel Zeile {row}, Neuron 0: {first} + {signed(b[0], 2)} = {number(r['Z'][row, 0])}, {after}.")


def activations_demo() -> None:
    """sigmoid and relu; the derivatives are a checkbox inside the chart."""
    st.html(CONTROLS_ABOVE)
    views.cached_chart(B.activation_chart)


DEFAULT_LOGITS = [1.5, -0.3, 0.2, 4, -1, 0.8, 2.9, -2.2, 0, 1.1]   # the softmax demo's start; chapter 4 quotes it


@st.fragment
def softmax_demo() -> None:
    """softmax of editable logits as a bar chart; the temperature is a slider in the chart."""
    k = "softmax_demo"
    st.markdown("##### Probieren Sie es aus: softmax")
    raw = st.text_input("Logits (zehn Zahlen, durch Leerzeichen oder Semikolon getrennt)",
                        "; ".join(short(v) for v in DEFAULT_LOGITS), key=f"{k}_logits")
    try:
        logits = parse_numbers(raw)
    except ValueError:
        st.warning("Bitte geben Sie Zahlen ein, z. B. »2; 1; 0,5; -1«. Als Dezimaltrennzeichen geht Komma oder Punkt.")
        return
    if len(logits) > 20:
        st.warning("Höchstens 20 Logits, bitte.")
        return
    browser_chart(B.softmax_chart, logits)
    st.caption("Kleine Temperatur → die Exponentialfunktion verstärkt Unterschiede, der Gewinner nimmt fast alles "
               "(fast ein »hartes« Maximum). Große Temperatur → alle Klassen rücken zusammen. Der Regler rechnet "
               "im Browser; eine neue Eingabe der Logits setzt ihn auf 1 zurück.")


def parse_numbers(raw: str) -> list[float]:
    """German or English decimals, separated by ';' or spaces (a comma is a decimal comma when
    a ';' separates the numbers): '1,5; -0,3' and '1.5 -0.3' both give [1.5, -0.3]."""
    parts = raw.split(";") if ";" in raw else raw.split()
    values = [float(p.strip().replace("−", "-").replace(",", ".")) for p in parts if p.strip()]
    if not values or not all(np.isfinite(values)):
        raise ValueError("keine Zahlen")
    return values


PREDICTION_START = [5, 5, 5, 40, 5, 5, 5, 5, 20, 5]     # percent; the learner's edits are kept from here on


@st.fragment
def one_hot_cross_entropy_demo() -> None:
    """One-hot encoding of a digit and the cross-entropy against a prediction the learner types."""
    k = "one_hot_cross_entropy_demo"
    st.markdown("##### Probieren Sie es aus: One-hot und Kreuzentropie")
    left, right = st.columns([2, 3])
    with left:
        label = st.selectbox("Richtige Ziffer", list(range(10)), index=3, key=f"{k}_label")
        st.markdown("Die Vorhersage des Netzes (in %, wird auf Summe 100 % gebracht):")
        start = pd.DataFrame({"Ziffer": [str(i) for i in range(10)], "Wahrscheinlichkeit": PREDICTION_START})
        edited = st.data_editor(
            start, key=f"{k}_prediction", hide_index=True, width="stretch", disabled=["Ziffer"],
            column_config={"Wahrscheinlichkeit": st.column_config.NumberColumn(
                "Wahrscheinlichkeit in %", min_value=0, max_value=100, step=1, format="%d %%", required=True)})
    p = pd.to_numeric(edited["Wahrscheinlichkeit"], errors="coerce").fillna(0).clip(0, 100).to_numpy(float)
    with right:
        if p.sum() <= 0:
            st.warning("Mindestens eine Wahrscheinlichkeit muss größer als 0 sein.")
            return
        views.cached_chart(B.cross_entropy_chart, p, label, width="content")
    loss = float(T.cross_entropy(T.one_hot(label), p / p.sum()))
    st.caption(f"Kreuzentropie = −Σ (One-hot · log Vorhersage) = −log(p der {label}) = {number(loss)}. "
               "Bloße Wahrscheinlichkeiten wie diese hält Keras zwischen 0,0000001 und 0,9999999, damit ein p "
               "von 0 nicht −log(0) = unendlich ergibt; aus der softmax-Schicht eines Modells rechnet es mit den "
               "Logits und schneidet nichts ab.")


@st.fragment
def gradient_descent_demo(surface: str | None = None) -> None:
    """Gradient descent on a 2-D loss surface: valley or saddle, with plain GD, momentum and Adam.

    ``surface`` fixes the landscape ('tal' or 'sattel'; then two instances can sit on one page);
    None lets the learner choose.
    """
    k = f"gradient_descent_demo_{surface or 'any'}"
    c1, c2, c3 = st.columns(3)
    if surface is None:
        surface = c1.radio("Landschaft", list(T.SURFACES), format_func=lambda s: T.SURFACES[s].title,
                           key=f"{k}_surface")
    else:
        c1.markdown(f"**Landschaft:** {T.SURFACES[surface].title}")
    default_lr = 0.3 if surface == "tal" else 0.05
    lr = c2.select_slider("Lernrate", [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 0.95, 1.05, 1.2],
                          value=default_lr, key=f"{k}_lr_{surface}", format_func=short)
    steps = c3.slider("Schritte", 5, 200, 60 if surface == "tal" else 120, 5, key=f"{k}_steps_{surface}")
    methods = st.multiselect("Verfahren", list(T.METHODS),
                             default=["gd", "momentum", "adam"] if surface == "sattel" else ["gd"],
                             format_func=T.METHODS.get, key=f"{k}_methods_{surface}")
    s = T.SURFACES[surface]
    c4, c5 = st.columns(2)
    x0 = c4.slider("Start w₁", float(s.x_range[0]), float(s.x_range[1]), float(s.start[0]), 0.1,
                   key=f"{k}_x0_{surface}")
    y0 = c5.slider("Start w₂", float(s.y_range[0]), float(s.y_range[1]), round(float(s.start[1]), 1), 0.1,
                   key=f"{k}_y0_{surface}")
    if surface == "sattel" and y0 == 0.0:
        y0 = 1e-4  # a hair off the ridge, as rounding noise would put it in practice
    if not methods:
        st.info("Wählen Sie mindestens ein Verfahren.")
        return
    runs = [T.descend(surface, (x0, y0), lr, steps, m) for m in methods]
    views.vega_lite_chart(C.descent_chart(surface, runs))
    views.cached_chart(C.descent_loss_chart, runs)
    for r in runs:
        name = T.METHODS[r["method"]]
        end = r["path"][-1]
        if r["diverged"]:
            st.error(f"{name}: divergiert nach {len(r['path']) - 1} Schritten – die Lernrate ist zu groß, "
                     "jeder Schritt springt über das Tal hinaus und landet höher als vorher.")
        else:
            st.write(f"{name}: nach {len(r['path']) - 1} Schritten bei ({number(end[0], 2)}; {number(end[1], 2)}), "
                     f"Verlust {number(r['loss'][-1], 4)}.")
    if surface == "sattel":
        st.caption("Am Sattelpunkt (0; 0) ist der Gradient fast null: Der einfache Abstieg kommt dort kaum vom "
                   "Fleck (Verlust 0,25). Momentum nimmt Schwung aus den vorigen Schritten mit, Adam teilt jeden "
                   "Schritt durch die typische Gradientengröße – beide rollen in eine der Mulden (Verlust 0). "
                   "(Start w₂ = 0 wird als 0,0001 gerechnet: Genau auf dem Kamm käme kein Verfahren je herunter, "
                   "in echten Netzen sorgt schon Rundungsrauschen für diese winzige Abweichung.)")
    else:
        st.caption("Über einer Lernrate von 1 wird das schmale Tal übersprungen: Der Abstieg schaukelt sich auf. "
                   "Sehr kleine Lernraten sind sicher, brauchen aber viele Schritte entlang der flachen Talsohle.")
    curvature = ("(quer zum Tal mit Krümmung 2, deshalb kippt es erst ab 2 ÷ 2 = 1)" if surface == "tal"
                 else "(in den Mulden Krümmung 1 und 2)")
    st.caption(f"Warum hier {short(default_lr)} und nicht 0,001 wie im Text? Wie groß eine Lernrate sein darf, hängt "
               "davon ab, wie steil und gekrümmt die Verlustfläche ist. Diese Spielzeugfläche mit zwei Gewichten "
               f"ist sanft gekrümmt {curvature}. Der Verlust eines echten Netzes hängt von Hunderttausenden "
               f"Gewichten ab und hat viel steilere Richtungen. Dort wäre {short(default_lr)} viel zu groß; für Adam "
               "ist 0,001 voreingestellt.")
