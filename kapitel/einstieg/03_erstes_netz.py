"""Chapter 3: train a first network (keras_01) and learn to read what it shows."""
import streamlit as st

from collections import Counter

from tutorial import presets
from tutorial import price as P
from tutorial import spec as S
from tutorial.app import exercise, loader, page, views
from tutorial.app import quiz
from tutorial.app.result import VAL_DIGITS
from tutorial.fonts import FONT_DIGITS
from tutorial.deutsch import de, duration


chapter = page.start(__file__)
KEY = chapter.key
RUN = presets.PRESETS["keras_01_mnist"]
st.markdown("""
In diesem Kapitel trainieren Sie Ihr erstes neuronales Netz. Den Code brauchen Sie dafür noch nicht zu
verstehen – er ist Thema von Kapitel 5. Achten Sie jetzt nur auf die Bilder und Kurven: Was sieht das
Netz, wie misst man seinen Fortschritt, und woran erkennt man, ob es gut ist?
""")

st.header("Die Daten: Ziffern mit Label")
st.markdown(f"""
So sieht das Material aus, mit dem Ihr Netz gleich lernt – die ersten 24 der {de(S.TRAIN_SIZE)}
Trainingsziffern aus **MNIST**, jede ein Graustufenbild von 28 × 28 Pixeln:
""")
train_images, train_labels = loader.mnist("train")
views.show_digits(train_images[:24], train_labels[:24], caption="Trainingsziffern mit Label")
digit, times = Counter(int(d) for d in train_labels[:24]).most_common(1)[0]
st.markdown(f"""
Die {digit} kommt hier {times}-mal vor, und keine sieht aus wie die andere. Das Netz soll trotzdem jedes Mal
»{digit}« sagen. Die Zahl unter jedem Bild ist die richtige Antwort, das **Label**. Mögliche Antworten gibt
es zehn, die **Klassen** 0 bis 9.

Ein frisches Netz kennt keine dieser Antworten. Es ist ein Rechenwerk mit Tausenden Stellschrauben, den
**Gewichten**, die anfangs zufällig stehen; es rät also. **Training** heißt: Bilder vorlegen, die Antwort des
Netzes mit dem Label vergleichen, die Gewichte ein wenig nachstellen – und das viele tausend Mal.
""")

st.markdown("""
### Drei Arten von Daten: Training, Validierung, Test

Eine Fahrschülerin, die nur die Strecke ihrer Übungsstunden kennt, kann dort perfekt fahren und in einer
fremden Stadt trotzdem scheitern. Einem Netz geht es genauso: Auf den Bildern, mit denen es geübt hat,
sieht es fast zwangsläufig gut aus – im Extremfall hat es sie sich einfach gemerkt. Ob es *Ziffern*
erkennt und nicht nur *diese* Bilder, zeigt sich erst an Bildern, die es beim Lernen nie bekommen hat.
Wer sauber arbeitet, teilt die Daten deshalb in drei Teile:

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
Validierungsgenauigkeit seiner letzten Epoche. Für einen Kurs ist das vertretbar, weil die meisten Sprünge
zwischen den Modellen dieses Kurses viel größer sind als der kleine Vorteil durch das Auswählen. Manche
Schritte – die zusätzliche Schicht in Kapitel 9 und die Faltungsnetze am Ende – trennen bloß ein, zwei Zehntel
Prozentpunkte; so viel kann schon ein anderer Zufallsstart ausmachen. Wer ein Modell wirklich einsetzen will, zweigt vorher zum Beispiel 10.000 der 60.000
Trainingsziffern als Validierungsdaten ab und schaut die Testziffern erst ganz am Schluss an. Die ersten
24 Testziffern:
""")
test_images, test_labels = loader.mnist("test")
views.show_digits(test_images[:24], test_labels[:24], caption="Testziffern mit Label – in dieser App zugleich die Validierungsdaten")

B, N, STEPS = RUN.batch_size, S.TRAIN_SIZE, RUN.steps_per_epoch
st.markdown(f"""
### Batch und Epoche

Das Netz lernt nicht Bild für Bild, sondern in Portionen. Bei jedem Trainingsschritt bekommt es einen
**Batch** (einen Stapel) von {B} Ziffern, berechnet seine Antworten, vergleicht sie mit den Labels und
stellt seine Gewichte ein kleines Stück nach.

Wie viele Schritte braucht es, bis alle {de(N)} Trainingsziffern einmal dran waren? {de(N)} ÷ {B} =
{de(N / B, 2)} – halbe Batches gibt es hier aber nicht. Der Code des Codelabs gibt Keras deshalb
{de(N)} ÷ {B} abgerundet vor, also **{de(STEPS)} Schritte**, und die decken {de(STEPS)} · {B} =
{de(STEPS * B)} Ziffern ab. Die übrigen {de(N - STEPS * B)} gehen nicht verloren: Die Trainingsziffern
laufen als endloser, immer neu gemischter Strom durch, und der nächste Durchgang macht einfach dort weiter.
So ein Durchgang aus {de(STEPS)} Schritten heißt **Epoche** – »einmal (fast genau) alle Trainingsziffern«.
Das Training hier läuft über {RUN.epochs} Epochen, also {de(STEPS * RUN.epochs)} Schritte. Nach jeder Epoche
misst die App mit den {de(S.TEST_SIZE)} Testziffern, wie gut das Netz auf Bildern ist, die es nicht zum
Lernen bekommt.
""")

quiz.questions(chapter, "batch_epoch")

st.header("Das Netz trainieren")
st.markdown(f"""
Das erste Modell ist so einfach wie möglich: eine einzige Schicht mit zehn Neuronen, eines pro Ziffer
(was genau darin passiert, erklärt Kapitel 4). Starten Sie das Training live mit **»Trainieren«** – auf
einem freien Server dauert es etwa {duration(P.price(RUN).seconds)} – oder sehen Sie sich mit **»Fertiges
Ergebnis ansehen«** sofort einen bereits abgeschlossenen Lauf an. Unter **»Code anzeigen«** steht der Programmtext
für **Keras** (den Baukasten für neuronale Netze, mit dem diese App arbeitet), der genau dieses Modell baut und trainiert –
lesen müssen Sie ihn jetzt noch nicht.
""")
exercise.panel(chapter, presets.PRESETS["keras_01_mnist"])

st.markdown(f"""
### Die Kurven lesen

Legen Sie Ihren Lauf (oder das fertige Ergebnis) neben diese Liste und suchen Sie jedes Stück im Bild:

- Zwei Farben, zwei Datenquellen: *orange* die Trainingsziffern, *blau* die Testziffern, auf denen die App
  misst (das heißt **Validierung**). Die *x-Achse* zählt Epochen.
- Die blaue Linie hat einen Punkt pro Epoche: ihre Messung am Ende der Epoche. Die dünne orange Linie hat
  einen Punkt je zehn Schritte und zeigt, wie gut das Netz in genau diesen zehn Schritten war. (Keras meldet
  nach jedem Batch den Mittelwert seit Beginn der Epoche; die App rechnet daraus die Werte jeder Gruppe von
  zehn Schritten zurück.) Sie zittert, weil jede Gruppe andere Ziffern enthält – kein Messfehler.
- *Rechts* die **Genauigkeit** (*accuracy*), der Anteil richtig erkannter Ziffern. Wann steigt sie am
  schnellsten – gleich am Anfang oder gegen Ende?
- *Links* der **Verlust** (*loss*): eine Zahl dafür, wie weit die Antworten des Netzes im Mittel
  danebenliegen. Das Training versucht, genau diese Zahl klein zu machen (nicht etwa die Genauigkeit groß);
  die Formel, die sie berechnet, heißt **Verlustfunktion** (Kapitel 4 stellt sie vor). Fällt die blaue Linie zusammen mit der
  orangen, gilt das Gelernte auch für Ziffern, die das Netz nie zum Lernen bekommen hat.
- **»Zoom der Kurven«** rückt den Bereich nahe Verlust 0 und Genauigkeit 100 % heran; für die späteren,
  besseren Modelle werden Sie ihn brauchen.

### Die Vorhersagen lesen

Unter den Kurven steht, was das fertige Netz antwortet: zuerst für {FONT_DIGITS} Ziffern, die aus Schriftarten
gesetzt wurden, dann für {VAL_DIGITS} der Testziffern. Unter jedem Bild steht die Antwort des Netzes, *rot*,
wenn sie falsch ist; die Fehler stehen vorn.
""")
if quiz.after_run(chapter):
    finished = loader.preset_result("keras_01_mnist")
    if finished is not None:
        st.markdown(f"""
Sieht das Raster der Testziffern ganz rot aus? Das liegt am Sortieren: Die Fehler stehen vorn, und dieses
Netz macht mehr davon, als die {VAL_DIGITS} Plätze fassen – im fertigen Lauf sind es
{de(finished["errors"])} der {de(S.TEST_SIZE)} Testziffern. Vergleichen Sie das mit Ihrer Vermutung und
mit Ihrem eigenen Lauf. Für eine einzige Schicht ist das ordentlich; wie man die Fehler verringert, zeigen die
nächsten Kapitel.
""")
    loader.preset_note("keras_01_mnist")

st.header("Tensoren und ihre Form")
st.markdown(f"""
Öffnen Sie unter Ihrem Lauf die Modellübersicht: In der Spalte »Ausgabeform« steht etwa `(None, 10)`. Das
ist eine **Form** (*shape*): die Liste der Abmessungen einer Zahlentabelle. Solche Tabellen mit beliebig
vielen Abmessungen heißen **Tensoren**. Die Daten dieses Kapitels in Tensoren:

| Daten | Form |
|---|---|
| eine MNIST-Ziffer, wie sie gespeichert ist | `[28, 28]` |
| dieselbe Ziffer flach gelegt, so wie sie in Ihr Netz geht | `[784]` |
| ein Batch aus {B} flach gelegten Ziffern | `[{B}, 784]` |
| die Antworten des Netzes auf diesen Batch: zehn Zahlen pro Ziffer | `[{B}, 10]` |
| ab Kapitel 11: derselbe Batch, im Faltungsnetz wieder als Bilder (ein Kanal: Graustufen) | `[{B}, 28, 28, 1]` |

Die erste Abmessung ist bei Keras fast immer die des Batches. In der Modellübersicht steht dort `None`,
weil das Modell Batches jeder Größe annimmt.
""")

quiz.questions(chapter, "shapes")

page.end(chapter)
