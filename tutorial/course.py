"""How long the whole course takes: reading the pages and training every exercise once.

* :func:`exercise_specs` – the run each exercise trains with the codelab's solution (chapter 3's first net
  and the solution preset of every chapter with an exercise, :func:`tutorial.chapters.exercises`).
* :func:`training_seconds` – their price (:mod:`tutorial.price`: seconds on an idle 2-core box) added up.
* :data:`READING_WORDS` – the words of explanation the chapter pages print; ``tests/test_course.py``
  counts them from the pages and fails when this number is more than a fifth off (the app itself never
  parses a page file). :func:`reading_minutes` turns it into minutes at :data:`WORDS_PER_MINUTE`.

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

from typing import Callable, Optional

from tutorial import price as P
from tutorial.chapters import by_number, exercises
from tutorial.presets import PRESETS
from tutorial.spec import RunSpec

READING_WORDS = 15_400      # counted 7 Dec 2026, 19:20 UTC (chapters 1-16, st.markdown/info/caption prose of the pages)
WORDS_PER_MINUTE = 120      # careful reading of a technical text in one's own language (≈ 200-250 for prose)


def exercise_specs() -> list[RunSpec]:
    """One run per exercise, with the solution's settings: chapter 3's net, then each exercise's solution."""
    first = by_number(3).presets[0]
    return [PRESETS[first]] + [PRESETS[c.solution] for c in exercises()]


def training_seconds(transform: Optional[Callable[[RunSpec], RunSpec]] = None) -> float:
    """Seconds on an idle 2-core box to train every exercise once (``transform`` each spec first,
    e.g. ``RunSpec.quick`` for quick mode)."""
    specs = exercise_specs()
    if transform is not None:
        specs = [transform(s) for s in specs]
    return sum(P.price(s).seconds for s in specs)


def reading_minutes() -> float:
    """Minutes to read the chapters' explanations once (without the experiments and questions)."""
    return READING_WORDS / WORDS_PER_MINUTE
