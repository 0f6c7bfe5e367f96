"""Models trained ahead of time by ``python -m tutorial pretrain``, stored in ``assets/models``.

Each preset of :data:`tutorial.presets.PRESETS` has ``NAME.keras`` (plain Keras, no custom objects,
input (N, 784) float32 pixel/256) and ``NAME.json`` (the run's full history, same format as a live
run), so every chapter can show a finished result without waiting.
"""
from __future__ import annotations

import json
from pathlib import Path

from tutorial.paths import MODELS_DIR


def model_path(name: str) -> Path:
    return MODELS_DIR / f"{name}.keras"


def history_path(name: str) -> Path:
    return MODELS_DIR / f"{name}.json"


def available() -> list[str]:
    """Names of the presets with both a stored model and history, in preset order."""
    from tutorial.presets import PRESETS
    return [n for n in PRESETS if model_path(n).is_file() and history_path(n).is_file()]


def load_history(name: str) -> dict:
    """The stored history: {"batches": [...], "epochs": [...], "seconds", "test_accuracy", ...}."""
    return json.loads(history_path(name).read_text(encoding="utf-8"))


def load_model(name: str):
    """The stored Keras model (imports TensorFlow)."""
    import keras
    return keras.models.load_model(model_path(name))


def save(name: str, model, history: dict) -> None:
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    model.save(model_path(name))
    history_path(name).write_text(json.dumps(history, indent=1), encoding="utf-8")
