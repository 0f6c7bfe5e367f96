"""Kursleitung: the workshop host's page (behind the password from ``st.secrets``)."""
import streamlit as st

from tutorial.app import host, hostpage, page, roomview, state

chapter = page.start(__file__)

if host.password() is None:
    st.info("""Diese Seite ist für die Kursleitung eines Workshops. Sie ist gesperrt, solange kein Passwort
festgelegt ist. Legen Sie dazu im Ordner der App die Datei `.streamlit/secrets.toml` an (auf der Streamlit
Community Cloud: unter »Settings → Secrets«) und tragen Sie ein:""", icon=":material/lock:")
    st.code("""[kursleitung]
passwort = "ein-langes-geheimes-wort"

# optional:
TUTORIAL_PARALLEL_TRAININGS = 2     # Trainings gleichzeitig (sonst automatisch nach Kernen und Speicher)
TUTORIAL_MEMORY_LIMIT_MB = 2700     # Speichergrenze, mit der diese Seite vergleicht""", language="toml")
    st.markdown("Danach laden Sie diese Seite neu. Lernende sehen ohne das Passwort nur diese Erklärung.")
elif not state.host_unlocked():
    st.markdown("Diese Seite ist für die Kursleitung. Bitte melden Sie sich mit dem Passwort an.")
    hostpage.login()
else:
    hostpage.overview()

    st.subheader("Der Raum")
    roomview.section()
    roomview.controls()

    st.subheader("Steuerung")
    st.markdown("**Hinweis für alle Seiten**")
    hostpage.banner()
    roomview.lead()
    hostpage.workshop_mode()

    st.markdown("**Ein Kapitel für alle vortrainieren**")
    hostpage.pretrain()

    st.markdown("**Fehlgeschlagene Läufe**")
    hostpage.clear_failed()
    hostpage.logout()

page.end(chapter)
