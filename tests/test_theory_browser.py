"""In a real browser: a widget of an explanation reruns only its fragment, never the page, and a
slider bound inside a browser-side chart redraws it with no script run at all."""
import textwrap

import pytest

from conftest import ROOT, start_server, stop_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    import streamlit as st
    from tutorial.app.explain import basics, conv

    st.session_state["page_runs"] = st.session_state.get("page_runs", 0) + 1
    st.markdown(f"Seitenläufe: {{st.session_state['page_runs']}}")
    conv.gap_vs_flatten_demo()
    basics.neuron_demo()
""")

# Counts finished script runs: every change of the script state *from* "running". (Reading the current
# state in the callback misses a fast fragment run: running → notRunning can land in one callback.)
RUNS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__runs = 0;
  new MutationObserver((records) => {
    for (const r of records) if (r.oldValue === 'running') window.__runs++;
  }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
}"""


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    """Its own server: it runs a small demo script, not the app."""
    script = tmp_path_factory.mktemp("app") / "demo.py"
    script.write_text(APP.format(root=str(ROOT)), encoding="utf-8")
    proc, url = start_server(str(script))
    try:
        yield url
    finally:
        stop_server(proc)


def test_fragment_reruns_alone_and_bound_slider_runs_nothing(browser, demo_url):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(demo_url)
        main = page.locator('[data-testid="stMain"]')
        main.get_by_text("Seitenläufe: 1").wait_for(timeout=60000)
        main.get_by_text("4.910 Gewichte").wait_for(timeout=30000)          # 7·7·10·10 + 10
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        page.evaluate(RUNS)

        # a Streamlit widget inside the fragment: the visual changes, the page does not rerun
        channels = main.locator('[data-testid="stSlider"]').filter(has_text="Kanäle der letzten Faltung") \
            .locator('input[type="range"]')
        channels.focus()
        channels.press("ArrowRight")                                         # 10 → 16 channels
        main.get_by_text("7.850 Gewichte").wait_for(timeout=30000)          # 7·7·16·10 + 10: the fragment ran …
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        page.wait_for_timeout(500)
        assert main.get_by_text("Seitenläufe: 1").count() == 1              # … the page did not
        # (the run counter is not asserted here: a fragment run of a few milliseconds can go
        # running → notRunning inside one React render, leaving no attribute change to observe)

        # a slider bound inside the neuron chart: redrawn in the browser, no script run
        runs = page.evaluate("window.__runs")
        chart = main.locator(".vega-embed").filter(has=page.locator(".vega-bind input")).first
        assert "0,80·1,2" in chart.inner_html()                              # German decimals in the SVG
        x1 = chart.locator('.vega-bind input[type="range"]').first
        x1.focus()
        x1.press("ArrowRight")                                               # x1: 0,80 → 0,85
        page.wait_for_function("(el) => el.innerHTML.includes('0,85·1,2')", arg=chart.element_handle(),
                               timeout=5000)
        page.wait_for_timeout(1000)
        assert page.evaluate("window.__runs") == runs
        assert main.get_by_text("Seitenläufe: 1").count() == 1              # not a fragment: a run would be a page run
        assert "0,810" in chart.inner_html()                                 # 0,85·1,2 − 0,21 + 0,2 − 0,2
    finally:
        page.close()
