"""A job's data on the Ray side: the fields of a :class:`~tutorial.spec.RunSpec` as plain JSON data.

An app server sends ``spec.to_data()``; the job table, the training task and the status pages rebuild
the spec with :meth:`RunSpec.from_data <tutorial.spec.RunSpec.from_data>`, the one serialisation of a
spec, which accepts only the known layer types and plain values (never code; README "Sicherheit").
Imports neither Ray nor TensorFlow nor Streamlit.
"""
from __future__ import annotations

from tutorial.spec import RunSpec


def with_spec(entry: dict) -> bool:
    """Replace a status entry's ``data`` by its ``spec``; False when it is not a valid spec (e.g. a job
    of another app version)."""
    try:
        entry["spec"] = RunSpec.from_data(entry.pop("data"))
    except (ValueError, KeyError):
        return False
    return True
