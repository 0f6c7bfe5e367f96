"""German number and word formats for every text the app shows (no Streamlit, no TensorFlow)."""
from __future__ import annotations

import math
from typing import Optional


def de(number: float, digits: int = 0) -> str:
    """German number format: ``de(60000) == "60.000"``, ``de(0.25, 2) == "0,25"``."""
    return de_format(number, f",.{digits}f")


def de_format(number: float, spec: str) -> str:
    """``format(number, spec)`` with German separators: ``de_format(0.5, ".0%") == "50 %"``."""
    text = format(number, spec).replace(",", "§").replace(".", ",").replace("§", ".")
    return text[:-1] + " %" if text.endswith("%") else text


def percent(x: Optional[float], digits: int = 2) -> str:
    """A fraction as German percent text (``0.9876 → "98,76 %"``); missing or NaN values give "–"."""
    if x is None or not math.isfinite(x):
        return "–"
    return de(100 * x, digits) + " %"


def count(n: int, singular: str, plural: str) -> str:
    """``count(1, "Epoche", "Epochen") == "1 Epoche"``, ``count(6000, …) == "6.000 Epochen"``."""
    return f"{de(n)} {singular if n == 1 else plural}"


def short(x: float) -> str:
    """A short German decimal for rates and factors: ``short(0.001) == "0,001"``, ``short(0.6) == "0,6"``."""
    return f"{x:g}".replace(".", ",")


def duration(seconds: Optional[float]) -> str:
    """A duration as German text: ``duration(42) == "42 s"``, ``duration(86) == "1 min 26 s"``; missing → "–"."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"
