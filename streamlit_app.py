"""Router: one st.Page per entry of the chapter table, grouped in menu sections."""
import streamlit as st

from tutorial import paths
from tutorial.app import loader, patches
from tutorial.app.chrome import script as chrome
from tutorial.chapters import CHAPTERS, SECTIONS

patches.apply()   # once per process: Streamlit must not reset Keras' global state after each run

st.set_page_config(page_title="Deep Learning ohne Doktortitel", page_icon=str(paths.ICON),
                   layout="wide")

chrome.apply()    # <html lang="de">, Streamlit's English UI and dialogs in German, phone-width CSS

sections: dict[str, list] = {name: [] for name in SECTIONS}
for entry in CHAPTERS:
    sections[entry.section].append(
        st.Page(entry.file, title=entry.menu_title, icon=entry.icon, url_path=entry.url_path or None,
                default=not entry.url_path, visibility="visible" if entry.menu else "hidden"))

loader.trainer()  # once per process: warm start (training child, digits, models) in the background
# expanded: the sidebar also holds "Ihr Fortschritt"; without it Streamlit folds the menu after ten pages
st.navigation(sections, expanded=True).run()
