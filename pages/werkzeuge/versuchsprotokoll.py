"""The session's run log: every finished run as a table, and selected runs' curves on top of each other."""
import pandas as pd
import streamlit as st

from tutorial import charts
from tutorial import ui
from tutorial.app import page


chapter = page.start(__file__)
KEY = chapter.key
st.markdown("""
Hier sammelt die App jeden Lauf, den Sie in dieser Sitzung abgeschlossen haben – live trainiert oder als
fertiges Ergebnis angesehen – mit seinen Einstellungen, der Zahl der Parameter, der besten
Validierungsgenauigkeit und der Trainingsdauer. Wählen Sie Läufe aus, um ihre Validierungskurven direkt
zu vergleichen. Das Protokoll gehört zu Ihrer Browsersitzung; nach einem Neuladen der Seite beginnt es
leer.
""")

log = ui.run_log()
if not log:
    st.info("Noch keine Läufe. Trainieren Sie in einem der Kapitel ein Modell oder sehen Sie sich ein fertiges "
            "Ergebnis an – es erscheint dann hier.", icon=":material/info:")
else:
    table = pd.DataFrame([{k: v for k, v in entry.items() if k not in ("id", "history", "spec")} for entry in log])
    shown = table.assign(**{  # German number format for reading; the CSV keeps plain numbers
        "Parameter": table["Parameter"].map(ui.de),
        "Beste Val.-Genauigkeit (%)": table["Beste Val.-Genauigkeit (%)"].map(
            lambda v: "–" if pd.isna(v) else ui.de(v, 2) + " %"),
        "Dauer (s)": table["Dauer (s)"].map(lambda v: "–" if pd.isna(v) else ui.de(v, 1)),
    })
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={"Einstellungen": st.column_config.TextColumn(width="large")})
    labels = {f"{e['Nr']} · {e['Kapitel']} · {e['Art']}": e for e in log}
    options = list(labels)
    key = f"{KEY}_select"
    if key in st.session_state:  # drop runs that are no longer in the log
        st.session_state[key] = [o for o in st.session_state[key] if o in labels]
    chosen = st.multiselect("Läufe zum Vergleichen", options, key=ui.state(key, options[-3:]))
    zoom = st.radio("Zoom der Kurven", charts.ZOOMS, horizontal=True, key=ui.state(f"{KEY}_zoom", 1),
                    format_func=lambda z: f"{z}×")
    if chosen:
        runs = [(label, labels[label]["history"]) for label in chosen]
        loss, acc = charts.overlay_charts(runs, zoom)
        left, right = st.columns(2)
        left.altair_chart(loss, width="stretch")
        right.altair_chart(acc, width="stretch")
        for label in chosen:
            st.caption(f"**{label}:** {labels[label]['Einstellungen']}")
    else:
        st.caption("Wählen Sie mindestens einen Lauf aus.")

    left, right = st.columns(2)
    left.download_button("Protokoll als CSV herunterladen", table.to_csv(index=False).encode("utf-8"),
                         file_name="versuchsprotokoll.csv", mime="text/csv", icon=":material/download:",
                         on_click="ignore")
    if right.button("Protokoll leeren", key=f"{KEY}_clear", icon=":material/delete:"):
        log.clear()
        st.rerun()

page.end(chapter)
