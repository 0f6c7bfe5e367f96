"""Chapter 3: a first network (keras_01) – steps per epoch, validation data, tensor shapes."""
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import count, de, percent
from tutorial.questions.model import Guess, Option, Question, epochs, errors_per_10000, final_accuracy, no_run

RUN = presets.PRESETS["keras_01_mnist"]


def _outcome(history, spec):
    accuracy = final_accuracy(history)
    if accuracy is None:
        return None, no_run(history)
    errors = errors_per_10000(accuracy)
    index = 0 if errors < 500 else 1 if errors <= 2000 else 2
    n = len(epochs(history))
    return index, (f"Ihr Lauf erkannte nach {count(n, 'Epoche', 'Epochen')} {percent(accuracy)} der "
                   f"Validierungsziffern – das sind hochgerechnet {de(errors)} Fehler auf 10.000 Ziffern.")


GUESS = Guess(
    id="ch03.errors",
    prompt="Wie viele von 10.000 Validierungsziffern wird dieses Netz mit nur einer Schicht am Ende falsch "
           "erkennen?",
    options=("Weniger als 500", "Etwa 1.000 (zwischen 500 und 2.000)", "Mehr als 2.000"),
    outcome=_outcome,
    why=("So wenige Fehler macht sonst erst ein Netz mit mehreren Schichten.",
         "Eine einzige Schicht bildet pro Ziffer nur eine gewichtete Summe der Pixel; das reicht für "
         "ungefähr neun von zehn Ziffern.",
         "Das Netz hat noch nicht genug gelernt – bei einem kurzen Lauf (wenige Epochen oder wenige "
         "Trainingsziffern) ist das zu erwarten. Mit allen 60.000 Ziffern und 10 Epochen landet es bei "
         "etwa 90 %."),
)

QUESTIONS = {
    "batch_epoch": (
        Question(
            id="ch03.steps",
            prompt=f"Wie viele Trainingsschritte macht das Netz in einer Epoche, wenn es {de(S.TRAIN_SIZE)} "
                   f"Trainingsziffern in Batches zu {RUN.batch_size} bekommt?",
            answer=RUN.steps_per_epoch,
            right=f"Genau: {de(S.TRAIN_SIZE)} ÷ {RUN.batch_size} = {de(S.TRAIN_SIZE / RUN.batch_size, 2)}, "
                  f"abgerundet {de(RUN.steps_per_epoch)} Schritte. Jeder Schritt verarbeitet einen Batch.",
            wrong=f"Teilen Sie die Zahl der Trainingsziffern durch die Batch-Größe: {de(S.TRAIN_SIZE)} ÷ "
                  f"{RUN.batch_size} – und runden Sie ab.",
            typical=((RUN.steps_per_epoch + 1,
                      "Fast: Das Training rundet ab. Die übrigen "
                      f"{S.TRAIN_SIZE - RUN.steps_per_epoch * RUN.batch_size} Ziffern ergeben keinen vollen Batch "
                      "und bilden keinen eigenen Schritt."),
                     (S.TRAIN_SIZE, "Das wäre ein Schritt pro Ziffer. Das Netz lernt aber in Batches: Ein "
                                    "Schritt verarbeitet 128 Ziffern auf einmal.")),
        ),
        Question(
            id="ch03.validation",
            prompt="Warum misst die App die Genauigkeit mit den Validierungsziffern und nicht mit den "
                   "Trainingsziffern?",
            options=(
                Option("Weil das Netz die Validierungsziffern nie zum Lernen bekommt – nur so zeigt sich, wie "
                       "gut es unbekannte Bilder erkennt.", True,
                       "Richtig. Auf den Trainingsziffern könnte ein Netz auch durch Auswendiglernen glänzen; "
                       "die Validierung prüft, ob es verallgemeinert."),
                Option("Weil die Validierungsziffern leichter zu erkennen sind.", False,
                       "Nein – beide Sätze stammen aus derselben Sammlung handgeschriebener Ziffern. Der "
                       "Unterschied ist nur, dass das Netz die Validierungsziffern beim Lernen nie sieht."),
                Option("Weil es weniger Validierungsziffern gibt und die Messung so schneller geht.", False,
                       "Schneller ist es zwar, aber das ist nicht der Grund: Entscheidend ist, dass das Netz "
                       "diese Ziffern beim Lernen nie zu sehen bekommt."),
            ),
        ),
    ),
    "shapes": (
        Question(
            id="ch03.batch_shape",
            prompt="Welche Form hat in dieser App ein Batch aus 128 MNIST-Bildern, die flach gelegt wurden?",
            options=(
                Option("[784, 128]", False,
                       "Die Reihenfolge stimmt nicht: Bei Keras steht die Batch-Dimension fast immer vorne."),
                Option("[128, 784]", True,
                       "Richtig: 128 Bilder (Batch-Dimension zuerst), jedes mit 28 · 28 = 784 Pixelwerten."),
                Option("[128, 28, 28, 3]", False,
                       "Das wäre ein Batch von Farbbildern mit drei Kanälen. MNIST ist in Graustufen, und "
                       "hier werden die 28 × 28 Pixel flach zu 784 Werten gelegt."),
            ),
        ),
    ),
}
