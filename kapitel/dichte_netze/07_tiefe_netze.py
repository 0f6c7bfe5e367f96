"""Chapter 7: relu instead of sigmoid, Adam instead of SGD – experiment first, then why each helps;
initialisation as an optional deeper part; NaN through the demo. What a run reveals is drawn only once
the learner has seen a run of that step (quiz.after_step_run)."""
import numpy as np
import streamlit as st

from tutorial import layers as L
from tutorial import spec as S
from tutorial import theory as T
from tutorial.app import exercise, loader, page, state
from tutorial.app import quiz
from tutorial.app.explain import deep
from tutorial.deutsch import de, number, scientific

chapter = page.start(__file__)
KEY = chapter.key
SOLUTION = {f"{KEY}_activation": "relu", f"{KEY}_optimizer": "adam"}
ACTIVATIONS, OPTIMIZERS = ["sigmoid", "relu"], ["sgd", "adam"]
FIRST_LAYER = (28 * 28, 200)                     # inputs and neurons of the first hidden layer
GLOROT_LIMIT = float(np.sqrt(6 / sum(FIRST_LAYER)))


def _first_failure(true_class: int = 3) -> tuple[int, float]:
    """The smallest factor s of the NaN demo (deep.nan_demo) at which the naive loss is no longer a
    finite number, and how far the true class's logit lies below the largest one there."""
    base = np.array([1.0, 0.2, 0.0, -0.6])
    for s in range(1, 121):
        logits = (base * s).astype(np.float32)
        y = T.one_hot(true_class, 4)
        with np.errstate(all="ignore"):
            naive = float(T.cross_entropy_from_logits(y, logits, stable=False))
        if not np.isfinite(naive):
            return s, float(logits.max() - logits[true_class])
    return 120, float("nan")


st.markdown("""
In Kapitel 6 hat das Netz mit zwei Zwischenschichten schlechter abgeschnitten als die einzelne Schicht.
Jetzt ändern Sie an genau diesem Netz zwei Einstellungen, eine nach der anderen, und sehen nach jedem
Lauf, was die Änderung gebracht hat. Die Erklärungen folgen danach.
""")

st.subheader("Übung: relu und Adam")
st.markdown("""
Ausgangspunkt ist das Netz aus Kapitel 6: 200 und 60 Neuronen mit sigmoid, Optimierer SGD.

1. Stellen Sie die Aktivierung der Zwischenschichten auf **relu** und trainieren Sie. relu ist die
   einfachste denkbare Aktivierung: `relu(x) = max(0, x)` – negative Summen werden 0, positive bleiben,
   wie sie sind.
2. Stellen Sie danach den Optimierer von SGD auf Adam und trainieren Sie noch einmal.

Vor jedem Lauf fragt die App nach Ihrer Vermutung. Vergleichen Sie die Läufe danach im »Versuchsprotokoll«.
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

st.header("Was die beiden Läufe zeigen")
first = quiz.after_step_run(chapter, "", "mit SGD")
if first:
    st.markdown("""
Die fertigen Läufe dieser App, jeweils 10 Epochen: Mit sigmoid und SGD erkennt das Netz 78,9 % der
Testziffern, mit relu und SGD 93,7 % – dieselben Schichten, dieselben 169.670 Parameter, nur eine
andere Aktivierung. Schon nach der ersten Epoche liegt der Lauf mit relu bei 86,2 % Validierungsgenauigkeit,
der mit sigmoid bei 42,3 %.
""")
second = quiz.after_step_run(chapter, "adam", "mit Adam") if first else quiz.step_revealed(chapter, "adam")
if second:
    st.markdown("""
Mit relu *und* Adam sind es **97,6 %**: Beide Änderungen zählen, und zusammen wirken sie am stärksten.
Netze mit mehreren Zwischenschichten galten lange als kaum trainierbar; dass heute Netze mit Dutzenden
oder Hunderten Schichten lernen, verdanken sie auch solchen unscheinbaren Änderungen, die sich in den 2010er-Jahren
durchsetzten. Das Ziel dieses Kurses liegt aber über 99 % – weiter geht es mit der Lernrate.
""")
if first or second:
    loader.preset_note(*(("ex_06_sigmoid", "ex_07_relu") if first else ()), *(("keras_02_mnist_dense",) if second else ()))

st.header("Warum relu hilft")
st.markdown("""
Probieren Sie es zuerst am Schieberegler aus: Im Versuch unten bekommt ein Netz aus vielen dichten Schichten
einen Fehler am Ausgang, und die Grafik zeigt, wie groß der Gradient in jeder Schicht noch ist. Stellen Sie 2,
dann 8, dann 20 Schichten ein.
""")
deep.sigmoid_vs_relu_gradients()
st.markdown("""
Was Sie sehen, ist die **Kettenregel** aus Kapitel 4 bei der Arbeit. Bei der **Backpropagation** läuft der
**Gradient** vom Verlust rückwärts durch das Netz, und in jeder Schicht wird er mit der **Ableitung** der
Aktivierung multipliziert. Die sigmoid-Kurve ist nirgends steiler als 0,25 (so steil ist sie nur in der Mitte); an
den Rändern ist sie fast waagrecht. Die Ableitung allein nimmt in jeder sigmoid-Schicht mindestens drei Viertel des Gradienten weg: Nach
zwei Schichten kommen höchstens 0,25 · 0,25 ≈ 6 % an, nach fünf weniger als 0,1 %. Die vorderen Schichten
bekommen kaum noch ein Signal, wie sie sich ändern sollen.

relu hat für jede positive Summe die Steigung 1: Der Gradient geht dort ungeschwächt durch. Ein Neuron
mit negativer Summe gibt zwar 0 weiter, aber in der Regel sind bei einem Bild in jeder Schicht genug Neuronen aktiv,
über die das Signal nach vorn gelangt.
""")
quiz.questions(chapter, "after_relu")

st.header("Warum Adam hilft")
st.markdown("""
Ein **Sattelpunkt** (Kapitel 4) ist eine Stelle mit waagrechtem Boden, obwohl es in manche Richtungen
noch bergab ginge. Bei 169.670 Richtungen – so viele Gewichte und Biases hat das Netz – sind solche Stellen
viel häufiger als echte Mulden, dazu kommen lange, fast flache Strecken. Einfacher **stochastischer
Gradientenabstieg** (SGD) macht jeden Schritt so groß wie Lernrate mal Gradient; wo der Boden flach ist, kommt er kaum vom Fleck.

Der **Optimierer** **Adam** macht zwei Dinge anders. Er nimmt **Momentum** mit: Ein Teil jedes Schritts
ist der Schwung der vorigen Schritte, so rollt er über flache Stellen hinweg, statt dort zu stehen. Und
er gibt jedem Gewicht gewissermaßen eine eigene Lernrate: Er teilt dessen Schritt durch die typische Größe
seiner letzten Gradienten. Ein Gewicht, dessen Gradienten stets winzig sind, bekommt so trotzdem
brauchbare Schritte. In Keras genügt dafür `optimizer="adam"`.
""")
quiz.questions(chapter, "after_optimizer")

if page.deeper(f"{KEY}_init", "Mit welchen Zahlen die Gewichte beginnen"):
    st.markdown(f"""
Jede Übung beginnt mit zufälligen Gewichten. Warum nicht einfach mit 0? Dann rechneten alle 200
Neuronen der ersten Zwischenschicht dasselbe, bekämen denselben Gradienten und blieben für immer gleich –
200 Neuronen wären nicht mehr wert als eines. Der Zufall macht sie verschieden.

Wie *groß* die Zufallszahlen sein sollen, hängt von der Schicht ab: Zu große lassen die Werte von Schicht
zu Schicht anwachsen, zu kleine lassen sie gegen 0 schrumpfen. Keras nimmt für dichte Schichten von sich
aus **`glorot_uniform`**: gleichverteilte Zahlen zwischen −g und +g mit g = √(6 ÷ (Eingaben + Neuronen)).
Für die erste Zwischenschicht dieser Übung ({de(FIRST_LAYER[0])} Eingaben, {FIRST_LAYER[1]} Neuronen) ist
g ≈ {number(GLOROT_LIMIT, 3)}. Die Biases beginnen bei 0. Alle Übungen dieser App bleiben bei dieser
Voreinstellung – der Code unter »Code anzeigen« nennt sie darum gar nicht.
""")

FAIL_AT, GAP = _first_failure()
st.header("NaN – wenn die Rechnung keine Zahl mehr ergibt")
st.markdown("""
Noch ein Versuch, bevor es weitergeht: Unten sehen Sie vier Logits (die Summen der letzten Schicht
vor softmax); die richtige Klasse ist zunächst die 3. Schieben Sie den Faktor s langsam nach rechts und beobachten
Sie die Spalte »naiv«.
""")
deep.nan_demo()
st.markdown(f"""
Bis kurz vor s = {FAIL_AT} liefern beide Wege (fast) dieselbe Zahl. Bei s = {FAIL_AT} liegt der Logit der richtigen Klasse
{de(GAP)} unter dem größten, und ihre Wahrscheinlichkeit wäre e hoch −{de(GAP)}, rund 10⁻⁴⁵.
Die Tabelle rechnet wie TensorFlow mit 32-Bit-Gleitkommazahlen (float32), aber mit NumPy: Dort ist die
kleinste Zahl über 0 etwa {scientific(T.FLOAT32_SMALLEST)}, und was noch kleiner ist, wird zu 0 gerundet.
TensorFlow macht auf dem Prozessor schon alles unter etwa {scientific(T.FLOAT32_SMALLEST_NORMAL)} zu 0;
mit TensorFlow versagt der naive Weg also schon bei einem Abstand von rund {de(T.TF_ZERO_GAP, 0)}. In der Tabelle wird die Wahrscheinlichkeit 0, ihr
**Logarithmus** −∞, und der naive Verlust ist unendlich statt rund {de(GAP)}. Schieben Sie weiter, bis exp(Logit) selbst zu
groß für float32 wird: Dann steht in der Tabelle **NaN** (*not a number*, keine Zahl). Im Training wäre
das das Ende – ein einziges NaN im Verlust wandert über die Gradienten in alle Gewichte.

Keras rechnet darum softmax und Kreuzentropie zusammen auf dem stabilen Weg der letzten Spalte, ohne
die winzige Wahrscheinlichkeit je auszurechnen. Bekommt die Kreuzentropie dagegen nur fertige
Wahrscheinlichkeiten (ohne eine softmax-Schicht davor), schneidet Keras sie unter 10⁻⁷ ab; ein Bild
kostet dann höchstens −log(10⁻⁷) ≈ 16,1. Ihre Netze in dieser App enden mit einer softmax-Schicht und
bekommen den stabilen Weg deshalb von selbst.
""")
quiz.questions(chapter, "after_nan")

page.end(chapter)
