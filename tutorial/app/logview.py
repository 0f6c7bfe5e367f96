""""Versuchsprotokoll": the run log as a table, selected runs' curves on top of each other, the CSV
download and "Protokoll leeren". The log itself is :mod:`tutorial.app.runlog`.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from tutorial.charts import training as curves
from tutorial.app import runlog, state
from tutorial.app.runlog import Run
from tutorial.deutsch import percent


def table(log: list[Run]) -> None:
    # st.table wraps long settings instead of cutting the table at the right edge
    st.table(pd.DataFrame([run.row() for run in log]).set_index("Nr"))


def compare(key: str, log: list[Run]) -> None:
    """Choose runs and see their curves in one chart, with what the chart cannot show by itself."""
    titled = runlog.titled(log)
    options = list(titled)
    select = f"{key}_select"
    state.set_widget_options(select, titled)      # runs that left the log are no longer chosen
    chosen = st.multiselect("Läufe zum Vergleichen", options, key=state.keep(select, options[-3:], options))
    zoom = st.radio("Zoom der Kurven", curves.ZOOMS, horizontal=True, key=state.keep(f"{key}_zoom", 1, curves.ZOOMS),
                    format_func=lambda z: f"{z}×")
    if not chosen:
        st.caption("Wählen Sie mindestens einen Lauf aus.")
        return
    runs = [titled[title] for title in chosen]
    # short legend labels (the full names would be cut in the legend); the captions below name the settings
    labels = [f"Nr. {run.number} · {run.chapter} · {percent(run.accuracy)}" for run in runs]
    loss, acc, notes = curves.overlay_view([(label, run.history) for label, run in zip(labels, runs)], zoom)
    left, right = st.columns(2)
    left.altair_chart(loss, width="stretch")
    right.altair_chart(acc, width="stretch")
    for note in notes:
        st.caption(note)
    for title, run in zip(chosen, runs):
        st.caption(f"**Nr. {run.number}:** {title} – {run.spec.describe()}")
    for i, a in enumerate(runs):   # equal curves would hide each other in the chart
        for b in runs[i + 1:]:
            if a.history.get("epochs") == b.history.get("epochs"):
                st.caption(f"Die Kurven von Nr. {a.number} und Nr. {b.number} liegen genau übereinander: "
                           "Beide Läufe haben mit denselben Einstellungen dasselbe gelernt.")


def actions(key: str, log: list[Run]) -> None:
    """The CSV download and "Protokoll leeren"."""
    left, right = st.columns(2)
    left.download_button("Protokoll als CSV herunterladen", runlog.csv_bytes(log), file_name="versuchsprotokoll.csv",
                         mime="text/csv", icon=":material/download:", on_click="ignore")
    if right.button("Protokoll leeren", key=f"{key}_clear", icon=":material/delete:"):
        runlog.clear()
        st.rerun()
