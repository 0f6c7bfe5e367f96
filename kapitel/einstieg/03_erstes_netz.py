"""Chapter 3: train a first network (keras_01) and learn to read what it shows."""
import streamlit as st

from tutorial import presets
from tutorial.app import exercise, loader, page, views
from tutorial.app import quiz


chapter = page.start(__file__)
KEY = chapter.key
st.markdown("""
In diesem Kapitel trainieren Sie Ihr erstes neuronales Netz. Den Code brauchen Sie dafür noch nicht zu
verstehen – er ist Thema von Kapitel 5. Achten Sie jetzt nur auf die Bilder und Kurven: Was sieht das
Netz, wie misst man seinen Fortschritt, und woran erkennt man, ob es gut ist?
""")

st.header("Die Daten: Ziffern mit Label")
st.markdown("""
Grundlage ist **MNIST**, eine Sammlung handgeschriebener Ziffern, jede 28 × 28 Pixel groß in Graustufen.
Zu jedem Bild ist bekannt, welche Ziffer es zeigt – diese richtige Antwort heißt **Label** (auf Deutsch
auch Beschriftung). Jedes Bild gehört damit zu einer von zehn **Klassen**, den Ziffern 0 bis 9.

Ein frisches Netz ist ein Rechenwerk mit Tausenden Stellschrauben, den **Gewichten**, und die stehen
anfangs auf Zufallswerten – es rät also. **Training** heißt: dem Netz immer wieder Bilder vorlegen, seine
Antwort mit dem Label vergleichen und die Gewichte nach jedem Vergleich ein wenig nachstellen.

Hier die ersten 24 der **60.000 Trainingsziffern**, jeweils mit ihrem Label:
""")
train_images, train_labels = loader.mnist("train")
views.show_digits(train_images[:24], train_labels[:24], caption="Trainingsziffern mit Label")

st.markdown("""
### Drei Arten von Daten: Training, Validierung, Test

Eine Fahrschülerin, die nur die Strecke ihrer Übungsstunden kennt, kann dort perfekt fahren und in einer
fremden Stadt trotzdem scheitern. Einem Netz geht es genauso: Auf den Bildern, mit denen es geübt hat,
sieht es fast zwangsläufig gut aus – im Extremfall hat es sie sich einfach gemerkt. Ob es *Ziffern*
erkennt und nicht nur *diese* Bilder, zeigt sich erst an Bildern, die es beim Lernen nie bekommen hat.
Sauber gemacht, teilt man die Daten deshalb in drei Teile:

| Teil | Wozu | Wer sieht ihn? |
|---|---|---|
| **Trainingsdaten** | Aus ihnen lernt das Netz seine Gewichte. | das Netz, immer wieder |
| **Validierungsdaten** | Mit ihnen vergleichen *Sie* Varianten: mehr Schichten? andere Lernrate? | nur Sie – das Netz lernt nicht daraus |
| **Testdaten** | Ganz am Ende ein einziges Mal: die ehrliche Schlussnote. | niemand, bis alles entschieden ist |

Warum ein dritter Teil? Wer zwanzig Varianten ausprobiert und die behält, die auf den Validierungsdaten
am besten abschneidet, hat das Modell ein Stück weit an genau diese Daten angepasst – nicht über die
Gewichte, sondern über die eigene Auswahl. Die beste Validierungsgenauigkeit ist dann etwas zu
optimistisch. Nur Daten, die an keiner Entscheidung beteiligt waren, sagen, wie gut das Modell auf
wirklich neuen Ziffern ist.

**Offen gesagt.** Das Original dieses Kurses – und diese App, die ihm folgt – macht es sich einfacher.
MNIST besteht aus 60.000 Trainings- und **10.000 Testziffern**, und validiert wird direkt mit den
Testziffern. Die »Testgenauigkeit« eines fertigen Laufs ist deshalb dieselbe Zahl wie die
Validierungsgenauigkeit seiner letzten Epoche. Für einen Kurs ist das vertretbar, weil die Sprünge
zwischen den Modellen (rund 90 %, 97,6 %, 99,5 %) viel größer sind als der kleine Vorteil durch das
Auswählen. Wer ein Modell wirklich einsetzen will, zweigt vorher zum Beispiel 10.000 der 60.000
Trainingsziffern als Validierungsdaten ab und schaut die Testziffern erst ganz am Schluss an. Die ersten
24 Testziffern:
""")
test_images, test_labels = loader.mnist("test")
views.show_digits(test_images[:24], test_labels[:24], caption="Testziffern mit Label – in dieser App zugleich die Validierungsdaten")

st.markdown("""
### Batch und Epoche

Das Netz lernt nicht Bild für Bild, sondern in Portionen. Bei jedem Trainingsschritt bekommt es einen
**Batch** (einen Stapel) von 128 Ziffern, berechnet seine Antworten, vergleicht sie mit den Labels und
stellt seine Gewichte ein kleines Stück nach.

Wie viele Schritte braucht es, bis alle 60.000 Trainingsziffern einmal dran waren? 60.000 ÷ 128 = 468,75
– halbe Batches gibt es hier aber nicht. Der Code des Codelabs gibt Keras deshalb 60.000 ÷ 128 abgerundet vor, also
**468 Schritte**, und die decken 468 · 128 = 59.904 Ziffern ab. Die übrigen 96 gehen nicht verloren: Die
Trainingsziffern laufen als endloser, immer neu gemischter Strom durch, und der nächste Durchgang macht
einfach dort weiter. So ein Durchgang aus 468 Schritten heißt **Epoche** – »einmal (fast genau) alle
Trainingsziffern«. Das Training hier läuft über 10 Epochen, also 4.680 Schritte. Nach jeder Epoche misst
die App mit den 10.000 Testziffern, wie gut das Netz auf Bildern ist, die es nicht zum Lernen bekommt.
""")

quiz.questions(chapter, "batch_epoch")

st.header("Das Netz trainieren")
st.markdown("""
Das erste Modell ist so einfach wie möglich: eine einzige Schicht mit zehn Neuronen, eines pro Ziffer
(was genau darin passiert, erklärt Kapitel 4). Starten Sie das Training live mit **»Trainieren«** – auf
diesem Server dauert es etwa eine halbe Minute – oder sehen Sie sich mit **»Fertiges Ergebnis
ansehen«** sofort einen bereits abgeschlossenen Lauf an. Unter **»Code anzeigen«** steht der Programmtext
für **Keras** (den Baukasten für neuronale Netze, mit dem diese App arbeitet), der genau dieses Modell baut und trainiert –
lesen müssen Sie ihn jetzt noch nicht.
""")
exercise.panel(chapter, presets.PRESETS["keras_01_mnist"])

st.markdown("""
### Die Kurven lesen

Schauen Sie zuerst auf die beiden Diagramme Ihres Laufs (oder des fertigen Ergebnisses) und dann auf diese
Liste:

- *Rechts* die **Genauigkeit** (*accuracy*): der Anteil richtig erkannter Ziffern. Sie soll steigen –
  beim ersten Modell klettert sie in der ersten Epoche schnell und danach nur noch langsam.
- *Links* der **Verlust** (*loss*): eine Zahl, die ausdrückt, wie schlecht das Netz gerade liegt. Das
  Training hat genau ein Ziel – diese **Verlustfunktion** so klein wie möglich zu machen. Sinkt der
  Verlust sowohl auf den Trainings- als auch auf den Validierungsdaten, dann lernt das Netz.
- Die *x-Achse* zählt Epochen.
- Die *dünne Linie* zeigt die Trainingswerte, ein Punkt je zehn Schritte. Keras meldet nach einem Batch
  nicht dessen eigenen Wert, sondern den Mittelwert über alle Batches seit Beginn der laufenden Epoche;
  die App rechnet daraus den Mittelwert jedes Blocks aus zehn Schritten zurück. Die Linie zeigt also,
  wie gut das Netz in genau diesen Schritten war. Dass sie ein wenig zittert, ist kein Messfehler:
  Jeder Block enthält andere Ziffern.
- Die *dicke Linie mit Punkten* zeigt die Validierung, einmal am Ende jeder Epoche.
- **»Zoom der Kurven«** vergrößert den interessanten Bereich: Verlust nahe 0, Genauigkeit nahe 100 %. Für die
  späteren, besseren Modelle werden Sie ihn brauchen.

### Die Vorhersagen lesen

Nach dem Training zeigt die App, wie das Netz Ziffern erkennt: zuerst 24 Ziffern, die aus Schriftarten
gesetzt wurden, dann 168 der Testziffern. Unter jedem Bild steht die Ziffer, die das Netz *vorhersagt*,
*rot*, wenn sie falsch ist. Die Fehler kommen zuerst.
""")
if quiz.after_run(chapter):
    st.markdown("""
Dieses erste Modell erreicht etwa **90 %** – für eine einzige Schicht nicht schlecht, aber es verkennt
immer noch rund 1.000 der 10.000 Testziffern. Das sind viel mehr, als das Raster fasst; deshalb ist dort
alles rot.
""")
    loader.preset_note("keras_01_mnist")

st.header("Tensoren und ihre Form")
st.markdown("""
Neuronale Netze rechnen mit mehrdimensionalen Zahlentabellen, den **Tensoren**. Die Liste ihrer
Abmessungen heißt **Form** (*shape*). Ein paar Beispiele, vom einzelnen Bild bis zum Batch:

| Daten | Form |
|---|---|
| ein Graustufenbild, 28 × 28 Pixel | `[28, 28]` |
| ein Farbbild: drei Werte (Rot, Grün, Blau) pro Pixel | `[28, 28, 3]` |
| ein Batch aus 128 Farbbildern | `[128, 28, 28, 3]` |
| in dieser App: ein Batch aus 128 flach gelegten MNIST-Bildern | `[128, 784]` |

Die erste Dimension ist bei Keras fast immer die Batch-Dimension. In Tabellen wie `model.summary`
erscheint sie als `None`, weil die Batch-Größe beim Bau des Modells noch offen ist.
""")

quiz.questions(chapter, "shapes")

page.end(chapter)
