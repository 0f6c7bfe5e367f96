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
/* the digit grids under a result: 24 per row on a wide screen, 8 per row on a phone (views.show_digits) */
[class*="st-key-digits_phone_"], [class*="st-key-table_phone_"] { display: none; }
@media (max-width: 640px) {
  [class*="st-key-digits_wide_"], [class*="st-key-table_wide_"] { display: none; }
  [class*="st-key-digits_phone_"], [class*="st-key-table_phone_"] { display: flex; }
  /* a phone: nothing hides in a box that scrolls sideways (issue 22) – tables wrap their cells,
     code wraps its lines, charts wider than the screen are drawn smaller */
  [data-testid="stMarkdownContainer"] table, [data-testid="stTable"] table {
    width: 100%; max-width: 100%; table-layout: fixed; font-size: 0.8rem; }
  [data-testid="stMarkdownContainer"] table td, [data-testid="stMarkdownContainer"] table th,
  [data-testid="stTable"] td, [data-testid="stTable"] th {
    padding: 0.25rem 0.3rem; overflow-wrap: anywhere; hyphens: auto; white-space: normal; }
  [data-testid="stTable"] { overflow-x: visible; }
  [data-testid="stTable"] th, [data-testid="stTable"] td,
  [data-testid="stTable"] th *, [data-testid="stTable"] td * { white-space: normal !important;
    overflow-wrap: anywhere !important; word-break: break-word !important; hyphens: auto; min-width: 0; }
  [data-testid="stCode"] pre, [data-testid="stCode"] code, [data-testid="stMarkdownContainer"] pre,
  [data-testid="stMarkdownContainer"] pre code {
    white-space: pre-wrap !important; overflow-wrap: anywhere; word-break: break-word; }
  [data-testid="stVegaLiteChart"], [data-testid="stVegaLiteChart"] .vega-embed {
    max-width: 100% !important; }
  [data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg {
    max-width: 100% !important; height: auto !important; }
  div:has(> [data-testid="stVegaLiteChart"]) { overflow: visible; max-width: 100%; }
  [data-testid="stImage"] img { max-width: 100% !important; height: auto !important; }
  /* headings small enough for long German words ("Aktivierungsfunktionen:"), hyphenated where the
     browser can, broken only as a last resort */
  [data-testid="stMain"] h1 { font-size: 1.9rem; }
  [data-testid="stMain"] h2 { font-size: 1.55rem; }
  [data-testid="stMain"] h3 { font-size: 1.3rem; }
  h1, h2, h3, h4 { hyphens: auto; overflow-wrap: break-word; }
}
"""
