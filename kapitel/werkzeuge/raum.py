"""Der Raum: the projector view of the workshop host (behind the host password, not in the learners'
menu; opened from "Kursleitung")."""
import streamlit as st

from tutorial.app import host, hostpage, page, roomview, state

chapter = page.start(__file__)

if host.password() is None:
    st.info("Diese Seite ist die Projektoransicht der Kursleitung. Sie ist gesperrt, solange kein Passwort "
            "festgelegt ist (siehe »Kursleitung«).", icon=":material/lock:")
elif not state.host_unlocked():
    st.markdown("Diese Seite ist die Projektoransicht der Kursleitung. Bitte melden Sie sich mit dem Passwort an.")
    hostpage.login()
else:
    st.set_page_config(initial_sidebar_state="collapsed")   # the whole screen for the room
    roomview.projector()

page.end(chapter)
