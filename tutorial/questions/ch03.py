"""Chapter 3: a first network (keras_01) – steps per epoch (full and short runs), tensor shapes."""
from tutorial import presets
from tutorial import spec as S
from tutorial.deutsch import count, de, percent
from tutorial.questions.model import Guess, Option, Question, epochs, errors_per_10000, errors_text, final_accuracy, no_run

RUN = presets.PRESETS["keras_01_mnist"]
QUICK = RUN.quick()                     # a short trial run: the first digits, few epochs (the quick mode)
QUICK_STEPS = QUICK.epochs * QUICK.steps_per_epoch
BATCH, SIDE, CHANNELS = RUN.batch_size, 28, 3     # a batch of colour images of MNIST's size
FLAT = SIDE * SIDE * CHANNELS


def _outcome(history, spec):
    accuracy = final_accuracy(history)
    if accuracy is None:
        return None, no_run(history)
    errors = errors_per_10000(accuracy)
    index = 0 if errors < 500 else 1 if errors <= 2000 else 2
    n = len(epochs(history))
    return index, (f"Ihr Lauf erkannte nach {count(n, 'Epoche', 'Epochen')} {percent(accuracy)} der "
                   f"Testziffern – das sind {errors_text(accuracy, spec)}.")


GUESS = Guess(
    id="ch03.errors",
    prompt="Wie viele der 10.000 Testziffern wird dieses Netz mit nur einer Schicht am Ende falsch "
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
                                    f"Schritt verarbeitet {RUN.batch_size} Ziffern auf einmal.")),
        ),
        Question(
            id="ch03.quick_steps",
            prompt=f"Ein kurzer Probelauf nimmt nur die ersten {de(QUICK.train_size)} Trainingsziffern und trainiert "
                   f"{count(QUICK.epochs, 'Epoche', 'Epochen')} lang, wieder in Batches zu {QUICK.batch_size}. Wie "
                   "viele Trainingsschritte macht er insgesamt?",
            answer=QUICK_STEPS,
            right=f"Richtig: {de(QUICK.train_size)} ÷ {QUICK.batch_size} = {de(QUICK.train_size / QUICK.batch_size, 2)}, "
                  f"abgerundet {de(QUICK.steps_per_epoch)} Schritte pro Epoche, mal {QUICK.epochs} Epochen = "
                  f"{de(QUICK_STEPS)}. Die {de(QUICK.train_size - QUICK.steps_per_epoch * QUICK.batch_size)} übrigen "
                  "Ziffern jeder Epoche bilden keinen eigenen Schritt.",
            wrong=f"Erst die Schritte einer Epoche: {de(QUICK.train_size)} ÷ {QUICK.batch_size}, abgerundet. Dann mit "
                  "der Zahl der Epochen malnehmen.",
            typical=((QUICK.steps_per_epoch, f"Das sind die Schritte einer einzigen Epoche. Der Lauf hat "
                                             f"{QUICK.epochs} davon."),
                     (QUICK.epochs * QUICK.train_size // QUICK.batch_size,
                      f"Fast: Sie haben erst alle {de(QUICK.epochs * QUICK.train_size)} Ziffern durch "
                      f"{QUICK.batch_size} geteilt und dann abgerundet. Abgerundet wird aber in jeder Epoche: "
                      f"{de(QUICK.steps_per_epoch)} ganze Schritte pro Epoche."),
                     ((QUICK.steps_per_epoch + 1) * QUICK.epochs,
                      "Fast: Ein angebrochener Batch zählt nicht als Schritt – abgerundet wird, und zwar in jeder "
                      f"Epoche: {de(QUICK.steps_per_epoch)} Schritte pro Epoche, nicht {de(QUICK.steps_per_epoch + 1)}."),
                     (QUICK.epochs * QUICK.train_size,
                      "Das ist die Zahl der Ziffern, die der Lauf insgesamt verarbeitet. Ein Schritt verarbeitet aber einen "
                      f"ganzen Batch aus {QUICK.batch_size} Ziffern auf einmal."),
                     (RUN.epochs * RUN.steps_per_epoch,
                      "Das sind die Schritte des vollen Laufs mit allen Trainingsziffern und "
                      f"{RUN.epochs} Epochen. Dieser Probelauf ist viel kürzer.")),
        ),
    ),
    "shapes": (
        Question(
            id="ch03.flat_color_shape",
            prompt=f"Ein Batch aus {BATCH} Farbbildern mit {SIDE} × {SIDE} Pixeln und {CHANNELS} Werten pro Pixel "
                   f"(Rot, Grün, Blau) hat die Form `[{BATCH}, {SIDE}, {SIDE}, {CHANNELS}]`. Welche Form hat er, wenn "
                   "jedes Bild flach gelegt wird – so wie die MNIST-Ziffern, bevor sie in Ihr Netz gehen?",
            options=(
                Option(f"`[{BATCH}, {SIDE * SIDE}]`", False,
                       f"So sieht ein Batch flach gelegter Graustufenbilder aus: {SIDE} · {SIDE} = "
                       f"{de(SIDE * SIDE)} Werte pro Bild. Ein Farbbild hat aber {CHANNELS} Werte pro Pixel (Rot, "
                       "Grün, Blau) – beim Flachlegen bleiben sie alle erhalten."),
                Option(f"`[{BATCH * CHANNELS}, {SIDE * SIDE}]`", False,
                       f"Die Farbwerte gehören zu jedem einzelnen Bild; aus {BATCH} Bildern werden "
                       f"nicht {de(BATCH * CHANNELS)}. Die erste Abmessung zählt weiter die Bilder; alle Werte eines "
                       "Bildes stehen in der zweiten."),
                Option(f"`[{BATCH}, {FLAT}]`", True,
                       f"Richtig: Die Abmessung des Batches bleibt vorne, und jedes Bild wird zu {SIDE} · {SIDE} · "
                       f"{CHANNELS} = {de(FLAT)} Werten – dreimal so viele wie bei einem Graustufenbild."),
                Option(f"`[{FLAT}, {BATCH}]`", False,
                       f"Die {de(FLAT)} Werte pro Bild stimmen, aber die Reihenfolge nicht: Bei Keras steht die "
                       "Abmessung des Batches fast immer vorne, eine Zeile pro Bild."),
            ),
        ),
    ),
}
