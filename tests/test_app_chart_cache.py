"""views.cached_chart: the page gets exactly what st.altair_chart would send (spec, data, width),
and the chart is built once per process for the same arguments."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app


def _both_app():
    import streamlit as st

    from tutorial.app import views
    from tutorial.charts import browser, internals
    import numpy as np
    st.altair_chart(browser.softmax_chart([1.0, 2.0, 0.5]), width="content")
    views.cached_chart(browser.softmax_chart, [1.0, 2.0, 0.5], width="content")
    st.altair_chart(internals.probability_bars(np.full(10, 0.1), 3, height=110), width="stretch")
    views.cached_chart(internals.probability_bars, np.full(10, 0.1), 3, height=110)


def _proto(chart) -> tuple:
    p = chart.proto
    return (json.loads(p.spec), [(d.name, bytes(d.data.data)) for d in p.datasets], str(p.width_config) if
            hasattr(p, "width_config") else "", p.id)


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_cached_chart_sends_what_altair_chart_sends():
    at = AppTest.from_function(_both_app, default_timeout=60).run()
    assert not at.exception
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 4
    assert _proto(charts[0])[:2] == _proto(charts[1])[:2]
    assert _proto(charts[2])[:2] == _proto(charts[3])[:2]
    assert charts[0].proto.SerializeToString() != b""


def _counting_app():
    import streamlit as st

    from tutorial.app import views
    from tutorial.charts import browser
    built = st.session_state.setdefault("built", [])

    def chart(logits):
        built.append(list(logits))
        return browser.softmax_chart(logits)
    chart.__qualname__ = "test_counting_chart"
    views.cached_chart(chart, [1.0, 2.0])
    views.cached_chart(chart, [1.0, 2.0])
    views.cached_chart(chart, [3.0, 1.0])


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_cached_chart_builds_once_for_the_same_arguments():
    at = AppTest.from_function(_counting_app, default_timeout=60).run()
    assert not at.exception
    assert at.session_state["built"] == [[1.0, 2.0], [3.0, 1.0]]
    at.run()
    assert at.session_state["built"] == [[1.0, 2.0], [3.0, 1.0]]      # a rerun builds nothing
