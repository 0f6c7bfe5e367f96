"""Build the Keras model a :class:`~tutorial.spec.RunSpec` describes, and use it quickly.

Imports Keras (and so TensorFlow): only pages that need a model import this module.
"""
from __future__ import annotations

import numpy as np
import keras

from tutorial import layers as L
from tutorial import spec as S


def build_model(spec: S.RunSpec) -> keras.Model:
    """The compiled model: flat 784 floats (pixel/256) in, 10 softmax probabilities out.

    Every layer and the optimizer are built from the same arguments that ``spec.model_code()``
    prints, so the code a learner sees is the model the app trains.
    """
    model = keras.Sequential([keras.Input(shape=L.INPUT_SHAPE), *(layer.build() for layer in spec.layers)])
    model.compile(optimizer=spec.build_optimizer(), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def predict_proba(model, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """Class probabilities (N, 10) for a float32 batch (N, 784).

    Calls the model directly instead of ``model.predict``: for one digit that is ~1 ms instead
    of ~45 ms, because ``predict`` builds a dataset and a prediction loop on every call.
    """
    x = np.asarray(x, dtype=np.float32).reshape(-1, 28 * 28)
    out = [np.asarray(model(x[i:i + batch_size], training=False)) for i in range(0, len(x), batch_size)]
    return np.concatenate(out) if out else np.zeros((0, 10), np.float32)


def summary_rows(model) -> list[dict]:
    """``model.summary`` as rows: layer name, type, output shape, parameter count."""
    rows = []
    for layer in model.layers:
        shape = tuple(layer.output.shape)[1:] if hasattr(layer, "output") else ()
        rows.append({"Schicht": layer.name, "Typ": type(layer).__name__,
                     "Ausgabeform": str((None, *shape)), "Parameter": int(layer.count_params())})
    return rows


def first_conv_kernel(model) -> np.ndarray:
    """The weights of the model's first Conv2D layer, shape (k, k, input channels, filters)."""
    conv = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
    return np.asarray(conv.kernel)


def conv_feature_maps(model, x: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Run one digit (784,) through ``model`` layer by layer and return each convolution block's
    output (H, W, C) after its activation (the Conv2D, or the BatchNormalization/Activation right
    after it), labelled like "12 Filter 3×3, Schrittweite 1"."""
    h = np.asarray(x, dtype=np.float32).reshape(1, 28 * 28)
    outputs, pending = [], None
    for layer in model.layers:
        h = layer(h, training=False)
        if isinstance(layer, keras.layers.Conv2D):
            if pending is not None:
                outputs.append(pending)
            k, s = layer.kernel_size[0], layer.strides[0]
            pending = (f"{layer.filters} Filter {k}×{k}, Schrittweite {s}", np.asarray(h)[0])
        elif pending is not None and isinstance(layer, (keras.layers.BatchNormalization, keras.layers.Activation)):
            pending = (pending[0], np.asarray(h)[0])
        elif pending is not None:
            outputs.append(pending)
            pending = None
    if pending is not None:
        outputs.append(pending)
    return outputs
