"""The layer types a model of this course is built from, each owning its behaviour.

A layer is a small frozen dataclass that knows

* its Keras class (:attr:`Layer.keras_class`) and the arguments it is built with
  (:meth:`Layer.arguments`): :meth:`Layer.build` calls ``keras.layers.<class>(*args, **kwargs)``
  and :meth:`Layer.code` prints exactly that call, so the model the app trains and the code it
  shows agree by construction;
* its short label for tables and the run log (:meth:`Layer.label`);
* its output shape and parameter count for a given input shape (:meth:`Layer.output_shape`,
  :meth:`Layer.param_counts`), computed without TensorFlow so pages can show them cheaply.

The dataclass fields (and so ``repr``) are part of :attr:`tutorial.spec.RunSpec.key`, which seeds
training: changing a field's name, order or default changes the keys of stored runs.

This module never imports TensorFlow at module level.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import ClassVar, Optional

from tutorial.deutsch import short

Shape = tuple  # output shape without the batch axis, e.g. (784,) or (28, 28, 1)


def fmt(x: float) -> str:
    """Short Python float literal: 0.01, 0.6, 0.666, 1e-05, 2.0."""
    return repr(float(x)) if not float(x).is_integer() else f"{x:.1f}"


def literal(value) -> str:
    """``value`` as Python source, strings in double quotes like the Keras documentation.

    A string is always a safe literal (its ``repr``, with double quotes when it contains none): a value
    with quotes, backslashes or line breaks stays one string in generated code, never a statement."""
    if isinstance(value, str):
        text = repr(value)
        return f'"{text[1:-1]}"' if text[0] == "'" and '"' not in value else text
    if isinstance(value, float):
        return fmt(value)
    if isinstance(value, tuple):
        return repr(tuple(value))
    return repr(value)


def _same_or_valid(size: int, kernel: int, stride: int, padding: str) -> int:
    if padding == "same":
        return -(-size // stride)
    return (size - kernel) // stride + 1


class Layer:
    """Base class: subclasses set :attr:`keras_class` and implement :meth:`arguments`."""

    keras_class: ClassVar[str] = ""
    positional: ClassVar[int] = 0   # how many leading arguments are passed (and printed) by position

    def arguments(self) -> dict:
        """The arguments of the Keras constructor, in order; Keras defaults are left out."""
        return {}

    def call_parts(self) -> tuple[list, dict]:
        items = list(self.arguments().items())
        return [v for _, v in items[:self.positional]], dict(items[self.positional:])

    def code(self) -> str:
        """The Python call that :meth:`build` makes, e.g. ``keras.layers.Dense(200, activation="relu")``."""
        args, kwargs = self.call_parts()
        text = [literal(v) for v in args] + [f"{k}={literal(v)}" for k, v in kwargs.items()]
        return f"keras.layers.{self.keras_class}({', '.join(text)})"

    def build(self):
        """The Keras layer (imports Keras)."""
        import keras
        args, kwargs = self.call_parts()
        return getattr(keras.layers, self.keras_class)(*args, **kwargs)

    def label(self) -> str:
        return type(self).__name__

    def output_shape(self, shape: Shape) -> Shape:
        return shape

    def param_counts(self, shape: Shape) -> tuple[int, int]:
        """(trainable, non-trainable) parameters for input ``shape``."""
        return 0, 0


def _needs_image(layer: Layer, shape: Shape) -> None:
    if len(shape) != 3:
        raise ValueError(f"{layer.keras_class} braucht ein Bild (Höhe, Breite, Kanäle) – fügen Sie vorher "
                         "Reshape ein.")


@dataclass(frozen=True)
class Dense(Layer):
    units: int
    activation: Optional[str] = "relu"
    use_bias: bool = True

    keras_class = "Dense"
    positional = 1

    def arguments(self) -> dict:
        out = {"units": self.units}
        if self.activation:
            out["activation"] = self.activation
        if not self.use_bias:
            out["use_bias"] = False
        return out

    def label(self) -> str:
        return f"Dense({self.units}{', ' + self.activation if self.activation else ''})"

    def output_shape(self, shape: Shape) -> Shape:
        if len(shape) != 1:
            raise ValueError("Dense braucht eine flache Eingabe – fügen Sie vorher Flatten ein.")
        return (self.units,)

    def param_counts(self, shape: Shape) -> tuple[int, int]:
        return shape[-1] * self.units + (self.units if self.use_bias else 0), 0


@dataclass(frozen=True)
class Dropout(Layer):
    rate: float

    keras_class = "Dropout"
    positional = 1

    def arguments(self) -> dict:
        return {"rate": float(self.rate)}

    def label(self) -> str:
        return f"Dropout({short(self.rate)})"


@dataclass(frozen=True)
class Reshape(Layer):
    target_shape: tuple = (28, 28, 1)

    keras_class = "Reshape"

    def arguments(self) -> dict:
        return {"target_shape": tuple(self.target_shape)}

    def output_shape(self, shape: Shape) -> Shape:
        if prod(shape) != prod(self.target_shape):
            raise ValueError(f"Reshape kann {prod(shape)} Werte nicht in die Form {tuple(self.target_shape)} "
                             "bringen.")
        return tuple(self.target_shape)


@dataclass(frozen=True)
class Conv2D(Layer):
    filters: int
    kernel_size: int
    strides: int = 1
    padding: str = "same"
    activation: Optional[str] = "relu"
    use_bias: bool = True

    keras_class = "Conv2D"

    def arguments(self) -> dict:
        out = {"filters": self.filters, "kernel_size": self.kernel_size, "padding": self.padding}
        if self.strides != 1:
            out["strides"] = self.strides
        if self.activation:
            out["activation"] = self.activation
        if not self.use_bias:
            out["use_bias"] = False
        return out

    def label(self) -> str:
        return f"Conv({self.filters}, {self.kernel_size}×{self.kernel_size}, /{self.strides})"

    def output_shape(self, shape: Shape) -> Shape:
        _needs_image(self, shape)
        h, w, _ = shape
        out = (_same_or_valid(h, self.kernel_size, self.strides, self.padding),
               _same_or_valid(w, self.kernel_size, self.strides, self.padding), self.filters)
        if min(out[:2]) < 1:
            raise ValueError("Das Bild ist zu klein geworden – wählen Sie eine kleinere Schrittweite oder "
                             "Kerngröße, weniger Faltungsschichten oder padding »same«.")
        return out

    def param_counts(self, shape: Shape) -> tuple[int, int]:
        weights = self.kernel_size ** 2 * shape[-1] * self.filters
        return weights + (self.filters if self.use_bias else 0), 0


@dataclass(frozen=True)
class BatchNorm(Layer):
    center: bool = True
    scale: bool = False

    keras_class = "BatchNormalization"

    def arguments(self) -> dict:
        return {"center": self.center, "scale": self.scale}

    def label(self) -> str:
        return "BN"

    def param_counts(self, shape: Shape) -> tuple[int, int]:
        n = shape[-1]
        return n * (int(self.center) + int(self.scale)), 2 * n   # beta/gamma; moving mean and variance


@dataclass(frozen=True)
class Activation(Layer):
    activation: str = "relu"

    keras_class = "Activation"
    positional = 1

    def arguments(self) -> dict:
        return {"activation": self.activation}

    def label(self) -> str:
        return self.activation


@dataclass(frozen=True)
class Flatten(Layer):
    keras_class = "Flatten"

    def output_shape(self, shape: Shape) -> Shape:
        return (prod(shape),)


@dataclass(frozen=True)
class MaxPool(Layer):
    pool_size: int = 2
    strides: int = 2

    keras_class = "MaxPooling2D"

    def arguments(self) -> dict:
        return {"pool_size": self.pool_size, "strides": self.strides}

    def output_shape(self, shape: Shape) -> Shape:
        _needs_image(self, shape)
        h, w, c = shape
        out = (_same_or_valid(h, self.pool_size, self.strides, "valid"),
               _same_or_valid(w, self.pool_size, self.strides, "valid"), c)
        if min(out[:2]) < 1:
            raise ValueError("Das Bild ist zu klein geworden – wählen Sie weniger Pooling-Schichten oder eine "
                             "kleinere Schrittweite.")
        return out


@dataclass(frozen=True)
class GlobalAvgPool(Layer):
    keras_class = "GlobalAveragePooling2D"

    def output_shape(self, shape: Shape) -> Shape:
        _needs_image(self, shape)
        return (shape[-1],)


INPUT_SHAPE: Shape = (28 * 28,)


def layer_table(layers) -> list[dict]:
    """Per layer: class name, label, output shape and parameter counts (trainable, non-trainable).

    Raises ValueError with a German message if the stack cannot be built.
    """
    shape, rows = INPUT_SHAPE, []
    for layer in layers:
        trainable, non_trainable = layer.param_counts(shape)
        shape = layer.output_shape(shape)
        rows.append({"layer": type(layer).__name__, "label": layer.label(), "output_shape": shape,
                     "trainable": trainable, "non_trainable": non_trainable,
                     "params": trainable + non_trainable})
    return rows
