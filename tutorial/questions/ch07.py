"""Chapter 7: relu and Adam – deep networks that train."""
from tutorial import spec as S
from tutorial.deutsch import count, percent
from tutorial.questions.model import Guess, Option, Question, epochs, final_accuracy, no_run


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
    ("relu", "sgd"): "relu lässt die Gradienten ungeschwächt durch; SGD geht aber mit gleich großen Schritten "
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
            id="ch07.sigmoid_slope",
            prompt="Wie groß ist die Ableitung von sigmoid höchstens?",
            options=(
                Option("1", False, "Steigung 1 hat relu für positive Eingaben. sigmoid ist flacher: höchstens "
                                   "0,25, an den Rändern fast 0."),
                Option("0,25", True, "Richtig – in der Mitte (bei 0). Multipliziert man über mehrere Schichten "
                                     "solche Faktoren, schrumpft der Gradient schnell."),
                Option("0,5", False, "0,5 ist der Funktionswert von sigmoid bei 0, nicht ihre Steigung. Die "
                                     "Steigung beträgt dort 0,25."),
            ),
        ),
    ),
    "after_optimizer": (
        Question(
            id="ch07.saddle",
            prompt="Warum kommt ein Optimierer mit Momentum, etwa Adam, besser über Sattelpunkte?",
            options=(
                Option("Er nimmt Schwung aus den vorigen Schritten mit und rollt weiter, auch wo der Gradient "
                       "fast null ist.", True,
                       "Richtig: An einem Sattelpunkt ist der Gradient nahezu null; einfacher "
                       "Gradientenabstieg bleibt dort fast stehen, ein Optimierer mit Schwung nicht."),
                Option("Er berechnet den Gradienten genauer.", False,
                       "Den Gradienten berechnen alle Optimierer gleich (TensorFlow macht das automatisch). Der "
                       "Unterschied liegt darin, wie aus den Gradienten Schritte werden."),
                Option("Er verändert die Architektur des Netzes.", False,
                       "Der Optimierer ändert nur die Werte der Gewichte, nie die Schichten selbst."),
            ),
        ),
    ),
    "after_nan": (
        Question(
            id="ch07.nan",
            prompt="Wie kann beim Rechnen von log(softmax(…)) überhaupt log(0) entstehen, obwohl exp(x) "
                   "mathematisch nie null ist?",
            options=(
                Option("float32 kann sehr kleine Werte nicht darstellen: exp(−150) wird zu genau 0 gerundet.",
                       True, "Richtig. Keras rechnet softmax und Kreuzentropie deshalb gemeinsam in einer "
                             "stabilen Form."),
                Option("softmax kann negative Werte liefern.", False,
                       "softmax liefert nie negative Werte – aber winzige positive, die der Rechner auf 0 "
                       "rundet."),
                Option("Die Lernrate ist zu klein.", False,
                       "Eine kleine Lernrate macht das Training langsam, erzeugt aber keine Null im Logarithmus. "
                       "Die Ursache ist die begrenzte Genauigkeit von float32."),
            ),
        ),
    ),
}
