"""The session's run log: every finished run as a table, and selected runs' curves on top of each other
(the views are :mod:`tutorial.app.logview`)."""
import streamlit as st

from tutorial.app import logview, page, runlog

chapter = page.start(__file__)
st.markdown("""
Hier sammelt die App jeden Lauf, den Sie in dieser Sitzung abgeschlossen haben – live trainiert oder als
fertiges Ergebnis angesehen – mit seinen Einstellungen, der Zahl der Parameter, der Genauigkeit auf den
Testziffern und der Trainingsdauer. Wählen Sie Läufe aus, um ihre Validierungskurven direkt zu
vergleichen. Das Protokoll hängt wie Ihr Fortschritt an einem Cookie in diesem Browser und bleibt auch nach
dem Neuladen erhalten.
""")

log = runlog.runs()
if not log:
    st.info("Noch keine Läufe. Trainieren Sie in einem der Kapitel ein Modell oder sehen Sie sich ein fertiges "
            "Ergebnis an – es erscheint dann hier.", icon=":material/info:")
else:
    logview.table(log)
    logview.compare(chapter.key, log)
    logview.actions(chapter.key, log)

page.end(chapter)
