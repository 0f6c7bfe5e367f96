"""Chapter 12: dropout in the convolutional network."""
from tutorial import layers as L
from tutorial import presets, pretrained
from tutorial.deutsch import count, de
from tutorial.questions import finished
from tutorial.questions.model import Guess, Option, Question, epochs

NEEDED = 6      # epochs: the run without dropout has its lowest validation loss in epoch 4
RISE = 0.15     # the validation loss ends more than 15 % above its lowest value: it "rises again"
WITH = presets.PRESETS["keras_04_mnist_convolutional"]
WITHOUT = presets.PRESETS["ex_11_conv_no_dropout"]


def rise_after_minimum(history: dict) -> tuple[int, int, float, float]:
    """(epoch of the lowest validation loss (1-based), number of epochs, lowest loss, last loss)."""
    loss = [e["val_loss"] for e in epochs(history)]
    best = min(range(len(loss)), key=loss.__getitem__)
    return best + 1, len(loss), loss[best], loss[-1]



def _outcome(history, spec):
    return finished.outcome_or_full_run(history, spec, NEEDED, _course)


def _course(history, whose: str):
    best_epoch, n, lowest, last = rise_after_minimum(history)
    if best_epoch == n:
        index = 2
    else:
        index = 0 if last > (1 + RISE) * lowest else 1
    facts = (f"{whose} ({count(n, 'Epoche', 'Epochen')}) war der Validierungsverlust in Epoche {best_epoch} "
             f"am kleinsten ({de(lowest, 3)}) und lag am Ende bei {de(last, 3)}"
             + (f", also {de(100 * (last / lowest - 1), 0)} % darüber." if best_epoch < n else "."))
    return index, facts


GUESS = Guess(
    id="ch12.val_loss",
    prompt="Was macht der Validierungsverlust Ihres Laufs nach seinem Tiefpunkt?",
    options=("Er steigt bis zum Ende deutlich wieder an (um mehr als 15 %)",
             "Er bleibt nahe am Tiefpunkt",
             "Es gibt kein »danach«: Er sinkt bis zur letzten Epoche"),
    outcome=_outcome,
    why=("Das ist Überanpassung: Das Netz wird auf den Trainingsziffern immer sicherer, auf unbekannten aber "
         "nicht besser – ohne Dropout typisch.",
         "Das Netz bleibt nahe an seinem besten Wert und passt sich höchstens noch leicht an die "
         "Trainingsziffern an – das ist die Wirkung von Dropout.",
         "Der Lauf war so kurz – oder das Netz lernte noch so viel –, dass der Tiefpunkt erst am Ende kam."),
)

# the finished runs of the chart question: (epoch of the lowest validation loss, epochs, lowest, last)
WITH_COURSE = rise_after_minimum(pretrained.load_history("keras_04_mnist_convolutional"))
WITHOUT_COURSE = rise_after_minimum(pretrained.load_history("ex_11_conv_no_dropout"))
DROPOUT = next(x for x in WITH.layers if isinstance(x, L.Dropout))
UNITS = WITH.layers[WITH.layers.index(DROPOUT) - 1].units           # the Dense(200) before it
IN_TRAINING = round(DROPOUT.rate * UNITS)                            # switched off per training image, on average


def _rise(course) -> str:
    return de(100 * (course[3] / course[2] - 1), 0) + " %"


QUESTIONS = {
    "after_exercise": (
        Question(
            id="ch12.which_overfits",
            prompt="Die Verlustkurven zweier fertiger Faltungsnetz-Läufe dieser App – einer ohne, einer mit "
                   "Dropout 0,4. Welcher zeigt die deutlichere Überanpassung?",
            runs=("keras_04_mnist_convolutional", "ex_11_conv_no_dropout"), zoom=16,
            options=(
                Option("Lauf A", False,
                       "Lauf A ist der mit Dropout. Auch er zeigt leichte Überanpassung: Sein Validierungsverlust "
                       f"steigt nach dem Tiefpunkt in Epoche {WITH_COURSE[0]} ({de(WITH_COURSE[2], 3)}) bis zum "
                       f"Ende um etwa {_rise(WITH_COURSE)} ({de(WITH_COURSE[3], 3)}). Bei Lauf B steigt er nach "
                       f"Epoche {WITHOUT_COURSE[0]} aber von {de(WITHOUT_COURSE[2], 3)} auf "
                       f"{de(WITHOUT_COURSE[3], 3)}, um {_rise(WITHOUT_COURSE)} – die deutlichere Überanpassung."),
                Option("Lauf B", True,
                       "Richtig: Bei Lauf B steigt der Validierungsverlust nach seinem Tiefpunkt wieder an, "
                       f"um {_rise(WITHOUT_COURSE)} (von {de(WITHOUT_COURSE[2], 3)} auf "
                       f"{de(WITHOUT_COURSE[3], 3)}), während der Trainingsverlust gegen null geht – deutliche "
                       "Überanpassung. Lauf B ist der ohne Dropout; der Lauf mit Dropout steigt nur um etwa "
                       f"{_rise(WITH_COURSE)}."),
            ),
        ),
        Question(
            id="ch12.dropout_at_prediction",
            prompt=f"Das fertige Netz mit Dropout {de(DROPOUT.rate, 1)} hinter Dense({UNITS}) soll eine Ziffer "
                   "erkennen, die Sie auf der Seite »Ziffern zeichnen« malen. Wie viele der "
                   f"{UNITS} Ausgaben von Dense({UNITS}) setzt die Dropout-Schicht dabei auf 0?",
            answer=0,
            right="Richtig: keine. Dropout wirkt nur beim Training; bei Vorhersage und Validierung rechnet Keras "
                  f"mit allen {UNITS} Neuronen. Das Hochskalieren mit 1 / (1 − {de(DROPOUT.rate, 1)}) während des "
                  "Trainings sorgt dafür, dass die Summen dann im Mittel dieselbe Größe haben.",
            wrong="Überlegen Sie, ob Dropout bei der Vorhersage überhaupt eingeschaltet ist.",
            typical=((IN_TRAINING, f"So viele sind es im Mittel bei einem Trainingsbild ({de(100 * DROPOUT.rate)} % "
                                   f"von {UNITS}). Bei der Vorhersage ist Dropout aus: Keras rechnet mit allen "
                                   "Neuronen."),
                     (UNITS - IN_TRAINING, f"{UNITS - IN_TRAINING} bleiben im Mittel bei einem Trainingsbild "
                                           "eingeschaltet. Bei der Vorhersage ist Dropout ganz aus – keine Ausgabe "
                                           "wird auf 0 gesetzt."),
                     (UNITS, "Dann käme bei der softmax-Schicht nichts mehr an. Beim Training schaltet Dropout im "
                             f"Mittel {de(100 * DROPOUT.rate)} % ab, bei der Vorhersage gar keine.")),
        ),
    ),
}
