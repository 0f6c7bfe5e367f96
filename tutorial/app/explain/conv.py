"""Explanations of chapter 10: a filter sliding over a real digit, the shape and parameter
calculator of a convolution stack, flatten against global average pooling.

Each runs in its own ``st.fragment``: a widget reruns that visual only (numpy, no TensorFlow).
Feature maps are drawn bright where the filter answers strongly, as the page's text says.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from tutorial import theory as T
from tutorial import theory_cnn as TC
from tutorial.app import views
from tutorial.charts import internals as I
from tutorial.charts import theory as C
from tutorial.deutsch import de



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


@st.fragment
def convolution_demo() -> None:
    """A real MNIST digit convolved with a chosen or edited 3×3 filter; then 2×2 max pooling."""
    k = "convolution_demo"
    st.markdown("##### Probieren Sie es aus: ein Filter gleitet über eine Ziffer")
    c1, c2, c3 = st.columns(3)
    with c1:
        image, label = _pick_digit(f"{k}_digit")
    choice = c2.selectbox("Filter", [*TC.FILTERS, "Eigener 3×3-Filter"], key=f"{k}_filter")
    stride = c3.radio("Schrittweite (stride)", [1, 2], horizontal=True, key=f"{k}_stride")
    padding = c3.radio("Padding", ["same", "valid"], horizontal=True, key=f"{k}_padding")
    if image is None:
        return
    if choice == "Eigener 3×3-Filter":
        start = pd.DataFrame(TC.FILTERS["Kanten senkrecht (Sobel x)"], columns=["links", "Mitte", "rechts"])
        edited = st.data_editor(start, key=f"{k}_editor", hide_index=True)
        kernel = edited.to_numpy(dtype=float, na_value=0.0)
    else:
        kernel = TC.FILTERS[choice]
    out = TC.conv2d(image, kernel, stride=stride, padding=padding)
    pooled = TC.max_pool(T.relu(out)) if min(out.shape) >= 2 else None
    cols = st.columns([3, 2, 3])
    cols[0].vega_lite_chart(I.image_chart(image, label, size=230), width="content")
    cols[1].vega_lite_chart(I.image_chart(kernel, "Filter", diverging=True, size=140, show_values=True),
                            width="content")
    cols[2].vega_lite_chart(I.image_chart(out, "Faltung", diverging=True, size=230), width="content")
    cols = st.columns([3, 2, 3])
    cols[0].vega_lite_chart(I.image_chart(T.relu(out), "nach relu (hell = stark)", size=230, bright_high=True), width="content")
    if pooled is not None:
        cols[2].vega_lite_chart(I.image_chart(pooled, "Max-Pooling 2×2", size=230, bright_high=True), width="content")
        cols[1].markdown("<div style='text-align:center;font-size:2.5rem;padding-top:5rem'>→</div>",
                         unsafe_allow_html=True)
    h, w = out.shape
    pad = ""
    if padding == "same":
        top, bottom = TC.same_padding(28, 3, stride)
        pad = (f" Mit »same« wurde das Bild oben um {top} und unten um {bottom} Pixel (ebenso links/rechts) mit "
               "Nullen aufgefüllt.")
    st.markdown(f"Eingabe 28×28, Filter 3×3, Schrittweite {stride}, padding »{padding}« → Ausgabe **{h}×{w}**.{pad}"
                + (f" Max-Pooling halbiert auf **{pooled.shape[0]}×{pooled.shape[1]}**." if pooled is not None else ""))
    st.caption("Jedes Ausgabepixel ist die Summe aus 3×3 Bildpixeln mal den 9 Filtergewichten – an jeder Stelle "
               "mit denselben Gewichten. Filter und Faltung: rot positiv, blau negativ. Nach relu und Pooling: hell, wo der "
               "Filter stark anspricht (die Merkmalskarte), schwarz, wo er nichts findet.")


_DEFAULT_STACK = [
    {"filters": 12, "kernel": 3, "stride": 1},
    {"filters": 24, "kernel": 6, "stride": 2},
    {"filters": 32, "kernel": 6, "stride": 2},
]


@st.fragment
def conv_calculator() -> None:
    """Output shape and parameters of a conv stack, as Keras' model.summary would report them."""
    k = "conv_calculator"
    st.markdown("##### Rechner: Ausgabeformen und Parameter eines Faltungsstapels")
    c1, c2, c3 = st.columns(3)
    n = c1.slider("Faltungsschichten", 1, 4, 3, key=f"{k}_n")
    padding = c2.radio("Padding", ["same", "valid"], horizontal=True, key=f"{k}_padding")
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
        rows = TC.conv_stack_table(convs, head=head)
    except ValueError as exc:
        st.error(str(exc))
        return
    if head == "gap" and rows[-2]["output_shape"][-1] != 10:
        st.info("Für Global Average Pooling als letzte Schicht braucht die letzte Faltung genau 10 Filter – "
                "einen pro Ziffer. Sonst stimmt die Ausgabe nicht.")
    table = pd.DataFrame([{"Schicht": r["label"], "Ausgabeform": str((None, *r["output_shape"])),
                           "Parameter": de(r["params"])} for r in rows])
    left, right = st.columns([1, 1])
    left.dataframe(table, hide_index=True, width="stretch")
    left.metric("Parameter insgesamt", de(sum(r["params"] for r in rows)))
    right.altair_chart(C.conv_shape_chart(rows), width="stretch")
    first = convs[0]
    shape = ", ".join(str(d) for d in TC.conv_weight_shape(first["kernel"], 1, first["filters"]))
    st.caption(f"Die Gewichte der ersten Faltung bilden einen Tensor der Form [{shape}] (Kernhöhe, Kernbreite, "
               f"Eingangskanäle, Filter), dazu kommen {first['filters']} Biases. Die Ausgabegröße ist mit padding "
               "»same« Eingabe ÷ Schrittweite, aufgerundet; mit »valid« (Eingabe − Kerngröße) ÷ Schrittweite, "
               "abgerundet, plus 1.")


@st.fragment
def gap_vs_flatten_demo() -> None:
    """How many weights the last step needs: flatten + dense vs. global average pooling."""
    k = "gap_vs_flatten_demo"
    st.markdown("##### Vergleich: Flatten + Dense gegen Global Average Pooling")
    c1, c2 = st.columns(2)
    size = c1.select_slider("Größe der letzten Merkmalskarten", [4, 7, 14, 28], value=7, key=f"{k}_size")
    channels = c2.select_slider("Kanäle der letzten Faltung", [10, 16, 32, 64], value=10, key=f"{k}_channels")
    counts = TC.gap_vs_flatten(size, size, channels)
    views.cached_chart(C.gap_vs_flatten_chart, counts)
    gap_text = ("gar keine – jeder der 10 Kanäle wird zu seinem Mittelwert, das ist direkt der Wert für eine Ziffer"
                if counts["gap_total"] == 0 else
                f"{de(counts['gap_total'])} (die {channels} Mittelwerte brauchen noch eine kleine dichte Schicht zu 10 Klassen)")
    st.markdown(f"Flatten macht aus {size}×{size}×{channels} einen Vektor mit {de(counts['flatten_values'])} "
                f"Werten; eine dichte Schicht zu 10 Klassen braucht dafür {de(counts['flatten_dense'])} Gewichte "
                f"(samt Biases). Global Average Pooling braucht {gap_text}.")
    st.caption("Der Preis: Mittelwerte wissen nicht mehr, *wo* im Bild ein Merkmal auftrat.")
