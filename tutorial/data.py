"""MNIST, bundled with the app, read two ways.

* :func:`load_arrays` gives numpy arrays (grids, evaluation, charts) without importing TensorFlow.
* :func:`training_dataset` / :func:`validation_dataset` build the codelab's ``tf.data`` pipeline:
  ``FixedLengthRecordDataset`` over the gzip IDX files, ``decode_raw``, pixel / 256, one-hot labels.

Every file is checked against its SHA-256 once per process; a missing or damaged file raises
:class:`DataError` with a German message that names the file and how to restore it.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import threading
from pathlib import Path

import numpy as np

from tutorial.paths import MNIST_DIR

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"

# SHA-256 of the uncompressed IDX files (assets/mnist/README.md)
SHA256 = {
    TRAIN_IMAGES: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    TRAIN_LABELS: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    TEST_IMAGES: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    TEST_LABELS: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
HEADER_BYTES = {TRAIN_IMAGES: 16, TEST_IMAGES: 16, TRAIN_LABELS: 8, TEST_LABELS: 8}

_RESTORE = ("Stellen Sie die Datei wieder her, z. B. mit »git checkout -- assets/mnist« "
            "im Projektordner oder durch erneutes Klonen des Repositorys.")


class DataError(RuntimeError):
    """A bundled data file is missing or damaged (message in German, for the learner)."""


_lock = threading.Lock()


@functools.lru_cache(maxsize=None)
def _verified_bytes(path: Path, name: str) -> bytes:
    """The uncompressed IDX bytes of ``path``, after checking their SHA-256."""
    if not path.is_file():
        raise DataError(f"Die MNIST-Datei »{name}« fehlt (erwartet in {path.parent}). {_RESTORE}")
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DataError(f"Die MNIST-Datei »{name}« ist beschädigt und lässt sich nicht entpacken "
                        f"({exc}). {_RESTORE}") from None
    if hashlib.sha256(raw).hexdigest() != SHA256[name]:
        raise DataError(f"Die MNIST-Datei »{name}« ist beschädigt (SHA-256-Prüfsumme stimmt nicht). {_RESTORE}")
    return raw


def verified_path(name: str, directory: Path | None = None) -> Path:
    """Path of one bundled file, verified once per process (raises :class:`DataError`)."""
    path = Path(directory or MNIST_DIR) / name
    with _lock:
        _verified_bytes(path, name)
    return path


def _array(name: str, directory: Path | None) -> np.ndarray:
    path = Path(directory or MNIST_DIR) / name
    with _lock:
        raw = _verified_bytes(path, name)
    return np.frombuffer(raw, dtype=np.uint8, offset=HEADER_BYTES[name])


@functools.lru_cache(maxsize=4)
def load_arrays(split: str = "train", directory: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(images, labels)`` as uint8 arrays: images (N, 28, 28) with grey levels 0-255, labels (N,).

    ``split`` is ``"train"`` (60,000 digits) or ``"test"`` (10,000 digits, the validation data).
    Scale with :func:`to_model_input` before feeding a model.
    """
    images_name, labels_name = (TRAIN_IMAGES, TRAIN_LABELS) if split == "train" else (TEST_IMAGES, TEST_LABELS)
    images = _array(images_name, directory).reshape(-1, 28, 28)
    labels = _array(labels_name, directory)
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def to_model_input(images: np.ndarray) -> np.ndarray:
    """uint8 images (N, 28, 28) -> float32 (N, 784) on the training scale, pixel / 256."""
    return (np.asarray(images, dtype=np.float32) / 256.0).reshape(-1, 28 * 28)


# --- the codelab's tf.data pipeline -----------------------------------------------------------

def read_label(record):
    """One label byte -> one-hot vector of 10 floats."""
    import tensorflow as tf
    digit = tf.reshape(tf.io.decode_raw(record, tf.uint8), [])
    return tf.one_hot(digit, 10)


def read_image(record):
    """784 pixel bytes -> flat float32 vector, pixel / 256."""
    import tensorflow as tf
    pixels = tf.io.decode_raw(record, tf.uint8)
    return tf.reshape(tf.cast(pixels, tf.float32) / 256.0, [28 * 28])


def load_dataset(image_file: Path, label_file: Path):
    """(image [784] float32, one-hot label [10]) pairs straight from the gzip IDX files."""
    import tensorflow as tf
    images = tf.data.FixedLengthRecordDataset(str(image_file), 28 * 28, header_bytes=16,
                                              compression_type="GZIP")
    images = images.map(read_image, num_parallel_calls=16)
    labels = tf.data.FixedLengthRecordDataset(str(label_file), 1, header_bytes=8, compression_type="GZIP")
    labels = labels.map(read_label, num_parallel_calls=16)
    return tf.data.Dataset.zip((images, labels))


def training_dataset(batch_size: int, limit: int | None = None, seed: int | None = 0,
                     directory: Path | None = None):
    """cache → shuffle(5000) → repeat → batch(drop_remainder) → prefetch, as in the notebooks."""
    import tensorflow as tf
    dataset = load_dataset(verified_path(TRAIN_IMAGES, directory), verified_path(TRAIN_LABELS, directory))
    if limit:
        dataset = dataset.take(limit)
    # the whole set fits in RAM (60,000 × 784 floats ≈ 190 MB); shuffle anew in every epoch
    dataset = dataset.cache().shuffle(5000, seed=seed, reshuffle_each_iteration=True).repeat()
    dataset = dataset.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
    # tf.data's autotuner off: on a one-core server, destroying this endless iterator at the end of
    # `fit` waited 0.5–4.4 s for it (keras_01, measured; 0.05 s without); on two cores the training
    # is as fast either way. The numbers it computes do not change.
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def validation_dataset(batch_size: int = 1000, limit: int | None = None, directory: Path | None = None):
    """The 10,000 test digits, cached and repeated. The notebooks use one batch of 10,000; smaller
    batches give the same numbers with a much lower memory peak."""
    dataset = load_dataset(verified_path(TEST_IMAGES, directory), verified_path(TEST_LABELS, directory))
    if limit:
        dataset = dataset.take(limit)
    return dataset.cache().batch(batch_size).repeat()
