"""Chapter 7: relu instead of sigmoid, Adam instead of SGD, initialisation and NaN."""
import streamlit as st

from tutorial.app.explain import deep
from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import exercise, loader, page, state
from tutorial.app import quiz

chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_activation": "relu", f"{KEY}_optimizer": "adam"}
ACTIVATIONS, OPTIMIZERS = ["sigmoid", "relu"], ["sgd", "adam"]

st.markdown("""
Im letzten Kapitel hat ein Netz mit drei Schichten schlechter abgeschnitten als eines mit einer. Das
ist keine Panne dieser App, sondern ein Stück Geschichte: Lange galten tiefe Netze als kaum trainierbar,
und das Interesse an neuronalen Netzen schlief zeitweise fast ein. Dass man heute Netze mit Dutzenden
und sogar Hunderten Schichten trainiert, liegt an einer Handvoll verblüffend einfacher Änderungen, die
sich um 2010 herum durchsetzten. Zwei davon probieren Sie in diesem Kapitel an dem Netz aus Kapitel 6
aus. Probieren Sie zuerst aus, dann folgt die Erklärung.
""")

st.header("Kniff 1: relu statt sigmoid")
st.markdown("""
Moderne Netze verwenden in den Zwischenschichten fast immer **relu** (*rectified linear unit*):
`relu(x) = max(0, x)`. Negative Eingaben werden zu 0, positive bleiben unverändert.

**Warum macht sigmoid Probleme?** Erinnern Sie sich an die **Kettenregel** aus Kapitel 4: Bei der
**Backpropagation** wird der **Gradient** vom Verlust aus rückwärts durch das Netz gereicht, und jede
Schicht multipliziert ihn mit der **Ableitung** ihrer Aktivierung. Die Ableitung von sigmoid ist aber
nie größer als 0,25 – in der Mitte der Kurve. An den Rändern wird die Kurve flach, und die Ableitung ist
fast null. Zwei sigmoid-Schichten hintereinander lassen also im günstigsten Fall 0,25 · 0,25 ≈ 6 % des
Gradienten durch, fünf Schichten weniger als 0,1 %. In den vorderen Schichten kommt kaum noch etwas an,
und dort steht das Lernen fast still.

relu hat dagegen auf der positiven Seite überall die Ableitung **1**: Dort wird der Gradient
unverändert weitergereicht. Zwar liefern Neuronen mit negativer Eingabe den Gradienten 0, aber in
jeder Schicht gibt es genügend andere, über die das Training zügig weiterläuft.
""")
deep.sigmoid_vs_relu_gradients()
quiz.questions(chapter, "after_relu")

st.header("Kniff 2: ein besserer Optimierer")
st.markdown("""
Unser Netz hat 169.670 Gewichte und Biases; der Verlust ist eine Landschaft mit ebenso vielen
Richtungen. In so vielen Dimensionen gibt es reichlich **Sattelpunkte** (Kapitel 4) und lange, fast
flache Strecken, auf denen einfacher **stochastischer Gradientenabstieg** (SGD) nur winzige Schritte
macht. Der **Optimierer** **Adam** bringt zwei Dinge mit: **Momentum**, also Schwung aus den vorigen
Schritten, und für jedes Gewicht eine eigene Schrittlänge, die auf flachen Strecken größer wird. In Keras
genügt `optimizer="adam"`.
""")

quiz.questions(chapter, "after_optimizer")

st.subheader("Übung: relu und Adam")
st.markdown("""
Ausgangspunkt ist das Netz aus Kapitel 6 (200 und 60 Neuronen, sigmoid, SGD).

1. Ersetzen Sie in beiden Zwischenschichten sigmoid durch **relu** und trainieren Sie erneut.
2. Ersetzen Sie anschließend den Optimierer SGD durch **Adam** und trainieren Sie noch einmal.

Vergleichen Sie die Läufe danach im Versuchsprotokoll.
""")
left, right = st.columns(2)
activation = left.radio("Aktivierung der Zwischenschichten", ACTIVATIONS, horizontal=True,
                        key=state.keep(f"{KEY}_activation", "sigmoid", ACTIVATIONS))
optimizer = right.radio("Optimierer", OPTIMIZERS, horizontal=True, format_func=lambda o: S.OPTIMIZERS[o],
                        key=state.keep(f"{KEY}_optimizer", "sgd", OPTIMIZERS))
spec = S.RunSpec(layers=(L.Dense(200, activation), L.Dense(60, activation), L.Dense(10, "softmax")),
                 optimizer=optimizer)
exercise.panel(chapter, spec, apply_solution=SOLUTION, zoom=1,
            solution_text="Die Lösung entspricht dem Notizbuch `keras_02_mnist_dense.ipynb`.")

st.header("Zufällige Anfangswerte")
st.markdown("""
Warum beginnen die Gewichte eigentlich zufällig und nicht einfach bei 0? Weil dann alle Neuronen einer
Schicht genau dasselbe rechnen, denselben Gradienten bekommen und für immer gleich bleiben – 200 Neuronen
wären nicht mehr wert als eines. Zufallszahlen brechen diese Gleichheit.

Wie groß die Zufallszahlen sein sollen, ist dagegen eine Wissenschaft für sich: Sind sie zu groß, wachsen
die Werte von Schicht zu Schicht an; sind sie zu klein, schrumpfen sie gegen null. Keras wählt für dichte
Schichten von sich aus **`glorot_uniform`**: gleichverteilte Zahlen zwischen −g und +g mit
g = √(6 ÷ (Eingänge + Neuronen)). Für die erste Schicht unseres Netzes (784 Eingänge, 200 Neuronen) ist
g ≈ 0,078. Die Biases beginnen bei 0. Diese Voreinstellung passt fast immer; Sie müssen nichts tun.
""")

st.header("NaN – wenn die Rechnung keine Zahl mehr ergibt")
st.markdown("""
Ein Gedankenspiel: Das Netz ist sich bei einem Bild sehr sicher, dass es eine 1 ist, und der Logit für
die richtige Klasse, die 7, liegt 150 unter dem der 1. Dann bekäme die 7 nach softmax die
Wahrscheinlichkeit e⁻¹⁵⁰ ≈ 10⁻⁶⁵ – winzig, aber nicht null, und der Verlust wäre −log(10⁻⁶⁵) ≈ 150,
eine große, aber brauchbare Zahl.

Der Rechner sieht das anders. TensorFlow rechnet mit 32-Bit-Gleitkommazahlen (float32), und die
kleinste solche Zahl über null liegt bei etwa 10⁻⁴⁵. 10⁻⁶⁵ wird deshalb zu exakt 0 gerundet. Der
**Logarithmus** von 0 ist minus unendlich: Für die 7 wird der Verlust unendlich, und für jede andere
Klasse, deren Wahrscheinlichkeit ebenfalls auf 0 gefallen ist, rechnet die Kreuzentropie 0 · (−∞) – das
ergibt **NaN** (*not a number*, keine Zahl). Ein einziges NaN verbreitet sich über die Gradienten in
alle Gewichte, und das Training ist ruiniert.

Keras verhindert das, indem es softmax und Kreuzentropie nicht stur nacheinander ausrechnet, sondern
gemeinsam in einer numerisch stabilen Form (über den Logarithmus der softmax, ohne den Umweg über
winzige Wahrscheinlichkeiten). Wo das nicht geht, schneidet es Wahrscheinlichkeiten unter 10⁻⁷ ab; der
Verlust eines Bildes ist dann höchstens −log(10⁻⁷) ≈ 16,1. Auch hier müssen Sie also nichts tun.
Probieren Sie es aus:
""")
deep.nan_demo()
quiz.questions(chapter, "after_nan")

st.header("Geschafft?")
if quiz.after_run(chapter):
    st.markdown("""
Die drei fertigen Läufe dieser App zeigen, was jede Änderung bringt: sigmoid mit SGD 78,9 %, relu mit
SGD 93,7 %, relu mit Adam **97,6 %** der Testziffern. Beide Kniffe zählen also, und zusammen wirken sie am
stärksten. Das Ziel liegt aber über 99 % – weiter geht es mit der Lernrate.
""")
    loader.preset_note("ex_06_sigmoid", "ex_07_relu", "keras_02_mnist_dense")

page.end(chapter)
