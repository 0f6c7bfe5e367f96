"""The server's shared engine objects: the trainer with its warm start, the pretrained models and
histories, MNIST.

Every pretrained model is loaded through :func:`pretrained_model`, which shows the one German
message for a missing or damaged file (instead of a traceback) and returns None. TensorFlow is
imported only when a model is really loaded.
"""
from __future__ import annotations

from typing import Optional

import streamlit as st

from tutorial import pretrained
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import de, percent
from tutorial.trainer import Trainer

# finished live runs the server keeps (a model ≈ 10 MB in memory); older ones are trained again on request
KEPT_RUNS = 24
MISSING = ("Das fertige Ergebnis »{title}« fehlt oder ist beschädigt (Datei assets/models/{name}.keras). "
           "Mit »python -m tutorial pretrain« wird es neu erzeugt; bis dahin können Sie live trainieren.")


def missing_message(name: str) -> str:
    """The German text for a pretrained run whose files are missing or damaged."""
    return MISSING.format(title=presets.PRESET_TITLES.get(name, name), name=name)


# "Modelle von innen" opens these models first: the dense templates, the first convolution's filters and
# feature maps, and the confusion matrix of INSIDE_DEFAULT (its 10,000 test predictions are made in the warm start)
WARM_MODELS = ("keras_01_mnist", "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm")
INSIDE_DEFAULT = "keras_05_mnist_batch_norm"


def make_trainer(address: Optional[str] = None, **options) -> Trainer:
    """A :class:`~tutorial.cluster.client.RayTrainer` for ``address`` (README "Mehr als ein Rechner"),
    else the local trainer with ``options`` (e.g. ``parallel``, ``backend``)."""
    if address:
        from tutorial.cluster.client import RayTrainer
        return RayTrainer(address, **{k: v for k, v in options.items() if k in ("every", "max_jobs", "per_owner")})
    from tutorial.jobs import LocalTrainer
    return LocalTrainer(**options)


@st.cache_resource(show_spinner=False)
def trainer() -> Trainer:
    """One trainer per server process, shared by all sessions: on the Ray cluster of
    ``TUTORIAL_RAY_ADDRESS`` (secret or environment), else on this machine (fair queue + training
    children). Warm start (unless switched off): the first training child starts, then
    :func:`warm_load` runs, in the background."""
    from tutorial import settings
    from tutorial.app import host  # noqa: F401  (its import hands st.secrets to the settings)
    shared = make_trainer(settings.ray_address(), max_jobs=KEPT_RUNS)
    if settings.warm_start():
        shared.warm_start(warm_load())
    return shared


def warm_load() -> list:
    """What the warm start loads into the server's caches in the background: the digits, then
    the pretrained models the tools pages open first (this imports TensorFlow in the server), their
    first feature maps and the test predictions of :data:`INSIDE_DEFAULT` – so the first visit of
    "Modelle von innen" after the warm start finds them ready."""
    from tutorial import data
    return ([lambda: data.load_arrays("test"), lambda: data.load_arrays("train")]
            + [lambda name=name: cached_model(name) for name in WARM_MODELS]
            + [_warm_feature_maps, lambda: test_probabilities(INSIDE_DEFAULT, cached_model(INSIDE_DEFAULT))])


def _warm_feature_maps() -> None:
    """One digit through every convolutional warm model: Keras' first eager call of a layer is slow."""
    import numpy as np

    from tutorial import models
    for name in WARM_MODELS:
        model = cached_model(name)
        if any(type(layer).__name__ == "Conv2D" for layer in model.layers):
            models.conv_feature_maps(model, np.zeros(784, np.float32))


@st.cache_resource(max_entries=8, show_spinner=False)
def cached_model(name: str):
    """The pretrained model from the server-wide cache (raises when its file is missing or damaged)."""
    return pretrained.load_model(name)


@st.cache_data(max_entries=12, show_spinner=False)
def test_probabilities(ident: str, _model):
    """The model's probabilities (10,000 × 10) for all test digits (cached per model: ``ident``, a
    preset name or a live run's id)."""
    from tutorial import data, models
    images, _ = mnist("test")
    return models.predict_proba(_model, data.to_model_input(images))


def pretrained_model(name: str, quiet: bool = False):
    """The cached pretrained model ``name``, or None after the German message when it cannot be loaded.

    ``quiet``: no message (for lists that say once what is missing).
    """
    if name in pretrained.available():
        try:
            with st.spinner("Das fertige Modell wird geladen – beim ersten Mal startet TensorFlow, "
                            "das dauert einige Sekunden …"):
                return cached_model(name)
        except Exception:  # noqa: BLE001 - a damaged file must not show a traceback
            pass
    if not quiet:
        st.error(missing_message(name), icon=":material/error:")
    return None


@st.cache_data(max_entries=16, show_spinner=False)
def _load_history(name: str) -> dict:
    return pretrained.load_history(name)


def pretrained_history(name: str) -> Optional[dict]:
    """The stored history of a pretrained run (no TensorFlow), or None when it is missing or damaged."""
    if name not in pretrained.available():
        return None
    try:
        return _load_history(name)
    except (OSError, ValueError):
        return None


def preset_result(name: str) -> Optional[dict]:
    """Test accuracy and error count of a pretrained run, from its stored history."""
    history = pretrained_history(name)
    accuracy = history.get("test_accuracy") if history else None
    if accuracy is None:
        return None
    return {"accuracy": accuracy, "errors": round((1 - accuracy) * S.TEST_SIZE)}


def preset_note(*names: str) -> None:
    """A caption with the test accuracy of pretrained runs, so the text's numbers can be checked."""
    parts = [f"{presets.PRESET_TITLES[n]}: {percent(r['accuracy'])} ({de(r['errors'])} Fehler)"
             for n in names if (r := preset_result(n))]
    if parts:
        st.caption("Zum Vergleich die fertigen Läufe dieser App auf den 10.000 Testziffern – " + "; ".join(parts) + ".")


def mnist(split: str):
    """``data.load_arrays(split)``; a missing or damaged file stops the page with the German message."""
    from tutorial import data
    try:
        return data.load_arrays(split)
    except data.DataError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()


def font_digits():
    """The font digits shown under every result (images, labels)."""
    from tutorial import fonts
    return fonts.font_digits(fonts.FONT_DIGITS)

