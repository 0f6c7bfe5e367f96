"""The codelab's "font digits": 0-9 typeset from fonts, 28×28 like MNIST.

The notebooks rendered 24 of them, the first ten in DejaVu Sans Mono Oblique and the rest in STIX.
Both fonts are bundled in ``assets/fonts`` with their licences; no system font is used.
"""
from __future__ import annotations

import functools

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tutorial import paths

FONTS = (paths.FONT_MONO, paths.FONT_SERIF)
FONT_DIGITS = 24     # font digits every result shows (their predictions come with the result)


def render_digit(digit: int, font_file: str, size: int = 25) -> np.ndarray:
    """One digit as a (28, 28) uint8 image, white on black, centred like MNIST (box ≤ 20 px)."""
    font = ImageFont.truetype(str(paths.font(font_file)), size)
    canvas = Image.new("L", (56, 56), 0)
    ImageDraw.Draw(canvas).text((14, 6), str(digit), fill=255, font=font)
    ink = np.asarray(canvas)
    rows, cols = np.nonzero(ink)
    crop = Image.fromarray(ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1])
    scale = 20.0 / max(crop.size)
    crop = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))),
                       Image.Resampling.LANCZOS)
    out = Image.new("L", (28, 28), 0)
    out.paste(crop, ((28 - crop.width) // 2, (28 - crop.height) // 2))
    return np.asarray(out, dtype=np.uint8)


@functools.lru_cache(maxsize=4)
def font_digits(n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """``(images (n, 28, 28) uint8, labels (n,))``: digits 0..9 repeating, the first ten in DejaVu
    Sans Mono Oblique, the rest in STIX."""
    images = np.stack([render_digit(i % 10, FONTS[0] if i < 10 else FONTS[1]) for i in range(n)])
    labels = np.arange(n) % 10
    images.setflags(write=False)
    return images, labels
