"""A page's frame: :func:`start` gives it its title and chapter entry, :func:`end` the "Weiter" link."""
from __future__ import annotations

import streamlit as st

from tutorial import roomreport
from tutorial.app import host, live, patches, progress, state, terms
from tutorial.chapters import Chapter, chapter, following


def start(file: str) -> Chapter:
    """Begin the page whose file is ``file`` (pass ``__file__``): draw its title, return its entry."""
    patches.apply()   # also when the page runs without the router (AppTest, ``streamlit run kapitel/…``)
    entry = chapter(file)
    progress.visit(entry)   # learner token in the URL, restore after a reload, sidebar "Ihr Fortschritt"
    st.title(entry.page_title)
    lead = host.frame()      # the workshop host's banner, and the chapter it points everyone to
    if lead is not None:
        link(lead, roomreport.lead_label(lead.key), ":material/arrow_forward:")
    live.here()       # the learner's waiting runs keep their place in the queue
    return entry


def link(entry: Chapter, label: str | None = None, icon: str | None = None) -> None:
    """A link to another page under the router; plain text when the page runs on its own
    (``streamlit run kapitel/…/X.py`` or ``AppTest.from_file``), which has no navigation."""
    from streamlit.errors import StreamlitPageNotFoundError

    label = label or entry.menu_title
    try:
        st.page_link(entry.file, label=label, icon=icon or entry.icon)
    except StreamlitPageNotFoundError:
        st.markdown(f"**{label}**")


def deeper(key: str, title: str) -> bool:
    """An optional deeper part of a chapter: a switch "Vertiefung: <title>" (off at first, kept when the
    learner leaves the page). Draw the part under ``if page.deeper(...):`` – it is built only when wanted,
    so the short main path stays short and fast."""
    return st.toggle(f"Vertiefung: {title}", key=state.keep(f"deeper_{key}", False),
                     help="Freiwillig: Der Rest des Kurses setzt diesen Teil nicht voraus.")


def end(entry: Chapter) -> None:
    """End a page with "Weiter: …", a link to the following page (and save the learner's progress)."""
    progress.save()
    progress.sidebar(entry, again=True)   # "Ihr Fortschritt" with this run's answers and trainings
    terms.box(entry)   # "Begriffe dieser Seite": the glossary entries of the page's bold terms
    nxt = following(entry)
    if nxt is None:
        return
    st.divider()
    link(nxt, f"Weiter: {nxt.menu_title}", ":material/arrow_forward:")
