"""A model description as one complete, runnable Python script, and the learner's code cells.

:func:`script` turns a :class:`~tutorial.spec.RunSpec` into a stand-alone script (no import of this
app): the four MNIST gzip IDX files, the codelab's ``tf.data`` pipeline, the model, ``compile``,
``fit`` with the app's validation (the test digits in batches of 1,000), the evaluation on the test
digits and the printed test accuracy. Options ``--epochs``, ``--limit``, ``--data``, ``--seed``.
Command line: ``python -m tutorial export PRESET -o skript.py [--epochs N --limit N]`` (their defaults);
in the app: "Als Python-Skript herunterladen".

The pieces of that script are the code cells chapter 5 shows (:data:`IMPORTS_CODE`, :data:`DECODE_CODE`,
:data:`LOAD_CODE`, :data:`DATASETS_CODE`, :func:`files_code`, :data:`PREDICT_CODE`), so the code a
learner reads is the code that runs; ``tests/test_export.py`` runs both. Training with the script
and training in the app build the same model from the same seed on the same data order (the app's
pipeline is ``tutorial.data``; a test compares the two).

The script runs with ``python``, pasted into a Jupyter/Colab cell and in IPython (options parsed with
``parse_known_args``, ``__file__`` only where it exists). :mod:`tutorial.notebook` builds the notebook
from the same pieces (:data:`FIND_CODE`, :data:`GERMAN_CODE`, :data:`TEST_CODE`, :func:`sizes_code`).

The script's texts are German (it is written for the learner); this module imports neither
Streamlit nor TensorFlow.
"""
from __future__ import annotations

from tutorial import data
from tutorial.choice import preset_for
from tutorial.spec import TRAIN_SIZE, VAL_BATCH, RunSpec

MNIST_FILES = (data.TRAIN_IMAGES, data.TRAIN_LABELS, data.TEST_IMAGES, data.TEST_LABELS)
DOWNLOAD_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

# --- the learner's code cells (chapter 5 shows them, the script is made of them) ---------------

IMPORTS_CODE = '''\
import math

import keras
import numpy as np
import tensorflow as tf'''

DECODE_CODE = '''\
def read_label(record):
    label = tf.io.decode_raw(record, tf.uint8)       # ein Byte: die Ziffer 0 bis 9
    label = tf.reshape(label, [])
    return tf.one_hot(label, 10)                      # 3 → [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]


def read_image(record):
    image = tf.io.decode_raw(record, tf.uint8)       # 784 Bytes: Grauwerte 0 bis 255
    image = tf.cast(image, tf.float32) / 256.0        # Werte zwischen 0 und 1
    return tf.reshape(image, [28 * 28])               # ein flacher Vektor mit 784 Werten'''

LOAD_CODE = '''\
def load_dataset(image_file, label_file):
    images = tf.data.FixedLengthRecordDataset(
        image_file, 28 * 28, header_bytes=16, compression_type="GZIP")
    images = images.map(read_image, num_parallel_calls=16)
    labels = tf.data.FixedLengthRecordDataset(
        label_file, 1, header_bytes=8, compression_type="GZIP")
    labels = labels.map(read_label, num_parallel_calls=16)
    return tf.data.Dataset.zip((images, labels))      # Paare (Bild, Label)'''

DATASETS_CODE = '''\
def get_training_dataset(image_file, label_file, batch_size, size, seed=None):
    dataset = load_dataset(image_file, label_file).take(size)  # die ersten size Ziffern
    dataset = dataset.cache()                                   # nach dem ersten Lesen im Speicher
    dataset = dataset.shuffle(5000, seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.repeat()                                  # endlos, für mehrere Epochen
    dataset = dataset.batch(batch_size, drop_remainder=True)
    return dataset.prefetch(tf.data.AUTOTUNE)


def get_validation_dataset(image_file, label_file, batch_size, size):
    dataset = load_dataset(image_file, label_file).take(size)
    return dataset.cache().batch(batch_size).repeat()'''

MAKE_DATASETS_CODE = '''\
training_dataset = get_training_dataset(training_images_file, training_labels_file,
                                        BATCH_SIZE, TRAIN_SIZE, seed=SEED)
validation_dataset = get_validation_dataset(validation_images_file, validation_labels_file,
                                            VALIDATION_BATCH, VALIDATION_SIZE)'''

PREDICT_CODE = '''\
digits, labels = next(iter(validation_dataset))       # ein Batch Testziffern
probabilities = model.predict(digits)                 # Form [N, 10]
predicted_labels = np.argmax(probabilities, axis=1)   # Form [N]'''


def files_code(directory: str = "assets/mnist") -> str:
    """The cell that names the four MNIST files in ``directory``."""
    return "\n".join([
        f'MNIST_DIR = "{directory}"',
        f'training_images_file = f"{{MNIST_DIR}}/{data.TRAIN_IMAGES}"',
        f'training_labels_file = f"{{MNIST_DIR}}/{data.TRAIN_LABELS}"',
        f'validation_images_file = f"{{MNIST_DIR}}/{data.TEST_IMAGES}"',
        f'validation_labels_file = f"{{MNIST_DIR}}/{data.TEST_LABELS}"'])


def parameters_code(spec: RunSpec) -> str:
    """Chapter 5's first cell: the run's sizes, the seed and the data files."""
    return (spec.constants_code() + f"\nSEED = {spec.train_seed}  # Zufallsstartwert: Startgewichte und Mischen wie in der App"
            + "\n\n" + files_code())


# --- pieces the script and the notebook share (tutorial.notebook) ------------------------------

FIND_CODE = '''\
def app_mnist_folder(starts):
    """assets/mnist der App (in einem der Ordner starts oder darüber), wenn dort alle vier Dateien liegen."""
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / "assets" / "mnist"
            if all((candidate / name).is_file() for name in MNIST_FILES):
                return candidate
    return None'''

GERMAN_CODE = '''\
def german_percent(fraction):
    return f"{100 * fraction:.2f}".replace(".", ",") + " %"


def german_count(number):
    return f"{number:,}".replace(",", ".")'''

TEST_CODE = '''\
loss, accuracy = model.evaluate(validation_dataset, steps=validation_steps, verbose=0)
print(f"Testgenauigkeit ({german_count(VALIDATION_SIZE)} Testziffern): {german_percent(accuracy)}")'''


def sizes_code(spec: RunSpec, limit: str) -> str:
    """The run's sizes with the number of training digits taken from the expression ``limit``."""
    return "\n".join([
        f"BATCH_SIZE = {spec.batch_size}",
        f"TRAIN_SIZE = min({limit}, {TRAIN_SIZE})  # Trainingsziffern",
        f"VALIDATION_SIZE = {spec.val_size}  # Testziffern zur Validierung",
        f"VALIDATION_BATCH = {VAL_BATCH}"])


def title(spec: RunSpec) -> str:
    """The German title of the spec's preset, or "eigenes Modell"."""
    from tutorial.presets import PRESET_TITLES
    name = preset_for(spec)
    return PRESET_TITLES[name] if name else "eigenes Modell"


# --- the complete script -----------------------------------------------------------------------
# It runs with `python skript.py`, pasted into a Jupyter/Colab cell and in IPython: options are parsed
# leniently (a kernel's own arguments are ignored) and `__file__` is used only where it exists.

_HEADER = '''\
"""MNIST-Ziffern mit Keras erkennen: {title}.

Exportiert aus der App »Deep Learning ohne Doktortitel«. Das Skript ist vollständig: Es liest die
vier MNIST-Dateien, baut die tf.data-Pipeline, das Modell, trainiert es und misst am Ende die
Genauigkeit auf den {val_size} Testziffern – genau wie die App (dieselben Schichten, dieselbe
Validierung, derselbe Zufallsstartwert).

Aufruf:
    python {filename}                      # {epochs_text} auf {train_text}
    python {filename} --epochs 1 --limit 3000   # schneller Probelauf
In eine Jupyter- oder Colab-Zelle kopiert läuft es ebenso (dann mit den Vorgaben der Optionen unten).

Daten: die vier gepackten MNIST-Dateien (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz). Gesucht werden sie
  1. im Ordner, den --data angibt,
  2. sonst in assets/mnist des App-Ordners (im aktuellen Ordner, beim Skript oder darüber),
  3. sonst werden sie einmal von {url} geladen
     (oder von der Adresse, die --download-from angibt) und in ~/.keras/datasets/mnist_idx
     gespeichert (Internet nötig).

Voraussetzung: pip install tensorflow  (Keras 3 gehört dazu)
"""
import argparse
import math
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

MNIST_FILES = {files!r}


'''

_FIND = '''


def find_mnist(data_dir, download_from):
    """The folder with the four MNIST files (see the docstring at the top)."""
    if data_dir:
        folder = Path(data_dir)
        missing = [name for name in MNIST_FILES if not (folder / name).is_file()]
        if missing:
            raise SystemExit(f"Im Ordner {folder} fehlen die MNIST-Dateien: {', '.join(missing)}")
        return folder
    here = globals().get("__file__")               # fehlt in einer Notebook-Zelle
    found = app_mnist_folder([Path.cwd()] + ([Path(here).resolve().parent] if here else []))
    if found:
        return found
    print("MNIST-Dateien nicht gefunden – lade sie herunter …")
    paths = [keras.utils.get_file(name, origin=download_from + name, cache_subdir="datasets/mnist_idx")
             for name in MNIST_FILES]
    return Path(paths[0]).parent


'''

_OPTIONS = '''


parser = argparse.ArgumentParser(description="MNIST mit Keras: {title}")
parser.add_argument("--epochs", type=int, default={epochs}, help="Zahl der Epochen (Vorgabe: {epochs})")
parser.add_argument("--limit", type=int, default={limit},
                    help="nur die ersten N Trainingsziffern verwenden (Vorgabe: {limit})")
parser.add_argument("--data", help="Ordner mit den vier MNIST-Dateien")
parser.add_argument("--download-from", default="{url}",
                    help="Adresse, von der fehlende MNIST-Dateien geladen werden")
parser.add_argument("--seed", type=int, default={seed},
                    help="Zufallsstartwert (Vorgabe: der Wert, mit dem die App genau diese Einstellungen trainiert)")
args, _ = parser.parse_known_args()   # unbekannte Optionen (etwa die eines Jupyter-Kernels) stören nicht
if args.epochs < 1 or args.limit < {batch_size}:
    parser.error("--epochs muss mindestens 1 sein und --limit mindestens einen Batch ({batch_size}) umfassen.")

# --- Parameter
EPOCHS = args.epochs
'''

_DATA = '''
SEED = args.seed

MNIST_DIR = find_mnist(args.data, args.download_from)
training_images_file = str(MNIST_DIR / "{train_images}")
training_labels_file = str(MNIST_DIR / "{train_labels}")
validation_images_file = str(MNIST_DIR / "{test_images}")
validation_labels_file = str(MNIST_DIR / "{test_labels}")

keras.utils.set_random_seed(SEED)  # gleiche Startgewichte und gleiche Reihenfolge der Daten wie in der App

# --- tf.data: Dateien lesen, Datensätze vorbereiten

'''

_FOOTER = '''
# --- Vorhersagen: die ersten acht Testziffern
digits, labels = next(iter(validation_dataset))
probabilities = model.predict(digits[:8], verbose=0)  # Form [8, 10]
predicted_labels = np.argmax(probabilities, axis=1)   # Form [8]
print("erkannt:", *predicted_labels, "| richtig:", *np.argmax(labels[:8], axis=1))
'''


def file_name(spec: RunSpec, suffix: str = ".py") -> str:
    """A file name for the export: the preset's name if the model is one, else "mnist_modell"."""
    name = preset_for(spec)
    return f"{name or 'mnist_modell'}{suffix}"


def script(spec: RunSpec, filename: str = "mnist_modell.py", epochs: int | None = None,
           limit: int | None = None) -> str:
    """The complete Python script for ``spec``; defaults of its options: ``epochs``/``limit`` if given,
    else the spec's epochs and training digits, and the spec's seed."""
    from tutorial.deutsch import count, de
    epochs = epochs or spec.epochs
    limit = min(limit or spec.train_size, TRAIN_SIZE)
    header = _HEADER.format(
        title=title(spec), filename=filename, url=DOWNLOAD_URL, files=MNIST_FILES,
        val_size=de(spec.val_size), epochs_text=count(epochs, "Epoche", "Epochen"),
        train_text=count(limit, "Trainingsziffer", "Trainingsziffern"))
    options = _OPTIONS.format(title=title(spec), epochs=epochs, limit=limit, url=DOWNLOAD_URL,
                              seed=spec.train_seed, batch_size=spec.batch_size)
    data_part = _DATA.format(train_images=data.TRAIN_IMAGES, train_labels=data.TRAIN_LABELS,
                             test_images=data.TEST_IMAGES, test_labels=data.TEST_LABELS)
    body = [DECODE_CODE, "", "", LOAD_CODE, "", "", DATASETS_CODE, "", "",
            "# --- Modell", spec.model_code(), "", "model.summary()", "", MAKE_DATASETS_CODE, "",
            "# --- Trainieren und validieren", spec.fit_code(constants=False), "",
            "# --- Testen: die Testziffern, mit denen auch validiert wurde", TEST_CODE]
    return (header + FIND_CODE + _FIND + GERMAN_CODE + options + sizes_code(spec, "args.limit") + data_part
            + "\n".join(body) + "\n" + _FOOTER)
