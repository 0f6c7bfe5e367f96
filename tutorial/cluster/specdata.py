"""A job's data: the fields of a :class:`~tutorial.spec.RunSpec` as plain JSON data, nothing else.

:func:`spec_to_data` is what an app server sends to the cluster; the workers rebuild the spec with
:func:`spec_from_data`, which accepts only the known layer types and plain values (never code).
Imports neither Ray nor TensorFlow nor Streamlit.
"""
from __future__ import annotations

import dataclasses
import typing

from tutorial.spec import RunSpec

_SCALARS = (type(None), bool, int, float, str)


def _plain(value):
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    raise TypeError(f"not plain data: {type(value).__name__}")


def _from_plain(value):
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        return tuple(_from_plain(v) for v in value)
    raise ValueError(f"not plain data: {type(value).__name__}")


def _layer_classes() -> dict[str, type]:
    """The layer types a spec may use, by name (the subclasses of ``tutorial.spec.Layer``)."""
    from tutorial import spec as S
    base = getattr(S, "Layer")
    if isinstance(base, type):
        found, todo = {}, list(base.__subclasses__())
        while todo:
            cls = todo.pop()
            found[cls.__name__] = cls
            todo.extend(cls.__subclasses__())
    else:                                   # a typing.Union of the layer classes
        found = {cls.__name__: cls for cls in typing.get_args(base)}
    return {name: cls for name, cls in found.items() if dataclasses.is_dataclass(cls)}


def spec_to_data(spec: RunSpec) -> dict:
    """The spec's fields as JSON-compatible data (layers as ``[type name, {field: value}]``)."""
    data = {}
    for field in dataclasses.fields(spec):
        value = getattr(spec, field.name)
        if field.name == "layers":
            value = [[type(layer).__name__, {f.name: _plain(getattr(layer, f.name)) for f in dataclasses.fields(layer)}]
                     for layer in value]
        else:
            value = _plain(value)
        data[field.name] = value
    return data


def spec_from_data(data: dict) -> RunSpec:
    """Rebuild a spec from :func:`spec_to_data`'s output; anything else raises ValueError."""
    names = {f.name for f in dataclasses.fields(RunSpec)}
    if not isinstance(data, dict) or not set(data) <= names or "layers" not in data:
        raise ValueError("not a RunSpec's data")
    classes = _layer_classes()
    layers = []
    for item in data["layers"]:
        if not (isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[1], dict)):
            raise ValueError("not a layer's data")
        name, args = item
        cls = classes.get(name)
        if cls is None or not set(args) <= {f.name for f in dataclasses.fields(cls)}:
            raise ValueError(f"unknown layer or field: {name!r}")
        layers.append(cls(**{k: _from_plain(v) for k, v in args.items()}))
    rest = {k: _from_plain(v) for k, v in data.items() if k != "layers"}
    return RunSpec(layers=tuple(layers), **rest)


def with_spec(entry: dict) -> bool:
    """Replace a status entry's ``data`` by its ``spec``; False when it is not a valid spec."""
    try:
        entry["spec"] = spec_from_data(entry.pop("data"))
    except (ValueError, TypeError, KeyError):
        return False
    return True
