"""tutorial.theory against TensorFlow/Keras: convolution, shape/parameter calculator, confusion matrix."""
import numpy as np
import pytest

from tutorial import presets
from tutorial import spec as S
from tutorial import theory_cnn as TC

import tensorflow as tf  # noqa: E402  (installed everywhere: requirements.txt)

pytestmark = pytest.mark.engine


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("kernel", [3, 4, 6])
def test_conv2d_equals_tf_nn_conv2d_on_a_real_digit(stride, padding, kernel):
    from tutorial.data import load_arrays
    images, _ = load_arrays("test")
    img = images[7].astype(np.float32) / 256.0
    k = np.random.default_rng(kernel).normal(size=(kernel, kernel)).astype(np.float32)
    ours = TC.conv2d(img, k, stride=stride, padding=padding)
    theirs = tf.nn.conv2d(img[None, :, :, None], k[:, :, None, None], strides=stride,
                          padding=padding.upper()).numpy()[0, :, :, 0]
    assert ours.shape == theirs.shape
    assert np.allclose(ours, theirs, atol=1e-4)


def test_conv2d_multichannel_and_odd_size_equal_tf():
    rng = np.random.default_rng(3)
    img = rng.normal(size=(15, 15, 3)).astype(np.float32)        # odd size: asymmetric "same" padding
    k = rng.normal(size=(4, 4, 3, 5)).astype(np.float32)
    for stride in (1, 2, 3):
        for padding in ("SAME", "VALID"):
            ours = TC.conv2d(img, k, stride=stride, padding=padding.lower())
            theirs = tf.nn.conv2d(img[None], k, strides=stride, padding=padding).numpy()[0]
            assert ours.shape == theirs.shape
            assert np.allclose(ours, theirs, atol=1e-4)


def test_max_pool_equals_tf():
    x = np.random.default_rng(4).normal(size=(13, 13, 2)).astype(np.float32)
    theirs = tf.nn.max_pool2d(x[None], ksize=2, strides=2, padding="VALID").numpy()[0]
    assert np.allclose(TC.max_pool(x), theirs)


STACKS = [
    ([{"filters": 12, "kernel": 3, "stride": 1}, {"filters": 24, "kernel": 6, "stride": 2},
      {"filters": 32, "kernel": 6, "stride": 2}], "flatten"),
    ([{"filters": 8, "kernel": 5, "stride": 2, "padding": "valid"},
      {"filters": 16, "kernel": 3, "stride": 3, "padding": "valid"}], "flatten"),
    ([{"filters": 6, "kernel": 4, "stride": 1}, {"filters": 10, "kernel": 3, "stride": 2}], "gap"),
]


@pytest.mark.parametrize("convs,head", STACKS)
def test_calculator_equals_keras_summary(convs, head):
    from tutorial.models import build_model
    rows = TC.conv_stack_table(convs, head=head, dense_units=50)
    model = build_model(S.RunSpec(layers=TC.conv_stack_layers(convs, head=head, dense_units=50)))
    assert len(model.layers) == len(rows)
    for row, layer in zip(rows, model.layers):
        assert tuple(layer.output.shape)[1:] == row["output_shape"], layer.name
        assert layer.count_params() == row["params"], layer.name
    assert model.count_params() == sum(r["params"] for r in rows)


@pytest.fixture(scope="module")
def model_and_accuracy():
    """A pretrained keras_01 model when its files exist, else a tiny model trained on 600 digits."""
    from tutorial import pretrained
    if "keras_01_mnist" in pretrained.available():
        return pretrained.load_model("keras_01_mnist")
    from tutorial.training import train
    spec = presets.PRESETS["keras_01_mnist"].with_(limit=600, epochs=1, val_limit=200)
    return train(spec).model


def test_confusion_matrix_sums_to_10000_and_diagonal_is_keras_accuracy(model_and_accuracy):
    from tutorial import data, models
    model = model_and_accuracy
    images, labels = data.load_arrays("test")
    x = data.to_model_input(images)
    predicted = models.predict_proba(model, x).argmax(axis=1)
    cm = TC.confusion_matrix(labels, predicted)
    assert cm.shape == (10, 10)
    assert cm.sum() == 10_000
    assert cm.sum(axis=1).tolist() == np.bincount(labels, minlength=10).tolist()
    _, keras_accuracy = model.evaluate(x, np.eye(10)[labels], batch_size=1000, verbose=0)
    assert TC.accuracy_from_confusion(cm) == pytest.approx(keras_accuracy, abs=1e-4)
    assert np.trace(cm) / 10_000 > 0.5    # a trained model, not chance


@pytest.mark.parametrize("name", ["keras_04_mnist_convolutional", "keras_05_mnist_batch_norm"])
def test_feature_maps_of_every_conv_block(name):
    from tutorial import models, pretrained
    from tutorial.data import load_arrays
    model = pretrained.load_model(name)
    images, _ = load_arrays("test")
    blocks = models.conv_feature_maps(model, images[0].reshape(784).astype(np.float32) / 256.0)
    assert [label for label, _ in blocks] == ["12 Filter 3×3, Schrittweite 1", "24 Filter 6×6, Schrittweite 2",
                                              "32 Filter 6×6, Schrittweite 2"]
    assert [maps.shape for _, maps in blocks] == [(28, 28, 12), (14, 14, 24), (7, 7, 32)]
    for _, maps in blocks:   # taken after relu (keras_05: after BatchNormalization and relu)
        assert maps.min() >= 0 and maps.max() > 0
    kernel = models.first_conv_kernel(model)
    assert kernel.shape == (3, 3, 1, 12)
    np.testing.assert_allclose(kernel, model.get_layer(index=1).get_weights()[0])   # layer 0 is the Reshape


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_keras_reports_running_means_and_block_means_recover_the_batches():
    """What the thin training line shows: Keras 3 logs after batch k the mean over batches 1…k of the
    epoch; curves.block_means turns records every 3 batches back into each block's real mean. With
    learning rate 0 the weights stay fixed, so every batch's own loss is known from evaluate()."""
    from tutorial.charts import training as curves
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 5)).astype(np.float32)
    y = np.eye(3)[rng.integers(0, 3, 64)].astype(np.float32)
    model = tf.keras.Sequential([tf.keras.Input((5,)), tf.keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="categorical_crossentropy", metrics=["accuracy"])
    steps, every, records = 8, 3, []

    class Record(tf.keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            step = batch + 1
            if step % every == 0 or step == steps:
                records.append({"step": step, "epoch": step / steps, "loss": float(logs["loss"]),
                                "accuracy": float(logs["accuracy"])})

    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, callbacks=[Record()])
    per_batch = [model.evaluate(x[i * 8:(i + 1) * 8], y[i * 8:(i + 1) * 8], verbose=0)[0] for i in range(steps)]
    blocks = curves.block_means({"steps_per_epoch": steps, "batches": records})
    assert [b["batches"] for b in blocks] == [3, 3, 2]
    start = 0
    for rec, blk in zip(records, blocks):
        assert rec["loss"] == pytest.approx(np.mean(per_batch[:rec["step"]]), rel=1e-4)   # a running mean …
        assert blk["loss"] == pytest.approx(np.mean(per_batch[start:rec["step"]]), rel=1e-4)  # … turned back
        start = rec["step"]
