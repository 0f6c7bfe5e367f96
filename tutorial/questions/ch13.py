"""Chapter 13: batch normalisation."""
from tutorial import layers as L
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import count, de, percent
from tutorial.questions.model import Guess, Option, Question, best_accuracy, epochs, no_run

BN_ROW = S.layer_table([L.Reshape(), L.Conv2D(12, 3, 1, use_bias=False, activation=None),
                        L.BatchNorm(center=True, scale=False)])[-1]

# the solution: BN behind the three convolutions and Dense(200), as the rules say
SOLUTION_ROWS = S.layer_table(presets.PRESETS["keras_05_mnist_batch_norm"])
SOFTMAX_UNITS = presets.PRESETS["keras_05_mnist_batch_norm"].layers[-1].units
NON_TRAINABLE = sum(r["non_trainable"] for r in SOLUTION_ROWS)
BN_WIDTHS = [SOLUTION_ROWS[i - 1]["output_shape"][-1] for i, r in enumerate(SOLUTION_ROWS) if r["layer"] == "BatchNorm"]

EDGE = 0.993   # between chapter 12's best (99,26 %) and the BN solution's seeds (99,40-99,50 %)


def _outcome(history, spec):
    accuracy = best_accuracy(history)
    if accuracy is None:
        return None, no_run(history)
    index = 0 if accuracy < 0.99 else 1 if accuracy <= EDGE else 2
    n = len(epochs(history))
    return index, (f"Die beste Validierungsgenauigkeit Ihres Laufs ({count(n, 'Epoche', 'Epochen')}) war "
                   f"{percent(accuracy)}.")


GUESS = Guess(
    id="ch13.best",
    prompt="Welche beste Validierungsgenauigkeit wird Ihr Netz erreichen?",
    options=("Unter 99 %", "Zwischen 99 % und 99,3 %", "Über 99,3 %"),
    outcome=_outcome,
    why=("Für ein Faltungsnetz ist das wenig – meist war der Lauf kurz (wenige Epochen oder Ziffern).",
         "So weit kommt schon das Faltungsnetz mit Dropout aus Kapitel 12.",
         "Über 99,3 %: Hier zeigt sich, was Batch-Normalisierung zusätzlich bringt."),
)

QUESTIONS = {
    "after_rules": (
        Question(
            id="ch13.bn_params",
            prompt="Eine BatchNormalization-Schicht mit center=True und scale=False folgt auf eine Faltung mit 12 "
                   "Kanälen. Wie viele trainierbare Parameter hat sie?",
            answer=BN_ROW["trainable"],
            right=f"Richtig: ein β (Versatz) pro Kanal, also {BN_ROW['trainable']}. Dazu speichert die Schicht "
                  f"{BN_ROW['non_trainable']} nicht trainierbare Werte (laufender Mittelwert und laufende Varianz je Kanal).",
            wrong="Zählen Sie pro Kanal: center=True bringt einen Versatz β, scale=True brächte einen Faktor α.",
            typical=((BN_ROW["params"], "Das sind alle Werte der Schicht. Trainierbar sind davon nur die β; "
                                        "Mittelwert und Varianz werden mitgeschrieben, nicht trainiert."),
                     (2 * BN_ROW["trainable"], "So viele wären es mit scale=True (je Kanal α und β); hier "
                                               "ist scale=False. Oder Sie haben laufenden Mittelwert und "
                                               "laufende Varianz gezählt – die werden nicht trainiert.")),
        ),
        Question(
            id="ch13.no_bias",
            prompt="Warum bekommt die Schicht vor der Batch-Normalisierung use_bias=False?",
            options=(
                Option("Weil β der Batch-Normalisierung (center=True) die Aufgabe des Bias übernimmt.", True,
                       "Richtig: Die Normalisierung zieht ohnehin den Mittelwert ab – ein Bias davor würde "
                       "sofort wieder verschwinden. β verschiebt danach."),
                Option("Weil Biases das Training mit Batch-Normalisierung instabil machen.", False,
                       "Instabil wird nichts; ein Bias davor wäre nur überflüssig, weil die Normalisierung den "
                       "Mittelwert abzieht und β die Verschiebung übernimmt."),
                Option("Weil Faltungsschichten nie einen Bias haben.", False,
                       "Normalerweise haben sie einen – in Kapitel 11 und 12 auch. Nur vor einer "
                       "Batch-Normalisierung mit center=True entfällt er."),
            ),
        ),
        Question(
            id="ch13.non_trainable",
            prompt="Das Faltungsnetz aus Kapitel 12 (Faltungen mit 12, 24 und 32 Filtern, dann Dense(200) und die "
                   "softmax-Schicht Dense(10)) bekommt BN überall, wo die Regeln oben es erlauben, mit center=True "
                   "und scale=False. Wie viele nicht trainierbare Parameter hat das Netz dann?",
            answer=NON_TRAINABLE,
            right=f"Richtig: zwei Werte je Kanal bzw. Neuron – laufender Mittelwert und laufende Varianz –, also "
                  f"2 × ({' + '.join(str(c) for c in BN_WIDTHS)}) = {de(NON_TRAINABLE)}. Die softmax-Schicht "
                  "bekommt nach Regel 4 keine BN.",
            wrong="Zählen Sie die Kanäle (bzw. Neuronen) jeder Schicht mit BN zusammen und überlegen Sie, wie viele "
                  "mitgeschriebene Werte BN je Kanal führt.",
            typical=((NON_TRAINABLE + 2 * SOFTMAX_UNITS, "Sie haben auch die softmax-Schicht mitgezählt. Dort gehört nach "
                                              "Regel 4 keine BN hin."),
                     (NON_TRAINABLE // 2, "Das ist ein Wert je Kanal. BN führt zwei mit: den laufenden "
                                          "Mittelwert und die laufende Varianz."),
                     (NON_TRAINABLE + NON_TRAINABLE // 2, "Sie haben β mitgezählt. β wird trainiert; nicht "
                                                           "trainierbar sind nur Mittelwert und Varianz.")),
        ),
    ),
}
