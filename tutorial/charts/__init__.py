"""All charts of the app, sorted by audience; pure Altair (and PIL), no Streamlit, no TensorFlow.

* :mod:`tutorial.charts.training` – a training run: curves, learning-rate schedule, run overlay,
  digit grids.
* :mod:`tutorial.charts.theory` – the explanations' visuals computed in Python (numpy).
* :mod:`tutorial.charts.browser` – explanations whose maths runs in the browser: Altair
  parameters bound to sliders, redrawn by Vega with no server round trip.
* :mod:`tutorial.charts.internals` – a model's insides: weights and feature maps as PNG pictures
  (PIL, in strips that wrap on a narrow screen), class probabilities, the confusion matrix.

Every public chart function returns a chart that is already German-formatted (:func:`base.german`);
the pictures write their few numbers through :mod:`tutorial.deutsch` too.
"""
