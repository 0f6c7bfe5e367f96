"""Carrying on outside the app: the notebook export (tutorial.notebook), the stored codelab notebooks in
notebooks/, the script in a Jupyter kernel, chapter 14's and 15's code in a kernel, the model file, the
Colab address and the CPU limit from cgroup v1 and v2 (the app's buttons: tests/test_app_notebook.py).

The kernel tests run notebooks with nbclient on small data (``EPOCHS = 1``, ``LIMIT`` a few batches):
the keras.datasets fallback offline, every exercise preset's exported notebook, the five stored notebooks,
chapters 5, 14 and 15's code and the pasted script, all in one kernel (``%reset -f`` between them).
"""
from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tutorial import data, export, notebook, settings
from tutorial.chapters import by_number
from tutorial.presets import NOTEBOOK_PRESETS, PRESETS

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parent.parent
ACCURACY = re.compile(r"Testgenauigkeit \((\d+\.)?\d+ Testziffern\): (\d+),(\d+) %")
SMALL = {"epochs": 1, "limit": 640}


def _code_cells(node) -> list[str]:
    return [cell.source for cell in node.cells if cell.cell_type == "code"]


def _printed(cells) -> str:
    return "".join(o.get("text", "") for cell in cells if cell.cell_type == "code" for o in cell.outputs
                   if o.get("output_type") == "stream")


# --- the notebook's content (no kernel) ------------------------------------------------------------

def test_notebook_is_made_of_the_scripts_pieces():
    spec = PRESETS["ex_08_lr_decay"]
    node = notebook.notebook(spec, epochs=2, limit=3000)
    nbformat.validate(node)
    cells = _code_cells(node)
    assert cells[0] == notebook.settings_code(2, 3000) and "EPOCHS = 2" in cells[0] and "LIMIT = 3000" in cells[0]
    assert node.cells[0].cell_type == "markdown" and "nicht unbedingt" in node.cells[0].source
    joined = "\n".join(cells)
    for piece in (export.IMPORTS_CODE, export.DECODE_CODE, export.LOAD_CODE, export.DATASETS_CODE,
                  export.MAKE_DATASETS_CODE, export.FIND_CODE, export.TEST_CODE, export.PREDICT_CODE,
                  spec.model_code(), spec.fit_code(constants=False), export.sizes_code(spec, "LIMIT")):
        assert piece in joined
    assert "__file__" not in joined and "keras.datasets.mnist.load_data()" in joined
    assert "plt.show()" in joined
    # defaults: the spec's own epochs and training digits (here a quick run)
    quick = notebook.notebook(spec.quick())
    assert _code_cells(quick)[0] == notebook.settings_code(3, 6000)


def test_notebook_curves_use_the_apps_colours():
    """One colour per meaning, also in the notebook: training orange, validation blue, as in the app."""
    from tutorial.charts.training import TRAIN_COLOR, VAL_COLOR
    code = "\n".join(_code_cells(notebook.notebook(PRESETS["keras_01_mnist"])))
    assert f'color="{TRAIN_COLOR}", label="Training"' in code
    assert f'color="{VAL_COLOR}", label="Validierung"' in code


def test_cli_writes_notebook_and_script_with_the_settings(tmp_path):
    from tutorial.__main__ import main
    main(["export", "ex_07_relu", "-o", str(tmp_path / "n.ipynb"), "--epochs", "2", "--limit", "3000"])
    written = nbformat.reads((tmp_path / "n.ipynb").read_text(encoding="utf-8"), as_version=4)
    assert _code_cells(written) == _code_cells(notebook.notebook(PRESETS["ex_07_relu"], epochs=2, limit=3000))
    main(["export", "ex_07_relu", "-o", str(tmp_path / "s.py"), "--epochs", "2", "--limit", "3000"])
    script = (tmp_path / "s.py").read_text(encoding="utf-8")
    assert "default=2," in script and "default=3000," in script and "parse_known_args()" in script
    assert "Path(__file__)" not in script and 'globals().get("__file__")' in script
    compile(script, "s.py", "exec")
    with pytest.raises(SystemExit):
        main(["export", "ex_07_relu", "-o", str(tmp_path / "x.py"), "--epochs", "0"])


def test_with_settings_changes_only_the_settings_cell():
    node = notebook.notebook(PRESETS["keras_01_mnist"])
    small = notebook.with_settings(node, 1, 640)
    assert _code_cells(small)[0] == notebook.settings_code(1, 640)
    assert _code_cells(small)[1:] == _code_cells(node)[1:] and _code_cells(node)[0] == notebook.settings_code(10, 60000)


def test_stored_notebooks_are_current():
    """notebooks/ holds the five codelab stages as `python -m tutorial notebooks` writes them: a change
    to the export's code (or texts) without regenerating them fails here."""
    assert sorted(p.stem for p in notebook.NOTEBOOKS_DIR.glob("*.ipynb")) == sorted(NOTEBOOK_PRESETS)
    for name in NOTEBOOK_PRESETS:
        stored = nbformat.reads(notebook.stored_path(name).read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(stored)
        fresh = notebook.notebook(PRESETS[name])
        assert _code_cells(stored) == _code_cells(fresh), f"{name}: run `python -m tutorial notebooks`"
        texts = [c.source for c in stored.cells if c.cell_type == "markdown" and not c.source.startswith("> **Hinweis")]
        assert texts == [c.source for c in fresh.cells if c.cell_type == "markdown"], name
        assert ACCURACY.search(_printed(stored.cells)), f"{name}: stored without the outputs of a run"


@pytest.mark.parametrize("given, expected", [
    ("https://github.com/acme/mnist-kurs", "acme/mnist-kurs/blob/main"),
    ("https://github.com/acme/mnist-kurs.git", "acme/mnist-kurs/blob/main"),
    ("github.com/acme/mnist-kurs/tree/workshop", "acme/mnist-kurs/blob/workshop"),
    ("acme/mnist-kurs", "acme/mnist-kurs/blob/main"),
    ("", None), (None, None), ("https://example.org/x y", None),
])
def test_colab_url(given, expected):
    url = notebook.colab_url(given, "keras_02_mnist_dense")
    if expected is None:
        assert url is None
    else:
        assert url == f"https://colab.research.google.com/github/{expected}/notebooks/keras_02_mnist_dense.ipynb"


def test_stored_name_only_for_codelab_stages():
    assert notebook.stored_name(PRESETS["keras_03_mnist_dense_lrdecay_dropout"].quick()) == \
        "keras_03_mnist_dense_lrdecay_dropout"
    assert notebook.stored_name(PRESETS["ex_06_sigmoid"]) is None
    assert notebook.stored_name(PRESETS["keras_01_mnist"].with_(batch_size=32)) is None


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_model_file_loads_again(tmp_path):
    import keras
    from tutorial import pretrained
    name = sorted(pretrained.available())[0]
    model = pretrained.load_model(name)
    blob = notebook.model_bytes(model)
    assert blob[:2] == b"PK"                       # a .keras file is a zip archive
    (tmp_path / "modell.keras").write_bytes(blob)
    again = keras.models.load_model(tmp_path / "modell.keras")      # as the note under the button says
    digits = np.random.default_rng(0).random((4, 784), dtype=np.float32)
    np.testing.assert_allclose(again.predict(digits, verbose=0), model.predict(digits, verbose=0), rtol=1e-5)


@pytest.mark.parametrize("files, expected", [
    ({"cpu.max": "max 100000"}, None),
    ({"cpu.max": "250000 100000"}, 2),
    ({"cpu.max": "50000 100000"}, 1),
    ({"cpu.cfs_quota_us": "-1", "cpu.cfs_period_us": "100000"}, None),
    ({"cpu.cfs_quota_us": "300000", "cpu.cfs_period_us": "100000"}, 3),
    ({"cpu.cfs_quota_us": "200000"}, 2),             # period missing: the kernel's default 100 ms
    ({"cpu.max": "kaputt"}, None),
])
def test_cpu_quota_from_cgroup_v1_and_v2(tmp_path, files, expected):
    for name, content in files.items():
        (tmp_path / name).write_text(content + "\n")
    places = [str(tmp_path / name) for name in ("cpu.max", "cpu.cfs_quota_us")]
    assert settings.cpu_quota(places) == expected


# --- in a Jupyter kernel -------------------------------------------------------------------------

def _small(node):
    """``node`` on small data: the settings cell at ``SMALL``, and 1.000 test digits instead of 10.000
    (validating 10.000 digits twice per notebook was a third of this file's CPU time)."""
    node = notebook.with_settings(node, SMALL["epochs"], SMALL["limit"])
    changed = 0
    for cell in node.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.source, n = re.subn(r"^VALIDATION_SIZE = \d+", "VALIDATION_SIZE = 1000", cell.source, flags=re.M)
            changed += n
    assert changed == 1, "the notebook's sizes cell changed: update _small"
    return node


RESET = "%reset -f   # test: the next part starts with an empty namespace (a name it misses fails)"


def _mnist_npz(path: Path) -> None:
    """mnist.npz as keras.datasets.mnist stores it, built from the app's four files."""
    def read(name, header):
        with gzip.open(data.MNIST_DIR / name, "rb") as file:
            return np.frombuffer(file.read()[header:], dtype=np.uint8)
    arrays = {"x_train": read(data.TRAIN_IMAGES, 16).reshape(-1, 28, 28), "y_train": read(data.TRAIN_LABELS, 8),
              "x_test": read(data.TEST_IMAGES, 16).reshape(-1, 28, 28), "y_test": read(data.TEST_LABELS, 8)}
    path.parent.mkdir(parents=True)
    np.savez(path, **arrays)


_OFFLINE = '''\
# test harness: no network, and the local mnist.npz counts as the published file (its hash differs)
import socket

def _refuse(*args, **kwargs):
    raise OSError("offline test: no network")

socket.socket.connect = _refuse
socket.create_connection = _refuse
import keras.src.utils.file_utils as _file_utils
_file_utils.validate_file = lambda *args, **kwargs: True
'''


@pytest.mark.slow      # starts a Jupyter kernel
def test_every_notebook_and_every_runnable_block_runs_in_a_kernel(tmp_path, monkeypatch):
    """In one kernel (one start of TensorFlow instead of four), one after the other, each part after
    ``%reset -f`` so that no part lives on names of another:

    * first, as in a fresh Colab: no assets/mnist anywhere above the working folder, no network -> the
      notebook of ``keras_01_mnist`` takes the digits from keras.datasets.mnist (here a local mnist.npz
      in KERAS_HOME) and writes the four files in the original format, which the codelab's pipeline reads;
    * then, in notebooks/, the exported notebook of every preset that has no stored notebook, and the five
      stored notebooks, each on 640 digits for one epoch and 1.000 test digits – each prints its test
      accuracy (not yet a good one);
    * chapter 5's cells as the page shows them (on small data), then chapter 14's runnable strategy
      example and chapter 15's summary code: no name they use is missing;
    * the .py export (`--epochs 1 --limit 640`) pasted into one cell: the kernel's `-f …` arguments in
      sys.argv and no __file__ do not stop it."""
    keras_home = tmp_path / "keras"
    _mnist_npz(keras_home / "datasets" / "mnist.npz")
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-offline.py").write_text(_OFFLINE, encoding="utf-8")
    colab = tmp_path / "colab"
    colab.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(keras_home))          # read when keras is imported: the first part
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))

    parts = [("offline", _small(notebook.notebook(PRESETS["keras_01_mnist"])))]
    parts += [(name, _small(notebook.notebook(PRESETS[name]))) for name in PRESETS if name not in NOTEBOOK_PRESETS]
    parts += [(name, _small(nbformat.reads(notebook.stored_path(name).read_text(encoding="utf-8"), as_version=4)))
              for name in NOTEBOOK_PRESETS]
    parts.append(("Kapitel 5, 14 und 15", _chapters_5_14_15()))
    script, n = re.subn(r"^VALIDATION_SIZE = \d+", "VALIDATION_SIZE = 1000",
                        export.script(PRESETS["ex_07_relu"], "skript.py", 1, 640), flags=re.M)
    assert n == 1, "the script's sizes changed: update this test"
    parts.append(("das Skript in einer Zelle", nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(script)])))
    combined = nbformat.v4.new_notebook(metadata={"kernelspec": notebook.KERNEL})
    bounds = []
    for name, node in parts:
        combined.cells.append(nbformat.v4.new_code_cell(RESET))
        if name != "offline":
            # the page's cells and the script read assets/ in the repo, the notebooks ../assets from notebooks/
            folder = ROOT if name in ("Kapitel 5, 14 und 15", "das Skript in einer Zelle") else notebook.NOTEBOOKS_DIR
            combined.cells.append(nbformat.v4.new_code_cell(f"import os; os.chdir({str(folder)!r})"))
        start = len(combined.cells)
        combined.cells.extend(node.cells)
        bounds.append((name, start, len(combined.cells)))
    notebook.execute(combined, colab, timeout=900)

    name, start, end = bounds[0]
    assert ACCURACY.search(_printed(combined.cells[start:end])), _printed(combined.cells[start:end])[-2000:]
    for file in export.MNIST_FILES:
        with gzip.open(colab / "mnist_daten" / file) as mine, gzip.open(data.MNIST_DIR / file) as original:
            assert mine.read() == original.read(), file
    for name, start, end in bounds[1:-2]:
        assert ACCURACY.search(_printed(combined.cells[start:end])), f"{name}: no test accuracy printed"
    assert len(bounds) - 3 == len(PRESETS)
    name, start, end = bounds[-2]
    assert "Kapitel 14 und 15: gelaufen" in _printed(combined.cells[start:end])
    name, start, end = bounds[-1]
    assert ACCURACY.search(_printed(combined.cells[start:end])), _printed(combined.cells[start:end])[-2000:]


@pytest.mark.slow      # starts fresh Pythons
def test_exported_script_runs_in_ipython(tmp_path):
    """The .py export with small defaults (`--epochs 1 --limit 640`) executed inside IPython (no
    __file__, IPython's own argv) prints the test accuracy. (Run with python: tests/test_export.py;
    pasted into a Jupyter cell: in the one-kernel test above.)"""
    script = tmp_path / "skript.py"
    out = subprocess.run([sys.executable, "-m", "tutorial", "export", "ex_07_relu", "-o", str(script),
                          "--epochs", "1", "--limit", "640"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    pasted = f"exec(compile(open({str(script)!r}, encoding='utf-8').read(), 'eingefügt', 'exec'))"
    out = subprocess.run([sys.executable, "-m", "IPython", "--no-banner", "--colors=NoColor", "-c", pasted],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and ACCURACY.search(out.stdout), (out.stdout + out.stderr)[-2000:]


def _chapter5_cells() -> list[str]:
    at = AppTest.from_file(str(ROOT / by_number(5).file), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    internals = {c.value for e in at.expander for c in e.code}
    return [c.value for c in at.code if c.value not in internals]


def _chapters_5_14_15():
    """Chapter 5's cells as the page shows them (on small data), then chapter 14's runnable strategy
    example and chapter 15's summary code, as one notebook."""
    at = AppTest.from_file(str(ROOT / by_number(14).file), default_timeout=60).run()
    options = at.radio(key="ch14_strategy").options
    mirrored = next(o for o in options if o.startswith("MirroredStrategy"))
    at.radio(key="ch14_strategy").set_value(mirrored).run()
    chapter14 = at.code[0].value
    at = AppTest.from_file(str(ROOT / by_number(15).file), default_timeout=60).run()
    chapter15 = [m for md in at.markdown for m in re.findall(r"```python\n(.*?)```", md.value, re.S)]
    assert len(chapter15) == 1
    cells = _chapter5_cells()
    first = next(i for i, c in enumerate(cells) if "EPOCHS =" in c)
    cells.insert(first + 1, "EPOCHS, TRAIN_SIZE, VALIDATION_SIZE = 1, 6400, 1000   # test: small data")
    cells += [chapter14, "assert model.history.history['val_accuracy']", chapter15[0],
              "assert probabilities.shape == (1000, 10); print('Kapitel 14 und 15: gelaufen')"]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
