"""Helpers shared by the browser tests: wait until Streamlit's script run is over, open a page of the
chapter table, and the checks every page must pass (used by the one sweep over all pages in
tests/test_browser_smoke.py and by the German and phone tests): which strings count as English UI
text, how it is collected (``collect``), and how a page's width is measured (``MEASURE``)."""
from __future__ import annotations

import re
import time

IDLE_APP = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'


def wait_idle(page, title: str | None = None) -> None:
    """Wait until the script run is over (a rerun may start right after the first one); with
    ``title``, first until that page's heading shows (right after a click in the menu the previous
    page's heading is still there)."""
    if title:
        page.get_by_role("heading", level=1, name=title).first.wait_for()
    page.wait_for_selector(IDLE_APP)
    time.sleep(0.5)
    page.wait_for_selector(IDLE_APP)


def open_page(page, url: str, entry, settle: float = 0.3) -> None:
    """Open ``entry`` (a :class:`tutorial.chapters.Chapter`) and wait for its title and an idle app;
    ``settle`` seconds more for charts and components to finish their layout. A page that shows an
    exception box instead of its title fails at once."""
    page.goto(f"{url}/{entry.url_path}")
    title = page.get_by_role("heading", level=1, name=entry.page_title).first
    title.or_(page.locator(EXCEPTION)).first.wait_for()
    assert page.locator(EXCEPTION).count() == 0, f"{entry.file}: {page.locator(EXCEPTION).first.inner_text()}"
    wait_idle(page, entry.page_title)
    time.sleep(settle)


# --- German everywhere ----------------------------------------------------------------------------

# English UI strings that must never reach a learner (Streamlit's chrome, the canvas toolbar, the
# file uploader, number boxes, multiselects, chart and table toolbars). Matched as whole words. The app
# menu's own items ("Settings", "Print") are not listed: the menu is absent (checked below), and the host
# page may quote Streamlit Cloud's English menu ("Settings → Secrets") on purpose.
ENGLISH = [
    "Deploy", "Rerun", "Always rerun", "Running", "Stop", "Main menu",
    "Skip to main content", "Sidebar", "Collapse sidebar", "Expand sidebar", "App pages",
    "Drag and drop", "Browse files", "Upload", "per file", "file upload", "files are not allowed",
    "File is larger", "File must be", "Error", "Press Enter", "Number is", "allowed range", "Please enter",
    "Select all", "Choose an option", "Choose options", "No results", "Clear all", "Clear value",
    "Selected values", "Remove", "Open", "Close", "Dismiss",
    "Fullscreen", "Close fullscreen", "Show data", "Show chart", "Download as", "Copy Vega-Lite spec",
    "Vega visualization", "Show/hide columns", "Search", "Link to heading", "Copy to clipboard",
    "Help for", "Increment", "Decrement",
    "Undo", "Redo", "Update the app", "Reset canvas", "Delete selected", "Bring forward", "Send backward",
    "Page not found", "Connection error", "not responding",
]
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")
ENGLISH_PERCENT = re.compile(r"\d\.\d+\s?%")           # "98.25%" instead of "98,3 %"
ENGLISH_DECIMAL = re.compile(r"^[−-]?\d+\.\d+$")       # a slider showing "0.80"
# a slider's value above the thumb and its minimum and maximum under the track (shown on hover)
SLIDER_VALUES = '[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] > *'

# Visible text nodes plus the chrome attributes of every element, shadow roots included; no code,
# no chart SVG, no icon ligatures ("upload", "help" are icon names, not words).
COLLECT = """() => {
  const out = [];
  const skip = (el) => el.namespaceURI === "http://www.w3.org/2000/svg"
    || /^(PRE|CODE|SCRIPT|STYLE|NOSCRIPT|TEXTAREA)$/.test(el.tagName)
    || (el.dataset && el.dataset.testid === "stIconMaterial");
  const walk = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.nodeType === 1 && skip(n)) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) {
        const parent = n.parentElement;
        if (n.nodeValue.trim() && parent && parent.checkVisibility()) out.push(n.nodeValue.trim());
      } else {
        for (const name of ["aria-label", "title", "placeholder"]) {
          const value = n.getAttribute(name);
          if (value) out.push(value);
        }
        if (n.shadowRoot) walk(n.shadowRoot);
      }
    }
  };
  walk(document.body);
  return out;
}"""


def collect(page) -> list[str]:
    """The page's visible text and chrome attributes (see :data:`COLLECT`)."""
    return page.evaluate(COLLECT)


def english_in(texts: list[str]) -> list[str]:
    found = [t for t in texts if ENGLISH_RE.search(t) or ENGLISH_PERCENT.search(t)]
    return sorted(set(found))


# --- no sideways scrolling ------------------------------------------------------------------------

# widths of the page and of the main area, the elements that stick out of the main area without
# being inside a box that scrolls (or clips) on its own, and text cut off with "…"
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const width = main.clientWidth;
  const wide = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    let own = false;
    for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { own = true; break; }
    }
    if (!own) wide.push(`${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') || el.className}] ${Math.round(r.right)} px`);
  }
  // text cut off with "…" (e.g. a widget label or a link that does not fit)
  const cut = [];
  for (const el of main.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim())
      cut.push(el.innerText.trim().slice(0, 60));
  }
  return {page: [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth],
          main: [main.scrollWidth, main.clientWidth], wide: wide.slice(0, 5), cut: cut.slice(0, 5)};
}"""


def fits(result: dict) -> bool:
    """Neither the document nor the main area of a :data:`MEASURE` result scrolls sideways."""
    (page_scroll, page_client), (main_scroll, main_client) = result["page"], result["main"]
    return page_scroll <= page_client + 1 and main_scroll <= main_client + 1


# boxes that scroll or clip sideways and hold more than they show (a table, a code block, a chart): on a
# phone nothing may hide there (issue 22 measured 52–452 px hidden in data grids, code blocks, image grids)
HIDDEN = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    const o = getComputedStyle(el).overflowX;
    const r = el.getBoundingClientRect();
    if ((o === 'auto' || o === 'scroll' || o === 'hidden') && r.height > 2 && el.clientWidth > 0
        && el.scrollWidth > el.clientWidth + 1)
      out.push(`${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') || el.className}] hides `
               + `${el.scrollWidth - el.clientWidth} px`);
  }
  return out;
}"""
