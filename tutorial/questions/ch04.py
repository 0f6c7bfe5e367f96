"""Chapter 4: neurons, dense layers, softmax, cross-entropy, gradient descent – computed by the learner."""
import math

from tutorial import layers as L
from tutorial import spec as S
from tutorial import theory
from tutorial.deutsch import de, percent, short
from tutorial.questions.model import Option, Question

DENSE_200 = S.param_count(S.RunSpec(layers=(L.Dense(200, "relu"),)))
P_RIGHT = 0.1
CE = -math.log(P_RIGHT)

# softmax depends only on the gaps between the logits
LOGITS, SHIFT = (2, 4), 1
BEFORE = tuple(float(p) for p in theory.softmax(LOGITS))
AFTER = tuple(float(p) for p in theory.softmax([v + SHIFT for v in LOGITS]))
NAIVE = tuple((v + SHIFT) / (sum(LOGITS) + 2 * SHIFT) for v in LOGITS)     # the logits divided by their sum

# one step of gradient descent on f(w) = w² with a learning rate far too large
W0, STEP_LR = 3, 1.5
GRADIENT = 2 * W0
W1 = W0 - STEP_LR * GRADIENT


def _minus(x: float) -> str:
    """A whole number with a real minus sign: "−6"."""
    return ("−" if x < 0 else "") + de(abs(x))

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
            id="ch04.softmax_shift",
            prompt=f"Zwei Logits, {de(LOGITS[0])} und {de(LOGITS[1])}: softmax macht daraus etwa "
                   f"{percent(BEFORE[0], 0)} und {percent(BEFORE[1], 0)}. Nun ist jeder Logit um {de(SHIFT)} größer: "
                   f"{de(LOGITS[0] + SHIFT)} und {de(LOGITS[1] + SHIFT)}. Was macht softmax jetzt daraus?",
            options=(
                Option(f"Mehr als {percent(BEFORE[1], 0)} für die {de(LOGITS[1] + SHIFT)} – größere Logits, klarere "
                       "Entscheidung.", False,
                       f"Naheliegend, weil e^{de(LOGITS[1] + SHIFT)} viel größer ist als e^{de(LOGITS[1])}. Aber "
                       f"e^{de(LOGITS[0] + SHIFT)} wächst um denselben Faktor e^{de(SHIFT)} mit. Es zählt nur das "
                       f"Verhältnis, und das hängt allein vom Abstand der Logits ab."),
                Option(f"Weniger als {percent(BEFORE[1], 0)} für die {de(LOGITS[1] + SHIFT)} – {de(LOGITS[1] + SHIFT)} "
                       f"ist nur {de((LOGITS[1] + SHIFT) / (LOGITS[0] + SHIFT), 2)}-mal so groß wie "
                       f"{de(LOGITS[0] + SHIFT)}, {de(LOGITS[1])} war doppelt so groß wie {de(LOGITS[0])}.", False,
                       "So würde man rechnen, wenn softmax die Logits selbst ins Verhältnis setzte. Es setzt aber "
                       "e hoch Logit ins Verhältnis, und e^a ÷ e^b = e^(a − b): Nur der Abstand zählt, und der ist "
                       f"weiterhin {de(LOGITS[1] - LOGITS[0])}."),
                Option(f"Wieder etwa {percent(AFTER[0], 0)} und {percent(AFTER[1], 0)}.", True,
                       f"Richtig: Beide Werte e^L werden mit demselben Faktor e^{de(SHIFT)} multipliziert, und beim "
                       "Teilen durch die Summe kürzt er sich weg. softmax hängt nur von den Abständen der Logits ab "
                       f"– der Abstand {de(LOGITS[1] - LOGITS[0])} ergibt das Verhältnis e^{de(LOGITS[1] - LOGITS[0])} "
                       f"≈ {de(math.exp(LOGITS[1] - LOGITS[0]), 1)} : 1, ganz gleich, wo die Logits liegen."),
                Option(f"{percent(NAIVE[0], 1)} und {percent(NAIVE[1], 1)} ({de(LOGITS[0] + SHIFT)} ÷ "
                       f"{de(sum(LOGITS) + 2 * SHIFT)} und {de(LOGITS[1] + SHIFT)} ÷ {de(sum(LOGITS) + 2 * SHIFT)}).",
                       False,
                       "Das wäre das bloße Teilen der Logits durch ihre Summe. softmax schickt jeden Logit zuerst durch "
                       "die Exponentialfunktion – erst dann wird geteilt. Das macht alle Werte positiv und verstärkt "
                       "Unterschiede."),
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
                       f"Richtig: −log({de(P_RIGHT, 1)}) ≈ {de(CE, 2)}. Je weniger Wahrscheinlichkeit das Netz der "
                       f"richtigen Ziffer gibt, desto steiler wächst der Verlust; bei 0,9 wären es nur {de(-math.log(0.9), 2)}."),
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
            id="ch04.step_too_large",
            prompt=f"Ein Verlust mit nur einem Gewicht w: f(w) = w², sein tiefster Punkt liegt bei w = 0. Die Ableitung "
                   f"ist 2w, an der Stelle w = {de(W0)} also {de(GRADIENT)}. Wo steht w nach einem Schritt des "
                   f"Gradientenabstiegs mit der Lernrate {short(STEP_LR)}?",
            answer=W1,
            right=f"Richtig: {de(W0)} − {short(STEP_LR)} · {de(GRADIENT)} = {_minus(W1)}. Der Schritt ist über das Tal bei 0 "
                  f"hinweg auf die andere Seite gesprungen und landet weiter weg als vorher: Der Verlust steigt von "
                  f"{de(W0 ** 2)} auf {de(W1 ** 2)}. Jeder weitere Schritt verdoppelt den Abstand – so schaukelt sich "
                  "der Weg im Experiment bei einer Lernrate über 1 auf.",
            wrong=f"Ein Schritt: neues w = altes w − Lernrate · Ableitung, also {de(W0)} − {short(STEP_LR)} · "
                  f"{de(GRADIENT)}.",
            typical=((W0 + STEP_LR * GRADIENT,
                      f"Sie sind bergauf gegangen: Der Gradient zeigt dorthin, wo der Verlust wächst. Der Schritt geht "
                      f"in die Gegenrichtung, also {de(W0)} − {short(STEP_LR)} · {de(GRADIENT)}."),
                     (W0 - GRADIENT,
                      f"Das wäre ein Schritt um den ganzen Gradienten (Lernrate 1): Das Gewicht landet genau "
                      f"gegenüber, auf derselben Höhe. Mit {short(STEP_LR)} wird der Schritt "
                      f"{short(STEP_LR)}-mal so groß."),
                     (W0 - STEP_LR * W0,
                      f"Die Ableitung von w² ist 2w, an der Stelle {de(W0)} also {de(GRADIENT)}, nicht {de(W0)}."),
                     (W0 - STEP_LR,
                      f"Die Lernrate allein ist nicht der Schritt: Sie wird mit dem Gradienten ({de(GRADIENT)}) "
                      "multipliziert.")),
        ),
    ),
}
