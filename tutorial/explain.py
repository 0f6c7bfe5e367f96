"""Interactive explanations: one Streamlit function per visual, called from the chapter pages.

Each function renders a self-contained section with its own widgets (keys prefixed by the
function's name) and computes its numbers with :mod:`tutorial.theory`. Nothing here imports
TensorFlow.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from tutorial import theory as T
from tutorial import theory_charts as C
from tutorial.deutsch import de, de_format, percent, short


def _num(x: float, digits: int = 3) -> str:
    """German number format: comma as decimal separator."""
    if x is not None and np.isfinite(x):
        x = float(x) + 0.0  # no "-0,00"
        if round(x, digits) == 0:
            x = 0.0
    if x is None or not np.isfinite(x):
        return {True: "NaN", False: "−∞" if x is not None and x < 0 else "+∞"}[x is None or np.isnan(x)]
    return de_format(x, f".{digits}f")


def _signed(x: float, digits: int = 2) -> str:
    """Negative numbers in parentheses, for products written out: 0,30·(−0,7)."""
    return f"(−{_num(-x, digits)})" if x < 0 else _num(x, digits)


# === chapter 4 =================================================================================


def neuron_demo() -> None:
    """One neuron: three inputs, three weights and a bias as sliders → weighted sum → activation."""
    k = "neuron_demo"
    st.markdown("##### Probieren Sie es aus: ein einzelnes Neuron")
    cols = st.columns(4)
    inputs, weights = [], []
    defaults = [(0.8, 1.2), (0.3, -0.7), (0.5, 0.4)]
    for i, (c, (x0, w0)) in enumerate(zip(cols[:3], defaults)):
        with c:
            inputs.append(st.slider(f"Eingabe x{i + 1}", 0.0, 1.0, x0, 0.05, key=f"{k}_x{i}"))
            weights.append(st.slider(f"Gewicht w{i + 1}", -3.0, 3.0, w0, 0.1, key=f"{k}_w{i}"))
    with cols[3]:
        bias = st.slider("Bias b", -3.0, 3.0, -0.2, 0.1, key=f"{k}_b")
        activation = st.radio("Aktivierung", ["relu", "sigmoid"], key=f"{k}_act", horizontal=True)
    r = T.neuron(inputs, weights, bias, activation)
    terms = " + ".join(f"{_num(x, 2)}·{_signed(w, 1)}" for x, w in zip(inputs, weights))
    st.markdown(f"Gewichtete Summe: {terms} + ({_num(bias, 1)}) = **{_num(r['weighted_sum'])}**  \n"
                f"Ausgabe: {activation}({_num(r['weighted_sum'])}) = **{_num(r['output'])}**")
    left, right = st.columns(2)
    left.altair_chart(C.german(C.products_chart(inputs, weights, bias)), width="stretch")
    right.altair_chart(C.german(C.neuron_chart(r["weighted_sum"], r["output"], activation)), width="stretch")


def dense_layer_demo() -> None:
    """A dense layer on a small batch: X·W + b with the shapes and the broadcast bias."""
    k = "dense_layer_demo"
    st.markdown("##### Probieren Sie es aus: eine dichte Schicht als Matrixmultiplikation")
    c1, c2, c3 = st.columns(3)
    batch = c1.slider("Bilder in der Batch (Zeilen von X)", 1, 6, 3, key=f"{k}_batch")
    n_in = c2.slider("Eingaben pro Bild (hier statt 784 Pixeln)", 2, 6, 4, key=f"{k}_inputs")
    units = c3.slider("Neuronen der Schicht", 1, 5, 3, key=f"{k}_units")
    seed = st.session_state.get(f"{k}_seed", 0)
    if st.button("Neue Zufallszahlen", key=f"{k}_shuffle"):
        seed += 1
        st.session_state[f"{k}_seed"] = seed
    rng = np.random.default_rng(seed)
    X = np.round(rng.uniform(0, 1, (batch, n_in)), 2)
    W = np.round(rng.normal(0, 0.8, (n_in, units)), 2)
    b = np.round(rng.normal(0, 0.5, units), 2)
    row = st.slider("Zeile hervorheben (ein Bild der Batch)", 0, batch - 1, 0, key=f"{k}_row") if batch > 1 else 0
    r = T.dense_layer(X, W, b, activation="relu")
    s = r["shapes"]
    st.markdown(f"**Formen:** X {s['X']} · W {s['W']} = X·W {s['XW']}; dazu b {s['b']} → "
                f"Ergebnis {s['Y']}. Der Bias hat nur **einen** Wert pro Neuron; beim Addieren wird er "
                f"für jede der {batch} Zeilen wiederholt („Broadcasting“).")
    top = st.columns([n_in + 1, units + 1, units + 1])
    top[0].altair_chart(C.german(C.matrix_chart(X, "X (Eingaben)", "Bild", "Eingabe", highlight_row=row)), width="content")
    top[1].altair_chart(C.german(C.matrix_chart(W, "W (Gewichte)", "Eingabe", "Neuron")), width="content")
    top[2].altair_chart(C.german(C.matrix_chart(r["XW"], "X·W", "Bild", "Neuron", highlight_row=row)), width="content")
    bottom = st.columns(3)
    bottom[0].altair_chart(C.german(C.matrix_chart(b[None, :], "b (wie gespeichert)", "", "Neuron")), width="content")
    bottom[1].altair_chart(C.german(C.matrix_chart(r["b_broadcast"], "b nach Broadcasting", "Bild", "Neuron",
                                          highlight_row=row)), width="content")
    bottom[2].altair_chart(C.german(C.matrix_chart(r["Y"], "relu(X·W + b)", "Bild", "Neuron", highlight_row=row)),
                           width="content")
    x_row = X[row]
    first = " + ".join(f"{_num(a, 2)}·{_signed(w, 2)}" for a, w in zip(x_row, W[:, 0]))
    st.caption(f"Beispiel Zeile {row}, Neuron 0: {first} + ({_num(b[0], 2)}) = {_num(r['Z'][row, 0])}, "
               f"nach relu {_num(r['Y'][row, 0])}.")


def activations_demo() -> None:
    """sigmoid and relu (with derivatives on demand)."""
    k = "activations_demo"
    show = st.toggle("Ableitungen einblenden", key=f"{k}_deriv")
    st.altair_chart(C.german(C.activation_functions_chart(with_derivatives=show)), width="stretch")


def softmax_demo() -> None:
    """softmax of editable logits as a bar chart, with a temperature factor."""
    k = "softmax_demo"
    st.markdown("##### Probieren Sie es aus: softmax")
    raw = st.text_input("Logits (zehn Zahlen, durch Leerzeichen oder Semikolon getrennt)",
                        "1.5 -0.3 0.2 4.0 -1.0 0.8 2.9 -2.2 0.0 1.1", key=f"{k}_logits")
    temperature = st.slider("Temperatur T (Logits werden durch T geteilt)", 0.1, 5.0, 1.0, 0.1, key=f"{k}_temp")
    try:
        logits = [float(t.replace(",", ".")) for t in raw.replace(";", " ").split()]
        if not logits:
            raise ValueError
    except ValueError:
        st.warning("Bitte geben Sie Zahlen ein, z. B. »2 1 0.5 -1«. Als Dezimaltrennzeichen geht Punkt oder Komma.")
        return
    if len(logits) > 20:
        st.warning("Höchstens 20 Logits, bitte.")
        return
    probs = T.softmax(logits, temperature)
    st.altair_chart(C.german(C.softmax_chart(logits, probs, temperature)), width="stretch")
    win = int(np.argmax(probs))
    st.markdown(f"Der größte Logit ({_num(logits[win], 2)}) bekommt **{percent(probs[win], 1)}**"
                + f". Summe aller Wahrscheinlichkeiten: {_num(probs.sum(), 4)}.")
    st.caption("Kleine Temperatur → die Exponentialfunktion verstärkt Unterschiede, der Gewinner nimmt fast alles "
               "(fast ein »hartes« Maximum). Große Temperatur → alle Klassen rücken zusammen.")


def one_hot_cross_entropy_demo() -> None:
    """One-hot encoding of a digit and the cross-entropy against an editable prediction."""
    k = "one_hot_cross_entropy_demo"
    st.markdown("##### Probieren Sie es aus: One-hot und Kreuzentropie")
    c1, c2 = st.columns([1, 2])
    label = c1.selectbox("Richtige Ziffer", list(range(10)), index=3, key=f"{k}_label")
    y = T.one_hot(label)
    c2.altair_chart(C.german(C.one_hot_chart(label)), width="content")
    st.markdown("Stellen Sie die Vorhersage des Netzes ein (die Werte werden auf Summe 1 normiert):")
    cols = st.columns(10)
    default = np.full(10, 0.05)
    default[label] = 0.4
    default[8] = 0.2 if label != 8 else default[8]
    raw = [cols[i].number_input(str(i), 0.0, 1.0, float(default[i]), 0.05, key=f"{k}_p{i}_{label}",
                                format="%.2f") for i in range(10)]
    p = np.asarray(raw, float)
    if p.sum() <= 0:
        st.warning("Mindestens eine Wahrscheinlichkeit muss größer als 0 sein.")
        return
    p = p / p.sum()
    loss = float(T.cross_entropy(y, p))
    st.altair_chart(C.german(C.cross_entropy_chart(y, p)), width="content")
    st.markdown(f"Kreuzentropie = −Σ (One-hot · log Vorhersage) = −log({_num(p[label])}) = **{_num(loss)}**. "
                "Nur die richtige Klasse zählt, weil alle anderen One-hot-Einträge 0 sind.")


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
                          value=default_lr, key=f"{k}_lr_{surface}")
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
    st.altair_chart(C.german(C.descent_chart(surface, runs)), width="stretch")
    st.altair_chart(C.german(C.descent_loss_chart(runs)), width="stretch")
    for r in runs:
        name = T.METHODS[r["method"]]
        end = r["path"][-1]
        if r["diverged"]:
            st.error(f"{name}: divergiert nach {len(r['path']) - 1} Schritten – die Lernrate ist zu groß, "
                     "jeder Schritt springt über das Tal hinaus und landet höher als vorher.")
        else:
            st.write(f"{name}: nach {len(r['path']) - 1} Schritten bei ({_num(end[0], 2)}; {_num(end[1], 2)}), "
                     f"Verlust {_num(r['loss'][-1], 4)}.")
    if surface == "sattel":
        st.caption("Am Sattelpunkt (0; 0) ist der Gradient fast null: der einfache Abstieg kommt dort kaum vom "
                   "Fleck. Momentum nimmt Schwung aus den vorigen Schritten mit, Adam teilt jeden Schritt durch die "
                   "typische Gradientengröße – beide rollen in eine der Mulden. (Start w₂ = 0 wird als 0,0001 "
                   "gerechnet: genau auf dem Kamm käme kein Verfahren je herunter, in echten Netzen sorgt "
                   "schon Rundungsrauschen für diese winzige Abweichung.)")
    else:
        st.caption("Über einer Lernrate von 1 wird das schmale Tal übersprungen: der Abstieg schaukelt sich auf. "
                   "Sehr kleine Lernraten sind sicher, brauchen aber viele Schritte entlang der flachen Talsohle.")


# === chapters 7-9 ==============================================================================


def sigmoid_vs_relu_gradients() -> None:
    """Sigmoid and relu with their derivatives; how much gradient survives N layers."""
    k = "sigmoid_vs_relu_gradients"
    st.markdown("##### Warum sigmoid tiefe Netze ausbremst")
    st.altair_chart(C.german(C.activation_functions_chart(with_derivatives=True)), width="stretch")
    st.caption("Die Ableitung der sigmoid-Funktion ist höchstens 0,25 und an beiden Enden fast 0. "
               "Die Ableitung von relu ist 1 für alle positiven Eingaben.")
    n = st.slider("Anzahl Schichten", 2, 20, 8, key=f"{k}_layers")
    norms = {act: T.layer_gradient_norms(n, act, seed=st.session_state.get(f"{k}_seed", 0))
             for act in ("sigmoid", "relu")}
    st.altair_chart(C.german(C.gradient_depth_chart(norms)), width="stretch")
    ratio = {act: float(v[0] / v[-1]) for act, v in norms.items()}
    c1, c2 = st.columns(2)
    c1.metric("sigmoid: Gradient erste ÷ letzte Schicht", de_format(ratio['sigmoid'], ".1e"))
    c2.metric("relu: Gradient erste ÷ letzte Schicht", de_format(ratio['relu'], ".2f"))
    st.caption(f"Gerechnet mit einem echten Netz aus {n} dichten Schichten zu je 64 Neuronen "
               "(Startgewichte glorot_uniform wie in Keras), ein Batch von 128 zufälligen Eingaben, "
               "Rückwärtsrechnung mit der Kettenregel. Bei sigmoid schrumpft der Gradient mit jeder Schicht "
               f"mindestens um den Faktor 4: nach {n} Schichten bleibt höchstens 0,25^{n} = "
               f"{de_format(0.25 ** n, '.1e')} übrig – die ersten Schichten lernen kaum noch.")


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
    def g(v: float, digits: int) -> str:   # German, with NaN and ±∞ spelled out like in the text
        return _num(v, 0) if not np.isfinite(v) else de_format(float(v), f".{digits}g")

    df = pd.DataFrame({"Klasse": range(4), "Logit": [g(v, 4) for v in logits],
                       "exp(Logit) in float32": [g(v, 3) for v in exps],
                       "naiv: log(softmax)": [g(v, 4) for v in naive],
                       "stabil: x − max − log Σ exp": [g(v, 4) for v in stable]})
    st.dataframe(df, hide_index=True, width="stretch")
    y = T.one_hot(true_class, 4)
    ce_naive = float(T.cross_entropy_from_logits(y, logits, stable=False))
    ce_stable = float(T.cross_entropy_from_logits(y, logits, stable=True))
    c1, c2 = st.columns(2)
    c1.metric("Kreuzentropie naiv", "NaN" if np.isnan(ce_naive) else ("+∞" if np.isinf(ce_naive) else _num(ce_naive, 4)))
    c2.metric("Kreuzentropie stabil", _num(ce_stable, 4))
    st.altair_chart(C.german(C.log_softmax_chart(logits, naive, stable)), width="stretch")
    if not np.all(np.isfinite(naive)):
        st.error("Der naive Weg ist kaputt: float32 kann nur Zahlen bis etwa 3,4·10³⁸ darstellen, also wird "
                 "exp(x) ab x ≈ 89 unendlich (∞/∞ = NaN); und sehr kleine Wahrscheinlichkeiten werden zu 0, "
                 "deren Logarithmus ist −∞. Ein einziges NaN im Verlust macht alle Gewichte zu NaN.")
    else:
        st.success("Bei diesen Logits rechnen beide Wege richtig. Schieben Sie den Faktor s nach rechts.")
    st.caption("Der stabile Weg zieht zuerst den größten Logit ab: dann ist der größte Exponent 0 und nichts "
               "läuft über. Keras macht das automatisch, wenn softmax und Kreuzentropie zusammen berechnet werden.")


def dropout_demo() -> None:
    """Dropout on a layer of ten neurons: which are dropped this step, scaling, evaluation."""
    k = "dropout_demo"
    st.markdown("##### Dropout Schritt für Schritt")
    c1, c2 = st.columns([3, 1])
    rate = c1.slider("Dropout-Rate p", 0.0, 0.8, 0.25, 0.05, key=f"{k}_rate")
    step_key = f"{k}_step"
    if step_key not in st.session_state:
        st.session_state[step_key] = 0
    c2.write("")
    if c2.button("Neu würfeln", key=f"{k}_next", help="Der nächste Trainingsschritt lost neu aus"):
        st.session_state[step_key] += 1
    step = st.session_state[step_key]
    values = np.round(T.relu(np.random.default_rng(7).normal(0.6, 0.6, 10)), 2)
    mask = T.dropout_mask(10, rate, np.random.default_rng(1000 + step))
    trained = T.apply_dropout(values, rate, mask)
    st.altair_chart(C.german(C.dropout_chart(values, mask, rate)), width="stretch")
    kept = int(mask.sum())
    scale = 1.0 / (1.0 - rate)
    rng = np.random.default_rng(step)
    mean_sum = np.mean([T.apply_dropout(values, rate, T.dropout_mask(10, rate, rng)).sum() for _ in range(2000)])
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Trainingsschritt {step + 1}: aktiv", f"{kept} von 10")
    m2.metric("Summe ohne Dropout", _num(values.sum(), 2))
    m3.metric("Summe in diesem Schritt", _num(trained.sum(), 2),
              help="Über 2000 zufällige Schritte gemittelt: " + _num(mean_sum, 2))
    st.caption(f"Im Training wird jedes Neuron mit Wahrscheinlichkeit {_num(rate, 2)} abgeschaltet, "
               f"jedes Mal neu gewürfelt. Die übrigen werden mit 1/(1−p) = {_num(scale, 2)} multipliziert, damit "
               f"die Summe im Mittel gleich bleibt (Mittel über 2000 Würfe: {_num(mean_sum, 2)}). "
               "Bei der Auswertung und bei Vorhersagen ist Dropout aus: alle Neuronen arbeiten, ohne Faktor.")


def _history_epochs(history: dict | None) -> list[dict]:
    if not history:
        return []
    return [e for e in history.get("epochs", []) if e.get("val_loss") is not None and e.get("loss") is not None]


OVERFIT_RUNS = ("ex_09_four_dense", "keras_03_mnist_dense_lrdecay_dropout", "ex_11_conv_no_dropout",
                "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm")


def overfitting_gap(history: dict | None = None) -> None:
    """Training vs validation loss per epoch with the gap shaded; ``None``: a pretrained run."""
    k = "overfitting_gap"
    st.markdown("##### Training gegen Validierung: die Lücke")
    title = "Ihr Lauf"
    if history is None:
        from tutorial import pretrained
        from tutorial.spec import PRESET_TITLES
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
    st.altair_chart(C.german(C.overfitting_chart(epochs, f"Verlust pro Epoche – {title}")), width="stretch")
    best = min(epochs, key=lambda e: e["val_loss"])
    last = epochs[-1]
    gap = last["val_loss"] - last["loss"]
    c1, c2, c3 = st.columns(3)
    c1.metric("Bester Validierungsverlust", _num(best["val_loss"], 4), f"Epoche {best['epoch']}", delta_color="off")
    c2.metric("Validierungsverlust zuletzt", _num(last["val_loss"], 4),
              _num(last["val_loss"] - best["val_loss"], 4), delta_color="inverse")
    c3.metric("Lücke zuletzt (Validierung − Training)", _num(gap, 4))
    if best["epoch"] < last["epoch"] and last["val_loss"] > best["val_loss"] * 1.02 and gap > 0:
        st.warning("Der Trainingsverlust sinkt weiter, der Validierungsverlust steigt wieder: das Netz lernt die "
                   "Trainingsbilder auswendig statt allgemeiner Merkmale – Überanpassung (Overfitting).")
    else:
        st.success("Die beiden Kurven laufen gemeinsam – hier ist kaum Überanpassung zu sehen.")


# === chapter 10 ================================================================================


@st.cache_data(show_spinner=False)
def _test_digits(n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    from tutorial.data import load_arrays
    images, labels = load_arrays("test")
    return np.asarray(images[:n], dtype=np.float32) / 256.0, np.asarray(labels[:n])


def _pick_digit(key: str) -> tuple[np.ndarray | None, str]:
    try:
        images, labels = _test_digits()
    except Exception as exc:  # DataError: message is German
        st.error(str(exc))
        return None, ""
    idx = st.number_input("Testbild Nr. (0–199)", 0, len(images) - 1, 0, key=key)
    return images[int(idx)], f"Testbild {int(idx)} (eine {int(labels[int(idx)])})"


def convolution_demo() -> None:
    """A real MNIST digit convolved with a chosen or edited 3×3 filter; then 2×2 max pooling."""
    k = "convolution_demo"
    st.markdown("##### Probieren Sie es aus: ein Filter gleitet über eine Ziffer")
    c1, c2, c3 = st.columns(3)
    with c1:
        image, label = _pick_digit(f"{k}_digit")
    choice = c2.selectbox("Filter", [*T.FILTERS, "Eigener 3×3-Filter"], key=f"{k}_filter")
    stride = c3.radio("Schrittweite (stride)", [1, 2], horizontal=True, key=f"{k}_stride")
    padding = c3.radio("Rand (padding)", ["same", "valid"], horizontal=True, key=f"{k}_padding")
    if image is None:
        return
    if choice == "Eigener 3×3-Filter":
        start = pd.DataFrame(T.FILTERS["Kanten senkrecht (Sobel x)"], columns=["links", "Mitte", "rechts"])
        edited = st.data_editor(start, key=f"{k}_editor", hide_index=True)
        kernel = edited.to_numpy(dtype=float, na_value=0.0)
    else:
        kernel = T.FILTERS[choice]
    out = T.conv2d(image, kernel, stride=stride, padding=padding)
    pooled = T.max_pool(T.relu(out)) if min(out.shape) >= 2 else None
    cols = st.columns([3, 2, 3])
    cols[0].altair_chart(C.german(C.image_chart(image, label, size=230)), width="content")
    cols[1].altair_chart(C.german(C.image_chart(kernel, "Filter", diverging=True, size=140, show_values=True)),
                         width="content")
    cols[2].altair_chart(C.german(C.image_chart(out, "Faltung", diverging=True, size=230)), width="content")
    cols = st.columns([3, 2, 3])
    cols[0].altair_chart(C.german(C.image_chart(T.relu(out), "nach relu", size=230)), width="content")
    if pooled is not None:
        cols[2].altair_chart(C.german(C.image_chart(pooled, "Max-Pooling 2×2", size=230)), width="content")
        cols[1].markdown("<div style='text-align:center;font-size:2.5rem;padding-top:5rem'>→</div>",
                         unsafe_allow_html=True)
    h, w = out.shape
    pad = ""
    if padding == "same":
        top, bottom = T.same_padding(28, 3, stride)
        pad = (f" Mit »same« wurde das Bild oben um {top} und unten um {bottom} Pixel (ebenso links/rechts) mit "
               "Nullen aufgefüllt.")
    st.markdown(f"Eingabe 28×28, Filter 3×3, Schrittweite {stride}, padding »{padding}« → Ausgabe **{h}×{w}**.{pad}"
                + (f" Max-Pooling halbiert auf **{pooled.shape[0]}×{pooled.shape[1]}**." if pooled is not None else ""))
    st.caption("Jeder Ausgabepixel ist die Summe aus 3×3 Bildpixeln mal den 9 Filtergewichten – an jeder Stelle "
               "mit denselben Gewichten. Rot: positive, blau: negative Werte.")


_DEFAULT_STACK = [
    {"filters": 12, "kernel": 3, "stride": 1},
    {"filters": 24, "kernel": 6, "stride": 2},
    {"filters": 32, "kernel": 6, "stride": 2},
]


def conv_calculator() -> None:
    """Output shape and parameters of a conv stack, as Keras' model.summary would report them."""
    k = "conv_calculator"
    st.markdown("##### Rechner: Ausgabeformen und Parameter eines Faltungsstapels")
    c1, c2, c3 = st.columns(3)
    n = c1.slider("Faltungsschichten", 1, 4, 3, key=f"{k}_n")
    padding = c2.radio("padding", ["same", "valid"], horizontal=True, key=f"{k}_padding")
    head = c3.radio("Abschluss", ["flatten", "gap"], horizontal=True, key=f"{k}_head",
                    format_func={"flatten": "Flatten + Dense(200)", "gap": "Global Average Pooling"}.get)
    convs = []
    cols = st.columns(n)
    for i, col in enumerate(cols):
        d = _DEFAULT_STACK[i] if i < len(_DEFAULT_STACK) else {"filters": 32, "kernel": 3, "stride": 1}
        with col:
            st.markdown(f"**Schicht {i + 1}**")
            last = i == n - 1 and head == "gap"
            f = st.number_input("Filter", 1, 256, 10 if last else d["filters"], key=f"{k}_f{i}_{last}")
            ks = st.number_input("Kerngröße", 1, 11, d["kernel"], key=f"{k}_k{i}")
            s = st.number_input("Schrittweite", 1, 4, d["stride"], key=f"{k}_s{i}")
        convs.append({"filters": f, "kernel": ks, "stride": s, "padding": padding})
    try:
        rows = T.conv_stack_table(convs, head=head)
    except ValueError as exc:
        st.error(str(exc))
        return
    if head == "gap" and rows[-2]["output_shape"][-1] != 10:
        st.info("Für Global Average Pooling als letzte Schicht braucht die letzte Faltung genau 10 Filter – "
                "einen pro Ziffer. Sonst stimmt die Ausgabe nicht.")
    table = pd.DataFrame([{"Schicht": r["label"], "Ausgabeform": str((None, *r["output_shape"])),
                           "Parameter": r["params"]} for r in rows])
    left, right = st.columns([1, 1])
    left.dataframe(table, hide_index=True, width="stretch")
    left.metric("Parameter insgesamt", de(sum(r["params"] for r in rows)))
    right.altair_chart(C.german(C.conv_shape_chart(rows)), width="stretch")
    first = convs[0]
    st.caption(f"Die Gewichte der ersten Faltung bilden einen Tensor der Form "
               f"{T.conv_weight_shape(first['kernel'], 1, first['filters'])} (Kernelhöhe, Kernelbreite, "
               f"Eingangskanäle, Filter) plus {first['filters']} Bias-Werte. Mit padding »same« rechnet sich die "
               "Ausgabegröße als aufgerundet Eingabe ÷ Schrittweite, mit »valid« als (Eingabe − Kerngröße) ÷ Schrittweite + 1, "
               "abgerundet.")


def gap_vs_flatten_demo() -> None:
    """How many weights the last step needs: flatten + dense vs. global average pooling."""
    k = "gap_vs_flatten_demo"
    st.markdown("##### Vergleich: Flatten + Dense gegen Global Average Pooling")
    c1, c2 = st.columns(2)
    size = c1.select_slider("Größe der letzten Merkmalskarten", [4, 7, 14, 28], value=7, key=f"{k}_size")
    channels = c2.select_slider("Kanäle der letzten Faltung", [10, 16, 32, 64], value=10, key=f"{k}_channels")
    counts = T.gap_vs_flatten(size, size, channels)
    st.altair_chart(C.german(C.gap_vs_flatten_chart(counts)), width="stretch")
    gap_text = ("keine einzige – jeder der 10 Kanäle wird zu seinem Mittelwert, das ist direkt der Wert für eine Ziffer"
                if counts["gap_total"] == 0 else
                f"{de(counts['gap_total'])} (die {channels} Mittelwerte brauchen noch eine kleine dichte Schicht zu 10 Klassen)")
    st.markdown(f"Flatten macht aus {size}×{size}×{channels} einen Vektor mit {de(counts['flatten_values'])} "
                f"Werten; eine dichte Schicht zu 10 Klassen braucht dafür {de(counts['flatten_dense'])} Gewichte "
                f"(inklusive Bias). Global Average Pooling braucht {gap_text}.")
    st.caption("Der Preis: Mittelwerte wissen nicht mehr, *wo* im Bild ein Merkmal auftrat.")


# === chapter 13 ================================================================================


def batchnorm_distributions() -> None:
    """Three pre-activation distributions under the sigmoid; normalising a batch with α and β."""
    k = "batchnorm_distributions"
    st.markdown("##### Wo landen die Werte auf der sigmoid-Kurve?")
    cols = st.columns(3)
    for col, case in zip(cols, T.PREACTIVATION_CASES):
        x = T.preactivation_batch(case)
        col.altair_chart(C.german(C.batchnorm_chart(x, case)), width="stretch")
        col.caption(f"Im flachen Bereich: {percent(T.saturated_fraction(x), 0)}"
                    f" · Steigung im Mittel {percent(T.useful_gradient(x), 0)} des Maximums")
    st.caption("Zu weit links: fast alle Werte liegen auf dem flachen Ende, die Ableitung ist dort nahezu 0. "
               "Zu schmal: alle Werte sehen für die Aktivierung gleich aus, das Neuron unterscheidet nichts. "
               "Gut verteilt: die Werte nutzen den steilen, aussagekräftigen Bereich.")
    st.markdown("##### Batch-Normalisierung: erst normieren, dann α und β")
    c1, c2, c3 = st.columns(3)
    case = c1.selectbox("Ausgangsverteilung", list(T.PREACTIVATION_CASES), key=f"{k}_case")
    alpha = c2.slider("Skalierung α", 0.1, 4.0, 1.0, 0.1, key=f"{k}_alpha")
    beta = c3.slider("Verschiebung β", -4.0, 4.0, 0.0, 0.1, key=f"{k}_beta")
    x = T.preactivation_batch(case, seed=1)
    r = T.batch_norm(x, alpha, beta)
    left, right = st.columns(2)
    left.altair_chart(C.german(C.batchnorm_chart(x, "vorher")), width="stretch")
    right.altair_chart(C.german(C.batchnorm_chart(r["output"], f"nachher: α·x̂ + β (α = {short(alpha)}, β = {short(beta)})")),
                       width="stretch")
    m = st.columns(4)
    m[0].metric("Mittelwert vorher", _num(float(x.mean()), 2))
    m[1].metric("Streuung vorher", _num(float(x.std()), 2))
    m[2].metric("Mittelwert nachher", _num(float(r["output"].mean()), 2))
    m[3].metric("Streuung nachher", _num(float(r["output"].std()), 2))
    st.caption("Die Normierung zieht von jedem Wert den Mittelwert der Batch ab und teilt durch ihre Streuung "
               "(mittelwertfrei, Streuung 1). α und β lernt das Netz selbst: so kann es die Verteilung dorthin "
               "schieben und strecken, wo die Aktivierung am meisten nützt.")
