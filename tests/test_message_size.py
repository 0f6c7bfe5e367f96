"""The largest message the app sends stays far below ``server.maxMessageSize`` (.streamlit/config.toml).

A message above the limit reaches the learner as Streamlit's English "MessageSizeError" instead of
the element. The biggest thing a page sends is a training chart: a run of the most epochs an exercise
allows at the smallest batch a page offers (chapter 13: 32) has the most batch records.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tutorial.app.exercise import MAX_EPOCHS

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parent.parent
SMALLEST_BATCH = 32          # chapter 13's batch sizes start at 32
MARGIN = 4                   # the largest message may use at most a quarter of the limit

CHART_SCRIPT = '''
import random
import streamlit as st
from tutorial.charts import training as curves
from tutorial.spec import TRAIN_SIZE

epochs, batch = st.session_state["epochs"], st.session_state["batch"]
steps, every, rng = TRAIN_SIZE // batch, 10, random.Random(0)
history = {
    "batches": [{"step": s, "epoch": s / steps, "loss": rng.random(), "accuracy": rng.random()}
                for s in range(every, steps * epochs + 1, every)],
    "epochs": [{"epoch": e, "step": e * steps, "loss": rng.random(), "accuracy": rng.random(),
                "val_loss": rng.random(), "val_accuracy": rng.random(), "lr": 0.01, "seconds": 1.0}
               for e in range(1, epochs + 1)],
    "steps_per_epoch": steps, "epochs_total": epochs, "batch_size": batch, "train_size": TRAIN_SIZE}
loss, accuracy, notes = curves.training_view(history, 1)
st.altair_chart(loss)
st.altair_chart(accuracy)
'''


def limit_bytes() -> int:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return config["server"]["maxMessageSize"] * 1_000_000


def test_the_largest_training_chart_fits_the_message_limit_with_margin():
    at = AppTest.from_string(CHART_SCRIPT, default_timeout=60)
    at.session_state["epochs"], at.session_state["batch"] = MAX_EPOCHS, SMALLEST_BATCH
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 2
    largest = max(chart.proto.ByteSize() for chart in charts)
    assert largest > 100_000                         # the measurement measures something
    assert largest * MARGIN <= limit_bytes(), f"{largest:,} bytes: raise server.maxMessageSize"
