"""One description of a model and its training run, with three uses.

A :class:`RunSpec` is a frozen, hashable dataclass. It

* builds the Keras model (``tutorial.models.build_model``),
* renders itself as the Keras code a learner would write (:meth:`RunSpec.to_code`),
* and is the cache key for training (equal specs train once).

This module never imports TensorFlow, so pages can build and display specs cheaply.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Optional, Union

from tutorial.deutsch import count, short

TRAIN_SIZE = 60_000
TEST_SIZE = 10_000


# --- layers -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Dense:
    units: int
    activation: Optional[str] = "relu"
    use_bias: bool = True


@dataclass(frozen=True)
class Dropout:
    rate: float


@dataclass(frozen=True)
class Reshape:
    target_shape: tuple = (28, 28, 1)


@dataclass(frozen=True)
class Conv2D:
    filters: int
    kernel_size: int
    strides: int = 1
    padding: str = "same"
    activation: Optional[str] = "relu"
    use_bias: bool = True


@dataclass(frozen=True)
class BatchNorm:
    center: bool = True
    scale: bool = False


@dataclass(frozen=True)
class Activation:
    activation: str = "relu"


@dataclass(frozen=True)
class Flatten:
    pass


@dataclass(frozen=True)
class MaxPool:
    pool_size: int = 2
    strides: int = 2


@dataclass(frozen=True)
class GlobalAvgPool:
    pass


Layer = Union[Dense, Dropout, Reshape, Conv2D, BatchNorm, Activation, Flatten, MaxPool, GlobalAvgPool]


# --- the run ----------------------------------------------------------------------------------

OPTIMIZERS = {"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop"}
DEFAULT_LR = {"sgd": 0.01, "adam": 0.001, "rmsprop": 0.001}


@dataclass(frozen=True)
class RunSpec:
    """A model (flat 784 floats in, 10 softmax probabilities out) and how to train it."""

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
    def is_conv(self) -> bool:
        return any(isinstance(layer, Conv2D) for layer in self.layers)

    def with_(self, **changes) -> "RunSpec":
        return replace(self, **changes)

    def quick(self, limit: int = 6000, epochs: int = 3) -> "RunSpec":
        """A faster variant for slow machines: a subset of the digits and fewer epochs."""
        return replace(self, limit=limit, epochs=min(self.epochs, epochs))

    # code rendering -----------------------------------------------------------------------
    def model_code(self) -> str:
        """Keras code that builds and compiles exactly this model."""
        lines = ["model = keras.Sequential(", "    [", "        keras.Input(shape=(28 * 28,)),"]
        lines += [f"        {layer_code(layer)}," for layer in self.layers]
        lines += ["    ]", ")", ""]
        lines += [
            "model.compile(",
            f"    optimizer={optimizer_code(self)},",
            '    loss="categorical_crossentropy",',
            '    metrics=["accuracy"],',
            ")",
        ]
        return "\n".join(lines)

    def fit_code(self) -> str:
        """Keras code that trains the model on the codelab's tf.data pipeline."""
        lines = [f"BATCH_SIZE = {self.batch_size}", f"EPOCHS = {self.epochs}",
                 f"steps_per_epoch = {self.train_size} // BATCH_SIZE  # = {self.steps_per_epoch}", ""]
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
                  "    validation_steps=1,",
                  callbacks + ")"]
        return "\n".join(line for line in lines)

    def to_code(self) -> str:
        return "import keras\n\n" + self.model_code() + "\n\nmodel.summary()\n\n" + self.fit_code() + "\n"

    # description --------------------------------------------------------------------------
    def describe(self) -> str:
        """A one-line German summary (run log, tables)."""
        parts = [layer_label(layer) for layer in self.layers]
        opt = OPTIMIZERS[self.optimizer]
        lr = f"{opt}({fmt(self.lr)}" + (f"·{fmt(self.lr_decay)}^Epoche" if self.lr_decay else "") + ")"
        data = f", {count(self.train_size, 'Ziffer', 'Ziffern')}" if self.limit else ""
        return " → ".join(parts) + f" · {lr} · Batch {self.batch_size} · {count(self.epochs, 'Epoche', 'Epochen')}{data}"


def fmt(x: float) -> str:
    """Short float literal: 0.01, 0.6, 0.666, 1e-05."""
    return repr(float(x)) if not float(x).is_integer() else f"{x:.1f}"


def _activation_arg(activation: Optional[str]) -> str:
    return f', activation="{activation}"' if activation else ""


def layer_code(layer) -> str:
    if isinstance(layer, Dense):
        bias = ", use_bias=False" if not layer.use_bias else ""
        return f"keras.layers.Dense({layer.units}{_activation_arg(layer.activation)}{bias})"
    if isinstance(layer, Dropout):
        return f"keras.layers.Dropout({fmt(layer.rate)})"
    if isinstance(layer, Reshape):
        return f"keras.layers.Reshape(target_shape={tuple(layer.target_shape)})"
    if isinstance(layer, Conv2D):
        args = f"filters={layer.filters}, kernel_size={layer.kernel_size}, padding=\"{layer.padding}\""
        if layer.strides != 1:
            args += f", strides={layer.strides}"
        args += _activation_arg(layer.activation)
        if not layer.use_bias:
            args += ", use_bias=False"
        return f"keras.layers.Conv2D({args})"
    if isinstance(layer, BatchNorm):
        return f"keras.layers.BatchNormalization(center={layer.center}, scale={layer.scale})"
    if isinstance(layer, Activation):
        return f'keras.layers.Activation("{layer.activation}")'
    if isinstance(layer, Flatten):
        return "keras.layers.Flatten()"
    if isinstance(layer, MaxPool):
        return f"keras.layers.MaxPooling2D(pool_size={layer.pool_size}, strides={layer.strides})"
    if isinstance(layer, GlobalAvgPool):
        return "keras.layers.GlobalAveragePooling2D()"
    raise TypeError(f"unknown layer {layer!r}")


def layer_label(layer) -> str:
    if isinstance(layer, Dense):
        return f"Dense({layer.units}{', ' + layer.activation if layer.activation else ''})"
    if isinstance(layer, Dropout):
        return f"Dropout({fmt(layer.rate)})"
    if isinstance(layer, Conv2D):
        return f"Conv({layer.filters}, {layer.kernel_size}×{layer.kernel_size}, /{layer.strides})"
    if isinstance(layer, BatchNorm):
        return "BN"
    if isinstance(layer, Activation):
        return layer.activation
    return type(layer).__name__


def optimizer_code(spec: RunSpec) -> str:
    cls = OPTIMIZERS[spec.optimizer]
    if spec.learning_rate is None:
        return f'"{spec.optimizer}"'
    return f"keras.optimizers.{cls}(learning_rate={fmt(spec.learning_rate)})"


# --- output shapes and parameter counts, without TensorFlow ------------------------------------

def _conv_out(size: int, kernel: int, stride: int, padding: str) -> int:
    if padding == "same":
        return -(-size // stride)
    return (size - kernel) // stride + 1


def layer_table(spec_or_layers) -> list[dict]:
    """Per layer: Keras-style name, output shape and parameter count (trainable, non-trainable).

    Computed by hand so pages can show shapes before TensorFlow is imported; tests check it
    against Keras' own ``model.summary`` numbers.
    """
    layers = spec_or_layers.layers if isinstance(spec_or_layers, RunSpec) else tuple(spec_or_layers)
    shape: tuple = (784,)
    rows = []
    for layer in layers:
        trainable = non_trainable = 0
        if isinstance(layer, Dense):
            if len(shape) != 1:
                raise ValueError("Dense braucht eine flache Eingabe – fügen Sie vorher Flatten ein.")
            trainable = shape[0] * layer.units + (layer.units if layer.use_bias else 0)
            shape = (layer.units,)
        elif isinstance(layer, Reshape):
            shape = tuple(layer.target_shape)
        elif isinstance(layer, Conv2D):
            if len(shape) != 3:
                raise ValueError("Conv2D braucht ein Bild (Höhe, Breite, Kanäle) – fügen Sie vorher Reshape ein.")
            h, w, c = shape
            trainable = layer.kernel_size ** 2 * c * layer.filters + (layer.filters if layer.use_bias else 0)
            shape = (_conv_out(h, layer.kernel_size, layer.strides, layer.padding),
                     _conv_out(w, layer.kernel_size, layer.strides, layer.padding), layer.filters)
            if min(shape[:2]) < 1:
                raise ValueError("Das Bild ist zu klein geworden – weniger Schritte oder padding='same'.")
        elif isinstance(layer, BatchNorm):
            n = shape[-1]
            trainable = n * (int(layer.center) + int(layer.scale))
            non_trainable = 2 * n
        elif isinstance(layer, Flatten):
            size = 1
            for d in shape:
                size *= d
            shape = (size,)
        elif isinstance(layer, MaxPool):
            h, w, c = shape
            shape = (_conv_out(h, layer.pool_size, layer.strides, "valid"),
                     _conv_out(w, layer.pool_size, layer.strides, "valid"), c)
        elif isinstance(layer, GlobalAvgPool):
            shape = (shape[-1],)
        rows.append({"layer": type(layer).__name__, "label": layer_label(layer), "output_shape": shape,
                     "trainable": trainable, "non_trainable": non_trainable,
                     "params": trainable + non_trainable})
    return rows


def param_count(spec: RunSpec) -> int:
    return sum(row["params"] for row in layer_table(spec))


# --- the notebooks' models ------------------------------------------------------------------------

def _conv_stack(bias: bool = True, activation: Optional[str] = "relu") -> list:
    return [Conv2D(12, 3, 1, "same", activation, bias),
            Conv2D(24, 6, 2, "same", activation, bias),
            Conv2D(32, 6, 2, "same", activation, bias)]


def _bn_conv_stack() -> list:
    out = [Reshape()]
    for conv in _conv_stack(bias=False, activation=None):
        out += [conv, BatchNorm(center=True, scale=False), Activation("relu")]
    return out


DENSE_200_60 = (Dense(200, "relu"), Dense(60, "relu"), Dense(10, "softmax"))

PRESETS: dict[str, RunSpec] = {
    # notebook 1 and the exercises of chapters 6-7
    # seed 4: this model ends at 89.8-90.0 % after 10 epochs whatever the seed (benchmarks/RESULTS.md)
    "keras_01_mnist": RunSpec(layers=(Dense(10, "softmax"),), optimizer="sgd", seed=4),
    "ex_06_sigmoid": RunSpec(layers=(Dense(200, "sigmoid"), Dense(60, "sigmoid"), Dense(10, "softmax")),
                             optimizer="sgd"),
    "ex_07_relu": RunSpec(layers=DENSE_200_60, optimizer="sgd"),
    # notebook 2 (= the chapter 7 "adam" exercise) and the chapter 8 exercises
    "keras_02_mnist_dense": RunSpec(layers=DENSE_200_60, optimizer="adam"),
    "ex_08_lr001": RunSpec(layers=DENSE_200_60, optimizer="adam", learning_rate=0.01),
    "ex_08_lr_decay": RunSpec(layers=DENSE_200_60, optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    # chapter 9
    "ex_09_four_dense": RunSpec(layers=(Dense(200, "relu"), Dense(100, "relu"), Dense(60, "relu"),
                                        Dense(10, "softmax")),
                                optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    "keras_03_mnist_dense_lrdecay_dropout": RunSpec(
        layers=(Dense(200, "relu"), Dropout(0.25), Dense(100, "relu"), Dropout(0.25),
                Dense(60, "relu"), Dropout(0.25), Dense(10, "softmax")),
        optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    # chapters 11-12
    "ex_11_conv_no_dropout": RunSpec(
        layers=(Reshape(), *_conv_stack(), Flatten(), Dense(200, "relu"), Dense(10, "softmax")),
        optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    "keras_04_mnist_convolutional": RunSpec(
        layers=(Reshape(), *_conv_stack(), Flatten(), Dense(200, "relu"), Dropout(0.4), Dense(10, "softmax")),
        optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    # chapter 13
    # seed 1: the seed spread of this preset is 99.40-99.50 % (benchmarks/RESULTS.md)
    "keras_05_mnist_batch_norm": RunSpec(
        layers=(*_bn_conv_stack(), Flatten(), Dense(200, None, use_bias=False),
                BatchNorm(center=True, scale=False), Activation("relu"), Dropout(0.3), Dense(10, "softmax")),
        optimizer="adam", learning_rate=0.01, lr_decay=0.666, batch_size=64, seed=1),
}

NOTEBOOK_PRESETS = ("keras_01_mnist", "keras_02_mnist_dense", "keras_03_mnist_dense_lrdecay_dropout",
                    "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm")

# German titles for menus and tables
PRESET_TITLES = {
    "keras_01_mnist": "Kapitel 3 · eine Dense-Schicht (keras_01)",
    "ex_06_sigmoid": "Kapitel 6 · drei Schichten, sigmoid, SGD",
    "ex_07_relu": "Kapitel 7 · drei Schichten, relu, SGD",
    "keras_02_mnist_dense": "Kapitel 7 · relu + Adam (keras_02)",
    "ex_08_lr001": "Kapitel 8 · Lernrate 0,01 ohne Abklingen",
    "ex_08_lr_decay": "Kapitel 8 · Lernrate 0,01, Abklingen 0,6",
    "ex_09_four_dense": "Kapitel 9 · vier Schichten ohne Dropout",
    "keras_03_mnist_dense_lrdecay_dropout": "Kapitel 9 · mit Dropout (keras_03)",
    "ex_11_conv_no_dropout": "Kapitel 11 · Faltungsnetz ohne Dropout",
    "keras_04_mnist_convolutional": "Kapitel 12 · Faltungsnetz mit Dropout (keras_04)",
    "keras_05_mnist_batch_norm": "Kapitel 13 · Batch-Normalisierung (keras_05)",
}

# accuracies stored in the original notebooks' outputs (where the issue names them)
NOTEBOOK_ACCURACY = {
    "ex_11_conv_no_dropout": 0.9892,
    "keras_05_mnist_batch_norm": 0.9949,
}

# the accuracies the pretrained models must reach on the 10,000 test digits
TARGET_ACCURACY = {
    "keras_01_mnist": 0.90,
    "keras_02_mnist_dense": 0.97,
    "keras_03_mnist_dense_lrdecay_dropout": 0.975,
    "keras_04_mnist_convolutional": 0.99,
    "keras_05_mnist_batch_norm": 0.994,
}


def preset_for(spec: RunSpec) -> Optional[str]:
    """The preset name whose run equals ``spec`` up to the random seed, or None."""
    for name, preset in PRESETS.items():
        if replace(spec, seed=preset.seed) == preset:
            return name
    return None


def differences(chosen: RunSpec, solution: RunSpec) -> list[str]:
    """German sentences naming how ``chosen`` differs from ``solution`` (empty: identical model)."""
    out = []
    a, b = layer_table(chosen), layer_table(solution)
    if [r["label"] for r in a] != [r["label"] for r in b]:
        out.append("Schichten: Sie haben " + " → ".join(r["label"] for r in a)
                   + "; die Lösung hat " + " → ".join(r["label"] for r in b) + ".")
    if chosen.optimizer != solution.optimizer:
        out.append(f"Optimierer: {OPTIMIZERS[chosen.optimizer]} statt {OPTIMIZERS[solution.optimizer]}.")
    if chosen.lr != solution.lr:
        out.append(f"Lernrate: {short(chosen.lr)} statt {short(solution.lr)}.")
    if chosen.lr_decay != solution.lr_decay:
        what = lambda d: f"Faktor {short(d)} pro Epoche" if d else "keines"
        out.append(f"Abklingen der Lernrate: {what(chosen.lr_decay)} statt {what(solution.lr_decay)}.")
    if chosen.batch_size != solution.batch_size:
        out.append(f"Batch-Größe: {chosen.batch_size} statt {solution.batch_size}.")
    return out

