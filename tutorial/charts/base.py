"""What every chart shares: the German Vega locale, the colours, the sizing :data:`PLOT_HEIGHT` and :func:`german`.

Every public chart function of :mod:`tutorial.charts` returns a chart that is already
German-formatted (axes, tooltips and Vega expressions use the decimal comma and "98,5 %"), so
callers never wrap it. Altair charts are built unconfigured and :func:`german` is applied last – a
configured chart cannot be layered or concatenated any more; the few charts redrawn on every
widget step are plain Vega-Lite dicts from :func:`plain_spec`.
"""
from __future__ import annotations

import base64
import functools
import io
from typing import Sequence

import altair as alt
import numpy as np
from PIL import ImageFont

from tutorial import paths
from tutorial.deutsch import NUMBER_LOCALE

LOCALE = alt.Locale(number=alt.NumberLocale(**NUMBER_LOCALE))

BLUE = "#1f77b4"
ORANGE = "#ff7f0e"
GREEN = "#2ca02c"
RED = "#d62728"
GREY = "#9e9e9e"
# Streamlit sizes a stretched chart with autosize "fit": the height then includes title, axes and a
# legend under the chart, and Vega-Lite left some plots 25–35 px tall (a bar chart's title was pushed
# above the chart). With "fit-x" the width still follows the page and ``height`` is the plot's own.
PLOT_HEIGHT = alt.AutoSizeParams(type="fit-x", contains="padding")


def rgb(colour: str) -> tuple[int, int, int]:
    """"#rrggbb" as (r, g, b)."""
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def ramp(stops: Sequence[str], t) -> np.ndarray:
    """Colours (…, 3) uint8 for ``t`` in [0, 1], linear between the ``stops`` (t = 0: the first) – the
    colour schemes of the charts drawn as pictures."""
    t = np.clip(np.nan_to_num(np.asarray(t, dtype=float)), 0.0, 1.0)
    at = np.linspace(0.0, 1.0, len(stops))
    table = np.array([rgb(c) for c in stops], dtype=float)
    return np.stack([np.interp(t, at, table[:, k]) for k in range(3)], axis=-1).round().astype(np.uint8)


@functools.lru_cache(maxsize=8)
def mono_font(px: int) -> ImageFont.FreeTypeFont:
    """The monospaced font of the labels in pictures (digit grids, strips, probability bars), ``px`` high."""
    return ImageFont.truetype(str(paths.font(paths.FONT_MONO)), px)


def centred_text(draw, text: str, left: float, width: float, top: float, font, fill) -> None:
    """``text`` on a PIL ``draw``, centred in the span ``left`` … ``left + width``, its top at ``top``."""
    box = draw.textbbox((0, 0), text, font=font)
    draw.text((round(left + (width - (box[2] - box[0])) / 2 - box[0]), top), text, fill=fill, font=font)


def png_uri(picture) -> str:
    """A PIL picture as a PNG ``data:`` address: it travels inside the page or the chart spec (no extra
    request), and Streamlit passes it on unchanged."""
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def plain_spec(**parts) -> dict:
    """A Vega-Lite spec as a plain dict (for ``st.vega_lite_chart``) with the German number locale.

    For charts redrawn on every widget step: building and validating an Altair chart costs tens of
    milliseconds, a dict almost nothing."""
    config = {**parts.pop("config", {}), "locale": {"number": dict(NUMBER_LOCALE)}}
    return {"$schema": alt.SCHEMA_URL, **parts, "config": config}


def german(chart):
    """The top-level chart with the German number locale (and no fixed width on the outside, so
    ``st.altair_chart(width="stretch")`` can fit it to its container)."""
    return chart.configure(locale=LOCALE)
