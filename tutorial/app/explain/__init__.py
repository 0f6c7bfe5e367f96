"""The interactive explanations the chapter pages call (``from tutorial.app import explain``).

* :mod:`.basics` – chapter 4 (neuron, dense layer, activations, softmax, cross-entropy, gradient descent)
* :mod:`.conv` – chapter 10 (convolution of a real digit, shape calculator, flatten vs. pooling)
* :mod:`.deep` – chapters 7, 9 and 13 (vanishing gradients, NaN, dropout, overfitting, batch norm)

No visual reruns the page: browser-side charts answer a slider with no script run at all, the
others are fragments that rerun only themselves.
"""
from tutorial.app.explain.basics import (activations_demo, dense_layer_demo, gradient_descent_demo, neuron_demo,
                                         one_hot_cross_entropy_demo, softmax_demo)
from tutorial.app.explain.conv import conv_calculator, convolution_demo, gap_vs_flatten_demo
from tutorial.app.explain.deep import (batchnorm_distributions, dropout_demo, nan_demo, overfitting_gap,
                                       sigmoid_vs_relu_gradients)

__all__ = ["activations_demo", "batchnorm_distributions", "conv_calculator", "convolution_demo", "dense_layer_demo",
           "dropout_demo", "gap_vs_flatten_demo", "gradient_descent_demo", "nan_demo", "neuron_demo",
           "one_hot_cross_entropy_demo", "overfitting_gap", "sigmoid_vs_relu_gradients", "softmax_demo"]
