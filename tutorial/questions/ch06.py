"""Chapter 6: more layers (sigmoid, SGD) – does depth alone help?"""
from tutorial import layers as L
from tutorial import pretrained
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import count, de, percent
from tutorial.questions.model import Guess, Question, epochs, final_accuracy, no_run

SOLUTION = presets.PRESETS["ex_06_sigmoid"]
PARAMS = S.param_count(SOLUTION)
ONE_LAYER = "keras_01_mnist"
ONE_LAYER_PARAMS = S.param_count(presets.PRESETS[ONE_LAYER])
# the solution with a third hidden layer of 30 neurons (the page's slider offers 200, 60, 30, 20)
OLD, NEW = SOLUTION.layers[1].units, 30
THREE = SOLUTION.with_(layers=SOLUTION.layers[:2] + (L.Dense(NEW, SOLUTION.layers[0].activation),)
                       + SOLUTION.layers[2:])
ROWS, ROWS3 = S.layer_table(SOLUTION), S.layer_table(THREE)
PARAMS3 = S.param_count(THREE)


def _funnel(spec) -> str:
    return " → ".join(["784"] + [str(layer.units) for layer in spec.layers])


FUNNEL, FUNNEL3 = _funnel(SOLUTION), _funnel(THREE)
HIDDEN3 = ", ".join(str(layer.units) for layer in THREE.layers[:-2]) + f" und {NEW}"


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
                  f"gut zwanzigmal so viele wie die {de(ONE_LAYER_PARAMS)} der einzelnen "
                  "Schicht.",
            wrong="Zählen Sie jede Schicht einzeln: Eingaben × Neuronen + Neuronen (die Biases). Die Eingaben "
                  "einer Schicht sind die Neuronen der Schicht davor.",
            typical=((784 * 200 + 200 * 60 + 60 * 10, "Fast – die Biases fehlen: jedes Neuron hat einen, also "
                                                      "200 + 60 + 10 Parameter mehr."),
                     (784 * 200 + 200, "Das ist nur die erste Schicht. Dazu kommen Dense(60) mit 200 Eingaben "
                                       "und Dense(10) mit 60 Eingaben.")),
        ),
        Question(
            id="ch06.params_three_hidden",
            prompt=f"Sie stellen am Regler drei Zwischenschichten mit {HIDDEN3} Neuronen ein, also {FUNNEL3}. Wie viele "
                   "Parameter hat dieses Netz?",
            answer=PARAMS3,
            right=f"Richtig: {' + '.join(de(row['params']) for row in ROWS3)} = {de(PARAMS3)}. Die neue Schicht "
                  f"bringt {de(ROWS3[2]['params'])} Parameter mit, und die Ausgabeschicht wird kleiner, weil sie jetzt "
                  f"nur noch {NEW} Eingaben hat.",
            wrong="Zählen Sie jede Schicht einzeln: Eingaben × Neuronen + Neuronen (die Biases). Die Eingaben einer "
                  "Schicht sind die Neuronen der Schicht davor.",
            typical=((PARAMS + ROWS3[2]["params"],
                      f"Fast: Sie haben die neue Schicht ({de(ROWS3[2]['params'])}) zu den {de(PARAMS)} des Netzes mit "
                      f"zwei Zwischenschichten addiert. Dabei ändert sich aber auch die Ausgabeschicht: Sie bekommt jetzt "
                      f"{NEW} statt {OLD} Eingaben und hat {de(ROWS3[3]['params'])} statt {de(ROWS[2]['params'])} "
                      "Parameter."),
                     (PARAMS3 - sum(layer.units for layer in THREE.layers),
                      "Fast – die Biases fehlen: Jedes Neuron hat einen, also "
                      f"{' + '.join(str(layer.units) for layer in THREE.layers)} Parameter mehr."),
                     (PARAMS, f"Das ist das Netz mit zwei Zwischenschichten ({FUNNEL}). Hier kommt eine dritte mit "
                              f"{NEW} Neuronen dazu.")),
        ),
    ),
}
