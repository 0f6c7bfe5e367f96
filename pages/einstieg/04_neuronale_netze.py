"""Chapter 4: neural networks in a nutshell, with the interactive visuals next to the text. No TensorFlow."""
import streamlit as st

from tutorial import explain
from tutorial.app import page

chapter = page.start(__file__)
st.markdown("""
Dieses Kapitel liefert das Handwerkszeug für alles Weitere. Wenn Ihnen die **fett gedruckten**
Begriffe schon vertraut sind, können Sie direkt weiterblättern. Wenn nicht: Jede Idee hat hier ein
kleines Experiment, in dem Sie die Rechnung selbst anstoßen. Alle Zahlen und Diagramme werden in dem
Moment berechnet, in dem Sie einen Regler bewegen.
""")

st.info("""
**Das Wichtigste in einem Absatz.** Ein neuronales Netz ist ein Stapel von **Schichten** (*layers*)
aus **Neuronen**. Für Bilder sind das **dichte** (*dense*) Schichten oder – meist besser –
**Faltungsschichten** (*convolutional layers*). Die inneren Schichten verwenden fast immer die
Aktivierung **relu**. Die letzte Schicht hat genau ein Neuron pro Klasse und die Aktivierung
**softmax**. Gemessen wird der Fehler mit der **Kreuzentropie** (*cross-entropy*): Sie vergleicht die
**One-hot**-kodierten **Labels** (die richtigen Antworten) mit den Wahrscheinlichkeiten, die das Netz
ausgibt. Diesen **Verlust** (*loss*) drückt ein Optimierer mit Schwung (*momentum*), etwa **Adam**,
nach unten – jeweils anhand einer **Batch** von Trainingsbildern samt Labels.
""", icon=":material/school:")

# --- neuron -----------------------------------------------------------------------------------
st.header("Ein Neuron")
st.markdown("""
Ein Neuron ist eine kleine Rechenvorschrift:

1. Es multipliziert jede seiner Eingaben mit einem eigenen **Gewicht** und addiert alles auf
   (gewichtete Summe).
2. Es addiert eine Konstante, den **Bias**.
3. Es schickt das Ergebnis durch eine nichtlineare **Aktivierungsfunktion**.

Gewichte und Bias heißen zusammen die **Parameter** des Neurons. Am Anfang sind sie zufällig; das
Training stellt sie so ein, dass das Netz gute Antworten gibt.
""")
explain.neuron_demo()

# --- dense layer ------------------------------------------------------------------------------
st.header("Eine dichte Schicht")
st.markdown("""
Ein MNIST-Bild hat 28 × 28 = 784 Pixel. Das einfachste Netz legt diese 784 Zahlen als Eingaben an
**zehn** Neuronen an – eines für jede Ziffer von 0 bis 9. Jedes der zehn Neuronen sieht alle 784
Pixel; eine Schicht, in der jedes Neuron mit jeder Eingabe verbunden ist, heißt **dicht**
(*dense*, auch *fully connected*). Sie hat 784 · 10 = 7.840 Gewichte und 10 Biases, zusammen
**7.850 Parameter**.

**Als Matrixmultiplikation.** Trainiert wird nie mit einem einzelnen Bild, sondern mit vielen
gleichzeitig. Legt man eine Batch von Bildern als Zeilen in eine Matrix **X** (bei 128 Bildern:
128 × 784) und die Gewichte spaltenweise in eine Matrix **W** (784 × 10), dann ist **X·W** eine
128 × 10-Matrix: Zeile *i*, Spalte *j* ist die gewichtete Summe, die Neuron *j* für Bild *i* bildet.
Eine einzige Matrixmultiplikation rechnet also alle Neuronen für alle Bilder auf einmal aus – genau
die Art Rechnung, die Grafikkarten besonders schnell erledigen.

**Broadcasting.** Jetzt fehlt noch der Bias: ein Vektor **b** mit zehn Werten, einer pro Neuron. Er
muss zu *jeder* Zeile von X·W addiert werden. In numpy und TensorFlow schreibt man dafür einfach
`X @ W + b`: Passen zwei Formen nicht zusammen, wird die kleinere so oft wiederholt, bis sie passt.
Dieses stillschweigende Vervielfältigen heißt **Broadcasting**. Zusammen mit der Aktivierung ergibt
sich die ganze Schicht in einer Zeile:

    Y = softmax(X · W + b)
""")
explain.dense_layer_demo()

st.subheader("In Keras")
st.markdown("""
Diese Formel müssen Sie nie selbst programmieren – Keras erledigt das. Es hilft aber zu wissen,
dass hinter einer Schicht nur Multiplikationen und Additionen stecken. Die Schicht von oben lautet
in Keras:
""")
st.code('keras.layers.Dense(10, activation="softmax")', language="python")

st.subheader("Mehrere Schichten hintereinander")
st.markdown("""
Schichten lassen sich beliebig hintereinanderschalten: Die erste bildet gewichtete Summen aus
Pixeln, jede weitere bildet gewichtete Summen aus den Ausgaben der Schicht davor. Außer der Zahl
der Neuronen unterscheiden sich die Schichten nur in ihrer Aktivierungsfunktion. Für solche
geradlinigen Stapel bietet Keras die **Sequential API**: eine Liste von Schichten, von der Eingabe
bis zur Ausgabe. Ein Klassifikator mit drei dichten Schichten sieht so aus:
""")
st.code('''model = keras.Sequential(
    [
        keras.Input(shape=(28 * 28,)),
        keras.layers.Dense(200, activation="relu"),
        keras.layers.Dense(60, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)''', language="python")

# --- activations ------------------------------------------------------------------------------
st.header("Aktivierungsfunktionen: relu, sigmoid und softmax")
st.markdown("""
Ohne Aktivierungsfunktion wäre ein Stapel von Schichten nichts anderes als eine einzige große
Matrixmultiplikation – mehr Schichten brächten nichts. Erst die Nichtlinearität macht Tiefe
nützlich.

- **relu** (*rectified linear unit*) lässt positive Werte unverändert durch und setzt negative auf
  0. Sie ist heute der Standard für alle Schichten außer der letzten, weil Netze mit ihr fast immer
  besser lernen.
- **sigmoid** presst jede Zahl weich in den Bereich zwischen 0 und 1. Sie war lange die klassische
  Wahl; warum sie tiefe Netze ausbremst, zeigt Kapitel 7.
""")
explain.activations_demo()

st.subheader("softmax für die letzte Schicht")
st.markdown("""
Die letzte Schicht hat zehn Neuronen, und wir möchten zehn Zahlen zwischen 0 und 1, die sich zu 1
addieren: die Wahrscheinlichkeit für »das ist eine 0«, »das ist eine 1« und so weiter. Die zehn
Werte, die aus der letzten Schicht *vor* der Aktivierung kommen, heißen **Logits**. **softmax** macht
daraus Wahrscheinlichkeiten in zwei Schritten:

1. Jeder Logit *Lₖ* wird durch die Exponentialfunktion geschickt: *e^Lₖ* (immer positiv).
2. Alle zehn Ergebnisse werden durch ihre Summe geteilt, sodass sie zusammen 1 ergeben.

**Warum »soft«?** Die Exponentialfunktion wächst sehr steil; sie vergrößert die Abstände zwischen den
Logits. Nach dem Teilen bekommt der größte Logit einen Wert nahe 1, die anderen schrumpfen Richtung
0 – fast wie ein »max«, das nur den Gewinner übrig lässt. Aber eben nur fast: Die Reihenfolge aller
Werte bleibt erhalten, und jede Klasse behält einen kleinen Anteil. Mit der **Temperatur** unten
sehen Sie, wie stark das Schärfen wirkt: Teilt man die Logits vor der Exponentialfunktion durch eine
kleine Zahl, wird aus dem weichen fast ein hartes Maximum.
""")
explain.softmax_demo()

# --- loss -------------------------------------------------------------------------------------
st.header("One-hot-Kodierung und Kreuzentropie")
st.markdown("""
Um zu lernen, braucht das Netz ein Maß dafür, wie falsch es liegt. Dazu müssen Vorhersage und
richtige Antwort in derselben Form vorliegen.

**One-hot.** Das Label »das ist eine 3« wird als Vektor aus zehn Zahlen geschrieben: lauter Nullen,
nur an Position 3 eine 1. Man kann das als Wahrscheinlichkeitsverteilung lesen, die sich zu 100 %
sicher ist. Das Netz liefert ebenfalls zehn Wahrscheinlichkeiten – die beiden Vektoren lassen sich
also direkt vergleichen.

**Kreuzentropie** (*cross-entropy*). Für Klassifikation hat sich dieser Abstand bewährt: Man
multipliziert jeden One-hot-Eintrag mit dem Logarithmus der vorhergesagten Wahrscheinlichkeit,
summiert und dreht das Vorzeichen um. Weil nur ein Eintrag 1 ist, bleibt
**−log(Wahrscheinlichkeit der richtigen Klasse)** übrig. Ist sich das Netz bei der richtigen Klasse
sicher (nahe 1), ist der Verlust fast 0; gibt es ihr wenig Chancen, wächst der Verlust steil an.
Diese Zahl, gemittelt über eine Batch, ist der **Verlust** (*loss*), den das Training verkleinert.
""")
explain.one_hot_cross_entropy_demo()

# --- gradient descent -------------------------------------------------------------------------
st.header("Gradientenabstieg")
st.markdown("""
**Trainieren** heißt: Gewichte und Biases so verändern, dass der Verlust auf den Trainingsdaten
kleiner wird. Der Verlust hängt von den Bildern, den Labels und von *allen* Parametern ab. Leitet
man ihn nach jedem einzelnen Parameter ab, erhält man den **Gradienten** – einen Vektor mit so
vielen Einträgen, wie das Netz Parameter hat, oft Millionen. Das Ausrechnen übernimmt TensorFlow
automatisch.

Der Gradient zeigt in die Richtung, in der der Verlust am steilsten *zunimmt*. Also geht man ein
Stück in die Gegenrichtung, nimmt die nächste Batch, berechnet den Gradienten neu, geht wieder ein
Stück – immer so weiter. Mit etwas Glück landet man in einem Tal, in dem der Verlust klein ist. Dass
es das tiefste Tal überhaupt ist, garantiert niemand.

**Lernrate.** Wie weit geht man pro Schritt? Ginge man jedes Mal die volle Länge des Gradienten,
spränge man wie mit zu großen Schritten von einer Talwand zur gegenüberliegenden, statt hinab zu
kommen. Deshalb nimmt man nur einen kleinen Bruchteil davon, oft in der Größenordnung 0,001. Dieser
Bruchteil heißt **Lernrate** (*learning rate*).

Im Experiment sind es nur zwei Gewichte, damit man die Verlustlandschaft von oben sehen kann.
Erhöhen Sie die Lernrate über 1: Der Weg springt über das schmale Tal hinweg, schaukelt sich auf und
läuft davon.
""")
explain.gradient_descent_demo("tal")

st.subheader("Mini-Batches, Sattelpunkte und Momentum")
st.markdown("""
**Mini-Batches.** Man könnte den Gradienten für ein einzelnes Bild berechnen und sofort einen Schritt
machen. Mittelt man ihn stattdessen über eine **Batch** von zum Beispiel 128 Bildern, bildet er die
Anforderungen vieler Beispiele zugleich ab und führt meist zielstrebiger ans Ziel. Die Batch-Größe
ist ein frei wählbarer Parameter. Dieses Vorgehen heißt **stochastischer Gradientenabstieg** (SGD).
Nebenbei werden die Matrizen größer – und große Matrizen rechnen Grafikkarten und TPUs besonders
effizient. Bei 60.000 Trainingsziffern und Batches zu 128 macht das Netz **468 Schritte pro Epoche**
(eine Epoche = einmal alle Trainingsbilder).

**Sattelpunkte.** Der Abstieg kann ins Stocken geraten, wenn der Gradient (fast) null ist. Das heißt
aber nicht zwingend, dass man unten angekommen ist: Eine Ableitung ist auch auf einem Gipfel oder an
einem **Sattelpunkt** null – einer Stelle, die in einer Richtung ein Tal, in einer anderen ein Kamm
ist. Bei Millionen von Parametern ist es sehr unwahrscheinlich, dass *alle* Richtungen zugleich
bergauf führen; Sattelpunkte sind deshalb viel häufiger als echte Minima, und an ihnen soll das
Training nicht hängen bleiben.

**Momentum.** Die Abhilfe: dem Verfahren Schwung mitgeben. Mit **Momentum** fließen die vorigen
Schritte in den nächsten ein, sodass der Weg über flache Stellen hinwegrollt. Keras bietet den
einfachen Gradientenabstieg `keras.optimizers.SGD` (mit optionalem `momentum`) sowie Verfahren mit
eingebautem Schwung und angepasster Schrittweite wie `keras.optimizers.RMSprop` und
`keras.optimizers.Adam`.

Im Experiment liegt der Start knapp neben dem Kamm eines Sattels. Vergleichen Sie, wie weit die drei
Verfahren mit derselben Lernrate kommen:
""")
explain.gradient_descent_demo("sattel")

# --- glossary ---------------------------------------------------------------------------------
st.header("Glossar")

GLOSSARY = {
    "batch": ("Batch (Mini-Batch)",
              "Ein Päckchen Trainingsbeispiele samt Labels, mit dem ein einzelner Trainingsschritt rechnet. "
              "Die Batch ist meist die erste Dimension eines Datentensors: Ein Tensor der Form "
              "[128, 28, 28, 1] enthält 128 Graustufenbilder mit 28 × 28 Pixeln."),
    "cross-entropy": ("Kreuzentropie (cross-entropy)",
                      "Die übliche Verlustfunktion für Klassifikation: −Σ Label · log(Vorhersage). Bei "
                      "One-hot-Labels ist das −log der Wahrscheinlichkeit, die das Netz der richtigen Klasse gibt."),
    "dense": ("Dense (dichte Schicht)",
              "Eine Schicht, in der jedes Neuron mit allen Ausgaben der vorherigen Schicht verbunden ist. "
              "Rechnerisch eine Matrixmultiplikation plus Bias."),
    "features": ("Features (Merkmale)",
                 "Die Eingaben eines Netzes, bei MNIST die 784 Pixelwerte. Auszuwählen oder zu kombinieren, "
                 "welche Größen man einem Modell gibt, nennt man Feature Engineering."),
    "labels": ("Labels",
               "Die richtigen Antworten zu den Trainingsbeispielen, hier die Ziffer, die ein Bild zeigt. "
               "Auch »Klassen« oder »Zielwerte« genannt."),
    "learning rate": ("Lernrate (learning rate)",
                      "Der Bruchteil des Gradienten, um den Gewichte und Biases bei jedem Trainingsschritt "
                      "verschoben werden. Zu groß: das Training springt hin und her; zu klein: es kommt kaum voran."),
    "logits": ("Logits",
               "Die Ausgaben einer Schicht, bevor die Aktivierungsfunktion angewendet wird – vor allem die "
               "zehn Werte vor dem softmax. Der Name kommt von der »logistischen« Funktion, einem anderen "
               "Namen für sigmoid."),
    "loss": ("Verlust (loss)",
             "Eine Zahl, die misst, wie weit die Vorhersagen von den Labels entfernt sind. Das Training "
             "versucht, sie zu verkleinern."),
    "neuron": ("Neuron",
               "Bildet die gewichtete Summe seiner Eingaben, addiert einen Bias und gibt das Ergebnis durch "
               "eine Aktivierungsfunktion aus."),
    "one-hot": ("One-hot-Kodierung",
                "Eine Klasse als Vektor: lauter Nullen und eine einzige 1 an der Stelle der Klasse. Die 3 von "
                "zehn Klassen wird zu [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]."),
    "relu": ("relu",
             "Rectified Linear Unit: max(0, x). Die gebräuchlichste Aktivierungsfunktion für innere Schichten."),
    "sigmoid": ("sigmoid",
                "1 / (1 + e^−x), eine S-Kurve zwischen 0 und 1. Früher der Standard, heute nur noch für "
                "besondere Zwecke; in tiefen Netzen lässt sie die Gradienten schrumpfen."),
    "softmax": ("softmax",
                "Aktivierung für einen ganzen Vektor: exponentiert jeden Eintrag und teilt durch die Summe. "
                "Das Ergebnis sind Wahrscheinlichkeiten, die sich zu 1 addieren; der größte Eintrag wird "
                "betont. Üblich als letzte Schicht eines Klassifikators."),
    "tensor": ("Tensor",
               "Eine Verallgemeinerung der Matrix auf beliebig viele Dimensionen: ein Vektor hat eine, eine "
               "Matrix zwei, ein Stapel Farbbilder vier ([Bilder, Höhe, Breite, Kanäle])."),
}

query = st.text_input("Begriff suchen", key="glossary_query", placeholder="z. B. softmax, Verlust, Batch …",
                      help="Durchsucht Begriffe und Erklärungen, Groß-/Kleinschreibung egal.")
needle = query.strip().lower()
hits = [(term, title, text) for term, (title, text) in GLOSSARY.items()
        if not needle or needle in term or needle in title.lower() or needle in text.lower()]
if hits:
    if needle:
        st.caption(f"{len(hits)} von {len(GLOSSARY)} Begriffen passen zu »{query.strip()}«.")
    st.markdown("\n".join(f"- **{title}** – {text}" for _, title, text in hits))
else:
    st.warning(f"Kein Begriff passt zu »{query.strip()}«. Versuchen Sie ein kürzeres Suchwort.")

page.end(chapter)
