"""Chapter 10: convolutional networks in a nutshell – convolution in numpy, no TensorFlow."""
import streamlit as st

from tutorial import explain
from tutorial import spec as S
from tutorial.app import page

chapter = page.start(__file__)
st.markdown("""
Bisher hat jedes Netz das Bild zuerst zu einer langen Reihe aus 784 Zahlen plattgedrückt. Dabei
geht verloren, welche Pixel nebeneinander liegen – dabei besteht eine Ziffer gerade aus Strichen,
Bögen und Ecken, also aus *benachbarten* Pixeln. **Faltungsnetze** (*convolutional neural
networks*) arbeiten direkt auf dem Bild und nutzen diese Nachbarschaft. Dieses Kapitel erklärt die
Bausteine; im nächsten bauen Sie damit ein Netz, das die 99 % knackt.
""")

st.info("""
**Die Seite im Überblick.** Eine **Faltungsschicht** schiebt kleine lernbare **Filter** über das Bild.
Drei Zahlen beschreiben sie: wie groß ein Filter ist (sein **Kern**, englisch *kernel*, etwa 3 × 3),
wie viele Filter es gibt und um wie viele Pixel sie jeweils weiterrücken (die **Schrittweite**). Was
hinein- und herausgeht, ist jeweils ein Block aus Höhe × Breite × **Kanälen**: am Anfang die
Graustufe, danach ein Kanal pro Filter. Die Filterzahl bestimmt also, wie tief der Block wird;
Schrittweite 2 oder **Max-Pooling** machen ihn flacher in Höhe und Breite.
""", icon=":material/school:")

st.header("Ein Filter gleitet über das Bild")
st.markdown("""
Ein Neuron einer Faltungsschicht schaut nicht auf das ganze Bild, sondern nur auf ein kleines
Fenster, etwa 3 × 3 Pixel. Davon bildet es – wie jedes Neuron – eine gewichtete Summe, addiert einen
Bias und schickt das Ergebnis durch die Aktivierung. Der Unterschied zur dichten Schicht: Dieselben
neun Gewichte werden an *jeder* Stelle des Bildes wiederverwendet. Das Fenster gleitet Zeile für
Zeile und Spalte für Spalte über das Bild, und an jeder Position entsteht ein Ausgabewert. Diese
Operation heißt **Faltung** (*convolution*), die kleine Gewichtsmatrix **Filter**; ihre Größe, hier
3 × 3, heißt **Kern** (*kernel*).

Weil alle Positionen dieselben Gewichte teilen (*shared weights*), braucht ein Filter nur sehr wenige
Parameter – und er erkennt ein Muster überall im Bild, egal ob eine senkrechte Kante links oder
rechts sitzt. Das Ergebnis ist selbst wieder ein Bild, eine **Merkmalskarte** (*feature map*): Ihre
Werte sind dort groß, wo das Muster des Filters gut passt.

Probieren Sie es mit einer echten Testziffer. Die Filter unten sind klassische Bildverarbeitungs-
Filter von Hand; ein Faltungsnetz lernt seine Filter dagegen selbst. Mit »Eigener 3×3-Filter«
können Sie die neun Gewichte in der Tabelle selbst eintragen.
""")
explain.convolution_demo()

st.subheader("Rand: padding »same« oder »valid«")
st.markdown("""
Am Bildrand ragt das Fenster über das Bild hinaus. Es gibt zwei übliche Antworten:

- **`padding="valid"`**: Das Fenster bleibt ganz im Bild. Die Ausgabe wird dadurch etwas kleiner –
  bei 28 Pixeln und einem 3 × 3-Filter 26 × 26.
- **`padding="same"`**: Das Bild wird ringsum mit Nullen aufgefüllt, sodass bei Schrittweite 1 die
  Ausgabe genauso groß ist wie die Eingabe. Ist die nötige Auffüllung ungerade, legen TensorFlow und
  Keras das zusätzliche Pixel unten bzw. rechts an.
""")

st.header("Mehrere Filter, mehrere Kanäle")
st.markdown("""
Ein einziger Filter mit neun Gewichten kann nur ein Muster erkennen – viel zu wenig Freiheit. Also
nimmt man mehrere Filter, jeder mit eigenen Gewichten, und legt ihre Merkmalskarten übereinander.
In Anlehnung an die Rot-, Grün- und Blau-Kanäle eines Farbbilds heißen diese Lagen **Kanäle**
(*channels*) der Ausgabe.

Hat die Eingabe selbst mehrere Kanäle, reicht jeder Filter durch alle hindurch: Ein 4 × 4-Filter auf
einem RGB-Bild hat 4 · 4 · 3 = 48 Gewichte. Alle Filter einer Schicht zusammen bilden einen
**Gewichtstensor** mit vier Dimensionen:

    [Filterhöhe, Filterbreite, Eingangskanäle, Ausgangskanäle]

Eine Schicht mit zwölf 3 × 3-Filtern auf einem Graustufenbild hat also einen Gewichtstensor der Form
[3, 3, 1, 12] – 108 Gewichte und 12 Biases. Weil Ein- und Ausgangskanäle frei wählbar sind, lassen
sich Faltungsschichten beliebig stapeln: Jede verwandelt einen »Datenwürfel« (Höhe × Breite ×
Kanäle) in den nächsten.
""")

st.header("Kleiner werden: Schrittweite und Max-Pooling")
st.markdown("""
Von Schicht zu Schicht möchte man meist weniger, aber dafür aussagekräftigere Werte. Höhe und
Breite eines Datenwürfels lassen sich auf zwei Arten verkleinern:

- *Faltung mit Schrittweite* (*strided convolution*): Das Fenster springt nicht um ein, sondern um
  zwei (oder drei) Pixel weiter. Mit Schrittweite 2 halbieren sich Höhe und Breite – stellen Sie oben
  einmal »2« ein.
- **Max-Pooling**: Ein Fenster von 2 × 2 Werten wird in Zweierschritten über die Merkmalskarte
  geschoben, und von jedem Fenster bleibt nur der größte Wert übrig. Auch das halbiert Höhe und
  Breite, ganz ohne Gewichte.

Max-Pooling lässt sich anschaulich deuten: Wenn die Filter gelernt haben, Grundformen wie Kanten
oder Bögen zu erkennen, dann behält Pooling von jeder kleinen Gegend nur die Stelle, an der die Form
am deutlichsten gefunden wurde – die wichtigste Information bleibt, der Rest fällt weg. Im
Experiment oben sehen Sie das in der letzten Grafik: Der Strich der Ziffer ist nach dem Pooling
gröber, aber noch gut zu erkennen.
""")

st.subheader("Ein Faltungsnetz in Keras")
st.markdown("""
So sieht ein einfaches Faltungsnetz für MNIST aus. `Reshape` macht aus den 784 Eingabewerten wieder
ein Bild mit 28 × 28 Pixeln und einem Kanal; dann folgen drei Faltungsschichten, die zweite und dritte
mit Schrittweite 2 (28 → 14 → 7); `Flatten` legt den letzten Datenwürfel wieder flach für die
softmax-Schicht.
""")
example = S.RunSpec(layers=(S.Reshape(), S.Conv2D(12, 3, 1), S.Conv2D(24, 6, 2), S.Conv2D(32, 6, 2),
                            S.Flatten(), S.Dense(10, "softmax")))
st.code(example.model_code().split("\n\nmodel.compile")[0], language="python")
st.markdown("""
Mit dem Rechner können Sie nachprüfen, welche Form jede Schicht ausgibt und wie viele Parameter sie
hat – dieselben Zahlen, die `model.summary()` in Keras anzeigen würde. Ändern Sie Filterzahl, Kern
und Schrittweite und beobachten Sie, wo die meisten Parameter stecken.
""")
explain.conv_calculator()

st.header("Die letzte Schicht")
st.markdown("""
Nach der letzten Faltung liegen die Daten als Würfel vor, zum Beispiel 7 × 7 × 32. Für die zehn
Ziffern braucht man aber zehn Zahlen. Zwei Wege führen dorthin:

1. **Flatten** und dichte Schicht: Den Würfel zu einem Vektor flachdrücken und eine dichte Schicht (mit
   softmax) anschließen, eventuell mit einer weiteren dichten Schicht davor. Das kostet viele
   Gewichte – eine dichte Schicht am Ende eines Faltungsnetzes enthält oft mehr als die Hälfte aller
   Parameter des ganzen Netzes (im Rechner oben: die Zeile »Dense(200, relu)«).
2. **Global Average Pooling**: Die letzte Faltung erzeugt genau so viele Kanäle, wie es Klassen gibt
   – hier zehn. Von jedem Kanal wird einfach der Mittelwert genommen, und die zehn Mittelwerte gehen
   direkt ins softmax. Dieser Kopf hat *keine* Gewichte. In Keras heißt die Schicht
   `keras.layers.GlobalAveragePooling2D()`.
""")
explain.gap_vs_flatten_demo()
st.warning("""
**Vorsicht, Ortsinformation.** Ein Filter, der stark anspricht, tut das an einer bestimmten Stelle
im Bild. Global Average Pooling mittelt über alle Stellen und wirft damit jede Angabe darüber weg,
*wo* etwas gefunden wurde. Für die Frage »welche Ziffer ist das?« ist das meist in Ordnung; für
Aufgaben wie »wie viele Objekte sind im Bild und wo?« kann genau diese Information fehlen.
""", icon=":material/warning:")

page.end(chapter)
