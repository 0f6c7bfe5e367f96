"""The shapes of the course's questions and the run facts their guesses read.

Each chapter module (``tutorial.questions.chNN``) builds its ``QUESTIONS`` and ``GUESS`` from these
types; the package (:mod:`tutorial.questions`) finds a chapter's module and judges a guess. This
module imports only :mod:`tutorial.deutsch` of the project (so the chapters never import the package
that loads them).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Optional

from tutorial.deutsch import de


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str          # why this answer is right or wrong (shown after it was chosen)


@dataclass(frozen=True)
class Question:
    """A "Verständnisfrage": choose one of ``options`` or type the number ``answer``."""
    id: str                                 # unique, stable (progress files): "ch04.dense_params"
    prompt: str
    options: tuple[Option, ...] = ()
    answer: Optional[float] = None          # numeric question: the right number
    right: str = ""                         # numeric: feedback for the right number
    wrong: str = ""                         # numeric: feedback for any other number
    typical: tuple[tuple[float, str], ...] = ()   # numeric: typical wrong numbers and why
    runs: tuple[str, ...] = ()              # pretrained runs drawn as "Lauf A", "Lauf B" above the options
    zoom: int = 1                           # zoom of their loss charts (as the exercise's "Zoom der Kurven")

    @property
    def kind(self) -> str:
        return "number" if self.answer is not None else "choice"

    def check(self, value) -> tuple[bool, str]:
        """(right?, German feedback) for an option index or a typed number."""
        if self.kind == "choice":
            option = self.options[int(value)]
            return option.correct, option.feedback
        if value is None or not math.isfinite(float(value)):
            return False, "Bitte geben Sie eine Zahl ein."
        if abs(float(value) - self.answer) < 0.5:
            return True, self.right
        for number, text in self.typical:
            if abs(float(value) - number) < 0.5:
                return False, text
        return False, self.wrong


@dataclass(frozen=True)
class Verdict:
    correct: bool
    text_de: str
    decided: bool = True    # False: the run was too short to answer the question


@dataclass(frozen=True)
class Guess:
    """An "Ihre Vermutung" question about the outcome of a run.

    ``outcome(history, spec)`` returns the index of the option this run confirms (None if the run
    cannot answer it, e.g. one epoch only) and a German sentence stating the run's numbers.
    ``outcome`` may add a third item, True when it judged the app's finished full run of the same
    settings instead (the learner's run was too short). ``why`` explains, per option, what that
    outcome means; ``explain(index, spec)``, when given, explains it by the learner's settings instead.
    """
    id: str
    prompt: str
    options: tuple[str, ...]
    outcome: Callable[[dict, object], tuple[Optional[int], str]] = field(compare=False)
    why: tuple[str, ...] = ()
    explain: Optional[Callable[[int, object], str]] = field(default=None, compare=False)
    # exercises in steps (chapters 7 and 8): the step a run's spec belongs to ("" = the first); a guess
    # is asked and stored per step. ``steps``: (step, German name) pairs.
    step: Optional[Callable[[object], str]] = field(default=None, compare=False)
    steps: tuple[tuple[str, str], ...] = ()

    def step_of(self, spec) -> str:
        return self.step(spec) if self.step is not None and spec is not None else ""

    def step_name(self, step: str) -> str:
        return dict(self.steps).get(step, "")


# --- helpers the chapters' guesses use ------------------------------------------------------------

def epochs(history: dict) -> list[dict]:
    return [e for e in history.get("epochs", []) if math.isfinite(e.get("val_loss", math.nan))]


def final_accuracy(history: dict) -> Optional[float]:
    values = epochs(history)
    return values[-1]["val_accuracy"] if values else None


def best_accuracy(history: dict) -> Optional[float]:
    values = [e["val_accuracy"] for e in epochs(history)]
    return max(values) if values else None


def errors_per_10000(accuracy: float) -> int:
    return round((1 - accuracy) * 10_000)


def errors_text(accuracy: float, spec) -> str:
    """"das sind 999 Fehler unter den 10.000 Testziffern" – or, for a run checked on fewer test digits,
    "hochgerechnet … auf 10.000 Ziffern" (then it is an extrapolation)."""
    errors = errors_per_10000(accuracy)
    if spec is not None and getattr(spec, "val_limit", None):
        return f"hochgerechnet {de(errors)} Fehler auf 10.000 Ziffern"
    return f"{de(errors)} Fehler unter den 10.000 Testziffern"


def no_run(history: dict) -> str:
    return ("Dieser Lauf hat keine gültige Validierung geliefert (zum Beispiel wegen NaN) – "
            "damit lässt sich die Vermutung nicht prüfen.")
