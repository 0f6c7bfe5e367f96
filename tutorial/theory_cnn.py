"""The mathematics of the convolutional chapters, in plain numpy: convolution, padding and pooling,
the shapes of a convolution stack, batch normalisation, and the confusion matrix.

The dense chapters' mathematics is :mod:`tutorial.theory` (this module uses its sigmoid); the
shapes and parameter counts of a stack come from the layers themselves (:mod:`tutorial.layers`).
Never imports TensorFlow or Streamlit.
"""
from __future__ import annotations

import numpy as np

from tutorial import layers as L
from tutorial.theory import sigmoid_derivative


# --- convolution and pooling -----------------------------------------------------------------


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """(before, after) padding TensorFlow uses for padding='same'; the odd pixel goes after
    (bottom/right)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def conv2d(image, kernel, stride: int = 1, padding: str = "same") -> np.ndarray:
    """2-D convolution exactly like ``tf.nn.conv2d`` (cross-correlation, no kernel flip).

    ``image``: (H, W) or (H, W, C_in); ``kernel``: (k, k) or (kh, kw, C_in, C_out).
    Returns (H', W') for a 2-D image and 2-D kernel, else (H', W', C_out).
    """
    img = np.asarray(image, dtype=np.float64)
    ker = np.asarray(kernel, dtype=np.float64)
    squeeze = img.ndim == 2 and ker.ndim == 2
    if img.ndim == 2:
        img = img[:, :, None]
    if ker.ndim == 2:
        ker = ker[:, :, None, None]
    if ker.shape[2] != img.shape[2]:
        raise ValueError("Der Filter braucht so viele Kanäle wie das Bild.")
    if stride < 1:
        raise ValueError("Die Schrittweite muss mindestens 1 sein.")
    H, W, _ = img.shape
    kh, kw = ker.shape[:2]
    if padding == "same":
        (top, bottom), (left, right) = same_padding(H, kh, stride), same_padding(W, kw, stride)
        img = np.pad(img, ((top, bottom), (left, right), (0, 0)))
    elif padding == "valid":
        if kh > H or kw > W:
            raise ValueError("Der Filter ist größer als das Bild – mit padding='valid' bleibt nichts übrig.")
    else:
        raise ValueError("padding muss 'same' oder 'valid' sein.")
    windows = np.lib.stride_tricks.sliding_window_view(img, (kh, kw), axis=(0, 1))  # (H', W', C, kh, kw)
    windows = windows[::stride, ::stride]
    out = np.einsum("ijchw,hwco->ijo", windows, ker)
    return out[:, :, 0] if squeeze else out


def max_pool(x, size: int = 2, stride: int = 2) -> np.ndarray:
    """Max pooling with padding='valid' (Keras' MaxPooling2D default): (H, W[, C])."""
    a = np.asarray(x, dtype=np.float64)
    squeeze = a.ndim == 2
    if squeeze:
        a = a[:, :, None]
    if a.shape[0] < size or a.shape[1] < size:
        raise ValueError("Das Bild ist kleiner als das Pooling-Fenster.")
    windows = np.lib.stride_tricks.sliding_window_view(a, (size, size), axis=(0, 1))[::stride, ::stride]
    out = windows.max(axis=(-2, -1))
    return out[:, :, 0] if squeeze else out


FILTERS = {
    "Kanten senkrecht (Sobel x)": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "Kanten waagerecht (Sobel y)": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "Weichzeichner (Mittelwert)": np.full((3, 3), 1.0 / 9.0),
    "Schärfen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "Umriss (Laplace)": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    "Identität": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
}


def conv_stack_layers(convs: list[dict], input_shape=(28, 28, 1), head: str = "flatten",
                      dense_units: int = 200):
    """spec layers for a conv stack described as dicts (filters, kernel, stride, padding) and a
    head: 'flatten' (Flatten → Dense(dense_units) → Dense(10)) or 'gap' (GlobalAveragePooling)."""
    layers = [L.Reshape(tuple(input_shape))]
    for c in convs:
        layers.append(L.Conv2D(int(c["filters"]), int(c["kernel"]), int(c.get("stride", 1)),
                               c.get("padding", "same"), c.get("activation", "relu")))
    if head == "flatten":
        layers += [L.Flatten(), L.Dense(dense_units, "relu"), L.Dense(10, "softmax")]
    elif head == "gap":
        layers += [L.GlobalAvgPool(), L.Activation("softmax")]
    return tuple(layers)


def conv_stack_table(convs: list[dict], head: str = "flatten", dense_units: int = 200) -> list[dict]:
    """Output shape and parameters per layer (same numbers as Keras' model.summary); raises
    ValueError with a German message for impossible stacks."""
    return L.layer_table(conv_stack_layers(convs, head=head, dense_units=dense_units))


def conv_weight_shape(kernel: int, in_channels: int, filters: int) -> tuple:
    """Shape of a Conv2D kernel tensor in Keras: (kh, kw, C_in, C_out)."""
    return (kernel, kernel, in_channels, filters)


def gap_vs_flatten(height: int, width: int, channels: int, classes: int = 10) -> dict:
    """Weights needed to go from a (height, width, channels) feature block to ``classes`` outputs.

    * flatten + dense: every value connected to every class, plus one bias per class;
    * global average pooling: one average per channel, no weights – needs channels == classes
      (otherwise a small dense layer channels → classes follows, counted here).
    """
    flat = height * width * channels
    flatten_dense = flat * classes + classes
    gap_dense = 0 if channels == classes else channels * classes + classes
    return {"flatten_values": flat, "flatten_dense": flatten_dense, "gap_values": channels,
            "gap_pool": 0, "gap_dense": gap_dense, "gap_total": gap_dense}


# --- batch normalisation ----------------------------------------------------------------------

BN_EPSILON = 1e-3   # keras.layers.BatchNormalization default


def batch_norm(x, alpha: float = 1.0, beta: float = 0.0, epsilon: float = BN_EPSILON, axis: int = 0) -> dict:
    """Normalise a batch over ``axis`` (mean 0, variance 1), then scale by α and shift by β."""
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True)
    x_hat = (x - mean) / np.sqrt(var + epsilon)
    return {"mean": np.squeeze(mean), "var": np.squeeze(var), "normalized": x_hat, "output": alpha * x_hat + beta}


PREACTIVATION_CASES = {
    "zu weit links": (-6.0, 1.0),
    "zu schmal": (0.0, 0.15),
    "gut verteilt": (0.0, 2.0),
}


def preactivation_batch(case: str, n: int = 512, seed: int = 0) -> np.ndarray:
    mean, std = PREACTIVATION_CASES[case]
    return np.random.default_rng(seed).normal(mean, std, n)


def saturated_fraction(x, threshold: float = 0.01) -> float:
    """Share of values on the flat ends of the sigmoid: derivative below ``threshold``
    (0.01 is 4 % of the maximum 0.25, reached for |x| > 4.6)."""
    return float(np.mean(sigmoid_derivative(x) < threshold))


def useful_gradient(x) -> float:
    """Mean sigmoid derivative over a batch, relative to its maximum 0.25."""
    return float(np.mean(sigmoid_derivative(x)) / 0.25)


# --- evaluation -------------------------------------------------------------------------------


def confusion_matrix(y_true, y_pred, classes: int = 10) -> np.ndarray:
    """counts[t, p] = how many digits with true label t were predicted as p."""
    t = np.asarray(y_true, dtype=int).reshape(-1)
    p = np.asarray(y_pred, dtype=int).reshape(-1)
    if t.shape != p.shape:
        raise ValueError("y_true und y_pred müssen gleich lang sein.")
    return np.bincount(t * classes + p, minlength=classes * classes).reshape(classes, classes)


def accuracy_from_confusion(cm) -> float:
    cm = np.asarray(cm)
    return float(np.trace(cm) / cm.sum())
