"""Unit tests of the MNIST-style preprocessing of drawings and uploaded pictures (no TensorFlow)."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tutorial.data import load_arrays
from tutorial.preprocess import (MAX_UPLOAD_BYTES, ImageInputError, canvas_to_mnist, image_to_mnist,
                                 to_display)

pytestmark = pytest.mark.engine


# --- helpers ------------------------------------------------------------------------------------

def blank(width: int = 280, height: int = 280, ink_on_black: bool = True) -> Image.Image:
    return Image.new("RGBA", (width, height), (0, 0, 0, 255) if ink_on_black else (255, 255, 255, 255))


def seven(width: int = 280, height: int = 280, dx: float = 0, dy: float = 0, size: float = 1.0,
          pen: int = 20, ink_on_black: bool = True) -> np.ndarray:
    """A '7' drawn like on the canvas: top bar and diagonal, offset by (dx, dy), scaled by size."""
    img = blank(width, height, ink_on_black)
    colour = (255, 255, 255, 255) if ink_on_black else (0, 0, 0, 255)
    cx, cy = width / 2 + dx, height / 2 + dy
    points = [(cx + size * x, cy + size * y) for x, y in [(-55, -85), (55, -85), (-10, 85)]]
    ImageDraw.Draw(img).line(points, fill=colour, width=pen, joint="curve")
    return np.asarray(img)


def field(vector: np.ndarray) -> np.ndarray:
    return vector.reshape(28, 28)


def ink_box(vector: np.ndarray, level: float = 0.3) -> tuple[int, int]:
    """Height and width of the box around pixels brighter than ``level`` (0-1 scale)."""
    ink = field(vector) > level
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def centre_of_mass(vector: np.ndarray) -> tuple[float, float]:
    img = field(vector).astype(np.float64)
    ys, xs = np.indices(img.shape)
    return float((ys * img).sum() / img.sum()), float((xs * img).sum() / img.sum())


def stroke_columns(vector: np.ndarray) -> float:
    """Mean number of ink pixels per row of a vertical stroke (its width in the 28×28 field)."""
    ink = field(vector) > 0.5
    rows = ink.any(axis=1)
    return float(ink[rows].sum(axis=1).mean())


def similar(a: np.ndarray, b: np.ndarray) -> float:
    """Best correlation of two 28×28 images over shifts of up to one pixel (MNIST rounds its
    centring to whole pixels, so half a pixel of difference in the drawing may move the result by one)."""
    a, b = field(a), field(b)
    best = -1.0
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            best = max(best, float(np.corrcoef(np.roll(a, (dy, dx), axis=(0, 1)).ravel(), b.ravel())[0, 1]))
    return best


def encode(image: Image.Image | np.ndarray, fmt: str = "PNG", **options) -> bytes:
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG claiming the given size (a decompression bomb's header) with a minimal IDAT."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)   # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


# --- canvas_to_mnist ----------------------------------------------------------------------------

def test_output_format_and_mnist_geometry():
    v = canvas_to_mnist(seven())
    assert v.shape == (784,) and v.dtype == np.float32
    assert 0.0 <= v.min() and v.max() == pytest.approx(255 / 256)      # pixel / 256, full-strength ink
    assert max(ink_box(v, 0.05)) in (20, 21, 22)                         # longer side scaled to 20 px (+ soft edge)
    cy, cx = centre_of_mass(v)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5                   # centre of mass in the middle


def dark_noise() -> np.ndarray:
    """Grey levels up to 30 everywhere (a dim, noisy camera picture of nothing), opaque."""
    noise = np.random.default_rng(0).integers(0, 31, (280, 280, 4)).astype(np.uint8)
    noise[..., 3] = 255
    return noise


@pytest.mark.parametrize("image", [
    np.asarray(blank()),                                         # black canvas, alpha 255
    np.asarray(blank(ink_on_black=False)),                       # white paper
    np.zeros((280, 280, 4), np.uint8),                           # fully transparent
    dark_noise(),
], ids=["black", "white", "transparent", "noise"])
def test_empty_canvas_gives_none(image):
    assert canvas_to_mnist(image) is None


def test_none_and_empty_arrays_give_none():
    assert canvas_to_mnist(None) is None
    assert canvas_to_mnist(np.zeros((0, 0, 4), np.uint8)) is None


def test_jpeg_noise_is_not_ink():
    """JPEG artefacts around the strokes must not widen the bounding box."""
    clean = canvas_to_mnist(seven())
    rgb = Image.fromarray(seven()).convert("RGB")
    noisy = np.asarray(Image.open(io.BytesIO(encode(rgb, "JPEG", quality=35))))
    assert np.abs(noisy.astype(int) - np.asarray(rgb).astype(int)).max() > 10   # there really is noise
    v = canvas_to_mnist(noisy)
    assert ink_box(v, 0.05) == ink_box(clean, 0.05)
    # the centre of mass may round to a neighbouring whole pixel (how much noise the encoder adds
    # depends on the libjpeg build); up to that one-pixel shift the image must be the same
    diffs = [np.abs(np.roll(field(v), (dy, dx), axis=(0, 1)) - field(clean)).mean()
             for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    assert min(diffs) < 0.03, diffs


def test_tiny_dot_still_gives_an_image():
    img = blank()
    ImageDraw.Draw(img).ellipse((200, 30, 206, 36), fill=(255, 255, 255, 255))
    v = canvas_to_mnist(np.asarray(img))
    assert v is not None
    h, w = ink_box(v)
    assert max(h, w) >= 18                    # a dot is blown up to MNIST's size, as MNIST did
    cy, cx = centre_of_mass(v)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5


def test_small_digit_in_a_corner_equals_a_big_central_one():
    big = canvas_to_mnist(seven())
    small = canvas_to_mnist(seven(dx=-95, dy=-85, size=0.4, pen=8))
    assert ink_box(small, 0.05) == ink_box(big, 0.05)
    assert similar(small, big) > 0.95


@pytest.mark.parametrize("dx, dy", [(-90, 0), (90, 40), (0, -50), (-80, 45)])
def test_off_centre_digits_are_moved_to_the_centre(dx, dy):
    centred = canvas_to_mnist(seven(size=0.6, pen=14))
    moved = canvas_to_mnist(seven(dx=dx, dy=dy, size=0.6, pen=14))
    assert np.abs(moved - centred).max() < 0.02


@pytest.mark.parametrize("pen", [2, 4, 20, 40, 60])
def test_thick_and_thin_strokes_get_mnist_like_width(pen):
    img = blank()
    ImageDraw.Draw(img).line([(140, 30), (140, 250)], fill=(255, 255, 255, 255), width=pen)
    v = canvas_to_mnist(np.asarray(img))
    width = stroke_columns(v)
    assert 1.5 <= width <= 5.0, f"pen {pen}: stroke {width:.1f} px wide in the 28×28 field"
    assert v.max() == pytest.approx(255 / 256)   # a hair-thin pen does not fade to grey
    assert ink_box(v, 0.05)[0] in (20, 21, 22)


def test_thin_pen_loops_stay_open():
    """A '0' drawn with a thin pen keeps its hole (thickening does not fill it)."""
    img = blank()
    ImageDraw.Draw(img).ellipse((80, 40, 200, 240), outline=(255, 255, 255, 255), width=3)
    v = field(canvas_to_mnist(np.asarray(img)))
    assert v[14, 14] == 0 and v[12:17, 12:17].max() < 0.1
    assert v[14, :13].max() > 0.5 and v[14, 15:].max() > 0.5   # both sides of the ring


def test_both_polarities_give_the_same_image():
    white_on_black = canvas_to_mnist(seven())
    black_on_white = canvas_to_mnist(seven(ink_on_black=False))
    assert np.abs(white_on_black - black_on_white).max() < 0.01
    grey = np.asarray(Image.fromarray(seven(ink_on_black=False)).convert("L"))
    assert np.abs(canvas_to_mnist(grey) - white_on_black).max() < 0.02


@pytest.mark.parametrize("width, height", [(400, 200), (150, 420), (561, 280)])
def test_non_square_canvases(width, height):
    reference = canvas_to_mnist(seven(size=0.5, pen=10))
    v = canvas_to_mnist(seven(width, height, size=0.5, pen=10))
    assert v.shape == (784,)
    assert ink_box(v, 0.05) == ink_box(reference, 0.05)
    assert similar(v, reference) > 0.95


def test_wide_drawing_keeps_its_aspect_ratio():
    img = blank()
    ImageDraw.Draw(img).line([(30, 140), (250, 140)], fill=(255, 255, 255, 255), width=20)
    h, w = ink_box(canvas_to_mnist(np.asarray(img)), 0.05)
    assert w in (20, 21, 22) and h <= 5


def test_an_mnist_digit_enlarged_on_the_canvas_comes_back_as_itself():
    images, _ = load_arrays("test")
    digit = images[0]
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[..., 3] = 255
    canvas[:, :, :3] = np.asarray(Image.fromarray(digit).resize((280, 280), Image.Resampling.BILINEAR))[..., None]
    v = canvas_to_mnist(canvas)
    original = digit.astype(np.float32).ravel() / 256
    assert np.corrcoef(v, original)[0, 1] > 0.9


def test_to_display_is_pixelated():
    v = canvas_to_mnist(seven())
    big = to_display(v, 8)
    assert big.shape == (224, 224) and big.dtype == np.uint8
    blocks = big.reshape(28, 8, 28, 8)
    assert (blocks == blocks[:, :1, :, :1]).all()        # every 8×8 block is one grey level
    assert np.array_equal(blocks[:, 0, :, 0], np.clip(field(v) * 256, 0, 255).astype(np.uint8))


# --- image_to_mnist -----------------------------------------------------------------------------

def photo_of_seven(size: int = 1200) -> Image.Image:
    """A photo-like picture: dark ink on unevenly lit greyish paper, with sensor noise."""
    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:size, 0:size] / size
    paper = 215 - 40 * x - 25 * y + rng.normal(0, 4, (size, size))
    ink = np.asarray(Image.fromarray(seven(ink_on_black=True)[..., 0]).resize((size, size))) / 255.0
    grey = paper * (1 - ink) + 45 * ink
    return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB")


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_dark_ink_on_paper_is_inverted_and_normalised():
    reference = canvas_to_mnist(seven())
    for fmt in ("PNG", "JPEG"):
        v = image_to_mnist(encode(photo_of_seven(), fmt))
        assert v.shape == (784,) and v.dtype == np.float32
        assert np.corrcoef(v, reference)[0, 1] > 0.9, fmt
        cy, cx = centre_of_mass(v)
        assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5


def test_light_ink_on_dark_and_transparent_png():
    reference = canvas_to_mnist(seven())
    assert np.corrcoef(image_to_mnist(encode(seven())), reference)[0, 1] > 0.95
    transparent = seven().copy()
    transparent[..., 3] = transparent[..., 0]           # white strokes, transparent elsewhere
    transparent[..., :3] = 255
    assert np.corrcoef(image_to_mnist(encode(transparent)), reference)[0, 1] > 0.95
    dark_transparent = transparent.copy()
    dark_transparent[..., :3] = 0                       # black strokes, transparent elsewhere
    assert np.corrcoef(image_to_mnist(encode(dark_transparent)), reference)[0, 1] > 0.95


def test_blank_paper_has_no_digit():
    rng = np.random.default_rng(2)
    paper = np.clip(rng.normal(220, 3, (300, 300)), 0, 255).astype(np.uint8)
    with pytest.raises(ImageInputError, match="keine Ziffer"):
        image_to_mnist(encode(Image.fromarray(paper), "JPEG"))


@pytest.mark.parametrize("data, message", [
    (b"", "leer"),
    (b"Dies ist kein Bild, sondern Text." * 10, "kein lesbares Bild"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "kein lesbares Bild|beschädigt"),
], ids=["empty", "text", "garbage-png"])
def test_unreadable_files(data, message):
    with pytest.raises(ImageInputError, match=message):
        image_to_mnist(data)


def test_truncated_png_is_reported_as_damaged():
    data = encode(photo_of_seven(400))
    with pytest.raises(ImageInputError, match="beschädigt"):
        image_to_mnist(data[: len(data) // 2])


def test_other_formats_are_refused():
    with pytest.raises(ImageInputError, match="Format »GIF«"):
        image_to_mnist(encode(Image.fromarray(seven()[..., 0]), "GIF"))


def test_files_over_5_mb_are_refused():
    with pytest.raises(ImageInputError, match="höchstens 5 MB"):
        image_to_mnist(encode(seven()) + b"\x00" * MAX_UPLOAD_BYTES)


@pytest.mark.parametrize("side, message", [
    (7_000, "zu groß"),                       # 49 MP: over the app's own limit
    (10_000, "Dekompressionsbombe"),          # 100 MP: Pillow's DecompressionBombWarning
    (30_000, "Dekompressionsbombe"),          # 900 MP: Pillow's DecompressionBombError
])
def test_decompression_bombs_are_refused_without_decoding(side, message):
    data = png_header_only(side, side)
    assert len(data) < 200                    # tiny file, gigantic picture
    with pytest.raises(ImageInputError, match=message) as info:
        image_to_mnist(data)
    assert isinstance(info.value, ValueError)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_large_photos_are_downscaled_first():
    v = image_to_mnist(encode(photo_of_seven(3000), "JPEG", quality=80))
    assert np.corrcoef(v, canvas_to_mnist(seven()))[0, 1] > 0.9


# --- the canvas's PNG is untrusted ------------------------------------------------------------

def _png(width: int, height: int, mode: str = "RGBA") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (width, height)).save(buf, format="PNG")
    return buf.getvalue()


def test_canvas_png_decodes_the_canvas_size():
    from tutorial.preprocess import canvas_png, png_size
    blob = _png(280, 280)
    assert png_size(blob) == (280, 280)
    rgba = canvas_png(blob)
    assert rgba.shape == (280, 280, 4) and rgba.dtype == np.uint8
    assert canvas_png(None) is None


def test_canvas_png_refuses_a_huge_image_from_its_header_alone():
    """A forged 6000 × 6000 PNG (a few hundred KiB, 144 MB decoded) is refused before decoding: the
    header is read, not the pixels – a forged header that claims a small size is caught by Pillow."""
    from tutorial import preprocess
    from tutorial.preprocess import canvas_png, png_size
    blob = _png(6000, 6000, "L")
    assert png_size(blob) == (6000, 6000)
    opened = []
    original = preprocess.Image.open
    preprocess.Image.open = lambda *a, **k: opened.append(1) or original(*a, **k)
    try:
        with pytest.raises(ImageInputError, match="ignoriert"):
            canvas_png(blob)
    finally:
        preprocess.Image.open = original
    assert opened == []


@pytest.mark.parametrize("blob", [b"", b"not a png at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 30,
                                  b"GIF89a" + b"\0" * 40])
def test_canvas_png_refuses_what_is_not_a_png(blob):
    from tutorial.preprocess import canvas_png
    with pytest.raises(ImageInputError):
        canvas_png(blob)


def test_canvas_png_refuses_a_jpeg_and_a_header_that_lies():
    from tutorial.preprocess import canvas_png
    buf = io.BytesIO()
    Image.new("RGB", (280, 280)).save(buf, format="JPEG")
    with pytest.raises(ImageInputError):
        canvas_png(buf.getvalue())
    blob = bytearray(_png(280, 280))
    blob[16:24] = struct.pack(">II", 100, 100)   # claims 100 × 100, CRC now wrong
    with pytest.raises(ImageInputError):
        canvas_png(bytes(blob))
