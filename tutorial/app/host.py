"""The workshop host's side of the app: settings from ``st.secrets``, the shared :class:`~tutorial.workshop.Room`
(banner, workshop mode, learners online) and the banner on every page. The host page itself is
:mod:`tutorial.app.hostpage`; the trainer and its warm start are :func:`tutorial.app.loader.trainer`.

Settings (``.streamlit/secrets.toml``; the same names work as environment variables)::

    TUTORIAL_PARALLEL_TRAININGS = 2      # trainings at once (default: automatic, 1 on 2 cores)
    TUTORIAL_MEMORY_LIMIT_MB = 2700      # what the host page compares memory with
    TUTORIAL_WARM_START = 0              # no training child and models ahead of time (default: 1)

    [kursleitung]
    passwort = "…"                       # opens the host page "Kursleitung"
"""
from __future__ import annotations

import hmac
from typing import Optional

import streamlit as st

from tutorial.workshop import Room

SECTION, PASSWORD = "kursleitung", "passwort"


def secret(key: str, section: Optional[str] = None):
    """A value from ``st.secrets`` (None when there is no secrets file or no such key)."""
    try:
        source = st.secrets[section] if section else st.secrets
        return source.get(key)
    except Exception:  # noqa: BLE001 - no secrets.toml, or a section that is not a table
        return None


def password() -> Optional[str]:
    value = secret(PASSWORD, SECTION)
    return str(value) if value not in (None, "") else None


def password_ok(given: str) -> bool:
    expected = password()
    return expected is not None and hmac.compare_digest(str(given).encode(), expected.encode())


@st.cache_resource(show_spinner=False)
def room() -> Room:
    """The host's banner, workshop mode and who is online (one per server process)."""
    return Room()


def warm_start_enabled() -> bool:
    from tutorial import settings
    return settings.warm_start(secret("TUTORIAL_WARM_START"))


def trainer_options() -> dict:
    """Keyword arguments for the server's local trainer (:class:`~tutorial.jobs.LocalTrainer`) from the secrets."""
    return {"parallel": secret("TUTORIAL_PARALLEL_TRAININGS")}


def memory_limit_mb() -> float:
    from tutorial import settings
    value = settings._int(secret("TUTORIAL_MEMORY_LIMIT_MB"))
    return float(value) if value else settings.memory_limit_mb()


def frame() -> None:
    """Called by every page's start: note the learner as online and show the host's banner."""
    from tutorial.app.state import learner_id

    here = room()
    here.seen(learner_id())
    if here.banner:
        st.info(here.banner, icon=":material/campaign:")
