"""The interactive explanations the chapter pages call (``from tutorial.app.explain import basics``).

* :mod:`.basics` – chapter 4 (neuron, dense layer, activations, softmax, cross-entropy, gradient descent)
* :mod:`.conv` – chapter 10 (convolution of a real digit, shape calculator, flatten vs. pooling)
* :mod:`.deep` – chapters 7, 9 and 13 (vanishing gradients, NaN, dropout, overfitting, batch norm)

No visual reruns the page: browser-side charts answer a slider with no script run at all, the
others are fragments that rerun only themselves.
"""
