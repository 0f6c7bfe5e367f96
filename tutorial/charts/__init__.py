"""All charts of the app, sorted by audience; pure Altair (and PIL), no Streamlit, no TensorFlow.

* :mod:`tutorial.charts.training` – a training run: curves, learning-rate schedule, run overlay,
  digit grids (re-exported here: ``charts.training_charts`` …).
* :mod:`tutorial.charts.theory` – the explanations' visuals computed in Python (numpy).
* :mod:`tutorial.charts.browser` – explanations whose maths runs in the browser: Altair
  parameters bound to sliders, redrawn by Vega with no server round trip.
* :mod:`tutorial.charts.internals` – a model's insides: weights and feature maps as images,
  class probabilities, the confusion matrix.

Every public function returns a chart that is already German-formatted (:func:`base.german`).
"""
from tutorial.charts.base import LOCALE, german
from tutorial.charts.training import (ZOOMS, block_means, curve_frame, digit_grid, fitting_zoom, lr_chart,
                                      overlay_charts, overlay_view, training_charts, training_view, zoom_limits)

__all__ = ["LOCALE", "ZOOMS", "block_means", "curve_frame", "digit_grid", "fitting_zoom", "german", "lr_chart",
           "overlay_charts", "overlay_view", "training_charts", "training_view", "zoom_limits"]
