"""Small drawing helpers the pages and the exercise panel share: code, digits, curves, layer table."""
from __future__ import annotations

import copy
import hashlib
import threading
import time
from collections import OrderedDict
from typing import Hashable, Optional

import pandas as pd
import streamlit as st

from tutorial import export, notebook, settings
from tutorial.charts import training as curves
from tutorial import spec as S
from tutorial.app.state import keep
from tutorial.deutsch import de


def show_code(spec: S.RunSpec, key: str, label: str = "Code anzeigen") -> None:
    """A toggle that shows the Keras code for ``spec`` (the engine's own code rendering), and the
    downloads of the complete script (``tutorial.export``) and notebook for these settings."""
    if st.toggle(label, key=keep(f"{key}_code", False)):
        st.code(spec.to_code(), language="python")
    name = export.file_name(spec)
    st.download_button("Als Python-Skript herunterladen", data=export.script(spec, name), file_name=name,
                       mime="text/x-python", icon=":material/download:", key=f"{key}_script",
                       help=f"Ein vollständiges Programm mit genau diesen Einstellungen: Daten, Modell, Training "
                            f"und Test. Starten mit: python {name} (braucht TensorFlow).")
    show_notebook(spec, key)


def show_notebook(spec: S.RunSpec, key: str) -> None:
    """The download of the notebook for these settings (``tutorial.notebook``, built on click) and the
    way into Colab: a link to the stored stage notebook when the repository is set, else three steps."""
    name = export.file_name(spec, ".ipynb")
    st.download_button("Als Notebook herunterladen", data=lambda: notebook.text(notebook.notebook(spec)),
                       file_name=name, mime="application/x-ipynb+json", icon=":material/download:",
                       key=f"{key}_notebook", on_click="ignore",
                       help="Ein Jupyter-Notebook mit genau diesen Einstellungen: Daten, Modell, Training mit "
                            "Kurven, Vorhersagen und Test – zum Weitermachen in Colab oder Jupyter.")
    stage = notebook.stored_name(spec)
    url = notebook.colab_url(settings.repository(), stage) if stage else None
    if url:
        st.link_button("In Colab öffnen", url, icon=":material/open_in_new:",
                       help="Das gespeicherte Notebook dieser Stufe des Codelabs (volle Einstellungen) in Google Colab.")
    else:
        st.caption("In Colab weitermachen: 1. »Als Notebook herunterladen«. 2. Auf colab.research.google.com "
                   "»Datei → Notebook hochladen« wählen und die Datei hochladen. 3. »Laufzeit → Alle ausführen«.")


def table(rows, key: str) -> None:
    """A table that never hides columns: Streamlit's data grid on a wide screen, on a phone a plain
    table whose cells wrap (chrome/phone.py shows one of the two); ``key`` unique on the page."""
    with st.container(key=f"table_wide_{key}"):   # every row shown: the grid's own scroll hid rows 11–16
        st.dataframe(rows, hide_index=True, width="stretch", height="content")
    with st.container(key=f"table_phone_{key}"):
        st.table(pd.DataFrame(rows), hide_index=True)


PHONE_COLUMNS = 8     # digits per row on a phone (chrome/phone.py shows this grid below 640 px)


def show_digits(images, labels, wrong=None, caption: Optional[str] = None, columns: int = 24) -> None:
    """A grid of digits with their labels; wider than :data:`PHONE_COLUMNS`, a second grid with
    fewer digits per row is drawn for phones (CSS shows one of the two), so the labels stay readable."""
    if columns <= PHONE_COLUMNS:
        st.image(curves.digit_grid(images, labels, wrong, columns=columns), caption=caption, width="stretch",
                 output_format="PNG")
        return
    ident = hashlib.sha1(repr((caption, len(images), list(map(int, labels)))).encode()).hexdigest()[:12]
    for kind, n in (("wide", columns), ("phone", PHONE_COLUMNS)):
        with st.container(key=f"digits_{kind}_{ident}"):
            st.image(curves.digit_grid(images, labels, wrong, columns=n), caption=caption, width="stretch",
                     output_format="PNG")


def show_curves(history: dict, zoom: float = 1, share: Optional[Hashable] = None, fresh: float = 0.0) -> None:
    """Loss and accuracy of one run side by side, and what the zoom cut at the edge.

    ``share`` names the run (e.g. a running job): every session that shows the same ``share`` at the
    same zoom reuses one finished chart spec while the run has no new data, or while that spec is
    younger than ``fresh`` seconds – thirty learners watching one training then cost about one chart
    build per ``fresh`` seconds, not thirty per redraw."""
    if share is None:
        loss, acc, notes = curves.training_view(history, zoom)
        left, right = st.columns(2)
        left.altair_chart(loss, width="stretch")
        right.altair_chart(acc, width="stretch")
    else:
        size = (len(history.get("batches", [])), len(history.get("epochs", [])))
        loss, acc, notes = shared_specs((share, zoom), size, fresh, lambda: curves.training_view(history, zoom))
        left, right = st.columns(2)
        left.vega_lite_chart(copy.deepcopy(loss), width="stretch")    # Streamlit edits the spec it is given
        right.vega_lite_chart(copy.deepcopy(acc), width="stretch")
    for note in notes:
        st.caption(note)


_SHARED: "OrderedDict[Hashable, tuple]" = OrderedDict()
_SHARED_LOCK = threading.Lock()
SHARED_KEEP = 64          # runs (× zoom) whose latest chart pair is kept


def shared_specs(key: Hashable, size: tuple, fresh: float, build) -> tuple[dict, dict, list[str]]:
    """``build()`` → (loss chart, accuracy chart, notes), converted to Vega-Lite specs the way
    ``st.altair_chart`` converts them (data as Arrow bytes) and kept under ``key``. A later call
    reuses them when the run's data ``size`` is unchanged or they are younger than ``fresh`` s."""
    now = time.monotonic()
    with _SHARED_LOCK:
        kept = _SHARED.get(key)
        if kept is not None and (kept[1] == size or now - kept[0] < fresh):
            _SHARED.move_to_end(key)
            return kept[2]
    loss, acc, notes = build()
    made = (_vega_lite_spec(loss), _vega_lite_spec(acc), list(notes))
    with _SHARED_LOCK:
        _SHARED[key] = (now, size, made)
        _SHARED.move_to_end(key)
        while len(_SHARED) > SHARED_KEEP:
            _SHARED.popitem(last=False)
    return made


def cached_chart(build, *args, width="stretch", **options) -> None:
    """``build(*args, **options)`` – an Altair chart of :mod:`tutorial.charts` – drawn as
    ``st.altair_chart`` draws it, but built and converted once per server process for the same
    arguments (Altair's validation of a chart with browser-side sliders costs up to a second per
    script run; the cached spec none)."""
    name = f"{build.__module__}.{build.__qualname__}"
    st.vega_lite_chart(_chart_spec(name, build, args, tuple(sorted(options.items()))), width=width)


@st.cache_data(max_entries=128, show_spinner=False)   # a spec is 1–150 kB
def _chart_spec(name: str, _build, args: tuple, options: tuple) -> dict:
    """The spec of ``_build(*args, **options)`` (``name`` identifies ``_build`` for the cache; each
    call returns a copy)."""
    return _vega_lite_spec(_build(*args, **dict(options)))


def vega_lite_chart(spec: dict, width="stretch") -> None:
    """``st.vega_lite_chart(spec)``; a named dataset given as a tuple (an engine cache's unchanging
    rows, e.g. a loss surface's heatmap cells) becomes a table once per process instead of on every run."""
    datasets = spec.get("datasets") or {}
    for name, rows in datasets.items():
        if isinstance(rows, tuple):
            datasets[name] = _table_once(rows)
    st.vega_lite_chart(spec, width=width)


_TABLES: "OrderedDict[int, tuple]" = OrderedDict()


def _table_once(rows: tuple) -> pd.DataFrame:
    """The rows as a DataFrame, made once per tuple (kept by identity; the entry holds the tuple, so
    its id stays its own)."""
    with _SHARED_LOCK:
        kept = _TABLES.get(id(rows))
    if kept is None or kept[0] is not rows:
        kept = (rows, pd.DataFrame(list(rows)))
        with _SHARED_LOCK:
            _TABLES[id(rows)] = kept
            while len(_TABLES) > 16:
                _TABLES.popitem(last=False)
    return kept[1]


def _vega_lite_spec(chart) -> dict:
    """An Altair chart as the spec ``st.altair_chart`` would send (Streamlit's own conversion, which
    keeps the data as Arrow bytes and takes Altair's global settings under Streamlit's lock)."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    return _convert_altair_to_vega_lite_spec(chart)


def show_lr_schedule(spec: S.RunSpec) -> None:
    st.altair_chart(curves.lr_chart(spec), width="stretch")


def show_layer_table(spec: S.RunSpec) -> bool:
    """Output shape and parameters of every layer, computed without TensorFlow.

    Returns False (after a German error message) when the stack cannot work.
    """
    try:
        rows = S.layer_table(spec)
    except ValueError as exc:
        st.error(f"Dieses Modell lässt sich so nicht bauen: {exc}")
        return False
    table = [{"Schicht": "Eingabe", "Ausgabeform": "(None, 784)", "Parameter": "0"}]
    table += [{"Schicht": row["label"], "Ausgabeform": str((None, *row["output_shape"])),
               "Parameter": de(row["params"])} for row in rows]
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(f"Insgesamt {de(sum(r['params'] for r in rows))} Parameter.")
    return True
