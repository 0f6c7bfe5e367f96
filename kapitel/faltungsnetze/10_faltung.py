"""Chapter 10: convolutional networks in a nutshell – convolution in numpy, no TensorFlow."""
import streamlit as st

from tutorial.app.explain import conv
from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import page
from tutorial.app import quiz

chapter = page.start(__file__)
st.markdown("""
Jedes Netz bisher hat das Bild zuerst zu einer Reihe aus 784 Zahlen plattgedrückt und damit, wie das
Gedankenexperiment in Kapitel 9 gezeigt hat, ausgerechnet die Nachbarschaft der Pixel verschenkt.
**Faltungsnetze** (*convolutional neural networks*) rechnen auf dem Bild selbst. Auf dieser Seite probieren
Sie ihre Bausteine an echten Testziffern aus, ganz ohne Training; im nächsten Kapitel bauen Sie daraus ein
Netz und trainieren es.
""")

st.info("""
**Drei Experimente, ein Weg.** Erst schieben Sie einen einzelnen Filter über eine Ziffer und sehen, was
herauskommt. Dann zeigt ein Rechner für einen ganzen Stapel solcher Schichten, wie groß jede Ausgabe
ist und wie viele Parameter darin stecken. Zuletzt vergleichen Sie zwei Wege von der letzten Faltung zu den
zehn Ziffern.
""", icon=":material/school:")

st.header("Filter und Faltung")
st.markdown("""
Wählen Sie eine Testziffer und den Filter »Kanten senkrecht (Sobel x)«. Die App legt ein Fenster aus 3 × 3 Pixeln
an jede Stelle des Bildes und schreibt dort eine Zahl in ein neues Bild, oben rechts. Wechseln Sie danach
den Filter, oder tragen Sie mit »Eigener 3×3-Filter« neun Gewichte selbst ein.
""")
conv.convolution_demo()
st.markdown("""
**Was Sie sehen.** Beim Filter »Kanten senkrecht« erscheint jeder senkrechte Strich der Ziffer als Paar:
rot an seiner linken Kante, wo das Fenster links Papier und rechts Tinte sieht, blau an seiner rechten
Kante, wo es umgekehrt ist. Die Mitte waagerechter Striche bleibt fast weiß – dort sehen linke und rechte Spalte
des Fensters dasselbe. Nach relu bleibt nur das Rot übrig, als helle Linie auf Schwarz: die Stellen, an denen
»links hell, rechts dunkel« zutrifft.

**Was dabei gerechnet wird.** An jeder Stelle multipliziert die App die neun Pixel unter dem Fenster mit
den neun Zahlen des Filters und addiert alles – eine gewichtete Summe wie bei einem Neuron, nur mit neun
Eingängen statt 784. Im Netz kommen ein Bias und die Aktivierung hinzu. Diese kleine Gewichtsmatrix heißt
**Filter** (in Keras *kernel*), ihre Größe, hier 3 × 3, die **Kerngröße** (*kernel_size*), und das
Abtasten des ganzen Bildes mit ihr **Faltung** (*convolution*). Eine **Faltungsschicht** ist eine
Schicht, die so rechnet und ihre Filter beim Training selbst lernt; die Filter im Experiment dagegen sind
klassische, von Hand entworfene Filter der Bildverarbeitung.

Der entscheidende Unterschied zur dichten Schicht: An *jeder* Stelle gelten dieselben neun Gewichte
(*shared weights*). Ein Filter braucht deshalb nur wenige Parameter, und er findet sein Muster überall im
Bild, ob der Strich links oder rechts sitzt. Das Ergebnis ist wieder ein Bild, eine **Merkmalskarte**
(*feature map*): groß, wo das Muster passt.
""")

st.subheader("Rand: padding »same« oder »valid«")
st.markdown("""
Stellen Sie im Experiment »Padding« auf »valid« und achten Sie auf die Größe unter den Bildern. Am Rand ragt
das Fenster über das Bild hinaus, und dafür gibt es zwei übliche Antworten:

- **`padding="valid"`**: Das Fenster bleibt ganz im Bild. Die Ausgabe wird dadurch etwas kleiner –
  bei 28 Pixeln und einem 3 × 3-Filter 26 × 26.
- **`padding="same"`**: Das Bild wird ringsum mit Nullen aufgefüllt, sodass bei Schrittweite 1 die
  Ausgabe genauso groß ist wie die Eingabe. Ist die nötige Auffüllung ungerade, legen TensorFlow und
  Keras das zusätzliche Pixel unten bzw. rechts an.
""")

quiz.questions(chapter, "after_filter")

st.header("Kleiner werden: Schrittweite und Max-Pooling")
st.markdown("""
Stellen Sie im Experiment den Rand wieder auf »same« und die **Schrittweite** (*stride*) auf 2. Das Fenster
rückt jetzt jeweils zwei Pixel weiter statt einem, und aus 28 × 28 wird 14 × 14 (mit »valid« wären es 13 × 13). Die Ziffer ist noch zu erkennen, nur gröber.

Das zweite Verkleinern sehen Sie im letzten Bild des Experiments, rechts unten: **Max-Pooling** teilt die
Merkmalskarte in Felder aus 2 × 2 Werten und behält von jedem Feld nur den größten – ganz ohne Gewichte.
Auch das halbiert Höhe und Breite. Ein Beispiel, warum man dabei wenig verliert: Ein Filter, der auf
waagerechte Striche anspricht, meldet bei einer 7 den Querstrich oben. Ob dieser Strich in Pixelzeile 4
oder 5 beginnt, ist für die Frage »ist das eine 7?« gleichgültig. Max-Pooling behält von jedem Feld den
stärksten Ausschlag – »hier irgendwo war ein waagerechter Strich, so deutlich« – und vergisst die genaue
Lage. Eine leicht verschobene Handschrift verändert das Ergebnis dadurch weniger.

Warum überhaupt verkleinern? Je weiter hinten im Netz, desto weniger zählt, *wo genau* ein Merkmal sitzt,
und desto mehr, *welche* Merkmale zusammenkommen. Faltungsnetze machen ihre Merkmalskarten deshalb Schicht
für Schicht kleiner und setzen dafür mehr Filter ein – was das heißt, zeigt der nächste Abschnitt.
""")

st.header("Viele Filter: aus dem Bild wird ein Datenwürfel")
st.markdown("""
Ein Filter findet senkrechte Kanten, ein anderer waagerechte; eine Ziffer braucht beides und mehr –
Bögen, Ecken, Enden. Eine Faltungsschicht hat deshalb viele Filter, jeden mit eigenen Gewichten, und jeder
liefert seine eigene Merkmalskarte. Übereinandergelegt ergeben sie einen **Datenwürfel** aus Höhe × Breite
× **Kanälen** (*channels*): ein **Kanal** pro Filter – so wie ein Farbbild aus den drei Kanälen Rot, Grün
und Blau besteht. Ein MNIST-Bild hat einen Kanal, die Graustufe.

Nehmen Sie das Netz des nächsten Kapitels. Seine erste Faltung hat zwölf Filter mit der Kerngröße 3 × 3 und
macht aus dem 28 × 28 × 1-Bild einen Datenwürfel aus 28 × 28 × 12 Zahlen. Die zweite Faltung rechnet schon
auf diesem Datenwürfel: Jeder ihrer Filter ist 6 × 6 groß und reicht durch alle zwölf Kanäle, hat also
6 · 6 · 12 = 432 Gewichte. Vierundzwanzig solcher Filter bilden zusammen einen **Gewichtstensor** mit vier
Dimensionen,

    [Kernhöhe, Kernbreite, Eingangskanäle, Filter] = [6, 6, 12, 24],

10.368 Gewichte und dazu 24 Biases. Weil die Zahl der Eingangskanäle beliebig sein darf, lassen sich
Faltungsschichten beliebig stapeln: Jede macht aus einem Datenwürfel den nächsten.
""")

st.subheader("Nachrechnen: Formen und Parameter eines Stapels")
st.markdown("""
Der Rechner ist mit dem Faltungsstapel des nächsten Kapitels vorbelegt: drei Faltungen, die zweite und
dritte mit Schrittweite 2, dann `Flatten` und eine dichte Schicht mit 200 Neuronen. Er zeigt für jede Schicht
die Ausgabeform und die Zahl der Parameter – dieselben Zahlen, die `model.summary()` in Keras anzeigen
würde. Ändern Sie Filterzahl, Kerngröße und Schrittweite und beobachten Sie, wo die meisten Parameter
stecken.
""")
conv.conv_calculator()
st.markdown("""
In Keras geschrieben sieht ein solcher Stapel so aus. `Reshape` legt die 784 Eingabewerte wieder zu einem
Bild mit 28 × 28 Pixeln und einem Kanal zusammen, `Flatten` legt den letzten Datenwürfel flach; hier folgt
darauf gleich die softmax-Schicht:
""")
example = S.RunSpec(layers=(L.Reshape(), L.Conv2D(12, 3, 1), L.Conv2D(24, 6, 2), L.Conv2D(32, 6, 2),
                            L.Flatten(), L.Dense(10, "softmax")))
st.code(example.model_code().split("\n\nmodel.compile")[0], language="python")
quiz.questions(chapter, "after_stride")

st.header("Die letzte Schicht")
st.markdown("""
Am Ende braucht das Netz zehn Zahlen, eine pro Ziffer – die letzte Faltung liefert aber einen Datenwürfel,
im Netz des nächsten Kapitels 7 × 7 × 32. Stellen Sie im Vergleich unten die Kanäle erst auf 32, dann
auf 10, und sehen Sie sich an, was die beiden Wege dorthin kosten:
""")
conv.gap_vs_flatten_demo()
st.markdown("""
1. **Flatten** und dichte Schicht: Der Datenwürfel wird zu einem Vektor ausgelegt, hier mit
   7 · 7 · 32 = 1.568 Werten, und dichte Schichten schließen sich an, zuletzt eine mit softmax. Das ist
   einfach, aber teuer: Im Netz des nächsten Kapitels hat die dichte Schicht mit 200 Neuronen allein
   1.568 · 200 + 200 = 313.800 Parameter – fast neun Zehntel des ganzen Netzes (im Rechner oben die Zeile
   »Dense(200, relu)«).
2. **Global Average Pooling**: Die letzte Faltung bekommt genau zehn Filter, einen pro Ziffer, und von
   jedem Kanal bleibt nur sein Mittelwert. Die zehn Mittelwerte gehen direkt in die softmax-Funktion; dieser
   Abschluss kostet *kein einziges* Gewicht. In Keras heißt die Schicht
   `keras.layers.GlobalAveragePooling2D()`.
""")
st.warning("""
**Was beim Mitteln verloren geht.** Eine Merkmalskarte sagt nicht nur *ob*, sondern auch *wo* ein
Filter angesprochen hat. Der Mittelwert über die ganze Karte behält nur das »ob«. Ob eine Ziffer links
oder rechts im Bild steht, ist für »welche Ziffer?« gleichgültig – das Mitteln schadet hier kaum. Soll
ein Netz dagegen sagen, *wo* im Bild eine Hausnummer steht, dann braucht es die Lage, und ein Abschluss,
der sie wegmittelt, ist die falsche Wahl.
""", icon=":material/warning:")

page.end(chapter)
