"""Page CSS for narrow screens and long German words, applied on every page by
:func:`tutorial.app.chrome.script.apply`; ``tests/test_browser_phone.py`` (390 × 844, touch) checks
that no page scrolls sideways and no text is cut with "…"."""

CSS = """
/* widget labels wrap instead of ending in "…" (Streamlit cuts a label with a help icon to one line) */
[data-testid="stWidgetLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stWidgetLabel"] [data-testid="stMarkdownContainer"] p {
  white-space: normal; overflow: visible; text-overflow: clip; }
/* Markdown tables: German words are hyphenated where the browser can (lang="de"), code may wrap */
[data-testid="stMarkdownContainer"] table td, [data-testid="stMarkdownContainer"] table th {
  hyphens: auto; overflow-wrap: break-word; }
[data-testid="stMarkdownContainer"] table code { overflow-wrap: anywhere; }
@media (max-width: 640px) {
  /* a phone: smaller cells; a table that is still too wide scrolls inside itself, never the page */
  [data-testid="stMarkdownContainer"] table { display: block; max-width: 100%; overflow-x: auto;
    font-size: 0.8rem; }
  [data-testid="stMarkdownContainer"] table td, [data-testid="stMarkdownContainer"] table th {
    padding: 0.25rem 0.3rem; }
  /* a chart with a fixed width larger than the screen (an image grid) scrolls inside its own box */
  div:has(> [data-testid="stVegaLiteChart"]) { overflow-x: auto; overflow-y: hidden; }
}
"""
