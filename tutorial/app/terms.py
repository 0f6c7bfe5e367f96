"""«Begriffe dieser Seite»: the glossary entries of a chapter's bold terms, at the end of the page.

The entries come from :data:`tutorial.glossary.PAGE_TERMS` (a static table that a test keeps equal
to what each page prints in bold; no page source is read while the app runs); the full glossary
lives on chapter 4.
"""
from __future__ import annotations

import re

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


QUERY_PARAM = "begriff"       # ``?begriff=Epoche`` opens chapter 4 with the glossary searched for "Epoche"
QUERY_MAX = 60                # characters of a search word (the longest term has 28)
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")     # every ASCII punctuation character


def plain(text: str) -> str:
    """``text`` (from the address or a text box, i.e. from the browser) for a Markdown string, shown
    exactly as typed: every ASCII punctuation character backslash-escaped (CommonMark: no links,
    images, emphasis, HTML; Streamlit: no ``:icon:``/``:color[…]`` directives, no ``$`` formulas),
    line breaks as spaces."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def full_glossary() -> None:
    """Chapter 4's glossary: every entry, with a search box that starts from ``?begriff=`` (a query
    value is untrusted: shortened and shown as plain text)."""
    st.caption(f"Alle fett gedruckten Begriffe der App in {len(glossary.TERMS)} Einträgen.")
    start = str(st.query_params.get(QUERY_PARAM, ""))[:QUERY_MAX]
    query = st.text_input("Begriff suchen", value=start, key="glossary_query", max_chars=QUERY_MAX,
                          placeholder="z. B. Epoche, Verlust, Batch …",
                          help="Durchsucht Begriffe und Erklärungen, Groß-/Kleinschreibung egal.")
    query = query[:QUERY_MAX]          # a forged widget value is not bound by max_chars
    hits = glossary.search(query)
    if not hits:
        st.warning(f"Kein Begriff passt zu »{plain(query.strip())}«. Versuchen Sie ein kürzeres Suchwort.")
        return
    if query.strip():
        st.caption(f"{len(hits)} von {len(glossary.TERMS)} Begriffen passen zu »{plain(query.strip())}«.")
    st.markdown(glossary.markdown(hits))
