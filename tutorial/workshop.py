"""What the host of a workshop controls, shared by every session of a server process.

A :class:`Room` (one per server, kept by ``st.cache_resource`` in the app layer) holds the banner
shown on every page, the workshop mode (every live training in quick mode), and when each learner
session was last seen (for "learners online"). It knows nothing of Streamlit; the host page
``kapitel/werkzeuge/kursleitung.py`` changes it, :func:`tutorial.app.page.start` shows the banner.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

from tutorial.spec import RunSpec

ONLINE_SECONDS = 300     # a session seen within the last five minutes counts as online
BANNER_MAX = 300         # characters


class Room:
    """The host's shared settings and who is here."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, float] = {}
        self.banner = ""
        self.quick = False       # workshop mode: every live training in quick mode

    # --- learners ---------------------------------------------------------------------------
    def seen(self, session_id: str) -> None:
        """Note that ``session_id`` just ran a page."""
        if not session_id:
            return
        with self._lock:
            self._seen[session_id] = self._clock()

    def online(self, seconds: float = ONLINE_SECONDS) -> int:
        """Sessions seen within the last ``seconds`` (older ones are forgotten)."""
        now = self._clock()
        with self._lock:
            for sid in [s for s, t in self._seen.items() if now - t > max(seconds, ONLINE_SECONDS)]:
                del self._seen[sid]
            return sum(1 for t in self._seen.values() if now - t <= seconds)

    # --- the host's controls ------------------------------------------------------------------
    def set_banner(self, text: str) -> None:
        """Show ``text`` on every page (an empty text removes the banner)."""
        self.banner = " ".join(str(text or "").split())[:BANNER_MAX]

    def set_quick(self, on: bool) -> None:
        self.quick = bool(on)

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
