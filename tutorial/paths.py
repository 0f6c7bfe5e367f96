"""Where the app's files are: the one owner of every path the engine and the app layer use.

Everything bundled with the repository lives under :data:`ASSETS` (MNIST, the fonts, the pretrained
models); the learners' progress files live outside it (:data:`PROGRESS_DIR_DEFAULT`, changed by the
setting ``TUTORIAL_PROGRESS_DIR``, see :mod:`tutorial.settings`). Imports nothing of the project.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent       # the repository (working directory of children)
ASSETS = ROOT / "assets"
MNIST_DIR = ASSETS / "mnist"                         # the four gzip IDX files (assets/mnist/README.md)
FONTS_DIR = ASSETS / "fonts"                         # the two bundled fonts with their licences
ICON = ASSETS / "icon.png"                           # the tab icon: MNIST's first test digit (a 7), in
                                                     # training orange – a local file, no font from the internet
MODELS_DIR = ASSETS / "models"                       # pretrained models: NAME.keras + NAME.json

FONT_MONO = "DejaVuSansMono-Oblique.ttf"             # font digits 0-9 and the labels of digit grids
FONT_SERIF = "STIXGeneral.ttf"                       # font digits 10-23

PROGRESS_DIR_DEFAULT = Path.home() / ".cache" / "deep-learning-tutorial" / "progress"


def font(file_name: str) -> Path:
    """The bundled font file ``file_name`` (one of :data:`FONT_MONO`, :data:`FONT_SERIF`)."""
    return FONTS_DIR / file_name
