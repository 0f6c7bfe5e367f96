"""Moving a learner's identity (no Streamlit): a one-time code for another device, and the progress of
an old ``?lernende=`` link copied into the current learner.

**Codes** ("Auf einem anderen Gerät weitermachen"): :data:`CODE_LENGTH` characters of an alphabet
without look-alikes (32 symbols, so 60 bits), valid :data:`CODE_MINUTES` minutes, used once. The
database keeps a hash of the code and the learner's token encrypted with a key derived from the
code – never a token in clear: whoever has the code gets the token, a copy of the database alone
does not. A learner has at most one open code (a new one replaces it). Guessing is slowed by
:func:`limiter` (per server process: a back-off per learner and an overall window).

**Old links**: :func:`copy_progress` copies what an old learner did (visits, answers, guesses,
trainings, settings, run log) into the current learner; the old learner stays as it was (it expires
like any other).
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import Callable, Optional

from sqlalchemy import delete, or_, select

from tutorial.backoff import Backoff
from tutorial.store import limits as lim
from tutorial.store import schema as T
from tutorial.store.limits import ROW_BYTES, token_hash
from tutorial.store.store import Store

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"      # no 0/O, 1/I
CODE_LENGTH = 12                                   # 12 × 5 bits = 60 bits
CODE_MINUTES = 15


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(text: object) -> Optional[str]:
    """A typed or linked code in its stored form (upper case, no spaces or dashes), or None."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def pretty(code: str) -> str:
    """``ABCD-EFGH-JKLM``: easier to read out and type."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _hash(code: str) -> str:
    return hashlib.sha256(b"tutorial-transfer-code:" + code.encode()).hexdigest()


def _keystream(code: str, n: int) -> bytes:
    return hashlib.shake_256(b"tutorial-transfer-seal:" + code.encode()).digest(n)


def _seal(token: str, code: str) -> str:
    data = token.encode()
    return base64.urlsafe_b64encode(bytes(a ^ b for a, b in zip(data, _keystream(code, len(data))))).decode()


def _unseal(sealed: str, code: str) -> str:
    data = base64.urlsafe_b64decode(sealed.encode())
    return bytes(a ^ b for a, b in zip(data, _keystream(code, len(data)))).decode("ascii", "replace")


def issue(store: Store, token: str) -> str:
    """A new one-time code for the learner with ``token`` (their older open code is void)."""
    code = new_code()
    with store._tx() as conn:
        learner = store._lock(conn, token)
        now = store.clock()
        conn.execute(delete(T.transfers).where(or_(T.transfers.c.learner_id == learner.id,
                                                   T.transfers.c.expires < now)))
        conn.execute(T.transfers.insert().values(code_hash=_hash(code), learner_id=learner.id,
                                                 sealed=_seal(token, code), expires=now + CODE_MINUTES * 60))
    return code


def redeem(store: Store, text: object) -> Optional[str]:
    """The token the code was issued for, or None (not a code, unknown, expired or used). A found
    code is used up, also when it had expired."""
    code = normalise(text)
    if code is None:
        return None
    key = _hash(code)
    with store._tx() as conn:
        row = conn.execute(select(T.transfers.c.sealed, T.transfers.c.expires)
                           .where(T.transfers.c.code_hash == key).with_for_update()).first()
        if row is None:
            return None
        conn.execute(delete(T.transfers).where(T.transfers.c.code_hash == key))
        if row.expires < store.clock():
            return None
    token = _unseal(row.sealed, code)
    return token if lim.TOKEN_PATTERN.match(token) else None


def copy_progress(store: Store, source: str, target: str) -> bool:
    """Copy the progress of the learner ``source`` (an old link's token) into ``target``: visits and
    run log entries ``target`` lacks are added, answers, guess events and trainings appended, and the
    old link's guesses and settings replace ``target``'s (the learner asked for them back). False
    when ``source`` has no progress."""
    if token_hash(source) == token_hash(target):
        return False
    L = T.learners
    with store._tx() as conn:
        src = conn.execute(select(L.c.id, L.c.generation).where(L.c.token_hash == token_hash(source))).first()
        if src is None:
            return False
        dst = store._lock(conn, target)
        rows = size = 0

        def add(table, cost: int, **values) -> None:
            nonlocal rows, size
            conn.execute(table.insert().values(learner_id=dst.id, **values))
            rows, size = rows + 1, size + cost

        def own(table, *names) -> set:
            return {tuple(r) for r in conn.execute(select(*(table.c[n] for n in names))
                                                   .where(table.c.learner_id == dst.id))}

        def theirs(table, *where):
            cols = [c for c in table.c if c.name not in ("id", "learner_id")]
            return conn.execute(select(*cols).where(table.c.learner_id == src.id, *where)
                                .order_by(*table.primary_key.columns)).mappings().all()

        visited = own(T.visits, "chapter")
        for v in theirs(T.visits):
            if (v["chapter"],) not in visited:
                add(T.visits, ROW_BYTES, **v)
        for g in theirs(T.guesses):                                    # the old link's guesses win
            gone = conn.execute(delete(T.guesses).where(T.guesses.c.learner_id == dst.id, T.guesses.c.chapter == g["chapter"],
                                                        T.guesses.c.step == g["step"])).rowcount
            rows, size = rows - gone, size - gone * ROW_BYTES
            add(T.guesses, ROW_BYTES, **g)
        for table in (T.answers, T.guess_events, T.trainings):       # the old learner's current generation
            for r in theirs(table, table.c.generation == src.generation):
                extra = len(r.get("option") or r.get("spec") or "")
                add(table, ROW_BYTES + extra, **dict(r, generation=dst.generation))
        mine = dict(((k, n), b) for k, n, b in conn.execute(select(T.settings.c.kind, T.settings.c.key, T.settings.c.bytes)
                                                             .where(T.settings.c.learner_id == dst.id)))
        for s in theirs(T.settings):                                   # … and so do its settings
            if (s["kind"], s["key"]) in mine:
                conn.execute(delete(T.settings).where(T.settings.c.learner_id == dst.id, T.settings.c.kind == s["kind"],
                                                      T.settings.c.key == s["key"]))
                rows, size = rows - 1, size - mine[(s["kind"], s["key"])]
            add(T.settings, s["bytes"], **s)
        logged = own(T.runlog, "key")
        room = max(0, store.limits.runlog_entries - len(logged))
        entries = [r for r in theirs(T.runlog) if (r["key"],) not in logged]
        for r in entries[len(entries) - room:] if room else []:
            add(T.runlog, r["bytes"], **r)
        store._charge(conn, dst, rows, size)
    return True


def limiter(clock: Callable[[], float] = time.monotonic) -> Backoff:
    """How often codes may be tried (one per server process): per learner the first 5 failures
    cost nothing, then a doubling wait from 2 s up to 5 min; overall at most 30 failures a minute."""
    return Backoff(free=5, base=2.0, max_wait=300.0, window=60.0, window_failures=30, clock=clock)
