"""The workshop host's side of the app: ``st.secrets`` handed to :mod:`tutorial.settings`, the
:class:`~tutorial.workshop.Room` (banner, workshop mode, learners online – in the progress store, so
every app server of a course shares it) and the banner on every page. The host page itself is
:mod:`tutorial.app.hostpage`; the trainer and its warm start are :func:`tutorial.app.loader.trainer`.

Settings (``.streamlit/secrets.toml``; the same names work as environment variables; all of them and
how they are resolved: :mod:`tutorial.settings`)::

    TUTORIAL_PARALLEL_TRAININGS = 2      # trainings at once (default: automatic, 1 on 2 cores)
    TUTORIAL_MEMORY_LIMIT_MB = 2700      # what the host page compares memory with
    TUTORIAL_WARM_START = 0              # no training child and models ahead of time (default: 1)

    [kursleitung]
    passwort = "…"                       # opens the host page "Kursleitung"
"""
from __future__ import annotations

from typing import Callable, Optional

import streamlit as st

from tutorial import settings
from tutorial.chapters import CHAPTERS, Chapter
from tutorial.store.errors import StoreError
from tutorial.workshop import Room

# Once per process, on the first import of the app layer's host module (every page's start and the
# trainer import it): the settings read st.secrets from now on – looked up anew each time, because
# Streamlit's AppTest swaps st.secrets per test run.
settings.use_secrets(lambda: st.secrets)


def password() -> Optional[str]:
    value = settings.host_password()
    return str(value) if value not in (None, "") else None


@st.cache_resource(show_spinner=False)
def room() -> Room:
    """The host's banner, workshop mode and who is online (one reader per server process; the state
    itself is in the shared store)."""
    from tutorial.app import storage

    return Room(storage.store)


def change_room(setter: Callable, *args, **kwargs) -> None:
    """A host control changes the room in the shared store (``setter(*args, **kwargs)``); a store that
    cannot be reached says so in German and ends this run (the host page and "Der Raum")."""
    try:
        setter(*args, **kwargs)
    except StoreError as exc:
        st.error(exc.message_de, icon=":material/error:")
        st.stop()


def frame() -> Optional[Chapter]:
    """Called by every page's start: the host's banner (a learner counts as online through the
    progress store, :func:`tutorial.app.progress.visit`). Returns the chapter the banner points
    everyone to ("Alle zu Kapitel …"), which the page draws as a link, or None."""
    here = room().state()
    if not here.banner:
        return None
    st.info(here.banner, icon=":material/campaign:")
    return next((c for c in CHAPTERS if c.key == here.banner_chapter), None)
