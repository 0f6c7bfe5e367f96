"""Altair charts for the interactive explanations (German titles and axes).

Every function takes real numbers (usually from :mod:`tutorial.theory`) and returns an Altair
chart; nothing here imports Streamlit or TensorFlow.
"""
from __future__ import annotations

from typing import Optional, Sequence

import altair as alt
import numpy as np
import pandas as pd

from tutorial import theory as T
from tutorial.charts import LOCALE
from tutorial.deutsch import de, de_format, short

BLUE = "#1f77b4"
ORANGE = "#ff7f0e"
GREEN = "#2ca02c"
RED = "#d62728"
GREY = "#9e9e9e"
METHOD_COLORS = {"Gradientenabstieg": RED, "Momentum": BLUE, "Adam": GREEN}


def german(chart):
    """Top-level chart with German number format on axes and tooltips (1.000,5). Apply last,
    right before display: a configured chart cannot be layered or concatenated any more."""
    return chart.configure(locale=LOCALE)




def _curve(fn, lo=-6.0, hi=6.0, n=241) -> pd.DataFrame:
    x = np.linspace(lo, hi, n)
    return pd.DataFrame({"x": x, "y": fn(x)})


# --- neuron and activations -------------------------------------------------------------------


def neuron_chart(weighted_sum: float, output: float, activation: str) -> alt.Chart:
    """The activation curve with the neuron's current (weighted sum, output) marked."""
    lo, hi = min(-6.0, weighted_sum - 1), max(6.0, weighted_sum + 1)
    curve = _curve(lambda x: T.activate(x, activation), lo, hi)
    base = alt.Chart(curve).mark_line(color=BLUE, strokeWidth=2.5).encode(
        x=alt.X("x:Q", title="gewichtete Summe + Bias"),
        y=alt.Y("y:Q", title=f"Ausgabe ({activation})"))
    point = pd.DataFrame({"x": [weighted_sum], "y": [output],
                          "label": [f"Summe {de(weighted_sum, 2)} → Ausgabe {de(output, 3)}"]})
    dot = alt.Chart(point).mark_circle(size=160, color=RED).encode(x="x:Q", y="y:Q", tooltip=["label:N"])
    right_half = weighted_sum > (lo + hi) / 2
    text = alt.Chart(point).mark_text(align="right" if right_half else "left", dx=-10 if right_half else 10,
                                      dy=-10, color=RED, fontSize=13).encode(
        x="x:Q", y="y:Q", text="label:N")
    rule = alt.Chart(point).mark_rule(color=RED, strokeDash=[4, 4]).encode(x="x:Q")
    return (base + rule + dot + text).properties(title="Das Neuron: Summe rein, Aktivierung raus", height=280)


def products_chart(inputs, weights, bias: float) -> alt.Chart:
    """Bars: each input × weight, the bias, and their total."""
    rows = [{"Teil": f"x{i + 1}·w{i + 1}", "Wert": float(x * w), "Art": "Produkt"}
            for i, (x, w) in enumerate(zip(inputs, weights))]
    rows.append({"Teil": "Bias b", "Wert": float(bias), "Art": "Bias"})
    rows.append({"Teil": "Summe", "Wert": float(sum(r["Wert"] for r in rows)), "Art": "Summe"})
    df = pd.DataFrame(rows)
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("Teil:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Wert:Q", title="Beitrag"),
        color=alt.Color("Art:N", scale=alt.Scale(domain=["Produkt", "Bias", "Summe"],
                                                 range=[BLUE, ORANGE, RED]), legend=None),
        tooltip=["Teil:N", alt.Tooltip("Wert:Q", format=".3f")],
    ).properties(title="Beiträge zur gewichteten Summe", height=280)


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
                 highlight_row: Optional[int] = None, fmt: str = ".2f", scheme: str = "blueorange") -> alt.Chart:
    """A small matrix as a coloured grid with its numbers written in."""
    M = np.atleast_2d(np.asarray(M, dtype=float))
    r, c = np.indices(M.shape)
    df = pd.DataFrame({"r": r.ravel(), "c": c.ravel(), "v": M.ravel()})
    df["txt"] = [de_format(v, fmt) for v in df["v"]]
    lim = max(float(np.abs(M).max()), 1e-9)
    base = alt.Chart(df).encode(
        x=alt.X("c:O", title=col_label, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("r:O", title=row_label))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("v:Q", scale=alt.Scale(scheme=scheme, domain=[-lim, lim]), legend=None),
        tooltip=[alt.Tooltip("r:O", title=row_label), alt.Tooltip("c:O", title=col_label),
                 alt.Tooltip("v:Q", title="Wert", format=".4f")])
    text = base.mark_text(fontSize=12).encode(text="txt:N")
    layers = [rect, text]
    if highlight_row is not None:
        hl = pd.DataFrame({"r": [highlight_row]})
        layers.append(alt.Chart(hl).mark_rect(fill=None, stroke=RED, strokeWidth=3).encode(y="r:O"))
    return alt.layer(*layers).properties(title=f"{title}  {M.shape[0]}×{M.shape[1]}",
                                         width=alt.Step(46), height=alt.Step(30))


def softmax_chart(logits, probs, temperature: float = 1.0) -> alt.Chart:
    """Probabilities as bars (the largest highlighted), logits in the tooltip."""
    probs = np.asarray(probs, dtype=float)
    df = pd.DataFrame({"Klasse": [str(i) for i in range(len(probs))], "Logit": np.asarray(logits, float),
                       "Wahrscheinlichkeit": probs, "Gewinner": probs == probs.max()})
    df["txt"] = [de_format(p, ".0%") if p >= 0.005 else "" for p in probs]
    base = alt.Chart(df).encode(x=alt.X("Klasse:N", sort=None, title="Klasse", axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar().encode(
        y=alt.Y("Wahrscheinlichkeit:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.condition("datum.Gewinner", alt.value(RED), alt.value(BLUE)),
        tooltip=["Klasse:N", alt.Tooltip("Logit:Q", format=".2f"),
                 alt.Tooltip("Wahrscheinlichkeit:Q", format=".2%")])
    text = base.mark_text(dy=-8).encode(y="Wahrscheinlichkeit:Q", text="txt:N")
    return (bars + text).properties(
        title=f"softmax bei Temperatur {short(temperature)}: Summe = {de(probs.sum(), 3)}", height=280)


def cross_entropy_chart(y_true, y_pred) -> alt.Chart:
    """Predicted probabilities per class with the true class marked, next to the -log(p) curve."""
    y_pred = np.asarray(y_pred, float)
    true_class = int(np.argmax(y_true))
    df = pd.DataFrame({"Klasse": [str(i) for i in range(len(y_pred))], "p": y_pred,
                       "Richtig": [i == true_class for i in range(len(y_pred))]})
    bars = alt.Chart(df).mark_bar().encode(
        x=alt.X("Klasse:N", sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("p:Q", title="vorhergesagte Wahrscheinlichkeit", scale=alt.Scale(domain=[0, 1])),
        color=alt.condition("datum.Richtig", alt.value(GREEN), alt.value(GREY)),
        tooltip=["Klasse:N", alt.Tooltip("p:Q", format=".3f")],
    ).properties(title=f"Vorhersage (grün: die richtige Klasse {true_class})", height=260, width=300)
    p_true = float(y_pred[true_class] / y_pred.sum())
    curve = pd.DataFrame({"p": np.linspace(0.005, 1, 200)})
    curve["Verlust"] = -np.log(curve["p"])
    line = alt.Chart(curve).mark_line(color=BLUE, strokeWidth=2.5).encode(
        x=alt.X("p:Q", title="Wahrscheinlichkeit der richtigen Klasse"),
        y=alt.Y("Verlust:Q", title="Kreuzentropie −log(p)"))
    loss = float(T.cross_entropy(y_true, y_pred))
    pt = pd.DataFrame({"p": [max(p_true, 0.005)], "Verlust": [min(loss, -np.log(0.005))],
                       "label": [f"Verlust {de(loss, 3)}"]})
    dot = alt.Chart(pt).mark_circle(size=160, color=RED).encode(x="p:Q", y="Verlust:Q")
    txt = alt.Chart(pt).mark_text(align="left", dx=10, dy=-8, color=RED, fontSize=13).encode(
        x="p:Q", y="Verlust:Q", text="label:N")
    right = (line + dot + txt).properties(title="Je sicherer richtig, desto kleiner der Verlust",
                                          height=260, width=300)
    return alt.hconcat(bars, right)


def one_hot_chart(label: int, classes: int = 10) -> alt.Chart:
    vec = T.one_hot(label, classes)
    return matrix_chart(vec[None, :], f"One-hot-Kodierung der Ziffer {label}", row_label="",
                        col_label="Klasse", fmt=".0f", scheme="greens")


# --- gradient descent ---------------------------------------------------------------------------


def descent_chart(surface: str, runs: Sequence[dict], grid_n: int = 50) -> alt.Chart:
    """The loss surface as a heatmap (darker = lower) with each run's path drawn on top."""
    s = T.SURFACES[surface]
    g = T.surface_grid(surface, grid_n)
    z = g["z"]
    # compress the range so the valley floor stays visible
    shade = np.log1p(z - z.min())
    df = pd.DataFrame({"x": g["x"].ravel(), "y": g["y"].ravel(), "Verlust": z.ravel(), "shade": shade.ravel()})
    dx, dy = g["dx"], g["dy"]
    df["x2"], df["y2"] = df["x"] + dx, df["y"] + dy
    df["x"], df["y"] = df["x"] - dx / 2, df["y"] - dy / 2
    df["x2"], df["y2"] = df["x2"] - dx / 2, df["y2"] - dy / 2
    xs = alt.Scale(domain=list(s.x_range), nice=False)
    ys = alt.Scale(domain=list(s.y_range), nice=False)
    heat = alt.Chart(df).mark_rect().encode(
        x=alt.X("x:Q", scale=xs, title="Gewicht w₁"), x2="x2", y=alt.Y("y:Q", scale=ys, title="Gewicht w₂"), y2="y2",
        color=alt.Color("shade:Q", scale=alt.Scale(scheme="viridis", reverse=True), legend=None),
        tooltip=[alt.Tooltip("Verlust:Q", format=".3f")])
    rows = []
    for run in runs:
        name = T.METHODS[run["method"]]
        for i, ((x, y), l) in enumerate(zip(run["path"], run["loss"])):
            inside = s.x_range[0] <= x <= s.x_range[1] and s.y_range[0] <= y <= s.y_range[1]
            rows.append({"Verfahren": name, "Schritt": i, "x": float(np.clip(x, *s.x_range)),
                         "y": float(np.clip(y, *s.y_range)), "Verlust": float(l), "im Bild": inside})
    paths = pd.DataFrame(rows)
    color = alt.Color("Verfahren:N", scale=alt.Scale(domain=list(METHOD_COLORS), range=list(METHOD_COLORS.values())))
    line = alt.Chart(paths).mark_line(strokeWidth=2).encode(
        x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys), order="Schritt:Q", color=color, detail="Verfahren:N")
    pts = alt.Chart(paths).mark_circle(size=28, opacity=1).encode(
        x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys),
        color=alt.Color("Verfahren:N", scale=alt.Scale(domain=list(METHOD_COLORS),
                                                       range=list(METHOD_COLORS.values())), legend=None),
        tooltip=["Verfahren:N", "Schritt:Q", alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("y:Q", format=".3f"),
                 alt.Tooltip("Verlust:Q", format=".4f")])
    start = pd.DataFrame({"x": [float(runs[0]["path"][0][0])] if runs else [s.start[0]],
                          "y": [float(runs[0]["path"][0][1])] if runs else [s.start[1]], "t": ["Start"]})
    start_mark = alt.Chart(start).mark_point(shape="diamond", size=200, filled=True, color="white",
                                             stroke="black").encode(x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys))
    minima = pd.DataFrame({"x": [m[0] for m in s.minima], "y": [m[1] for m in s.minima]})
    min_mark = alt.Chart(minima).mark_point(shape="cross", size=180, color="white", strokeWidth=3).encode(
        x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys))
    return alt.layer(heat, line, pts, start_mark, min_mark).properties(
        title=f"{s.title}: Weg bergab (hell = kleiner Verlust, ✚ = Minimum, ◆ = Start)", height=380)


def descent_loss_chart(runs: Sequence[dict]) -> alt.Chart:
    rows = [{"Verfahren": T.METHODS[r["method"]], "Schritt": i, "Verlust": float(l)}
            for r in runs for i, l in enumerate(r["loss"])]
    df = pd.DataFrame(rows)
    return alt.Chart(df).mark_line(strokeWidth=2).encode(
        x=alt.X("Schritt:Q"), y=alt.Y("Verlust:Q"),
        color=alt.Color("Verfahren:N", scale=alt.Scale(domain=list(METHOD_COLORS),
                                                       range=list(METHOD_COLORS.values()))),
    ).properties(title="Verlust pro Schritt", height=220)


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


def gradient_depth_chart(norms: dict) -> alt.Chart:
    """Gradient norm per layer (log scale) for each activation: {'sigmoid': array, 'relu': array}."""
    return _per_activation_log_chart(norms, "Schicht", "Schicht (1 = nahe der Eingabe)", "Gradient",
                                     "Größe des Gradienten (log)", "Wie viel Gradient kommt in jeder Schicht an?")


def chain_chart(factors: dict) -> alt.Chart:
    """Cumulative product of derivatives after k layers (log scale)."""
    return _per_activation_log_chart(factors, "Schichten", "Anzahl Schichten", "Faktor",
                                     "Produkt der Ableitungen (log)", "Kettenregel: Ableitungen multiplizieren sich")


def log_softmax_chart(logits, naive, stable) -> alt.Chart:
    rows = []
    for i, (l, a, b) in enumerate(zip(logits, naive, stable)):
        rows.append({"Klasse": str(i), "Rechenweg": "naiv: log(softmax(x))", "Wert": float(a) if np.isfinite(a) else None,
                     "Anzeige": de_format(a, ".4g")})
        rows.append({"Klasse": str(i), "Rechenweg": "stabil: x − max − log Σ exp", "Wert": float(b),
                     "Anzeige": de_format(b, ".4g")})
    df = pd.DataFrame(rows)
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("Klasse:N", axis=alt.Axis(labelAngle=0)),
        xOffset="Rechenweg:N",
        y=alt.Y("Wert:Q", title="log-Wahrscheinlichkeit"),
        color=alt.Color("Rechenweg:N", scale=alt.Scale(range=[RED, GREEN]), title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=["Klasse:N", "Rechenweg:N", "Anzeige:N"],
    ).properties(title="log softmax in float32 – ein fehlender roter Balken heißt NaN oder −∞", height=260)


# --- dropout ----------------------------------------------------------------------------------


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
        color=alt.Color("Daten:N", scale=alt.Scale(domain=["Training", "Validierung"], range=[BLUE, ORANGE]),
                        title=None),
        tooltip=["Epoche:Q", "Daten:N", alt.Tooltip("Verlust:Q", format=".4f")])
    best = df.loc[df["Validierung"].idxmin()]
    rule = alt.Chart(pd.DataFrame({"Epoche": [best["Epoche"]], "t": [f"bester Validierungsverlust (Epoche {int(best['Epoche'])})"]})
                     ).mark_rule(color=GREY, strokeDash=[4, 4]).encode(x="Epoche:Q", tooltip=["t:N"])
    return alt.layer(area, lines, rule).properties(title=title, height=320)


# --- images, convolution ----------------------------------------------------------------------


def _image_frame(img, name: str = "") -> pd.DataFrame:
    img = np.asarray(img, dtype=float)
    r, c = np.indices(img.shape)
    return pd.DataFrame({"Zeile": r.ravel(), "Spalte": c.ravel(), "Wert": img.ravel(), "Bild": name})


def image_chart(img, title: str, scheme: str = "greys", diverging: bool = False, size: int = 220,
                show_values: bool = False) -> alt.Chart:
    """One 2-D array as a pixel image (row 0 at the top)."""
    img = np.asarray(img, dtype=float)
    df = _image_frame(img)
    if diverging:
        lim = max(float(np.abs(img).max()), 1e-9)
        scale = alt.Scale(scheme="redblue", domain=[-lim, lim], reverse=True)
    else:
        scale = alt.Scale(scheme=scheme)
    h, w = img.shape
    chart = alt.Chart(df).mark_rect().encode(
        x=alt.X("Spalte:O", axis=None), y=alt.Y("Zeile:O", axis=None),
        color=alt.Color("Wert:Q", scale=scale, legend=None),
        tooltip=["Zeile:O", "Spalte:O", alt.Tooltip("Wert:Q", format=".3f")])
    if show_values:
        df["txt"] = [de_format(v, ".2g") for v in df["Wert"]]
        chart = chart + alt.Chart(df).mark_text(fontSize=11).encode(
            x="Spalte:O", y="Zeile:O", text="txt:N",
            color=alt.condition(f"abs(datum.Wert) > {0.6 * max(float(np.abs(img).max()), 1e-9)}",
                                alt.value("white"), alt.value("black")))
    step = size / max(h, w)
    return chart.properties(title=f"{title} ({h}×{w})", width=alt.Step(step), height=alt.Step(step))


def image_grid_chart(images, titles: Sequence[str], columns: int = 5, cell: int = 90,
                     diverging: bool = False, normalize_each: bool = True, title: str = "") -> alt.Chart:
    """Many same-sized images in a grid (facet). With ``normalize_each`` each image is scaled to its
    own range so weak maps stay visible; the tooltip keeps the raw values."""
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
        scale = alt.Scale(scheme="greys", domain=[0, 1] if normalize_each else None)
    chart = alt.Chart(df).mark_rect().encode(
        x=alt.X("Spalte:O", axis=None), y=alt.Y("Zeile:O", axis=None),
        color=alt.Color("Farbe:Q", scale=scale, legend=None),
        tooltip=["Bild:N", "Zeile:O", "Spalte:O", alt.Tooltip("Wert:Q", format=".4f")],
    ).properties(width=alt.Step(cell / max(images[0].shape)), height=alt.Step(cell / max(images[0].shape))).facet(
        facet=alt.Facet("Bild:N", sort=list(titles), title=None, header=alt.Header(labelFontSize=12)),
        columns=columns, spacing=6)
    return chart.properties(title=title) if title else chart


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


def gap_vs_flatten_chart(counts: dict) -> alt.Chart:
    df = pd.DataFrame({"Variante": ["Flatten + Dense", "Global Average Pooling"],
                       "Gewichte": [counts["flatten_dense"], counts["gap_total"]]})
    df["txt"] = [de(v) for v in df["Gewichte"]]
    base = alt.Chart(df).encode(y=alt.Y("Variante:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)))
    return (base.mark_bar().encode(
        x=alt.X("Gewichte:Q", title="trainierbare Gewichte bis zu den 10 Klassen"),
        color=alt.Color("Variante:N", scale=alt.Scale(range=[ORANGE, GREEN]), legend=None))
        + base.mark_text(align="left", dx=4).encode(x="Gewichte:Q", text="txt:N")
    ).properties(title="Gewichte im letzten Schritt", height=alt.Step(36))


# --- batch norm -------------------------------------------------------------------------------


def batchnorm_chart(values, title: str, x_domain=(-10, 10), bins: int = 40) -> alt.Chart:
    """Histogram of a batch of pre-activations with the sigmoid curve drawn over it."""
    values = np.asarray(values, float)
    lo, hi = x_domain
    counts, edges = np.histogram(np.clip(values, lo, hi), bins=bins, range=(lo, hi))
    hist = pd.DataFrame({"von": edges[:-1], "bis": edges[1:], "Anteil": counts / max(1, len(values))})
    xs = alt.Scale(domain=[lo, hi], nice=False)
    bars = alt.Chart(hist).mark_rect(color=BLUE, opacity=0.55).encode(
        x=alt.X("von:Q", scale=xs, title="Wert vor der Aktivierung"), x2="bis:Q",
        y=alt.Y("Anteil:Q", title="Anteil der Batch", axis=alt.Axis(format="%", titleColor=BLUE)),
        y2=alt.datum(0),
        tooltip=[alt.Tooltip("von:Q", format=".2f"), alt.Tooltip("bis:Q", format=".2f"),
                 alt.Tooltip("Anteil:Q", format=".1%")])
    curve = _curve(T.sigmoid, lo, hi, 200)
    sig = alt.Chart(curve).mark_line(color=RED, strokeWidth=2.5).encode(
        x=alt.X("x:Q", scale=xs),
        y=alt.Y("y:Q", title="sigmoid", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(titleColor=RED)))
    return alt.layer(bars, sig).resolve_scale(y="independent").properties(title=title, height=220)


# --- confusion matrix -------------------------------------------------------------------------


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
