"""Explanations of chapters 7, 9 and 13: vanishing gradients, NaN, dropout, overfitting, batch norm.

Each function renders one self-contained visual with its own widgets (keys prefixed by the
function's name) in its own ``st.fragment``: a widget reruns that visual only, not the page.
Numbers come from :mod:`tutorial.theory`, charts from :mod:`tutorial.charts.theory` (already
German), text numbers from :mod:`tutorial.deutsch`. Nothing here imports TensorFlow.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from tutorial import theory as T
from tutorial import theory_cnn as TC
from tutorial.app import state, views
from tutorial.charts import theory as C
from tutorial.deutsch import general, number, percent, scientific, short


# === chapters 7-9 ==============================================================================


@st.fragment
def sigmoid_vs_relu_gradients() -> None:
    """Sigmoid and relu with their derivatives; how much gradient survives N layers."""
    k = "sigmoid_vs_relu_gradients"
    st.markdown("##### Warum sigmoid tiefe Netze ausbremst")
    views.cached_chart(C.activation_functions_chart, with_derivatives=True)
    st.caption("Die Ableitung der sigmoid-Funktion ist höchstens 0,25 und an beiden Enden fast 0. "
               "Die Ableitung von relu ist 1 für alle positiven Eingaben.")
    n = st.slider("Anzahl der Schichten", 2, 20, 8, key=f"{k}_layers")
    norms = {act: T.layer_gradient_norms(n, act, seed=0)
             for act in ("sigmoid", "relu")}
    views.cached_chart(C.gradient_depth_chart, norms)
    ratio = {act: float(v[0] / v[-1]) for act, v in norms.items()}
    c1, c2 = st.columns(2)
    c1.metric("sigmoid: Gradient erste ÷ letzte Schicht", scientific(ratio['sigmoid']))
    c2.metric("relu: Gradient erste ÷ letzte Schicht", number(ratio['relu'], 2))
    st.caption(f"Gerechnet mit einem echten Netz aus {n} dichten Schichten zu je 64 Neuronen "
               "(Startgewichte glorot_uniform wie in Keras), ein Batch von 128 zufälligen Eingaben, "
               "Rückwärtsrechnung mit der Kettenregel. Bei sigmoid schrumpft der Gradient von Schicht zu Schicht "
               "grob um den Faktor 4: Jede Schicht multipliziert ihn mit der sigmoid-Ableitung (höchstens 0,25), "
               "die Gewichte ändern daran wenig. Über die "
               f"{n - 1} Übergänge bis zur ersten Schicht sind das grob 0,25^{n - 1} ≈ "
               f"{scientific(0.25 ** (n - 1))} – dieselbe Größenordnung wie die Messung oben. Die ersten "
               "Schichten lernen kaum noch.")


@st.fragment
def nan_demo() -> None:
    """log(softmax(x)) in float32, computed naively and in the stable fused way."""
    k = "nan_demo"
    st.markdown("##### Wie aus großen Logits NaN wird")
    base = np.array([1.0, 0.2, 0.0, -0.6])
    scale = st.slider("Logits vergrößern (Faktor s, Logits = s · [1; 0,2; 0; −0,6])", 1, 120, 10, key=f"{k}_scale")
    true_class = st.radio("Richtige Klasse", [0, 1, 2, 3], index=3, horizontal=True, key=f"{k}_class")
    logits = (base * scale).astype(np.float32)
    naive = T.log_softmax_naive(logits)
    stable = T.log_softmax_stable(logits)
    with np.errstate(over="ignore"):
        exps = np.exp(logits)
    df = pd.DataFrame({"Klasse": range(4), "Logit": [general(v, 4) for v in logits],
                       "exp(Logit) in float32": [general(v, 3) for v in exps],
                       "naiv: log(softmax)": [general(v, 4) for v in naive],
                       "stabil: x − max − log Σ exp": [general(v, 4) for v in stable]})
    views.table(df, "nan_demo")
    y = T.one_hot(true_class, 4)
    ce_naive = float(T.cross_entropy_from_logits(y, logits, stable=False))
    ce_stable = float(T.cross_entropy_from_logits(y, logits, stable=True))
    c1, c2 = st.columns(2)
    c1.metric("Kreuzentropie naiv", number(ce_naive, 4))
    c2.metric("Kreuzentropie stabil", number(ce_stable, 4))
    views.cached_chart(C.log_softmax_chart, logits, naive, stable)
    if not np.all(np.isfinite(naive)):
        st.error("Der naive Weg versagt: float32 kann nur Zahlen bis etwa 3,4 · 10³⁸ darstellen; exp(x) wird deshalb "
                 "ab x ≈ 89 unendlich (∞/∞ = NaN), und sehr kleine Wahrscheinlichkeiten werden zu 0, "
                 "deren Logarithmus −∞ ist. Ein einziges NaN im Verlust macht alle Gewichte zu NaN.")
    else:
        st.success("Bei diesen Logits rechnen beide Wege richtig. Schieben Sie den Faktor s nach rechts.")
    st.caption("Der stabile Weg tut zwei Dinge. Er zieht zuerst den größten Logit ab: Dann ist der größte "
               "Exponent 0, und nichts läuft über – das tut die softmax-Schicht von Keras übrigens immer, auch "
               "allein. Und er bildet den Logarithmus direkt als x − max − log Σ exp, ohne Umweg über eine "
               "winzige Wahrscheinlichkeit, die in float32 zu 0 würde (log 0 = −∞). Das Zweite nutzt Keras nur, "
               "wenn es softmax und Kreuzentropie zusammen berechnet.")


@st.fragment
def dropout_demo() -> None:
    """Dropout on a layer of ten neurons: which are dropped this step, scaling, evaluation."""
    k = "dropout_demo"
    st.markdown("##### Dropout Schritt für Schritt")
    c1, c2 = st.columns([3, 1])
    rate = c1.slider("Dropout-Rate p", 0.0, 0.8, 0.25, 0.05, key=f"{k}_rate")
    step_key = f"{k}_step"
    c2.write("")
    if c2.button("Neu würfeln", key=f"{k}_next", help="Der nächste Trainingsschritt lost neu aus"):
        state.bump(step_key)
    step = state.counter(step_key)
    values = np.round(T.relu(np.random.default_rng(7).normal(0.6, 0.6, 10)), 2)
    mask = T.dropout_mask(10, rate, np.random.default_rng(1000 + step))
    trained = T.apply_dropout(values, rate, mask)
    views.cached_chart(C.dropout_chart, values, mask, rate)
    kept = int(mask.sum())
    scale = 1.0 / (1.0 - rate)
    rng = np.random.default_rng(step)
    mean_sum = np.mean([T.apply_dropout(values, rate, T.dropout_mask(10, rate, rng)).sum() for _ in range(2000)])
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Trainingsschritt {step + 1}: aktiv", f"{kept} von 10")
    m2.metric("Summe ohne Dropout", number(values.sum(), 2))
    m3.metric("Summe in diesem Schritt", number(trained.sum(), 2),
              help="Über 2.000 zufällige Würfe gemittelt: " + number(mean_sum, 2))
    st.caption(f"Im Training wird jedes Neuron mit Wahrscheinlichkeit {number(rate, 2)} abgeschaltet, "
               f"jedes Mal neu gewürfelt. Die übrigen werden mit 1/(1−p) = {number(scale, 2)} multipliziert, damit "
               f"die Summe im Mittel gleich bleibt (Mittel über 2.000 Würfe: {number(mean_sum, 2)}). "
               "Bei der Auswertung und bei Vorhersagen ist Dropout aus: Alle Neuronen arbeiten, ohne Faktor.")


def _history_epochs(history: dict | None) -> list[dict]:
    if not history:
        return []
    return [e for e in history.get("epochs", []) if e.get("val_loss") is not None and e.get("loss") is not None]


OVERFIT_RUNS = ("ex_09_four_dense", "keras_03_mnist_dense_lrdecay_dropout", "ex_11_conv_no_dropout",
                "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm")


@st.fragment
def overfitting_gap(history: dict | None = None) -> None:
    """Training vs validation loss per epoch with the gap shaded; ``None``: a pretrained run."""
    k = "overfitting_gap"
    st.markdown("##### Training gegen Validierung: die Lücke")
    title = "Ihr Lauf"
    if history is None:
        from tutorial import pretrained
        from tutorial.presets import PRESET_TITLES
        ready = [n for n in OVERFIT_RUNS if n in pretrained.available()]
        if not ready:
            st.info("Die fertig trainierten Läufe liegen noch nicht vor (sie werden gerade erzeugt). "
                    "Trainieren Sie selbst oder schauen Sie in ein paar Minuten noch einmal vorbei.")
            return
        name = st.selectbox("Fertiger Lauf", ready, format_func=PRESET_TITLES.get, key=f"{k}_run")
        try:
            history = pretrained.load_history(name)
        except (OSError, ValueError):
            st.warning("Der gespeicherte Verlauf ließ sich nicht lesen.")
            return
        title = PRESET_TITLES.get(name, name)
    epochs = _history_epochs(history)
    if len(epochs) < 2:
        st.info("Für diese Ansicht braucht es mindestens zwei Epochen mit Validierung.")
        return
    views.cached_chart(C.overfitting_chart, epochs, f"Verlust pro Epoche – {title}")
    best = min(epochs, key=lambda e: e["val_loss"])
    last = epochs[-1]
    gap = last["val_loss"] - last["loss"]
    c1, c2, c3 = st.columns(3)
    c1.metric("Bester Validierungsverlust", number(best["val_loss"], 4), f"Epoche {best['epoch']}", delta_color="off")
    c2.metric("Validierungsverlust zuletzt", number(last["val_loss"], 4),
              number(last["val_loss"] - best["val_loss"], 4), delta_color="inverse")
    c3.metric("Lücke zuletzt (Validierung − Training)", number(gap, 4))
    if best["epoch"] < last["epoch"] and last["val_loss"] > best["val_loss"] * 1.02 and gap > 0:
        st.warning("Der Trainingsverlust sinkt weiter, der Validierungsverlust steigt wieder: Das Netz lernt die "
                   "Trainingsbilder auswendig statt allgemeiner Merkmale – Überanpassung (Overfitting).")
    else:
        st.success("Die beiden Kurven laufen gemeinsam – hier ist kaum Überanpassung zu sehen.")


# === chapter 13 ================================================================================


def _answers(x) -> str:
    """The middle 90 % of a sigmoid neuron's answers to a batch, e.g. "0,16 bis 0,84"."""
    low, high = np.percentile(T.sigmoid(np.asarray(x, float)), [5, 95])
    return f"{number(float(low), 2)} bis {number(float(high), 2)}"


@st.fragment
def batchnorm_normalize() -> None:
    """Chapter 13's main experiment: one batch of pre-activations under the sigmoid, before and after
    normalising it (α = 1, β = 0), with how differently the neuron answers and how much lies on the flat ends."""
    k = "batchnorm_normalize"
    st.markdown("##### Probieren Sie es aus: ein Batch vor und nach dem Normalisieren")
    case = st.radio("Wo liegen die Werte des Neurons für die 512 Bilder des Batches?", list(TC.PREACTIVATION_CASES),
                    horizontal=True, key=f"{k}_case")
    x = TC.preactivation_batch(case, seed=1)
    after = TC.batch_norm(x)["output"]
    left, right = st.columns(2)
    left.altair_chart(C.batchnorm_chart(x, f"vorher: {case}"), width="stretch")
    right.altair_chart(C.batchnorm_chart(after, "nach dem Normalisieren"), width="stretch")
    m = st.columns(4)
    m[0].metric("Antworten vorher", _answers(x))
    m[1].metric("Antworten nachher", _answers(after))
    m[2].metric("Auf dem flachen Ende vorher", percent(TC.saturated_fraction(x), 0))
    m[3].metric("Auf dem flachen Ende nachher", percent(TC.saturated_fraction(after), 0))
    st.caption("Blau: wie viele Bilder des Batches welchen Wert liefern; rot: die sigmoid-Kurve, die daraus die "
               "Antwort des Neurons macht. »Antworten«: die mittleren 90 % der Antworten auf die 512 Bilder. "
               "»Flaches Ende«: Dort ist die Ableitung der Kurve kleiner als 4 % ihres Höchstwerts.")


@st.fragment
def batchnorm_alpha_beta() -> None:
    """Chapter 13's deeper part: normalising a batch, then scaling by α and shifting by β."""
    k = "batchnorm_alpha_beta"
    st.markdown("##### Nach dem Normalisieren: Faktor α und Versatz β")
    c1, c2, c3 = st.columns(3)
    case = c1.selectbox("Ausgangsverteilung", list(TC.PREACTIVATION_CASES), key=f"{k}_case")
    alpha = c2.slider("Faktor α", 0.1, 4.0, 1.0, 0.1, key=f"{k}_alpha")
    beta = c3.slider("Versatz β", -4.0, 4.0, 0.0, 0.1, key=f"{k}_beta")
    x = TC.preactivation_batch(case, seed=1)
    r = TC.batch_norm(x, alpha, beta)
    left, right = st.columns(2)
    left.altair_chart(C.batchnorm_chart(x, "vorher"), width="stretch")
    right.altair_chart(C.batchnorm_chart(r["output"], f"nachher: α·x̂ + β (α = {short(alpha)}, β = {short(beta)})"),
                       width="stretch")
    m = st.columns(4)
    m[0].metric("Mittelwert vorher", number(float(x.mean()), 2))
    m[1].metric("Standardabweichung vorher", number(float(x.std()), 2))
    m[2].metric("Mittelwert nachher", number(float(r["output"].mean()), 2))
    m[3].metric("Standardabweichung nachher", number(float(r["output"].std()), 2))
    st.caption("x̂ ist der normalisierte Wert (Mittelwert 0, Standardabweichung 1). Danach landet der Mittelwert "
               "bei β und die Standardabweichung bei α, wo auch immer die Werte vorher lagen – bei »zu schmal« etwas "
               "darunter, weil BN durch eine um ein winziges ε vergrößerte Standardabweichung teilt.")
