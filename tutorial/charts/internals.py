"""Charts of a model's insides: weights and feature maps as images, class probabilities, the
confusion matrix. German-formatted; no Streamlit, no TensorFlow.

Feature maps are drawn bright where the filter answers strongly (``bright_high``), as the pages
describe them; digits stay dark ink on white.
"""
from __future__ import annotations

from typing import Optional, Sequence

import altair as alt
import numpy as np
import pandas as pd

from tutorial.charts.base import BLUE, GREEN, GREY, RED, plain_spec
from tutorial.charts.theory import finished
from tutorial.deutsch import de_format


# --- images, convolution ----------------------------------------------------------------------


def _image_frame(img, name: str = "") -> pd.DataFrame:
    img = np.asarray(img, dtype=float)
    r, c = np.indices(img.shape)
    return pd.DataFrame({"Zeile": r.ravel(), "Spalte": c.ravel(), "Wert": img.ravel(), "Bild": name})


def image_chart(img, title: str, scheme: str = "greys", diverging: bool = False, size: int = 220,
                show_values: bool = False, bright_high: bool = False) -> dict:
    """One 2-D array as a pixel image (row 0 at the top). Grey images draw high values dark (ink on
    paper), with ``bright_high`` light on black (a feature map: bright where the filter matches).

    A plain Vega-Lite spec (``st.vega_lite_chart``): chapter 10 redraws five of these on every widget
    step, and a dict costs a few milliseconds where Altair cost ≈ 20 ms per image."""
    img = np.asarray(img, dtype=float)
    lim = max(float(np.abs(img).max()), 1e-9)
    values = [{"Zeile": i, "Spalte": j, "Wert": float(v)} for (i, j), v in np.ndenumerate(img)]
    if diverging:
        scale = {"scheme": "redblue", "domain": [-lim, lim], "reverse": True}
    else:
        scale = {"scheme": scheme, "reverse": bright_high}
    position = {"x": {"field": "Spalte", "type": "ordinal", "axis": None},
                "y": {"field": "Zeile", "type": "ordinal", "axis": None}}
    layers = [{"mark": {"type": "rect"},
               "encoding": {**position,
                            "color": {"field": "Wert", "type": "quantitative", "scale": scale, "legend": None},
                            "tooltip": [{"field": "Zeile", "type": "ordinal"}, {"field": "Spalte", "type": "ordinal"},
                                        {"field": "Wert", "type": "quantitative", "format": ".3f"}]}}]
    if show_values:
        for row in values:
            row["txt"] = de_format(row["Wert"], ".2g")
        layers.append({"mark": {"type": "text", "fontSize": 11},
                       "encoding": {**position, "text": {"field": "txt", "type": "nominal"},
                                    "color": {"condition": {"test": f"abs(datum.Wert) > {0.6 * lim}",
                                                            "value": "white"}, "value": "black"}}})
    h, w = img.shape
    step = size / max(h, w)
    # a long title goes on two lines instead of being cut with "…" at the image's width (stride 2)
    text = f"{title} ({h}×{w})" if len(title) <= 16 else [title, f"({h}×{w})"]
    return plain_spec(title={"text": text, "limit": 0}, data={"values": values}, layer=layers,
                      width={"step": step}, height={"step": step})


@finished
def image_grid_chart(images, titles: Sequence[str], columns: int = 5, cell: int = 90,
                     diverging: bool = False, normalize_each: bool = True, title: str = "",
                     bright_high: bool = True) -> alt.Chart:
    """Many same-sized images in a grid (facet). With ``normalize_each`` each image is scaled to its
    own range so weak maps stay visible; the tooltip keeps the raw values. Grey grids are feature
    maps: bright where the value is high (``bright_high``), on black."""
    frames = []
    for img, name in zip(images, titles):
        img = np.asarray(img, dtype=float)
        df = _image_frame(img, name)
        if diverging:
            lim = max(float(np.abs(img).max()), 1e-12)
            df["Farbe"] = df["Wert"] / lim if normalize_each else df["Wert"]
        else:
            lo, hi = float(img.min()), float(img.max())
            df["Farbe"] = (df["Wert"] - lo) / (hi - lo) if normalize_each and hi > lo else df["Wert"]
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    if diverging:
        scale = alt.Scale(scheme="redblue", domain=[-1, 1] if normalize_each else None, reverse=True)
    else:
        scale = alt.Scale(scheme="greys", domain=[0, 1] if normalize_each else None, reverse=bright_high)
    chart = alt.Chart(df).mark_rect().encode(
        x=alt.X("Spalte:O", axis=None), y=alt.Y("Zeile:O", axis=None),
        color=alt.Color("Farbe:Q", scale=scale, legend=None),
        tooltip=["Bild:N", "Zeile:O", "Spalte:O", alt.Tooltip("Wert:Q", format=".4f")],
    ).properties(width=alt.Step(cell / max(images[0].shape)), height=alt.Step(cell / max(images[0].shape))).facet(
        facet=alt.Facet("Bild:N", sort=list(titles), title=None, header=alt.Header(labelFontSize=12)),
        columns=columns, spacing=6)
    return chart.properties(title=title) if title else chart


# --- confusion matrix -------------------------------------------------------------------------


@finished
def confusion_chart(cm, title: str, selection=None) -> alt.Chart:
    """10×10 counts; the diagonal (correct) in green, errors in reds, clickable cells."""
    cm = np.asarray(cm)
    t, p = np.indices(cm.shape)
    df = pd.DataFrame({"wahr": t.ravel(), "vorhergesagt": p.ravel(), "Anzahl": cm.ravel()})
    df["richtig"] = df["wahr"] == df["vorhergesagt"]
    df["Fehler"] = np.where(df["richtig"], 0, df["Anzahl"])
    df["txt"] = df["Anzahl"].astype(str)
    base = alt.Chart(df).encode(
        x=alt.X("vorhergesagt:O", title="vorhergesagte Ziffer", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("wahr:O", title="richtige Ziffer"))
    err_max = max(1, int(df["Fehler"].max()))
    color = alt.condition("datum.richtig", alt.value("#c7e9c0"),
                          alt.Color("Fehler:Q", scale=alt.Scale(range=["#ffffff", "#b2182b"], domain=[0, err_max]),
                                    legend=alt.Legend(title="Fehler")))
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=color,
        tooltip=[alt.Tooltip("wahr:O", title="richtig"), alt.Tooltip("vorhergesagt:O", title="vorhergesagt"),
                 "Anzahl:Q"])
    if selection is not None:
        rect = rect.add_params(selection).encode(
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.45)))
    text = base.mark_text(fontSize=12).encode(
        text="txt:N", color=alt.condition(f"!datum.richtig && datum.Fehler > {err_max * 0.6}",
                                          alt.value("white"), alt.value("black")))
    return alt.layer(rect, text).properties(title=title, height=420, width=420)


@finished
def probability_bars(probs, true_label: Optional[int] = None, title: str = "", height: int = 150) -> alt.Chart:
    """The ten class probabilities as bars: the true digit green (if known), the predicted one red
    (blue-highlighted when there is no true digit, e.g. for a drawing), the rest grey."""
    probs = np.asarray(probs, float)
    pred = int(np.argmax(probs))
    df = pd.DataFrame({"Ziffer": [str(i) for i in range(10)], "p": probs,
                       "Art": ["richtig" if i == true_label else "vorhergesagt" if i == pred else "andere"
                               for i in range(10)]})
    highlight = RED if true_label is not None else BLUE
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("Ziffer:N", sort=None, axis=alt.Axis(labelAngle=0), title=None),
        y=alt.Y("p:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"), title=None),
        color=alt.Color("Art:N", scale=alt.Scale(domain=["richtig", "vorhergesagt", "andere"],
                                                 range=[GREEN, highlight, GREY]), legend=None),
        tooltip=["Ziffer:N", alt.Tooltip("p:Q", title="Wahrscheinlichkeit", format=".1%")],
    )
    return chart.properties(title=title, height=height) if title else chart.properties(height=height)
