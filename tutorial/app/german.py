"""German chrome around the pages: ``<html lang="de">``, Streamlit's own English UI strings in German,
decimal commas on sliders, a layout that fits a phone, and German checks for number inputs.

Streamlit (1.67) has no translations of its own widgets (file uploader, multiselect, chart and table
toolbars, tooltips, aria labels) and no option for the page language. :func:`apply`, called once per
run by the router, sends a small script (``st.html(..., unsafe_allow_javascript=True)``, not iframed)
that sets ``lang="de"`` and translates the known English strings as they appear — text and the
``aria-label``/``title``/``placeholder`` attributes, also inside the open shadow root of the drawing
canvas. Strings it does not know stay as they are; ``tests/test_browser_german.py`` lists the English
ones that must never be visible. Code blocks, charts (SVG) and text fields are never touched.

:func:`whole_number` replaces ``st.number_input(min_value=…, max_value=…)``: a box outside the range
answers in German in the page (and the caller gets ``None``) instead of Streamlit's English message
while the page goes on with the last valid value.
"""
from __future__ import annotations

import json
from typing import Optional

import streamlit as st

from tutorial.deutsch import de

# Streamlit's (and the canvas component's) English chrome → German. Exact strings (after trimming).
EXACT: dict[str, str] = {
    # app frame
    "Skip to main content": "Zum Inhalt springen",
    "Deploy": "Veröffentlichen",
    "Main menu": "Hauptmenü",
    "Sidebar": "Seitenleiste",
    "App pages": "Seiten der App",
    "Collapse sidebar": "Seitenleiste einklappen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "Running...": "Läuft …",
    "Stop": "Anhalten",
    "Rerun": "Neu ausführen",
    "Always rerun": "Immer neu ausführen",
    "File change.": "Datei geändert.",
    "Please wait...": "Bitte warten …",
    "Connecting": "Verbindung wird aufgebaut",
    "Link to heading": "Link zu dieser Überschrift",
    "Copy to clipboard": "In die Zwischenablage kopieren",
    "Copied to clipboard": "In die Zwischenablage kopiert",
    "Copied": "Kopiert",
    # widgets
    "Open": "Öffnen",
    "Close": "Schließen",
    "Dismiss": "Schließen",
    "Clear value": "Auswahl löschen",
    "Choose an option": "Bitte wählen",
    "Choose options": "Bitte wählen",
    "No results": "Keine Treffer",
    "Select all": "Alle auswählen",
    "Clear all": "Alle entfernen",
    "Selected values": "Ausgewählte Werte",
    "Increment": "Erhöhen",
    "Decrement": "Verringern",
    "Upload": "Hochladen",
    "Browse files": "Datei auswählen",
    "Add files": "Dateien hinzufügen",
    "Drag and drop file here": "Datei hierher ziehen",
    "Drag and drop a file here": "Datei hierher ziehen",
    "Drag and drop files here": "Dateien hierher ziehen",
    "file upload": "Datei hochladen",
    "add icon": "Hinzufügen",
    "Error:": "Fehler:",
    "File size is too small.": "Die Datei ist zu klein.",
    "Only one file is allowed.": "Nur eine Datei ist erlaubt.",
    "Unexpected error. Please try again.": "Unerwarteter Fehler. Bitte versuchen Sie es noch einmal.",
    "Delete": "Löschen",
    # charts and tables
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild schließen",
    "Show data": "Daten anzeigen",
    "Show chart": "Diagramm anzeigen",
    "Download as PNG": "Als PNG herunterladen",
    "Download as SVG": "Als SVG herunterladen",
    "Copy Vega-Lite spec": "Vega-Lite-Beschreibung kopieren",
    "Vega visualization": "Diagramm",
    "Show/hide columns": "Spalten ein- oder ausblenden",
    "Search": "Suchen",
    "Close Search": "Suche schließen",
    "Next Result": "Nächster Treffer",
    "Previous Result": "Vorheriger Treffer",
    "Download as CSV": "Als CSV herunterladen",
    "Dataframe column menu": "Spaltenmenü",
    "Copy column name": "Spaltennamen kopieren",
    "Sort ascending": "Aufsteigend sortieren",
    "Sort descending": "Absteigend sortieren",
    "Hide column": "Spalte ausblenden",
    "Pin column": "Spalte fixieren",
    "Unpin column": "Spalte lösen",
    "Autosize": "Breite anpassen",
    "Clear selection": "Auswahl aufheben",
    "No data": "Keine Daten",
    "Empty": "Leer",
    # streamlit-drawable-canvas toolbar
    "Update the app with this drawing": "Zeichnung an die App schicken",
    "Undo": "Rückgängig",
    "Redo": "Wiederholen",
    "Edit": "Bearbeiten",
    "Bring forward": "Nach vorn",
    "Send backward": "Nach hinten",
    "Delete selected": "Auswahl löschen",
    "Reset canvas & history": "Zeichenfläche zurücksetzen",
}

# (JavaScript regular expression, German replacement with $1 …) for strings with a variable part.
PATTERNS: list[tuple[str, str]] = [
    (r"^Help for (.+)$", "Hilfe zu $1"),
    (r"^Remove (.+)$", "$1 entfernen"),
    (r"^Fullscreen: (.+)$", "Vollbild: $1"),
    (r"^Select (\d+) matches$", "$1 Treffer auswählen"),
    (r"^Add: (.+)$", "Hinzufügen: $1"),
    (r"^(\d+(?:\.\d+)?)\s?([KMG]?B) per file(?: • .*)?$", "höchstens $1 $2 pro Datei"),
    (r"^File is larger than (\d+) bytes$", "Die Datei ist zu groß."),
    (r"^File must be (\d+)\.0\s?([KMG]?B) or smaller\.$", "Die Datei ist zu groß: höchstens $1 $2."),
    (r"^File must be (.+) or smaller\.$", "Die Datei ist zu groß: höchstens $1."),
    (r"^(.+) files are not allowed\.$", "Dateien vom Typ $1 sind nicht erlaubt."),
    (r"^(\d+)\.(\d)\s?([KMG]B)$", "$1,$2 $3"),      # an uploaded file's size, "6.0MB"
    (r"^Number is outside the allowed range\. Please enter a value between (.+) and (.+)\.$",
     "Die Zahl liegt außerhalb des erlaubten Bereichs: bitte einen Wert von $1 bis $2 eingeben."),
    (r"^Number is below the allowed range\. Please enter a value greater than or equal to (.+)\.$",
     "Die Zahl ist zu klein: bitte mindestens $1 eingeben."),
    (r"^Number is above the allowed range\. Please enter a value less than or equal to (.+)\.$",
     "Die Zahl ist zu groß: bitte höchstens $1 eingeben."),
    (r"^Number is (below|above|outside) the allowed range\.$", "Die Zahl liegt außerhalb des erlaubten Bereichs."),
]

# Phone layout and small fixes that need CSS (applied on every page).
CSS = """
/* the script element of this module takes no room */
[data-testid="stElementContainer"]:has(.tutorial-german) { display: none; }
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

# Injected into the drawing canvas's shadow root: its toolbar (undo, redo, reset) appears only on mouse
# hover, which a touch screen does not have; keep it visible in its own strip above the canvas.
CANVAS_CSS = (".dc-root { margin-top: 2.75rem; } "
              ".dc-toolbar { opacity: 1 !important; top: -2.65rem !important; }")

_SCRIPT = r"""
(() => {
  document.documentElement.lang = "de";
  if (window.__tutorialGerman) { window.__tutorialGerman.scan(document.body); return; }
  const EXACT = __EXACT__;
  const PATTERNS = __PATTERNS__.map(([re, rep]) => [new RegExp(re), rep]);
  const CANVAS_CSS = __CANVAS_CSS__;
  const ATTRS = ["aria-label", "title", "placeholder", "alt"];
  const SLIDER = '[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"], .vega-bind input[type="range"] + span';
  const DECIMAL = /^(−|-)?\d+\.\d+$/;
  function german(value) {
    const text = value.trim();
    if (!text) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, text)) return value.replace(text, EXACT[text]);
    for (const [re, rep] of PATTERNS) if (re.test(text)) return value.replace(text, text.replace(re, rep));
    return null;
  }
  function skip(el) {   // code, charts, the canvas and what the learner types stay untouched
    return el.namespaceURI === "http://www.w3.org/2000/svg" || /^(PRE|CODE|SCRIPT|STYLE|TEXTAREA|CANVAS)$/.test(el.tagName)
      || (el.dataset && el.dataset.testid === "stIconMaterial");
  }
  function fixText(node) {
    const value = node.nodeValue;
    if (!value || value.length > 200) return;
    let result = german(value);
    const parent = node.parentElement;
    if (result === null && DECIMAL.test(value.trim()) && parent && parent.closest(SLIDER)) result = value.replace(".", ",");
    if (result !== null && result !== value) node.nodeValue = result;
  }
  function fixElement(el) {
    for (const name of ATTRS) {
      const value = el.getAttribute(name);
      if (!value) continue;
      const result = german(value);
      if (result !== null && result !== value) el.setAttribute(name, result);
    }
    if (el.shadowRoot && !el.shadowRoot.__tutorialGerman) watch(el.shadowRoot);
    if (el.dataset && el.dataset.testid === "stDialog") setTimeout(() => closeNotFound(el), 0);
    if (el.classList && el.classList.contains("dc-toolbar")) {
      const root = el.getRootNode();
      if (root instanceof ShadowRoot && !root.querySelector("style.tutorial-german-canvas")) {
        const style = document.createElement("style");
        style.className = "tutorial-german-canvas";
        style.textContent = CANVAS_CSS;
        root.appendChild(style);
      }
    }
  }
  // A fresh server answers the very first deep link with Streamlit's English "Page not found" modal
  // before the router shows the right page (see streamlit_app.py, which hides it); a hidden modal still
  // makes the page inert, so close it. The app itself opens no dialog.
  function closeNotFound(dialog) {
    const title = dialog.querySelector("h2");
    const close = dialog.querySelector('section[role="dialog"] > button');
    if (title && title.textContent.trim() === "Page not found" && close) close.click();
  }
  function scan(node) {
    if (!node) return;
    if (node.nodeType === 3) { fixText(node); return; }
    if (node.nodeType === 1) { if (skip(node)) return; fixElement(node); }
    else if (node.nodeType !== 11 && node.nodeType !== 9) return;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.nodeType === 1 && skip(n)) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) fixText(n); else fixElement(n);
    }
  }
  function onMutations(records) {
    for (const record of records) {
      if (record.type === "childList") record.addedNodes.forEach(scan);
      else if (record.type === "characterData") fixText(record.target);
      else if (record.type === "attributes" && record.target.nodeType === 1 && !skip(record.target)) fixElement(record.target);
    }
  }
  function watch(root) {
    root.__tutorialGerman = true;
    new MutationObserver(onMutations).observe(root, { subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ATTRS });
    scan(root);
  }
  window.__tutorialGerman = { scan, german };
  // components (the drawing canvas) may attach their shadow root after the host element was scanned
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    if (init && init.mode === "open") queueMicrotask(() => { if (!root.__tutorialGerman) watch(root); });
    return root;
  };
  watch(document.body);
})();
"""


def script() -> str:
    """The JavaScript of :func:`apply` (German chrome, ``lang="de"``)."""
    return (_SCRIPT.replace("__EXACT__", json.dumps(EXACT, ensure_ascii=False))
            .replace("__PATTERNS__", json.dumps(PATTERNS, ensure_ascii=False))
            .replace("__CANVAS_CSS__", json.dumps(CANVAS_CSS)))


def apply() -> None:
    """Call once per run, before ``st.navigation(...).run()``: German chrome and phone CSS for every page."""
    st.html(f"<style>{CSS}</style>")
    st.html(f'<span class="tutorial-german"></span><script>{script()}</script>', unsafe_allow_javascript=True)


def range_text(low: int, high: int) -> str:
    return f"von {de(low)} bis {de(high)}"


def whole_number(label: str, low: int, high: int, *, key: str, step: int = 1, container=None,
                 help: Optional[str] = None) -> Optional[int]:
    """A number box for a whole number from ``low`` to ``high`` that checks the range itself.

    Streamlit's own ``min_value``/``max_value`` answer an out-of-range entry in English and keep the
    old value; here the box takes any whole number, and a wrong one gets a German message right
    below it. Returns the number, or ``None`` when it is outside the range (then the page must not
    use it). Pass the widget's default through ``key`` (``st.session_state`` / ``state.keep``).
    """
    box = container if container is not None else st
    value = box.number_input(label, step=step, key=key, help=help or f"Eine ganze Zahl {range_text(low, high)}.")
    if value is None:
        box.error(f"Bitte eine Zahl {range_text(low, high)} eingeben.", icon=":material/error:")
        return None
    number = int(value)
    if number < low or number > high:
        word = "zu klein" if number < low else "zu groß"
        box.error(f"{label}: {de(number)} ist {word} – erlaubt ist eine ganze Zahl {range_text(low, high)}.",
                  icon=":material/error:")
        return None
    return number


def decimal_number(label: str, low: float, high: float, *, key: str, step: float, digits: int = 2,
                   container=None, help: Optional[str] = None) -> Optional[float]:
    """Like :func:`whole_number` for a decimal (e.g. a probability from 0 to 1): ``None`` and a German
    message under the box when the value is outside ``low`` … ``high``."""
    box = container if container is not None else st
    span = f"von {de(low, digits)} bis {de(high, digits)}"
    value = box.number_input(label, step=float(step), format=f"%.{digits}f", key=key,
                             help=help or f"Eine Zahl {span}.")
    if value is None:
        box.error(f"Bitte eine Zahl {span} eingeben.", icon=":material/error:")
        return None
    if value < low or value > high:
        word = "zu klein" if value < low else "zu groß"
        box.error(f"{label}: {de(value, digits)} ist {word} – erlaubt ist eine Zahl {span}.", icon=":material/error:")
        return None
    return float(value)
