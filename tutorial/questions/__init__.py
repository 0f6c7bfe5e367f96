"""Questions that make the learner commit to an answer: "Ihre Vermutung" before a run and
"Verständnisfrage" inside a chapter's text.

One module per chapter (``ch03.py`` … ``ch16.py``) holds that chapter's data:

* ``QUESTIONS``: place name -> tuple of :class:`Question` (multiple choice, a number to compute, or
  "which run over-fits?" on the curves of two pretrained runs);
* ``GUESS`` (exercise chapters): a :class:`Guess` about the outcome of the page's run, judged by
  :func:`judge` against that run's own history.

The app layer (``tutorial.app.quiz``) draws them; this package imports neither Streamlit nor
TensorFlow.
"""
from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Callable, Optional

from tutorial.deutsch import count, de

CHAPTER_KEYS = ("ch03", "ch04", "ch05", "ch06", "ch07", "ch08", "ch09", "ch10", "ch11", "ch12", "ch13",
                "ch14", "ch15")


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
    ``why`` explains, per option, what that outcome means.
    """
    id: str
    prompt: str
    options: tuple[str, ...]
    outcome: Callable[[dict, object], tuple[Optional[int], str]] = field(compare=False)
    why: tuple[str, ...] = ()


def judge(guess: Guess, choice: int, history: dict, spec=None) -> Verdict:
    """Judge the option ``choice`` of ``guess`` against a finished run's own ``history``."""
    index, facts = guess.outcome(history, spec)
    if index is None:
        return Verdict(False, facts, decided=False)
    explanation = guess.why[index] if index < len(guess.why) else ""
    if choice == index:
        text = f"**Richtig vermutet.** {facts} {explanation}"
    else:
        text = (f"**Diesmal nicht.** Sie hatten »{guess.options[choice]}« vermutet. {facts} "
                f"Richtig wäre für diesen Lauf »{guess.options[index]}«. {explanation}")
    if spec is not None and getattr(spec, "limit", None):
        text += (f" (Ein Schnelllauf mit nur {de(spec.train_size)} Trainingsziffern und "
                 f"{count(spec.epochs, 'Epoche', 'Epochen')} – ein voller Lauf schneidet meist besser ab.)")
    return Verdict(choice == index, text.strip())


# --- the chapters' data -------------------------------------------------------------------------

def _module(chapter_key: str):
    try:
        return importlib.import_module(f"tutorial.questions.{chapter_key}")
    except ModuleNotFoundError:
        return None


def questions(chapter_key: str, place: str) -> tuple[Question, ...]:
    """The questions a chapter asks at ``place`` (KeyError for an unknown place: a typo in a page)."""
    module = _module(chapter_key)
    if module is None:
        raise KeyError(chapter_key)
    return module.QUESTIONS[place]


def places(chapter_key: str) -> tuple[str, ...]:
    module = _module(chapter_key)
    return tuple(module.QUESTIONS) if module is not None else ()


def chapter_questions(chapter_key: str) -> tuple[Question, ...]:
    """All questions of a chapter, in order."""
    module = _module(chapter_key)
    if module is None:
        return ()
    return tuple(q for group in module.QUESTIONS.values() for q in group)


def all_questions() -> dict[str, tuple[Question, ...]]:
    return {key: chapter_questions(key) for key in CHAPTER_KEYS}


def guess(chapter_key: str) -> Optional[Guess]:
    module = _module(chapter_key)
    return getattr(module, "GUESS", None) if module is not None else None


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


def no_run(history: dict) -> str:
    return ("Dieser Lauf hat keine gültige Validierung geliefert (zum Beispiel wegen NaN) – "
            "damit lässt sich die Vermutung nicht prüfen.")
