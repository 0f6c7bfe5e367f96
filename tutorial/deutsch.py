"""German number and word formats for every text the app shows (no Streamlit, no TensorFlow).

This is the one module that turns numbers into German text: pages, the Streamlit layer, the
engine and the charts call it instead of formatting by hand. :data:`NUMBER_LOCALE` is the same
format for Vega (chart axes, tooltips and expressions), applied by :mod:`tutorial.charts`.
"""
from __future__ import annotations

import math
import re
from typing import Optional

# Vega's number locale (d3-format): 1.000,5 and 98,5 % with a narrow space before the sign
NUMBER_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"],
                 "percent": "\u202f%"}


def de(number: float, digits: int = 0) -> str:
    """German number format: ``de(60000) == "60.000"``, ``de(0.25, 2) == "0,25"``."""
    return de_format(number, f",.{digits}f")


def de_format(number: float, spec: str) -> str:
    """``format(number, spec)`` with German separators and a real minus: ``de_format(0.5, ".0%") == "50 %"``,
    ``de_format(-1.5, ".1f") == "−1,5"``."""
    text = format(number, spec).replace(",", "§").replace(".", ",").replace("§", ".")
    if text.startswith("-"):
        text = "−" + text[1:]          # a real minus sign, as German typesetting writes it
    return text[:-1] + " %" if text.endswith("%") else text


def number(x: Optional[float], digits: int = 3) -> str:
    """A decimal with exactly ``digits`` places, never "-0,000"; NaN and ±∞ spelled out:
    ``number(0.75) == "0,750"``, ``number(float("nan")) == "NaN"``, ``number(-math.inf) == "−∞"``."""
    if x is None or math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "−∞" if x < 0 else "+∞"
    x = float(x) + 0.0
    if round(x, digits) == 0:
        x = 0.0
    return de_format(x, f".{digits}f")


def signed(x: float, digits: int = 2) -> str:
    """A factor in a written-out product: negatives in parentheses with a real minus, ``(−0,70)``."""
    return f"(−{number(-x, digits)})" if x < 0 else number(x, digits)


def general(x: float, digits: int = 4) -> str:
    """Significant digits (``format(x, ".4g")``) in German; NaN and ±∞ spelled out."""
    if x is None or not math.isfinite(x):
        return number(x)
    return de_format(float(x), f".{digits}g")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(x: float, digits: int = 1) -> str:
    """A power of ten as German text reads it: ``scientific(0.000082) == "8,2 · 10⁻⁵"``."""
    if x is None or not math.isfinite(x):
        return number(x)
    mantissa, exponent = f"{float(x):.{digits}e}".split("e")
    return f"{mantissa.replace('.', ',')} · 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


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


def spreadsheet_csv(records: list[dict]) -> bytes:
    """Rows as CSV for a German spreadsheet: semicolons, decimal commas, UTF-8 with BOM (umlauts);
    a missing value is an empty cell, and a column of whole numbers stays whole ("4", not "4,0")."""
    import pandas as pd      # only here: the number formats above need nothing

    frame = pd.DataFrame(records)
    for column in frame.columns:
        values = [r[column] for r in records if r.get(column) is not None]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            frame[column] = frame[column].astype("Int64")
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")      # 169.670, 1.000.000: German thousands dots
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def read_number(text: str) -> float:
    """A number as a learner types it, German first: ``"169.670"`` → 169670, ``"0,5"`` → 0.5,
    ``"1.234,5"`` → 1234.5, ``"169 670"`` → 169670; an English ``"0.5"`` or ``"1,234.5"`` is read too.

    Raises ValueError with a German message for anything else (letters, two commas, …).
    """
    raw = str(text).strip().replace("\u2212", "-").replace("\u00a0", "").replace("\u202f", "")
    raw = raw.replace(" ", "").replace("'", "")
    if not raw:
        raise ValueError("Bitte geben Sie eine Zahl ein.")
    if "," in raw and "." in raw:
        if raw.rfind(",") > raw.rfind("."):        # 1.234,5: dots group thousands, the comma is decimal
            raw = raw.replace(".", "").replace(",", ".", 1) if raw.count(",") == 1 else raw
        else:                                      # 1,234.5: the English way round
            raw = raw.replace(",", "") if raw.count(".") == 1 else raw
    elif _THOUSANDS.match(raw):
        raw = raw.replace(".", "")
    elif raw.count(",") == 1:
        raw = raw.replace(",", ".")
    if not _PLAIN.match(raw) or "," in raw:
        raise ValueError(f"»{str(text).strip()[:40]}« ist keine Zahl. Schreiben Sie zum Beispiel 169.670 oder 0,5.")
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("Bitte geben Sie eine endliche Zahl ein.")
    return value
