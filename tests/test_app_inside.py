"""The mix-up view of "Modelle von innen" (tutorial.app.inside) through Streamlit's AppTest, without
TensorFlow: the probabilities are given."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app


def _mixup_app(true_digit: int, pred_digit: int):
    import numpy as np

    from tutorial.app import inside, loader
    _, labels = loader.mnist("test")
    predicted = labels.copy()
    predicted[:3] = np.where(labels[:3] == 1, 2, 1)          # three digits mistaken, the rest right
    probs = np.eye(10)[predicted] * 0.9 + 0.01
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (labels, predicted), 1)
    inside._mixup("synthetic", true_digit, pred_digit, cm, probs, predicted)


def test_a_clicked_empty_cell_says_so_instead_of_zero_digits():
    at = AppTest.from_function(_mixup_app, args=(3, 5), default_timeout=60).run()
    assert not at.exception
    assert "Keine einzige 3 hat dieses Modell für eine 5 gehalten" in at.info[0].value
    assert not at.get("image")


def test_a_mixup_shows_its_digits_with_their_numbers():
    at = AppTest.from_function(_mixup_app, args=(7, 1), default_timeout=60).run()   # test digit 0 is a 7
    assert not at.exception and not at.info
    assert "**1-mal** hat das Modell eine **7** für eine **1** gehalten:" in at.markdown[0].value
    [pictures] = at.get("image")
    assert [img.caption.split()[:2] for img in pictures.proto.imgs] == [["Nr.", "0"]]


@pytest.mark.parametrize("points, expected", [
    ([{"wahr": 3, "vorhergesagt": 5}], (3, 5)),
    ([{"wahr": 3.0, "vorhergesagt": 5.0}], (3, 5)),                 # Vega sends numbers as floats
    ([{"wahr": 99, "vorhergesagt": 99}], None),                    # forged: outside the matrix
    ([{"wahr": -1, "vorhergesagt": 2}], None),                     # would index from the end
    ([{"wahr": float("inf"), "vorhergesagt": 2}], None),           # int() would raise OverflowError
    ([{"wahr": 2.5, "vorhergesagt": 2}], None),
    ([{"wahr": True, "vorhergesagt": 2}], None),
    ([{"wahr": "3", "vorhergesagt": 2}], None),
    ([{"wahr": [3], "vorhergesagt": 2}], None),
    ([{}], None), ([], None), ("kaputt", None),
])
def test_a_forged_matrix_selection_is_no_click(points, expected):
    from types import SimpleNamespace

    from tutorial.app import inside
    assert inside._clicked(SimpleNamespace(selection={"zelle": points})) == expected
