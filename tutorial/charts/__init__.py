"""All charts of the app, sorted by audience; pure Altair (and PIL), no Streamlit, no TensorFlow.

* :mod:`tutorial.charts.training` – a training run: curves, learning-rate schedule, run overlay,
  digit grids.
* :mod:`tutorial.charts.theory` – the explanations' visuals computed in Python (numpy).
* :mod:`tutorial.charts.browser` – explanations whose maths runs in the browser: Altair
  parameters bound to sliders, redrawn by Vega with no server round trip.
* :mod:`tutorial.charts.internals` – a model's insides: weights and feature maps as images,
  class probabilities, the confusion matrix.

Every public function returns a chart that is already German-formatted (:func:`base.german`).
"""
