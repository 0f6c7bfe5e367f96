"""The course's prepared runs: the five notebooks of the codelab and the exercises between them.

Each preset is a :class:`~tutorial.spec.RunSpec`. Its name is the file name of the pretrained
model in ``assets/models`` (``tutorial.pretrained``); which chapter shows which preset is written
in the chapter table (``tutorial.chapters``), so the titles here carry no chapter numbers.

This module never imports TensorFlow.
"""
from __future__ import annotations

from typing import Optional

from tutorial.layers import Activation, BatchNorm, Conv2D, Dense, Dropout, Flatten, Reshape
from tutorial.spec import RunSpec


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
    # notebook 1 and the exercises with three sigmoid / relu layers
    # seed 4: this model ends at 89.8-90.0 % after 10 epochs whatever the seed (benchmarks/RESULTS.md)
    "keras_01_mnist": RunSpec(layers=(Dense(10, "softmax"),), optimizer="sgd", seed=4),
    "ex_06_sigmoid": RunSpec(layers=(Dense(200, "sigmoid"), Dense(60, "sigmoid"), Dense(10, "softmax")),
                             optimizer="sgd"),
    "ex_07_relu": RunSpec(layers=DENSE_200_60, optimizer="sgd"),
    # notebook 2 and the learning-rate exercises
    "keras_02_mnist_dense": RunSpec(layers=DENSE_200_60, optimizer="adam"),
    "ex_08_lr001": RunSpec(layers=DENSE_200_60, optimizer="adam", learning_rate=0.01),
    "ex_08_lr_decay": RunSpec(layers=DENSE_200_60, optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    # notebook 3 and the deeper net without dropout before it
    "ex_09_four_dense": RunSpec(layers=(Dense(200, "relu"), Dense(100, "relu"), Dense(60, "relu"),
                                        Dense(10, "softmax")),
                                optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    "keras_03_mnist_dense_lrdecay_dropout": RunSpec(
        layers=(Dense(200, "relu"), Dropout(0.25), Dense(100, "relu"), Dropout(0.25),
                Dense(60, "relu"), Dropout(0.25), Dense(10, "softmax")),
        optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    # notebook 4 and the convolutional net without dropout before it
    "ex_11_conv_no_dropout": RunSpec(
        layers=(Reshape(), *_conv_stack(), Flatten(), Dense(200, "relu"), Dense(10, "softmax")),
        optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    "keras_04_mnist_convolutional": RunSpec(
        layers=(Reshape(), *_conv_stack(), Flatten(), Dense(200, "relu"), Dropout(0.4), Dense(10, "softmax")),
        optimizer="adam", learning_rate=0.01, lr_decay=0.6),
    # notebook 5
    # seed 1: the seed spread of this preset is 99.40-99.50 % (benchmarks/RESULTS.md)
    "keras_05_mnist_batch_norm": RunSpec(
        layers=(*_bn_conv_stack(), Flatten(), Dense(200, None, use_bias=False),
                BatchNorm(center=True, scale=False), Activation("relu"), Dropout(0.3), Dense(10, "softmax")),
        optimizer="adam", learning_rate=0.01, lr_decay=0.666, batch_size=64, seed=1),
}

NOTEBOOK_PRESETS = ("keras_01_mnist", "keras_02_mnist_dense", "keras_03_mnist_dense_lrdecay_dropout",
                    "keras_04_mnist_convolutional", "keras_05_mnist_batch_norm")

# German titles for menus and tables (the chapter table says where each one is shown)
PRESET_TITLES = {
    "keras_01_mnist": "Eine dichte Schicht (keras_01)",
    "ex_06_sigmoid": "Drei Schichten, sigmoid, SGD",
    "ex_07_relu": "Drei Schichten, relu, SGD",
    "keras_02_mnist_dense": "Drei Schichten, relu, Adam (keras_02)",
    "ex_08_lr001": "Lernrate 0,01 ohne Lernratenabfall",
    "ex_08_lr_decay": "Lernrate 0,01 mit Lernratenabfall 0,6",
    "ex_09_four_dense": "Vier Schichten ohne Dropout",
    "keras_03_mnist_dense_lrdecay_dropout": "Vier Schichten mit Dropout (keras_03)",
    "ex_11_conv_no_dropout": "Faltungsnetz ohne Dropout",
    "keras_04_mnist_convolutional": "Faltungsnetz mit Dropout (keras_04)",
    "keras_05_mnist_batch_norm": "Faltungsnetz mit Batch-Normalisierung (keras_05)",
}

# the accuracies the pretrained models must reach on the 10,000 test digits
TARGET_ACCURACY = {
    "keras_01_mnist": 0.90,
    "keras_02_mnist_dense": 0.97,
    "keras_03_mnist_dense_lrdecay_dropout": 0.975,
    "keras_04_mnist_convolutional": 0.99,
    "keras_05_mnist_batch_norm": 0.994,
}

