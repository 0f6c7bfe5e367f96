"""Only known, bounded widget values are kept (tutorial/widget_values.py, used by state.keep/restore)."""
import pytest

from tutorial import widget_values as W

pytestmark = pytest.mark.engine


@pytest.mark.parametrize("value, default, options, expected", [
    ("relu", "sigmoid", ["sigmoid", "relu"], "relu"),
    ("X" * 20 * 2 ** 20, "sigmoid", ["sigmoid", "relu"], "sigmoid"),      # the 20 MiB radio value
    ("tanh", "sigmoid", ["sigmoid", "relu"], "sigmoid"),                   # not an option
    ('same"); import os #', "same", None, 'same"); import os #'),          # short text without options: kept
    ("x" * (W.TEXT_MAX + 1), "same", None, "same"),                         # too long
    (True, 1, [1, 2, 3], 1),                                                # True is not the option 1
    (1, True, None, True),                                                  # nor 1 a toggle's value
    ("yes", False, None, False),
    (0.25, 0.0, [0.0, 0.1, 0.25], 0.25),
    (0.3, 0.0, [0.0, 0.1, 0.25], 0.0),
    (float("nan"), 0.0, None, 0.0),
    (99, 3, range(1, 5), 4),                                                # clamped into a slider's range
    (-7, 3, range(1, 5), 1),
    (2.0, 3, range(1, 5), 3),                                               # a float for a whole number: default
    (2 ** 80, 200, None, 200),
    (["a", "zz", "b"], [], ["a", "b"], ["a", "b"]),                         # a multiselect keeps known items
    (["a"] * (W.LIST_MAX + 1), [], None, []),
    ({"nested": 1}, "a", None, "a"),
    (None, "a", ["a"], "a"),
])
def test_checked(value, default, options, expected):
    assert W.checked(value, default, options) == expected


def test_a_good_value_is_the_same_object():
    value = ["a", "b"]
    assert W.checked(value, [], ["a", "b"]) is value


def test_restorable_leaves_out_what_no_widget_can_hold():
    saved = {"k_ok": "same", "k_long": "x" * 10_000, "k_list": [1, 2], "k_dict": {"a": 1}, 5: "x",
             "k" * 500: 1}
    assert W.restorable(saved) == {"k_ok": "same", "k_list": [1, 2]}
    assert len(W.restorable({f"k{i}": i for i in range(W.KEYS_MAX + 10)})) == W.KEYS_MAX
    assert W.restorable(["not", "a", "dict"]) == {}
