"""The session's run log: every finished run as a table, and selected runs' curves on top of each other."""
import pandas as pd
import streamlit as st

from tutorial import charts
from tutorial.app import page, runlog, state
from tutorial.deutsch import percent

chapter = page.start(__file__)
KEY = chapter.key
st.markdown("""
Hier sammelt die App jeden Lauf, den Sie in dieser Sitzung abgeschlossen haben – live trainiert oder als
fertiges Ergebnis angesehen – mit seinen Einstellungen, der Zahl der Parameter, der Genauigkeit auf den
Testziffern und der Trainingsdauer. Wählen Sie Läufe aus, um ihre Validierungskurven direkt zu
vergleichen. Das Protokoll hängt wie Ihr Fortschritt an der Adresse der Seite (»?lernende=…«) und bleibt auch nach dem Neuladen erhalten.
""")

log = runlog.runs()
if not log:
    st.info("Noch keine Läufe. Trainieren Sie in einem der Kapitel ein Modell oder sehen Sie sich ein fertiges "
            "Ergebnis an – es erscheint dann hier.", icon=":material/info:")
else:
    # st.table wraps long settings instead of cutting the table at the right edge
    st.table(pd.DataFrame([run.row() for run in log]).set_index("Nr"))
    titled = runlog.titled(log)
    options = list(titled)
    key = f"{KEY}_select"
    if key in st.session_state:  # drop runs that are no longer in the log
        st.session_state[key] = [o for o in st.session_state[key] if o in titled]
    chosen = st.multiselect("Läufe zum Vergleichen", options, key=state.keep(key, options[-3:]))
    zoom = st.radio("Zoom der Kurven", charts.ZOOMS, horizontal=True, key=state.keep(f"{KEY}_zoom", 1),
                    format_func=lambda z: f"{z}×")
    if chosen:
        runs = [titled[title] for title in chosen]
        # short legend labels (the full names would be cut in the legend); the captions below name the settings
        labels = [f"Nr. {run.number} · {run.chapter} · {percent(run.accuracy)}" for run in runs]
        loss, acc, notes = charts.overlay_view([(label, run.history) for label, run in zip(labels, runs)], zoom)
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
    else:
        st.caption("Wählen Sie mindestens einen Lauf aus.")

    left, right = st.columns(2)
    csv = runlog.csv_bytes(log)
    left.download_button("Protokoll als CSV herunterladen", csv, file_name="versuchsprotokoll.csv", mime="text/csv",
                         icon=":material/download:", on_click="ignore")
    if right.button("Protokoll leeren", key=f"{KEY}_clear", icon=":material/delete:"):
        runlog.clear()
        st.rerun()

page.end(chapter)
