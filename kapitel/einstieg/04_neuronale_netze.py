"""Chapter 4: neural networks in a nutshell, with the interactive visuals next to the text. No TensorFlow."""
import streamlit as st

from tutorial.app.explain import basics
from tutorial.app import page
from tutorial.app import quiz
from tutorial.app import terms

chapter = page.start(__file__)
st.markdown("""
Dieses Kapitel liefert das Handwerkszeug für alles Weitere. Jede Idee hat ein kleines Experiment: Sie
bewegen einen Regler, und Zahlen und Diagramme werden in diesem Moment neu berechnet. Wer die *fett
gedruckten* Begriffe im Kasten unten schon sicher erklären kann, darf direkt zu Kapitel 5 springen. Alle
fett gedruckten Begriffe der App stehen außerdem im **Glossar** am Ende dieser Seite.
""")

st.info("""
**Die ganze Seite in fünf Sätzen.** Ein Bild geht als Zahlenreihe in das Netz und läuft durch mehrere
**Schichten** (*layers*) aus **Neuronen** – bei Bildern **dichte Schichten** oder, meist besser,
**Faltungsschichten**. Innen rechnet fast jede Schicht mit der Aktivierung **relu**; die letzte hat ein
Neuron pro Klasse und macht mit **softmax** daraus Wahrscheinlichkeiten. Diese vergleicht die
**Kreuzentropie** mit dem **One-hot**-kodierten **Label**, der richtigen Antwort. Das Ergebnis, der
**Verlust**, soll klein werden. Dafür berechnet das Training den **Gradienten** und schiebt alle Gewichte
ein Stück bergab – jeweils für einen **Batch** von Bildern, mit einem **Optimierer** wie **Adam**.
""", icon=":material/school:")

# --- math minimum ------------------------------------------------------------------------------
st.header("Mathe-Minimum")
st.markdown("""
Drei Werkzeuge aus der Schulmathematik genügen für dieses Kapitel. Wenn sie Ihnen vertraut sind,
überspringen Sie diesen Abschnitt.

**Steigung und Ableitung.** Fährt man auf einer Straße 100 m weit und gewinnt dabei 5 m an Höhe, hat sie
5 % Steigung. Die **Ableitung** einer Funktion ist genau das, nur an einer einzigen Stelle gemessen: Um wie
viel ändert sich das Ergebnis, wenn man die Eingabe ein winziges Stück vergrößert? Bei *f(x) = x²* ist die
Ableitung *2x*: An der Stelle 3 wächst *f* sechsmal so schnell wie *x*. Eine Ableitung von 0 heißt: hier ist
es (im Kleinen) flach. Hängt eine Größe von vielen Eingaben ab, hat sie für jede Eingabe eine eigene
Ableitung; alle zusammen bilden den **Gradienten** – mehr dazu weiter unten.

**Exponentialfunktion und Logarithmus.** *eˣ* (mit *e* ≈ 2,718) ist immer positiv und wächst rasant:
*e⁰* = 1, *e¹* ≈ 2,72, *e⁵* ≈ 148. Der natürliche Logarithmus *log* macht das rückgängig: *log(e⁵)* = 5,
*log(1)* = 0, und für Zahlen zwischen 0 und 1 ist er negativ: *log(0,5)* ≈ −0,69, *log(0,01)* ≈ −4,6. Je
näher eine Zahl an 0 rückt, desto tiefer stürzt ihr Logarithmus; *log(0)* gibt es nicht. softmax und die
Kreuzentropie weiter unten bestehen aus genau diesen beiden Funktionen.

**Matrixprodukt.** Eine Matrix ist eine Zahlentabelle. Um zwei Matrizen zu multiplizieren, nimmt man eine
*Zeile* der linken und eine *Spalte* der rechten, multipliziert Eintrag für Eintrag und addiert: Zeile
(1, 2) mal Spalte (3, 4) ergibt 1 · 3 + 2 · 4 = 11. Das macht man für jede Zeile mit jeder Spalte. Eine
Tabelle mit 2 Zeilen und 3 Spalten (2 × 3) mal eine 3 × 4-Tabelle ergibt eine 2 × 4-Tabelle; die inneren
Zahlen (hier 3) müssen übereinstimmen. Genau so rechnet gleich eine ganze Schicht.
""")

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
basics.neuron_demo()

# --- dense layer ------------------------------------------------------------------------------
st.header("Eine dichte Schicht")
st.markdown("""
Ein MNIST-Bild hat 28 × 28 = 784 Pixel. Das einfachste Netz legt diese 784 Zahlen als Eingaben an
*zehn* Neuronen an – eines für jede Ziffer von 0 bis 9. Jedes der zehn Neuronen sieht alle 784
Pixel; eine Schicht, in der jedes Neuron mit jeder Eingabe verbunden ist, heißt **dicht**
(*dense*, auch *fully connected*). Sie hat 784 · 10 = 7.840 Gewichte und 10 Biases, zusammen
**7.850 Parameter**.

**Als Matrixmultiplikation.** Trainiert wird nie mit einem einzelnen Bild, sondern mit vielen
gleichzeitig. Legt man einen Batch von Bildern als Zeilen in eine Matrix *X* (bei 128 Bildern:
128 × 784) und die Gewichte spaltenweise in eine Matrix *W* (784 × 10), dann ist *X · W* eine
128 × 10-Matrix: Zeile *i*, Spalte *j* ist die gewichtete Summe, die Neuron *j* für Bild *i* bildet.
Eine einzige Matrixmultiplikation rechnet also alle Neuronen für alle Bilder auf einmal aus – genau
die Art Rechnung, die Grafikkarten besonders schnell erledigen.

**Broadcasting.** Jetzt fehlt noch der Bias: ein Vektor *b* mit zehn Werten, einer pro Neuron. Er
muss zu *jeder* Zeile von X · W addiert werden. In den Rechenbibliotheken NumPy und TensorFlow schreibt
man dafür einfach
`X @ W + b`: Passen zwei Formen nicht zusammen, wird die kleinere so oft wiederholt, bis sie passt.
Dieses stillschweigende Vervielfältigen heißt **Broadcasting**. Zusammen mit der Aktivierungsfunktion *f*
ergibt sich die ganze Schicht in einer Zeile:

    Y = f(X · W + b)

Im ersten Netz aus Kapitel 3 ist *f* softmax (es ist dort die letzte und einzige Schicht), in inneren
Schichten meist relu. Das Experiment darunter rechnet mit relu: So sehen Sie, wie negative Summen zu 0
werden.
""")
basics.dense_layer_demo()
quiz.questions(chapter, "after_dense")

st.subheader("In Keras")
st.markdown("""
In Keras schreibt man die ganze Schicht – 7.840 Gewichte, 10 Biases, Matrixprodukt, Broadcasting und
Aktivierung – in eine einzige Zeile. Die Zahl 10 ist die Zahl der Neuronen; wie viele Eingänge es sind,
merkt Keras selbst an den Daten:
""")
st.code('keras.layers.Dense(10, activation="softmax")', language="python")

st.subheader("Mehrere Schichten hintereinander")
st.markdown("""
Die Ausgabe einer Schicht kann die Eingabe der nächsten sein. Die zehn Zahlen unserer Schicht könnten
also statt Endergebnis auch Zwischenergebnis sein, aus dem eine weitere Schicht wieder gewichtete Summen
bildet. Alle diese Schichten rechnen nach derselben Formel; sie unterscheiden sich nur darin, wie viele
Neuronen sie haben und welche Aktivierungsfunktion *f* sie verwenden. In Keras schreibt man so einen
Stapel als Liste, von der Eingabe bis zur Ausgabe – das heißt **Sequential API**. Hier drei dichte
Schichten mit 200, 60 und 10 Neuronen:
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
Wozu überhaupt eine Aktivierungsfunktion? Ohne sie wären zwei Schichten hintereinander
(X · W₁) · W₂ = X · (W₁ · W₂) – also wieder nur *eine* Schicht mit der Gewichtsmatrix W₁ · W₂ (die Biases
ändern daran nichts). Beliebig viele Schichten ohne Aktivierung können nicht mehr als eine einzige. Erst
eine Funktion, die keine Gerade ist, macht zusätzliche Schichten nützlich.

- **relu** (*rectified linear unit*) lässt positive Werte unverändert durch und setzt negative auf
  0. Sie ist heute der Standard für alle Schichten außer der letzten, weil Netze mit ihr fast immer
  besser lernen.
- **sigmoid** presst jede Zahl weich in den Bereich zwischen 0 und 1. Sie war lange die klassische
  Wahl; warum sie tiefe Netze ausbremst, zeigt Kapitel 7.
""")
basics.activations_demo()

st.subheader("softmax für die letzte Schicht")
st.markdown("""
Die letzte Schicht hat zehn Neuronen, und wir möchten zehn Zahlen zwischen 0 und 1, die sich zu 1
addieren: die Wahrscheinlichkeit für »das ist eine 0«, »das ist eine 1« und so weiter. Die zehn
Werte, die aus der letzten Schicht *vor* der Aktivierung kommen, heißen **Logits**. **softmax** macht
daraus Wahrscheinlichkeiten in zwei Schritten:

1. Jeder Logit *Lₖ* wird durch die Exponentialfunktion geschickt: *e^Lₖ* (immer positiv).
2. Alle zehn Ergebnisse werden durch ihre Summe geteilt, sodass sie zusammen 1 ergeben.

Ein Rechenbeispiel mit nur zwei Logits, 2 und 4: *e²* ≈ 7,4 und *e⁴* ≈ 54,6, zusammen 62. softmax
liefert also 7,4 ÷ 62 ≈ 12 % und 54,6 ÷ 62 ≈ 88 %. Der Abstand 2 in den Logits ist zu einem Verhältnis von
etwa 1 : 7 geworden – die Exponentialfunktion verstärkt Unterschiede.

**Warum »soft«?** Ein hartes »max« würde nur sagen: »Klasse 2 gewinnt, alle anderen bekommen 0.«
softmax lässt auch den Verlierern einen kleinen, nie ganz verschwindenden Anteil, und die Reihenfolge
bleibt erhalten. Wie weich oder hart es ausfällt, zeigt die **Temperatur** im Experiment: Teilt man die
Logits vor der Exponentialfunktion durch eine kleine Zahl, wird der Gewinner fast alleinherrschend.
""")
basics.softmax_demo()
quiz.questions(chapter, "after_softmax")

# --- loss -------------------------------------------------------------------------------------
st.header("One-hot-Kodierung und Kreuzentropie")
st.markdown("""
Um zu lernen, braucht das Netz ein Maß dafür, wie falsch es liegt. Dazu müssen Vorhersage und
richtige Antwort in derselben Form vorliegen.

**One-hot.** Das Label »das ist eine 3« wird als Vektor aus zehn Zahlen geschrieben: lauter Nullen,
nur an Position 3 eine 1. Man kann das als Wahrscheinlichkeitsverteilung lesen, die sich zu 100 %
sicher ist. Das Netz liefert ebenfalls zehn Wahrscheinlichkeiten – die beiden Vektoren lassen sich
also direkt vergleichen.

**Kreuzentropie** (*cross-entropy*). Verglichen werden die beiden Vektoren so: Jeder Eintrag des
One-hot-Labels wird mit dem Logarithmus der vorhergesagten Wahrscheinlichkeit an derselben Stelle
multipliziert, alles wird addiert und das Vorzeichen umgedreht. Neun der zehn Label-Einträge sind 0 und
fallen weg; übrig bleibt *−log(Wahrscheinlichkeit der richtigen Klasse)*. Gibt das Netz der 3 eine
Wahrscheinlichkeit von 0,7, kostet das −log(0,7) ≈ 0,36; gibt es ihr nur 0,05, sind es schon ≈ 3,0. Je
sicherer das Netz bei der richtigen Klasse ist, desto näher rückt der Verlust an 0; je weniger es ihr
zutraut, desto steiler steigt er (*log* ist, wie im Mathe-Minimum, der natürliche Logarithmus). Diese
Zahl, gemittelt über einen Batch, ist der **Verlust** (*loss*), den das Training verkleinert.

Anders als die Genauigkeit belohnt die Kreuzentropie also auch, *wie* sicher das Netz richtig liegt, und
sie ändert sich mit jedem Gewicht ein wenig, statt nur zu springen, wenn eine Antwort von falsch auf
richtig kippt – genau das braucht der Gradientenabstieg weiter unten.

Und wenn das Netz der richtigen Klasse gar nichts zutraut, also 0? Mathematisch wäre −log(0) unendlich.
Bekommt Keras nur fertige Wahrscheinlichkeiten, hebt es deshalb alles unter 10⁻⁷ auf 10⁻⁷ an; ein
einzelnes Bild kostet dann höchstens −log(10⁻⁷) ≈ 16,1. Genau so rechnet das Experiment, wenn Sie die
richtige Klasse auf 0 setzen. (Stammen die Wahrscheinlichkeiten aus der softmax-Schicht eines Modells,
geht Keras einen genaueren Weg über die Logits – Kapitel 7 erklärt ihn.)
""")
basics.one_hot_cross_entropy_demo()
quiz.questions(chapter, "after_loss")

# --- gradient descent -------------------------------------------------------------------------
st.header("Gradientenabstieg")
st.markdown("""
Stellen Sie sich vor, Sie stehen nachts im Nebel an einem Hang und wollen ins Tal. Sie sehen nichts,
spüren aber unter den Füßen, wohin es abwärts geht. Also machen Sie einen Schritt in diese Richtung,
tasten erneut, machen den nächsten Schritt. Genau so trainiert ein Netz.

Der »Hang« ist der Verlust, und die Position sind *alle* Gewichte und Biases zugleich. Welche Richtung
bergab führt, verrät der **Gradient**: für jeden einzelnen Parameter die Ableitung des Verlusts – eine
Liste mit so vielen Einträgen, wie das Netz Parameter hat, oft Millionen. Er zeigt dorthin, wo der
Verlust am steilsten *wächst*; jeder Schritt geht deshalb in die Gegenrichtung. Dann kommt der nächste
Batch, der Gradient wird neu berechnet, der nächste Schritt folgt. Dieses Verfahren heißt
**Gradientenabstieg**. Es findet ein Tal mit kleinem Verlust – dass es das tiefste überhaupt ist,
verspricht niemand.

**Woher kommen Millionen Ableitungen?** Aus der **Kettenregel**. Ein Netz ist eine Kette von
Rechenschritten: Gewicht → gewichtete Summe → Aktivierung → nächste Schicht → … → Verlust. Wackelt man
an einem Gewicht, pflanzt sich die Änderung Glied für Glied fort, und jedes Glied verstärkt oder dämpft
sie um seine eigene Steigung. Verdoppelt ein Glied jede kleine Änderung (Steigung 2) und drittelt das
nächste sie (Steigung ⅓), dann kommt am Ende der Kette 2 · ⅓ = ⅔ der ursprünglichen Änderung an: Die
Steigungen der Glieder werden *multipliziert*. **Backpropagation** (Rückwärtsrechnung) nutzt das geschickt: Sie
beginnt beim Verlust, berechnet die Steigungen der letzten Schicht und reicht sie rückwärts Schicht für
Schicht weiter, wobei jede Schicht ihren Faktor anmultipliziert. Ein einziger Durchgang rückwärts liefert
so alle Ableitungen auf einmal, für grob die doppelte Rechenarbeit des Durchgangs vorwärts. TensorFlow
erledigt das automatisch. Merken Sie sich das Produkt: In Kapitel 7 werden viele kleine Faktoren zum
Problem.

**Lernrate.** Wie groß ist ein Schritt? Man nimmt nur einen Bruchteil des Gradienten, die **Lernrate**
(*learning rate*); bei echten Netzen oft in der Größenordnung 0,001. Zu große Schritte tragen einen von
einer Talwand über die Sohle hinweg auf die gegenüberliegende Wand, statt hinunter.

Im Experiment gibt es nur zwei Gewichte, *w₁* und *w₂*, damit man die Landschaft von oben sehen kann. Die
Landschaft ist erfunden; ihre Steigungen haben eine ganz andere Größenordnung als der Verlust eines
echten Netzes. Deshalb passen hier Lernraten wie 0,3, und erst ab etwa 1 wird es zu viel –
die Zahlen lassen sich nicht auf MNIST übertragen, das Verhalten schon: Welche Lernrate taugt, hängt
immer davon ab, wie steil die Landschaft ist. Erhöhen Sie die Lernrate über 1: Der Weg springt über das
schmale Tal hinweg, schaukelt sich auf und läuft davon.
""")
basics.gradient_descent_demo("tal")
quiz.questions(chapter, "after_gradient")

st.subheader("Mini-Batches, Sattelpunkte und Momentum")
st.markdown("""
**Mini-Batches.** Der Gradient eines einzelnen Bildes ist ein schlechter Ratgeber: Eine krakelige 7
zieht die Gewichte in eine andere Richtung als eine saubere. Mittelt man ihn über einen **Batch** von
zum Beispiel 128 Bildern, heben sich solche Ausreißer weitgehend auf, und jeder Schritt ist
vertrauenswürdiger. Ganz genau ist er trotzdem nicht, denn der Batch ist eine zufällige Auswahl – daher
der Name **stochastischer Gradientenabstieg** (SGD, *stochastisch* = vom Zufall abhängig). Die
**Batch-Größe** können Sie frei wählen. Ein willkommener Nebeneffekt: Große Matrizen kann eine
Grafikkarte besonders effizient rechnen. Bei 60.000 Trainingsziffern und Batches zu 128 macht das Training
hier 468 ganze Schritte pro **Epoche** (60.000 ÷ 128 = 468,75, abgerundet; Kapitel 3 erklärt, wo die übrigen
96 Ziffern bleiben).

**Sattelpunkte.** Denken Sie an einen Pferdesattel: Von vorn nach hinten ist er eine Mulde, von links
nach rechts ein Buckel. In seiner Mitte ist es in *jeder* Richtung flach, der Gradient ist null – und
doch ist das kein Tiefpunkt, denn zur Seite ginge es weiter hinunter. So eine Stelle heißt
**Sattelpunkt**. Ein Tiefpunkt verlangt, dass es in *allen* Richtungen bergauf geht; bei Millionen von
Parametern ist das selten. Stellen mit Gradient null sind deshalb meist Sattelpunkte, und dort darf das
Training nicht stecken bleiben.

**Momentum.** Die Abhilfe ist Schwung, wie bei einer Kugel, die rollt: Mit **Momentum** fließt ein Teil
der vorigen Schritte in den nächsten ein, sodass der Weg über flache Stellen hinwegrollt, statt dort zu
verhungern. Ein Verfahren, das aus dem Gradienten die Schritte macht, heißt **Optimierer**. Keras bietet
unter anderem:

- `keras.optimizers.SGD` – einfacher Gradientenabstieg; mit dem Argument `momentum` bekommt er Schwung.
- `keras.optimizers.RMSprop` – wählt für jedes Gewicht eine eigene Schrittlänge: kleine Schritte, wo die
  Gradienten zuletzt groß waren, größere, wo sie klein waren. Schwung hat RMSprop nur, wenn man ihn
  ausdrücklich einschaltet; voreingestellt ist `momentum=0.0`.
- `keras.optimizers.Adam` – verbindet beides: Momentum *und* eine eigene Schrittlänge pro Gewicht.

Im Experiment ist die Landschaft ein Sattel, und der Start liegt knapp neben seinem Kamm. Was das
Experiment hier misst, ist einfach die Höhe dieser erfundenen Fläche, kein echter Verlust; wie ein
echter Verlust wird sie aber nie negativ: 0 in den beiden Mulden, 0,25 auf dem Sattelpunkt. Vergleichen Sie, wie weit die drei Verfahren mit derselben Lernrate kommen:
""")
basics.gradient_descent_demo("sattel")

# --- glossary ---------------------------------------------------------------------------------
st.header("Glossar")
terms.full_glossary()

page.end(chapter)
