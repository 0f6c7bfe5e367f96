"""«Begriffe dieser Seite»: the glossary entries of a chapter's bold terms, at the end of the page.

The entries come from :data:`tutorial.glossary.PAGE_TERMS` (a static table that a test keeps equal
to what each page prints in bold; no page source is read while the app runs); the full glossary
lives on chapter 4.
"""
from __future__ import annotations

import streamlit as st

from tutorial import glossary
from tutorial.chapters import Chapter, by_number

GLOSSARY_CHAPTER = 4


def box(entry: Chapter) -> None:
    """An expander with the page's terms and a link to the full glossary (not on chapter 4 itself,
    which shows the whole glossary, nor on the tool pages)."""
    if entry.number is None or entry.number == GLOSSARY_CHAPTER:
        return
    terms = glossary.page_terms(entry.key)
    if not terms:
        return
    with st.expander(f"Begriffe dieser Seite ({len(terms)})", icon=":material/menu_book:"):
        st.markdown(glossary.markdown(terms))
        from streamlit.errors import StreamlitPageNotFoundError

        label = "Alle Begriffe im Glossar (Kapitel 4)"
        try:
            st.page_link(by_number(GLOSSARY_CHAPTER).file, label=label, icon=":material/arrow_forward:")
        except StreamlitPageNotFoundError:      # page run without the router (AppTest)
            st.caption(label)
