"""The drawing canvas (streamlit-drawable-canvas, a Streamlit v2 component with isolated styles) on a
touch screen: its toolbar (undo, redo, reset) appears only on mouse hover, which a finger does not
have. The browser script puts :data:`CSS` into the component's shadow root when the toolbar appears:
the toolbar stays visible in its own strip above the canvas. Its English tooltips are translated like
the rest of the chrome (:mod:`tutorial.app.chrome.translate`).
"""

# the element whose open shadow root holds an isolated component (Streamlit's frontend attaches it a
# moment after the element appears)
HOST = '[data-testid="stBidiComponentIsolated"]'
# class of the canvas component's toolbar (inside the shadow root)
TOOLBAR = "dc-toolbar"
CSS = ".dc-root { margin-top: 2.75rem; } .dc-toolbar { opacity: 1 !important; top: -2.65rem !important; }"
