"""Chapter 10: convolutional networks in a nutshell – convolution in numpy, no TensorFlow."""
import streamlit as st

from tutorial.app.explain import conv
from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import page
from tutorial.app import quiz

chapter = page.start(__file__)
st.markdown("""
Bisher hat jedes Netz das Bild zuerst zu einer langen Reihe aus 784 Zahlen plattgedrückt. Dabei
geht verloren, welche Pixel nebeneinander liegen – obwohl eine Ziffer gerade aus Strichen, Bögen und
Ecken besteht, also aus *benachbarten* Pixeln. **Faltungsnetze** (*convolutional neural
networks*) arbeiten direkt auf dem Bild und nutzen diese Nachbarschaft. Dieses Kapitel erklärt die
Bausteine; im nächsten bauen Sie damit ein Netz, das die 99 % knackt.
""")

st.info("""
**Die Seite im Überblick.** Eine **Faltungsschicht** schiebt kleine lernbare **Filter** über das Bild.
Drei Zahlen beschreiben sie: wie groß ein Filter ist (die **Kerngröße**, etwa 3 × 3),
wie viele Filter es gibt und um wie viele Pixel sie jeweils weiterrücken (die **Schrittweite**). Was
hinein- und herausgeht, ist jeweils ein Block aus Höhe × Breite × **Kanälen**: am Anfang die
Graustufe, danach ein Kanal pro Filter. Die Filterzahl bestimmt also, wie tief der Block wird;
Schrittweite 2 oder **Max-Pooling** machen ihn in Höhe und Breite kleiner.
""", icon=":material/school:")

st.header("Ein Filter gleitet über das Bild")
st.markdown("""
Stellen Sie sich eine Lupe vor, unter der immer nur 3 × 3 Pixel zu sehen sind. Sie fahren damit Zeile
für Zeile über die Ziffer und notieren an jeder Stelle eine Zahl: wie gut das, was gerade unter der Lupe
liegt, zu einem bestimmten Muster passt, etwa »links leer, rechts Tinte«. Das Muster besteht aus neun
Gewichten, und die notierte Zahl ist ihre gewichtete Summe mit den neun Pixeln darunter, plus Bias,
durch die Aktivierung geschickt – ein gewöhnliches Neuron, das statt 784 Pixeln nur neun sieht. Der
entscheidende Unterschied zur dichten Schicht: An *jeder* Stelle werden dieselben neun Gewichte benutzt.
Dieses Abtasten heißt **Faltung** (*convolution*), die kleine Gewichtsmatrix **Filter** (in Keras
*kernel*); ihre Größe, hier 3 × 3, heißt **Kerngröße** (*kernel_size*).

Weil alle Positionen dieselben Gewichte teilen (*shared weights*), braucht ein Filter nur sehr wenige
Parameter – und er erkennt ein Muster überall im Bild, egal ob eine senkrechte Kante links oder
rechts sitzt. Das Ergebnis ist selbst wieder ein Bild, eine **Merkmalskarte** (*feature map*): Ihre
Werte sind dort groß, wo das Muster des Filters gut passt.

Probieren Sie es mit einer echten Testziffer. Die Filter unten sind klassische, von Hand entworfene
Filter der Bildverarbeitung; ein Faltungsnetz lernt seine Filter dagegen selbst. Mit »Eigener 3×3-Filter«
können Sie die neun Gewichte in der Tabelle selbst eintragen.
""")
conv.convolution_demo()

st.subheader("Rand: padding »same« oder »valid«")
st.markdown("""
Am Bildrand ragt das Fenster über das Bild hinaus. Es gibt zwei übliche Antworten:

- **`padding="valid"`**: Das Fenster bleibt ganz im Bild. Die Ausgabe wird dadurch etwas kleiner –
  bei 28 Pixeln und einem 3 × 3-Filter 26 × 26.
- **`padding="same"`**: Das Bild wird ringsum mit Nullen aufgefüllt, sodass bei Schrittweite 1 die
  Ausgabe genauso groß ist wie die Eingabe. Ist die nötige Auffüllung ungerade, legen TensorFlow und
  Keras das zusätzliche Pixel unten bzw. rechts an.
""")

quiz.questions(chapter, "after_filter")

st.header("Mehrere Filter, mehrere Kanäle")
st.markdown("""
Im Experiment haben Sie gesehen: Ein Kantenfilter findet senkrechte Striche, ein anderer waagerechte.
Eine Ziffer braucht beides und mehr – Bögen, Ecken, Enden. Eine Faltungsschicht hat deshalb viele
Filter, jeden mit eigenen Gewichten, und jeder liefert seine eigene Merkmalskarte. Diese Karten liegen
übereinander wie die Seiten eines Stapels; jede Lage heißt ein **Kanal** (*channel*) – derselbe Name wie
bei den Farblagen Rot, Grün und Blau eines Farbbilds.

Die erste Faltung unseres Kurses hat zwölf Filter mit der Kerngröße 3 × 3. Aus dem 28 × 28-Bild mit einem
Kanal macht sie einen Block aus 28 × 28 × 12 Zahlen. Die zweite Faltung arbeitet schon auf diesem Block:
Jeder ihrer Filter ist 6 × 6 groß und reicht durch alle zwölf Kanäle, hat also 6 · 6 · 12 = 432
Gewichte. Vierundzwanzig solcher Filter ergeben einen **Gewichtstensor** mit vier Dimensionen,

    [Kernhöhe, Kernbreite, Eingangskanäle, Filter] = [6, 6, 12, 24],

zusammen 10.368 Gewichte und 24 Biases. Weil die Zahl der Kanäle am Eingang beliebig sein darf, lassen
sich Faltungsschichten stapeln: Jede macht aus einem Datenwürfel (Höhe × Breite × Kanäle) den nächsten.
""")

st.header("Kleiner werden: Schrittweite und Max-Pooling")
st.markdown("""
Je weiter hinten im Netz, desto weniger kommt es darauf an, *wo genau* ein Merkmal sitzt, und desto
mehr darauf, *welche* Merkmale zusammenkommen. Man verkleinert deshalb Höhe und Breite des
Datenwürfels Schritt für Schritt und spendiert dafür mehr Kanäle. Zum Verkleinern gibt es zwei Wege:

- *Faltung mit Schrittweite* (*strided convolution*): Das Fenster springt nicht um ein, sondern um
  zwei (oder drei) Pixel weiter. Mit Schrittweite 2 halbieren sich Höhe und Breite – stellen Sie oben
  einmal »2« ein.
- **Max-Pooling**: Ein Fenster von 2 × 2 Werten wird in Zweierschritten über die Merkmalskarte
  geschoben, und von jedem Fenster bleibt nur der größte Wert übrig. Auch das halbiert Höhe und
  Breite, ganz ohne Gewichte.

Was Max-Pooling bewirkt, zeigt ein Beispiel: Ein Filter, der auf waagerechte Striche anspricht, meldet
bei einer 7 den Querstrich oben. Ob dieser Strich in Pixelzeile 4 oder 5 beginnt, ist für die Frage
»ist das eine 7?« gleichgültig. Max-Pooling behält von jedem 2 × 2-Feld nur den stärksten Ausschlag –
»hier irgendwo war ein waagerechter Strich, so deutlich« – und vergisst die genaue Lage. Die Karte wird
kleiner, die Aussage bleibt, und eine leicht verschobene Handschrift verändert das Ergebnis weniger. In
der letzten Grafik des Experiments sehen Sie es: Nach dem Pooling ist die Ziffer gröber, aber noch gut zu
erkennen.
""")

st.subheader("Ein Faltungsnetz in Keras")
st.markdown("""
So sieht ein einfaches Faltungsnetz für MNIST aus. `Reshape` macht aus den 784 Eingabewerten wieder
ein Bild mit 28 × 28 Pixeln und einem Kanal; dann folgen drei Faltungsschichten, die zweite und dritte
mit Schrittweite 2 (28 → 14 → 7); `Flatten` legt den letzten Datenwürfel wieder flach für die
softmax-Schicht.
""")
example = S.RunSpec(layers=(L.Reshape(), L.Conv2D(12, 3, 1), L.Conv2D(24, 6, 2), L.Conv2D(32, 6, 2),
                            L.Flatten(), L.Dense(10, "softmax")))
st.code(example.model_code().split("\n\nmodel.compile")[0], language="python")
st.markdown("""
Mit dem Rechner können Sie nachprüfen, welche Form jede Schicht ausgibt und wie viele Parameter sie
hat – dieselben Zahlen, die `model.summary()` in Keras anzeigen würde. Ändern Sie Filterzahl, Kerngröße
und Schrittweite und beobachten Sie, wo die meisten Parameter stecken.
""")
conv.conv_calculator()
quiz.questions(chapter, "after_stride")

st.header("Die letzte Schicht")
st.markdown("""
Nach der letzten Faltung liegen die Daten als Würfel vor, zum Beispiel 7 × 7 × 32. Für die zehn
Ziffern braucht man aber zehn Zahlen. Zwei Wege führen dorthin:

1. **Flatten** und dichte Schicht: Den Würfel zu einem Vektor mit 7 · 7 · 32 = 1.568 Werten auslegen
   und dichte Schichten anschließen, zuletzt eine mit softmax. Das ist einfach, aber teuer: Im Netz des
   nächsten Kapitels hat die dichte Schicht mit 200 Neuronen allein 1.568 · 200 + 200 = 313.800
   Parameter – fast neun Zehntel des ganzen Netzes (im Rechner oben die Zeile »Dense(200, relu)«).
2. **Global Average Pooling**: Die letzte Faltung erzeugt genau so viele Kanäle, wie es Klassen gibt
   – hier zehn. Von jedem Kanal wird einfach der Mittelwert genommen, und die zehn Mittelwerte gehen
   direkt in die softmax-Funktion. Dieser Abschluss des Netzes hat *keine* Gewichte. In Keras heißt die Schicht
   `keras.layers.GlobalAveragePooling2D()`.
""")
conv.gap_vs_flatten_demo()
st.warning("""
**Was beim Mitteln verloren geht.** Eine Merkmalskarte sagt nicht nur *ob*, sondern auch *wo* ein
Filter angesprochen hat. Der Mittelwert über die ganze Karte behält nur das »ob«. Ob eine Ziffer links
oder rechts im Bild steht, ist für »welche Ziffer?« gleichgültig – das Mitteln schadet hier kaum. Soll
ein Netz dagegen sagen, *wo* im Bild eine Hausnummer steht, dann braucht es die Lage, und ein Abschluss,
der sie wegmittelt, ist die falsche Wahl.
""", icon=":material/warning:")

page.end(chapter)
