"""Browser test: the learner sees no English UI strings, the page says ``lang="de"``, and wrong input
is answered in German, in the page.

One ``streamlit run streamlit_app.py`` per module (fixture ``app_url``) and Debian's chromium
(fixture ``browser``). Every page of the chapter table is opened; from each the visible text and the
widgets' chrome (``aria-label``, ``title`` and ``placeholder``, also inside the canvas component's
shadow root) is collected and searched for the English strings in :data:`ENGLISH`. Program code
(``pre``/``code``) and the charts' SVG are not UI text and are left out. No page trains a model.
"""
from __future__ import annotations

import re
import time

import pytest

from tutorial.chapters import CHAPTERS, by_number, chapter
from tests.browser import open_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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


@pytest.fixture(scope="module")
def page(app_url, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    yield page
    page.close()


def english_in(texts: list[str]) -> list[str]:
    found = [t for t in texts if ENGLISH_RE.search(t) or ENGLISH_PERCENT.search(t)]
    return sorted(set(found))


def collect(page) -> list[str]:
    return page.evaluate(COLLECT)


def test_every_page_is_german(app_url, page):
    checked = 0
    for entry in CHAPTERS:
        if not entry.exists:
            continue
        open_page(page, app_url, entry)
        assert page.evaluate("document.documentElement.lang") == "de", entry.file
        texts = collect(page)
        assert len(texts) > 20, f"{entry.file}: hardly any text collected"
        assert english_in(texts) == [], f"{entry.file}: English UI text {english_in(texts)}"
        # developer options and the English app menu are hidden (client.toolbarMode)
        assert page.get_by_test_id("stAppDeployButton").count() == 0, entry.file
        assert page.get_by_test_id("stMainMenu").count() == 0, entry.file
        # sliders show a decimal comma
        values = page.locator(SLIDER_VALUES).all_inner_texts()
        assert not [v for v in values if ENGLISH_DECIMAL.match(v.strip())], f"{entry.file}: {values}"
        checked += 1
    assert checked == sum(entry.exists for entry in CHAPTERS) >= 10


def test_float_slider_shows_a_decimal_comma(app_url, page):
    """Chapter 4's neuron demo has sliders with steps of 0,05 / 0,1: their values and ends read "0,80",
    not "0.80"."""
    open_page(page, app_url, by_number(4))
    values = [v.strip() for v in page.locator(SLIDER_VALUES).all_inner_texts()]
    decimals = [v for v in values if re.fullmatch(r"[−-]?\d+,\d+", v)]
    assert decimals, f"no slider with a decimal value on chapter 4: {values}"
    assert not [v for v in values if "." in v], values


def test_multiselect_menu_is_german(app_url, page):
    """The open menu of a multiselect offers "Alle auswählen", not "Select all" (chapter 4's methods)."""
    open_page(page, app_url, by_number(4))
    box = page.get_by_test_id("stMultiSelect").first
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    menu = page.get_by_role("listbox")
    menu.wait_for()
    time.sleep(0.3)
    texts = collect(page)
    page.keyboard.press("Escape")
    assert english_in(texts) == []
    assert "Alle auswählen" in texts or "Keine Treffer" in texts, texts[-20:]


def test_number_out_of_range_is_answered_in_german(app_url, page):
    """Chapter 11: 200 filters (allowed 1 … 128) give a German error under the box, no English message,
    and no comparison with the solution for a model that is not taken."""
    open_page(page, app_url, by_number(11))
    box = page.get_by_role("spinbutton", name="Filter", exact=True).first
    box.scroll_into_view_if_needed()
    box.fill("200")
    box.press("Enter")
    message = page.get_by_text("Filter: 200 ist zu groß")
    message.wait_for()
    wait_idle(page)
    assert message.is_visible()
    texts = collect(page)
    assert english_in(texts) == []
    assert not page.get_by_text("Vergleich mit der Lösung").count()
    assert not page.get_by_text("entspricht der Lösung").count()
    # a valid number is accepted again
    box.fill("12")
    box.press("Enter")
    message.wait_for(state="detached")
    wait_idle(page)
    assert page.get_by_text("ist zu groß").count() == 0


def test_drawing_page_uploader_and_canvas_toolbar_are_german(app_url, page, tmp_path):
    open_page(page, app_url, chapter("ziffern_zeichnen"))
    dropzone = page.get_by_test_id("stFileUploaderDropzone")
    assert "Hochladen" in dropzone.inner_text()
    assert "höchstens 5 MB pro Datei" in dropzone.inner_text()
    # the canvas toolbar (in the component's shadow root): German tooltips, visible without hovering
    toolbar = page.evaluate("""() => {
      for (const el of document.querySelectorAll('*')) {
        const bar = el.shadowRoot && el.shadowRoot.querySelector('.dc-toolbar');
        if (bar) return {opacity: getComputedStyle(bar).opacity,
                         titles: [...bar.querySelectorAll('button')].map(b => b.title)};
      }
      return null;
    }""")
    assert toolbar is not None, "canvas toolbar not found"
    assert toolbar["opacity"] == "1"
    assert "Rückgängig" in toolbar["titles"] and "Wiederholen" in toolbar["titles"], toolbar["titles"]
    # a file that is no image: accepted by the uploader, answered by the page in German
    wrong = tmp_path / "notizen.txt"
    wrong.write_text("keine Ziffer")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(wrong))
    error = page.get_by_text("kein lesbares Bild")
    error.wait_for()
    wait_idle(page)
    assert error.is_visible()
    assert english_in(collect(page)) == []
    # a file above the 5 MB limit: Streamlit refuses it in the browser; its message is German
    big = tmp_path / "foto.png"
    big.write_bytes(b"\0" * 6_000_000)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(big))
    too_big = page.get_by_text("Die Datei ist zu groß")
    too_big.wait_for()
    assert too_big.is_visible()
    assert english_in(collect(page)) == []
