"""Charts with a legend under the plot keep a readable plot on the page.

Streamlit gives a stretched chart without its own ``autosize`` the type "fit": its ``height`` then
includes title, axes and the legend, and in the browser the plot of "Verlust pro Schritt" (chapter 4)
was 25 px tall, the log-softmax bars of chapter 7 35 px with their title pushed above the chart.
These charts carry ``autosize`` "fit-x" (Streamlit keeps it): the width follows the page, ``height``
is the plot's own. Legends under a chart wrap so that they fit a 390 px phone.
"""
from __future__ import annotations

import numpy as np
import pytest

from tutorial import theory as T
from tutorial.charts import browser, theory

pytestmark = pytest.mark.engine


def _specs():
    logits = np.array([10.0, 2.0, 0.0, -6.0])
    stable = logits - logits.max() - np.log(np.exp(logits - logits.max()).sum())
    return {
        "descent_loss": theory.descent_loss_chart([T.descend("tal")]).to_dict(),
        "log_softmax": theory.log_softmax_chart(logits, stable, stable).to_dict(),
        "activations": browser.activation_chart().to_dict(),
    }


@pytest.mark.parametrize("name", ["descent_loss", "log_softmax", "activations"])
def test_plot_height_is_not_eaten_by_title_axes_and_legend(name):
    spec = _specs()[name]
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["height"] >= 200


def test_legends_under_a_chart_wrap():
    specs = _specs()
    assert specs["descent_loss"]["encoding"]["color"]["legend"]["columns"] <= 2
    assert specs["log_softmax"]["encoding"]["color"]["legend"]["columns"] == 1
    assert specs["activations"]["encoding"]["color"]["legend"]["columns"] <= 2
    title = specs["log_softmax"]["title"]
    assert isinstance(title, list) and max(len(line) for line in title) <= 50   # two short lines on a phone
