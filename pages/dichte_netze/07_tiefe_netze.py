"""Chapter 7: relu instead of sigmoid, Adam instead of SGD, initialisation and NaN."""
import streamlit as st

from tutorial import explain
from tutorial import spec as S
from tutorial import ui
from tutorial.app import page

chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_activation": "relu", f"{KEY}_optimizer": "adam"}

st.markdown("""
Was Sie im letzten Kapitel erlebt haben, entspricht dem Stand der 1980er- und 1990er-Jahre: Je mehr
Schichten man stapelte, desto schlechter kam das Training in Gang. Viele gaben die Idee damals auf; es
folgte eine lange Flaute, der sogenannte »KI-Winter«.

Heute trainiert man Netze mit Dutzenden oder über hundert Schichten ohne Mühe. Möglich machten das
einige überraschend einfache mathematische Kniffe, die sich in den 2010er-Jahren durchsetzten – ein
Hauptgrund für das Comeback des Deep Learning. Zwei davon probieren Sie in diesem Kapitel aus.
""")

st.header("Kniff 1: relu statt sigmoid")
st.markdown("""
Moderne Netze verwenden in den Zwischenschichten fast immer **relu** (*rectified linear unit*):
`relu(x) = max(0, x)`. Negative Eingaben werden zu 0, positive bleiben unverändert.

**Warum macht sigmoid Probleme?** Sehen Sie sich die Kurve an den Rändern an: Sie wird dort völlig
flach. Flach heißt, die **Ableitung ist fast null** – und selbst in der Mitte beträgt sie höchstens 0,25.
Das Training bewegt die Gewichte aber entlang des **Gradienten**, eines Vektors aus genau solchen
Ableitungen. Bei der Rückwärtsrechnung durch das Netz werden die Ableitungen der Schichten
miteinander **multipliziert**. Mit jeder sigmoid-Schicht schrumpft der Gradient deshalb weiter, bis in
den vorderen Schichten kaum noch etwas ankommt und das Lernen fast stillsteht.

relu hat dagegen auf der positiven Seite überall die Ableitung **1**: Dort wird der Gradient
unverändert weitergereicht. Zwar liefern Neuronen mit negativer Eingabe den Gradienten 0, aber in
jeder Schicht gibt es genügend andere, über die das Training zügig weiterläuft.
""")
explain.sigmoid_vs_relu_gradients()

st.header("Kniff 2: ein besserer Optimierer")
st.markdown("""
Unser Netz hat rund 170.000 Gewichte und Biases – die Verlustfunktion lebt also in einem Raum mit
170.000 Dimensionen. In so hochdimensionalen Räumen gibt es viele **Sattelpunkte**: Stellen, an denen
der Gradient null ist, obwohl dort kein Minimum liegt – in manche Richtungen geht es bergab, in andere
bergauf. Einfacher Gradientenabstieg (SGD) kommt an solchen Stellen kaum vom Fleck. Optimierer mit
einer Art **Trägheit** (*momentum*) rollen dagegen über Sattelpunkte hinweg. Keras bietet mehrere davon
an; **Adam** ist eine bewährte Wahl und wird einfach als `optimizer="adam"` angegeben.
""")

st.subheader("Übung: relu und Adam")
st.markdown("""
Ausgangspunkt ist das Netz aus Kapitel 6 (200 und 60 Neuronen, sigmoid, SGD).

1. Ersetzen Sie in beiden Zwischenschichten **sigmoid durch relu** und trainieren Sie erneut.
2. Ersetzen Sie anschließend den Optimierer **SGD durch Adam** und trainieren Sie noch einmal.

Vergleichen Sie die Läufe danach im Versuchsprotokoll.
""")
left, right = st.columns(2)
activation = left.radio("Aktivierung der Zwischenschichten", ["sigmoid", "relu"], horizontal=True,
                        key=ui.state(f"{KEY}_activation", "sigmoid"))
optimizer = right.radio("Optimierer", ["sgd", "adam"], horizontal=True, format_func=lambda o: S.OPTIMIZERS[o],
                        key=ui.state(f"{KEY}_optimizer", "sgd"))
spec = S.RunSpec(layers=(S.Dense(200, activation), S.Dense(60, activation), S.Dense(10, "softmax")),
                 optimizer=optimizer)
ui.exercise(spec, "keras_02_mnist_dense", KEY, apply_solution=SOLUTION, chapter=chapter.label, zoom=1,
            solution_text="Die Lösung entspricht dem Notizbuch `keras_02_mnist_dense.ipynb`.")

st.header("Zufällige Anfangswerte")
st.markdown("""
Vor dem Training müssen die Gewichte irgendeinen Wert haben. Wie man sie am besten zufällig wählt, ist
ein eigenes Forschungsfeld: Zu große Werte lassen die Signale von Schicht zu Schicht explodieren, zu
kleine lassen sie verschwinden. Keras nimmt für dichte Schichten von sich aus **`glorot_uniform`**:
gleichverteilte Zufallszahlen, deren Spannweite sich nach der Zahl der Ein- und Ausgänge der Schicht
richtet; die Biases beginnen bei 0. Das ist fast immer eine gute Wahl – Sie müssen hier nichts tun.
""")

st.header("NaN – wenn die Rechnung keine Zahl mehr ergibt")
st.markdown("""
Die Kreuzentropie enthält einen **Logarithmus**, und `log(0)` ist minus unendlich; im weiteren Rechnen
wird daraus **NaN** (*not a number*), und das Training ist ruiniert. Kann das passieren? softmax ist
aus Exponentialfunktionen gebaut, und `exp(x)` ist mathematisch nie null.

Im Rechner aber schon: Eine float32-Zahl kann keine Werte darstellen, die kleiner als etwa 10⁻⁴⁵ sind.
`exp(-150)` ist ungefähr 10⁻⁶⁵ und wird deshalb zu exakt **0** gerundet – und schon steht `log(0)` da.
Keras verhindert das, indem es softmax und Kreuzentropie nicht stur nacheinander ausrechnet, sondern
gemeinsam in einer numerisch stabilen Form (über den Logarithmus der softmax, ohne den Umweg über
winzige Wahrscheinlichkeiten). Auch hier müssen Sie also nichts tun. Probieren Sie es aus:
""")
explain.nan_demo()

st.header("Geschafft?")
st.markdown("""
Mit relu und Adam sollte das Netz jetzt etwa **97 %** der Validierungsziffern erkennen. Das Ziel liegt
deutlich über 99 % – weiter geht es mit der Lernrate.
""")
ui.preset_note("ex_06_sigmoid", "ex_07_relu", "keras_02_mnist_dense")

page.end(chapter)
