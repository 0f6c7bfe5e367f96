"""The run log's CSV download opens correctly in a German spreadsheet."""
import csv
import io

from tutorial import presets
from tutorial.app.runlog import READY, Run, csv_bytes


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
