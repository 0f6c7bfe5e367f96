"""A learner's saved state, without accounts: one small JSON file per random learner token.

The app layer (``tutorial.app.progress``) keeps the token in the page URL (``?lernende=…``); this
module stores, per token, what the learner did (chapters visited, exercises run, questions
answered, guesses) and what a reload must bring back (widget values, each page's last run, the run
log). Files are written atomically (temporary file + ``os.replace``) into
``TUTORIAL_PROGRESS_DIR`` (default: ``~/.cache/deep-learning-tutorial/progress``); the file name is
a hash of the token, so a directory listing reveals no working link.

No Streamlit, no TensorFlow.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Any, Optional

from tutorial import presets, settings
from tutorial import spec as S

TOKEN_BYTES = 16
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")   # secrets.token_urlsafe(16)
VERSION = 1
MAX_BYTES = 5_000_000     # a larger file is not read (nobody's progress is that big)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def valid_token(token: object) -> bool:
    return isinstance(token, str) and bool(TOKEN_PATTERN.match(token))


def directory() -> Path:
    return settings.progress_dir()


def path(token: str) -> Path:
    if not valid_token(token):
        raise ValueError("invalid learner token")
    return directory() / (hashlib.sha256(token.encode()).hexdigest()[:40] + ".json")


def empty() -> dict:
    return {"version": VERSION, "visited": [], "ran": [], "answers": {}, "guesses": {},
            "widgets": {}, "selections": {}, "log": []}


def load(token: str) -> dict:
    """The learner's saved state (an empty one for a new token or an unreadable file)."""
    data = empty()
    try:
        file = path(token)
        if file.stat().st_size > MAX_BYTES:
            return data
        stored = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return data
    if isinstance(stored, dict) and stored.get("version") == VERSION:
        for name, default in empty().items():
            if isinstance(stored.get(name), type(default)) or (default is None and isinstance(stored.get(name), str)):
                data[name] = stored[name]
    return data


def save(token: str, data: dict) -> None:
    """Write the learner's state atomically (a crash leaves the old file or the new one, never half)."""
    file = path(token)
    file.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, default=_plain)
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, file)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def delete(token: str) -> None:
    try:
        path(token).unlink()
    except (OSError, ValueError):
        pass


def _plain(value: Any):
    """JSON fallback for numpy numbers and arrays in histories."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# --- histories and selections as plain data (run specs: RunSpec.to_data / RunSpec.from_data) -------------

def finite(value):
    """NaN and infinities as None (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def clean_history(history: dict) -> dict:
    """A history with NaN/inf replaced by None in its per-epoch and per-batch values."""
    out = dict(history)
    for part in ("epochs", "batches"):
        if isinstance(history.get(part), list):
            out[part] = [{k: finite(v) for k, v in row.items()} for row in history[part]]
    return out


def restore_history(history: dict) -> dict:
    out = dict(history)
    for part in ("epochs", "batches"):
        if isinstance(history.get(part), list):
            out[part] = [{k: (math.nan if v is None else v) for k, v in row.items()} for row in history[part]]
    return out


def selection_to_dict(selection: dict) -> Optional[dict]:
    """A page's last-run selection ({"kind": "live", "spec": RunSpec, …} or {"kind": "pretrained", …})."""
    if not isinstance(selection, dict):
        return None
    out = {k: v for k, v in selection.items() if k != "spec" and isinstance(v, (str, bool, int, float, type(None)))}
    if isinstance(selection.get("spec"), S.RunSpec):
        out["spec"] = selection["spec"].to_data()
    return out


def selection_from_dict(data: dict) -> Optional[dict]:
    if not isinstance(data, dict) or data.get("kind") not in ("live", "pretrained"):
        return None
    out = dict(data)
    if data["kind"] == "live":
        try:
            out["spec"] = S.RunSpec.from_data(data.get("spec"))
        except ValueError:
            return None
    elif data.get("name") not in presets.PRESETS:
        return None
    return out


def plain_widget(value) -> bool:
    """Widget values that are stored: numbers, text, booleans and lists of them."""
    if isinstance(value, (bool, int, str)) or value is None:
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(plain_widget(v) for v in value)
    return False
