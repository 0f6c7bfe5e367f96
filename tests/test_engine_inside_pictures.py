"""The pictures of "Modelle von innen" (tutorial.charts.internals): weights and feature maps as PNG
pictures in strips that wrap, the probability bars and the mix-up digits – colours, sizes, labels."""
from __future__ import annotations

import numpy as np
import pytest

from tutorial.charts import internals as C

pytestmark = pytest.mark.engine

RED, BLUE, WHITE = C.REDBLUE[0], C.REDBLUE[-1], C.REDBLUE[5]


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_weights_are_red_where_positive_blue_where_negative_each_scaled_to_its_largest():
    weights = np.array([[-3.2, 0.0, 4.0]])
    colours = C.colour_image(weights, diverging=True)
    assert [tuple(c) for c in colours[0]] == [rgb("#2166ac"), rgb(WHITE), rgb(RED)]   # -3,2 of ±4: the 2nd blue
    assert tuple(C.colour_image(weights / 100, diverging=True)[0, 2]) == rgb(RED)     # scaled: the same picture
    assert tuple(C.colour_image(np.array([[-1.0, 1.0]]), diverging=True)[0, 0]) == rgb(BLUE)


def test_grey_pictures_feature_maps_bright_digits_dark():
    img = np.array([[0.0, 0.5, 1.0]])
    assert [tuple(c) for c in C.colour_image(img)[0]][::2] == [(0, 0, 0), (255, 255, 255)]       # bright = high
    assert [tuple(c) for c in C.colour_image(img, bright_high=False)[0]][::2] == [(255, 255, 255), (0, 0, 0)]
    assert (C.colour_image(np.zeros((2, 2))) == 0).all()                  # a map without any answer stays black


def test_picture_enlarges_every_value_to_an_equal_square_with_a_transparent_gap():
    pic = C.picture(np.arange(9.0).reshape(3, 3), size=48, gap=6)
    assert pic.size == (3 * 16 + 6, 48)
    pixels = np.asarray(pic)
    assert (pixels[:16, :16] == pixels[0, 0]).all() and (pixels[:, 48:, 3] == 0).all()
    assert len({tuple(pixels[r * 16, c * 16]) for r in range(3) for c in range(3)}) == 9


def test_strips_have_one_size_so_they_wrap_strip_by_strip_with_labels_under_each_map():
    maps = [np.random.default_rng(i).random((7, 7)) for i in range(10)]
    strips = C.strips(maps, [str(i + 1) for i in range(10)], 4, size=56, gap=6, label_px=11)
    assert len(strips) == 3 and len({s.size for s in strips}) == 1
    width, height = strips[0].size
    assert width == 4 * (56 + 6) and height > 56                          # room for the labels
    last = np.asarray(strips[-1])
    assert (last[:, 2 * 62:, 3] == 0).all()                               # two maps, then transparent
    labels = last[57:, :56, 3]
    assert labels.any() and not last[57:, 56:62, 3].any()                 # a label under the map, none in the gap


def test_probability_picture_bars_like_the_chart():
    probs = np.zeros(10)
    probs[[3, 5]] = 0.6, 0.4
    pic = np.asarray(C.probability_picture(probs, true_label=5, width=340, height=190))
    assert pic.shape[:2] == (190, 340)
    colours = {tuple(c[:3]) for c in pic.reshape(-1, 4) if c[3]}
    assert rgb(C.RED) in colours and rgb(C.GREEN) in colours              # predicted 3 red, true 5 green
    without = {tuple(c[:3]) for c in np.asarray(C.probability_picture(probs)).reshape(-1, 4) if c[3]}
    assert rgb(C.BLUE) in without and rgb(C.GREEN) not in without        # a drawing: the guess in blue

    def bar_height(colour):
        rows, _ = np.nonzero((pic[:, :, :3] == rgb(colour)).all(axis=2))
        return rows.max() - rows.min() + 1
    assert abs(bar_height(C.RED) / bar_height(C.GREEN) - 1.5) < 0.05


def test_mixup_picture_digit_with_its_ten_bars():
    digit = np.zeros((28, 28), np.uint8)
    digit[10:18, 10:18] = 255
    probs = np.full(10, 0.01)
    probs[8], probs[3] = 0.7, 0.21
    pic = np.asarray(C.mixup_picture(digit, probs, true_digit=3, size=84, bars=30, gap=8))
    assert pic.shape[1] == 84 + 8
    assert tuple(pic[0, 0, :3]) == (255, 255, 255) and tuple(pic[40, 40, :3]) == (0, 0, 0)   # dark ink on white
    bars = pic[84:]
    assert (bars[:, :, :3] == rgb(C.RED)).all(axis=2).any() and (bars[:, :, :3] == rgb(C.GREEN)).all(axis=2).any()
