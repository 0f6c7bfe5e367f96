"""Charts of "Der Raum" (the host page and the projector): pure Altair, already German-formatted.

* :func:`positions_chart` – learners per chapter as horizontal bars in the course's order; a chapter
  whose count is hidden (fewer than k learners) gets no bar, only the words "weniger als k".

``big=True`` is the projector's size: larger labels and thicker bars, readable from the back row.
"""
from __future__ import annotations

from typing import Optional

import altair as alt
import pandas as pd

from tutorial.charts.base import BLUE, GREY, german
from tutorial.deutsch import de

__all__ = ["positions_chart"]


def _sizes(big: bool) -> dict:
    return {"font": 22 if big else 13, "step": 48 if big else 28, "label": 420 if big else 260}


def positions_chart(rows: list[tuple[str, Optional[int]]], k: int, big: bool = False) -> alt.Chart:
    """``rows``: (chapter label, learners or None) in the order to show."""
    size = _sizes(big)
    frame = pd.DataFrame([{"Kapitel": label, "Lernende": n or 0,
                           "Text": de(n) if n else f"weniger als {de(k)}", "verborgen": n is None}
                          for label, n in rows])
    order = [label for label, _ in rows]
    top = max([n or 0 for _, n in rows] + [1])
    base = alt.Chart(frame).encode(
        y=alt.Y("Kapitel:N", sort=order, title=None,
                axis=alt.Axis(labelFontSize=size["font"], labelLimit=size["label"])))
    bars = base.mark_bar(color=BLUE, cornerRadiusEnd=3).encode(
        x=alt.X("Lernende:Q", title="Lernende", scale=alt.Scale(domain=[0, top * 1.2], nice=False),
                axis=alt.Axis(format="d", tickMinStep=1, labelFontSize=size["font"] - 2,
                              titleFontSize=size["font"] - 2)),
        tooltip=[alt.Tooltip("Kapitel:N"), alt.Tooltip("Text:N", title="Lernende")])
    labels = base.mark_text(align="left", dx=6, fontSize=size["font"]).encode(
        x="Lernende:Q", text="Text:N",
        color=alt.condition("datum.verborgen", alt.value(GREY), alt.value("#222222")))
    return german((bars + labels).properties(height=alt.Step(size["step"])))

