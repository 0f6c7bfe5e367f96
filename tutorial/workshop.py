"""What the host of a workshop controls, shared by every app server on the same progress store.

A :class:`Room` reads and sets the room's state in the store (:mod:`tutorial.store.room`): the banner
shown on every page (optionally pointing at a chapter), the workshop mode (every live training in
quick mode), and how many learners are online (seen within the last minutes – "seen" is the store's
``last_seen`` of a learner, noted by the app on every page). So every server of a course shows the
same banner and mode. The state is read at most every :data:`FRESH_SECONDS` per server process (a
page run asks several times); a change made on this server is seen at once. No Streamlit here: the
app layer keeps one Room per process and the host page changes it (a change raises the store's
:class:`~tutorial.store.errors.StoreError` when the database cannot be reached).
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional, Union

from tutorial.spec import RunSpec
from tutorial.store import room as shared
from tutorial.store.errors import StoreError
from tutorial.store.store import Store

FRESH_SECONDS = 2.0


class Room:
    """The host's shared settings and who is here, in the store."""

    def __init__(self, store: Union[Store, Callable[[], Store]], clock: Callable[[], float] = time.monotonic):
        self._store = store if callable(store) and not isinstance(store, Store) else (lambda: store)
        self._clock = clock
        self._lock = threading.Lock()
        self._state: Optional[shared.RoomState] = None
        self._read_at = -1e18

    def state(self) -> shared.RoomState:
        """The room as the store has it (at most :data:`FRESH_SECONDS` old; while the store cannot be
        read, the last state read, or an empty room). One page run refreshes it; the others meanwhile
        get the last state at once instead of waiting for a slow database."""
        known = self._state
        if known is not None and self._clock() - self._read_at < FRESH_SECONDS:
            return known
        if not self._lock.acquire(blocking=known is None):
            return known                     # another run is reading the store right now
        try:
            if self._state is None or self._clock() - self._read_at >= FRESH_SECONDS:
                try:
                    self._state = shared.state(self._store())
                except StoreError:
                    self._state = self._state or shared.RoomState()
                self._read_at = self._clock()
            return self._state
        finally:
            self._lock.release()

    def _changed(self) -> None:
        with self._lock:
            self._state = None

    @property
    def banner(self) -> str:
        return self.state().banner

    @property
    def banner_chapter(self) -> Optional[str]:
        return self.state().banner_chapter

    @property
    def quick(self) -> bool:
        return self.state().quick

    def online(self) -> int:
        """Learners seen within the store's ``online_seconds``."""
        return self.state().online

    # --- the host's controls ------------------------------------------------------------------
    def set_banner(self, text: str, chapter: Optional[str] = None) -> None:
        """Show ``text`` on every page (an empty text removes the banner), with a link to ``chapter``."""
        shared.change(self._store(), banner=text, banner_chapter=chapter if text else None)
        self._changed()

    def set_quick(self, on: bool) -> None:
        shared.change(self._store(), quick=bool(on))
        self._changed()

    def live_spec(self, spec: RunSpec, quick: Optional[Callable[[RunSpec], RunSpec]] = None) -> RunSpec:
        """The run a learner's "Trainieren" starts: in workshop mode its quick variant."""
        if not self.quick:
            return spec
        return quick(spec) if quick is not None else spec.quick()


def chapter_specs(chapter, room: Optional[Room] = None,
                  quick: Optional[Callable[[RunSpec], RunSpec]] = None) -> list[RunSpec]:
    """The runs "pre-train this chapter" starts: the chapter's solution and the presets it shows,
    as a learner's "Trainieren" would start them (quick variants in workshop mode)."""
    from tutorial.presets import PRESETS

    names = [n for n in (chapter.solution, *chapter.presets) if n]
    specs = []
    for name in dict.fromkeys(names):
        spec = PRESETS[name]
        if room is not None:
            spec = room.live_spec(spec, quick)
        specs.append(spec)
    return specs
