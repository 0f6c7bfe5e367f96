"""Code that runs as shown: the exported script trains like the app, and every code block of
chapters 5, 14 and 15 that claims to run is executed here on small data.

The page tests collect the code exactly as the pages show it (AppTest), not from the module the
pages take it from, so a page that shows something else is caught too.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tutorial import data, export
from tutorial import presets
from tutorial.chapters import by_number

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
ACCURACY = re.compile(r"Testgenauigkeit \(10\.000 Testziffern\): (\d+),(\d+) %")

# small data for the page code: 50 training steps of 128 digits, validation on the first 1,000 test digits
SMALL = {"EPOCHS": 1, "TRAIN_SIZE": 6400, "VALIDATION_SIZE": 1000}


def _run(args, cwd, timeout=300):
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow      # runs the exported script in a fresh Python
def test_exported_script_trains_like_the_app(tmp_path):
    """keras_02 written by the CLI, run with --epochs 1 --limit 3000 from inside the repo (it finds
    assets/mnist itself), prints the accuracy the app's own training of that spec reaches."""
    from tutorial.training import train
    script = tmp_path / "skript.py"
    out = _run(["-m", "tutorial", "export", "keras_02_mnist_dense", "-o", str(script)], ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    spec = presets.PRESETS["keras_02_mnist_dense"].with_(epochs=1, limit=3000)
    out = _run([str(script), "--epochs", "1", "--limit", "3000", "--seed", str(spec.train_seed)], ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    match = ACCURACY.search(out.stdout)
    assert match, out.stdout[-2000:]
    script_accuracy = float(f"{match[1]}.{match[2]}") / 100
    app_accuracy = train(spec).history["epochs"][-1]["val_accuracy"]   # the app validates on all 10,000
    assert 0.5 < app_accuracy < 0.99
    assert abs(script_accuracy - app_accuracy) <= 0.005, (script_accuracy, app_accuracy)


@pytest.mark.slow      # runs the exported script in a fresh Python
def test_script_outside_the_repo_names_missing_files_in_german(tmp_path):
    (tmp_path / "leer").mkdir()
    (tmp_path / "skript.py").write_text(export.script(presets.PRESETS["keras_01_mnist"]), encoding="utf-8")
    out = _run(["skript.py", "--data", "leer"], tmp_path, timeout=120)
    assert out.returncode != 0
    assert "fehlen die MNIST-Dateien: train-images-idx3-ubyte.gz" in out.stderr
    assert "Traceback" not in out.stderr
    out = _run(["skript.py", "--limit", "10"], tmp_path, timeout=120)
    assert out.returncode == 2 and "--limit mindestens einen Batch (128)" in out.stderr


@pytest.mark.slow      # runs the exported script in a fresh Python
def test_script_outside_the_repo_downloads_the_files(tmp_path):
    """The documented fallback: no assets/mnist around and no --data -> the four files are fetched
    once (here from a local server with --download-from) into ~/.keras/datasets/mnist_idx."""
    import functools
    import http.server
    import os
    import threading
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(data.MNIST_DIR))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "skript.py").write_text(export.script(presets.PRESETS["keras_01_mnist"]), encoding="utf-8")
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        out = subprocess.run([sys.executable, "skript.py", "--epochs", "1", "--limit", "1280", "--download-from", url],
                             cwd=tmp_path, capture_output=True, text=True, timeout=300,
                             env=dict(os.environ, HOME=str(tmp_path), KERAS_HOME=str(tmp_path / ".keras")))
    finally:
        server.shutdown()
        server.server_close()
    assert out.returncode == 0, out.stderr[-2000:]
    assert "MNIST-Dateien nicht gefunden – lade sie herunter" in out.stdout and ACCURACY.search(out.stdout)
    stored = tmp_path / ".keras" / "datasets" / "mnist_idx"
    assert sorted(p.name for p in stored.iterdir()) == sorted(export.MNIST_FILES)


def test_script_defaults_are_the_apps_settings():
    quick = presets.PRESETS["keras_05_mnist_batch_norm"].quick()
    text = export.script(quick)
    assert "Faltungsnetz mit Batch-Normalisierung (keras_05)" in text
    assert "default=3," in text and "default=6000," in text and f"default={quick.train_seed}," in text
    assert "BATCH_SIZE = 64" in text and quick.model_code() in text and quick.fit_code(constants=False) in text
    assert "eigenes Modell" in export.script(quick.with_(batch_size=32))
    compile(text, "<script>", "exec")


def _learner_namespace() -> dict:
    namespace: dict = {}
    for cell in (export.IMPORTS_CODE, export.DECODE_CODE, export.LOAD_CODE, export.DATASETS_CODE):
        exec(compile(cell, "<cell>", "exec"), namespace)
    return namespace


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_learner_pipeline_gives_the_apps_batches():
    """The pipeline chapter 5 shows yields the very batches tutorial.data feeds the app's training."""
    import tensorflow as tf
    ns = _learner_namespace()
    files = [str(data.MNIST_DIR / name) for name in export.MNIST_FILES]
    tf.random.set_seed(11)
    mine = ns["get_training_dataset"](files[0], files[1], 128, 3000, seed=11)
    mine_val = ns["get_validation_dataset"](files[2], files[3], 1000, 1500)
    tf.random.set_seed(11)
    app = data.training_dataset(128, limit=3000, seed=11)
    app_val = data.validation_dataset(1000, limit=1500)
    for (x1, y1), (x2, y2) in zip(mine.take(30), app.take(30)):   # 30 batches: into the second epoch
        np.testing.assert_array_equal(x1.numpy(), x2.numpy())
        np.testing.assert_array_equal(y1.numpy(), y2.numpy())
    sizes = []
    for (x1, y1), (x2, y2) in zip(mine_val.take(3), app_val.take(3)):
        np.testing.assert_array_equal(x1.numpy(), x2.numpy())
        np.testing.assert_array_equal(y1.numpy(), y2.numpy())
        sizes.append(len(x1))
    assert sizes == [1000, 500, 1000]   # 1,500 digits, then the repeat starts again


def _page(number: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / by_number(number).file), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown_code(at: AppTest) -> list[str]:
    """The code blocks a learner reads. "So macht es diese App" explains the app's own way in German
    and shows none of its source; the optional deeper parts add no code, so the page's code is the
    same (and runs the same) with every "Vertiefung" switched on."""
    how = [e for e in at.expander if e.label == "So macht es diese App"]
    assert how and not any(e.code for e in how), "the app's own way is explained in German, without source"
    shown = [c.value for c in at.code]
    for toggle in at.toggle:
        if toggle.label.startswith("Vertiefung: "):
            toggle.set_value(True)
    at.run()
    assert not at.exception and [c.value for c in at.code] == shown
    return shown


@pytest.fixture(scope="module")
def chapter5():
    """Chapter 5's code blocks run one after the other on small data; returns the namespace."""
    at = _page(5)
    cells = _shown_code(at)
    model = presets.PRESETS["keras_01_mnist"]
    assert model.model_code() in cells and "verified_path" not in "\n".join(cells)
    assert at.download_button(key="ch05_script").proto.label == "Als Python-Skript herunterladen"
    namespace: dict = {}
    for cell in cells:
        exec(compile(cell, "<chapter 5>", "exec"), namespace)
        if "EPOCHS" in namespace and namespace["EPOCHS"] != SMALL["EPOCHS"]:
            assert namespace["TRAIN_SIZE"] == 60000 and namespace["VALIDATION_SIZE"] == 10000
            namespace.update(SMALL)     # right after the parameter cell: small data
    return namespace


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter5_code_runs_as_shown(chapter5):
    history = chapter5["history"].history
    assert len(history["val_accuracy"]) == 1 and history["val_accuracy"][0] > 0.2   # twice chance
    assert chapter5["model"].count_params() == 7850
    assert chapter5["predicted_labels"].shape == (1000,)
    assert chapter5["probabilities"].shape == (1000, 10)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter15_keras_in_a_few_lines_runs(chapter5):
    at = _page(15)
    blocks = [m for md in at.markdown for m in re.findall(r"```python\n(.*?)```", md.value, re.S)]
    assert len(blocks) == 1
    namespace = dict(chapter5)
    exec(compile(blocks[0], "<chapter 15>", "exec"), namespace)
    assert len(namespace["history"].history["val_accuracy"]) == 1
    assert namespace["probabilities"].shape == (1000, 10)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter14_strategy_code_runs(chapter5):
    at = _page(14)
    radio = at.radio(key="ch14_strategy")
    codes = {}
    for option in radio.options:
        at.radio(key="ch14_strategy").set_value(option).run()
        codes[option] = at.code[0].value
    mirrored = next(code for option, code in codes.items() if option.startswith("MirroredStrategy"))
    namespace = dict(chapter5)         # chapter 5's names; build_model is defined in the example itself
    exec(compile(mirrored, "<chapter 14>", "exec"), namespace)
    assert namespace["model"].history.history["val_accuracy"]
    # the TPU and multi-machine examples need that hardware (the page says so): valid Python only
    for option, code in codes.items():
        compile(code, f"<{option}>", "exec")
    assert len(codes) == 3


def test_every_exercise_offers_its_script():
    """The exercise panel offers the script for the learner's current settings (here: chapter 7's
    defaults, which are the sigmoid exercise of chapter 6)."""
    chapter = by_number(7)
    at = _page(7)
    button = at.download_button(key=f"{chapter.key}_script")
    assert button.proto.label == "Als Python-Skript herunterladen" and button.proto.url.endswith(".py")
    names = [name for name in presets.PRESETS if f"python {name}.py " in button.proto.help]
    assert names == ["ex_06_sigmoid"]
    assert export.file_name(presets.PRESETS["ex_06_sigmoid"].quick()) == "ex_06_sigmoid.py"
    assert export.file_name(presets.PRESETS["ex_06_sigmoid"].with_(batch_size=32)) == "mnist_modell.py"


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_code_anzeigen_runs_and_schedules_like_the_app(chapter5):
    """The exercise panel's "Code anzeigen" listing, run on chapter 5's datasets: it trains, and its
    learning-rate schedule is the app's (``RunSpec.lr_at``)."""
    spec = presets.PRESETS["ex_08_lr_decay"].with_(epochs=2, limit=1280, val_limit=1000)
    namespace = dict(chapter5)
    exec(compile(spec.to_code(), "<Code anzeigen>", "exec"), namespace)
    assert namespace["TRAIN_SIZE"] == 1280 and namespace["steps_per_epoch"] == 10
    assert namespace["validation_steps"] == 1 and namespace["EPOCHS"] == 2
    assert len(namespace["history"].history["val_accuracy"]) == 2
    assert float(namespace["model"].optimizer.learning_rate) == pytest.approx(spec.lr_at(1))


INJECTION = 'relu")\nimport os; os.system("echo hacked") #\'\n'


def test_a_forged_string_stays_one_string_in_the_exported_script():
    """A string value with quotes and line breaks (e.g. forged in saved progress) is quoted, never code."""
    import ast

    from tutorial import layers as L
    from tutorial import spec as S
    clean = S.RunSpec(layers=(L.Flatten(), L.Dense(200, activation="relu"), L.Dense(10, activation="softmax")))
    forged = S.RunSpec(layers=(L.Flatten(), L.Dense(200, activation=INJECTION), L.Dense(10, activation="softmax")))
    trees = {name: ast.parse(export.script(spec)) for name, spec in (("clean", clean), ("forged", forged))}

    def shape(tree):          # every statement and call, strings left out
        return [type(node).__name__ for node in ast.walk(tree) if isinstance(node, (ast.stmt, ast.Call))]

    assert shape(trees["forged"]) == shape(trees["clean"])           # no statement or call was added
    strings = [n.value for n in ast.walk(trees["forged"]) if isinstance(n, ast.Constant)]
    assert INJECTION in strings                                      # the whole value, as one string
    assert '"relu"' in export.script(clean)                          # plain values keep Keras' style
