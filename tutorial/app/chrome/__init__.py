"""German chrome around the pages, one concern per module.

Streamlit (1.67) has no translations of its own UI (widgets, chart and table toolbars, tooltips, aria
labels, its connection and "page not found" dialogs) and no option for the page language.

* :mod:`.script` – the one injection per run (``apply``, called by the router): the browser script
  ``chrome.js`` (read once) with its configuration, and the page CSS;
* :mod:`.translate` – Streamlit's and the canvas component's English strings → German, and where
  decimals get a comma;
* :mod:`.phone` – CSS for narrow screens (tables, labels, wide charts);
* :mod:`.canvas` – the drawing canvas's toolbar, visible on touch screens;
* :mod:`.number_box` – number boxes that answer an out-of-range entry in German.
"""
