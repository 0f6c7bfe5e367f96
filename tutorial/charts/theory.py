"""Charts of the explanations whose numbers Python computes (numpy, :mod:`tutorial.theory`).

Every public function takes real numbers and returns an Altair chart that is already German-formatted;
nothing here imports Streamlit or TensorFlow. Visuals whose maths runs in the browser live in
:mod:`tutorial.charts.browser`, a model's insides in :mod:`tutorial.charts.internals`.
"""
from __future__ import annotations

import functools
from typing import Optional, Sequence

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

from tutorial import theory as T
from tutorial.charts.base import BLUE, GREEN, GREY, ORANGE, PLOT_HEIGHT, RED, german, plain_spec, png_uri, ramp
from tutorial.charts.training import SERIES, TRAIN_COLOR, VAL_COLOR
from tutorial.deutsch import de, de_format, general

METHOD_COLORS = {"Gradientenabstieg": RED, "Momentum": BLUE, "Adam": GREEN}


def finished(build):
    """Decorator: the chart ``build`` returns, German-formatted (``build.__wrapped__`` gives it raw)."""
    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        return german(build(*args, **kwargs))
    return wrapper


def _curve(fn, lo=-6.0, hi=6.0, n=241) -> pd.DataFrame:
    x = np.linspace(lo, hi, n)
    return pd.DataFrame({"x": x, "y": fn(x)})


# --- neuron and activations -------------------------------------------------------------------


@finished
def activation_functions_chart(with_derivatives: bool = False) -> alt.Chart:
    """sigmoid and relu (optionally with their derivatives) on one plot."""
    frames = [
        _curve(T.sigmoid).assign(Funktion="sigmoid"),
        _curve(T.relu).assign(Funktion="relu"),
    ]
    if with_derivatives:
        frames += [_curve(T.sigmoid_derivative).assign(Funktion="Ableitung sigmoid"),
                   _curve(T.relu_derivative, n=1201).assign(Funktion="Ableitung relu")]
    df = pd.concat(frames)
    domain = ["sigmoid", "relu", "Ableitung sigmoid", "Ableitung relu"]
    colors = [BLUE, ORANGE, "#6baed6", "#fdae6b"]
    return alt.Chart(df).mark_line(strokeWidth=2.5, clip=True).encode(
        x=alt.X("x:Q", title="Eingabe der Aktivierung"),
        y=alt.Y("y:Q", title="Wert", scale=alt.Scale(domain=[-0.2, 3])),
        color=alt.Color("Funktion:N", scale=alt.Scale(domain=domain, range=colors), title=None),
        strokeDash=alt.condition(alt.FieldOneOfPredicate("Funktion", ["Ableitung sigmoid", "Ableitung relu"]),
                                 alt.value([5, 4]), alt.value([1, 0])),
    ).properties(title="Aktivierungsfunktionen" + (" und ihre Ableitungen" if with_derivatives else ""),
                 height=300)


def matrix_chart(M, title: str, row_label: str = "Zeile", col_label: str = "Spalte",
                 highlight_row: Optional[int] = None, fmt: str = ".2f", scheme: str = "blueorange") -> dict:
    """A small matrix as a coloured grid with its numbers written in, 46 px per column.

    Returned as a plain Vega-Lite spec (for ``st.vega_lite_chart``), not an Altair chart: the
    dense-layer demo draws six of them on every slider step, and building and validating them
    through Altair cost about 0.3 s of server time per step; the plain spec costs about 1 ms.
    """
    M = np.atleast_2d(np.asarray(M, dtype=float))
    values = [{"r": i, "c": j, "v": float(v), "txt": de_format(float(v), fmt)}
              for (i, j), v in np.ndenumerate(M)]
    lim = max(float(np.abs(M).max()), 1e-9)
    position = {"x": {"field": "c", "type": "ordinal", "title": col_label, "axis": {"labelAngle": 0}},
                "y": {"field": "r", "type": "ordinal", "title": row_label}}
    layers = [
        {"mark": {"type": "rect", "stroke": "white"},
         "encoding": {**position,
                      "color": {"field": "v", "type": "quantitative", "legend": None,
                                "scale": {"scheme": scheme, "domain": [-lim, lim]}},
                      "tooltip": [{"field": "r", "type": "ordinal", "title": row_label},
                                  {"field": "c", "type": "ordinal", "title": col_label},
                                  {"field": "v", "type": "quantitative", "title": "Wert", "format": ".4f"}]}},
        {"mark": {"type": "text", "fontSize": 12},
         "encoding": {**position, "text": {"field": "txt", "type": "nominal"}}},
    ]
    if highlight_row is not None:
        layers.append({"data": {"values": [{"r": int(highlight_row)}]},
                       "mark": {"type": "rect", "fill": None, "stroke": RED, "strokeWidth": 3},
                       "encoding": {"y": {"field": "r", "type": "ordinal"}}})
    return plain_spec(title=f"{title}  {M.shape[0]}×{M.shape[1]}", data={"values": values}, layer=layers,
                      width={"step": 46}, height={"step": 30})


# --- gradient descent ---------------------------------------------------------------------------


# Vega's "viridis" (matplotlib's), 17 of its colours; between them linear
VIRIDIS = ("#440154", "#48186a", "#472d7b", "#424086", "#3b528b", "#33638d", "#2c728e", "#26828e", "#21918c",
           "#1fa088", "#28ae80", "#3fbc73", "#5ec962", "#84d44b", "#addc30", "#d8e219", "#fde725")


@functools.lru_cache(maxsize=8)
def _surface_picture(surface: str, grid_n: int, cell_px: int = 8) -> tuple:
    """The heatmap of a loss surface as one row for an image mark: its corners and the picture as a
    PNG ``data:`` address, ``grid_n`` × ``grid_n`` cells of ``cell_px`` pixels, viridis reversed
    (bright = low). The same object on every slider step. A browser draws one picture at once, while
    2.500 rectangles cost it a good part of a second per page visit."""
    g = T.surface_grid(surface, grid_n)
    z = g["z"]
    shade = np.log1p(z - z.min())          # compress the range so the valley floor stays visible
    t = 1.0 - shade / max(float(shade.max()), 1e-12)
    picture = Image.fromarray(ramp(VIRIDIS, t)[::-1]).resize((grid_n * cell_px, grid_n * cell_px),
                                                            Image.NEAREST)        # top row: high y
    dx, dy = g["dx"], g["dy"]
    return ({"x": float(g["x"].min() - dx / 2), "x2": float(g["x"].max() + dx / 2),
             "y": float(g["y"].min() - dy / 2), "y2": float(g["y"].max() + dy / 2),
             "url": png_uri(picture)},)


def descent_chart(surface: str, runs: Sequence[dict], grid_n: int = 50) -> dict:
    """The loss surface as a heatmap (darker = lower) with each run's path drawn on top.

    A plain Vega-Lite spec (``st.vega_lite_chart``): it is redrawn on every slider step, and the
    Altair version cost about 0.08 s of server time per step; the heatmap is one picture, made once."""
    s = T.SURFACES[surface]
    x = {"field": "x", "type": "quantitative", "scale": {"domain": list(s.x_range), "nice": False}}
    y = {"field": "y", "type": "quantitative", "scale": {"domain": list(s.y_range), "nice": False}}
    methods = {"domain": list(METHOD_COLORS), "range": list(METHOD_COLORS.values())}
    paths = []
    for run in runs:
        name = T.METHODS[run["method"]]
        for i, ((px, py), loss) in enumerate(zip(run["path"], run["loss"])):
            paths.append({"Verfahren": name, "Schritt": i, "x": float(np.clip(px, *s.x_range)),
                          "y": float(np.clip(py, *s.y_range)), "Verlust": float(loss)})
    start = [float(c) for c in (runs[0]["path"][0] if runs else s.start)]
    heat = {"mark": {"type": "image", "aspect": False},
            "encoding": {"x": {**x, "title": "Gewicht w₁"}, "x2": {"field": "x2"},
                         "y": {**y, "title": "Gewicht w₂"}, "y2": {"field": "y2"},
                         "url": {"field": "url", "type": "nominal"}}}
    line = {"data": {"name": "paths"}, "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {"x": x, "y": y, "order": {"field": "Schritt", "type": "quantitative"},
                         # the legend under the landscape: beside it, it squeezes the map on a phone;
                         # two columns: three in a row cut "Adam" off at 390 px
                         "color": {"field": "Verfahren", "type": "nominal", "scale": methods,
                                   "legend": {"orient": "bottom", "columns": 2}},
                         "detail": {"field": "Verfahren", "type": "nominal"}}}
    points = {"data": {"name": "paths"}, "mark": {"type": "circle", "size": 28, "opacity": 1},
              "encoding": {"x": x, "y": y,
                           "color": {"field": "Verfahren", "type": "nominal", "scale": methods, "legend": None},
                           "tooltip": [{"field": "Verfahren", "type": "nominal"},
                                       {"field": "Schritt", "type": "quantitative"},
                                       {"field": "x", "type": "quantitative", "format": ".3f"},
                                       {"field": "y", "type": "quantitative", "format": ".3f"},
                                       {"field": "Verlust", "type": "quantitative", "format": ".4f"}]}}
    start_mark = {"data": {"name": "start"},
                  "mark": {"type": "point", "shape": "diamond", "size": 200, "filled": True, "color": "white",
                           "stroke": "black"},
                  "encoding": {"x": x, "y": y}}
    minima = {"data": {"values": [{"x": float(m[0]), "y": float(m[1])} for m in s.minima]},
              "mark": {"type": "point", "shape": "cross", "size": 180, "color": "white", "strokeWidth": 3},
              "encoding": {"x": x, "y": y}}
    # Named datasets: Streamlit sends them as Arrow tables apart from the spec, so from one slider step
    # to the next only the data changes and the browser updates the chart instead of rebuilding it.
    return plain_spec(title={"text": [f"{s.title}: Weg bergab", "(hell = kleiner Verlust, ✚ = Minimum, ◆ = Start)"],
                             "limit": 0},
                      height=380, data={"name": "cells"}, layer=[heat, line, points, start_mark, minima],
                      datasets={"cells": _surface_picture(surface, grid_n), "paths": paths,   # a tuple: the same
                                # object every time, so the page converts it for the browser once (views.vega_lite_chart)
                                "start": [{"x": start[0], "y": start[1]}]})


@finished
def descent_loss_chart(runs: Sequence[dict]) -> alt.Chart:
    rows = [{"Verfahren": T.METHODS[r["method"]], "Schritt": i, "Verlust": float(l)}
            for r in runs for i, l in enumerate(r["loss"])]
    df = pd.DataFrame(rows)
    return alt.Chart(df).mark_line(strokeWidth=2).encode(
        x=alt.X("Schritt:Q"), y=alt.Y("Verlust:Q"),
        color=alt.Color("Verfahren:N", scale=alt.Scale(domain=list(METHOD_COLORS),
                                                       range=list(METHOD_COLORS.values())),
                        legend=alt.Legend(orient="bottom", columns=2)),
    ).properties(title="Verlust pro Schritt", height=220, autosize=PLOT_HEIGHT)


# --- deep networks ----------------------------------------------------------------------------


def _per_activation_log_chart(values: dict, x: str, x_title: str, y: str, y_title: str, title: str) -> alt.Chart:
    """One line per activation ({'sigmoid': array, 'relu': array}) over layers, log-scaled y."""
    df = pd.DataFrame([{"Aktivierung": act, x: i + 1, y: float(max(v, 1e-30))}
                       for act, arr in values.items() for i, v in enumerate(arr)])
    return alt.Chart(df).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", scale=alt.Scale(type="log"), title=y_title),
        color=alt.Color("Aktivierung:N", scale=alt.Scale(domain=["sigmoid", "relu"], range=[BLUE, ORANGE])),
        tooltip=["Aktivierung:N", f"{x}:O", alt.Tooltip(f"{y}:Q", format=".2e")],
    ).properties(title=title, height=300)


@finished
def gradient_depth_chart(norms: dict) -> alt.Chart:
    """Gradient norm per layer (log scale) for each activation: {'sigmoid': array, 'relu': array}."""
    return _per_activation_log_chart(norms, "Schicht", "Schicht (1 = nahe der Eingabe)", "Gradient",
                                     "Größe des Gradienten (log)", "Wie viel Gradient kommt in jeder Schicht an?")


@finished
def log_softmax_chart(logits, naive, stable) -> alt.Chart:
    rows = []
    for i, (l, a, b) in enumerate(zip(logits, naive, stable)):
        rows.append({"Klasse": str(i), "Rechenweg": "naiv: log(softmax(x))", "Wert": float(a) if np.isfinite(a) else None,
                     "Anzeige": general(a)})
        rows.append({"Klasse": str(i), "Rechenweg": "stabil: x − max − log Σ exp", "Wert": float(b),
                     "Anzeige": general(b)})
    df = pd.DataFrame(rows)
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("Klasse:N", axis=alt.Axis(labelAngle=0)),
        xOffset="Rechenweg:N",
        y=alt.Y("Wert:Q", title="log-Wahrscheinlichkeit"),
        color=alt.Color("Rechenweg:N", scale=alt.Scale(range=[RED, GREEN]), title=None,
                        legend=alt.Legend(orient="bottom", columns=1)),   # one per line: fits a phone
        tooltip=["Klasse:N", "Rechenweg:N", "Anzeige:N"],
    ).properties(title=["log softmax in float32:", "Ein fehlender roter Balken heißt NaN oder −∞"], height=260,
                 autosize=PLOT_HEIGHT)


# --- dropout ----------------------------------------------------------------------------------


@finished
def dropout_chart(values, mask, rate: float) -> alt.Chart:
    """Each neuron's output without dropout, in this training step (dropped = 0, rest scaled) and
    in evaluation, as three rows of bars."""
    values = np.asarray(values, float)
    trained = T.apply_dropout(values, rate, mask, training=True)
    names = [f"N{i + 1}" for i in range(len(values))]
    phases = [
        ("Ohne Dropout", values, ["aktiv"] * len(values)),
        ("Training: dieser Schritt", trained, ["aktiv, ×1/(1−p)" if k else "abgeschaltet" for k in mask]),
        ("Auswertung und Vorhersage", values, ["aktiv"] * len(values)),
    ]
    top = float(max(values.max() / (1.0 - rate) if rate < 1 else values.max(), 1e-9)) * 1.1
    color = alt.Color("Zustand:N", scale=alt.Scale(domain=["aktiv", "aktiv, ×1/(1−p)", "abgeschaltet"],
                                                   range=[BLUE, ORANGE, GREY]),
                      legend=alt.Legend(orient="bottom", title=None))
    rows = []
    for title, vals, states in phases:
        df = pd.DataFrame({"Neuron": names, "Wert": vals, "Zustand": states})
        df["txt"] = ["✕" if s == "abgeschaltet" else "" for s in states]
        base = alt.Chart(df).encode(x=alt.X("Neuron:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)))
        bars = base.mark_bar().encode(
            y=alt.Y("Wert:Q", title="Ausgabe", scale=alt.Scale(domain=[0, top])), color=color,
            tooltip=["Neuron:N", "Zustand:N", alt.Tooltip("Wert:Q", format=".3f")])
        cross = base.mark_text(fontSize=18, color=RED, dy=-10).encode(y=alt.datum(0), text="txt:N")
        rows.append((bars + cross).properties(title=f"{title} (Summe {de(float(vals.sum()), 2)})", height=120))
    return alt.vconcat(*rows).properties(title=f"Dropout mit Rate p = {de(rate, 2)}")


@finished
def overfitting_chart(epochs: list[dict], title: str) -> alt.Chart:
    """Training vs validation loss per epoch, the gap between them shaded."""
    df = pd.DataFrame({"Epoche": [e["epoch"] for e in epochs], "Training": [e["loss"] for e in epochs],
                       "Validierung": [e["val_loss"] for e in epochs]})
    df["oben"] = df[["Training", "Validierung"]].max(axis=1)
    df["unten"] = df[["Training", "Validierung"]].min(axis=1)
    df["Lücke"] = df["Validierung"] - df["Training"]
    area = alt.Chart(df).mark_area(color=RED, opacity=0.18).encode(
        x=alt.X("Epoche:Q", axis=alt.Axis(tickMinStep=1)), y=alt.Y("unten:Q", title="Verlust"), y2="oben:Q",
        tooltip=["Epoche:Q", alt.Tooltip("Lücke:Q", format=".4f", title="Lücke Validierung − Training")])
    long = df.melt(id_vars="Epoche", value_vars=["Training", "Validierung"], var_name="Daten", value_name="Verlust")
    lines = alt.Chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x="Epoche:Q", y="Verlust:Q",
        color=alt.Color("Daten:N", scale=alt.Scale(domain=SERIES, range=[TRAIN_COLOR, VAL_COLOR]),
                        title=None),   # the training curves' colours: orange training, blue validation
        tooltip=["Epoche:Q", "Daten:N", alt.Tooltip("Verlust:Q", format=".4f")])
    best = df.loc[df["Validierung"].idxmin()]
    rule = alt.Chart(pd.DataFrame({"Epoche": [best["Epoche"]], "t": [f"bester Validierungsverlust (Epoche {int(best['Epoche'])})"]})
                     ).mark_rule(color=GREY, strokeDash=[4, 4]).encode(x="Epoche:Q", tooltip=["t:N"])
    return alt.layer(area, lines, rule).properties(title=title, height=320)


@finished
def conv_shape_chart(rows: list[dict]) -> alt.Chart:
    """Parameters per layer of a stack (bars) with the output shape as label."""
    df = pd.DataFrame([{"Schicht": f"{i + 1}. {r['label']}", "Parameter": r["params"],
                        "Ausgabeform": " × ".join(map(str, r["output_shape"]))} for i, r in enumerate(rows)])
    base = alt.Chart(df).encode(y=alt.Y("Schicht:N", sort=None, title=None, axis=alt.Axis(labelLimit=220)))
    bars = base.mark_bar(color=BLUE).encode(x=alt.X("Parameter:Q", title="Parameter (Gewichte + Bias)"),
                                            tooltip=["Schicht:N", "Ausgabeform:N", "Parameter:Q"])
    text = base.mark_text(align="left", dx=4).encode(x="Parameter:Q", text="Ausgabeform:N")
    return (bars + text).properties(title="Parameter pro Schicht",
                                    height=alt.Step(28))


@finished
def gap_vs_flatten_chart(counts: dict) -> alt.Chart:
    df = pd.DataFrame({"Variante": ["Flatten + Dense", "Global Average Pooling"],
                       "Gewichte": [counts["flatten_dense"], counts["gap_total"]]})
    df["txt"] = [de(v) for v in df["Gewichte"]]
    base = alt.Chart(df).encode(y=alt.Y("Variante:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)))
    return (base.mark_bar().encode(
        x=alt.X("Gewichte:Q", title="trainierbare Gewichte bis zu den 10 Klassen"),
        color=alt.Color("Variante:N", scale=alt.Scale(range=[ORANGE, GREEN]), legend=None))
        + base.mark_text(align="left", dx=4).encode(x="Gewichte:Q", text="txt:N")
    ).properties(title="Gewichte für den Abschluss", height=alt.Step(36))


# --- batch norm -------------------------------------------------------------------------------


@finished
def batchnorm_chart(values, title: str, x_domain=(-10, 10), bins: int = 40) -> alt.Chart:
    """Histogram of a batch of pre-activations with the sigmoid curve drawn over it."""
    values = np.asarray(values, float)
    lo, hi = x_domain
    counts, edges = np.histogram(np.clip(values, lo, hi), bins=bins, range=(lo, hi))
    hist = pd.DataFrame({"von": edges[:-1], "bis": edges[1:], "Anteil": counts / max(1, len(values))})
    xs = alt.Scale(domain=[lo, hi], nice=False)
    bars = alt.Chart(hist).mark_rect(color=BLUE, opacity=0.55).encode(
        x=alt.X("von:Q", scale=xs, title="Wert vor der Aktivierung"), x2="bis:Q",
        y=alt.Y("Anteil:Q", title="Anteil des Batches", axis=alt.Axis(format="%", titleColor=BLUE)),
        y2=alt.datum(0),
        tooltip=[alt.Tooltip("von:Q", format=".2f"), alt.Tooltip("bis:Q", format=".2f"),
                 alt.Tooltip("Anteil:Q", format=".1%")])
    curve = _curve(T.sigmoid, lo, hi, 200)
    sig = alt.Chart(curve).mark_line(color=RED, strokeWidth=2.5).encode(
        x=alt.X("x:Q", scale=xs),
        y=alt.Y("y:Q", title="sigmoid", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(titleColor=RED)))
    return alt.layer(bars, sig).resolve_scale(y="independent").properties(title=title, height=220)


