"""Chapter 4: neurons, dense layers, softmax, cross-entropy, gradient descent."""
import math

from tutorial import layers as L
from tutorial import spec as S
from tutorial.deutsch import de
from tutorial.questions.model import Option, Question

DENSE_200 = S.param_count(S.RunSpec(layers=(L.Dense(200, "relu"),)))
P_RIGHT = 0.1
CE = -math.log(P_RIGHT)

QUESTIONS = {
    "after_dense": (
        Question(
            id="ch04.dense_params",
            prompt="Eine dichte Schicht mit 200 Neuronen bekommt die 784 Pixel eines MNIST-Bildes. Wie viele "
                   "Parameter (Gewichte und Biases) hat sie?",
            answer=DENSE_200,
            right=f"Richtig: 784 · 200 = {de(784 * 200)} Gewichte plus 200 Biases, zusammen {de(DENSE_200)}.",
            wrong="Jedes der 200 Neuronen hat ein Gewicht pro Eingabe und dazu einen Bias.",
            typical=((784 * 200, "Fast: Das sind nur die Gewichte. Jedes Neuron hat zusätzlich einen Bias – "
                                 "200 Parameter mehr."),
                     (784 + 200, "Die Zahlen werden multipliziert, nicht addiert: Jedes der 200 Neuronen ist "
                                 "mit jedem der 784 Pixel verbunden."),
                     (784 * 10 + 10, "Das ist die Schicht mit zehn Neuronen aus dem Text. Hier sind es 200.")),
        ),
    ),
    "after_softmax": (
        Question(
            id="ch04.softmax",
            prompt="Was gilt immer für die zehn Zahlen, die die softmax-Schicht ausgibt?",
            options=(
                Option("Die größte ist genau 1, alle anderen sind genau 0.", False,
                       "Das wäre ein hartes Maximum (argmax). softmax ist »weich«: Jede Klasse behält einen "
                       "kleinen Anteil größer als 0."),
                Option("Sie liegen zwischen 0 und 1 und ergeben zusammen 1.", True,
                       "Richtig: Die Exponentialfunktion macht alle Werte positiv, das Teilen durch die Summe "
                       "sorgt dafür, dass sie zusammen 1 ergeben – eine Wahrscheinlichkeitsverteilung."),
                Option("Sie können auch negativ sein, wenn die Logits negativ sind.", False,
                       "Nein: e hoch irgendetwas ist immer positiv. Negative Logits ergeben nur kleine, aber "
                       "positive Wahrscheinlichkeiten."),
            ),
        ),
    ),
    "after_loss": (
        Question(
            id="ch04.cross_entropy",
            prompt=f"Das Netz gibt der richtigen Ziffer nur die Wahrscheinlichkeit {de(P_RIGHT, 1)}. Wie groß ist "
                   "die Kreuzentropie für dieses Bild (natürlicher Logarithmus, wie in Keras)?",
            options=(
                Option(de(P_RIGHT, 1), False, "Die Kreuzentropie ist nicht die Wahrscheinlichkeit selbst, sondern "
                                              "−log davon."),
                Option(de(1 - P_RIGHT, 1), False,
                       "Das ist der Rest der Wahrscheinlichkeit, den das Netz auf falsche Ziffern verteilt. Die "
                       "Kreuzentropie schaut nur auf die richtige Ziffer: −log der Wahrscheinlichkeit."),
                Option(f"etwa {de(CE, 1)}", True,
                       f"Richtig: −log({de(P_RIGHT, 1)}) ≈ {de(CE, 2)}. Je weniger Chancen das Netz der richtigen "
                       f"Ziffer gibt, desto steiler wächst der Verlust; bei 0,9 wären es nur {de(-math.log(0.9), 2)}."),
                Option("unendlich", False, "Unendlich wäre der Verlust mathematisch erst, wenn die Wahrscheinlichkeit "
                                           "der richtigen Ziffer genau 0 ist. Bei 0,1 ist er endlich: −log(0,1). "
                                           "(Eine Obergrenze von etwa 16,1 gibt es nur, wenn Keras bloße "
                                           "Wahrscheinlichkeiten bekommt; aus der softmax-Schicht eines Modells "
                                           "rechnet es mit den Logits, und der Verlust kann größer werden.)"),
            ),
        ),
    ),
    "after_gradient": (
        Question(
            id="ch04.learning_rate",
            prompt="Was passiert beim Gradientenabstieg, wenn die Lernrate viel zu groß ist?",
            options=(
                Option("Das Training ist einfach schneller fertig.", False,
                       "Größere Schritte kommen nicht schneller ans Ziel, wenn sie über das Tal hinausschießen – "
                       "probieren Sie es im Experiment mit einer Lernrate über 1."),
                Option("Die Schritte springen über das Tal hinweg; der Verlust schwankt oder wächst sogar.", True,
                       "Richtig: Jeder Schritt landet auf der gegenüberliegenden Talwand, oft höher als vorher. "
                       "Deshalb geht man nur einen kleinen Bruchteil des Gradienten."),
                Option("Das Netz bekommt mehr Parameter.", False,
                       "Die Lernrate bestimmt nur, wie weit ein Schritt geht. Die Zahl der Parameter hängt allein "
                       "von den Schichten ab."),
            ),
        ),
    ),
}
