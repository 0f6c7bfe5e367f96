"""Chapter 11: a convolutional network (no dropout yet)."""
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import count, de, percent
from tutorial.questions.model import Guess, Option, Question, epochs, errors_per_10000, final_accuracy, no_run

SOLUTION = presets.PRESETS["ex_11_conv_no_dropout"]
ROWS = S.layer_table(SOLUTION)
TOTAL = sum(r["params"] for r in ROWS)
DENSE = next(r for r in ROWS if r["layer"] == "Dense")
LAST_CONV = [r for r in ROWS if r["layer"] == "Conv2D"][-1]


def _outcome(history, spec):
    accuracy = final_accuracy(history)
    if accuracy is None:
        return None, no_run(history)
    errors = errors_per_10000(accuracy)
    index = 0 if errors > 200 else 1 if errors >= 100 else 2
    n = len(epochs(history))
    return index, (f"Ihr Lauf erreichte nach {count(n, 'Epoche', 'Epochen')} {percent(accuracy)} – "
                   f"hochgerechnet {de(errors)} Fehler auf 10.000 Ziffern.")


GUESS = Guess(
    id="ch11.errors",
    prompt="Wie viele von 10.000 Validierungsziffern wird Ihr Faltungsnetz am Ende falsch erkennen?",
    options=("Mehr als 200 (unter 98 %)", "Zwischen 100 und 200", "Weniger als 100 (über 99 %)"),
    outcome=_outcome,
    why=("So viele Fehler macht schon ein gutes dichtes Netz; das Faltungsnetz hatte hier zu wenig Training "
         "(wenige Epochen oder wenige Ziffern) oder ungünstige Einstellungen.",
         "Besser als jedes dichte Netz dieses Kurses, aber die 99 % noch nicht ganz.",
         "Die Faltungen nutzen die Nachbarschaft der Pixel – damit fällt die 99-%-Marke."),
)

QUESTIONS = {
    "after_code": (
        Question(
            id="ch11.dense_params",
            prompt=f"Nach der letzten Faltung liegt ein Würfel von {LAST_CONV['output_shape'][0]} × "
                   f"{LAST_CONV['output_shape'][1]} × {LAST_CONV['output_shape'][2]} Werten vor. Flatten legt ihn "
                   "flach, dann folgt Dense(200). Wie viele Parameter hat diese dichte Schicht?",
            answer=DENSE["params"],
            right=f"Richtig: {de(DENSE['params'] - 200)} Gewichte plus 200 Biases = {de(DENSE['params'])} – "
                  f"{percent(DENSE['params'] / TOTAL, 0)} aller {de(TOTAL)} Parameter des Netzes.",
            wrong="Flatten ergibt Höhe × Breite × Kanäle Werte; jedes der 200 Neuronen hat ein Gewicht pro Wert "
                  "und einen Bias.",
            typical=((DENSE["params"] - 200, "Fast – die 200 Biases fehlen."),
                     (7 * 7 * 200 + 200, "Sie haben die 32 Kanäle vergessen: Flatten macht aus 7 × 7 × 32 "
                                         f"{de(7 * 7 * 32)} Werte.")),
        ),
        Question(
            id="ch11.largest_layer",
            prompt="Welche Schicht des Faltungsnetzes aus der Übung hat die meisten Parameter?",
            options=(
                Option("Die dritte Faltung, Conv2D(32, 6 × 6)", False,
                       f"Sie hat {de(LAST_CONV['params'])} Parameter – viel, aber die dichte Schicht danach hat "
                       f"{de(DENSE['params'])}."),
                Option("Die dichte Schicht Dense(200) nach Flatten", True,
                       f"Richtig: {de(DENSE['params'])} von {de(TOTAL)} Parametern. Jedes ihrer Neuronen ist mit "
                       "allen Werten des flachgelegten Würfels verbunden."),
                Option("Die softmax-Schicht Dense(10)", False,
                       f"Sie hat nur 200 · 10 + 10 = {de(2010)} Parameter."),
            ),
        ),
    ),
    "after_result": (
        Question(
            id="ch11.why_conv",
            prompt="Warum erkennt das Faltungsnetz mehr Ziffern richtig als das dichte Netz aus Kapitel 9?",
            options=(
                Option("Es nutzt die Nachbarschaft der Pixel: Seine Filter finden kleine Muster an jeder Stelle "
                       "des Bildes.", True,
                       "Richtig. Ein dichtes Netz sieht nur eine lange Liste von 784 Zahlen; wo ein Pixel liegt, "
                       "muss es mühsam lernen."),
                Option("Es bekommt mehr Trainingsziffern.", False,
                       f"Beide lernen mit denselben {de(S.TRAIN_SIZE)} Trainingsziffern."),
                Option("Es trainiert mit einer höheren Lernrate.", False,
                       "Nein: Beide Übungen verwenden Adam mit der Startrate 0,01 und dem Abklingfaktor 0,6."),
            ),
        ),
    ),
}
