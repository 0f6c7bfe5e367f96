"""The bundled MNIST files, their verification, the tf.data pipeline and the font digits."""
import gzip
import shutil

import numpy as np
import pytest

from tutorial import data, fonts

pytestmark = pytest.mark.engine

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_train_and_test_arrays():
    x, y = data.load_arrays("train")
    assert x.shape == (60_000, 28, 28) and x.dtype == np.uint8
    assert y.shape == (60_000,)
    assert np.bincount(y).tolist() == TRAIN_COUNTS
    assert x.min() == 0 and x.max() == 255
    assert abs(x.mean() / 255 - 0.1307) < 1e-3
    xt, yt = data.load_arrays("test")
    assert xt.shape == (10_000, 28, 28)
    assert np.bincount(yt).tolist() == TEST_COUNTS


def test_model_input_scale():
    x, _ = data.load_arrays("test")
    flat = data.to_model_input(x[:5])
    assert flat.shape == (5, 784) and flat.dtype == np.float32
    assert flat.min() == 0.0 and flat.max() == pytest.approx(255 / 256)


def _copy_mnist(tmp_path):
    for name in data.SHA256:
        shutil.copy(data.MNIST_DIR / name, tmp_path / name)
    return tmp_path


def test_corrupted_file_is_refused_in_german(tmp_path):
    folder = _copy_mnist(tmp_path)
    raw = bytearray(gzip.decompress((folder / data.TEST_LABELS).read_bytes()))
    raw[100] = (raw[100] + 1) % 10  # one label changed: still valid gzip, wrong checksum
    (folder / data.TEST_LABELS).write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(data.DataError) as err:
        data.load_arrays("test", directory=folder)
    msg = str(err.value)
    assert data.TEST_LABELS in msg and "beschädigt" in msg and "git checkout" in msg


def test_truncated_and_missing_files_are_refused(tmp_path):
    folder = _copy_mnist(tmp_path)
    blob = (folder / data.TEST_IMAGES).read_bytes()
    (folder / data.TEST_IMAGES).write_bytes(blob[: len(blob) // 2])
    with pytest.raises(data.DataError, match="beschädigt"):
        data.verified_path(data.TEST_IMAGES, folder)
    (folder / data.TRAIN_LABELS).unlink()
    with pytest.raises(data.DataError, match="fehlt"):
        data.training_dataset(128, directory=folder)


def test_pipeline_batches_and_one_hot():
    import tensorflow as tf
    images, labels = next(iter(data.training_dataset(128, limit=1000)))
    assert images.shape == (128, 784) and images.dtype == tf.float32
    assert labels.shape == (128, 10)
    assert np.allclose(labels.numpy().sum(axis=1), 1.0)
    assert float(tf.reduce_max(images)) <= 255 / 256
    # the validation pipeline yields the test digits in order, one-hot labels matching the arrays
    vx, vy = next(iter(data.validation_dataset(500)))
    xt, yt = data.load_arrays("test")
    assert vx.shape == (500, 784)
    np.testing.assert_allclose(vx.numpy(), data.to_model_input(xt[:500]))
    assert (vy.numpy().argmax(1) == yt[:500]).all()


def test_training_pipeline_is_shuffled_and_drops_remainder():
    batches = list(data.training_dataset(128, limit=300).take(4))
    assert all(b[0].shape[0] == 128 for b in batches)
    _, yt = data.load_arrays("train")
    first = batches[0][1].numpy().argmax(1)
    assert not (first == yt[:128]).all()  # shuffled, not in file order


def test_training_pipeline_runs_without_the_autotuner():
    # its teardown at the end of fit waited up to 4.4 s on one core (tutorial/data.py)
    assert data.training_dataset(128, limit=256).options().autotune.enabled is False


def test_font_digits():
    images, labels = fonts.font_digits(24)
    assert images.shape == (24, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [i % 10 for i in range(24)]
    for img in images:
        rows, cols = np.nonzero(img > 30)
        assert img.max() > 200
        assert rows.max() - rows.min() <= 20 and cols.max() - cols.min() <= 20  # MNIST-like 20 px box
        assert 9 <= rows.mean() <= 19 and 9 <= cols.mean() <= 19            # roughly centred
    # the two fonts really differ
    assert np.abs(images[0].astype(int) - images[10].astype(int)).sum() > 1000
