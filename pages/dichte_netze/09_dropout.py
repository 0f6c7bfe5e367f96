"""Chapter 9: a deeper dense network, overfitting, dropout, and why it disappoints here."""
import streamlit as st

from tutorial import explain
from tutorial import spec as S
from tutorial import ui
from tutorial.app import page

DEFAULT_UNITS = (200, 100, 60, 30)
UNIT_CHOICES = [10, 20, 30, 60, 100, 200, 300, 400, 784]
RATES = [0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5]
chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_hidden": 3, **{f"{KEY}_units_{i}": u for i, u in enumerate((200, 100, 60))},
            **{f"{KEY}_dropout_{i}": 0.25 for i in range(3)}}

st.markdown("""
Das Netz konvergiert jetzt sauber. Also noch tiefer? Stellen Sie das Modell auf **vier dichte Schichten**
um – 200, 100 und 60 Neuronen, dann die softmax-Schicht mit 10 – und setzen Sie den **Zoom auf 10**.
Optimierer und Lernrate bleiben wie am Ende von Kapitel 8: Adam, 0,01, Abklingen mit 0,6.
""")

st.subheader("Übung: tiefer, dann mit Dropout")
st.markdown("""
1. Trainieren Sie mit drei Zwischenschichten (200, 100, 60) **ohne Dropout**.
2. Fügen Sie dann nach **jeder Zwischenschicht** Dropout mit der Rate **0,25** hinzu und trainieren Sie
   erneut. (Nach der softmax-Schicht gibt es hier bewusst keinen Regler – warum, steht unten.)
""")
count = st.slider("Anzahl der Zwischenschichten", min_value=1, max_value=4, key=ui.state(f"{KEY}_hidden", 3))
layers = []
columns = st.columns(4)
for i in range(count):
    with columns[i]:
        st.markdown(f"**Schicht {i + 1}**")
        units = st.select_slider("Neuronen", UNIT_CHOICES, key=ui.state(f"{KEY}_units_{i}", DEFAULT_UNITS[i]))
        rate = st.select_slider("Dropout danach", RATES, key=ui.state(f"{KEY}_dropout_{i}", 0.0),
                                format_func=lambda r: f"{round(100 * r)} %")
    layers.append(S.Dense(int(units), "relu"))
    if rate > 0:
        layers.append(S.Dropout(float(rate)))
spec = S.RunSpec(layers=(*layers, S.Dense(10, "softmax")), optimizer="adam", learning_rate=0.01, lr_decay=0.6)
ui.exercise(spec, "keras_03_mnist_dense_lrdecay_dropout", KEY, apply_solution=SOLUTION, chapter=chapter.label,
            zoom=10, solution_text="Die Lösung entspricht dem Notizbuch `keras_03_mnist_dense_lrdecay_dropout.ipynb`.")

st.header("Hilft die zusätzliche Schicht?")
st.markdown("""
Kaum. Die Genauigkeit bleibt bei etwa 98 %. Und der **Validierungsverlust** hört nach einigen Epochen
auf zu sinken und **steigt sogar wieder**, während der Trainingsverlust weiter fällt.

Das ist weniger rätselhaft, als es aussieht: Der Optimierer bekommt ausschließlich Trainingsdaten zu
sehen und drückt nur deren Verlust nach unten. Die Validierungsdaten kennt er nicht. Irgendwann passt
er das Netz an Eigenheiten der Trainingsbilder an, die auf neuen Bildern nichts nützen – dann trennen
sich die beiden Kurven. Die Erkennungsleistung leidet darunter nicht sofort, aber weiteres Training
bringt nichts mehr. Dieses Auseinanderlaufen nennt man **Überanpassung** (*overfitting*).

Die Grafik zeigt Trainings- und Validierungsverlust pro Epoche mit der Lücke dazwischen – für Ihren
letzten Lauf auf dieser Seite oder, solange es den nicht gibt, für den fertigen Lauf mit vier Schichten
ohne Dropout:
""")
explain.overfitting_gap(ui.last_history(KEY))

st.header("Dropout")
st.markdown("""
Eine der ältesten Gegenmaßnahmen heißt **Dropout**. Bei jedem Trainingsschritt wird jedes Neuron einer
Schicht mit der Wahrscheinlichkeit *p* (meist 25 bis 50 %) vorübergehend abgeschaltet: Seine Ausgabe
wird auf 0 gesetzt. Abgeschaltete Neuronen tragen in diesem Schritt nichts zum Verlust bei und
bekommen keine Gewichtskorrektur. Im nächsten Schritt wird neu ausgelost. Damit die Summe im Mittel
gleich bleibt, skaliert Keras die übrigen Ausgaben während des Trainings mit 1 / (1 − *p*) hoch.

Beim **Prüfen und Vorhersagen** arbeiten dagegen wieder **alle** Neuronen. Darum kümmert sich Keras
selbst: Eine Schicht `keras.layers.Dropout(0.25)` weiß, ob gerade trainiert oder ausgewertet wird.

**Warum hilft das?** Ein Netz mit vielen Schichten hat so viel Spielraum, dass eine Schicht sich eine
schlechte Angewohnheit leisten kann, die eine andere Schicht dann ausbügelt. Mit Dropout fehlt das
ausbügelnde Neuron immer wieder einmal – der Fehler wird sichtbar, und die Gewichte werden in eine
bessere Richtung korrigiert.

**Wohin damit?** Hinter jede dichte Zwischenschicht. Niemals hinter die softmax-Schicht: Dort würde
Dropout einen Teil der vorhergesagten Wahrscheinlichkeiten einfach auf null setzen.
""")
explain.dropout_demo()

st.header("Und – hat es geholfen?")
st.markdown("""
Eher enttäuschend. Das Rauschen in den Kurven ist zurück (kein Wunder, wenn bei jedem Schritt andere
Neuronen fehlen). Der Validierungsverlust steigt zwar nicht mehr an, bleibt aber durchweg über dem Wert
ohne Dropout, und bei der Validierungsgenauigkeit geht es sogar leicht bergab. Vielleicht ist Dropout hier
nicht das richtige Mittel – oder Überanpassung hat mehr als eine Ursache.
""")
ui.preset_note("ex_09_four_dense", "keras_03_mnist_dense_lrdecay_dropout")
st.markdown("""

### Was Überanpassung eigentlich ist

Ein Netz passt sich über, wenn es auf eine Weise lernt, die bei den Trainingsbeispielen funktioniert,
sich aber nicht auf neue Daten überträgt. Dropout und ähnliche **Regularisierungen** können zu besserem
Lernen zwingen, doch die Wurzeln liegen tiefer:

- **Zu viele Freiheitsgrade.** Hätte ein Netz genug Neuronen, um jedes Trainingsbild einzeln zu
  speichern, könnte es die Bilder einfach wiedererkennen – und auf echten Daten kläglich versagen. Ein
  Netz muss so beschränkt sein, dass es gezwungen ist zu **verallgemeinern**.
- **Zu wenige Daten.** Mit sehr wenigen Beispielen lernt selbst ein kleines Netz sie auswendig.
  Neuronale Netze brauchen grundsätzlich viele Trainingsdaten.
- **Die falsche Architektur.** Hat man mit verschiedenen Netzgrößen experimentiert, Dropout
  eingesetzt und viele Daten verwendet und kommt trotzdem nicht weiter, dann kann das Netz in seiner
  jetzigen Form den Daten schlicht nicht mehr Information entnehmen.

Genau das ist hier der Fall. Erinnern Sie sich, dass wir jedes Bild zu einem flachen Vektor aus 784
Zahlen plattgedrückt haben? Für das Netz ist ein Pixel damit nur noch eine Nummer in einer Liste; dass
zwei Pixel im Bild nebeneinander liegen, weiß es nicht mehr. Handgeschriebene Ziffern bestehen aber
aus **Formen** – Strichen, Bögen, Schleifen –, und diese Information haben wir beim Plattdrücken
weggeworfen. Es gibt eine Art neuronaler Netze, die genau diese Forminformation nutzt:
**Faltungsnetze**. Um sie geht es als Nächstes.
""")

page.end(chapter)
