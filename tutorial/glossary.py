"""The glossary: every term a chapter page prints in **bold**, explained once, in German.

The chapter pages mark a *term* in bold; the glossary on chapter 4 lists :data:`TERMS` (each with the
chapter that explains it, :attr:`Term.chapter`), :data:`PAGE_TERMS` records which terms each chapter
page prints in bold (the box "Begriffe dieser Seite" at its end), and ``tests/test_glossary.py`` checks
both against the pages: every bold term of every chapter page has an entry here (under its name or
one of the other spellings in ``also``), and every page's row lists exactly its bold terms. Bold that is not a term is exempt by
its form (see :func:`bold_terms`): numbers ("**468 Schritte**"), UI labels in guillemets
("**»Trainieren«**"), code ("**`scale`**") and run-in paragraph headings ending in ".", "?" or "!"
("**Warum hilft das?**"). Plain emphasis is written in *italics*.

One term per concept: the names below are the words the pages use ("der Batch", "Label",
"Momentum", "dichte Schicht", "Kerngröße" …); the English word is mentioned once in the explanation.

This module imports neither Streamlit nor TensorFlow.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    name: str                   # the term as the pages use it, e.g. "Epoche"
    text: str                   # one to three German sentences
    also: tuple[str, ...] = ()  # other spellings on the pages: plural, inflection, English word
    chapter: int | None = None  # chapter that introduces it


def _t(name: str, chapter: int | None, text: str, *also: str) -> Term:
    return Term(name, " ".join(text.split()), tuple(also), chapter)


TERMS: tuple[Term, ...] = (
    # --- chapters 1-3: data and training --------------------------------------------------------
    _t("MNIST", 1, """Eine Sammlung von 70.000 handgeschriebenen Ziffern (60.000 zum Trainieren, 10.000 zum
       Testen), jede 28 × 28 Pixel in Graustufen, jede mit ihrem Label."""),
    _t("Neuronales Netz", 1, """Ein Rechenverfahren aus vielen einfachen Bausteinen (Neuronen), die in Schichten
       hintereinander liegen. Seine Gewichte werden nicht programmiert, sondern aus Beispielen gelernt.""",
       "neuronales Netz", "neuronale Netze", "neuronalen Netzes", "Netz"),
    _t("Keras", 3, """Ein Baukasten (eine Programmbibliothek für Python), mit dem man neuronale Netze in wenigen
       Zeilen beschreibt und trainiert. Diese App baut alle ihre Netze mit Keras; gerechnet wird mit
       TensorFlow."""),
    _t("Python", 1, """Eine verbreitete Programmiersprache. Der Code, den die App unter »Code anzeigen« zeigt,
       ist Python."""),
    _t("TensorFlow", 1, """Die Rechenbibliothek von Google, auf der Keras rechnet: Sie multipliziert die Matrizen,
       berechnet die Gradienten und verteilt die Arbeit auf Prozessor, Grafikkarte oder TPU."""),
    _t("Codelab", 2, """Ein Online-Kurs von Google zum Mitmachen. Diese App folgt dem Codelab »TensorFlow, Keras
       and deep learning, without a PhD«, in dem man Notizbücher Zelle für Zelle ausführt."""),
    _t("Notizbuch", 2, """Ein Dokument, das Text und ausführbaren Programmcode in »Zellen« mischt (englisch
       notebook). Das Codelab arbeitet mit Notizbüchern in Google Colab, einem Dienst, der sie im
       Browser ausführt. Die fünf Lösungs-Notizbücher heißen keras_01 bis keras_05; diese App zeigt
       ihre Ergebnisse als »fertige Läufe«.""", "Notizbücher", "Notizbüchern", "Colab-Notizbuch", "Colab-Notizbücher",
       "Notebook"),
    _t("Label", 3, """Die richtige Antwort zu einem Beispiel, bei MNIST die Ziffer, die ein Bild zeigt (auf
       Deutsch auch Beschriftung). Das Netz lernt, seine Vorhersage dem Label anzugleichen.""",
       "Labels", "Beschriftung"),
    _t("Klasse", 3, """Eine der möglichen Antworten eines Klassifikators, hier die zehn Ziffern 0 bis 9.""",
       "Klassen"),
    _t("Gewicht", 3, """Eine lernbare Zahl, mit der ein Neuron eine seiner Eingaben multipliziert. Training heißt,
       die Gewichte so einzustellen, dass der Verlust klein wird.""", "Gewichte", "Gewichten"),
    _t("Training", 3, """Das wiederholte Vorlegen von Beispielen samt Labels, wobei nach jedem Batch die Gewichte
       ein Stück in Richtung kleineren Verlusts verschoben werden.""",
       "trainieren", "trainiert", "Trainieren"),
    _t("Trainingsdaten", 3, """Die Beispiele, aus denen das Netz seine Gewichte lernt; bei MNIST die 60.000
       Trainingsziffern.""", "Trainingsziffern"),
    _t("Validierungsdaten", 3, """Beispiele, die das Netz nicht zum Lernen bekommt und mit denen man nach jeder
       Epoche misst und Varianten vergleicht. Wie im Codelab sind das in dieser App die 10.000
       Testziffern.""", "Validierungsdatensatz", "Validierung", "Validierungsziffern"),
    _t("Testdaten", 3, """Beispiele, die erst ganz am Ende ein einziges Mal benutzt werden, um ehrlich zu messen,
       wie gut das fertige Modell auf neuen Daten ist; an keiner Entscheidung dürfen sie beteiligt
       sein. Bei MNIST die 10.000 Testziffern.""", "Testziffern", "Testdatensatz"),
    _t("Batch", 3, """Der Stapel von Beispielen (hier meist 128 Ziffern samt Labels), mit dem ein einzelner
       Trainingsschritt rechnet (auch Mini-Batch). Der Batch ist die erste Abmessung eines Datentensors:
       [128, 784] sind 128 Bilder zu je 784 Pixeln.""", "Mini-Batch", "Mini-Batches", "Batches"),
    _t("Batch-Größe", 4, """Wie viele Beispiele ein Batch enthält. In diesem Kurs meist 128, in Kapitel 13 sind es 64.""",
       "batch size"),
    _t("Epoche", 3, """Ein Durchgang durch die Trainingsdaten. In dieser App 60.000 ÷ Batch-Größe Schritte,
       abgerundet – bei Batch-Größe 128 also 468 Schritte mit 59.904 Ziffern; die restlichen 96 kommen
       in der nächsten Epoche dran.""", "Epochen"),
    _t("Genauigkeit", 3, """Der Anteil richtig erkannter Beispiele (englisch accuracy), zum Beispiel 75 %, wenn
       3 von 4 Ziffern richtig erkannt werden.""", "accuracy"),
    _t("Verlust", 3, """Eine Zahl, die misst, wie weit die Vorhersagen von den Labels entfernt sind (englisch
       loss); hier die Kreuzentropie, gemittelt über einen Batch. Das Training versucht, sie zu
       verkleinern. Die Funktion, die sie berechnet, heißt Verlustfunktion.""",
       "Verlustfunktion", "loss"),
    _t("Validierungsverlust", 9, """Der Verlust auf den Validierungsdaten, gemessen am Ende jeder Epoche. Steigt
       er wieder, während der Verlust auf den Trainingsdaten weiter fällt, ist das ein Zeichen von
       Überanpassung.""", "val_loss"),
    _t("Tensor", 3, """Eine Zahlentabelle mit beliebig vielen Abmessungen (Dimensionen): Ein Vektor hat eine, eine Matrix zwei,
       ein Batch von Farbbildern vier ([Bilder, Höhe, Breite, Kanäle]).""", "Tensoren"),
    _t("Form", 3, """Die Liste der Abmessungen eines Tensors (englisch shape), etwa [128, 784] für einen Batch aus
       128 flachen Bildern.""", "shape"),
    # --- chapter 4: building blocks ---------------------------------------------------------------
    _t("Ableitung", 4, """Wie stark sich das Ergebnis einer Funktion ändert, wenn man ihre Eingabe ein winziges
       Stück verändert – die Steigung an dieser Stelle. Ableitung 0 heißt: Hier ist es flach."""),
    _t("Neuron", 4, """Der Grundbaustein: bildet die gewichtete Summe seiner Eingaben, addiert einen Bias und
       gibt das Ergebnis durch eine Aktivierungsfunktion aus.""", "Neuronen"),
    _t("Bias", 4, """Die Zahl, die ein Neuron zu seiner gewichteten Summe addiert, bevor die Aktivierung folgt;
       lernbar wie die Gewichte. Mehrzahl: Biases.""", "Biases"),
    _t("Parameter", 4, """Alle lernbaren Zahlen eines Netzes: Gewichte und Biases (bei der Batch-Normalisierung
       auch ihre Faktoren und Versätze). Das erste Netz hat 7.850, das größte dieses Kurses 354.538 – darin
       zählt Keras auch 536 nicht trainierbare Werte mit, die laufenden Mittelwerte und Varianzen der
       Batch-Normalisierung."""),
    _t("Aktivierungsfunktion", 4, """Die Funktion, durch die ein Neuron seine Summe schickt, etwa relu, sigmoid
       oder softmax. Ohne sie wäre jeder Stapel von Schichten nur eine einzige Matrixmultiplikation.""",
       "Aktivierung", "Aktivierungen"),
    _t("Schicht", 4, """Eine Gruppe von Neuronen, die alle dieselben Eingaben bekommen und gemeinsam die Eingabe
       der nächsten Schicht liefern (englisch layer).""", "Schichten", "layer", "layers"),
    _t("Dichte Schicht", 4, """Eine Schicht, in der jedes Neuron mit jeder Eingabe verbunden ist (englisch dense
       oder fully connected; in Keras Dense). Rechnerisch eine Matrixmultiplikation plus Bias, dann die
       Aktivierung.""", "dichte Schicht", "dichte Schichten", "dichten Schichten", "dichte", "dicht",
       "Dense", "Dense-Schicht"),
    _t("Zwischenschicht", 6, """Eine Schicht zwischen Eingabe und letzter Schicht (englisch hidden layer,
       »verborgene Schicht«, weil man ihre Ausgaben von außen nicht sieht): Sie liefert Zwischenergebnisse
       für die nächste Schicht.""",
       "Zwischenschichten", "hidden layer", "verborgene Schicht", "verborgene Schichten", "innere Schichten"),
    _t("Breite", 6, """Die Zahl der Neuronen einer Schicht."""),
    _t("Matrixmultiplikation", 4, """Zeile mal Spalte, Eintrag für Eintrag multipliziert und addiert – für jede
       Zeile mit jeder Spalte. Eine dichte Schicht rechnet damit alle Neuronen für alle Bilder eines
       Batches auf einmal aus.""", "Matrixprodukt"),
    _t("Broadcasting", 4, """Die Regel, nach der NumPy und TensorFlow eine kleinere Zahlentabelle stillschweigend
       wiederholen, bis sie zur größeren passt – so wird der Bias mit einem einfachen »+« zu jeder Zeile
       addiert."""),
    _t("Sequential API", 4, """Die Art, ein Keras-Modell als Liste von Schichten aufzuschreiben, die eine nach
       der anderen durchlaufen werden: keras.Sequential([...]).""", "Sequential"),
    _t("relu", 4, """Rectified Linear Unit: max(0, x) – negative Werte werden 0, positive bleiben. Die übliche
       Aktivierung der Zwischenschichten; auf der positiven Seite hat sie die Ableitung 1.""", "RELU"),
    _t("sigmoid", 4, """1 / (1 + e⁻ˣ), eine S-Kurve zwischen 0 und 1. Früher der Standard; an den Rändern wird sie
       flach, ihre Ableitung ist höchstens 0,25, und in tiefen Netzen lässt sie die Gradienten
       schrumpfen."""),
    _t("softmax", 4, """Aktivierung für einen ganzen Vektor: e hoch jeden Eintrag, geteilt durch die Summe. Das
       Ergebnis sind Wahrscheinlichkeiten mit Summe 1, der größte Eintrag wird betont. Üblich in der
       letzten Schicht eines Klassifikators.""", "softmax-Schicht"),
    _t("Logits", 4, """Die Ausgaben der letzten Schicht, bevor softmax sie in Wahrscheinlichkeiten verwandelt.
       Der Name kommt von der Logit-Funktion, der Umkehrung der »logistischen« Funktion sigmoid.""", "Logit"),
    _t("Temperatur", 4, """Eine Zahl, durch die man die Logits vor softmax teilt: klein macht den Gewinner fast
       alleinherrschend, groß macht die Wahrscheinlichkeiten gleichmäßiger."""),
    _t("One-hot-Kodierung", 4, """Ein Label als Vektor: lauter Nullen und eine einzige 1 an der Stelle der
       Klasse. Die 3 wird zu [0, 0, 0, 1, 0, 0, 0, 0, 0, 0].""", "One-hot", "one-hot"),
    _t("Kreuzentropie", 4, """Die übliche Verlustfunktion für Klassifikation (englisch cross-entropy,
       in Keras categorical_crossentropy): −Σ Label · log(Vorhersage); bei One-hot-Labels einfach
       −log der Wahrscheinlichkeit für die richtige Klasse.""", "cross-entropy"),
    _t("Logarithmus", 4, """Die Umkehrung der Exponentialfunktion: log(eˣ) = x. Für Zahlen zwischen 0 und 1 ist er
       negativ, log(1) = 0, und log(0) gibt es nicht."""),
    _t("Gradient", 4, """Die Liste aller Ableitungen des Verlusts, eine pro Parameter. Er zeigt in die Richtung,
       in der der Verlust am steilsten wächst; das Training geht in die Gegenrichtung.""", "Gradienten"),
    _t("Gradientenabstieg", 4, """Das Grundverfahren des Trainings: Gradienten berechnen, alle Parameter ein
       kleines Stück (Lernrate mal Gradient) in die Gegenrichtung verschieben, wiederholen."""),
    _t("Stochastischer Gradientenabstieg", 4, """Gradientenabstieg, bei dem der Gradient nur aus einem zufällig
       zusammengestellten Batch berechnet wird, nicht aus allen Daten (SGD). In Keras: optimizer="sgd".""",
       "stochastischer Gradientenabstieg", "SGD"),
    _t("Kettenregel", 4, """Die Ableitung einer Kette von Rechenschritten ist das Produkt der Ableitungen der
       einzelnen Glieder."""),
    _t("Backpropagation", 4, """Rückwärtsrechnung: wendet die Kettenregel vom Verlust aus Schicht für Schicht
       rückwärts an und liefert so in einem Durchgang die Ableitungen nach allen Parametern."""),
    _t("Lernrate", 4, """Der Faktor, mit dem der Gradient multipliziert wird, bevor er von den Parametern
       abgezogen wird (englisch learning rate) – sie sagt, wie groß der Schritt bergab ist. Zu groß: Das
       Training springt hin und her; zu klein: Es kommt kaum voran.""", "learning rate"),
    _t("Optimierer", 4, """Das Verfahren, das aus den Gradienten die Schritte der Parameter macht: SGD, RMSprop,
       Adam …"""),
    _t("Sattelpunkt", 4, """Eine Stelle, an der der Gradient null ist, ohne dass dort ein Tiefpunkt liegt: In
       manchen Richtungen geht es bergab, in anderen bergauf.""", "Sattelpunkte"),
    _t("Momentum", 4, """Schwung für den Optimierer: Ein Teil der vorigen Schritte fließt in den nächsten ein,
       sodass er über flache Stellen und Sattelpunkte hinwegrollt. SGD hat es auf Wunsch (Argument
       momentum), Adam von sich aus, RMSprop in Keras nur, wenn man es einschaltet.""", "Schwung"),
    _t("Adam", 4, """Ein Optimierer, der Momentum mit einer eigenen Lernrate für jedes Gewicht verbindet;
       voreingestellte Lernrate 0,001. In Keras: optimizer="adam"."""),
    _t("Features", 4, """Die Eingaben eines Modells, bei MNIST die 784 Pixelwerte (auf Deutsch Merkmale)."""),
    # --- chapters 5-9 -----------------------------------------------------------------------------------
    _t("Callback", 5, """Ein Stück Code, das Keras während des Trainings an festen Stellen aufruft, etwa nach
       jedem Batch oder jeder Epoche – für Kurven, Fortschrittsanzeigen oder einen Lernratenplan.""",
       "Callbacks"),
    _t("NaN", 7, """»Not a Number«, keine Zahl: das Ergebnis unmöglicher Rechnungen wie log(0) · 0. Ein einziges
       NaN im Verlust verdirbt alle Gewichte."""),
    _t("Lernratenabfall", 8, """Die Lernrate im Lauf des Trainings verkleinern, etwa um den Faktor 0,6 pro
       Epoche (englisch learning rate decay): erst große Schritte, dann feine.""",
       "Abklingen", "learning rate decay"),
    _t("Überanpassung", 9, """Das Netz lernt Eigenheiten der Trainingsdaten, die auf neuen Daten nichts nützen
       (englisch overfitting). Typisches Zeichen: Der Trainingsverlust fällt weiter, der
       Validierungsverlust steigt wieder.""", "overfitting"),
    _t("Regularisierung", 9, """Jede Maßnahme, die ein Netz daran hindert, sich zu eng an die Trainingsdaten
       anzupassen, und es so zum Verallgemeinern drängt – etwa Dropout oder Batch-Normalisierung.""",
       "Regularisierungen", "regularisiert", "regularisieren"),
    _t("Dropout", 9, """Eine Regularisierung: In jedem Trainingsschritt wird jedes Neuron einer Schicht mit der
       Wahrscheinlichkeit p abgeschaltet (Ausgabe 0), die übrigen werden mit 1/(1 − p) verstärkt. Bei
       der Vorhersage ist Dropout aus."""),
    _t("Verallgemeinern", 9, """Auf neuen, nie gesehenen Beispielen so gut sein wie auf den Trainingsdaten
       (auch Generalisieren).""", "verallgemeinern", "Generalisieren"),
    _t("Freiheitsgrade", 9, """Wie viel Spielraum ein Modell hat, sich an Daten anzupassen – grob: wie viele
       Parameter es hat.""", "Freiheitsgraden"),
    _t("Architektur", 9, """Der Bauplan eines Netzes: welche Schichten in welcher Reihenfolge, wie viele
       Neuronen oder Filter, welche Aktivierungen."""),
    # --- chapters 10-13 ------------------------------------------------------------------------------
    _t("Faltung", 10, """Ein kleiner Filter gleitet über das Bild und bildet an jeder Stelle eine gewichtete Summe
       der Pixel unter sich – überall mit denselben Gewichten (englisch convolution).""", "convolution"),
    _t("Faltungsschicht", 10, """Eine Schicht, die mehrere lernbare Filter über ihre Eingabe faltet und pro
       Filter einen Ausgabekanal liefert (in Keras Conv2D).""", "Faltungsschichten", "Conv2D"),
    _t("Faltungsnetz", 10, """Ein Netz, dessen vordere Schichten Faltungsschichten sind (englisch convolutional
       neural network, CNN).""", "Faltungsnetze", "Faltungsnetzes"),
    _t("Filter", 10, """Die kleine Gewichtsmatrix einer Faltung, etwa 3 × 3 Zahlen pro Eingangskanal (in Keras
       kernel); er spricht auf ein bestimmtes Muster an.""", "Filtern"),
    _t("Kerngröße", 10, """Wie groß der Filter einer Faltung ist, etwa 3 × 3 oder 6 × 6 (in Keras kernel_size;
       den Filter selbst nennt Keras kernel).""", "Kern", "Kernel", "kernel_size", "Filtergröße"),
    _t("Schrittweite", 10, """Um wie viele Pixel der Filter einer Faltung jeweils weiterrückt (englisch stride).
       Mit padding »same« halbiert Schrittweite 2 Höhe und Breite.""", "stride"),
    _t("Padding", 10, """Was am Bildrand passiert: »same« füllt mit Nullen auf, damit die Größe (bei Schrittweite 1)
       erhalten bleibt, »valid« nimmt nur echte Pixel, und das Bild schrumpft."""),
    _t("Kanal", 10, """Eine Lage eines Datenwürfels: beim Farbbild Rot, Grün und Blau, nach einer
       Faltungsschicht eine Merkmalskarte pro Filter (englisch channel).""", "Kanäle", "Kanälen"),
    _t("Merkmalskarte", 10, """Die Ausgabe eines Filters über das ganze Bild: ein Bild, das zeigt, wo das Muster
       des Filters wie stark vorkommt (englisch feature map).""", "Merkmalskarten", "feature map"),
    _t("Datenwürfel", 10, """Was eine Faltungsschicht ausgibt und die nächste verarbeitet: Höhe × Breite × Kanäle
       Zahlen, etwa 28 × 28 × 12 nach einer Faltung mit zwölf Filtern.""", "Datenwürfels", "Würfel"),
    _t("Gewichtstensor", 10, """Alle Gewichte einer Faltungsschicht in einem Tensor der Form [Kernhöhe,
       Kernbreite, Eingangskanäle, Filter]."""),
    _t("Max-Pooling", 10, """Ein Fenster (meist 2 × 2) gleitet in Zweierschritten über eine Merkmalskarte, und von
       jedem Fenster bleibt nur der größte Wert. Halbiert Höhe und Breite, ohne Gewichte."""),
    _t("Global Average Pooling", 10, """Von jedem Kanal des letzten Datenwürfels nur den Mittelwert behalten; mit
       so vielen Kanälen wie Klassen ergibt das einen Abschluss des Netzes ohne Gewichte (GlobalAveragePooling2D).""",
       "GlobalAveragePooling2D"),
    _t("Flatten", 10, """Eine Schicht, die einen Datenwürfel zu einem flachen Vektor auslegt, damit eine dichte
       Schicht folgen kann: 7 × 7 × 32 wird zu 1.568 Werten."""),
    _t("Batch-Normalisierung", 13, """Normalisiert die Werte jedes Neurons vor der Aktivierung über den Batch
       (Mittelwert 0, Standardabweichung 1) und skaliert und verschiebt sie dann mit zwei lernbaren Zahlen (englisch
       batch normalization, kurz BN).""", "BN", "batch normalization"),
    _t("Standardabweichung", 13, """Wie weit die Werte im Mittel von ihrem Mittelwert abweichen: die Wurzel aus
       dem Mittel der quadrierten Abweichungen. Ihr Quadrat heißt Varianz.""", "Streuung", "Varianz"),
    _t("Normalisieren", 13, """Werte so umrechnen, dass ihr Mittelwert 0 und ihre Standardabweichung 1 ist:
       Mittelwert abziehen, durch die Standardabweichung teilen.""", "normalisiert", "normalisieren"),
    _t("Skaleninvariant", 13, """So nennt dieser Kurs wie das Codelab eine Aktivierung, bei der ein positiver
       Faktor vor der Eingabe einfach als Faktor am Ergebnis herauskommt: relu(3x) = 3 · relu(x). Die Form
       bleibt dieselbe, nur der Maßstab ändert sich. Mathematisch genauer heißt das positiv homogen;
       sigmoid hat diese Eigenschaft nicht.""", "skaleninvariant"),
    _t("Laufender Mittelwert", 13, """Ein Mittelwert, der nach jedem Batch ein Stück in Richtung des neuen Werts
       nachgeführt wird (exponentiell gleitender Durchschnitt). Die Batch-Normalisierung benutzt ihn bei
       der Vorhersage.""", "laufenden Mittelwert", "laufende Mittelwerte"),
    # --- chapters 14-16 ------------------------------------------------------------------------------
    _t("CPU", 14, """Der Hauptprozessor eines Rechners: wenige, sehr vielseitige Rechenkerne."""),
    _t("GPU", 14, """Grafikkarte (graphics processing unit): Tausende einfacher Rechenwerke, die Matrixrechnungen
       parallel ausführen.""", "Grafikkarte", "Grafikkarte (GPU)", "Grafikkarten"),
    _t("TPU", 14, """Tensor Processing Unit: ein Chip von Google, eigens für die Matrixrechnungen neuronaler
       Netze gebaut.""", "TPUs"),
    _t("Strategie", 14, """In TensorFlow die Regel, wie ein Training auf mehrere Geräte verteilt wird
       (tf.distribute.Strategy).""", "Strategien"),
    _t("Rekurrentes Netz", 16, """Ein Netz für Folgen (Text, Zeitreihen, Audio), das einen inneren Zustand von
       Schritt zu Schritt weitergibt (englisch recurrent neural network, RNN); bekannte Bauformen heißen
       LSTM und GRU.""",
       "Rekurrente Netze", "Rekurrente Netze (RNN, LSTM, GRU)", "RNN"),
    _t("Transformer", 16, """Eine Netzarchitektur, die mit »Attention« jedes Element einer Folge direkt mit allen
       anderen vergleicht; die Grundlage heutiger Sprachmodelle.""", "Transformer und Attention",
       "Attention"),
    _t("Transfer Learning", 16, """Ein auf großen Datenmengen vortrainiertes Netz übernehmen und nur seine
       letzten Schichten für die eigene Aufgabe neu trainieren."""),
    _t("Verwechslungsmatrix", None, """Eine Tabelle, die für alle Testziffern zählt, welche Ziffer richtig gewesen
       wäre (Zeile) und welche das Modell vorhergesagt hat (Spalte); auf der Diagonale stehen die Treffer
       (englisch confusion matrix). Zu sehen auf der Seite »Modelle von innen«.""", "confusion matrix"),
    _t("Glossar", 4, """Dieses Verzeichnis: alle fett gedruckten Begriffe der App mit kurzer Erklärung."""),
)

_SKIP_START = re.compile(r"[^A-Za-zÄÖÜäöüß]")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def _norm(word: str) -> str:
    word = re.sub(r"[*`»«_]", "", word)
    word = re.sub(r"\s+", " ", word).strip().rstrip(":,;")
    return word.lower()


_BY_NAME: dict[str, Term] = {term.name: term for term in TERMS}
_INDEX: dict[str, Term] = {}
for _term in TERMS:
    for _name in (_term.name, *_term.also):
        _INDEX.setdefault(_norm(_name), _term)


def lookup(word: str) -> Term | None:
    """The entry for a term as a page writes it ("Epochen", "dichten Schichten" …), or None."""
    return _INDEX.get(_norm(word))


def _alphabetical(term: Term) -> str:
    return term.name.casefold().translate(str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"}))


def search(query: str) -> list[Term]:
    """Entries whose name, other spellings or explanation contain ``query`` (case-insensitive),
    alphabetically; all entries for an empty query. Entries whose name matches come first."""
    needle = _norm(query)
    ordered = sorted(TERMS, key=_alphabetical)
    if not needle:
        return ordered
    named = [t for t in ordered if any(needle in _norm(n) for n in (t.name, *t.also))]
    described = [t for t in ordered if t not in named and needle in t.text.lower()]
    return named + described


def bold_terms(text: str) -> list[str]:
    """The bold spans of a Markdown text that must be glossary terms.

    Exempt: spans that start with something other than a letter (numbers, »UI labels«, `code`,
    formulas), run-in headings ending in ".", "?" or "!", and f-string placeholders.
    """
    found = []
    text = re.sub(r"```.*?```", " ", text, flags=re.S)      # code blocks
    text = re.sub(r"`[^`\n]*`", "`code`", text)            # inline code (may contain "**")
    for span in _BOLD.findall(text):
        span = " ".join(span.split())
        if "{" in span or not span or _SKIP_START.match(span) or span.endswith((".", "?", "!")):
            continue
        found.append(span)
    return found


# --- the terms each page prints in bold ----------------------------------------------------------
# A static table, not read from the pages at run time: the box "Begriffe dieser Seite" needs no
# page source, and the glossary knows every page's terms before the learner has opened the page.
# ``tests/test_glossary.py`` reads each chapter page's prose and fails with the exact row to paste
# here when a page's bold terms and its row differ (names as in TERMS, in order of first appearance).

PAGE_TERMS: dict[str, tuple[str, ...]] = {
    "ch01": ("Neuronales Netz", "Schicht", "Training", "Python", "Keras", "TensorFlow"),
    "ch02": ("Codelab", "Notizbuch", "Epoche", "Verlust", "Genauigkeit"),
    "ch03": (
        "MNIST", "Label", "Klasse", "Gewicht", "Training", "Trainingsdaten", "Validierungsdaten", "Testdaten",
        "Batch", "Epoche", "Keras", "Genauigkeit", "Verlust", "Form", "Tensor",
    ),
    "ch04": (
        "Glossar", "Neuron", "Schicht", "Gewicht", "Bias", "Dichte Schicht", "softmax", "Kreuzentropie", "Label",
        "One-hot-Kodierung", "Verlust", "Gradientenabstieg", "Lernrate", "Batch", "relu", "Faltungsschicht",
        "Optimierer", "Adam", "Ableitung", "Gradient", "Aktivierungsfunktion", "Parameter", "Broadcasting",
        "Logits", "Temperatur", "Kettenregel", "Backpropagation", "Epoche", "Stochastischer Gradientenabstieg",
        "Batch-Größe", "sigmoid", "Sequential API", "Sattelpunkt", "Momentum",
    ),
    "ch05": ("One-hot-Kodierung", "Dichte Schicht", "softmax", "Callback"),
    "ch06": ("Zwischenschicht", "softmax", "sigmoid", "Breite"),
    "ch07": (
        "relu", "Kettenregel", "Backpropagation", "Gradient", "Ableitung", "Sattelpunkt",
        "Stochastischer Gradientenabstieg", "Optimierer", "Adam", "Momentum", "Logarithmus", "NaN",
    ),
    "ch08": ("Lernrate", "Lernratenabfall", "Callback"),
    "ch09": (
        "Dropout", "Validierungsverlust", "Überanpassung", "Regularisierung", "Verallgemeinern",
        "Architektur", "Freiheitsgrade", "Faltungsnetz",
    ),
    "ch10": (
        "Faltungsnetz", "Filter", "Kerngröße", "Faltung", "Faltungsschicht", "Merkmalskarte", "Schrittweite",
        "Max-Pooling", "Datenwürfel", "Kanal", "Gewichtstensor", "Flatten", "Global Average Pooling",
    ),
    "ch11": (
        "Faltungsnetz", "Faltungsschicht", "Schrittweite", "Kanal", "Dichte Schicht", "softmax", "Dropout",
        "Überanpassung", "Padding",
    ),
    "ch12": ("Dropout", "Überanpassung", "Architektur", "Freiheitsgrade"),
    "ch13": (
        "Batch-Normalisierung", "Normalisieren", "Standardabweichung", "Bias", "Parameter", "Skaleninvariant",
        "Batch-Größe", "Regularisierung", "Validierungsdaten", "Testdaten", "Laufender Mittelwert",
    ),
    "ch14": ("CPU", "GPU", "TPU", "Strategie", "Batch-Größe", "Lernrate"),
    "ch15": (
        "Neuron", "Dichte Schicht", "Broadcasting", "Aktivierungsfunktion", "softmax", "Label", "Kreuzentropie",
        "Gradientenabstieg", "Gradient", "Lernrate", "Backpropagation", "Kettenregel", "Batch", "Epoche",
        "Momentum", "Trainingsdaten", "Validierungsdaten", "Testdaten", "sigmoid", "relu", "Adam",
        "Lernratenabfall", "Validierungsverlust", "Überanpassung", "Dropout", "Freiheitsgrade", "Architektur",
        "Regularisierung", "Faltungsschicht", "Filter", "Gewichtstensor", "Schrittweite", "Max-Pooling",
        "Padding", "Flatten", "Global Average Pooling", "Laufender Mittelwert", "Skaleninvariant",
    ),
    "ch16": ("Global Average Pooling", "Transfer Learning", "Transformer", "Rekurrentes Netz"),
}


def page_terms(chapter_key: str) -> list[Term]:
    """The glossary entries of the bold terms on a chapter's page, in order of first appearance."""
    return [_BY_NAME[name] for name in PAGE_TERMS.get(chapter_key, ())]


def markdown(terms: list[Term] | None = None) -> str:
    """A Markdown list of entries, each "- **Name** – text"."""
    return "\n".join(f"- **{t.name}** – {t.text}" for t in (TERMS if terms is None else terms))
