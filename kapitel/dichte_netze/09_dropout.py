"""Chapter 9: a deeper dense network, overfitting, dropout, and why it disappoints here."""
import streamlit as st

from tutorial.app.explain import deep
from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state
from tutorial.app import quiz

DEFAULT_UNITS = (200, 100, 60, 30)
UNIT_CHOICES = [10, 20, 30, 60, 100, 200, 300, 400, 784]
RATES = [0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_hidden": 3, **{f"{KEY}_units_{i}": u for i, u in enumerate((200, 100, 60))},
            **{f"{KEY}_dropout_{i}": 0.25 for i in range(3)}}

st.markdown("""
Mit zwei Zwischenschichten und Lernratenabfall hat das Netz in Kapitel 8 gut 98 % der Testziffern erkannt.
Auf dieser Seite trainieren Sie zweimal mit denselben Reglern und vergleichen die Verlustkurven: erst mit
einer Schicht *mehr*, dann mit Neuronen, die beim Training per Zufall *fehlen* – das heißt **Dropout**.
""")

st.subheader("Übung: tiefer, dann mit Dropout")
st.markdown("""
1. **Lauf 1, eine Schicht mehr.** Drei Zwischenschichten mit 200, 100 und 60 Neuronen, überall »Dropout
   danach« auf 0 % – so stehen die Regler schon. Stellen Sie den »Zoom der Kurven« auf 10×, damit die kleinen Verluste am Ende noch
   zu unterscheiden sind. Optimierer und Lernrate stehen fest wie am Ende von Kapitel 8: Adam mit 0,01,
   die Lernrate sinkt pro Epoche auf das 0,6-Fache.
2. **Lauf 2, mit Dropout.** Stellen Sie unter jeder der drei Schichten »Dropout danach« auf 25 % und
   trainieren Sie noch einmal. Was dieser Regler im Netz tut, können Sie weiter unten im Abschnitt
   »Dropout zum Anfassen« ausprobieren, auch schon vor dem ersten Lauf.

Schauen Sie nach jedem Lauf weniger auf die Genauigkeit als auf die *linke* Grafik, den Verlust.
""")
count = st.slider("Anzahl der Zwischenschichten", min_value=1, max_value=4,
                  key=state.keep(f"{KEY}_hidden", 3, range(1, 4 + 1)))
layers = []
columns = st.columns(4)
for i in range(count):
    with columns[i]:
        st.markdown(f"**Schicht {i + 1}**")
        units = st.select_slider("Neuronen", UNIT_CHOICES, key=state.keep(f"{KEY}_units_{i}", DEFAULT_UNITS[i], UNIT_CHOICES))
        rate = st.select_slider("Dropout danach", RATES, key=state.keep(f"{KEY}_dropout_{i}", 0.0, RATES),
                                format_func=lambda r: f"{round(100 * r)} %")
    layers.append(L.Dense(int(units), "relu"))
    if rate > 0:
        layers.append(L.Dropout(float(rate)))
spec = S.RunSpec(layers=(*layers, L.Dense(10, "softmax")), optimizer="adam", learning_rate=0.01, lr_decay=0.6)
exercise.panel(chapter, spec, apply_solution=SOLUTION,
            zoom=10, solution_text="Die Lösung entspricht dem Notizbuch `keras_03_mnist_dense_lrdecay_dropout.ipynb`.")

st.header("Was die Verlustkurven zeigen")
if quiz.after_run(chapter):
    st.markdown("""
Die Grafik legt beide Verlustkurven Ihres letzten Laufs auf dieser Seite übereinander, in denselben Farben
wie die Kurven der Übung: orange das Training, blau die Validierung. Rot gefüllt ist die Lücke dazwischen.
Gibt es noch keinen eigenen Lauf, wählen Sie einen fertigen.
""")
    deep.overfitting_gap(exercise.last_history(chapter))
    st.markdown("""
**Lauf 1, abgelesen.** (Die Zahlen stammen aus dem fertigen Lauf mit drei Zwischenschichten ohne Dropout;
ein eigener Lauf über zehn Epochen mit allen Trainingsziffern kommt nahe daran.) Die orange Linie sinkt
bis zur letzten Epoche auf 0,005, am Ende liest das Netz 99,9 % der Trainingsziffern richtig. Die blaue
Linie, der **Validierungsverlust**, erreicht ihren tiefsten Punkt schon in Epoche 6 (0,075) und klettert
danach wieder, bis 0,079 nach zehn Epochen. Ab der zweiten Epoche wird die rote Fläche von Epoche zu
Epoche breiter.

Und die Genauigkeit? 98,23 % der Testziffern, mit einer Schicht weniger in Kapitel 8 waren es 98,15 % –
acht Ziffern Unterschied, so viel kann schon der Zufall zwischen zwei Läufen ausmachen. Die zusätzliche
Schicht hat also vor allem das *Training* verbessert, nicht das Erkennen neuer Ziffern.

Das hat einen einfachen Grund: Jeder Schritt bergab richtet sich allein nach dem Verlust auf den
60.000 Trainingsziffern; die 10.000 Testziffern dienen nur zum Messen. Hat das Netz gelernt, woran man
eine 3 oder eine 7 allgemein erkennt, kann es den Trainingsverlust nur noch drücken, indem es sich Eigenheiten einzelner
Trainingsbilder einprägt – einen Tintenklecks hier, eine ungewöhnliche Schleife dort. Auf neuen Bildern
nützt das nichts oder schadet sogar. Dieses Auswendiglernen heißt **Überanpassung** (*overfitting*).
""")
    if page.deeper("ch09_loss_vs_accuracy", "Verlust steigt, Genauigkeit bleibt – wie passt das zusammen?"):
        st.markdown("""
Die Genauigkeit zählt nur, ob die wahrscheinlichste Ziffer stimmt. Der Verlust misst zusätzlich, *wie
sicher* das Netz ist. Ein Netz, das sich zu eng an die Trainingsbilder anpasst, wird immer selbstsicherer –
auch bei den knapp 2 % der Testziffern, die es falsch liest. Gab das Netz einer verkannten 4 zuerst noch 10 %
für »4«, später nur noch 0,1 %, steigt deren Verlust von −log(0,1) ≈ 2,3 auf −log(0,001) ≈ 6,9. Die
Genauigkeit ändert sich dadurch nicht, denn falsch war die Antwort schon vorher. Ein steigender
Validierungsverlust ist deshalb ein Frühwarnzeichen: Er meldet sich, bevor die Genauigkeit leidet.
""")
    quiz.questions(chapter, "after_gap")

st.header("Dropout zum Anfassen")
st.markdown("""
Jeder Regler »Dropout danach« der Übung setzt hinter seine Schicht eine Dropout-Schicht. Das Experiment
zeigt, was sie mit zehn Neuronen macht: Wählen Sie eine Rate *p* und klicken Sie ein paarmal auf
»Neu würfeln« – jeder Klick ist ein neuer Trainingsschritt.
""")
deep.dropout_demo()
st.markdown("""
**Was Sie sehen.** In jedem Schritt trifft es andere Neuronen (ein rotes ✕ statt einer Säule). Diese geben in diesem
Schritt 0 aus, tragen also nichts zum Ergebnis bei, und ihre Gewichte werden für dieses Bild nicht korrigiert.
Die übrigen (orange) zählen dafür stärker, mit dem Faktor 1 / (1 − *p*), bei *p* = 0,25 also um ein Drittel
mehr – so bleibt die Summe im Mittel gleich (die Bildunterschrift nennt das Mittel über 2.000 Würfe). Keras lost das für jedes
Bild eines Batches einzeln aus. Die unterste Reihe zeigt die Auswertung: Für die Validierung nach jeder
Epoche und für Vorhersagen arbeiten alle Neuronen, ohne Faktor. Umschalten müssen Sie nichts; eine
Schicht `keras.layers.Dropout(0.25)` weiß, ob gerade trainiert oder ausgewertet wird.

**Welche Rate?** Die Übung nimmt 0,25, das Faltungsnetz in Kapitel 12 nimmt 0,4; gängig sind Werte
zwischen 0,2 und 0,5. Je höher die Rate, desto stärker wird das Netz beim Training behindert.

**Warum soll ein behindertes Netz besser werden?** Denken Sie an eine Fußballmannschaft, in der bei
jedem Training zufällig ein Viertel der Spieler fehlt. Niemand kann sich darauf verlassen, dass ein
bestimmter Mitspieler seine Fehler ausbügelt; jeder muss selbst brauchbar spielen. Im Netz ist es ähnlich:
Neuronen, die nur im Zusammenspiel mit ganz bestimmten anderen funktionieren, sind eine Form des
Auswendiglernens. Dropout macht solche Absprachen unzuverlässig und belohnt Merkmale, die auch allein
etwas taugen. Solche Bremsen gegen das Auswendiglernen heißen **Regularisierung**; sie bringen das Netz dazu,
zu **verallgemeinern**, also Regeln zu lernen, die auch auf neuen Bildern gelten.

Darum hat die Übung hinter der softmax-Schicht keinen Dropout-Regler: Dort würde Dropout nicht
Zwischenergebnisse, sondern die vorhergesagten Wahrscheinlichkeiten selbst auf null setzen.
""")
if quiz.after_guess(chapter):     # the answers quote run 1's finished losses
    quiz.questions(chapter, "after_dropout")

st.header("Lauf 2: Hat Dropout geholfen?")
if quiz.after_run(chapter):
    st.markdown("""
Nach Ihrem zweiten Lauf zeigt die Grafik oben den Lauf mit Dropout. Im fertigen Lauf mit 25 % Dropout
hinter jeder Zwischenschicht sieht es so aus:

- Die orange Linie bleibt diesmal oben und endet bei 0,079 statt bei 0,005. Ein Teil davon liegt an der
  Messung: Keras misst den Trainingsverlust *während* des Trainings, also mit abgeschalteten Neuronen.
- Die blaue Linie sinkt alle zehn Epochen lang und steigt nicht mehr an. Ab der fünften Epoche liegen
  die orange und die blaue Linie dicht beieinander; am Ende trennt sie 0,0104 statt 0,0745 ohne Dropout
  (in der Grafik oben »Lücke zuletzt«).
- Aber die blaue Linie liegt in *jeder* Epoche höher als ohne Dropout, am Ende bei 0,090 statt 0,079.
  Von den Testziffern erkennt das Netz 97,74 % statt 98,23 %.

Dropout hat die Lücke geschlossen – aber von oben, nicht von unten. Das Netz ist nicht klüger geworden,
es lernt nur weniger auswendig. Der Engpass muss woanders liegen.
""")
    loader.preset_note("ex_09_four_dense", "keras_03_mnist_dense_lrdecay_dropout")

st.subheader("Was einem dichten Netz fehlt")
st.markdown("""
Ein Gedankenexperiment: Mischen Sie die 784 Pixel jedes Bildes nach einem festen Plan durcheinander –
Pixel 1 an Stelle 517, Pixel 2 an Stelle 33 und so weiter, bei allen Bildern gleich. Für Sie wären die
Ziffern danach unlesbares Rauschen. Ein dichtes Netz dagegen lernt genauso gut wie vorher, denn für das Netz ist
jedes Pixel nur ein Eintrag in einer Liste; welche Pixel im Bild Nachbarn sind, hat es nie gewusst. Ziffern
bestehen aber aus Strichen, Bögen und Schleifen, also aus *benachbarten* Pixeln.

Wird ein Netz auf neuen Bildern nicht mehr besser, kann das verschiedene Ursachen haben, und jede verlangt
eine andere Abhilfe:

- Die **Architektur** passt nicht zur Aufgabe: Das Netz kann die nötige Information gar nicht sehen, wie
  das dichte Netz die Nachbarschaft der Pixel. Dagegen hilft nur ein anderer Aufbau – das ist unser Fall.
- Das Netz hat viel mehr **Freiheitsgrade**, als die Aufgabe braucht: Wie ein Schüler, der sich das
  Lösungsheft merken kann und den Stoff deshalb nicht verstehen muss, prägt es sich Tausende
  Trainingsbilder einzeln ein. Dagegen hilft Regularisierung wie Dropout.
- Es gibt zu wenige Daten: Zwanzig Beispielbilder lernt selbst ein kleines Netz auswendig. Dagegen helfen
  vor allem mehr Daten.

Netze, die die Nachbarschaft der Pixel nutzen, heißen **Faltungsnetze**. Um sie geht es als Nächstes.
""")

page.end(chapter)
