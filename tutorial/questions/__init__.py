"""Questions that make the learner commit to an answer: "Ihre Vermutung" before a run and
"Verständnisfrage" inside a chapter's text.

One module per chapter (``ch03.py`` … ``ch15.py``) holds that chapter's data, built from the types
in :mod:`tutorial.questions.model` (the chapters never import this package's ``__init__``, which
loads them):

* ``QUESTIONS``: place name -> tuple of :class:`Question` (multiple choice, a number to compute, or
  "which run over-fits?" on the curves of two pretrained runs);
* ``GUESS`` (exercise chapters): a :class:`Guess` about the outcome of the page's run, judged by
  :func:`judge` against that run's own history.

The app layer (``tutorial.app.quiz``) draws them; this package imports neither Streamlit nor
TensorFlow.
"""
from __future__ import annotations

import importlib
from typing import Optional

from tutorial.deutsch import count, de
from tutorial.questions.model import Guess, Question, Verdict

CHAPTER_KEYS = ("ch03", "ch04", "ch05", "ch06", "ch07", "ch08", "ch09", "ch10", "ch11", "ch12", "ch13",
                "ch14", "ch15")

# Ids of questions taken out of the course. Never give one of them to a new question: stored answers,
# progress files and the room's statistics may still name them (they are skipped there, not rejected).
RETIRED = frozenset({
    "ch03.batch_shape", "ch03.validation", "ch04.learning_rate", "ch04.softmax", "ch05.argmax_axis",
    "ch05.predict_shape", "ch06.hidden", "ch07.nan", "ch07.saddle", "ch07.sigmoid_slope",
    "ch09.dropout_loss", "ch10.shared_weights", "ch11.largest_layer", "ch11.why_conv", "ch12.dropout_params",
    "ch13.where", "ch14.gpu", "ch14.mirrored", "ch15.overfitting", "ch15.relu",
})


def judge(guess: Guess, choice: int, history: dict, spec=None) -> Verdict:
    """Judge the option ``choice`` of ``guess`` against a finished run's own ``history``."""
    index, facts, *rest = guess.outcome(history, spec)
    on_full_run = bool(rest and rest[0])     # judged on the app's finished full run of the same settings
    if index is None:
        return Verdict(False, facts, decided=False)
    if guess.explain is not None and spec is not None:
        explanation = guess.explain(index, spec)
    else:
        explanation = guess.why[index] if index < len(guess.why) else ""
    if choice == index:
        text = f"**Richtig vermutet.** {facts} {explanation}"
    else:
        text = (f"**Diesmal nicht.** Sie hatten »{guess.options[choice]}« vermutet. {facts} "
                f"Richtig wäre für diesen Lauf »{guess.options[index]}«. {explanation}")
    if spec is not None and getattr(spec, "limit", None) and not on_full_run:
        text += (f" (Ein Lauf im Schnellmodus mit nur {de(spec.train_size)} Trainingsziffern und "
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
