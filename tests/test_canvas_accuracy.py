"""Accuracy of the whole drawing path: canvas image → canvas_to_mnist → pretrained keras_05.

MNIST test digits are re-drawn the way a learner draws on the 280×280 canvas: at a random size
(60-240 px tall), with a pen thinner or thicker than the writer's (morphological erosion or
dilation, 0.5× to 2× the digit's own stroke width, 4-40 px, at most a fifth of the digit's height),
as solid white strokes with anti-aliased edges, anywhere on a black canvas (RGBA, alpha 255).
The handwriting itself (slant, proportions) stays the writer's own.
"""
from __future__ import annotations

import time

import numpy as np
import pytest
from PIL import Image, ImageFilter

from tutorial import pretrained
from tutorial.data import load_arrays
from tutorial.preprocess import _stroke_width, canvas_to_mnist

pytestmark = pytest.mark.engine

MODEL = "keras_05_mnist_batch_norm"
CANVAS = 280
N_DIGITS = 1200


def redraw(digit: np.ndarray, rng: np.random.Generator, canvas: int = CANVAS) -> tuple[np.ndarray, dict]:
    """One MNIST digit (28×28 uint8) as a learner's canvas drawing (canvas×canvas×4 uint8)."""
    rows = np.flatnonzero(digit.max(axis=1) > 0)
    cols = np.flatnonzero(digit.max(axis=0) > 0)
    img = Image.fromarray(digit).crop((cols[0] - 1, rows[0] - 1, cols[-1] + 2, rows[-1] + 2))
    w, h = img.size
    height = rng.uniform(60, 240)
    new_w, new_h = max(2, round(w * height / h)), max(2, round(height))
    if new_w > canvas - 60:   # a wide digit must still fit
        new_h, new_w = max(2, round(new_h * (canvas - 60) / new_w)), canvas - 60
    strokes = np.asarray(img.resize((new_w, new_h), Image.Resampling.BICUBIC)) > 110   # solid pen strokes
    own = _stroke_width(strokes)
    pen = own * np.exp(rng.uniform(np.log(0.5), np.log(2.0)))
    pen = float(np.clip(pen, 4, min(40, 0.2 * new_h)))
    change = pen - own
    size = 2 * int(round(abs(change) / 2)) + 1
    pil = Image.fromarray(np.pad(strokes.astype(np.uint8) * 255, size + 2))
    if size > 1:
        pil = pil.filter(ImageFilter.MaxFilter(size) if change > 0 else ImageFilter.MinFilter(size))
    ink = np.asarray(pil.filter(ImageFilter.GaussianBlur(0.7)))   # anti-aliased edges as in the browser
    r = np.flatnonzero(ink.max(axis=1) > 0)
    c = np.flatnonzero(ink.max(axis=0) > 0)
    ink = ink[r[0]:r[-1] + 1, c[0]:c[-1] + 1][:canvas, :canvas]
    ih, iw = ink.shape
    top = int(rng.integers(0, canvas - ih + 1))
    left = int(rng.integers(0, canvas - iw + 1))
    out = np.zeros((canvas, canvas, 4), np.uint8)
    out[..., 3] = 255
    out[top:top + ih, left:left + iw, :3] = ink[..., None]
    return out, {"height": ih, "pen": pen, "own": own, "top": top, "left": left}


@pytest.fixture(scope="module")
def redrawn():
    images, labels = load_arrays("test")
    rng = np.random.default_rng(2024)
    idx = rng.choice(len(images), N_DIGITS, replace=False)
    drawings, infos = zip(*(redraw(images[i], rng) for i in idx))
    return np.stack(drawings), list(infos), labels[idx]


@pytest.fixture(scope="module")
def model():
    if MODEL not in pretrained.available():
        pytest.fail(f"pretrained model {MODEL} is missing: run `python -m tutorial pretrain {MODEL}`")
    return pretrained.load_model(MODEL)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_redrawn_digits_are_varied(redrawn):
    """The re-drawings are not easy: sizes, pen widths and positions spread widely."""
    drawings, infos, _ = redrawn
    heights = np.array([i["height"] for i in infos])
    pens = np.array([i["pen"] for i in infos])
    ratio = pens / np.array([i["own"] for i in infos])
    centres = np.array([(i["top"] + i["height"] / 2) for i in infos])
    assert heights.min() < 80 and heights.max() > 220
    assert pens.min() <= 5 and pens.max() >= 30
    assert (ratio < 0.75).mean() > 0.15 and (ratio > 1.3).mean() > 0.15   # thinned and thickened
    assert np.abs(centres - CANVAS / 2).mean() > 30                       # mostly off-centre
    assert drawings.dtype == np.uint8 and drawings.shape[1:] == (CANVAS, CANVAS, 4)
    assert (drawings[..., 3] == 255).all()


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_redrawn_digits_are_recognised(redrawn, model):
    from tutorial.models import predict_proba

    drawings, infos, labels = redrawn
    start = time.perf_counter()
    vectors = [canvas_to_mnist(d) for d in drawings]
    per_drawing_ms = (time.perf_counter() - start) / len(drawings) * 1000
    assert all(v is not None and v.shape == (784,) and v.dtype == np.float32 for v in vectors)
    predicted = predict_proba(model, np.stack(vectors)).argmax(axis=1)
    accuracy = float((predicted == labels).mean())

    # the same drawings squeezed to 28×28 without MNIST's normalisation: what naive demos do
    naive = np.stack([np.asarray(Image.fromarray(d[..., 0]).resize((28, 28), Image.Resampling.BOX))
                      for d in drawings]).reshape(-1, 784).astype(np.float32) / 256
    naive_accuracy = float((predict_proba(model, naive).argmax(axis=1) == labels).mean())

    print(f"\nre-drawn digits: {len(labels)}, accuracy {accuracy:.4f} (naive resize: {naive_accuracy:.4f}), "
          f"preprocessing {per_drawing_ms:.1f} ms per drawing")
    assert accuracy >= 0.98, f"only {accuracy:.2%} of {len(labels)} re-drawn digits recognised"
    assert naive_accuracy < 0.8, "the re-drawings are too easy: a plain resize recognises them as well"
    assert per_drawing_ms < 100
