"""Charts of a training run: pure Altair and PIL, no Streamlit, no TensorFlow.

* :func:`training_charts` – the notebooks' ``PlotTraining``: loss left, accuracy right. The thin
  line is the training loss/accuracy **per block of batches** (usually 10), recovered exactly from
  Keras' running means (:func:`block_means`); the thick line with points is the validation after
  each epoch. Zoom as in the notebooks (loss 0…1,2/zoom, accuracy 1−1/(2·zoom)…1+0,1/(2·zoom)),
  except that zoom 1× grows to fit the run. A curve never vanishes: values outside the zoomed range
  are drawn on the edge with a triangle, and :func:`training_view` returns a note saying so.
* :func:`lr_chart` – a learning-rate schedule as a step plot.
* :func:`overlay_charts` – validation curves of several runs on top of each other.
* :func:`digit_grid` – digits with their labels as one crisp image, wrong ones in red.
"""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image, ImageDraw

from tutorial.charts.base import LOCALE, centred_text, german, mono_font
from tutorial.deutsch import de, de_format

ZOOMS = (1, 5, 10, 16)
TRAIN_COLOR = "#E07B39"
VAL_COLOR = "#2E6F95"
WRONG_COLOR = (200, 30, 30)
LABEL_COLOR = (40, 40, 40)
LOSS_CEILING = 5.0      # zoom 1× grows up to this loss; a diverging run is cut (and marked) above it
SERIES = ["Training", "Validierung"]
__all__ = ["LOCALE", "ZOOMS", "block_means", "curve_frame", "digit_grid", "fitting_zoom", "lr_chart",
           "overlay_charts", "overlay_view", "training_charts", "training_view", "zoom_limits"]


# --- what the thin line shows -----------------------------------------------------------------

def block_means(history: dict) -> list[dict]:
    """Training loss and accuracy per block of batches between two records.

    Keras 3 reports, after batch k of an epoch, the running mean m_k over batches 1…k of that
    epoch. The records (every few batches) therefore give the exact mean over the batches since
    the previous record j of the same epoch: (k·m_k − j·m_j) / (k − j), with j = 0 at an epoch's
    start. Returns one dict per record: epoch (fractional, as recorded), step, batches (block
    length), loss, accuracy.
    """
    steps = int(history.get("steps_per_epoch") or 0)
    out, prev = [], None
    for b in history.get("batches", []):
        step = int(b.get("step", 0))
        if steps <= 0 or step <= 0:
            out.append({**b, "batches": 1})
            continue
        epoch_index, k = divmod(step - 1, steps)
        k += 1
        j, mj = 0, {"loss": 0.0, "accuracy": 0.0}
        if prev is not None and prev[0] == epoch_index and prev[1] < k:
            j, mj = prev[1], prev[2]
        row = {"epoch": float(b["epoch"]), "step": step, "batches": k - j}
        for metric in ("loss", "accuracy"):
            mk = b.get(metric)
            row[metric] = None if mk is None else (k * mk - j * mj[metric]) / (k - j)
        out.append(row)
        if any(b.get(m) is None or not math.isfinite(b[m]) for m in ("loss", "accuracy")):
            prev = None                   # a NaN running mean tells nothing about the next block
        else:
            prev = (epoch_index, k, {"loss": b["loss"], "accuracy": b["accuracy"]})
    return out


def block_size(history: dict) -> int:
    """The usual number of batches per block of the thin line (the records' spacing)."""
    sizes = [r["batches"] for r in block_means(history)]
    return int(max(set(sizes), key=sizes.count)) if sizes else 1


def curve_frame(history: dict) -> pd.DataFrame:
    """Long format: one row per point with epoch, metric ('loss'|'accuracy'), value, series."""
    rows = []
    for b in block_means(history):
        for metric in ("loss", "accuracy"):
            rows.append({"epoch": float(b["epoch"]), "metric": metric, "value": b[metric], "series": "Training"})
    for e in history.get("epochs", []):
        for metric in ("loss", "accuracy"):
            rows.append({"epoch": float(e["epoch"]), "metric": metric, "value": e.get("val_" + metric),
                         "series": "Validierung"})
    frame = pd.DataFrame(rows, columns=["epoch", "metric", "value", "series"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    return frame.replace([np.inf, -np.inf], np.nan).dropna()


# --- zoom ranges ----------------------------------------------------------------------------------

def zoom_limits(zoom: float, values: dict | None = None) -> tuple[tuple[float, float], tuple[float, float]]:
    """(loss range, accuracy range) for a zoom factor: the notebooks' PlotTraining ranges; at zoom 1×
    with ``values`` ({'loss': [...], 'accuracy': [...]}) the ranges grow to fit them (loss up to
    :data:`LOSS_CEILING`)."""
    zoom = max(1.0, float(zoom))
    loss, acc = (0.0, 1.2 / zoom), (1 - 1 / (2 * zoom), 1 + 0.1 / (2 * zoom))
    if zoom == 1.0 and values:
        losses = [v for v in values.get("loss", []) if math.isfinite(v)]
        accs = [v for v in values.get("accuracy", []) if math.isfinite(v)]
        if losses and max(losses) > loss[1]:
            loss = (0.0, min(LOSS_CEILING, math.ceil(max(losses) * 1.05 / 0.5) * 0.5))
        if accs and min(accs) < acc[0]:
            acc = (max(0.0, math.floor(min(accs) * 10) / 10), acc[1])
    return loss, acc


def _values(frame: pd.DataFrame, column: str = "value") -> dict:
    return {m: frame.loc[frame["metric"] == m, column].tolist() for m in ("loss", "accuracy")}


def fitting_zoom(history: dict, preferred: float) -> int:
    """The largest zoom ≤ ``preferred`` at which every validation point lies inside the range – a
    page's default zoom that shows the run it shows (1 when nothing else fits)."""
    vals = [(e.get("val_loss"), e.get("val_accuracy")) for e in history.get("epochs", [])]
    vals = [(l, a) for l, a in vals if l is not None and a is not None and math.isfinite(l) and math.isfinite(a)]
    for zoom in sorted((z for z in ZOOMS if z <= preferred), reverse=True):
        (l0, l1), (a0, a1) = zoom_limits(zoom)
        if all(l0 <= l <= l1 and a0 <= a <= a1 for l, a in vals):
            return zoom
    return 1


def _clip(data: pd.DataFrame, domain: tuple[float, float]) -> pd.DataFrame:
    """Adds ``shown`` (the value kept inside the range) and ``edge`` ('oben', 'unten' or '')."""
    lo, hi = domain
    data = data.copy()
    data["shown"] = data["value"].clip(lo, hi)
    data["edge"] = np.where(data["value"] > hi, "oben", np.where(data["value"] < lo, "unten", ""))
    return data


def _note(edges: set, domain: tuple[float, float], zoom: float, metric: str) -> list[str]:
    fmt = (lambda v: de(v, 3 if v < 0.1 else 2 if v < 10 else 0)) if metric == "loss" else (lambda v: de_format(v, ".1%"))
    name = "Verlust" if metric == "loss" else "Genauigkeit"
    more = " – Zoom 1× zeigt mehr" if zoom > 1 else ""
    notes = []
    if "oben" in edges:
        notes.append(f"{name}: Werte oberhalb von {fmt(domain[1])} am Rand abgeschnitten (▲){more}.")
    if "unten" in edges:
        notes.append(f"{name}: Werte unterhalb von {fmt(domain[0])} am Rand abgeschnitten (▼){more}.")
    return notes


def _edge_marks(data: pd.DataFrame, x, y, color, tooltip) -> list:
    """Triangles on the edge where values were cut (pointing the way the real value lies)."""
    layers = []
    for edge, shape in (("oben", "triangle-up"), ("unten", "triangle-down")):
        part = data[data["edge"] == edge]
        if len(part):
            layers.append(alt.Chart(part).mark_point(shape=shape, filled=True, size=60, opacity=0.9).encode(
                x=x, y=y, color=color, tooltip=tooltip))
    return layers


# --- training curves -----------------------------------------------------------------------------

def _panel(frame: pd.DataFrame, metric: str, title, domain: tuple[float, float], epochs: int,
           axis_format: str) -> alt.LayerChart:
    data = _clip(frame[frame["metric"] == metric], domain)
    x = alt.X("epoch:Q", title="Epoche", scale=alt.Scale(domain=[0, max(1, epochs)], nice=False),
              axis=alt.Axis(tickMinStep=1))
    y = alt.Y("shown:Q", title=None, scale=alt.Scale(domain=list(domain), nice=False),
              axis=alt.Axis(format=axis_format))
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=SERIES, range=[TRAIN_COLOR, VAL_COLOR]),
                      legend=alt.Legend(orient="bottom"))
    name = "Verlust" if metric == "loss" else "Genauigkeit"
    tooltip = [alt.Tooltip("series:N", title="Daten"), alt.Tooltip("epoch:Q", title="Epoche", format=".2f"),
               alt.Tooltip("value:Q", title=name, format=".4f" if metric == "loss" else ".2%")]
    base = alt.Chart(data).encode(x=x, y=y, color=color, tooltip=tooltip)
    train = base.transform_filter(alt.datum.series == "Training").mark_line(strokeWidth=1, opacity=0.8)
    val = base.transform_filter(alt.datum.series == "Validierung").mark_line(
        strokeWidth=3, point=alt.OverlayMarkDef(size=50, filled=True))
    # Streamlit fits title, axes and legend into this height; the plot itself gets about 220 px
    return alt.layer(train, val, *_edge_marks(data, x, y, color, tooltip)).properties(title=title, height=340)


def training_view(history: dict, zoom: float = 1) -> tuple[alt.LayerChart, alt.LayerChart, list[str]]:
    """(loss chart, accuracy chart, notes) of one run; the notes (German) say what was cut at the
    edge of the zoomed range and what the thin line shows."""
    frame = curve_frame(history)
    epochs = int(history.get("epochs_total") or max([e["epoch"] for e in history.get("epochs", [])] or [1]))
    loss_range, acc_range = zoom_limits(zoom, _values(frame))
    size = block_size(history)
    sub = f"dünn: Training, Mittel je {size} Batches · dick: Validierung" if size > 1 else \
        "dünn: Training · dick: Validierung"
    loss = _panel(frame, "loss", alt.Title("Verlust (loss)", subtitle=sub), loss_range, epochs,
                  ".2f" if loss_range[1] < 2 else ".1f")
    acc = _panel(frame, "accuracy", alt.Title("Genauigkeit (accuracy)", subtitle=sub), acc_range, epochs,
                 ".1%" if zoom > 1 else ".0%")
    notes = []
    for metric, domain in (("loss", loss_range), ("accuracy", acc_range)):
        edges = set(_clip(frame[frame["metric"] == metric], domain)["edge"]) - {""}
        notes += _note(edges, domain, zoom, metric)
    return german(loss), german(acc), notes


def training_charts(history: dict, zoom: float = 1) -> tuple[alt.LayerChart, alt.LayerChart]:
    """(loss chart, accuracy chart) of one run; see :func:`training_view` for the notes."""
    loss, acc, _ = training_view(history, zoom)
    return loss, acc


# --- learning-rate schedule -------------------------------------------------------------------

def lr_frame(spec) -> pd.DataFrame:
    """Learning rate per epoch (0-based start of each epoch), plus the end of the last epoch."""
    rows = [{"epoch": e, "Epoche": e + 1, "lr": spec.lr_at(e)} for e in range(spec.epochs)]
    rows.append({"epoch": spec.epochs, "Epoche": spec.epochs, "lr": spec.lr_at(spec.epochs - 1)})
    return pd.DataFrame(rows)


def lr_chart(spec) -> alt.LayerChart:
    """The schedule ``lr(epoch) = learning_rate · decay^epoch`` as a step plot."""
    frame = lr_frame(spec)
    x = alt.X("epoch:Q", title="Epoche", scale=alt.Scale(domain=[0, spec.epochs], nice=False),
              axis=alt.Axis(tickMinStep=1))
    y = alt.Y("lr:Q", title="Lernrate", scale=alt.Scale(domainMin=0), axis=alt.Axis(format=".4~f"))
    line = alt.Chart(frame).mark_line(interpolate="step-after", strokeWidth=3, color=VAL_COLOR).encode(x=x, y=y)
    points = alt.Chart(frame.iloc[:-1]).mark_point(filled=True, size=60, color=VAL_COLOR).encode(
        x=x, y=y, tooltip=[alt.Tooltip("Epoche:Q"), alt.Tooltip("lr:Q", title="Lernrate", format=".6~f")])
    return german(alt.layer(line, points).properties(title="Lernrate pro Epoche", height=260))


# --- run overlay ----------------------------------------------------------------------------------

def overlay_frame(runs: list[tuple[str, dict]]) -> pd.DataFrame:
    rows = []
    for label, history in runs:
        for e in history.get("epochs", []):
            rows.append({"Lauf": label, "epoch": e["epoch"], "val_loss": e["val_loss"],
                         "val_accuracy": e["val_accuracy"]})
    frame = pd.DataFrame(rows, columns=["Lauf", "epoch", "val_loss", "val_accuracy"])
    return frame.replace([np.inf, -np.inf], np.nan)


def overlay_view(runs: list[tuple[str, dict]], zoom: float = 1) -> tuple[alt.LayerChart, alt.LayerChart, list[str]]:
    """Validation loss and accuracy per epoch of several runs, one colour per run, and the notes
    on values cut at the edge (as in :func:`training_view`)."""
    frame = overlay_frame(runs)
    values = {"loss": frame["val_loss"].dropna().tolist(), "accuracy": frame["val_accuracy"].dropna().tolist()}
    loss_range, acc_range = zoom_limits(zoom, values)
    x = alt.X("epoch:Q", title="Epoche", axis=alt.Axis(tickMinStep=1))
    color = alt.Color("Lauf:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=320))   # fits a phone
    notes = []

    def panel(field, metric, title, domain, fmt):
        data = _clip(frame.rename(columns={field: "value"}).dropna(subset=["value"]), domain)
        y = alt.Y("shown:Q", title=None, scale=alt.Scale(domain=list(domain), nice=False), axis=alt.Axis(format=fmt))
        tooltip = [alt.Tooltip("Lauf:N"), alt.Tooltip("epoch:Q", title="Epoche"),
                   alt.Tooltip("value:Q", title=title, format=".4f" if metric == "loss" else ".2%")]
        notes.extend(_note(set(data["edge"]) - {""}, domain, zoom, metric))
        line = alt.Chart(data).mark_line(point=True, strokeWidth=2.5).encode(x=x, y=y, color=color, tooltip=tooltip)
        return german(alt.layer(line, *_edge_marks(data, x, y, color, tooltip)).properties(title=title, height=340))

    loss = panel("val_loss", "loss", "Validierungsverlust", loss_range, ".2f" if loss_range[1] < 2 else ".1f")
    acc = panel("val_accuracy", "accuracy", "Validierungsgenauigkeit", acc_range, ".1%" if zoom > 1 else ".0%")
    return loss, acc, notes


def overlay_charts(runs: list[tuple[str, dict]], zoom: float = 1) -> tuple[alt.LayerChart, alt.LayerChart]:
    loss, acc, _ = overlay_view(runs, zoom)
    return loss, acc


# --- digit grids ------------------------------------------------------------------------------------

def digit_grid(images: np.ndarray, labels, wrong=None, columns: int = 24, scale: int = 2) -> Image.Image:
    """Digits (N, 28, 28) uint8 as one RGB image, each with its label underneath.

    ``labels`` are the numbers printed under the digits (true labels or predictions); where
    ``wrong`` is True the label is red and the cell is framed red. Pixels are enlarged by
    ``scale`` with nearest-neighbour, so the digits stay sharp; ink is dark on white.
    """
    images = np.asarray(images)
    n = len(images)
    wrong = np.zeros(n, bool) if wrong is None else np.asarray(wrong, bool)
    side = 28 * scale
    label_h = 11 * scale
    pad = 2 * scale
    cell_w, cell_h = side + 2 * pad, side + label_h + 2 * pad
    rows = max(1, -(-n // columns))
    grid = Image.new("RGB", (columns * cell_w, rows * cell_h), (255, 255, 255))
    draw = ImageDraw.Draw(grid)
    font = mono_font(10 * scale)
    for i in range(n):
        r, c = divmod(i, columns)
        x0, y0 = c * cell_w + pad, r * cell_h + pad
        digit = Image.fromarray(255 - np.asarray(images[i], dtype=np.uint8)).resize((side, side), Image.NEAREST)
        grid.paste(digit.convert("RGB"), (x0, y0))
        color = WRONG_COLOR if wrong[i] else LABEL_COLOR
        if wrong[i]:
            draw.rectangle([x0 - 1, y0 - 1, x0 + side, y0 + side], outline=WRONG_COLOR, width=max(1, scale // 2))
        centred_text(draw, str(labels[i]), x0, side, y0 + side + scale, font, color)
    return grid
