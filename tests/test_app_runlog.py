"""The run log: its CSV download opens correctly in a German spreadsheet, and a reloaded learner's
logged runs are back on the pages that offer the learner's own models."""
import csv
import io
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import presets, pretrained
from tutorial.app import identity, loader, runlog, state, storage
from tutorial.app.runlog import LIVE, READY, Run, csv_bytes
from tutorial.chapters import chapter
from tutorial.paths import ROOT
from tutorial.store.limits import new_token

pytestmark = pytest.mark.app


def test_csv_uses_semicolons_decimal_commas_and_a_bom():
    spec = presets.PRESETS["keras_01_mnist"]
    history = {"epochs": [{"val_accuracy": 0.9001, "val_loss": 0.35, "accuracy": 0.9, "loss": 0.36}]}
    run = Run("fertig:keras_01_mnist", "Kapitel 3", READY, spec, history, seconds=14.25, errors=999, n_val=10_000,
              number=1)
    data = csv_bytes([run])
    assert data.startswith("\ufeff".encode("utf-8"))          # Excel reads the umlauts as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    row = rows[0]
    assert row["Kapitel"] == "Kapitel 3" and row["Testziffern"] == "10000"
    assert row["Beste Validierungsgenauigkeit (%)"] == "90,01"
    assert row["Dauer (s)"] in ("14,2", "14,3")


def test_own_models_are_offered_on_the_first_render_after_a_reload(monkeypatch):
    """"Modelle von innen" lists the learner's own trained network on the first run of a new session
    (a reload): the run log is restored by ``page.start`` before the page asks for the learner's models."""
    spec = presets.PRESETS["keras_01_mnist"].with_(**state.TEST_LIMITS)
    history = {"epochs": [{"epoch": 1, "loss": 1.0, "accuracy": 0.7, "val_loss": 0.9, "val_accuracy": 0.75}],
               "batches": []}
    run = Run("live:" + spec.key, "Kapitel 3", LIVE, spec, history, 1.0, errors=125, n_val=500, number=1)
    done = SimpleNamespace(state="done", result=SimpleNamespace(status="done", model=None))
    monkeypatch.setattr(loader, "trainer", lambda: SimpleNamespace(get=lambda s: done if s == spec else None,
                                                                   seen=lambda *args, **kwargs: None))
    monkeypatch.setattr(pretrained, "available", lambda: [])     # no TensorFlow: only the learner's own run

    token = new_token()                # the learner's cookie; the store holds the logged run
    monkeypatch.setattr(identity, "browser_cookie", lambda: token)
    before = AppTest.from_file(str(ROOT / chapter("versuchsprotokoll").file), default_timeout=60)
    before.session_state[state.LOG_KEY] = [run]
    before.run()
    assert not before.exception
    assert [key for key, _ in storage.store().load(token).log] == [run.id]

    at = AppTest.from_file(str(ROOT / chapter("modelle_von_innen").file), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="inside_cm_model").options == [run.title]
    assert any("Ihre eigenen Netze (1)" in c.value for c in at.caption)


def test_run_log_page_overlays_the_chosen_runs_and_clears_the_log():
    spec = presets.PRESETS["keras_01_mnist"].with_(**state.TEST_LIMITS)
    history = {"epochs": [{"epoch": 1, "loss": 1.0, "accuracy": 0.7, "val_loss": 0.9, "val_accuracy": 0.75}],
               "batches": []}
    runs = [Run(f"live:{i}", "Kapitel 3", LIVE, spec.with_(seed=i), history, 1.0, errors=125, n_val=500,
                number=i + 1) for i in range(2)]
    at = AppTest.from_file(str(ROOT / chapter("versuchsprotokoll").file), default_timeout=60)
    at.session_state[state.LOG_KEY] = runs
    at.run()
    assert not at.exception
    assert len(at.table[0].value) == 2
    chosen = at.multiselect(key="protokoll_select")
    assert chosen.value == list(runlog.titled(runs))             # equal titles are told apart
    assert len(at.get("vega_lite_chart")) == 2                  # loss and accuracy, both runs in each
    assert any("liegen genau übereinander" in c.value for c in at.caption)
    chosen.set_value(chosen.value[:1]).run()
    assert not any("liegen genau übereinander" in c.value for c in at.caption)
    at.button(key="protokoll_clear").click().run()
    assert not at.exception
    assert any("Noch keine Läufe" in i.value for i in at.info)
