"""AppTest checks of the UI helper's chapter pages: they run, their widgets exist, the code toggle
shows code that compiles, the solution button sets the widgets, and page-specific behaviour."""
from dataclasses import dataclass, field

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tutorial import pretrained
from tutorial.chapters import chapter

TIMEOUT = 60


@dataclass
class Exercise:
    page: str
    key: str
    preset: str                     # the solution's preset
    widgets: dict                   # widget key -> element type
    solution: dict                  # widget key -> solution value
    code_snippet: str               # appears in the generated code once the solution is applied
    changes: dict = field(default_factory=dict)   # a non-solution choice: key -> value


EXERCISES = [
    Exercise("06_mehr_schichten", "ch06", "ex_06_sigmoid",
             {"ch06_hidden": "slider", "ch06_activation": "radio"},
             {"ch06_hidden": 2, "ch06_units_0": 200, "ch06_units_1": 60, "ch06_activation": "sigmoid"},
             'keras.layers.Dense(60, activation="sigmoid")'),
    Exercise("07_tiefe_netze", "ch07", "keras_02_mnist_dense",
             {"ch07_activation": "radio", "ch07_optimizer": "radio"},
             {"ch07_activation": "relu", "ch07_optimizer": "adam"}, 'optimizer="adam"'),
    Exercise("08_lernrate", "ch08", "ex_08_lr_decay",
             {"ch08_lr": "select_slider", "ch08_decay_on": "toggle", "ch08_decay": "select_slider"},
             {"ch08_lr": 0.01, "ch08_decay_on": True, "ch08_decay": 0.6}, "return 0.01 * 0.6**epoch"),
    Exercise("09_dropout", "ch09", "keras_03_mnist_dense_lrdecay_dropout",
             {"ch09_hidden": "slider", "ch09_units_0": "select_slider", "ch09_dropout_0": "select_slider"},
             {"ch09_hidden": 3, "ch09_units_0": 200, "ch09_units_1": 100, "ch09_units_2": 60,
              "ch09_dropout_0": 0.25, "ch09_dropout_1": 0.25, "ch09_dropout_2": 0.25},
             "keras.layers.Dropout(0.25)"),
    Exercise("11_faltungsnetz", "ch11", "ex_11_conv_no_dropout",
             {"ch11_conv": "slider", "ch11_padding": "radio", "ch11_filters_0": "number_input",
              "ch11_kernel_0": "number_input", "ch11_stride_0": "radio"},
             {"ch11_conv": 3, "ch11_kernel_1": 6, "ch11_stride_1": 2, "ch11_kernel_2": 6, "ch11_stride_2": 2},
             'keras.layers.Conv2D(filters=32, kernel_size=6, padding="same", strides=2, activation="relu")'),
    Exercise("12_nochmal_dropout", "ch12", "keras_04_mnist_convolutional",
             {"ch12_dropout": "select_slider"}, {"ch12_dropout": 0.4}, "keras.layers.Dropout(0.4)"),
    Exercise("13_batch_norm", "ch13", "keras_05_mnist_batch_norm",
             {"ch13_bn_0": "toggle", "ch13_bn_3": "toggle", "ch13_center": "checkbox", "ch13_scale": "checkbox",
              "ch13_batch": "select_slider", "ch13_decay": "select_slider", "ch13_dropout": "select_slider"},
             {"ch13_bn_0": True, "ch13_bn_1": True, "ch13_bn_2": True, "ch13_bn_3": True, "ch13_batch": 64,
              "ch13_decay": 0.666, "ch13_dropout": 0.3},
             "keras.layers.BatchNormalization(center=True, scale=False)"),
]


def page(name: str) -> AppTest:
    at = AppTest.from_file("../" + chapter(name).file, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def widget(at: AppTest, kind: str, key: str):
    return getattr(at, kind)(key=key)


def keras_code(at: AppTest) -> str:
    blocks = [c.value for c in at.code if c.value.startswith("import keras")]
    assert len(blocks) == 1, "the code toggle shows exactly one full Keras program"
    return blocks[0]


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.page)
def test_exercise_page(ex: Exercise):
    at = page(ex.page)
    for key, kind in ex.widgets.items():
        widget(at, kind, key)  # raises KeyError if missing
    for key in (f"{ex.key}_epochs", f"{ex.key}_train", f"{ex.key}_pretrained", f"{ex.key}_solution"):
        assert key in [w.key for w in at.number_input] + [b.key for b in at.button]
    assert at.toggle(key=f"{ex.key}_quick").value is False

    # the starting point is not the solution, so the check names the differences
    assert not any("entspricht der Lösung" in s.value for s in at.success)
    assert any("Vergleich mit der Lösung" in i.value for i in at.info)

    # the code toggle shows the generated Keras code of the current choice
    assert not [c for c in at.code if c.value.startswith("import keras")]
    at.toggle(key=f"{ex.key}_code").set_value(True).run()
    code = keras_code(at)
    compile(code, "<code toggle>", "exec")
    assert ex.code_snippet not in code

    # the solution button sets every widget to the notebook's solution
    at.button(key=f"{ex.key}_solution").click().run()
    assert not at.exception
    for key, value in ex.solution.items():
        assert at.session_state[key] == value, key
    for key, kind in ex.widgets.items():
        assert widget(at, kind, key).value == ex.solution.get(key, widget(at, kind, key).value)
    assert any("entspricht der Lösung" in s.value for s in at.success)
    code = keras_code(at)
    compile(code, "<code toggle>", "exec")
    assert ex.code_snippet in code
    # the solution equals a pretrained preset: the button is enabled exactly when its files exist
    assert at.button(key=f"{ex.key}_pretrained").disabled == (ex.preset not in pretrained.available())


def test_chapter_7_code_changes_with_the_choice():
    at = page("07_tiefe_netze")
    at.toggle(key="ch07_code").set_value(True).run()
    assert 'activation="sigmoid"' in keras_code(at) and 'optimizer="sgd"' in keras_code(at)
    at.radio(key="ch07_activation").set_value("relu").run()
    assert 'Dense(200, activation="relu")' in keras_code(at) and 'optimizer="sgd"' in keras_code(at)


def lr_values(at: AppTest) -> list[float]:
    chart = at.get("vega_lite_chart")[0]
    frames = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas() for ds in chart.proto.datasets]
    frame = max(frames, key=len)
    return [round(v, 8) for v in frame.sort_values("epoch")["lr"]]


def test_chapter_8_lr_plot_follows_the_sliders():
    at = page("08_lernrate")
    assert lr_values(at)[:10] == [0.001] * 10
    at.select_slider(key="ch08_lr").set_value(0.01).run()
    assert lr_values(at)[:10] == [0.01] * 10
    at.toggle(key="ch08_decay_on").set_value(True).run()
    assert lr_values(at)[:3] == [0.01, 0.006, 0.0036]
    at.select_slider(key="ch08_decay").set_value(0.5).run()
    assert lr_values(at)[:3] == [0.01, 0.005, 0.0025]


def test_chapter_11_shows_shapes_and_refuses_impossible_stacks():
    at = page("11_faltungsnetz")
    shapes = list(at.dataframe[0].value["Ausgabeform"])
    assert shapes[:5] == ["(None, 784)", "(None, 28, 28, 1)", "(None, 28, 28, 12)", "(None, 28, 28, 24)",
                          "(None, 28, 28, 32)"]
    at.radio(key="ch11_stride_1").set_value(2).run()
    at.number_input(key="ch11_kernel_1").set_value(6).run()
    assert "(None, 14, 14, 24)" in list(at.dataframe[0].value["Ausgabeform"])
    # valid padding, large kernels and strides shrink the image below one pixel
    at.radio(key="ch11_padding").set_value("valid").run()
    for i in range(3):
        at.number_input(key=f"ch11_kernel_{i}").set_value(9).run()
        at.radio(key=f"ch11_stride_{i}").set_value(3).run()
    assert not at.exception
    assert any("lässt sich so nicht bauen" in e.value for e in at.error)
    assert at.get("button") and all(b.key != "ch11_train" for b in at.button)


def test_chapter_13_bias_rule_and_parameter_count():
    at = page("13_batch_norm")
    at.button(key="ch13_solution").click().run()
    at.toggle(key="ch13_code").set_value(True).run()
    code = keras_code(at)
    assert code.count("use_bias=False") == 4 and code.count("BatchNormalization") == 4
    assert any("354.538 Parameter" in c.value for c in at.caption)


def test_chapter_3_shows_labelled_digits_and_the_first_model():
    at = page("03_erstes_netz")
    captions = [img.proto.imgs[0].caption for img in at.get("image")]
    assert captions == ["Trainingsziffern mit Beschriftung", "Validierungsziffern mit Beschriftung"]
    assert at.get("image")[0].proto.imgs[0].url.endswith(".png")
    at.toggle(key="ch03_code").set_value(True).run()
    code = keras_code(at)
    compile(code, "<code toggle>", "exec")
    assert 'keras.layers.Dense(10, activation="softmax")' in code and "steps_per_epoch = 60000 // BATCH_SIZE" in code
    assert at.button(key="ch03_pretrained").disabled == ("keras_01_mnist" not in pretrained.available())


def test_chapter_5_code_cells_compile_and_argmax_demo():
    at = page("05_der_code")
    assert len(at.code) >= 7
    for block in at.code:
        if not block.value.strip().startswith("keras."):  # fragments of a layer list
            compile(block.value, "<chapter 5>", "exec")
    assert any("FixedLengthRecordDataset" in c.value for c in at.code)
    assert any("steps_per_epoch = 60000 // BATCH_SIZE  # = 468" in c.value for c in at.code)
    assert list(at.dataframe[0].value["Parameter"]) == ["0", "7.850"]
    at.toggle(key="ch05_demo").set_value(True).run()
    assert not at.exception
    if "keras_01_mnist" in pretrained.available():
        assert any("(128, 10)" in m.value for m in at.markdown)
        assert len(at.dataframe[1].value) == 5
    else:
        assert any("noch nicht vorhanden" in w.value for w in at.warning)


def test_run_log_page_without_runs():
    at = page("versuchsprotokoll")
    assert any("Noch keine Läufe" in i.value for i in at.info)


def test_chapter_3_missing_data_gives_a_german_message(monkeypatch, tmp_path):
    """A damaged or missing MNIST file stops the page with the loader's German message, no traceback."""
    from tutorial import data

    def missing(split="train", directory=None):
        raise data.DataError("Die MNIST-Datei »train-images-idx3-ubyte.gz« fehlt.")

    monkeypatch.setattr(data, "load_arrays", missing)
    at = AppTest.from_file("../pages/einstieg/03_erstes_netz.py", default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("fehlt" in e.value for e in at.error)
