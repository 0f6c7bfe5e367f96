"""Chapter 12: dropout in the convolutional network."""
from tutorial import presets
from tutorial import spec as S
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
         "Der Lauf war kurz genug (oder das Netz lernte noch), dass der Tiefpunkt erst am Ende kam."),
)

QUESTIONS = {
    "after_exercise": (
        Question(
            id="ch12.which_overfits",
            prompt="Die Verlustkurven zweier fertiger Faltungsnetz-Läufe dieser App – einer ohne, einer mit "
                   "Dropout 0,4. Welcher zeigt die deutlichere Überanpassung?",
            runs=("keras_04_mnist_convolutional", "ex_11_conv_no_dropout"), zoom=16,
            options=(
                Option("Lauf A", False,
                       "Lauf A ist der mit Dropout. Auch er passt sich leicht an: Sein Validierungsverlust "
                       "steigt nach dem Tiefpunkt in Epoche 4 (0,028) bis zum Ende um etwa 6 % (0,030). Bei "
                       "Lauf B steigt er nach der vierten Epoche aber von 0,036 auf 0,047, um fast ein Drittel – "
                       "die deutlichere Überanpassung."),
                Option("Lauf B", True,
                       "Richtig: Bei Lauf B steigt der Validierungsverlust nach seinem Tiefpunkt wieder an, "
                       "um fast ein Drittel (von 0,036 auf 0,047), während der Trainingsverlust gegen null geht – "
                       "deutliche Überanpassung. Lauf B ist der ohne Dropout; der Lauf mit Dropout steigt nur "
                       "um etwa 6 %."),
            ),
        ),
        Question(
            id="ch12.dropout_params",
            prompt="Wie viele Parameter kommen hinzu, wenn zwischen Dense(200) und Dense(10) eine Dropout-Schicht "
                   "eingefügt wird?",
            options=(
                Option(de(S.param_count(WITH) - S.param_count(WITHOUT)), True,
                       f"Richtig: Dropout hat keine Gewichte. Beide Netze haben {de(S.param_count(WITH))} "
                       "Parameter."),
                Option("80", False, "Dropout lernt nichts – es schaltet beim Training zufällig Neuronen ab und "
                                    "hat deshalb keinen einzigen Parameter."),
                Option(de(200 * 10 + 10), False, "So viele Parameter hat die softmax-Schicht Dense(10) selbst. "
                                                 "Die Dropout-Schicht davor hat keine."),
            ),
        ),
    ),
}
