"""The one-time import of the old JSON progress files (one file per learner, ``tutorial/learner.py``).

The old store kept ``<sha256(token)[:40]>.json`` in ``TUTORIAL_PROGRESS_DIR`` (default
``~/.cache/deep-learning-tutorial/progress``); the file name is the learner's key in the new store
too, so an old ``?lernende=…`` link finds the imported progress. Each file is imported once and
marked in the ``imports`` table; the files themselves are left alone. What the old format did not
record is filled in plainly: answers get no chosen option (""), their tries become at most
:data:`MAX_TRIES` events, times are the file's modification time. Unknown chapters, questions or
setting keys are dropped; a file that is not readable JSON is kept aside in the quarantine.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Optional

from sqlalchemy import select

from tutorial import settings
from tutorial.store import limits as lim
from tutorial.store import schema as T
from tutorial.store.errors import StoreError
from tutorial.store.limits import QUARANTINE_DATA, ROW_BYTES
from tutorial.store.store import Store

NAME = re.compile(r"^[0-9a-f]{40}\.json$")
MAX_FILE = 5_000_000     # the old store did not read larger files either
MAX_TRIES = 10


def legacy_directory() -> Path:
    return settings.progress_dir()


def import_directory(store: Store, directory: Optional[Path] = None) -> dict:
    """Import every not yet imported progress file; returns counts per outcome."""
    folder = Path(directory) if directory is not None else legacy_directory()
    counts = {"imported": 0, "damaged": 0, "skipped": 0, "already": 0}
    if not folder.is_dir():
        return counts
    with store._tx(write=False) as conn:
        done = set(conn.execute(select(T.imports.c.name)).scalars())
    for file in sorted(folder.iterdir()):
        if not NAME.match(file.name):
            continue
        if file.name in done:
            counts["already"] += 1
            continue
        counts[_import_file(store, file)] += 1
    return counts


def _import_file(store: Store, file: Path) -> str:
    key = file.name[:40]
    try:
        stat = file.stat()
        raw = file.read_bytes()[:MAX_FILE + 1]
    except OSError:
        return "skipped"      # not marked: tried again next time
    when = stat.st_mtime
    data, reason = None, ""
    if len(raw) > MAX_FILE:
        reason = f"larger than {MAX_FILE} bytes"
    else:
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("version") != 1:
                data, reason = None, "not a version-1 progress record"
        except ValueError as exc:
            reason = f"{type(exc).__name__}: {exc}"
    with store._tx() as conn:
        if conn.execute(select(T.imports.c.name).where(T.imports.c.name == file.name)).first():
            return "skipped"     # another server imported it meanwhile
        exists = conn.execute(select(T.learners.c.id).where(T.learners.c.token_hash == key)).first()
        outcome = "damaged" if data is None else ("skipped" if exists else "imported")
        if data is None:
            conn.execute(T.quarantine.insert().values(
                learner_id=None, source="json-import", key=file.name, reason=reason[:200],
                data=raw[:QUARANTINE_DATA].decode("utf-8", "replace"), reported=False, at=store.clock()))
        elif not exists:
            _learner(store, conn, key, data, when)
        conn.execute(T.imports.insert().values(name=file.name, outcome=outcome, at=store.clock()))
    return outcome


def _learner(store: Store, conn, key: str, data: dict, when: float) -> None:
    vocab = store.vocabulary
    learner = conn.execute(T.learners.insert().values(
        token_hash=key, created=when, last_seen=when, generation=0, rows=0, bytes=0)).inserted_primary_key[0]
    rows: list = []      # (table, values)
    visited = [c for c in data.get("visited", []) if c in vocab.chapter_keys] if isinstance(data.get("visited"), list) else []
    for chapter in dict.fromkeys(visited):
        rows.append((T.visits, {"chapter": chapter, "first": when, "last": when, "count": 1}))
    for chapter in dict.fromkeys(data.get("ran", []) if isinstance(data.get("ran"), list) else []):
        if chapter in vocab.chapter_keys:
            rows.append((T.trainings, {"chapter": chapter, "kind": "live", "spec": "import", "generation": 0,
                                       "at": when}))
    answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
    for question, entry in answers.items():
        if question not in vocab.questions or not isinstance(entry, dict):
            continue
        tries = entry.get("tries") if isinstance(entry.get("tries"), int) else 1
        first, right = bool(entry.get("first")), bool(entry.get("right"))
        results = [first] + [right] * (max(1, min(tries, MAX_TRIES)) - 1)
        if right and not any(results):
            results.append(True)
        for result in results:
            rows.append((T.answers, {"question": question, "option": "", "right": result, "generation": 0,
                                     "at": when}))
    guesses = data.get("guesses") if isinstance(data.get("guesses"), dict) else {}
    for chapter, state in guesses.items():
        if chapter not in vocab.guesses or not isinstance(state, dict):
            continue
        choice = state.get("choice")
        if not (isinstance(choice, int) and not isinstance(choice, bool) and 0 <= choice < vocab.guesses[chapter]):
            choice = None
        rows.append((T.guesses, {"chapter": chapter, "step": "", "choice": choice, "updated": when,
                                 "skipped": bool(state.get("skipped")) and choice is None,
                                 "hint": bool(state.get("hint"))}))
        if choice is not None:
            rows.append((T.guess_events, {"chapter": chapter, "step": "", "kind": "guess", "choice": choice,
                                          "generation": 0, "at": when}))
    settings = [("widget", k, v) for k, v in _dict(data, "widgets").items()]
    settings += [("selection", k, v) for k, v in _dict(data, "selections").items()]
    if isinstance(data.get("session_id"), str):
        settings.append(("meta", "session_id", data["session_id"]))
    for kind, name, value in settings[:store.limits.settings_per_learner]:
        try:
            _, _, cap = vocab.setting(kind, name)
            text = lim.dumps(value, cap, name)
        except StoreError:
            continue
        rows.append((T.settings, {"kind": kind, "key": name, "value": text, "updated": when,
                                  "bytes": ROW_BYTES + len(name) + len(text.encode())}))
    log = data.get("log") if isinstance(data.get("log"), list) else []
    for i, entry in enumerate(log[-store.limits.runlog_entries:]):
        try:
            text = lim.dumps(entry, store.limits.runlog_entry_bytes, "run log entry")
        except StoreError:
            continue
        name = f"import-{i + 1}"
        rows.append((T.runlog, {"key": name, "value": text, "at": when, "updated": when,
                                "bytes": ROW_BYTES + len(name) + len(text.encode())}))
    count = size = 0
    for table, values in rows:
        cost = values.get("bytes", ROW_BYTES)
        if count + 1 > store.limits.learner_rows or size + cost > store.limits.learner_bytes:
            break        # the old file was larger than the new caps: the rest is dropped
        conn.execute(table.insert().values(learner_id=learner, **values))
        count, size = count + 1, size + cost
    conn.execute(T.learners.update().where(T.learners.c.id == learner).values(
        rows=count, bytes=size, chapter=visited[-1] if visited else None))


def _dict(data: dict, name: str) -> dict:
    value = data.get(name)
    return value if isinstance(value, dict) else {}
