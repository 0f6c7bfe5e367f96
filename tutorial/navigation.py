"""The app's pages in reading order: file, German title, icon, URL path and section.

The router (``streamlit_app.py``) builds ``st.navigation`` from :data:`PAGES`, and every page ends
with :func:`next_page`, which links the following page. Imports only streamlit (no TensorFlow,
no Altair), so the landing page stays fast.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageInfo:
    file: str        # path relative to the repo root, e.g. "kapitel/03_erstes_netz.py"
    title: str       # German title in the menu
    icon: str        # material icon
    url_path: str    # URL path ("" for the landing page)
    section: str     # menu section


PAGES: tuple[PageInfo, ...] = (
    PageInfo("kapitel/01_uebersicht.py", "1 · Übersicht", ":material/home:", "", "Einstieg"),
    PageInfo("kapitel/02_app_benutzen.py", "2 · So benutzen Sie diese App", ":material/help:",
             "app_benutzen", "Einstieg"),
    PageInfo("kapitel/03_erstes_netz.py", "3 · Ein erstes Netz trainieren", ":material/play_circle:",
             "erstes_netz", "Einstieg"),
    PageInfo("kapitel/04_neuronale_netze.py", "4 · Neuronale Netze kurz erklärt", ":material/hub:",
             "neuronale_netze", "Einstieg"),
    PageInfo("kapitel/05_der_code.py", "5 · Der Code", ":material/code:", "der_code", "Einstieg"),
    PageInfo("kapitel/06_mehr_schichten.py", "6 · Mehr Schichten", ":material/layers:",
             "mehr_schichten", "Dichte Netze"),
    PageInfo("kapitel/07_tiefe_netze.py", "7 · Tiefe Netze richtig trainieren", ":material/stacked_line_chart:",
             "tiefe_netze", "Dichte Netze"),
    PageInfo("kapitel/08_lernrate.py", "8 · Lernrate und ihr Abklingen", ":material/speed:",
             "lernrate", "Dichte Netze"),
    PageInfo("kapitel/09_dropout.py", "9 · Dropout und Überanpassung", ":material/blur_on:",
             "dropout", "Dichte Netze"),
    PageInfo("kapitel/10_faltung.py", "10 · Faltung", ":material/grid_on:", "faltung", "Faltungsnetze"),
    PageInfo("kapitel/11_faltungsnetz.py", "11 · Ein Faltungsnetz", ":material/view_module:",
             "faltungsnetz", "Faltungsnetze"),
    PageInfo("kapitel/12_nochmal_dropout.py", "12 · Nochmal Dropout", ":material/grain:",
             "nochmal_dropout", "Faltungsnetze"),
    PageInfo("kapitel/13_batch_norm.py", "13 · Batch-Normalisierung", ":material/equalizer:",
             "batch_norm", "Faltungsnetze"),
    PageInfo("kapitel/14_hardware.py", "14 · Stärkere Hardware", ":material/memory:", "hardware", "Abschluss"),
    PageInfo("kapitel/15_zusammenfassung.py", "15 · Zusammenfassung", ":material/summarize:",
             "zusammenfassung", "Abschluss"),
    PageInfo("kapitel/16_naechste_schritte.py", "16 · Nächste Schritte", ":material/explore:",
             "naechste_schritte", "Abschluss"),
    PageInfo("kapitel/ziffern_zeichnen.py", "Ziffern zeichnen", ":material/draw:", "ziffern_zeichnen",
             "Werkzeuge"),
    PageInfo("kapitel/modelle_von_innen.py", "Modelle von innen", ":material/visibility:",
             "modelle_von_innen", "Werkzeuge"),
    PageInfo("kapitel/versuchsprotokoll.py", "Versuchsprotokoll", ":material/history:", "versuchsprotokoll",
             "Werkzeuge"),
)

# URL paths are the file names without their number. The folder is deliberately not called pages/:
# Streamlit (1.67) runs an app with a pages/ folder in its old multipage mode until st.navigation has
# been called once in the server process, so the first visitor of a deep link (e.g. /erstes_netz) would
# get that chapter without the router: Streamlit's own file-name menu, no sections, narrow layout – and
# so would everyone after them until someone opened the start page.

SECTIONS = ("Einstieg", "Dichte Netze", "Faltungsnetze", "Abschluss", "Werkzeuge")


def page_info(file: str) -> PageInfo:
    """The entry for a page file (accepts ``__file__`` or a relative path)."""
    name = Path(file).name
    for info in PAGES:
        if Path(info.file).name == name:
            return info
    raise KeyError(name)


def exists(info: PageInfo) -> bool:
    return (ROOT / info.file).is_file()


def following(file: str) -> PageInfo | None:
    """The next existing page after ``file`` in reading order (None after the last one)."""
    names = [Path(p.file).name for p in PAGES]
    index = names.index(Path(file).name)
    for info in PAGES[index + 1:]:
        if exists(info):
            return info
    return None


def next_page(file: str) -> None:
    """End a page with "Weiter: …", a link to the following page.

    Under the router this is an ``st.page_link``. A page run on its own (``streamlit run
    kapitel/X.py`` or ``AppTest.from_file``) has no navigation to link into; then the next
    chapter is named as plain text instead of failing.
    """
    import streamlit as st
    from streamlit.errors import StreamlitPageNotFoundError

    info = following(file)
    if info is None:
        return
    st.divider()
    label = f"Weiter: {info.title}"
    try:
        st.page_link(info.file, label=label, icon=":material/arrow_forward:")
    except StreamlitPageNotFoundError:
        st.markdown(f"**{label}**")
