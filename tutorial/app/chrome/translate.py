"""Streamlit's (and the drawing canvas's) English UI strings → German, for the browser script.

The script (:mod:`tutorial.app.chrome.script`) replaces a text node or an ``aria-label``/``title``/
``placeholder``/``alt`` attribute whose trimmed value is a key of :data:`EXACT` or matches one of
:data:`PATTERNS`; strings it does not know stay as they are. ``tests/test_browser_german.py`` lists
the English ones that must never be visible, ``tests/test_german_chrome.py`` checks that every key
of :data:`EXACT` and every ``data-testid`` of :data:`DECIMAL_COMMA` still occurs in Streamlit's
frontend bundle (after an upgrade a renamed string or test id fails there, not silently in the page).
"""
from __future__ import annotations

# attributes of an element that carry UI text
ATTRIBUTES: list[str] = ["aria-label", "title", "placeholder", "alt"]

# Streamlit's sliders and the sliders Vega binds to a chart: a value "0.80" there is shown as "0,80".
DECIMAL_COMMA = ('[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"], '
                 '.vega-bind input[type="range"] + span')

# English → German, exact strings (after trimming).
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
    "Copied": "Kopiert",
    "Copied!": "Kopiert!",
    # Streamlit's dialogs: a lost connection (shown until the server answers again, then closed by
    # Streamlit itself), a page address that does not exist, a script that does not compile
    "Connection error": "Verbindung unterbrochen",
    "Streamlit server is not responding. Are you connected to the internet?":
        "Der Server antwortet gerade nicht. Ist Ihr Gerät mit dem Netz verbunden? Sobald der Server "
        "wieder erreichbar ist, verbindet sich die Seite von selbst.",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
        "Der Server antwortet nicht – läuft Streamlit noch? Wenn Sie ihn beendet haben, starten Sie ihn "
        "im Terminal neu; die Seite verbindet sich dann von selbst:",
    "Connection timed out.": "Der Server antwortet nicht rechtzeitig. Die Seite versucht es weiter.",
    "Connecting to Streamlit server": "Verbindung zum Server wird aufgebaut",
    "Unable to connect to Streamlit server": "Keine Verbindung zum Server",
    "Error": "Fehler",
    "Page not found": "Seite nicht gefunden",
    "Script execution error": "Fehler beim Ausführen der Seite",
    "No message": "Keine Meldung",
    # an uncaught exception: with client.showErrorDetails = "none" Streamlit's server sends this text
    # (streamlit.elements.exception._GENERIC_UNCAUGHT_EXCEPTION_TEXT) instead of the traceback
    "This app has encountered an error. The original error message is redacted to prevent data leaks. "
    "Full error details have been recorded in the logs (if you're on Streamlit Cloud, click on 'Manage app' "
    "in the lower right of your app).":
        "Hier ist leider ein Fehler aufgetreten. Die Einzelheiten stehen im Protokoll des Servers. Laden "
        "Sie die Seite neu; bleibt der Fehler, sagen Sie bitte der Kursleitung Bescheid.",
    "Copy": "Kopieren",
    "Ask Google": "Google fragen",
    "Ask ChatGPT": "ChatGPT fragen",
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
    "Uploading...": "Wird hochgeladen …",
    "Upload failed": "Hochladen fehlgeschlagen",
    "Add files": "Dateien hinzufügen",
    "Drag and drop a file here": "Datei hierher ziehen",
    "Drag and drop files here": "Dateien hierher ziehen",
    "file upload": "Datei hochladen",
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
    "Copy Vega-Lite spec": "Vega-Lite-Beschreibung kopieren",
    "Vega visualization": "Diagramm",
    "Show/hide columns": "Spalten ein- oder ausblenden",
    "Search": "Suchen",
    "Close Search": "Suche schließen",
    "Next Result": "Nächster Treffer",
    "Previous Result": "Vorheriger Treffer",
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
    (r"^Download as ([A-Z]+)$", "Als $1 herunterladen"),
    (r"^Select (\d+) matches$", "$1 Treffer auswählen"),
    (r"^Add: (.+)$", "Hinzufügen: $1"),
    (r"^(\d+)(?:\.0)?\s?([KMG]?B) per file(?: • .*)?$", "höchstens $1 $2 pro Datei"),
    (r"^(\d+)\.(\d+)\s?([KMG]?B) per file(?: • .*)?$", "höchstens $1,$2 $3 pro Datei"),
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
    # dialogs (Streamlit composes these from parts)
    (r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
     "Diese Seite gibt es nicht. Sie sehen die Startseite."),
    (r"^Connection failed with status (\d+)[.,].*$",
     "Der Server antwortet mit einem Fehler (Status $1). Die Seite versucht es weiter."),
    (r"^You have requested page /(.+), but no corresponding file was found in the app's pages/ directory\. "
     r"Running the app's main page\.$", "Die Seite /$1 gibt es nicht. Sie sehen die Startseite."),
]
