"""The course's length (tutorial/course.py): the training time is the price of the exercises' solution
runs, and the counted reading words still match the pages."""
import pytest

from tutorial import course
from tutorial import price as P
from tutorial.chapters import CHAPTERS
from tutorial.presets import PRESETS
from tests.test_glossary import prose

pytestmark = pytest.mark.engine


def test_every_exercise_once_with_its_solution():
    specs = course.exercise_specs()
    assert specs[0] == PRESETS["keras_01_mnist"]                    # chapter 3's first net
    solutions = [PRESETS[c.solution] for c in CHAPTERS if c.solution]
    assert specs[1:] == solutions and len(specs) == 8


def test_training_time_is_the_sum_of_the_prices_and_quick_mode_is_shorter():
    full = course.training_seconds()
    assert full == pytest.approx(sum(P.price(s).seconds for s in course.exercise_specs()))
    quick = course.training_seconds(lambda s: s.quick())
    assert 0 < quick < full / 3


def test_reading_words_match_the_pages():
    counted = sum(len(text.split()) for c in CHAPTERS if c.number is not None and c.exists
                  for text in prose(c.file))
    assert abs(counted - course.READING_WORDS) <= course.READING_WORDS / 5, (
        f"the chapter pages now print {counted} words: update course.READING_WORDS")
    assert course.reading_minutes() == course.READING_WORDS / course.WORDS_PER_MINUTE
