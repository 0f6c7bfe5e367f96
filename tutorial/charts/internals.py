"""Charts of a model's insides: weights and feature maps as pictures, class probabilities, the
confusion matrix. German-formatted; no Streamlit, no TensorFlow.

Feature maps are drawn bright where the filter answers strongly (``bright_high``), as the pages
describe them; digits stay dark ink on white.
"""
from __future__ import annotations

from typing import Optional, Sequence

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image, ImageDraw

from tutorial.charts.base import BLUE, GREEN, GREY, RED, centred_text, mono_font, plain_spec, ramp, rgb
from tutorial.charts.theory import finished
from tutorial.deutsch import de_format, percent


# --- images, convolution ----------------------------------------------------------------------


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


# --- grids of images as pictures ---------------------------------------------------------------
# Many small images (templates, filters, feature maps) are drawn as PNG pictures, not as Vega charts:
# a browser draws a picture at once, while a grid of charts costs it seconds of work (benchmarks/
# RESULTS.md "Page changes"). Shown as a list (``st.image``), the pictures wrap onto as many rows as
# the screen needs – on a phone too, where a grid of fixed width would have to shrink or scroll.

# ColorBrewer's RdBu and Greys: the schemes Vega calls "redblue" and "greys"
REDBLUE = ("#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de",
           "#4393c3", "#2166ac", "#053061")
GREYS = ("#ffffff", "#f0f0f0", "#d9d9d9", "#bdbdbd", "#969696", "#737373", "#525252", "#252525", "#000000")


def colour_image(img, diverging: bool = False, normalize_each: bool = True,
                 bright_high: bool = True) -> np.ndarray:
    """A 2-D array as RGB (h, w, 3) uint8. Diverging: positive red, negative blue, 0 white, scaled
    to the largest magnitude (with ``normalize_each``). Otherwise grey from the smallest to the
    largest value: bright where high (``bright_high``, a feature map on black) or dark (ink on paper)."""
    img = np.asarray(img, dtype=float)
    if diverging:
        lim = max(float(np.abs(img).max()), 1e-12) if normalize_each else 1.0
        return ramp(REDBLUE[::-1], (img / lim + 1) / 2)
    lo, hi = (float(img.min()), float(img.max())) if normalize_each else (0.0, 1.0)
    t = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
    return ramp(GREYS[::-1] if bright_high else GREYS, t)


def picture(img, size: int = 56, gap: int = 0, **colour) -> Image.Image:
    """One 2-D array as an RGBA picture about ``size`` px wide (every value an equal square:
    nearest-neighbour by a whole factor), with ``gap`` transparent pixels on the right so that
    pictures in a row stay apart; ``colour``: see :func:`colour_image`."""
    rgb = colour_image(img, **colour)
    h, w = rgb.shape[:2]
    factor = max(1, round(size / max(h, w)))
    pic = Image.fromarray(rgb).resize((w * factor, h * factor), Image.NEAREST).convert("RGBA")
    if gap:
        framed = Image.new("RGBA", (pic.width + gap, pic.height), (0, 0, 0, 0))
        framed.paste(pic, (0, 0))
        pic = framed
    return pic


LABEL_RGBA = (110, 112, 124, 255)      # the grey of Streamlit's captions


def strips(images, labels: Sequence[str], per_strip: int, size: int = 56, gap: int = 6, label_px: int = 0,
           **colour) -> list[Image.Image]:
    """The images as pictures (:func:`picture`), ``per_strip`` side by side in one picture, each with its
    label underneath (text ``label_px`` high; 0: none). Every strip has the same size (the last one
    is filled up with transparency), so a list of them shown at one width wraps strip by strip: a
    grid that reflows with the screen, in a few pictures instead of one per image."""
    pics = [picture(img, size, gap, **colour) for img in images]
    w, h = pics[0].size
    text_h = round(label_px * 1.6) if label_px else 0
    out = []
    for start in range(0, len(pics), per_strip):
        strip = Image.new("RGBA", (w * per_strip, h + text_h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(strip)
        for k, (pic, label) in enumerate(zip(pics[start:start + per_strip], labels[start:start + per_strip])):
            strip.paste(pic, (k * w, 0))
            if label_px:
                centred_text(draw, label, k * w, w - gap, h + round(label_px * 0.3), mono_font(label_px), LABEL_RGBA)
        out.append(strip)
    return out


def digit_picture(img, size: int = 196) -> Image.Image:
    """A digit (28 × 28, values in [0, 1]) as dark ink on white, ``size`` px wide."""
    return picture(np.asarray(img, dtype=float), size, diverging=False, normalize_each=False, bright_high=False)


def mixup_picture(digit, probs, true_digit: int, size: int = 84, bars: int = 30, gap: int = 8) -> Image.Image:
    """A test digit the model got wrong, and under it its ten probabilities as bars (0 to 9 from
    the left): the right digit green, the model's choice red, the others grey."""
    probs = np.asarray(probs, dtype=float)
    pred = int(np.argmax(probs))
    top = digit_picture(np.asarray(digit, dtype=float) / 255.0, size)
    pic = Image.new("RGBA", (top.width + gap, top.height + 4 + bars + 2), (0, 0, 0, 0))
    pic.paste(top, (0, 0))
    draw = ImageDraw.Draw(pic)
    y1, step = top.height + 4 + bars, top.width / 10
    draw.line([(0, y1), (top.width - 1, y1)], fill=rgb(GREY) + (255,), width=1)
    for i, p in enumerate(probs):
        colour = GREEN if i == true_digit else RED if i == pred else GREY
        height = round(p * bars)
        if height:
            draw.rectangle([round(i * step) + 1, y1 - height, round((i + 1) * step) - 2, y1 - 1],
                           fill=rgb(colour) + (255,))
    return pic


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
                                    legend=alt.Legend(title="Fehler", orient="bottom")))
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


def probability_picture(probs, true_label: Optional[int] = None, width: int = 340, height: int = 190,
                        scale: int = 1) -> Image.Image:
    """The ten class probabilities as bars in a picture (:func:`probability_bars` without a chart:
    the same colours, digits underneath, 0 / 50 / 100 % marked), ``width`` × ``height`` pixels times
    ``scale`` (drawn larger for sharp text on high-density screens)."""
    probs = np.asarray(probs, dtype=float)
    pred = int(np.argmax(probs))
    highlight = RED if true_label is not None else BLUE
    font = mono_font(11 * scale)
    pic = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(pic)
    left, top, bottom = 46 * scale, 8 * scale, (height - 20) * scale
    step = (width * scale - left) / 10
    for share in (0.0, 0.5, 1.0):
        y = round(bottom - share * (bottom - top))
        draw.line([(left, y), (width * scale - 1, y)], fill=(220, 220, 224, 255), width=scale)
        text = percent(share, 0)
        box = draw.textbbox((0, 0), text, font=font)
        draw.text((left - 6 * scale - box[2], y - (box[1] + box[3]) // 2), text, fill=LABEL_RGBA, font=font)
    for i, p in enumerate(probs):
        colour = GREEN if i == true_label else highlight if i == pred else GREY
        x0, x1 = round(left + i * step + step * 0.18), round(left + (i + 1) * step - step * 0.18)
        y = round(bottom - float(np.clip(p, 0, 1)) * (bottom - top))
        if y < bottom:
            draw.rectangle([x0, y, x1, bottom], fill=rgb(colour) + (255,))
        centred_text(draw, str(i), x0, x1 - x0, bottom + 5 * scale, font, LABEL_RGBA)
    return pic


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
