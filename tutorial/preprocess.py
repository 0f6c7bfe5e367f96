"""Turn a drawing or a photo of a digit into the 784 numbers an MNIST model expects.

MNIST's makers normalised every digit the same way, and a model trained on MNIST only understands
digits prepared like that:

1. greyscale, white ink on black,
2. crop to the ink's bounding box,
3. scale the longer side to 20 pixels (aspect ratio kept, anti-aliased),
4. paste into a 28×28 field and shift the centre of mass to the field's centre.

:func:`canvas_to_mnist` does exactly this for the drawing canvas (RGBA, white on black);
:func:`image_to_mnist` first decodes and cleans an uploaded photo or scan (dark ink on light paper
is detected and inverted), then does the same. Only numpy and Pillow are used, no TensorFlow.
"""
from __future__ import annotations

import io
import math
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from tutorial.deutsch import de

# grey levels (0-255) at or below this are background, not ink (JPEG noise, faint smudges)
INK_THRESHOLD = 40
BOX = 20          # the longer side of the digit after scaling, as in MNIST
FIELD = 28        # the size of the final image
RESAMPLE = Image.Resampling.LANCZOS   # anti-aliased scaling to the 20-px box
# stroke width (in pixels of the 20-px box) below which the drawing is thickened before scaling;
# MNIST's strokes are about 2-3 px wide, a hair-thin pen stroke would fade to a faint grey line
MIN_STROKE = 2.0
# and above which it is thinned to THIN_TO (a felt-tip pen on a small digit is far bolder than MNIST)
MAX_STROKE = 4.0
THIN_TO = 3.0

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_PIXELS = 40_000_000   # 40 megapixels: more than any phone photo, far less than a bomb
WORK_SIDE = 560                  # uploads are downscaled to at most this many pixels per side first
ALLOWED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # MPO = multi-picture JPEG from cameras


class ImageInputError(ValueError):
    """An uploaded file cannot be used; the message is German and meant for the learner."""


# --- helpers ----------------------------------------------------------------------------------

def _to_grey(image: np.ndarray) -> np.ndarray:
    """float32 (H, W) grey levels 0-255 from a (H, W), (H, W, 3) or (H, W, 4) array.

    Transparent pixels count as background: RGB is weighted by alpha (composited over black).
    With the canvas's black background, alpha is 255 everywhere and only RGB matters.
    """
    arr = np.asarray(image)
    if arr.size == 0:
        return np.zeros(arr.shape[:2], dtype=np.float32)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    if arr.ndim == 2:
        grey = arr.astype(np.float32)
    elif arr.ndim == 3 and arr.shape[2] in (3, 4):
        rgb = arr[..., :3].astype(np.float32)
        grey = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        if arr.shape[2] == 4:
            alpha = arr[..., 3].astype(np.float32) / 255.0
            if alpha.min() < 1.0:
                grey = grey * alpha
    else:
        raise ValueError(f"expected an image array (H, W[, 3|4]), got shape {arr.shape}")
    if arr.dtype.kind == "f" and arr.size and float(np.nanmax(arr)) <= 1.0:
        grey = grey * 255.0  # float images on a 0-1 scale
    return np.nan_to_num(grey, nan=0.0)


def _border_level(grey: np.ndarray) -> float:
    """Median grey level of the outermost rows and columns (where the paper or canvas shows)."""
    h, w = grey.shape
    k = max(1, min(h, w) // 20)
    border = np.concatenate([grey[:k].ravel(), grey[-k:].ravel(), grey[:, :k].ravel(), grey[:, -k:].ravel()])
    return float(np.median(border))


def _stroke_width(ink: np.ndarray) -> float:
    """Rough stroke width in pixels of a boolean ink mask: 2 × area / boundary length."""
    area = int(ink.sum())
    if area == 0:
        return 0.0
    padded = np.pad(ink, 1)
    interior = (padded[1:-1, 1:-1] & padded[:-2, 1:-1] & padded[2:, 1:-1]
                & padded[1:-1, :-2] & padded[1:-1, 2:])
    boundary = area - int(interior.sum())
    return 2.0 * area / max(boundary, 1)


def _shift_to_centre(field: np.ndarray) -> np.ndarray:
    """Move the image by whole pixels so its centre of mass lands at the field's centre,
    without pushing any ink over the edge."""
    total = float(field.sum())
    if total <= 0:
        return field
    ys, xs = np.indices(field.shape)
    cy = float((ys * field).sum()) / total
    cx = float((xs * field).sum()) / total
    dy = int(round(field.shape[0] / 2 - cy))   # MNIST puts the centre of mass at pixel (14, 14)
    dx = int(round(field.shape[1] / 2 - cx))
    rows = np.flatnonzero(field.any(axis=1))
    cols = np.flatnonzero(field.any(axis=0))
    dy = int(np.clip(dy, -rows[0], field.shape[0] - 1 - rows[-1]))
    dx = int(np.clip(dx, -cols[0], field.shape[1] - 1 - cols[-1]))
    return np.roll(field, (dy, dx), axis=(0, 1))


# --- the MNIST normalisation ------------------------------------------------------------------

def normalize_grey(grey: np.ndarray) -> np.ndarray | None:
    """White-on-black grey levels (H, W) 0-255 → uint8 (28, 28) MNIST-style, or None without ink."""
    grey = np.clip(np.asarray(grey, dtype=np.float32), 0, 255)
    grey = np.where(grey > INK_THRESHOLD, grey, 0.0)
    ink = grey > 0
    if not ink.any():
        return None
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    crop = grey[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)

    # a very thin pen would almost vanish when shrunk: thicken it to about MNIST's stroke width
    width = _stroke_width(crop > 127) or _stroke_width(crop > 0)
    if width * scale < MIN_STROKE and scale < 1:
        grow = math.ceil(MIN_STROKE / scale - width)
        size = grow + 1 if grow % 2 == 0 else grow + 2   # odd filter size, grows the stroke by size-1
        pad = size // 2
        img = Image.fromarray(np.pad(crop, pad).astype(np.float32), mode="F")
        crop = np.asarray(img.filter(ImageFilter.MaxFilter(size)))
        h, w = crop.shape
        scale = BOX / max(h, w)
    elif width * scale > MAX_STROKE:
        shrink = math.floor(width - THIN_TO / scale)
        size = shrink + 1 if shrink % 2 == 0 else shrink
        if size >= 3:
            img = Image.fromarray(crop.astype(np.float32), mode="F")
            thinned = np.asarray(img.filter(ImageFilter.MinFilter(size)))
            ink = thinned > INK_THRESHOLD
            if ink.any():   # crop again: the thinner strokes need a smaller box
                rows = np.flatnonzero(ink.any(axis=1))
                cols = np.flatnonzero(ink.any(axis=0))
                crop = thinned[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
                h, w = crop.shape
                scale = BOX / max(h, w)

    new_w = max(1, round(w * scale))
    new_h = max(1, round(h * scale))
    small = Image.fromarray(crop.astype(np.float32), mode="F").resize((new_w, new_h), RESAMPLE)
    small = np.clip(np.asarray(small), 0, None)
    peak = float(small.max())
    if peak <= 0:
        return None
    small = small * (255.0 / peak)   # full-strength ink, whatever the pen's or the photo's brightness

    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    top = (FIELD - new_h) // 2
    left = (FIELD - new_w) // 2
    field[top:top + new_h, left:left + new_w] = small
    field = _shift_to_centre(field)
    return np.clip(np.round(field), 0, 255).astype(np.uint8)


def canvas_to_mnist(rgba: np.ndarray) -> np.ndarray | None:
    """The canvas image (H, W, 4) uint8 → float32 (784,) on the training scale (pixel / 256),
    or ``None`` when nothing is drawn.

    Also accepts RGB or greyscale arrays of any size. Dark ink on a light background is inverted
    (the border decides which is which), so both polarities give the same result.
    """
    if rgba is None:
        return None
    grey = _to_grey(rgba)
    if grey.size == 0:
        return None
    if _border_level(grey) > 127:
        grey = 255.0 - grey
    digit = normalize_grey(grey)
    if digit is None:
        return None
    return (digit.astype(np.float32) / 256.0).reshape(FIELD * FIELD)


# --- the canvas's PNG --------------------------------------------------------------------------

CANVAS_SIDE = 280                # the drawing canvas is 280 × 280 CSS pixels
CANVAS_MAX_SIDE = 3 * CANVAS_SIDE   # a browser may export at up to 3× (high-density screens)
CANVAS_MAX_BYTES = 2 * 1024 * 1024  # a 840 × 840 RGBA PNG of scribbles is far below this
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CANVAS_IGNORED = ("Die Zeichnung ließ sich nicht lesen und wurde ignoriert. Bitte zeichnen Sie die "
                  "Ziffer noch einmal.")


def png_size(blob: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header (signature + IHDR chunk), without decoding anything;
    None when ``blob`` does not start like a PNG."""
    if not isinstance(blob, (bytes, bytearray)) or len(blob) < 24 or blob[:8] != PNG_SIGNATURE:
        return None
    if blob[12:16] != b"IHDR":
        return None
    return int.from_bytes(blob[16:20], "big"), int.from_bytes(blob[20:24], "big")


def canvas_png(blob: bytes | None) -> np.ndarray | None:
    """The canvas's image as an (H, W, 4) uint8 array, or None when nothing usable was sent.

    The value comes from the browser and is untrusted: only a PNG of at most ``CANVAS_MAX_BYTES``
    whose header says at most ``CANVAS_MAX_SIDE`` pixels per side is decoded; anything else raises
    :class:`ImageInputError` (German) before Pillow allocates a pixel.
    """
    if blob is None:
        return None
    size = png_size(blob)
    if len(blob) > CANVAS_MAX_BYTES or size is None:
        raise ImageInputError(CANVAS_IGNORED)
    width, height = size
    if not (1 <= width <= CANVAS_MAX_SIDE and 1 <= height <= CANVAS_MAX_SIDE):
        raise ImageInputError(CANVAS_IGNORED)
    try:
        with Image.open(io.BytesIO(blob)) as image:
            if image.format != "PNG" or image.size != (width, height):
                raise ImageInputError(CANVAS_IGNORED)
            return np.asarray(image.convert("RGBA"))
    except ImageInputError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise ImageInputError(CANVAS_IGNORED) from None


# --- uploads ----------------------------------------------------------------------------------

def _otsu(values: np.ndarray) -> float:
    """Otsu's threshold for grey levels 0-255: the split with the largest between-class variance."""
    hist = np.bincount(np.clip(values, 0, 255).astype(np.int64).ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 127.0
    levels = np.arange(256, dtype=np.float64)
    weight0 = np.cumsum(hist)
    weight1 = total - weight0
    mean0 = np.cumsum(hist * levels)
    mean_total = mean0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_total * weight0 / total - mean0) ** 2 / (weight0 * weight1)
    between = np.nan_to_num(between)
    return float(np.argmax(between))


def _open_upload(file_bytes: bytes) -> Image.Image:
    if file_bytes is None or len(file_bytes) == 0:
        raise ImageInputError("Die Datei ist leer. Bitte laden Sie ein PNG- oder JPEG-Bild hoch.")
    if len(file_bytes) > MAX_UPLOAD_BYTES:
        size_mb = len(file_bytes) / 1024 / 1024
        raise ImageInputError(f"Die Datei ist {de(size_mb, 1)} MB groß; erlaubt sind höchstens 5 MB. "
                              "Bitte verkleinern Sie das Bild oder schneiden Sie die Ziffer aus.")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: treat the warning as an error too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(file_bytes))
            if image.format not in ALLOWED_FORMATS:
                raise ImageInputError(f"Das Format »{image.format}« wird nicht unterstützt. "
                                      "Bitte laden Sie ein PNG- oder JPEG-Bild hoch.")
            width, height = image.size
            if width < 1 or height < 1:
                raise ImageInputError("Das Bild hat keine Pixel. Bitte laden Sie ein anderes Bild hoch.")
            if width * height > MAX_UPLOAD_PIXELS:
                raise ImageInputError(f"Das Bild ist mit {width} × {height} Pixeln zu groß (höchstens "
                                      f"{MAX_UPLOAD_PIXELS // 1_000_000} Megapixel). Bitte verkleinern Sie es.")
            if image.format != "PNG":
                image.draft("RGB", (WORK_SIDE, WORK_SIDE))   # JPEG decodes directly at a reduced size
            image.load()
            image = ImageOps.exif_transpose(image)
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageInputError("Das Bild ist verdächtig groß (mögliche »Dekompressionsbombe«) und wird aus "
                              "Sicherheitsgründen nicht geöffnet. Bitte laden Sie ein kleineres Bild hoch.") from None
    except Image.UnidentifiedImageError:
        raise ImageInputError("Die Datei ist kein lesbares Bild. Bitte laden Sie ein PNG- oder JPEG-Bild hoch.") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageInputError(f"Das Bild ist beschädigt oder unvollständig und lässt sich nicht lesen ({exc}). "
                              "Bitte laden Sie es erneut hoch.") from None
    return image


def upload_to_grey(file_bytes: bytes) -> np.ndarray:
    """Decode, downscale and clean an uploaded PNG/JPEG: float32 (H, W), white ink on black, 0-255.

    Raises :class:`ImageInputError` (German message) for unusable files.
    """
    image = _open_upload(file_bytes)
    image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.LANCZOS)   # larger sides first
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        rgba = np.asarray(image.convert("RGBA")).astype(np.float32)
        alpha = rgba[..., 3] / 255.0
        grey = rgba[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        opaque = alpha > 0.5
        # transparent areas become background: black behind light ink, white behind dark ink
        ink_is_light = opaque.any() and float(np.median(grey[opaque])) > 127 and alpha.min() < 0.5
        background = 0.0 if ink_is_light else 255.0
        grey = grey * alpha + background * (1 - alpha)
    else:
        grey = np.asarray(image.convert("L")).astype(np.float32)

    if _border_level(grey) > 127:          # dark ink on light paper: invert
        grey = 255.0 - grey
    # uneven light on photos: everything darker than Otsu's split counts as paper
    paper = float(np.median(grey))
    threshold = max(_otsu(grey), paper + 10.0)
    ink_level = float(np.percentile(grey[grey > threshold], 90)) if (grey > threshold).any() else 255.0
    span = max(ink_level - threshold, 1.0)
    cleaned = np.clip((grey - threshold) / span, 0.0, 1.0) * 255.0
    if float(grey.max() - grey.min()) < 30.0:
        cleaned[:] = 0.0   # a flat image (blank paper) has no digit, whatever Otsu says
    return cleaned


def image_to_mnist(file_bytes: bytes) -> np.ndarray:
    """An uploaded PNG/JPEG (≤ 5 MB) → float32 (784,) on the training scale, like :func:`canvas_to_mnist`.

    Raises :class:`ImageInputError` (a ``ValueError``) with a German message for empty, broken,
    oversized or unsupported files and for pictures without a recognisable digit.
    """
    grey = upload_to_grey(file_bytes)
    digit = normalize_grey(grey)
    if digit is None:
        raise ImageInputError("Auf dem Bild ist keine Ziffer zu erkennen. Bitte fotografieren Sie eine "
                              "dunkle Ziffer auf hellem Papier (oder umgekehrt) möglichst formatfüllend.")
    return (digit.astype(np.float32) / 256.0).reshape(FIELD * FIELD)


def to_display(vector: np.ndarray, scale: int = 8) -> np.ndarray:
    """The 784-vector as an enlarged uint8 image (28·scale)² with hard pixel edges (nearest neighbour)."""
    digit = np.clip(np.asarray(vector, dtype=np.float32).reshape(FIELD, FIELD) * 256.0, 0, 255).astype(np.uint8)
    return np.kron(digit, np.ones((scale, scale), dtype=np.uint8))
