"""The store's bounds and the keys it knows.

Bounds (:class:`Limits`): per learner a cap on rows and bytes that a diligent learner never meets
(all 16 chapters, every question answered a few times, a hundred runs in the log), per value a size
cap, a cap on the whole store (learners and bytes), and the expiry of learners not seen for a while.

Known keys (:class:`Vocabulary`): chapters and questions from the course's own tables
(:mod:`tutorial.chapters`, :mod:`tutorial.questions`), option indexes within the question's options,
setting kinds from :data:`SETTING_KINDS` and setting keys of a plain form (the app may narrow them
further with ``setting_key``). Anything else is refused with :class:`~tutorial.store.errors.UnknownKey`.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Optional

from tutorial.store.errors import InvalidToken, InvalidValue, TooLarge, UnknownKey

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,79}$")
ROOM_KEYS = ("banner", "banner_chapter", "quick", "since")
BANNER_MAX = 300
TRAINING_KINDS = ("live", "fertig")

# setting kind -> largest value in bytes (JSON text): widget values, a page's last-run selection
# (with its run spec), the learner's small metadata (e.g. the session id the trainer knows)
SETTING_KINDS = {"widget": 4_096, "selection": 16_384, "meta": 512}
META_KEYS = ("session_id",)
ROW_BYTES = 64             # what one row costs beyond its values (the per-learner byte cap)
QUARANTINE_DATA = 65_536   # characters of a damaged record kept aside


@dataclass(frozen=True)
class Limits:
    learner_rows: int = 5_000               # ~40 times what working through the course writes
    learner_bytes: int = 8_000_000          # the run log dominates: ~100 runs with per-epoch curves
    settings_per_learner: int = 1_000
    runlog_entry_bytes: int = 600_000       # one run with its per-batch curve is ~100 kB
    runlog_entries: int = 200               # the newest are kept, older ones dropped
    store_learners: int = 100_000
    store_bytes: int = 4_000_000_000
    expiry_days: float = 90.0               # learners not seen for that long are deleted
    empty_hours: float = 1.0                # at the store's cap: learners with nothing but visits, not seen for
                                            # that long, make room (sessions opened by a script fill no cap)
    online_seconds: float = 300.0           # "online": seen in the last five minutes
    touch_seconds: float = 30.0             # last_seen is rewritten at most this often by a read


def number(value, what: str) -> Optional[float]:
    """A finite number as float (None stays None); anything else is refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidValue(f"{what}: {str(value)[:40]!r}")
    return float(value)


def dumps(value, cap: int, what: str) -> str:
    """``value`` as compact JSON, refused when it is not plain data (objects, NaN, infinities) or
    longer than ``cap`` bytes."""
    try:      # json refuses objects, NaN and infinities itself (faster than walking the value first)
        out = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidValue(f"{what}: not plain JSON data ({exc})") from exc
    if len(out.encode()) > cap:
        raise TooLarge(f"{what}: {len(out.encode())} bytes > {cap}")
    return out


def _no_constant(name: str):
    raise ValueError(f"{name} is not plain JSON")


def loads(text: str):
    """A stored value back (ValueError for anything that is not plain JSON, NaN included)."""
    return json.loads(text, parse_constant=_no_constant)


def new_token() -> str:
    """A fresh learner token (192 random bits, URL-safe: what the cookie holds)."""
    return secrets.token_urlsafe(24)


def check_token(token: object) -> str:
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        raise InvalidToken("learner token of the wrong form")
    return token


def token_hash(token: str) -> str:
    """The learner's key in the database (the old JSON store used the same hash as file name)."""
    return hashlib.sha256(check_token(token).encode()).hexdigest()[:40]


def check_key(key: object, what: str) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise UnknownKey(f"{what}: {str(key)[:40]!r}")
    return key


@dataclass
class Vocabulary:
    """What the store accepts. Defaults come from the course; tests may pass their own."""
    chapters: Optional[frozenset] = None
    setting_key: Optional[Callable[[str, str], bool]] = None     # (kind, key) -> known?
    _questions: Optional[dict] = field(default=None, repr=False)
    _guesses: Optional[dict] = field(default=None, repr=False)

    @cached_property
    def chapter_keys(self) -> frozenset:
        if self.chapters is not None:
            return frozenset(self.chapters)
        from tutorial.chapters import CHAPTERS
        return frozenset(c.key for c in CHAPTERS)

    @cached_property
    def questions(self) -> dict:
        """question id -> number of options (0 for a question answered with a number)."""
        if self._questions is not None:
            return self._questions
        from tutorial import questions as Q
        return {q.id: len(q.options) for qs in Q.all_questions().values() for q in qs}

    def is_right(self, question: str, option) -> Optional[bool]:
        """Whether ``option`` (already checked by :meth:`answer`) is the right answer to ``question``;
        None for a vocabulary a test passed (it has no questions to ask)."""
        if self._questions is not None:
            return None
        found = self._question_objects.get(question)
        return None if found is None else found.check(option)[0]

    @cached_property
    def _question_objects(self) -> dict:
        from tutorial import questions as Q
        return {q.id: q for qs in Q.all_questions().values() for q in qs}

    @cached_property
    def retired(self) -> frozenset:
        """Ids of questions taken out of the course (old answers to them are skipped, not refused)."""
        if self._questions is not None:
            return frozenset()
        from tutorial import questions as Q
        return Q.RETIRED

    @cached_property
    def guesses(self) -> dict:
        """chapter key -> number of options of its "Ihre Vermutung"."""
        if self._guesses is not None:
            return self._guesses
        from tutorial import questions as Q
        return {key: len(g.options) for key in Q.CHAPTER_KEYS if (g := Q.guess(key)) is not None}

    def chapter(self, key: object) -> str:
        if not isinstance(key, str) or key not in self.chapter_keys:
            raise UnknownKey(f"chapter {str(key)[:40]!r}")
        return key

    def answer(self, question: object, option: object) -> str:
        """The answer's option as stored text: the option's index, or the typed number."""
        if not isinstance(question, str) or question not in self.questions:
            raise UnknownKey(f"question {str(question)[:64]!r}")
        n = self.questions[question]
        if n:
            if isinstance(option, bool) or not isinstance(option, int) or not 0 <= option < n:
                raise InvalidValue(f"option {option!r} of {question}")
            return str(option)
        if (isinstance(option, bool) or not isinstance(option, (int, float))
                or (isinstance(option, int) and abs(option) > 2 ** 53) or not math.isfinite(option)):
            raise InvalidValue(f"number {str(option)[:40]!r} of {question}")     # (a huge int: no float)
        text = format(float(option), ".10g")
        if len(text) > 32:
            raise InvalidValue(f"number {option!r} of {question}")
        return text

    def guess(self, chapter: object, step: object, *choices) -> tuple[str, str]:
        if not isinstance(chapter, str) or chapter not in self.guesses:
            raise UnknownKey(f"guess of {str(chapter)[:40]!r}")
        if not isinstance(step, str) or (step and not KEY_PATTERN.match(step)) or len(step) > 32:
            raise UnknownKey(f"guess step {str(step)[:40]!r}")
        for choice in choices:
            if choice is not None and (isinstance(choice, bool) or not isinstance(choice, int)
                                       or not 0 <= choice < self.guesses[chapter]):
                raise InvalidValue(f"guess option {choice!r} of {chapter}")
        return chapter, step

    def setting(self, kind: object, key: object) -> tuple[str, str, int]:
        """(kind, key, byte cap) of a known setting."""
        if kind not in SETTING_KINDS:
            raise UnknownKey(f"setting kind {str(kind)[:20]!r}")
        check_key(key, "setting")
        if kind == "meta" and key not in META_KEYS:
            raise UnknownKey(f"meta key {key!r}")
        if self.setting_key is not None and not self.setting_key(kind, key):
            raise UnknownKey(f"setting {kind}:{key}")
        return kind, key, SETTING_KINDS[kind]
