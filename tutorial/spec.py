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

import dataclasses
import hashlib
from dataclasses import dataclass, replace
from typing import Optional

from tutorial.deutsch import count, short
from tutorial.layers import INPUT_SHAPE, Conv2D, Layer, fmt, literal
from tutorial.layers import layer_table as _layer_table

TRAIN_SIZE = 60_000
TEST_SIZE = 10_000
QUICK_LIMIT, QUICK_EPOCHS = 6000, 3   # quick mode ("Schnellmodus"): the first 6,000 digits, at most 3 epochs
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

    def quick(self, limit: int = QUICK_LIMIT, epochs: int = QUICK_EPOCHS) -> "RunSpec":
        """A faster variant for slow machines: a subset of the digits and fewer epochs."""
        return replace(self, limit=limit, epochs=min(self.epochs, epochs))

    # as plain data (progress files, Ray jobs) ------------------------------------------------
    def to_data(self) -> dict:
        """The spec as JSON-compatible data: its fields, each layer as ``{"type": name, field: value}``.

        The one serialisation of a spec (progress files since the first version, Ray jobs);
        :meth:`from_data` reads it back. Raises TypeError for a value that is not plain data."""
        data = {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "layers"}
        data["layers"] = [{"type": type(layer).__name__,
                           **{f.name: _plain(getattr(layer, f.name)) for f in dataclasses.fields(layer)}}
                          for layer in self.layers]
        return data

    @classmethod
    def from_data(cls, data) -> "RunSpec":
        """The spec back from :meth:`to_data`'s output, accepting nothing else: a security boundary
        (README "Sicherheit": Ray workers build models from it, progress files come from disk).

        Only the known layer types of :mod:`tutorial.layers`, only their fields and RunSpec's, only
        plain values of the declared types; anything else raises ValueError (never runs code)."""
        if not isinstance(data, dict) or not isinstance(data.get("layers"), list):
            raise ValueError("not a RunSpec's data")
        types = _layer_types()
        layers = []
        for item in data["layers"]:
            if not isinstance(item, dict) or not isinstance(item.get("type"), str) or item["type"] not in types:
                raise ValueError(f"unknown layer type: {item.get('type') if isinstance(item, dict) else item!r}")
            kind = types[item["type"]]
            try:
                layers.append(kind(**_checked(kind, {k: v for k, v in item.items() if k != "type"})))
            except TypeError as exc:                  # a required field is missing
                raise ValueError(f"{kind.__name__}: {exc}") from None
        return cls(layers=tuple(layers), **_checked(cls, {k: v for k, v in data.items() if k != "layers"}))

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


_SCALARS = (type(None), bool, int, float, str)
_TYPES = {"int": (int,), "float": (int, float), "bool": (bool,), "str": (str,), "tuple": (tuple,)}


def _plain(value):
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    raise TypeError(f"not plain data: {type(value).__name__}")


def _layer_types() -> dict[str, type]:
    """The layer types a spec may use, by name: the dataclass subclasses of :class:`tutorial.layers.Layer`."""
    found, todo = {}, list(Layer.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if dataclasses.is_dataclass(cls):
            found[cls.__name__] = cls
    return found


def _checked(cls: type, values: dict) -> dict:
    """``values`` as keyword arguments of the dataclass ``cls``: known fields only, each a plain value
    of its declared type (lists become tuples); ValueError otherwise."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    out = {}
    for name, value in values.items():
        if name not in fields or name == "layers":
            raise ValueError(f"unknown field of {cls.__name__}: {name!r}")
        declared = str(fields[name].type)                 # e.g. "int", "Optional[float]", "tuple"
        optional = declared.startswith("Optional[")
        allowed = _TYPES.get(declared[9:-1] if optional else declared, _SCALARS)
        if isinstance(value, list) and tuple in allowed:
            value = tuple(value)                               # JSON has lists only
        if value is None:
            ok = optional or type(None) in allowed
        elif isinstance(value, tuple):
            ok = tuple in allowed and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        else:
            ok = isinstance(value, allowed) and (bool in allowed or not isinstance(value, bool))
        if not ok:
            raise ValueError(f"{cls.__name__}.{name}: not a plain {declared}: {value!r}")
        out[name] = value
    return out


def layer_table(spec_or_layers) -> list[dict]:
    """Per layer: Keras-style name, label, output shape and parameter counts (trainable, non-trainable).

    Computed by the layers themselves so pages can show shapes before TensorFlow is imported; tests
    check it against Keras' own numbers. Raises ValueError (German) for a stack Keras cannot build.
    """
    layers = spec_or_layers.layers if isinstance(spec_or_layers, RunSpec) else tuple(spec_or_layers)
    return _layer_table(layers)


def param_count(spec: RunSpec) -> int:
    return sum(row["params"] for row in layer_table(spec))
