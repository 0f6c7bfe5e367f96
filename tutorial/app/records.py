"""What the progress store keeps of a session, as plain data and back: a page's last-run selection, a
logged run (with its history: NaN as None, JSON has no NaN) and which widget values are stored at all.
Run specs convert with :meth:`tutorial.spec.RunSpec.to_data` / ``from_data`` (the security boundary:
only known layer types with plain values come back). A value that does not convert back is dropped,
never a traceback.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Optional

from tutorial import presets
from tutorial.spec import RunSpec


def plain(value):
    """``value`` as plain JSON data: numpy numbers and arrays as Python ones, tuples as lists, NaN and
    infinities as None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):                     # numpy scalars and arrays
        return plain(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def clean_history(history: dict, batches: bool = True) -> dict:
    """A history as plain data (``batches=False``: without the per-batch curve, so an older run in a
    long log stays small)."""
    out = plain(history)
    if not batches:
        out["batches"] = []
    return out


def restore_history(history: dict) -> dict:
    out = dict(history)
    for part in ("epochs", "batches"):
        if isinstance(history.get(part), list):
            out[part] = [{k: (math.nan if v is None else v) for k, v in row.items()} for row in history[part]
                         if isinstance(row, dict)]
    return out


def selection_to_data(selection) -> Optional[dict]:
    """A page's last-run selection ({"kind": "live", "spec": RunSpec, …} or {"kind": "pretrained", …})."""
    if not isinstance(selection, dict):
        return None
    out = {k: v for k, v in selection.items() if k != "spec" and isinstance(v, (str, bool, int, float, type(None)))}
    if isinstance(selection.get("spec"), RunSpec):
        out["spec"] = selection["spec"].to_data()
    return out


def selection_from_data(data) -> Optional[dict]:
    if not isinstance(data, dict) or data.get("kind") not in ("live", "pretrained"):
        return None
    out = dict(data)
    if data["kind"] == "live":
        try:
            out["spec"] = RunSpec.from_data(data.get("spec"))
        except ValueError:
            return None
    elif not isinstance(data.get("name"), str) or data["name"] not in presets.PRESETS:
        return None
    return out


def plain_widget(value) -> bool:
    """Widget values that are stored: numbers, text, booleans and lists of them."""
    if isinstance(value, (bool, int, str)) or value is None:
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(plain_widget(v) for v in value)
    return False


def run_to_data(run, full: bool = True) -> dict:
    """A logged :class:`tutorial.app.runlog.Run` as plain data (``full=False``: without its per-batch curve)."""
    fields = {f.name: plain(getattr(run, f.name)) for f in dataclasses.fields(run) if f.name not in ("spec", "history")}
    fields["spec"] = run.spec.to_data()
    fields["history"] = clean_history(run.history, batches=full)
    return fields


def run_from_data(item: dict):
    """A logged run back (None when the stored entry is not a run of this app)."""
    from tutorial.app.runlog import Run
    try:
        fields = dict(item)
        fields["spec"] = RunSpec.from_data(fields["spec"])
        fields["history"] = restore_history(fields["history"])
        names = {f.name for f in dataclasses.fields(Run)}
        return Run(**{k: v for k, v in fields.items() if k in names})
    except (ValueError, KeyError, TypeError):
        return None
