"""Tiny trainings through the pages (real Trainer, real train(), a few hundred digits, one epoch),
the queue and live progress, pretrained results, and the run log across pages."""
import collections
import json
import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import pretrained
from tutorial.chapters import chapter
from tutorial import spec as S
from tutorial import ui
from tutorial.jobs import Trainer

TIMEOUT = 90
SOLUTIONS = {  # page -> (key, solution widget values); empty: train the page's starting model
    "03_erstes_netz": ("ch03", {}),
    "06_mehr_schichten": ("ch06", {"ch06_hidden": 2}),
    "07_tiefe_netze": ("ch07", {"ch07_activation": "relu", "ch07_optimizer": "adam"}),
    "08_lernrate": ("ch08", {"ch08_lr": 0.01, "ch08_decay_on": True}),
    "09_dropout": ("ch09", {"ch09_dropout_1": 0.25}),
    "11_faltungsnetz": ("ch11", {"ch11_conv": 2, "ch11_stride_1": 2}),
    "12_nochmal_dropout": ("ch12", {"ch12_dropout": 0.4}),
    "13_batch_norm": ("ch13", {"ch13_bn_0": True, "ch13_bn_3": True, "ch13_batch": 64}),
}


def new_app(path: str) -> AppTest:
    at = AppTest.from_file(f"../{path}", default_timeout=TIMEOUT)
    at.session_state[ui.TEST_MODE_KEY] = True
    return at


def log_of(at: AppTest) -> list:
    return at.session_state[ui.LOG_KEY] if ui.LOG_KEY in at.session_state else []


def run_until(at: AppTest, condition, timeout: float = 120.0) -> None:
    deadline = time.time() + timeout
    while True:
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        if condition(at):
            return
        assert time.time() < deadline, f"timed out waiting for the page: {describe_jobs(at)}"
        time.sleep(0.5)


def describe_jobs(at: AppTest) -> str:
    """Diagnostics for a timeout: the state of every live run the session started."""
    out = []
    for key in sorted({k for k, _ in SOLUTIONS.values()}):
        run = at.session_state[f"_run_{key}"] if f"_run_{key}" in at.session_state else None
        if run and run.get("kind") == "live":
            job = ui.trainer().get(run["spec"])
            snap = job.snapshot() if job else {}
            out.append(f"{key}: {snap.get('state')} step {snap.get('step')} {snap.get('message')!r}")
    return "; ".join(out) or "no live run"


def set_values(at: AppTest, values: dict) -> None:
    for key, value in values.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]


@pytest.mark.parametrize("name", list(SOLUTIONS))
def test_tiny_training_through_the_page_fills_the_run_log(name):
    key, values = SOLUTIONS[name]
    at = new_app(chapter(name).file)
    at.run()
    set_values(at, values)
    at.button(key=f"{key}_train").click()
    run_until(at, lambda a: len(log_of(a)) == 1)

    entry = log_of(at)[0]
    assert entry["Art"] == "live" and entry["Kapitel"].startswith("Kapitel ")
    assert "300 Ziffern" in entry["Einstellungen"] and "1 Epoche" in entry["Einstellungen"]
    assert entry["Parameter"] > 0 and 0.0 <= entry["Beste Val.-Genauigkeit (%)"] <= 100.0
    assert entry["Fehler"].endswith("von 500") and entry["history"]["epochs"]
    # the result: summary table, error count, font digits and 168 validation digits
    assert any("Fehler von 500 Testziffern" in m.value for m in at.markdown)
    summaries = [d.value for d in at.dataframe if list(d.value.columns) == ["Schicht", "Typ", "Ausgabeform", "Parameter"]]
    assert len(summaries) == 1
    summary = summaries[0]
    assert sum(int(p.replace(".", "")) for p in summary["Parameter"]) == entry["Parameter"]
    captions = [img.proto.imgs[0].caption for img in at.get("image")]
    assert any(c.startswith("Ziffern aus Schriftarten") for c in captions)
    assert any(c.startswith("168 Testziffern") for c in captions)
    # drawing again does not add the run twice
    at.run()
    assert len(log_of(at)) == 1


def test_pretrained_result_matches_its_stored_accuracy():
    name = "keras_02_mnist_dense"
    assert name in pretrained.available(), "the pretrained keras_02 files are part of the repository"
    at = new_app("pages/dichte_netze/07_tiefe_netze.py")
    at.run()
    set_values(at, {"ch07_activation": "relu", "ch07_optimizer": "adam"})
    at.button(key="ch07_pretrained").click().run()
    assert not at.exception, [e.message for e in at.exception]
    entry = log_of(at)[0]
    stored = pretrained.load_history(name)
    errors = round((1 - stored["test_accuracy"]) * 10_000)
    assert entry["Art"] == "fertig" and entry["Fehler"] == f"{errors} von 10.000"
    assert entry["Parameter"] == 169_670 and entry["Dauer (s)"] == round(stored["seconds"], 1)


def test_leaving_a_page_keeps_the_run_and_the_log_overlays_it():
    at = new_app("streamlit_app.py")
    at.run()
    at.switch_page("pages/dichte_netze/06_mehr_schichten.py").run()
    set_values(at, {"ch06_hidden": 1, "ch06_units_0": 30})
    at.button(key="ch06_train").click()
    run_until(at, lambda a: len(log_of(a)) == 1)

    at.switch_page("pages/werkzeuge/versuchsprotokoll.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 1 and "Dense(30, sigmoid)" in table["Einstellungen"][0]
    assert len(at.get("vega_lite_chart")) == 2          # overlay: validation loss and accuracy
    assert at.multiselect(key="protokoll_select").value == ["1 · Kapitel 6 · live"]

    at.switch_page("pages/dichte_netze/06_mehr_schichten.py").run()
    assert not at.exception
    assert at.slider(key="ch06_hidden").value == 1 and at.number_input(key="ch06_units_0").value == 30
    assert any("Fehler von 500 Testziffern" in m.value for m in at.markdown)
    assert len(log_of(at)) == 1

    at.switch_page("pages/werkzeuge/versuchsprotokoll.py").run()
    at.button(key="protokoll_clear").click().run()
    assert not at.exception and log_of(at) == []


def test_queue_position_and_live_progress(monkeypatch):
    """While another run trains, the page shows its queue position; then live progress; then the result."""
    from tutorial import training

    gates = collections.defaultdict(threading.Event)

    def gated_train(spec, on_progress=None, every=10, stop_event=None):
        on_progress({"kind": "batch", "step": 1, "epoch": 0.5, "loss": 2.0, "accuracy": 0.3})
        assert gates[spec].wait(60)
        return training.train(spec, on_progress, every, stop_event)

    fake = Trainer(train_fn=gated_train)
    monkeypatch.setattr(ui, "trainer", lambda: fake)
    ui.training_job.clear()
    try:
        blocker = fake.submit(S.PRESETS["keras_01_mnist"].with_(seed=123, **ui.TEST_LIMITS))
        at = new_app("pages/einstieg/03_erstes_netz.py")
        at.run()
        at.button(key="ch03_train").click()
        run_until(at, lambda a: blocker.state == "running"
                  and any("Position 1 der Warteschlange" in i.value for i in a.info), 30)

        gates[blocker.spec].set()
        page_spec = S.PRESETS["keras_01_mnist"].with_(**ui.TEST_LIMITS)
        run_until(at, lambda a: any("Schritt 1 von 2" in p.proto.text for p in a.get("progress")), 60)
        assert len(at.get("vega_lite_chart")) == 2      # live curves: loss and accuracy
        assert log_of(at) == []

        gates[page_spec].set()
        run_until(at, lambda a: len(log_of(a)) == 1, 60)
        assert not at.get("progress")
    finally:
        for gate in list(gates.values()):
            gate.set()
        ui.training_job.clear()


def test_nan_run_shows_the_german_message():
    """A learning rate far too high makes the loss NaN: the page says so instead of showing garbage."""
    at = new_app("pages/dichte_netze/08_lernrate.py")
    at.run()
    spec = S.RunSpec(layers=S.DENSE_200_60, optimizer="sgd", learning_rate=1e8, limit=384, epochs=2, val_limit=500)
    at.session_state["_run_ch08"] = {"kind": "live", "spec": spec}
    run_until(at, lambda a: len(log_of(a)) == 1)
    assert any("NaN" in e.value for e in at.error)
    assert not any("Fehler von" in m.value for m in at.markdown)
    assert json.dumps(log_of(at)[0]["Einstellungen"])


def test_script_runs_do_not_reset_keras_state():
    """Streamlit's per-run keras clear_session would reset layer names (and scopes) of the trainer thread."""
    import keras

    first = keras.layers.Dense(1).name
    at = new_app("pages/dichte_netze/06_mehr_schichten.py")
    at.run()
    at.run()
    second = keras.layers.Dense(1).name
    assert first != second, "the layer-name counter was reset by a script run"
