"""Charts of "Der Raum" (the host page and the projector): plain Vega-Lite, already German-formatted.

* :func:`positions_chart` – learners per chapter as horizontal bars in the course's order; a chapter
  whose count is hidden (fewer than k learners) gets no bar, only the words "weniger als k".

``big=True`` is the projector's size: larger labels and thicker bars, readable from the back row.
"""
from __future__ import annotations

from typing import Optional

from tutorial.charts.base import BLUE, GREY, plain_spec
from tutorial.deutsch import de

__all__ = ["positions_chart"]


def _sizes(big: bool) -> dict:
    return {"font": 22 if big else 13, "step": 48 if big else 28, "label": 420 if big else 260}


def positions_chart(rows: list[tuple[str, Optional[int]]], k: int, big: bool = False) -> dict:
    """``rows``: (chapter label, learners or None) in the order to show. A plain Vega-Lite spec
    (:func:`~tutorial.charts.base.plain_spec`): the host page and the projector redraw it every few
    seconds, and an Altair chart would cost ~0,2 s to build and validate each time."""
    size = _sizes(big)
    values = [{"Kapitel": label, "Lernende": n or 0, "Text": de(n) if n else f"weniger als {de(k)}",
               "verborgen": n is None} for label, n in rows]
    top = max([n or 0 for _, n in rows] + [1])
    x = {"field": "Lernende", "type": "quantitative"}
    return plain_spec(
        data={"values": values},
        height={"step": size["step"]},
        encoding={"y": {"field": "Kapitel", "type": "nominal", "sort": [label for label, _ in rows], "title": None,
                        "axis": {"labelFontSize": size["font"], "labelLimit": size["label"]}}},
        layer=[
            {"mark": {"type": "bar", "color": BLUE, "cornerRadiusEnd": 3},
             "encoding": {"x": {**x, "title": "Lernende", "scale": {"domain": [0, top * 1.2], "nice": False},
                                "axis": {"format": "d", "tickMinStep": 1, "labelFontSize": size["font"] - 2,
                                         "titleFontSize": size["font"] - 2}},
                          "tooltip": [{"field": "Kapitel", "type": "nominal"},
                                      {"field": "Text", "type": "nominal", "title": "Lernende"}]}},
            {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": size["font"]},
             "encoding": {"x": x, "text": {"field": "Text", "type": "nominal"},
                          "color": {"condition": {"test": "datum.verborgen", "value": GREY}, "value": "#222222"}}},
        ])
