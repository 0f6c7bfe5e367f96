"""Chapter 7: relu and Adam – deep networks that train; the numbers of the questions computed by the
engine's own maths (:mod:`tutorial.theory`)."""
import math

import numpy as np

from tutorial import spec as S
from tutorial import theory
from tutorial.deutsch import count, de, general, percent, scientific, short
from tutorial.questions.model import Guess, Option, Question, epochs, final_accuracy, no_run

# after_relu: the gradient through DEPTH sigmoid layers, at best (the steepest point of sigmoid)
MAX_SLOPE = float(np.max(theory.sigmoid_derivative(np.linspace(-6, 6, 1201))))
DEPTH = 4                                   # chapter 6 offers up to four hidden layers
SHARE = MAX_SLOPE ** DEPTH

# after_optimizer: Adam on two weights with constant gradients of very different size
ADAM_LR = S.DEFAULT_LR["adam"]
GRAD_STEEP, GRAD_FLAT = 1.0, 0.001
RATIO = GRAD_STEEP / GRAD_FLAT
STEPS = 10
_PLANE = theory.Surface("ebene", "Schiefe Ebene", lambda x, y: GRAD_STEEP * x + GRAD_FLAT * y,
                        lambda x, y: np.array([GRAD_STEEP, GRAD_FLAT]), (-1.0, 1.0), (-1.0, 1.0), (0.0, 0.0), ())
_END = theory.descend(_PLANE, learning_rate=ADAM_LR, steps=STEPS, method="adam")["path"][-1]
MOVED_STEEP, MOVED_FLAT = float(-_END[0]), float(-_END[1])

# after_nan: a logit gap of GAP, computed literally in float32 (the other digits lower still)
GAP, RIGHT_DIGIT, WINNER = 50, 7, 1
_LOGITS = np.full(10, -GAP - 10.0)
_LOGITS[WINNER], _LOGITS[RIGHT_DIGIT] = 0.0, -GAP
LOSS_GAP = float(theory.cross_entropy_from_logits(theory.one_hot(RIGHT_DIGIT), _LOGITS, stable=False))
P_GAP = math.exp(-LOSS_GAP)
GAP_LOG10 = GAP / math.log(10)              # the power of ten of e^-GAP, mistaken for the loss


def _naive_fails(gap: int) -> bool:
    with np.errstate(all="ignore"):
        return not np.isfinite(theory.cross_entropy_from_logits(theory.one_hot(1, 2), [0.0, -gap], stable=False))


THRESHOLD = next(gap for gap in range(1, 1000) if _naive_fails(gap))   # the smallest gap that rounds to 0
CLIP_LOSS = -math.log(theory.KERAS_EPSILON)


def _outcome(history, spec):
    accuracy = final_accuracy(history)
    if accuracy is None:
        return None, no_run(history)
    index = 0 if accuracy < 0.90 else 1 if accuracy <= 0.96 else 2
    n = len(epochs(history))
    return index, f"Ihr Lauf erreichte nach {count(n, 'Epoche', 'Epochen')} {percent(accuracy)}."


OUTCOME = ("Das Training ist nicht richtig in Gang gekommen.", "Das Netz lernt, aber noch nicht zügig.",
           "Das Netz lernt zügig und übertrifft die einzelne Schicht deutlich.")
SETTINGS = {
    ("sigmoid", "sgd"): "Mit sigmoid und SGD kommt ein Netz mit Zwischenschichten nur zäh in Gang: Die Gradienten "
                        "werden auf dem Weg zurück durch die Schichten klein.",
    ("relu", "sgd"): "relu lässt die Gradienten ungeschwächt durch; mit SGD geht es auf flachen Strecken aber nur "
                     "gemächlich voran.",
    ("sigmoid", "adam"): "Adam gleicht die kleinen Gradienten von sigmoid weitgehend aus, weil es jeden Schritt durch "
                         "die typische Größe der Gradienten teilt.",
    ("relu", "adam"): "Mit relu und Adam zusammen kommen die Gradienten durch, und Adam wählt passende Schritte – "
                      "so lernt dieses Netz am schnellsten.",
}


def _explain(index: int, spec) -> str:
    """The outcome explained by the learner's settings (activation of the hidden layers, optimizer)."""
    activation = spec.layers[0].activation if spec.layers else None
    setting = SETTINGS.get((activation, spec.optimizer), "")
    return f"{OUTCOME[index]} Ihre Einstellungen: {activation}, {S.OPTIMIZERS[spec.optimizer]}. {setting}".strip()


GUESS = Guess(
    id="ch07.accuracy",
    prompt="Welche Validierungsgenauigkeit wird Ihr Netz nach der letzten Epoche erreichen?",
    options=("Unter 90 %", "Zwischen 90 % und 96 %", "Über 96 %"),
    outcome=_outcome,
    explain=_explain,
    step=lambda spec: "adam" if spec.optimizer == "adam" else "",
    steps=(("", "Schritt 1: relu statt sigmoid (mit SGD)"), ("adam", "Schritt 2: Adam statt SGD")),
    why=("Das Training kommt noch nicht richtig in Gang – typisch für sigmoid mit SGD oder einen sehr kurzen "
         "Lauf.",
         "relu bringt das Training in Gang; mit SGD geht es aber noch gemächlich voran.",
         "Das Netz lernt zügig und übertrifft die einzelne Schicht deutlich – am schnellsten gelingt das mit "
         "relu und Adam zusammen."),
)

QUESTIONS = {
    "after_relu": (
        Question(
            id="ch07.sigmoid_four_layers",
            prompt=f"Die Ableitung von sigmoid ist höchstens {short(MAX_SLOPE)}. In Kapitel 6 konnten Sie bis zu "
                   f"{DEPTH} Zwischenschichten einstellen. Welcher Anteil des Gradienten kommt bei {DEPTH} "
                   "sigmoid-Schichten hintereinander im günstigsten Fall vorne an (die Gewichte nicht mitgerechnet, "
                   "wie im Text)?",
            options=(
                Option(f"100 % – {DEPTH} · {short(MAX_SLOPE)} = 1", False,
                       "Die Faktoren der Schichten werden nicht addiert, sondern multipliziert (die Kettenregel): "
                       f"{short(MAX_SLOPE)} · {short(MAX_SLOPE)} · … – und jeder Faktor unter 1 macht das Produkt "
                       "kleiner."),
                Option(f"{percent(MAX_SLOPE, 0)} – jede Schicht lässt höchstens ein Viertel durch", False,
                       f"Ein Viertel lässt die erste Schicht durch; die nächste lässt davon wieder höchstens ein "
                       f"Viertel durch und so weiter. Die Faktoren multiplizieren sich: {short(MAX_SLOPE)} hoch {DEPTH}."),
                Option(f"{percent(MAX_SLOPE / DEPTH, 2)} – die {percent(MAX_SLOPE, 0)} verteilen sich auf "
                       f"{DEPTH} Schichten", False,
                       "Der Gradient wird nicht auf die Schichten aufgeteilt, sondern in jeder Schicht erneut "
                       f"mit höchstens {short(MAX_SLOPE)} multipliziert. {percent(MAX_SLOPE ** 2, 2)} wären es schon "
                       "nach zwei Schichten."),
                Option(f"etwa {percent(SHARE, 1)}", True,
                       f"Richtig: {short(MAX_SLOPE)} hoch {DEPTH} = {general(SHARE, 4)}, also etwa {percent(SHARE, 1)}. "
                       "In den vordersten Schichten kommt fast nichts mehr an – dort steht das Lernen still. Mit relu "
                       f"ist der Faktor auf der positiven Seite 1, und 1 hoch {DEPTH} bleibt 1."),
            ),
        ),
    ),
    "after_optimizer": (
        Question(
            id="ch07.adam_flat",
            prompt=f"Adam mit der Lernrate {short(ADAM_LR)}: Gewicht a bekommt Schritt für Schritt den Gradienten "
                   f"{short(GRAD_STEEP)}, Gewicht b – auf einer fast flachen Strecke – immer nur {short(GRAD_FLAT)}. "
                   "Wie groß ist Adams Schritt für b im Vergleich zum Schritt für a?",
            options=(
                Option(f"Etwa {de(RATIO)}-mal kleiner – der Schritt folgt dem Gradienten.", False,
                       f"So rechnet einfaches SGD: Schritt = Lernrate · Gradient, für b also {de(RATIO)}-mal kleiner. "
                       "Adam teilt den Gradienten jedes Gewichts aber durch dessen typische Größe der letzten "
                       "Schritte – dabei kürzt sich die Größe heraus."),
                Option("Etwa gleich groß.", True,
                       "Richtig: Adam teilt den Gradienten jedes Gewichts durch dessen typische Größe der letzten "
                       f"Schritte; übrig bleibt ungefähr die Lernrate. Nach {STEPS} Schritten ist a um "
                       f"{de(MOVED_STEEP, 4)} gewandert und b um {de(MOVED_FLAT, 4)}. Mit SGD wäre b {de(RATIO)}-mal "
                       "langsamer – darum kommt Adam über flache Strecken und Sattelpunkte hinweg."),
                Option(f"Etwa {de(RATIO)}-mal größer – Adam macht auf flachen Strecken die großen Schritte.", False,
                       "Adam gleicht aus, es dreht nicht um: Es teilt jeden Gradienten durch dessen typische Größe. "
                       "Der winzige Gradient von b wird dadurch so groß wie der von a, nicht größer."),
                Option("Null – bei so einem kleinen Gradienten bleibt auch Adam stehen.", False,
                       f"Stehen bliebe fast nur einfaches SGD: {short(ADAM_LR)} · {short(GRAD_FLAT)} ist winzig. Adam "
                       "teilt den Gradienten durch dessen typische Größe und macht so auch für b einen Schritt von "
                       "ungefähr der Lernrate."),
            ),
        ),
    ),
    "after_nan": (
        Question(
            id="ch07.loss_gap50",
            prompt=f"Wie im Versuch oben, nur mit kleinerem Abstand: Der Logit der richtigen Klasse liegt {de(GAP)} "
                   "unter dem größten. Welchen Verlust liefert der naive Weg – erst softmax, dann −log – in float32 "
                   "für dieses Bild?",
            options=(
                Option("Unendlich oder NaN – die Wahrscheinlichkeit wird zu 0 gerundet.", False,
                       "Zu 0 gerundet wird erst, was unter der kleinsten float32-Zahl liegt – im Versuch oben bei einem "
                       f"Abstand von rund {de(THRESHOLD)}, in TensorFlow schon bei rund {de(theory.TF_ZERO_GAP, 0)}. e^−{de(GAP)} ≈ {scientific(P_GAP)} ist zwar winzig, liegt "
                       "aber weit darüber."),
                Option(f"etwa {de(GAP_LOG10)}", False,
                       f"Das ist der Zehnerexponent: e^−{de(GAP)} ≈ {scientific(P_GAP)}. Der Verlust nimmt aber den "
                       f"natürlichen Logarithmus, und −log(e^−{de(GAP)}) = {de(GAP)}."),
                Option(f"etwa {de(LOSS_GAP)}", True,
                       f"Richtig: softmax gibt der richtigen Klasse e^−{de(GAP)} ≈ {scientific(P_GAP)}. Das ist "
                       f"winzig, aber für float32 noch keine 0, also ist der Verlust −log(e^−{de(GAP)}) = {de(GAP)}: "
                       f"groß, aber endlich. Erst ab einem Abstand von rund {de(THRESHOLD)} wird die Wahrscheinlichkeit "
                       f"zu 0 gerundet, wie im Versuch oben (in TensorFlow ab rund {de(theory.TF_ZERO_GAP, 0)})."),
                Option(f"etwa {de(CLIP_LOSS, 1)} – mehr lässt Keras nicht zu", False,
                       f"Die Grenze {de(CLIP_LOSS, 1)} = −log(10⁻⁷) gilt nur, wenn Keras bloße Wahrscheinlichkeiten "
                       "bekommt und alles unter 10⁻⁷ anhebt. Der naive Weg schneidet nichts ab."),
            ),
        ),
    ),
}
