"""Numerical tests of tutorial.theory (numpy only, no TensorFlow)."""
import math

import numpy as np
import pytest

from tutorial import presets
from tutorial import spec as S
from tutorial import theory as T
from tutorial import theory_cnn as TC

pytestmark = pytest.mark.engine


# --- activations, neuron, dense layer ----------------------------------------------------------

def test_sigmoid_and_relu_values_and_derivatives():
    x = np.array([-1000.0, -2.0, 0.0, 2.0, 1000.0])
    s = T.sigmoid(x)
    assert np.allclose(s, [0.0, 1 / (1 + math.e ** 2), 0.5, 1 / (1 + math.e ** -2), 1.0])
    assert np.all(np.isfinite(s))
    assert np.allclose(T.relu(x), [0, 0, 0, 2, 1000])
    # derivative of sigmoid: numerical check, maximum 0.25 at 0
    h = 1e-5
    xs = np.linspace(-5, 5, 21)
    numeric = (T.sigmoid(xs + h) - T.sigmoid(xs - h)) / (2 * h)
    assert np.allclose(T.sigmoid_derivative(xs), numeric, atol=1e-8)
    assert T.sigmoid_derivative(np.array([0.0]))[0] == pytest.approx(0.25)
    assert np.array_equal(T.relu_derivative(np.array([-1.0, 0.0, 3.0])), [0.0, 0.0, 1.0])


def test_dense_layer_broadcasts_bias_to_every_row():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 4))
    W = rng.normal(size=(4, 3))
    b = np.array([1.0, -2.0, 0.5])
    r = T.dense_layer(X, W, b, activation="relu")
    assert r["shapes"] == {"X": (5, 4), "W": (4, 3), "b": (3,), "XW": (5, 3), "Y": (5, 3)}
    for i in range(5):  # row by row, the way a single neuron would compute it
        for j in range(3):
            assert r["Z"][i, j] == pytest.approx(sum(X[i, k] * W[k, j] for k in range(4)) + b[j])
    assert np.array_equal(r["b_broadcast"], np.tile(b, (5, 1)))
    assert np.allclose(r["Y"], np.maximum(r["Z"], 0))
    with pytest.raises(ValueError, match="Formen"):
        T.dense_layer(X, W.T, b)


def test_softmax_sums_to_one_largest_wins_and_temperature_sharpens():
    logits = np.array([1.5, -0.3, 0.2, 4.0, -1.0, 0.8, 2.9, -2.2, 0.0, 1.1])
    p = T.softmax(logits)
    assert p.sum() == pytest.approx(1.0)
    assert np.all(p > 0)
    assert np.argmax(p) == 3
    assert np.array_equal(np.argsort(p), np.argsort(logits))  # order kept: "soft"
    e = np.exp(logits)
    assert np.allclose(p, e / e.sum())
    cold, hot = T.softmax(logits, 0.2), T.softmax(logits, 5.0)
    assert cold.max() > p.max() > hot.max()
    assert cold.max() > 0.99
    assert T.softmax([1000.0, 0.0]).tolist() == pytest.approx([1.0, 0.0])  # no overflow
    batch = T.softmax(np.array([[1.0, 2.0], [3.0, 3.0]]))
    assert np.allclose(batch.sum(axis=1), 1) and np.allclose(batch[1], [0.5, 0.5])
    with pytest.raises(ValueError):
        T.softmax(logits, 0)


def test_one_hot_and_cross_entropy_values():
    y = T.one_hot(3)
    assert y.tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert T.one_hot([0, 9]).shape == (2, 10)
    with pytest.raises(ValueError):
        T.one_hot(10)
    p = np.full(10, 0.05)
    p[3] = 0.55
    assert T.cross_entropy(y, p) == pytest.approx(-math.log(0.55))
    assert T.cross_entropy(y, y) == pytest.approx(-math.log(1 - 1e-7))  # perfect: ~0
    uniform = np.full(10, 0.1)
    assert T.cross_entropy(y, uniform) == pytest.approx(math.log(10))
    p0 = np.zeros(10)
    p0[5] = 1.0
    assert T.cross_entropy(y, p0) == pytest.approx(-math.log(1e-7))  # clipped like Keras, finite
    # unnormalised predictions are normalised first
    assert T.cross_entropy(y, 2 * p) == pytest.approx(T.cross_entropy(y, p))


# --- numerical stability ------------------------------------------------------------------------

def test_stable_log_softmax_finite_where_naive_breaks():
    big = np.array([100.0, 20.0, 0.0, -60.0], dtype=np.float32)
    naive = T.log_softmax_naive(big)
    stable = T.log_softmax_stable(big)
    assert np.isnan(naive[0])                # exp(100) overflows float32: inf / inf
    assert np.all(np.isfinite(stable))
    assert stable.dtype == np.float32
    assert np.allclose(stable, [0.0, -80.0, -100.0, -160.0], atol=1e-4)
    # underflow: exp(-150) is 0 in float32, log(0) = -inf
    under = np.array([10.0, 0.0, -150.0], dtype=np.float32)
    assert np.isneginf(T.log_softmax_naive(under)[2])
    assert T.log_softmax_stable(under)[2] == pytest.approx(-160.0, abs=1e-3)
    y = T.one_hot(2, 3)
    assert not np.isfinite(T.cross_entropy_from_logits(y, under, stable=False))
    assert T.cross_entropy_from_logits(y, under, stable=True) == pytest.approx(160.0, abs=1e-3)
    small = np.array([1.0, 0.2, 0.0], dtype=np.float32)   # both ways agree when nothing overflows
    assert np.allclose(T.log_softmax_naive(small), T.log_softmax_stable(small), atol=1e-6)


# --- deep sigmoid chains -------------------------------------------------------------------------

def test_gradient_shrinks_through_sigmoid_layers_not_relu():
    sig = T.layer_gradient_norms(12, "sigmoid")
    rel = T.layer_gradient_norms(12, "relu")
    assert sig.shape == (12,)
    assert sig[0] / sig[-1] < 1e-4                    # the first layer gets almost nothing
    assert np.all(np.diff(np.log(sig)) > 0)           # shrinking monotonically towards the input
    assert 0.1 < rel[0] / rel[-1] < 10                # relu keeps the same order of magnitude


# --- gradient descent ----------------------------------------------------------------------------

def test_gradients_of_surfaces_match_finite_differences():
    h = 1e-6
    for s in T.SURFACES.values():
        for x, y in [(0.3, -0.7), (-1.2, 0.4), (2.0, 1.5)]:
            gx = (s.f(x + h, y) - s.f(x - h, y)) / (2 * h)
            gy = (s.f(x, y + h) - s.f(x, y - h)) / (2 * h)
            assert np.allclose(s.grad(x, y), [gx, gy], atol=1e-5)


def test_toy_surfaces_are_losses_never_below_zero():
    """The demos call a surface's height "Verlust": like a cross-entropy it must be ≥ 0, with 0 in the minima."""
    for s in T.SURFACES.values():
        g = T.surface_grid(s, 81)
        assert g["z"].min() >= 0
        for m in s.minima:
            assert s.f(*m) == pytest.approx(0.0, abs=1e-12)
    assert T.SURFACES["sattel"].f(0.0, 0.0) == pytest.approx(0.25)


def test_valley_small_rate_converges_too_large_rate_diverges():
    ok = T.descend("tal", learning_rate=0.5, steps=200)
    assert not ok["diverged"]
    assert ok["loss"][-1] < 1e-3 * ok["loss"][0]
    assert np.all(np.diff(ok["loss"]) <= 1e-12)       # plain GD with a safe rate never goes uphill
    bad = T.descend("tal", learning_rate=1.05, steps=200)
    assert bad["diverged"]
    assert bad["loss"][-1] > bad["loss"][0]
    # just below the limit 2/curvature = 1 it zig-zags across the valley but still converges
    zigzag = T.descend("tal", learning_rate=0.95, steps=200)
    ys = zigzag["path"][:10, 1]
    assert np.all(np.sign(ys[1:]) != np.sign(ys[:-1]))
    assert not zigzag["diverged"]


def test_momentum_and_adam_pass_the_saddle_where_plain_gd_stalls():
    plain = T.descend("sattel", learning_rate=0.05, steps=120, method="gd")
    momentum = T.descend("sattel", learning_rate=0.05, steps=120, method="momentum")
    adam = T.descend("sattel", learning_rate=0.05, steps=120, method="adam")
    assert abs(plain["path"][-1, 1]) < 0.1                       # still on the ridge y ≈ 0
    assert plain["loss"][-1] > 0.24                              # loss on the saddle point is 0.25
    for run in (momentum, adam):
        assert abs(abs(run["path"][-1, 1]) - 1.0) < 0.05         # in a minimum (0, ±1)
        assert run["loss"][-1] == pytest.approx(0.0, abs=2e-3)
    with pytest.raises(ValueError):
        T.descend("tal", learning_rate=0.0)


# --- dropout -------------------------------------------------------------------------------------

def test_dropout_mask_rate_and_scaling_keep_the_expected_sum():
    rng = np.random.default_rng(0)
    masks = np.array([T.dropout_mask(10, 0.25, rng) for _ in range(4000)])
    assert masks.mean() == pytest.approx(0.75, abs=0.01)
    values = np.arange(1.0, 11.0)
    mask = np.array([True, False] * 5)
    out = T.apply_dropout(values, 0.25, mask)
    assert np.array_equal(out[~mask], np.zeros(5))
    assert np.allclose(out[mask], values[mask] / 0.75)
    assert np.array_equal(T.apply_dropout(values, 0.25, mask, training=False), values)
    sums = [T.apply_dropout(values, 0.4, T.dropout_mask(10, 0.4, rng)).sum() for _ in range(4000)]
    assert np.mean(sums) == pytest.approx(values.sum(), rel=0.02)
    with pytest.raises(ValueError):
        T.dropout_mask(5, 1.0)


# --- convolution and pooling ---------------------------------------------------------------------

def test_conv2d_by_hand_and_shapes():
    img = np.arange(25, dtype=float).reshape(5, 5)
    k = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float)
    assert np.array_equal(TC.conv2d(img, k, 1, "same"), img)         # identity filter
    assert np.array_equal(TC.conv2d(img, k, 1, "valid"), img[1:4, 1:4])
    ones = np.ones((3, 3))
    valid = TC.conv2d(img, ones, 1, "valid")
    assert valid[0, 0] == img[:3, :3].sum()
    assert valid.shape == (3, 3)
    # no kernel flip: cross-correlation like tf.nn.conv2d
    asym = np.zeros((3, 3))
    asym[0, 0] = 1.0
    assert TC.conv2d(img, asym, 1, "valid")[0, 0] == img[0, 0]
    for size, kernel, stride in [(28, 3, 1), (28, 6, 2), (14, 6, 2), (7, 3, 2), (28, 5, 3)]:
        x = np.zeros((size, size))
        kk = np.zeros((kernel, kernel))
        assert TC.conv2d(x, kk, stride, "same").shape == (math.ceil(size / stride),) * 2
        assert TC.conv2d(x, kk, stride, "valid").shape == ((size - kernel) // stride + 1,) * 2
    assert TC.same_padding(28, 6, 2) == (2, 2)
    assert TC.same_padding(28, 3, 2) == (0, 1)       # the odd pixel goes bottom/right
    with pytest.raises(ValueError):
        TC.conv2d(np.zeros((2, 2)), np.zeros((3, 3)), 1, "valid")


def test_max_pool_2x2():
    x = np.array([[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 9, 8], [7, 0, 6, 7]], dtype=float)
    assert TC.max_pool(x).tolist() == [[4, 5], [7, 9]]
    assert TC.max_pool(np.zeros((7, 7))).shape == (3, 3)   # valid: the odd row/column is dropped
    multi = np.stack([x, -x], axis=-1)
    assert TC.max_pool(multi)[:, :, 1].tolist() == [[-1, 0], [0, -6]]


def test_conv_stack_table_matches_the_notebook_model():
    convs = [{"filters": 12, "kernel": 3, "stride": 1}, {"filters": 24, "kernel": 6, "stride": 2},
             {"filters": 32, "kernel": 6, "stride": 2}]
    rows = TC.conv_stack_table(convs)
    assert [r["output_shape"] for r in rows] == [(28, 28, 1), (28, 28, 12), (14, 14, 24), (7, 7, 32), (1568,),
                                                 (200,), (10,)]
    assert [r["params"] for r in rows] == [0, 120, 10392, 27680, 0, 313800, 2010]
    # the same as the engine's numbers for the ex_11 preset
    assert sum(r["params"] for r in rows) == S.param_count(presets.PRESETS["ex_11_conv_no_dropout"])
    gap = TC.conv_stack_table(convs[:2] + [{"filters": 10, "kernel": 3, "stride": 2}], head="gap")
    assert gap[-2]["output_shape"] == (10,) and gap[-2]["params"] == 0
    with pytest.raises(ValueError):
        TC.conv_stack_table([{"filters": 4, "kernel": 11, "stride": 4, "padding": "valid"}] * 3)
    assert TC.conv_weight_shape(3, 1, 12) == (3, 3, 1, 12)


def test_gap_vs_flatten_weight_counts():
    c = TC.gap_vs_flatten(7, 7, 10)
    assert c["flatten_values"] == 490
    assert c["flatten_dense"] == 490 * 10 + 10
    assert c["gap_total"] == 0
    c = TC.gap_vs_flatten(7, 7, 32)
    assert c["flatten_dense"] == 1568 * 10 + 10 and c["gap_total"] == 32 * 10 + 10


# --- batch norm, confusion matrix ----------------------------------------------------------------

def test_batch_norm_normalises_then_scales_and_shifts():
    x = TC.preactivation_batch("zu weit links", n=1000)
    r = TC.batch_norm(x, alpha=1.0, beta=0.0)
    assert r["normalized"].mean() == pytest.approx(0, abs=1e-9)
    assert r["normalized"].std() == pytest.approx(1, abs=1e-3)
    r = TC.batch_norm(x, alpha=2.5, beta=-1.0)
    assert r["output"].mean() == pytest.approx(-1.0, abs=1e-9)
    assert r["output"].std() == pytest.approx(2.5, abs=3e-3)
    assert r["mean"] == pytest.approx(x.mean())
    # the three cases: far left saturates the sigmoid, narrow and well spread do not
    assert TC.saturated_fraction(TC.preactivation_batch("zu weit links")) > 0.8
    assert TC.saturated_fraction(TC.preactivation_batch("zu schmal")) == 0.0
    assert TC.useful_gradient(TC.preactivation_batch("zu schmal")) > 0.95
    per_channel = TC.batch_norm(np.random.default_rng(2).normal(5, 3, (64, 4)))
    assert np.allclose(per_channel["normalized"].mean(axis=0), 0, atol=1e-9)


def test_confusion_matrix_counts():
    y_true = [0, 0, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 2, 0, 2]
    cm = TC.confusion_matrix(y_true, y_pred, classes=3)
    assert cm.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert cm.sum() == 6
    assert TC.accuracy_from_confusion(cm) == pytest.approx(4 / 6)
    with pytest.raises(ValueError):
        TC.confusion_matrix([0, 1], [0])
