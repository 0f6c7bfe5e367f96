"""Charts for the chapter pages: pure Altair and PIL, no Streamlit, no TensorFlow.

* :func:`training_charts` – the notebooks' ``PlotTraining``: loss left, accuracy right, training
  points every few batches as a thin line, validation once per epoch as a thick line with points,
  and the notebooks' zoom (loss 0…1.2/zoom, accuracy 1−1/(2·zoom)…1+0.1/(2·zoom)).
* :func:`lr_chart` – a learning-rate schedule as a step plot.
* :func:`digit_grid` – digits with their labels as one crisp image, wrong ones in red.
* :func:`overlay_charts` – validation curves of several runs on top of each other.
"""
from __future__ import annotations

import functools
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

ZOOMS = (1, 5, 10, 16)
TRAIN_COLOR = "#E07B39"
VAL_COLOR = "#2E6F95"
WRONG_COLOR = (200, 30, 30)
LABEL_COLOR = (40, 40, 40)
FONT_FILE = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "DejaVuSansMono-Oblique.ttf"

SERIES = ["Training", "Validierung"]
# German number format on the axes and in tooltips: 0,25 and 98,5 %
LOCALE = alt.Locale(number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["", " €"],
                                           percent="\u202f%"))   # 98,5 % with a narrow space


# --- training curves -----------------------------------------------------------------------------

def zoom_limits(zoom: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """(loss range, accuracy range) of the notebooks' PlotTraining for a zoom factor."""
    zoom = max(1.0, float(zoom))
    return (0.0, 1.2 / zoom), (1 - 1 / (2 * zoom), 1 + 0.1 / (2 * zoom))


def curve_frame(history: dict) -> pd.DataFrame:
    """Long format: one row per point with epoch, metric ('loss'|'accuracy'), value, series."""
    rows = []
    for b in history.get("batches", []):
        for metric in ("loss", "accuracy"):
            rows.append({"epoch": float(b["epoch"]), "metric": metric, "value": b[metric], "series": "Training"})
    for e in history.get("epochs", []):
        for metric in ("loss", "accuracy"):
            rows.append({"epoch": float(e["epoch"]), "metric": metric, "value": e["val_" + metric],
                         "series": "Validierung"})
    frame = pd.DataFrame(rows, columns=["epoch", "metric", "value", "series"])
    return frame.replace([np.inf, -np.inf], np.nan).dropna()


def _panel(frame: pd.DataFrame, metric: str, title: str, domain: tuple[float, float], epochs: int,
           axis_format: str) -> alt.LayerChart:
    data = frame[frame["metric"] == metric]
    x = alt.X("epoch:Q", title="Epoche", scale=alt.Scale(domain=[0, max(1, epochs)], nice=False),
              axis=alt.Axis(tickMinStep=1))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(domain=list(domain), nice=False),
              axis=alt.Axis(format=axis_format))
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=SERIES, range=[TRAIN_COLOR, VAL_COLOR]),
                      legend=alt.Legend(orient="bottom"))
    tooltip = [alt.Tooltip("series:N", title="Daten"), alt.Tooltip("epoch:Q", title="Epoche", format=".2f"),
               alt.Tooltip("value:Q", title=title, format=".4f")]
    base = alt.Chart(data).encode(x=x, y=y, color=color, tooltip=tooltip)
    train = base.transform_filter(alt.datum.series == "Training").mark_line(strokeWidth=1, clip=True, opacity=0.8)
    val = base.transform_filter(alt.datum.series == "Validierung").mark_line(
        strokeWidth=3, clip=True, point=alt.OverlayMarkDef(size=50, filled=True))
    # Streamlit fits title, axes and legend into this height; the plot itself gets about 230 px
    return alt.layer(train, val).properties(title=title, height=340)


def training_charts(history: dict, zoom: float = 1) -> tuple[alt.LayerChart, alt.LayerChart]:
    """(loss chart, accuracy chart) of one run, as the notebooks drew them."""
    frame = curve_frame(history)
    epochs = int(history.get("epochs_total") or max([e["epoch"] for e in history.get("epochs", [])] or [1]))
    loss_range, acc_range = zoom_limits(zoom)
    loss = _panel(frame, "loss", "Verlust (loss)", loss_range, epochs, ".2f")
    acc = _panel(frame, "accuracy", "Genauigkeit (accuracy)", acc_range, epochs, ".1%" if zoom > 1 else ".0%")
    return loss.configure(locale=LOCALE), acc.configure(locale=LOCALE)


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
    return alt.layer(line, points).properties(title="Lernrate pro Epoche", height=260).configure(locale=LOCALE)


# --- run overlay ----------------------------------------------------------------------------------

def overlay_frame(runs: list[tuple[str, dict]]) -> pd.DataFrame:
    rows = []
    for label, history in runs:
        for e in history.get("epochs", []):
            rows.append({"Lauf": label, "epoch": e["epoch"], "val_loss": e["val_loss"],
                         "val_accuracy": e["val_accuracy"]})
    frame = pd.DataFrame(rows, columns=["Lauf", "epoch", "val_loss", "val_accuracy"])
    return frame.replace([np.inf, -np.inf], np.nan)


def overlay_charts(runs: list[tuple[str, dict]], zoom: float = 1) -> tuple[alt.Chart, alt.Chart]:
    """Validation loss and accuracy per epoch of several runs, one colour per run."""
    frame = overlay_frame(runs)
    loss_range, acc_range = zoom_limits(zoom)
    x = alt.X("epoch:Q", title="Epoche", axis=alt.Axis(tickMinStep=1))
    color = alt.Color("Lauf:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=600))

    def panel(field, title, domain, fmt):
        return alt.Chart(frame).mark_line(point=True, strokeWidth=2.5, clip=True).encode(
            x=x, y=alt.Y(f"{field}:Q", title=None, scale=alt.Scale(domain=list(domain), nice=False),
                         axis=alt.Axis(format=fmt)),
            color=color,
            tooltip=[alt.Tooltip("Lauf:N"), alt.Tooltip("epoch:Q", title="Epoche"),
                     alt.Tooltip(f"{field}:Q", title=title, format=".4f")],
        ).properties(title=title, height=340).configure(locale=LOCALE)

    return (panel("val_loss", "Validierungsverlust", loss_range, ".2f"),
            panel("val_accuracy", "Validierungsgenauigkeit", acc_range, ".1%" if zoom > 1 else ".0%"))


# --- digit grids ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILE), size)


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
    font = _font(10 * scale)
    for i in range(n):
        r, c = divmod(i, columns)
        x0, y0 = c * cell_w + pad, r * cell_h + pad
        digit = Image.fromarray(255 - np.asarray(images[i], dtype=np.uint8)).resize((side, side), Image.NEAREST)
        grid.paste(digit.convert("RGB"), (x0, y0))
        color = WRONG_COLOR if wrong[i] else LABEL_COLOR
        if wrong[i]:
            draw.rectangle([x0 - 1, y0 - 1, x0 + side, y0 + side], outline=WRONG_COLOR, width=max(1, scale // 2))
        text = str(labels[i])
        box = draw.textbbox((0, 0), text, font=font)
        tx = x0 + (side - (box[2] - box[0])) // 2 - box[0]
        draw.text((tx, y0 + side + scale), text, fill=color, font=font)
    return grid
