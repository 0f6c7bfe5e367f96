"""One description of a model and its training run, with three uses.

A :class:`RunSpec` is a frozen, hashable dataclass. It

* builds the Keras model (``tutorial.models.build_model``), layer by layer through
  :meth:`tutorial.layers.Layer.build`,
* renders itself as the Keras code a learner would write (:meth:`RunSpec.to_code`), from the same
  layer arguments the model is built with,
* and is the cache key for training (equal specs train once; :attr:`RunSpec.key` also seeds it).

The layer types live in :mod:`tutorial.layers`, the course's prepared runs in :mod:`tutorial.presets`
(which imports this module, never the other way round). This module also owns the facts every
training shares: the data sizes, the validation batch (:data:`VAL_BATCH`) and the seed a spec trains
with (:attr:`RunSpec.train_seed`). It never imports TensorFlow, so pages can build and display specs
cheaply.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Optional

from tutorial.deutsch import count, short
from tutorial.layers import INPUT_SHAPE, Conv2D, fmt, literal
from tutorial.layers import layer_table as _layer_table

TRAIN_SIZE = 60_000
TEST_SIZE = 10_000
VAL_BATCH = 1000   # validate in batches of 1,000: the numbers of one batch of 10,000, far less memory

OPTIMIZERS = {"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop"}
DEFAULT_LR = {"sgd": 0.01, "adam": 0.001, "rmsprop": 0.001}

@dataclass(frozen=True)
class RunSpec:
    """A model (flat 784 floats in, 10 softmax probabilities out) and how to train it.

    The fields and their order are part of :attr:`key` (and so of the training seed): keep them.
    """

    layers: tuple
    optimizer: str = "adam"          # 'sgd' | 'adam' | 'rmsprop'
    learning_rate: Optional[float] = None   # None: the optimizer's Keras default
    lr_decay: Optional[float] = None        # lr(epoch) = learning_rate * lr_decay**epoch
    batch_size: int = 128
    epochs: int = 10
    limit: Optional[int] = None      # use only the first N training digits (quick mode, tests)
    val_limit: Optional[int] = None  # validate on the first N test digits only (tests)
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(self.layers))
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}")
        if self.lr_decay is not None and self.learning_rate is None:
            object.__setattr__(self, "learning_rate", DEFAULT_LR[self.optimizer])

    # derived facts ------------------------------------------------------------------------
    @property
    def lr(self) -> float:
        return self.learning_rate if self.learning_rate is not None else DEFAULT_LR[self.optimizer]

    def lr_at(self, epoch: int) -> float:
        """Learning rate used in (0-based) ``epoch``."""
        return self.lr * (self.lr_decay ** epoch if self.lr_decay is not None else 1.0)

    @property
    def train_size(self) -> int:
        return min(self.limit, TRAIN_SIZE) if self.limit else TRAIN_SIZE

    @property
    def steps_per_epoch(self) -> int:
        return max(1, self.train_size // self.batch_size)

    @property
    def val_size(self) -> int:
        return min(self.val_limit, TEST_SIZE) if self.val_limit else TEST_SIZE

    @property
    def key(self) -> str:
        """A short stable id (file names, logs)."""
        return hashlib.sha1(repr(self).encode()).hexdigest()[:12]

    @property
    def train_seed(self) -> int:
        """The random seed training uses for this spec (derived from :attr:`key`)."""
        return int(self.key[:8], 16) % (2 ** 31)

    @property
    def is_conv(self) -> bool:
        return any(isinstance(layer, Conv2D) for layer in self.layers)

    def with_(self, **changes) -> "RunSpec":
        return replace(self, **changes)

    def quick(self, limit: int = 6000, epochs: int = 3) -> "RunSpec":
        """A faster variant for slow machines: a subset of the digits and fewer epochs."""
        return replace(self, limit=limit, epochs=min(self.epochs, epochs))

    # the optimizer, built and printed from the same arguments ---------------------------------
    def optimizer_arguments(self) -> Optional[dict]:
        """Keyword arguments of the optimizer class, or None: the optimizer's name with Keras' defaults."""
        return None if self.learning_rate is None else {"learning_rate": float(self.learning_rate)}

    def optimizer_code(self) -> str:
        kwargs = self.optimizer_arguments()
        if kwargs is None:
            return literal(self.optimizer)
        args = ", ".join(f"{k}={literal(v)}" for k, v in kwargs.items())
        return f"keras.optimizers.{OPTIMIZERS[self.optimizer]}({args})"

    def build_optimizer(self):
        """What ``model.compile(optimizer=...)`` gets (imports Keras)."""
        import keras
        kwargs = self.optimizer_arguments()
        return self.optimizer if kwargs is None else getattr(keras.optimizers, OPTIMIZERS[self.optimizer])(**kwargs)

    # code rendering -----------------------------------------------------------------------
    def model_code(self) -> str:
        """Keras code that builds and compiles exactly this model."""
        lines = ["model = keras.Sequential(", "    [", f"        keras.Input(shape={INPUT_SHAPE!r}),"]
        lines += [f"        {layer.code()}," for layer in self.layers]
        lines += ["    ]", ")", "",
                  "model.compile(",
                  f"    optimizer={self.optimizer_code()},",
                  '    loss="categorical_crossentropy",',
                  '    metrics=["accuracy"],',
                  ")"]
        return "\n".join(lines)

    def constants_code(self) -> str:
        """The run's sizes as the constants :meth:`fit_code` and the data pipeline read."""
        return "\n".join([
            f"BATCH_SIZE = {self.batch_size}",
            f"EPOCHS = {self.epochs}",
            f"TRAIN_SIZE = {self.train_size}  # Trainingsziffern: {self.steps_per_epoch} Schritte pro Epoche",
            f"VALIDATION_SIZE = {self.val_size}  # Testziffern zur Validierung",
            f"VALIDATION_BATCH = {VAL_BATCH}"])

    def fit_code(self, constants: bool = True) -> str:
        """Keras code that trains the model on ``training_dataset``/``validation_dataset`` (the codelab's
        tf.data pipeline), validating on VALIDATION_SIZE test digits in batches of VALIDATION_BATCH as the
        app does. ``constants``: begin with :meth:`constants_code`."""
        lines = [self.constants_code(), ""] if constants else []
        lines += ["steps_per_epoch = TRAIN_SIZE // BATCH_SIZE",
                  "validation_steps = math.ceil(VALIDATION_SIZE / VALIDATION_BATCH)", ""]
        callbacks = ""
        if self.lr_decay is not None:
            lines += ["def lr_decay(epoch):",
                      f"    return {fmt(self.lr)} * {fmt(self.lr_decay)}**epoch", "",
                      "lr_decay_callback = keras.callbacks.LearningRateScheduler(lr_decay, verbose=1)", ""]
            callbacks = "    callbacks=[lr_decay_callback],\n"
        lines += ["history = model.fit(",
                  "    training_dataset,",
                  "    epochs=EPOCHS,",
                  "    steps_per_epoch=steps_per_epoch,",
                  "    validation_data=validation_dataset,",
                  "    validation_steps=validation_steps,",
                  callbacks + ")"]
        return "\n".join(lines)

    def to_code(self) -> str:
        """Model, compile and fit as a learner would write them ("Code anzeigen")."""
        return ("import math\n\nimport keras\n\n" + self.model_code() + "\n\nmodel.summary()\n\n"
                + "# training_dataset und validation_dataset: die tf.data-Pipeline aus Kapitel 5\n"
                + self.fit_code() + "\n")

    # description --------------------------------------------------------------------------
    def describe(self) -> str:
        """A one-line German summary (run log, tables)."""
        parts = [layer.label() for layer in self.layers]
        opt = OPTIMIZERS[self.optimizer]
        lr = f"{opt}({short(self.lr)}" + (f"·{short(self.lr_decay)}^Epoche" if self.lr_decay else "") + ")"
        data = f", {count(self.train_size, 'Ziffer', 'Ziffern')}" if self.limit else ""
        return " → ".join(parts) + f" · {lr} · Batch {self.batch_size} · {count(self.epochs, 'Epoche', 'Epochen')}{data}"


def layer_table(spec_or_layers) -> list[dict]:
    """Per layer: Keras-style name, label, output shape and parameter counts (trainable, non-trainable).

    Computed by the layers themselves so pages can show shapes before TensorFlow is imported; tests
    check it against Keras' own numbers. Raises ValueError (German) for a stack Keras cannot build.
    """
    layers = spec_or_layers.layers if isinstance(spec_or_layers, RunSpec) else tuple(spec_or_layers)
    return _layer_table(layers)


def param_count(spec: RunSpec) -> int:
    return sum(row["params"] for row in layer_table(spec))
