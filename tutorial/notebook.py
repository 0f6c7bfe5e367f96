"""A model description as a Jupyter notebook (``.ipynb``), the stored codelab notebooks, and the trained
model as a file – the ways a learner carries on outside the app.

:func:`notebook` builds, with ``nbformat``, a notebook for a :class:`~tutorial.spec.RunSpec`: German
Markdown between the steps, a first code cell "Einstellungen" (``EPOCHS``, ``LIMIT``), the MNIST files
from the app's ``assets/mnist`` when the notebook runs inside the app's folder and otherwise written from
``keras.datasets.mnist`` (so it runs in a fresh Colab), the codelab's ``tf.data`` pipeline, the model,
training with its curves and a grid of predictions drawn by matplotlib, the test accuracy. Its code is
made of :mod:`tutorial.export`'s pieces – the script and the notebook share every line of model,
pipeline and test code. The notebook promises the codelab's result, not the app's exact numbers.

:func:`write_stored` writes the five codelab stages to ``notebooks/`` (executed: ``python -m tutorial
notebooks``); :func:`colab_url` gives their "In Colab öffnen" address for a public repository. This
module imports neither Streamlit nor TensorFlow at module level.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from tutorial import data, export, paths
from tutorial.choice import preset_for
from tutorial.spec import TRAIN_SIZE, RunSpec

NOTEBOOKS_DIR = paths.ROOT / "notebooks"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
SETTINGS_TAG = "einstellungen"      # the tag of the settings cell (tests and the full run set it)

_SETTINGS = '''\
# Einstellungen
EPOCHS = {epochs}  # Durchgänge durch die Trainingsziffern
LIMIT = {limit}  # nur die ersten LIMIT Trainingsziffern verwenden (höchstens {full}; kleiner = schneller)'''

_IMPORTS = "import gzip\nfrom pathlib import Path\n\nimport matplotlib.pyplot as plt\n"

_FROM_KERAS = '''\
def mnist_files_from_keras(folder):
    """Die vier MNIST-Dateien im Originalformat (gzip, IDX) aus keras.datasets.mnist schreiben."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in zip(MNIST_FILES, (x_train, y_train, x_test, y_test)):
        header = [2051, len(array), 28, 28] if array.ndim == 3 else [2049, len(array)]
        with gzip.open(folder / name, "wb") as file:
            file.write(np.array(header, dtype=">u4").tobytes() + array.astype(np.uint8).tobytes())
    return folder


MNIST_DIR = app_mnist_folder([Path.cwd()]) or mnist_files_from_keras(Path("mnist_daten"))
training_images_file = str(MNIST_DIR / "{train_images}")
training_labels_file = str(MNIST_DIR / "{train_labels}")
validation_images_file = str(MNIST_DIR / "{test_images}")
validation_labels_file = str(MNIST_DIR / "{test_labels}")'''

_CURVES = '''\
runs = range(1, len(history.history["loss"]) + 1)
figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5))
for axes, key, name in ((left, "loss", "Fehler (loss)"), (right, "accuracy", "Genauigkeit")):
    axes.plot(runs, history.history[key], "o-", color="{train}", label="Training")            # orange wie in der App
    axes.plot(runs, history.history["val_" + key], "o-", color="{validation}", label="Validierung")   # blau
    axes.set_title(name)
    axes.set_xlabel("Epoche")
    axes.legend()
plt.show()'''


def _curves() -> str:
    """The cell that draws the curves, in the app's colours (training orange, validation blue)."""
    from tutorial.charts.training import TRAIN_COLOR, VAL_COLOR
    return _CURVES.replace("{train}", TRAIN_COLOR).replace("{validation}", VAL_COLOR)


_GRID = '''\
truth = np.argmax(labels, axis=1)
order = np.argsort(predicted_labels == truth, kind="stable")[:40]   # falsch erkannte zuerst
figure, grid = plt.subplots(4, 10, figsize=(12, 5.5))
for axes, index in zip(grid.flat, order):
    axes.imshow(np.reshape(digits[index], (28, 28)), cmap="gray_r")
    wrong = predicted_labels[index] != truth[index]
    axes.set_title(str(predicted_labels[index]), color="red" if wrong else "black")
    axes.axis("off")
plt.show()'''

_INTRO = """\
# MNIST-Ziffern mit Keras: {title}

Dieses Notebook stammt aus der App »Deep Learning ohne Doktortitel«. Es enthält alles, was das Modell
braucht: die Daten, die Pipeline aus `tf.data`, das Modell selbst, das Training mit seinen Kurven und
am Ende die Genauigkeit auf den Testziffern. Führen Sie die Zellen der Reihe nach aus – in Google Colab
(»Laufzeit → Alle ausführen«) oder in Jupyter auf Ihrem Rechner (dort werden `tensorflow` und
`matplotlib` gebraucht; in Colab ist beides schon installiert).

Was Sie erwarten dürfen: das Ergebnis, das das Codelab für dieses Modell beschreibt. Die genauen Zahlen
der App wiederholt das Notebook nicht unbedingt – eine andere TensorFlow-Version, ein anderer Prozessor
oder eine Grafikkarte rechnen in anderer Reihenfolge und landen deshalb ein paar Zehntelprozent
daneben."""

_TEXTS = {
    "settings": """\
## Einstellungen

Zwei Zahlen bestimmen, wie lange das Training dauert: `EPOCHS` zählt die Durchgänge durch die
Trainingsdaten, `LIMIT` begrenzt, wie viele der {full} Trainingsziffern verwendet werden. Für einen
schnellen Probelauf setzen Sie etwa `EPOCHS = 1` und `LIMIT = 3000`.""",
    "imports": """\
## Bibliotheken

TensorFlow mit Keras rechnet, NumPy hält Zahlenfelder, matplotlib zeichnet Kurven und Ziffern.""",
    "sizes": """\
## Größen und Zufall

Die Batch-Größe, die Zahl der Trainings- und Testziffern und ein fester Zufallsstartwert: Mit ihm
beginnen die Gewichte bei jedem Lauf gleich, und die Daten werden gleich gemischt.""",
    "data": """\
## Die Daten

MNIST besteht aus vier gepackten Dateien: Bilder und Labels, je zum Trainieren und zum Testen. Liegt das
Notebook im Ordner der App, nimmt es die Dateien aus `assets/mnist`. Sonst lädt es die Ziffern über
`keras.datasets.mnist` (das braucht einmal Internet) und schreibt sie im selben Format in den Ordner
`mnist_daten` – so kann die Pipeline darunter in beiden Fällen dieselben Dateien lesen.""",
    "pipeline": """\
## Die Pipeline

`tf.data` liest die Dateien Datensatz für Datensatz, wandelt die Bytes in Zahlen um und stellt die
Batches zusammen: die Trainingsziffern gemischt und endlos wiederholt, die Testziffern der Reihe nach.""",
    "model": """\
## Das Modell

Die Schichten und der Optimierer – genau die Einstellungen, die Sie in der App gewählt haben.
`model.summary()` zählt die Parameter jeder Schicht.""",
    "fit": """\
## Training

`model.fit` trainiert Epoche für Epoche und prüft nach jeder Epoche an den Testziffern, wie gut das
Modell schon ist.""",
    "curves": """\
### Die Kurven

Links der Fehler, rechts die Genauigkeit, jeweils auf den Trainings- und den Testziffern. Laufen die
beiden Linien auseinander, lernt das Modell die Trainingsziffern auswendig.""",
    "test": """\
## Test

Die Genauigkeit auf den Testziffern – die Zahl, an der das Codelab jedes Modell misst.""",
    "grid": """\
## Vorhersagen ansehen

Ein Batch Testziffern mit dem, was das Modell darin erkennt. Falsch erkannte stehen vorn, ihre Zahl ist
rot.""",
}


def _code(text: str, tag: Optional[str] = None):
    import nbformat
    cell = nbformat.v4.new_code_cell(text)
    if tag:
        cell.metadata["tags"] = [tag]
    return cell


def _markdown(text: str):
    import nbformat
    return nbformat.v4.new_markdown_cell(text)


def settings_code(epochs: int, limit: int) -> str:
    """The first code cell: the two numbers a learner changes."""
    return _SETTINGS.format(epochs=int(epochs), limit=int(limit), full=TRAIN_SIZE)


def notebook(spec: RunSpec, epochs: Optional[int] = None, limit: Optional[int] = None):
    """The notebook (an ``nbformat`` node) for ``spec``; its settings cell holds ``epochs``/``limit``
    if given, else the spec's epochs and training digits."""
    import nbformat
    from tutorial.deutsch import de
    epochs = epochs or spec.epochs
    limit = min(limit or spec.train_size, TRAIN_SIZE)
    sizes = (export.sizes_code(spec, "LIMIT") + f"\nSEED = {spec.train_seed}\n\n"
             "keras.utils.set_random_seed(SEED)  # gleiche Startgewichte und gleiches Mischen bei jedem Lauf")
    files = (f"MNIST_FILES = {export.MNIST_FILES!r}\n\n\n" + export.FIND_CODE + "\n\n\n"
             + _FROM_KERAS.format(train_images=data.TRAIN_IMAGES, train_labels=data.TRAIN_LABELS,
                                  test_images=data.TEST_IMAGES, test_labels=data.TEST_LABELS))
    cells = [
        _markdown(_INTRO.format(title=export.title(spec))),
        _markdown(_TEXTS["settings"].format(full=de(TRAIN_SIZE))), _code(settings_code(epochs, limit), SETTINGS_TAG),
        _markdown(_TEXTS["imports"]), _code(_IMPORTS + export.IMPORTS_CODE),
        _markdown(_TEXTS["sizes"]), _code(sizes),
        _markdown(_TEXTS["data"]), _code(files),
        _markdown(_TEXTS["pipeline"]),
        _code("\n\n\n".join([export.DECODE_CODE, export.LOAD_CODE, export.DATASETS_CODE])
              + "\n\n\n" + export.MAKE_DATASETS_CODE),
        _markdown(_TEXTS["model"]), _code(spec.model_code() + "\n\nmodel.summary()"),
        _markdown(_TEXTS["fit"]), _code(spec.fit_code(constants=False)),
        _markdown(_TEXTS["curves"]), _code(_curves()),
        _markdown(_TEXTS["test"]), _code(export.GERMAN_CODE + "\n\n\n" + export.TEST_CODE),
        _markdown(_TEXTS["grid"]), _code(export.PREDICT_CODE + "\n\n" + _GRID),
    ]
    return nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": KERNEL, "language_info": {"name": "python"}})


def text(node) -> str:
    """A notebook node as the JSON text of an ``.ipynb`` file."""
    import nbformat
    return nbformat.writes(node) + "\n"


def with_settings(node, epochs: int, limit: int):
    """A copy of ``node`` whose settings cell holds ``epochs`` and ``limit``."""
    import copy
    node = copy.deepcopy(node)
    for cell in node.cells:
        if SETTINGS_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = settings_code(epochs, limit)
            return node
    raise ValueError("the notebook has no settings cell")


# --- the stored codelab notebooks ---------------------------------------------------------------------

def stored_path(name: str) -> Path:
    return NOTEBOOKS_DIR / f"{name}.ipynb"


def _tidy_outputs(node) -> None:
    """Keras' progress bar rewrites its line with carriage returns: keep only what a reader sees; the
    kernel's log lines on stderr (TensorFlow's start-up notes, with this machine's details) go."""
    for cell in node.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        merged = []
        for output in cell.get("outputs", []):
            if merged and output.get("output_type") == "stream" and merged[-1].get("output_type") == "stream":
                merged[-1]["text"] += output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged
        for output in merged:
            if output.get("output_type") == "stream":
                lines = output["text"].split("\n")
                output["text"] = "\n".join(line.rstrip("\r").rsplit("\r", 1)[-1] for line in lines)
                output["text"] = re.sub(r"\x1b\[[0-9;]*m|\x08", "", output["text"])
        cell.get("metadata", {}).pop("execution", None)


def execute(node, cwd: Path, timeout: Optional[int] = None):
    """Run every cell of ``node`` in a fresh Python kernel started in ``cwd`` (nbclient); returns it."""
    from nbclient import NotebookClient
    NotebookClient(node, timeout=timeout, kernel_name=KERNEL["name"],
                   resources={"metadata": {"path": str(cwd)}}).execute()
    _tidy_outputs(node)
    return node


_SHORT_NOTE = """\
> **Hinweis:** Die gespeicherten Ausgaben dieses Notebooks stammen aus einem verkürzten Lauf
> ({epochs} Epochen auf {limit} Trainingsziffern), nicht aus dem vollen Lauf des Codelabs. Mit den
> Einstellungen oben (alle Ziffern, alle Epochen) erreicht das Modell mehr."""


def write_stored(names=None, run: bool = True, epochs: Optional[int] = None, limit: Optional[int] = None,
                 folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Write the codelab stages' notebooks (default: all five) to ``folder``; ``run``: with the outputs
    of a run with the stored settings, or – ``epochs``/``limit`` given – of a shorter run (the notebook
    then says so; its settings cell keeps the full values)."""
    from tutorial.deutsch import de
    from tutorial.presets import NOTEBOOK_PRESETS, PRESETS
    folder.mkdir(parents=True, exist_ok=True)
    NOTEBOOKS_DIR.mkdir(exist_ok=True)      # the notebooks run there (they find ../assets/mnist)
    written = []
    for name in names or NOTEBOOK_PRESETS:
        spec = PRESETS[name]
        node = notebook(spec)
        if run:
            short = bool(epochs or limit)
            runnable = with_settings(node, epochs or spec.epochs, limit or spec.train_size) if short else node
            execute(runnable, NOTEBOOKS_DIR)
            for cell, done in zip(node.cells, runnable.cells):
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = done.outputs, done.execution_count
            if short:
                node.cells.insert(1, _markdown(_SHORT_NOTE.format(
                    epochs=de(epochs or spec.epochs), limit=de(limit or spec.train_size))))
        path = folder / f"{name}.ipynb"
        path.write_text(text(node), encoding="utf-8")
        written.append(path)
    return written


def colab_url(repository: Optional[str], name: str) -> Optional[str]:
    """The "In Colab öffnen" address of the stored notebook ``name`` in a public GitHub repository.

    ``repository``: "https://github.com/OWNER/REPO" (optionally ".../tree/BRANCH") or "OWNER/REPO";
    None or anything else: no address."""
    if not repository:
        return None
    match = re.fullmatch(r"(?:https?://)?(?:www\.)?(?:github\.com/)?([\w.-]+)/([\w.-]+?)(?:\.git)?"
                         r"(?:/tree/([\w./-]+?))?/?", repository.strip())
    if not match:
        return None
    owner, repo, branch = match[1], match[2], match[3] or "main"
    return f"https://colab.research.google.com/github/{owner}/{repo}/blob/{branch}/notebooks/{name}.ipynb"


def stored_name(spec: RunSpec) -> Optional[str]:
    """The stored notebook of ``spec``'s codelab stage, if ``spec`` is one."""
    from tutorial.presets import NOTEBOOK_PRESETS
    name = preset_for(spec)
    return name if name in NOTEBOOK_PRESETS else None


# --- the trained model as a file --------------------------------------------------------------------

LOAD_NOTE = ("So laden Sie das Modell wieder (Python mit TensorFlow, etwa in Colab): "
             "`import keras` und dann `model = keras.models.load_model(\"{name}\")`. "
             "Danach sagt `model.predict(bilder)` Ziffern voraus – Bilder als Zeilen mit 784 Grauwerten "
             "zwischen 0 und 1, so wie die Datenzellen des Notizbuchs sie vorbereiten (Kapitel 5).")


def model_bytes(model) -> bytes:
    """The Keras model as the bytes of a ``.keras`` file (imports Keras through the model)."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "modell.keras"
        model.save(path)
        return path.read_bytes()
