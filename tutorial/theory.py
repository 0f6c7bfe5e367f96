"""The mathematics behind the theory chapters, in plain numpy.

Every interactive explanation (``tutorial.app.explain``) computes its numbers here (the convolutional
chapters' in :mod:`tutorial.theory_cnn`), so tests can check them against the definitions and, where it
matters, against TensorFlow itself. This module never imports TensorFlow or Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

# --- activations ------------------------------------------------------------------------------


def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    # two branches avoid overflow of exp(-x) for very negative x
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def relu(x):
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def relu_derivative(x):
    """1 for positive inputs, 0 otherwise (Keras/TF use 0 at exactly 0)."""
    return (np.asarray(x, dtype=np.float64) > 0).astype(np.float64)


ACTIVATIONS: dict[str, Callable] = {"sigmoid": sigmoid, "relu": relu, "linear": lambda x: np.asarray(x, float)}
DERIVATIVES: dict[str, Callable] = {"sigmoid": sigmoid_derivative, "relu": relu_derivative,
                                    "linear": lambda x: np.ones_like(np.asarray(x, float))}


def activate(x, activation: Optional[str]):
    if activation in (None, "linear"):
        return np.asarray(x, dtype=np.float64)
    if activation == "softmax":
        return softmax(x)
    return ACTIVATIONS[activation](x)


def softmax(logits, temperature: float = 1.0, axis: int = -1):
    """exp(l / T) normalised to sum 1 along ``axis``; subtracting the maximum keeps exp finite.

    ``temperature`` < 1 sharpens the distribution (the largest logit wins more clearly),
    > 1 flattens it. T = 1 is the ordinary softmax.
    """
    if temperature <= 0:
        raise ValueError("Die Temperatur muss größer als 0 sein.")
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


# --- one layer --------------------------------------------------------------------------------


def dense_layer(X, W, b, activation: Optional[str] = None) -> dict:
    """A dense layer on a batch: X (N, inputs) · W (inputs, units) + b (units,).

    ``b`` has one value per neuron; numpy (like TensorFlow) broadcasts it to every row of the
    batch. The dict holds each stage and the shapes, so a page can show them.
    """
    X = np.atleast_2d(np.asarray(X, dtype=np.float64))
    W = np.atleast_2d(np.asarray(W, dtype=np.float64))
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X hat {X.shape[1]} Spalten, W aber {W.shape[0]} Zeilen – die Formen passen nicht.")
    if b.shape[0] != W.shape[1]:
        raise ValueError("Der Bias braucht einen Wert pro Neuron (Spalte von W).")
    XW = X @ W
    b_broadcast = np.broadcast_to(b, XW.shape)
    Z = XW + b
    return {"XW": XW, "b_broadcast": np.array(b_broadcast), "Z": Z, "Y": activate(Z, activation),
            "shapes": {"X": X.shape, "W": W.shape, "b": b.shape, "XW": XW.shape, "Y": Z.shape}}


# --- labels and loss --------------------------------------------------------------------------


def one_hot(label, classes: int = 10):
    """Label(s) 0..classes-1 as one-hot vectors (float)."""
    labels = np.asarray(label, dtype=int)
    if np.any(labels < 0) or np.any(labels >= classes):
        raise ValueError(f"Eine Ziffer muss zwischen 0 und {classes - 1} liegen.")
    return np.eye(classes)[labels]


KERAS_EPSILON = 1e-7   # keras.config.epsilon(): probabilities are clipped to [eps, 1 - eps]


def cross_entropy(y_true, y_pred, epsilon: float = KERAS_EPSILON):
    """-Σ y_true · log(y_pred) along the last axis, as Keras' categorical_crossentropy computes it
    from probabilities: predictions are first normalised to sum 1, then clipped to [ε, 1-ε]."""
    y_true = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    p = p / np.sum(p, axis=-1, keepdims=True)
    p = np.clip(p, epsilon, 1.0 - epsilon)
    return -np.sum(y_true * np.log(p), axis=-1)


# --- numerical stability ----------------------------------------------------------------------


# float32's smallest numbers above 0: NumPy keeps the subnormal ones down to ≈ 1.4e-45; TensorFlow on the
# CPU flushes everything below the smallest normal number (≈ 1.2e-38) to 0 (tf.exp(-88.) is 0 there).
FLOAT32_SMALLEST = float(np.finfo(np.float32).smallest_subnormal)
FLOAT32_SMALLEST_NORMAL = float(np.finfo(np.float32).tiny)
TF_ZERO_GAP = float(-np.log(FLOAT32_SMALLEST_NORMAL))   # ≈ 87.3: a logit gap whose probability TF makes 0


def log_softmax_naive(logits, dtype=np.float32):
    """log(softmax(x)) computed literally: exp, divide by the sum, take the log (in float32).

    Large logits overflow exp (inf / inf = NaN); a logit far below the largest underflows to
    exp(...) = 0 and log(0) = -inf.
    """
    z = np.asarray(logits, dtype=dtype)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        e = np.exp(z)
        p = e / np.sum(e, axis=-1, keepdims=True)
        return np.log(p)


def log_softmax_stable(logits, dtype=np.float32):
    """The fused form TensorFlow uses: (x - max) - log Σ exp(x - max). Always finite."""
    z = np.asarray(logits, dtype=dtype)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def cross_entropy_from_logits(y_true, logits, stable: bool = True, dtype=np.float32):
    log_p = (log_softmax_stable if stable else log_softmax_naive)(logits, dtype)
    y = np.asarray(y_true, dtype=dtype)
    with np.errstate(invalid="ignore"):
        # 0 · (-inf) is NaN in IEEE arithmetic; only the true class counts, as in the formula
        return -np.sum(np.where(y > 0, y * log_p, 0), axis=-1)


# --- deep sigmoid chains ----------------------------------------------------------------------


def layer_gradient_norms(n_layers: int, activation: str, width: int = 64, batch: int = 128,
                         seed: int = 0) -> np.ndarray:
    """Backpropagate through a real randomly initialised dense stack and return the gradient
    norm that arrives at each layer's weights, from the first (input side) to the last.

    Weights use Keras' default glorot_uniform initialiser, biases zero; the loss gradient at the
    output is a random unit-variance vector. Returns shape (n_layers,).
    """
    rng = np.random.default_rng(seed)
    act, dact = ACTIVATIONS[activation], DERIVATIVES[activation]
    limit = np.sqrt(6.0 / (width + width))
    Ws = [rng.uniform(-limit, limit, (width, width)) for _ in range(n_layers)]
    h = rng.normal(0, 1, (batch, width))
    inputs, pres = [], []
    for W in Ws:
        inputs.append(h)
        z = h @ W
        pres.append(z)
        h = act(z)
    grad = rng.normal(0, 1, (batch, width))   # dLoss/dOutput
    norms = np.zeros(n_layers)
    for i in reversed(range(n_layers)):
        grad_z = grad * dact(pres[i])
        norms[i] = np.linalg.norm(inputs[i].T @ grad_z) / batch
        grad = grad_z @ Ws[i].T
    return norms


# --- gradient descent on a 2-D surface --------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    name: str
    title: str
    f: Callable
    grad: Callable
    x_range: tuple
    y_range: tuple
    start: tuple
    minima: tuple


def _valley_f(x, y):
    return 0.05 * x ** 2 + y ** 2


def _valley_grad(x, y):
    return np.array([0.1 * x, 2.0 * y])


def _saddle_f(x, y):
    # 0.5·x² + 0.25·y⁴ − 0.5·y², shifted up by 0.25 so that, like a real loss, it is never negative:
    # 0 in the two hollows (0, ±1), 0.25 on the saddle point (0, 0)
    return 0.5 * x ** 2 + 0.25 * (y ** 2 - 1) ** 2


def _saddle_grad(x, y):
    return np.array([x, y ** 3 - y])


SURFACES = {
    # a long narrow valley: curvature 0.1 along x, 2 across; plain GD diverges above lr = 1
    "tal": Surface("tal", "Langes, schmales Tal", _valley_f, _valley_grad, (-10.0, 10.0), (-4.0, 4.0),
                   (-9.0, 3.0), ((0.0, 0.0),)),
    # a saddle point at (0, 0) between two minima (0, ±1)
    "sattel": Surface("sattel", "Sattelpunkt zwischen zwei Mulden", _saddle_f, _saddle_grad,
                      (-2.5, 2.5), (-1.8, 1.8), (-2.0, 1e-4), ((0.0, 1.0), (0.0, -1.0))),
}

METHODS = {"gd": "Gradientenabstieg", "momentum": "Momentum", "adam": "Adam"}


def descend(surface: Surface | str, start=None, learning_rate: float = 0.1, steps: int = 50,
            method: str = "gd", momentum: float = 0.9, beta1: float = 0.9, beta2: float = 0.999,
            eps: float = 1e-8, bound: float = 100.0) -> dict:
    """Walk downhill from ``start``; returns path (k, 2), loss per point, and whether it diverged.

    * ``gd``: p ← p − lr·∇f
    * ``momentum``: v ← μ·v − lr·∇f; p ← p + v  (Keras SGD(momentum=μ))
    * ``adam``: Keras' Adam update with bias correction.
    The walk stops early when a coordinate leaves ±``bound`` (diverged).
    """
    s = SURFACES[surface] if isinstance(surface, str) else surface
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if learning_rate <= 0:
        raise ValueError("Die Lernrate muss größer als 0 sein.")
    p = np.array(s.start if start is None else start, dtype=np.float64)
    path = [p.copy()]
    v = np.zeros(2)
    m = np.zeros(2)
    u = np.zeros(2)
    diverged = False
    for t in range(1, steps + 1):
        g = s.grad(*p)
        if method == "gd":
            p = p - learning_rate * g
        elif method == "momentum":
            v = momentum * v - learning_rate * g
            p = p + v
        else:
            m = beta1 * m + (1 - beta1) * g
            u = beta2 * u + (1 - beta2) * g * g
            m_hat = m / (1 - beta1 ** t)
            u_hat = u / (1 - beta2 ** t)
            p = p - learning_rate * m_hat / (np.sqrt(u_hat) + eps)
        if not np.all(np.isfinite(p)) or np.max(np.abs(p)) > bound:
            diverged = True
            break
        path.append(p.copy())
    path = np.array(path)
    return {"path": path, "loss": np.array([s.f(x, y) for x, y in path]), "diverged": diverged,
            "method": method, "surface": s.name}


def surface_grid(surface: Surface | str, n: int = 60) -> dict:
    """The loss on an n×n grid over the surface's plotting range."""
    s = SURFACES[surface] if isinstance(surface, str) else surface
    xs = np.linspace(*s.x_range, n)
    ys = np.linspace(*s.y_range, n)
    X, Y = np.meshgrid(xs, ys)
    return {"x": X, "y": Y, "z": s.f(X, Y), "dx": xs[1] - xs[0], "dy": ys[1] - ys[0]}


# --- dropout ----------------------------------------------------------------------------------


def dropout_mask(n: int, rate: float, rng: np.random.Generator | int | None = None) -> np.ndarray:
    """Which of ``n`` neurons stay active in this training step (True = kept), each with
    probability 1 - rate, independently (like keras.layers.Dropout)."""
    if not 0.0 <= rate < 1.0:
        raise ValueError("Die Dropout-Rate muss zwischen 0 und 1 (ausschließlich) liegen.")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    return rng.random(n) >= rate


def apply_dropout(x, rate: float, mask: Optional[np.ndarray] = None, training: bool = True):
    """Training: dropped neurons output 0, kept ones are scaled by 1/(1-rate) so the expected
    sum stays the same. Evaluation: every neuron passes unchanged."""
    x = np.asarray(x, dtype=np.float64)
    if not training or rate == 0:
        return x.copy()
    if mask is None:
        mask = dropout_mask(x.shape[-1], rate)
    return np.where(mask, x / (1.0 - rate), 0.0)

