"""Chapter 9: over-fitting and dropout."""
from tutorial import pretrained
from tutorial.deutsch import de
from tutorial.questions.model import Guess, Option, Question, epochs, no_run

NO_DROPOUT, DROPOUT = "ex_09_four_dense", "keras_03_mnist_dense_lrdecay_dropout"
NO_DROPOUT_END = pretrained.load_history(NO_DROPOUT)["epochs"][-1]     # the finished runs' last epoch
DROPOUT_END = pretrained.load_history(DROPOUT)["epochs"][-1]


def loss_ratio(history: dict):
    last = epochs(history)[-1]
    return last["val_loss"] / last["loss"] if last["loss"] > 0 else float("inf"), last


def _outcome(history, spec):
    if not epochs(history):
        return None, no_run(history)
    ratio, last = loss_ratio(history)
    index = 0 if ratio < 1 else 1 if ratio <= 2 else 2
    return index, (f"Nach der letzten Epoche Ihres Laufs: Trainingsverlust {de(last['loss'], 3)}, "
                   f"Validierungsverlust {de(last['val_loss'], 3)}"
                   + (f" – {de(ratio, 1)}-mal so groß." if ratio >= 1 else "."))


GUESS = Guess(
    id="ch09.gap",
    prompt="Wie stehen Trainings- und Validierungsverlust nach der letzten Epoche zueinander?",
    options=("Der Validierungsverlust ist kleiner als der Trainingsverlust",
             "Beide sind ähnlich (der Validierungsverlust höchstens doppelt so groß)",
             "Der Validierungsverlust ist mehr als doppelt so groß – eine deutliche Schere"),
    outcome=_outcome,
    why=("Das kommt vor, wenn das Netz beim Training behindert wird (Dropout schaltet dann Neuronen ab) oder "
         "wenn der Trainingsverlust als Mittel über die ganze Epoche noch hohe Werte vom Anfang enthält.",
         "Das Netz verallgemeinert gut: Auf unbekannten Ziffern liegt es kaum schlechter als auf den "
         "Trainingsziffern.",
         "Die Schere zeigt Überanpassung: Das Netz passt sich den Trainingsziffern immer genauer an, ohne "
         "dass es auf unbekannten Ziffern entsprechend besser wird."),
)

QUESTIONS = {
    "after_gap": (
        Question(
            id="ch09.which_overfits",
            prompt="Die Verlustkurven zweier fertiger Läufe dieser App mit vier dichten Schichten – einer ohne, "
                   "einer mit Dropout. Welcher zeigt die deutlichere Überanpassung?",
            runs=(NO_DROPOUT, DROPOUT), zoom=10,
            options=(
                Option("Lauf A", True,
                       "Richtig: Bei Lauf A fällt der Trainingsverlust fast auf null, der Validierungsverlust "
                       "bleibt weit darüber und steigt zum Schluss sogar leicht – die Schere der "
                       "Überanpassung. Lauf A ist der ohne Dropout."),
                Option("Lauf B", False,
                       "Bei Lauf B liegen Trainings- und Validierungsverlust dicht beieinander, und der "
                       "Validierungsverlust sinkt bis zum Schluss – keine Schere. Lauf B ist der mit Dropout; die "
                       "Schere zeigt Lauf A."),
            ),
        ),
    ),
    "after_dropout": (
        Question(
            id="ch09.dropout_step",
            prompt="Eine Dropout-Schicht mit der Rate 0,25: Was passiert in einem Trainingsschritt?",
            options=(
                Option("Jedes Neuron der Schicht davor wird mit 25 % Wahrscheinlichkeit abgeschaltet – für jedes "
                       "Bild des Batches neu ausgelost.", True,
                       "Richtig: In jedem Schritt trifft es andere Neuronen; so kann sich das Netz auf kein "
                       "einzelnes verlassen."),
                Option("Ein Viertel der Neuronen wird dauerhaft entfernt.", False,
                       "Nein – die Auswahl wechselt in jedem Schritt, und kein Neuron geht verloren."),
                Option("Auch bei Vorhersagen nach dem Training bleibt ein Viertel abgeschaltet.", False,
                       "Nein: Bei Vorhersage und Validierung arbeitet Keras mit allen Neuronen; Dropout wirkt "
                       "nur beim Training."),
            ),
        ),
        Question(
            id="ch09.dropout_predict",
            prompt=f"Vor Lauf 2: Ohne Dropout endet der fertige Lauf mit vier Schichten bei einem "
                   f"Validierungsverlust von {de(NO_DROPOUT_END['val_loss'], 3)}. Was erwarten Sie für denselben "
                   "Lauf mit Dropout 0,25 hinter jeder Zwischenschicht nach zehn Epochen?",
            options=(
                Option("Einen deutlich kleineren Validierungsverlust: Dropout bekämpft die Überanpassung, also "
                       "wird das Netz auf neuen Ziffern besser.", False,
                       "Naheliegend, trifft hier aber nicht zu: Der fertige Lauf mit Dropout endet bei "
                       f"{de(DROPOUT_END['val_loss'], 3)} und liegt in jeder Epoche über dem Lauf ohne. Die "
                       "Lücke zum Trainingsverlust schließt sich – aber weil der Trainingsverlust steigt, nicht "
                       "weil der Validierungsverlust fällt. Warum, zeigen die nächsten Abschnitte."),
                Option("Einen größeren Validierungsverlust, dafür liegen Trainings- und Validierungsverlust dicht "
                       "beieinander.", True,
                       f"Richtig: Der fertige Lauf mit Dropout endet bei {de(DROPOUT_END['val_loss'], 3)} statt "
                       f"{de(NO_DROPOUT_END['val_loss'], 3)}. Sein Trainingsverlust steigt dafür von "
                       f"{de(NO_DROPOUT_END['loss'], 3)} auf {de(DROPOUT_END['loss'], 3)}: Die Lücke ist fast zu, "
                       "aber von oben. Dropout behindert das Netz beim Lernen; ob das mehr nützt oder schadet, "
                       "hängt davon ab, was das Netz begrenzt – die nächsten Abschnitte zeigen es."),
                Option("Denselben Validierungsverlust: Bei der Validierung ist Dropout ohnehin aus, Keras rechnet "
                       "mit allen Neuronen.", False,
                       "Dropout ist bei der Validierung zwar aus – aber die Gewichte wurden mit Dropout gelernt und "
                       f"sind andere. Der fertige Lauf mit Dropout endet bei {de(DROPOUT_END['val_loss'], 3)}, "
                       f"nicht bei {de(NO_DROPOUT_END['val_loss'], 3)}."),
            ),
        ),
    ),
}
