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
Mit abklingender Lernrate lernt das Netz aus Kapitel 8 ruhig und erreicht gut 98 %. Hilft eine weitere
Schicht? Stellen Sie das Modell auf vier dichte Schichten um – 200, 100 und 60 Neuronen, dann die
softmax-Schicht mit 10 – und setzen Sie den **»Zoom der Kurven«** auf 10×. Optimierer und Lernrate bleiben
wie am Ende von Kapitel 8: Adam, 0,01, Abklingen mit 0,6. Achten Sie nach dem Training weniger auf die
Genauigkeit als auf die *linke* Grafik.
""")

st.subheader("Übung: tiefer, dann mit Dropout")
st.markdown("""
1. Trainieren Sie mit drei Zwischenschichten (200, 100, 60) *ohne* **Dropout**.
2. Fügen Sie dann nach *jeder* Zwischenschicht Dropout mit der Rate **0,25** hinzu und trainieren Sie
   erneut. Was Dropout tut, steht weiter unten; nach der softmax-Schicht gibt es bewusst keinen Regler.
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

st.header("Hilft die zusätzliche Schicht?")
st.markdown("""
Bei der Genauigkeit kaum: Der fertige Lauf dieser App erkennt 98,23 % der Testziffern, das Netz mit
einer Schicht weniger aus Kapitel 8 98,15 % – ein Unterschied von acht Ziffern, so viel kann schon der
Zufall zwischen zwei Läufen ausmachen.

Aufschlussreicher ist der Verlust. Auf den Trainingsdaten fällt er Epoche für Epoche bis auf 0,005; das
Netz erkennt am Ende 99,9 % der Trainingsziffern, es kennt sie fast auswendig. Der **Validierungsverlust**
dagegen erreicht in der sechsten Epoche seinen Tiefpunkt (0,075) und steigt danach wieder leicht an, auf
0,079 nach zehn Epochen. Zwei Kurven, die sich trennen: Das Netz wird auf den Bildern, die es kennt,
immer besser, auf neuen nicht mehr.

Warum? Der Optimierer sieht nur die Trainingsdaten und kennt nur ein Ziel: deren Verlust. Sind die
allgemeinen Merkmale von Ziffern gelernt, kann er den Trainingsverlust nur noch senken, indem er sich
Eigenheiten einzelner Trainingsbilder einprägt – einen Tintenklecks hier, eine ungewöhnliche Schleife
dort. Auf neuen Bildern nützt das nichts oder schadet sogar. Dieses Auswendiglernen heißt
**Überanpassung** (*overfitting*).

**Warum steigt der Verlust, während die Genauigkeit bleibt?** Die Genauigkeit zählt nur, ob die
wahrscheinlichste Ziffer stimmt. Der Verlust misst zusätzlich, *wie sicher* das Netz ist. Ein Netz, das
sich zu eng an die Trainingsbilder anpasst, wird immer selbstsicherer – auch bei den knapp 2 % der
Testziffern, die es falsch liest. Gab es einer verkannten 4 zuerst noch 10 % für »4«, später nur noch
0,1 %, steigt deren Verlust von −log(0,1) ≈ 2,3 auf −log(0,001) ≈ 6,9. Die Genauigkeit ändert sich
dadurch nicht, denn falsch war die Antwort schon vorher. Ein steigender Validierungsverlust ist deshalb
ein Frühwarnzeichen: Er meldet sich, bevor die Genauigkeit leidet.

Die Grafik zeigt Trainings- und Validierungsverlust pro Epoche mit der Lücke dazwischen – für Ihren
letzten Lauf auf dieser Seite oder, solange es den nicht gibt, für den fertigen Lauf mit vier Schichten
ohne Dropout:
""")
deep.overfitting_gap(exercise.last_history(chapter))

quiz.questions(chapter, "after_gap")

st.header("Dropout")
st.markdown("""
Maßnahmen gegen Überanpassung heißen **Regularisierung**: Sie erschweren es dem Netz, sich Einzelheiten
der Trainingsdaten einzuprägen, und drängen es dazu, zu **verallgemeinern** – also Regeln zu lernen, die
auch auf neuen Bildern gelten. Eine der bekanntesten heißt **Dropout**. Bei jedem Trainingsschritt wird jedes Neuron einer
Schicht mit der Wahrscheinlichkeit *p* (meist 25 bis 50 %) vorübergehend abgeschaltet: Seine Ausgabe
wird auf 0 gesetzt. Keras lost dabei für jedes Bild des Batches einzeln aus. Für ein Bild, bei dem ein
Neuron abgeschaltet ist, trägt es nichts zum Verlust bei, und seine Gewichte lernen aus diesem Bild nichts.
Im nächsten Schritt wird neu ausgelost. Damit die Summe im Mittel gleich bleibt, skaliert Keras die
übrigen Ausgaben während des Trainings mit 1 / (1 − *p*) hoch.

Beim Prüfen und Vorhersagen arbeiten dagegen wieder *alle* Neuronen. Darum kümmert sich Keras
selbst: Eine Schicht `keras.layers.Dropout(0.25)` weiß, ob gerade trainiert oder ausgewertet wird.

**Warum hilft das?** Denken Sie an eine Fußballmannschaft, in der bei jedem Training zufällig ein
Viertel der Spieler fehlt. Niemand kann sich darauf verlassen, dass ein bestimmter Mitspieler seine
Fehler ausbügelt; jeder muss selbst brauchbar spielen. Im Netz ist es ähnlich: Neuronen, die nur im
Zusammenspiel mit ganz bestimmten anderen funktionieren, sind eine Form des Auswendiglernens. Dropout
macht solche Absprachen unzuverlässig und belohnt Merkmale, die auch allein etwas taugen.

**Wohin damit?** Hinter jede dichte Zwischenschicht. Niemals hinter die softmax-Schicht: Dort würde
Dropout einen Teil der vorhergesagten Wahrscheinlichkeiten einfach auf null setzen.
""")
deep.dropout_demo()
quiz.questions(chapter, "after_dropout")

st.header("Und – hat es geholfen?")
st.markdown("""
Die Symptome sind weg, das Ergebnis ist trotzdem schlechter. Im fertigen Lauf mit Dropout sinkt der
Validierungsverlust alle zehn Epochen lang und steigt nicht mehr an; die beiden Verlustkurven liegen dicht
beieinander. Aber: Er liegt in *jeder* Epoche über dem Wert ohne Dropout (am Ende 0,090 statt 0,079), und
von den Testziffern erkennt das Netz 97,74 % statt 98,23 %. Dass der Trainingsverlust mit 0,079 so viel
höher ist als ohne Dropout, liegt übrigens auch daran, dass Keras ihn *während* des Trainings misst, also
mit abgeschalteten Neuronen.

Dropout hat also die Lücke zwischen Training und Validierung geschlossen – aber von oben, nicht von unten.
Das Netz ist nicht klüger geworden, nur weniger auswendig. Der Engpass muss woanders liegen.
""")
loader.preset_note("ex_09_four_dense", "keras_03_mnist_dense_lrdecay_dropout")
st.markdown("""

### Drei Gründe, warum Training und Validierung auseinanderlaufen

Dieselben Kurven können verschiedene Ursachen haben, und nur gegen eine davon hilft Dropout.

1. **Freiheitsgrade** im Überfluss. Ein Schüler, der sich das Lösungsheft merken kann, braucht den
   Stoff nicht zu verstehen. Ein Netz mit sehr vielen Parametern kann sich ebenso Tausende
   Trainingsbilder einzeln einprägen. Hier setzen Regularisierungen wie Dropout an.
2. *Zu wenige Daten.* Zwanzig Beispielbilder lernt selbst ein kleines Netz auswendig; es gibt schlicht
   zu wenig, woraus sich eine Regel ableiten ließe. Dagegen helfen vor allem mehr Daten.
3. Eine unpassende **Architektur**. Manchmal kann ein Netz die nötige Information gar nicht sehen, egal
   wie groß es ist und wie gut man es regularisiert.

Bei unseren dichten Netzen ist es der dritte Grund. Ein Gedankenexperiment zeigt ihn: Mischen Sie die
784 Pixel jedes Bildes nach einem festen Plan durcheinander – Pixel 1 an Stelle 517, Pixel 2 an Stelle
33 und so weiter, bei allen Bildern gleich. Für Sie wären die Ziffern danach unlesbares Rauschen. Ein
dichtes Netz dagegen lernt genau so gut wie vorher, denn für es ist jedes Pixel nur ein Eintrag in einer
Liste; welche Pixel im Bild Nachbarn sind, hat es nie gewusst. Ziffern bestehen aber aus Strichen, Bögen
und Schleifen, also aus *benachbarten* Pixeln – eine Information, die ein dichtes Netz ungenutzt lässt.
Netze, die sie nutzen, heißen **Faltungsnetze**. Um sie geht es als Nächstes.
""")

page.end(chapter)
