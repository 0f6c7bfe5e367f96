"""AppTest checks of the exercise panel (tutorial.app.exercise) on every chapter of the chapter table
that has an exercise, and of the chapter pages' own widgets: the pages run, the code toggle shows
code that compiles, "Lösung übernehmen" sets the chapter's solution preset."""
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tutorial import presets, pretrained
from tutorial.chapters import Chapter, by_number, chapter, exercises

pytestmark = pytest.mark.app

TIMEOUT = 60


def page(entry: Chapter) -> AppTest:
    at = AppTest.from_file("../" + entry.file, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def keras_code(at: AppTest) -> str:
    blocks = [c.value for c in at.code if "import keras" in c.value and "model.fit(" in c.value]
    assert len(blocks) == 1, "the code toggle shows exactly one full Keras program"
    return blocks[0]


def widget_values(at: AppTest) -> dict:
    kinds = ("slider", "select_slider", "radio", "toggle", "checkbox", "number_input", "selectbox")
    return {w.key: w.value for kind in kinds for w in getattr(at, kind) if w.key}


def test_the_table_has_exercises():
    assert len(exercises()) >= 7 and all(entry.exists for entry in exercises())


@pytest.mark.slow   # seconds of work: not in the fast loop
@pytest.mark.parametrize("entry", exercises(), ids=lambda e: e.stem)
def test_exercise_panel_and_solution(entry: Chapter):
    at = page(entry)
    key, solution = entry.key, presets.PRESETS[entry.solution]
    assert at.number_input(key=f"{key}_epochs").value == solution.epochs
    assert at.toggle(key=f"{key}_quick").value is False
    for button in ("train", "pretrained", "solution"):
        at.button(key=f"{key}_{button}")   # raises KeyError if missing

    # the comparison with the solution waits for the first run or a hint ("Ihre Vermutung", issue 11)
    assert not any("Vergleich mit der Lösung" in i.value for i in at.info)
    at.button(key=f"{key}_hint").click().run()
    # the starting point is not the solution, so the check names the differences
    assert not any("entspricht der Lösung" in s.value for s in at.success)
    assert any("Vergleich mit der Lösung" in i.value for i in at.info)
    # the solution box shows the preset's model code
    assert any(c.value == solution.model_code() for c in at.code)

    # the code toggle shows the generated Keras code of the current choice
    at.toggle(key=f"{key}_code").set_value(True).run()
    code = keras_code(at)
    compile(code, "<code toggle>", "exec")
    assert solution.model_code() not in code
    before = widget_values(at)

    # the solution button sets the page's widgets to the notebook's solution
    at.button(key=f"{key}_solution").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert widget_values(at) != before
    assert any("entspricht der Lösung" in s.value for s in at.success)
    code = keras_code(at)
    compile(code, "<code toggle>", "exec")
    assert solution.model_code() in code
    # the solution equals a pretrained preset: the button is enabled exactly when its files exist
    assert at.button(key=f"{key}_pretrained").disabled == (entry.solution not in pretrained.available())
    assert any(presets.PRESET_TITLES[entry.solution] in c.value for c in at.caption)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter_3_panel_without_solution():
    entry = by_number(3)
    at = page(entry)
    assert not [b for b in at.button if b.key == f"{entry.key}_solution"]
    at.toggle(key=f"{entry.key}_code").set_value(True).run()
    code = keras_code(at)
    compile(code, "<code toggle>", "exec")
    assert 'keras.layers.Dense(10, activation="softmax")' in code
    assert at.button(key=f"{entry.key}_pretrained").disabled == ("keras_01_mnist" not in pretrained.available())


def test_quick_mode_changes_the_run():
    entry = by_number(7)
    at = page(entry)
    caption = [c.value for c in at.caption if "Trainingsziffern in Batches" in c.value]
    assert caption and caption[0].startswith("60.000 Trainingsziffern") and "10 Epochen" in caption[0]
    at.toggle(key=f"{entry.key}_quick").set_value(True).run()
    caption = [c.value for c in at.caption if "Trainingsziffern in Batches" in c.value]
    assert caption[0].startswith("6.000 Trainingsziffern") and "3 Epochen" in caption[0]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter_7_code_changes_with_the_choice():
    at = page(chapter("07_tiefe_netze"))
    at.toggle(key="ch07_code").set_value(True).run()
    assert 'activation="sigmoid"' in keras_code(at) and 'optimizer="sgd"' in keras_code(at)
    at.radio(key="ch07_activation").set_value("relu").run()
    assert 'Dense(200, activation="relu")' in keras_code(at) and 'optimizer="sgd"' in keras_code(at)


def lr_values(at: AppTest) -> list[float]:
    chart = at.get("vega_lite_chart")[0]
    frames = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas() for ds in chart.proto.datasets]
    frame = max(frames, key=len)
    return [round(v, 8) for v in frame.sort_values("epoch")["lr"]]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter_8_lr_plot_follows_the_sliders():
    at = page(chapter("08_lernrate"))
    assert lr_values(at)[:10] == [0.001] * 10
    at.select_slider(key="ch08_lr").set_value(0.01).run()
    assert lr_values(at)[:10] == [0.01] * 10
    at.toggle(key="ch08_decay_on").set_value(True).run()
    assert lr_values(at)[:3] == [0.01, 0.006, 0.0036]
    at.select_slider(key="ch08_decay").set_value(0.5).run()
    assert lr_values(at)[:3] == [0.01, 0.005, 0.0025]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter_11_shows_shapes_and_refuses_impossible_stacks():
    at = page(chapter("11_faltungsnetz"))
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


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_chapter_13_bias_rule_and_parameter_count():
    at = page(chapter("13_batch_norm"))
    at.button(key="ch13_solution").click().run()
    at.toggle(key="ch13_code").set_value(True).run()
    code = keras_code(at)
    assert code.count("use_bias=False") == 4 and code.count("BatchNormalization") == 4
    assert any("354.538 Parameter" in c.value for c in at.caption)


def _called_solution(at: AppTest) -> bool:
    return any("entspricht der Lösung" in s.value for s in at.success)


def _compared(at: AppTest) -> str:
    return "\n".join(i.value for i in at.info if "Vergleich mit der Lösung" in i.value)


def test_chapter_11_valid_padding_is_not_the_solution():
    """Issue 22: the comparison looks at every Keras argument, not at the layers' short labels."""
    at = page(chapter("11_faltungsnetz"))
    at.button(key="ch11_solution").click().run()
    at.button(key="ch11_hint").click().run()
    assert _called_solution(at) and any("354.002 Parameter" in c.value for c in at.caption)
    at.radio(key="ch11_padding").set_value("valid").run()
    assert not at.exception
    assert not _called_solution(at)
    assert '`padding="valid"` statt `padding="same"`' in _compared(at)
    assert any("98.002 Parameter" in c.value for c in at.caption)
    assert any("kein fertiges Ergebnis" in c.value for c in at.caption)
    assert at.button(key="ch11_pretrained").disabled


@pytest.mark.slow   # seconds of work: not in the fast loop
@pytest.mark.parametrize("changes, named", [({"ch13_scale": True}, "`scale=True` statt `scale=False`"),
                                            ({"ch13_center": False}, "`center=False` statt `center=True`")])
def test_chapter_13_other_batch_norm_arguments_are_not_the_solution(changes, named):
    at = page(chapter("13_batch_norm"))
    at.button(key="ch13_solution").click().run()
    at.button(key="ch13_hint").click().run()
    assert _called_solution(at)
    for key, value in changes.items():
        at.checkbox(key=key).set_value(value).run()
    assert not at.exception
    assert not _called_solution(at) and named in _compared(at)
    assert any("kein fertiges Ergebnis" in c.value for c in at.caption)


# --- the price next to "Trainieren" (issue 20) and the chapters' epoch maxima ---------------------------
@pytest.mark.slow   # seconds of work: not in the fast loop
def test_the_price_and_the_wait_now_stand_next_to_trainieren():
    at = page(chapter("12_nochmal_dropout"))
    at.button(key="ch12_solution").click().run()
    line = next(c.value for c in at.caption if "auf einem freien Server" in c.value)
    assert line.startswith("354.002 Parameter · etwa ") and "Jetzt:" in line and "fertig in etwa" in line
    assert not at.button(key="ch12_train").disabled


def test_a_run_above_the_caps_is_refused_before_the_click(monkeypatch):
    monkeypatch.setenv("TUTORIAL_MAX_PARAMETERS", "100000")
    at = page(chapter("07_tiefe_netze"))                      # 169,670 parameters
    assert at.button(key="ch07_train").disabled
    refusal = [e.value for e in at.error if "Parameter" in e.value]
    assert refusal and "169.670 Parameter" in refusal[0] and "100.000" in refusal[0] and "Neuronen" in refusal[0]
    assert not any("auf einem freien Server" in c.value for c in at.caption)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_the_epoch_box_goes_up_to_the_chapters_maximum_and_a_saved_larger_value_is_clamped():
    at = AppTest.from_file("../" + chapter("13_batch_norm").file, default_timeout=TIMEOUT)
    at.session_state["ch13_epochs"] = 30                     # saved while the maximum was 30
    at.run()
    assert not at.exception
    assert at.number_input(key="ch13_epochs").value == 15
    at.number_input(key="ch13_epochs").set_value(40).run()   # typed: clamped as well, never a 40-epoch run
    assert at.number_input(key="ch13_epochs").value == 15
    caption = next(c.value for c in at.caption if "Trainingsziffern in Batches" in c.value)
    assert "15 Epochen" in caption
    at.toggle(key="ch13_quick").set_value(True).run()        # quick mode still trims it
    caption = next(c.value for c in at.caption if "Trainingsziffern in Batches" in c.value)
    assert caption.startswith("6.000 Trainingsziffern") and "3 Epochen" in caption
