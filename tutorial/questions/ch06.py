"""Chapter 6: more layers (sigmoid, SGD) – does depth alone help?"""
from tutorial import pretrained
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import count, de, percent
from tutorial.questions.model import Guess, Option, Question, epochs, final_accuracy, no_run

SOLUTION = presets.PRESETS["ex_06_sigmoid"]
PARAMS = S.param_count(SOLUTION)
ONE_LAYER = "keras_01_mnist"


def reference() -> float:
    """Test accuracy of the one-layer network of chapter 3 (its pretrained run), 0.90 without the file."""
    try:
        return float(pretrained.load_history(ONE_LAYER)["test_accuracy"])
    except (OSError, KeyError, ValueError):
        return 0.90


def _outcome(history, spec):
    accuracy = final_accuracy(history)
    if accuracy is None:
        return None, no_run(history)
    ref = reference()
    index = 0 if accuracy > ref + 0.02 else 1 if accuracy >= ref - 0.02 else 2
    n = len(epochs(history))
    return index, (f"Ihr Lauf erreichte nach {count(n, 'Epoche', 'Epochen')} {percent(accuracy)}; das Netz mit "
                   f"einer Schicht aus Kapitel 3 schafft nach 10 Epochen {percent(ref)}.")


OUTCOME = ("Mehr Schichten haben hier geholfen.", "Die zusätzlichen Schichten haben kaum etwas gebracht.",
           "Das tiefere Netz liegt unter der einzelnen Schicht, obwohl es mehr Parameter hat.")


def _explain(index: int, spec) -> str:
    """The outcome explained by the learner's own settings (hidden layers, their activation)."""
    hidden = [layer for layer in spec.layers[:-1] if getattr(layer, "units", None)]
    if not hidden:
        return ("Ihr Netz hat keine Zwischenschicht: Es ist dasselbe Netz wie in Kapitel 3. Ein Unterschied kommt "
                "dann nur vom Zufall und von der Zahl der Epochen und Ziffern – stellen Sie oben Zwischenschichten "
                "ein, um die Frage wirklich zu prüfen.")
    activation = hidden[0].activation
    if activation == "sigmoid":
        setting = ("Ihre Zwischenschichten rechnen mit sigmoid und SGD: Damit kommt das Training mehrerer Schichten "
                   "nur zäh in Gang (warum, zeigt Kapitel 7).")
    elif activation == "relu":
        setting = ("Ihre Zwischenschichten rechnen mit relu: Damit kommt das Training auch mit SGD zügig in Gang "
                   "(Kapitel 7 erklärt, warum).")
    else:
        setting = f"Ihre Zwischenschichten rechnen mit {activation} und SGD."
    return f"{OUTCOME[index]} {setting}"


GUESS = Guess(
    id="ch06.deeper",
    prompt="Wird Ihr Netz mit den zusätzlichen Schichten nach dem Training besser als das Netz mit einer "
           "Schicht aus Kapitel 3?",
    options=("Deutlich besser (mehr als 2 Prozentpunkte)", "Etwa gleich gut (höchstens 2 Prozentpunkte "
             "Unterschied)", "Schlechter (mehr als 2 Prozentpunkte darunter)"),
    outcome=_outcome,
    explain=_explain,
    why=("Mehr Schichten haben hier geholfen – mit relu statt sigmoid kommt das Training zügig in Gang "
         "(Kapitel 7 erklärt, warum).",
         "Die zusätzlichen Schichten haben kaum etwas gebracht: Tiefe allein hilft nicht, wenn das Training "
         "mit ihr nicht zurechtkommt.",
         "Das tiefere Netz liegt unter der einzelnen Schicht, obwohl es viel mehr Parameter hat: Mit sigmoid "
         "und SGD kommt es nur zäh in Gang (warum, zeigt Kapitel 7)."),
)

QUESTIONS = {
    "after_exercise": (
        Question(
            id="ch06.params",
            prompt="Wie viele Parameter hat das Netz Dense(200) → Dense(60) → Dense(10) nach den 784 Pixeln?",
            answer=PARAMS,
            right=f"Richtig: {de(784 * 200 + 200)} + {de(200 * 60 + 60)} + {de(60 * 10 + 10)} = {de(PARAMS)} – "
                  f"gut zwanzigmal so viele wie die {de(S.param_count(presets.PRESETS[ONE_LAYER]))} der einzelnen "
                  "Schicht.",
            wrong="Zählen Sie jede Schicht einzeln: Eingänge × Neuronen + Neuronen (die Biases). Die Eingänge "
                  "einer Schicht sind die Neuronen der Schicht davor.",
            typical=((784 * 200 + 200 * 60 + 60 * 10, "Fast – die Biases fehlen: jedes Neuron hat einen, also "
                                                      "200 + 60 + 10 Parameter mehr."),
                     (784 * 200 + 200, "Das ist nur die erste Schicht. Dazu kommen Dense(60) mit 200 Eingängen "
                                       "und Dense(10) mit 60 Eingängen.")),
        ),
        Question(
            id="ch06.hidden",
            prompt="Was ist eine Zwischenschicht (auch »verborgene Schicht« genannt)?",
            options=(
                Option("Eine Schicht zwischen der Eingabe und der Ausgabeschicht.", True,
                       "Richtig: Ihre Ausgaben sieht man weder als Eingabe noch als Ergebnis des Netzes – "
                       "daher auch der Name »verborgen«."),
                Option("Eine Schicht, deren Gewichte beim Training nicht verändert werden.", False,
                       "Nein, Zwischenschichten werden ganz normal trainiert. Sie liegen nur zwischen Eingabe und "
                       "Ausgabe."),
                Option("Die softmax-Schicht am Ende.", False,
                       "Die softmax-Schicht ist die Ausgabeschicht – ihre Werte sind das, was das Netz "
                       "antwortet, also gerade nicht verborgen."),
            ),
        ),
    ),
}
