"""Which widget values the app keeps: known, bounded values only (no Streamlit).

A widget value comes from the browser (any value a script sends, before Streamlit's widget has checked
it) or from the learner's saved progress. :func:`tutorial.app.state.keep` passes it through
:func:`checked` before it is mirrored for other pages, saved with the progress or drawn again, and
:func:`tutorial.app.state.restore` lets only :func:`bounded` values in from the store. What passes:

* a value of the default's type (a bool for a toggle, a whole number for a whole-number default, a
  number for a float default, a text for a text default, a list of plain values for a multiselect),
  texts of at most :data:`TEXT_MAX` characters, lists of at most :data:`LIST_MAX` items, whole numbers
  of at most 2**53 in size, finite numbers;
* with ``options`` (the widget's options), only one of them – for a list value only the chosen items
  that are among them; with a ``range`` (a slider's or number box's whole numbers), the number
  clamped into it.

Anything else gives the widget's default: a forged value never reaches a ``RunSpec``, the progress
store or generated code, and a saved value that no longer fits (an option removed, a maximum lowered)
does not break the page.
"""
from __future__ import annotations

import math
from typing import Any, Sequence, Union

TEXT_MAX = 200          # characters of a kept text (the longest option is a run's title)
LIST_MAX = 50           # items of a kept list (a multiselect of runs in the run log)
INT_MAX = 2 ** 53       # whole numbers beyond this are no widget's value
KEYS_MAX = 2000         # kept widget values restored from one learner's progress
KEY_MAX = 200           # characters of a widget key

Options = Union[Sequence, range, None]


def _scalar(value: Any) -> bool:
    """A plain value of bounded size: bool, whole number, finite float, short text or None."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return abs(value) <= INT_MAX
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str) and len(value) <= TEXT_MAX


def bounded(value: Any) -> bool:
    """Whether ``value`` is a plain value of bounded size (a scalar or a short list of scalars)."""
    if isinstance(value, (list, tuple)):
        return len(value) <= LIST_MAX and all(_scalar(item) and item is not None for item in value)
    return _scalar(value)


def _same_type(value: Any, default: Any) -> bool:
    """Whether ``value`` may stand where ``default`` stands."""
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return default is None or type(value) is type(default)


def checked(value: Any, default: Any, options: Options = None) -> Any:
    """``value`` if a widget with this ``default`` and these ``options`` may show it (the same object),
    a clamped number or the chosen items among ``options`` (a new object), else ``default``."""
    if value is None and default is None:
        return value
    if not bounded(value) or not _same_type(value, default):
        return default
    if isinstance(options, range) and isinstance(value, (int, float)):
        if not options:
            return default
        whole = value if isinstance(value, int) else int(value)
        clamped = min(max(whole, options.start), options[-1])
        return value if clamped == value and whole is value else clamped
    if options is not None and not isinstance(options, range):
        allowed = list(options)
        if isinstance(value, (list, tuple)):
            kept = [item for item in value if _among(item, allowed)]
            return value if len(kept) == len(value) else kept
        if not _among(value, allowed):
            return default
    return value


def _among(value: Any, allowed: list) -> bool:
    """``value`` is one of ``allowed`` (True is not the option 1, nor 1 the option True)."""
    return any(value == option and isinstance(value, bool) == isinstance(option, bool) for option in allowed)


def restorable(widgets: Any) -> dict:
    """The saved widget values worth restoring: string keys of bounded length, :func:`bounded` values,
    at most :data:`KEYS_MAX` of them (anything else in a damaged or forged file is left out)."""
    if not isinstance(widgets, dict):
        return {}
    out: dict = {}
    for key, value in widgets.items():
        if len(out) >= KEYS_MAX:
            break
        if isinstance(key, str) and len(key) <= KEY_MAX and bounded(value):
            out[key] = value
    return out
