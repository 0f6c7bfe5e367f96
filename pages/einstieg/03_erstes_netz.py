"""Chapter 3: train a first network (keras_01) and learn to read what it shows."""
import streamlit as st

from tutorial import spec as S
from tutorial import ui
from tutorial.app import page


chapter = page.start(__file__)
KEY = chapter.key
st.markdown("""
In diesem Kapitel trainieren Sie Ihr erstes neuronales Netz. Den Code brauchen Sie dafür noch nicht zu
verstehen – er ist Thema von Kapitel 5. Achten Sie jetzt nur auf die Bilder und Kurven: Was sieht das
Netz, wie misst man seinen Fortschritt, und woran erkennt man, ob es gut ist?
""")

st.header("Die Daten: beschriftete Ziffern")
st.markdown("""
Grundlage ist **MNIST**, eine Sammlung handgeschriebener Ziffern, jede 28 × 28 Pixel groß in Graustufen.
Zu jedem Bild gehört eine **Beschriftung** (*label*): die Ziffer 0 bis 9, die darauf zu sehen ist.
Das Netz soll jedes Bild einer dieser zehn **Klassen** zuordnen. Dafür besitzt es interne Parameter
(Gewichte), die anfangs zufällig sind. Ihre passenden Werte findet das **Training**, indem es dem Netz
immer wieder Bilder zusammen mit der richtigen Antwort zeigt.

Hier die ersten 24 der **60.000 Trainingsziffern**, jeweils mit ihrer Beschriftung:
""")
train_images, train_labels = ui.mnist("train")
ui.show_digits(train_images[:24], train_labels[:24], caption="Trainingsziffern mit Beschriftung")

st.markdown("""
### Trainings- und Validierungsdaten

Wie gut ist ein trainiertes Netz? Es mit den Trainingsbildern zu prüfen, wäre geschummelt: Diese Bilder
hat es während des Trainings viele Male gesehen, bei ihnen glänzt es fast zwangsläufig – so wie eine
Prüfung wenig aussagt, deren Aufgaben man vorher auswendig gelernt hat. Aussagekräftig ist nur ein
zweiter beschrifteter Datensatz, den das Netz beim Lernen **nie** zu Gesicht bekommt. Er heißt
**Validierungsdatensatz** und besteht hier aus den **10.000 Testziffern** von MNIST. Die ersten 24:
""")
test_images, test_labels = ui.mnist("test")
ui.show_digits(test_images[:24], test_labels[:24], caption="Validierungsziffern mit Beschriftung")

st.markdown("""
### Batch und Epoche

Das Netz lernt nicht Bild für Bild, sondern in Portionen. Bei jedem Trainingsschritt bekommt es einen
**Batch** (Stapel) von 128 Ziffern, berechnet seine Antworten, vergleicht sie mit den Beschriftungen
und korrigiert seine Gewichte ein kleines Stück. Nach 60.000 ÷ 128 = **468 Schritten** hat es (fast)
jede Trainingsziffer einmal gesehen; diesen Durchgang nennt man eine **Epoche**. Das Training hier
läuft über 10 Epochen, also 4.680 Schritte. Danach wird jeweils mit den 10.000 Validierungsziffern
geprüft, wie gut das Netz auf unbekannten Bildern ist.
""")

st.header("Das Netz trainieren")
st.markdown("""
Das erste Modell ist so einfach wie möglich: eine einzige Schicht mit zehn Neuronen, eines pro Ziffer
(was genau darin passiert, erklärt Kapitel 4). Starten Sie das Training live mit **»Trainieren«** – auf
diesem Server dauert es nur Sekunden bis wenige Minuten – oder sehen Sie sich mit **»Fertiges Ergebnis
ansehen«** sofort einen bereits abgeschlossenen Lauf an. Unter »Code anzeigen« steht der Keras-Code,
der genau dieses Modell baut und trainiert.
""")
ui.run_panel(S.PRESETS["keras_01_mnist"], KEY, chapter=chapter.label)

st.markdown("""
### Die Kurven lesen

- **Rechts die Genauigkeit** (*accuracy*): der Anteil richtig erkannter Ziffern. Sie soll steigen.
- **Links der Verlust** (*loss*): eine Zahl, die ausdrückt, wie schlecht das Netz gerade liegt. Das
  Training hat genau ein Ziel – diese **Verlustfunktion** so klein wie möglich zu machen. Sinkt der
  Verlust sowohl auf den Trainings- als auch auf den Validierungsdaten, dann lernt das Netz.
- Die **x-Achse** zählt Epochen, also Durchgänge durch den gesamten Trainingsdatensatz.
- Die **dünne Linie** zeigt Trainingswerte, gemessen alle zehn Batches; die **dicke Linie mit Punkten**
  die Validierung nach jeder Epoche.
- Der **Zoom** vergrößert den interessanten Bereich: Verlust nahe 0, Genauigkeit nahe 100 %. Für die
  späteren, besseren Modelle werden Sie ihn brauchen.

### Die Vorhersagen lesen

Nach dem Training zeigt die App, wie das Netz Ziffern erkennt: zuerst 24 Ziffern, die aus Schriftarten
gesetzt wurden, dann 168 der Validierungsziffern. Unter jedem Bild steht die **vorhergesagte** Ziffer,
**rot**, wenn sie falsch ist. Die Fehler werden zuerst gezeigt. Dieses erste Modell erreicht etwa
**90 %** – für eine einzige Schicht nicht schlecht, aber es verkennt immer noch rund 1.000 der 10.000
Validierungsziffern. Das sind viel mehr, als angezeigt werden; deshalb ist im Raster fast alles rot.
""")
ui.preset_note("keras_01_mnist")

st.header("Tensoren und ihre Form")
st.markdown("""
Neuronale Netze rechnen mit mehrdimensionalen Zahlentabellen, den **Tensoren**. Die Liste ihrer
Abmessungen heißt **Form** (*shape*):

| Daten | Form |
|---|---|
| ein Graustufenbild, 28 × 28 Pixel | `[28, 28]` |
| ein Farbbild: drei Werte (Rot, Grün, Blau) pro Pixel | `[28, 28, 3]` |
| ein Batch aus 128 Farbbildern | `[128, 28, 28, 3]` |
| in dieser App: ein Batch aus 128 flach gelegten MNIST-Bildern | `[128, 784]` |

Die erste Dimension ist bei Keras fast immer die Batch-Dimension. In Tabellen wie `model.summary`
erscheint sie als `None`, weil die Batch-Größe beim Bau des Modells noch offen ist.
""")

page.end(chapter)
