"""The course's table of contents: every page once, with everything that identifies it.

A :class:`Chapter` is the one place where a page's number, title, session key, URL path, menu
section, file and the pretrained runs it shows are written. The router (``streamlit_app.py``)
builds ``st.navigation`` from :data:`CHAPTERS`; a page starts with
``tutorial.app.page.start(__file__)`` (title, key, "Kapitel N" label) and ends with
``tutorial.app.page.end(chapter)`` ("Weiter" link); tests loop over the table.

Page files live in ``kapitel/<section folder>/``. The folder is deliberately not called ``pages/``:
Streamlit treats a ``pages/`` folder next to the main script as its old multipage mode, which on a
fresh server answered the first deep link with an English "Page not found" before the router ran.

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from tutorial import paths

# menu section -> folder under kapitel/
SECTIONS: dict[str, str] = {
    "Einstieg": "einstieg",
    "Dichte Netze": "dichte_netze",
    "Faltungsnetze": "faltungsnetze",
    "Abschluss": "abschluss",
    "Werkzeuge": "werkzeuge",
}


@dataclass(frozen=True)
class Chapter:
    number: Optional[int]     # 1 … 16; None for the tools
    title: str                # German title without number, e.g. "Ein erstes Netz trainieren"
    key: str                  # session-state prefix of the page's widgets, e.g. "ch03"
    url_path: str             # URL path ("" for the landing page)
    section: str              # menu section (a key of SECTIONS)
    stem: str                 # file name without ".py"
    icon: str                 # material icon of the menu entry
    heading: str = ""         # page heading if it differs from the menu title
    solution: Optional[str] = None       # preset the codelab gives as this exercise's solution
    presets: tuple[str, ...] = ()        # pretrained runs the page shows or compares with
    menu: bool = True         # False: a host page, reached by its address only (not in the learners' menu)
    max_epochs: Optional[int] = None     # the exercise's epoch maximum: its runs stay within the price's time cap

    @property
    def file(self) -> str:
        """Path of the page file relative to the repo root."""
        return f"kapitel/{SECTIONS[self.section]}/{self.stem}.py"

    @property
    def menu_title(self) -> str:
        return f"{self.number} · {self.title}" if self.number is not None else self.title

    @property
    def page_title(self) -> str:
        """The page's heading (``st.title``)."""
        if self.heading:
            return f"{self.number} · {self.heading}" if self.number is not None else self.heading
        return self.menu_title

    @property
    def label(self) -> str:
        """How the run log names the page: "Kapitel 3", or the tool's title."""
        return f"Kapitel {self.number}" if self.number is not None else self.title

    @property
    def exists(self) -> bool:
        return (paths.ROOT / self.file).is_file()


def _c(number, title, key, url_path, section, stem, icon, **kw) -> Chapter:
    return Chapter(number, title, key, url_path, section, stem, icon, **kw)


CHAPTERS: tuple[Chapter, ...] = (
    _c(1, "Übersicht", "ch01", "", "Einstieg", "01_uebersicht", ":material/home:",
       heading="Deep Learning ohne Doktortitel"),
    _c(2, "So benutzen Sie diese App", "ch02", "app_benutzen", "Einstieg", "02_app_benutzen",
       ":material/help:"),
    _c(3, "Ein erstes Netz trainieren", "ch03", "erstes_netz", "Einstieg", "03_erstes_netz",
       ":material/play_circle:", presets=("keras_01_mnist",), max_epochs=30),
    _c(4, "Neuronale Netze kurz erklärt", "ch04", "neuronale_netze", "Einstieg", "04_neuronale_netze",
       ":material/hub:"),
    _c(5, "Der Code", "ch05", "der_code", "Einstieg", "05_der_code", ":material/code:",
       presets=("keras_01_mnist",)),
    _c(6, "Mehr Schichten", "ch06", "mehr_schichten", "Dichte Netze", "06_mehr_schichten",
       ":material/layers:", solution="ex_06_sigmoid", presets=("keras_01_mnist", "ex_06_sigmoid"), max_epochs=30),
    _c(7, "Tiefe Netze richtig trainieren", "ch07", "tiefe_netze", "Dichte Netze", "07_tiefe_netze",
       ":material/stacked_line_chart:", solution="keras_02_mnist_dense",
       presets=("ex_06_sigmoid", "ex_07_relu", "keras_02_mnist_dense"), max_epochs=30),
    _c(8, "Lernrate und Lernratenabfall", "ch08", "lernrate", "Dichte Netze", "08_lernrate",
       ":material/speed:", solution="ex_08_lr_decay",
       presets=("keras_02_mnist_dense", "ex_08_lr001", "ex_08_lr_decay"), max_epochs=30),
    _c(9, "Dropout und Überanpassung", "ch09", "dropout", "Dichte Netze", "09_dropout",
       ":material/blur_on:", solution="keras_03_mnist_dense_lrdecay_dropout",
       presets=("ex_09_four_dense", "keras_03_mnist_dense_lrdecay_dropout"), max_epochs=30),
    _c(10, "Faltung", "ch10", "faltung", "Faltungsnetze", "10_faltung", ":material/grid_on:",
       heading="Faltung kurz erklärt"),
    _c(11, "Ein Faltungsnetz", "ch11", "faltungsnetz", "Faltungsnetze", "11_faltungsnetz",
       ":material/view_module:", solution="ex_11_conv_no_dropout", presets=("ex_11_conv_no_dropout",),
       max_epochs=20),
    _c(12, "Nochmal Dropout", "ch12", "nochmal_dropout", "Faltungsnetze", "12_nochmal_dropout",
       ":material/grain:", solution="keras_04_mnist_convolutional",
       presets=("ex_11_conv_no_dropout", "keras_04_mnist_convolutional"), max_epochs=20),
    _c(13, "Batch-Normalisierung", "ch13", "batch_norm", "Faltungsnetze", "13_batch_norm",
       ":material/equalizer:", solution="keras_05_mnist_batch_norm",
       presets=("keras_04_mnist_convolutional", "keras_05_mnist_batch_norm"), max_epochs=15),
    _c(14, "Stärkere Hardware", "ch14", "hardware", "Abschluss", "14_hardware", ":material/memory:",
       heading="Auf stärkerer Hardware trainieren", presets=("keras_05_mnist_batch_norm",)),
    _c(15, "Zusammenfassung", "ch15", "zusammenfassung", "Abschluss", "15_zusammenfassung",
       ":material/summarize:"),
    _c(16, "Nächste Schritte", "ch16", "naechste_schritte", "Abschluss", "16_naechste_schritte",
       ":material/explore:"),
    _c(None, "Ziffern zeichnen", "zeichnen", "ziffern_zeichnen", "Werkzeuge", "ziffern_zeichnen",
       ":material/draw:"),
    _c(None, "Modelle von innen", "innen", "modelle_von_innen", "Werkzeuge", "modelle_von_innen",
       ":material/visibility:"),
    _c(None, "Versuchsprotokoll", "protokoll", "versuchsprotokoll", "Werkzeuge", "versuchsprotokoll",
       ":material/history:"),
    _c(None, "Kursleitung", "kursleitung", "kursleitung", "Werkzeuge", "kursleitung",
       ":material/admin_panel_settings:", menu=False),
    _c(None, "Der Raum", "raum", "raum", "Werkzeuge", "raum", ":material/co_present:", menu=False),
)


def chapter(file: str) -> Chapter:
    """The entry for a page file (accepts ``__file__`` or a relative path)."""
    stem = Path(file).stem
    for entry in CHAPTERS:
        if entry.stem == stem:
            return entry
    raise KeyError(stem)


def by_number(number: int) -> Chapter:
    for entry in CHAPTERS:
        if entry.number == number:
            return entry
    raise KeyError(number)


def following(entry: Chapter) -> Optional[Chapter]:
    """The next existing page of the learners' menu after ``entry`` in reading order (None after the
    last one; the host's pages are never "next")."""
    index = CHAPTERS.index(entry)
    for nxt in CHAPTERS[index + 1:]:
        if nxt.exists and nxt.menu:
            return nxt
    return None


def exercises() -> tuple[Chapter, ...]:
    """The chapters with an exercise that has a solution preset."""
    return tuple(c for c in CHAPTERS if c.solution is not None)
