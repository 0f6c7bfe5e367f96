"""Router: one st.Page per chapter, grouped in sections (see tutorial/navigation.py)."""
import streamlit as st

from tutorial.navigation import PAGES, SECTIONS

st.set_page_config(page_title="Deep Learning ohne Doktortitel", page_icon=":material/neurology:",
                   layout="wide")

sections: dict[str, list] = {name: [] for name in SECTIONS}
for info in PAGES:
    sections[info.section].append(
        st.Page(info.file, title=info.title, icon=info.icon, url_path=info.url_path or None,
                default=not info.url_path))

st.navigation(sections).run()
