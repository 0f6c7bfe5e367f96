"""The one progress store of this server process (:class:`tutorial.store.store.Store`, kept by
``st.cache_resource``) and its upkeep.

Built on first use from the settings (:mod:`tutorial.settings`, which read ``st.secrets`` once
:mod:`tutorial.app.host` is imported – every page's frame does: ``TUTORIAL_DATABASE_URL``, expiry and
the store's cap): the schema is brought up to date, old JSON progress files are imported once
(:func:`tutorial.store.legacy.import_directory`) and learners not seen for the expiry time are
deleted; :func:`upkeep` (every page run) deletes them again at most hourly. When the database cannot
be reached, :func:`store` raises :class:`~tutorial.store.errors.Unavailable` (German message) and
tries again at most every :data:`RETRY_SECONDS`, so a page never waits for a dead database twice in
a row.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

import streamlit as st

from tutorial import settings
from tutorial.store import legacy
from tutorial.store.errors import StoreError, Unavailable
from tutorial.store.limits import Limits
from tutorial.store.store import Store
from tutorial.backoff import Backoff
from tutorial.store import transfer

LOG = logging.getLogger(__name__)
UPKEEP_SECONDS = 3600
RETRY_SECONDS = 30


@dataclass
class _Shared:
    store: Store
    limiter: Backoff = field(default_factory=transfer.limiter)
    upkeep_at: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)


_failed_at = -1e18


def limits() -> Limits:
    return Limits(expiry_days=settings.progress_expiry_days(), store_learners=settings.progress_max_learners(),
                  store_bytes=settings.progress_max_mb() * 1_000_000)


@st.cache_resource(show_spinner=False)
def _shared() -> _Shared:
    store = Store(settings.database_url(), limits=limits())
    try:
        counts = legacy.import_directory(store)
        if counts["imported"] or counts["damaged"]:
            LOG.info("old progress files imported: %s", counts)
        store.expire()
    except (StoreError, OSError) as exc:       # the app works without; tried again at the next start
        LOG.warning("progress store upkeep at start failed: %s", exc)
    return _Shared(store)


def _get() -> _Shared:
    global _failed_at
    if time.monotonic() - _failed_at < RETRY_SECONDS:
        raise Unavailable("the progress database failed a moment ago")
    try:
        return _shared()
    except StoreError:
        _failed_at = time.monotonic()
        raise
    except Exception as exc:  # noqa: BLE001 - a bad URL or driver: the learner sees the German message
        _failed_at = time.monotonic()
        LOG.error("progress store cannot be opened: %s", exc)
        raise Unavailable(str(exc)[:200]) from exc


def store() -> Store:
    """This process's store (raises :class:`~tutorial.store.errors.Unavailable`)."""
    return _get().store


def limiter() -> Backoff:
    """How often one-time codes may be tried on this server."""
    return _get().limiter


def upkeep() -> None:
    """Delete expired learners, at most every :data:`UPKEEP_SECONDS` (one page run does it, the
    others do not wait for it)."""
    try:
        shared = _get()
    except StoreError:
        return
    if time.monotonic() - shared.upkeep_at < UPKEEP_SECONDS or not shared.lock.acquire(blocking=False):
        return
    try:
        shared.upkeep_at = time.monotonic()
        shared.store.expire()
    except StoreError as exc:
        LOG.warning("progress store upkeep failed: %s", exc)
    finally:
        shared.lock.release()
