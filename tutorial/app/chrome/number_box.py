"""Number boxes that check their range in German.

Streamlit's own ``st.number_input(min_value=…, max_value=…)`` answers an out-of-range entry in
English and goes on with the last valid value; :func:`whole_number` takes any whole number and puts
a German message right below the box instead.
"""
from __future__ import annotations

from typing import Optional

import streamlit as st

from tutorial.deutsch import de


def range_text(low: int, high: int) -> str:
    return f"von {de(low)} bis {de(high)}"


def whole_number(label: str, low: int, high: int, *, key: str, step: int = 1, container=None,
                 help: Optional[str] = None) -> Optional[int]:
    """A number box for a whole number from ``low`` to ``high`` that checks the range itself.

    Returns the number, or ``None`` after a German error message below the box when it is outside the
    range (then the page must not use it). Pass the widget's default through ``key``
    (``st.session_state`` / ``state.keep``).
    """
    box = container if container is not None else st
    value = box.number_input(label, step=step, key=key, help=help or f"Eine ganze Zahl {range_text(low, high)}.")
    if value is None:
        box.error(f"Bitte eine Zahl {range_text(low, high)} eingeben.", icon=":material/error:")
        return None
    number = int(value)
    if number < low or number > high:
        word = "zu klein" if number < low else "zu groß"
        box.error(f"{label}: {de(number)} ist {word} – erlaubt ist eine ganze Zahl {range_text(low, high)}.",
                  icon=":material/error:")
        return None
    return number
