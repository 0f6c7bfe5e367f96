"""Chapter 9: over-fitting and dropout."""
from tutorial.deutsch import de
from tutorial.questions.model import Guess, Option, Question, epochs, no_run


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
            runs=("ex_09_four_dense", "keras_03_mnist_dense_lrdecay_dropout"), zoom=10,
            options=(
                Option("Lauf A", True,
                       "Richtig: Bei Lauf A fällt der Trainingsverlust fast auf null, der Validierungsverlust "
                       "bleibt weit darüber und steigt zum Schluss sogar leicht – die Schere der "
                       "Überanpassung. Lauf A ist der ohne Dropout."),
                Option("Lauf B", False,
                       "Bei Lauf B liegen Trainings- und Validierungsverlust dicht beieinander – das Netz "
                       "verallgemeinert. Lauf B ist der mit Dropout; die Schere zeigt Lauf A."),
            ),
        ),
    ),
    "after_dropout": (
        Question(
            id="ch09.dropout_step",
            prompt="Eine Dropout-Schicht mit der Rate 0,25: Was passiert in einem Trainingsschritt?",
            options=(
                Option("Jedes Neuron der Schicht davor wird mit 25 % Wahrscheinlichkeit für diesen Schritt "
                       "abgeschaltet.", True,
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
            id="ch09.dropout_loss",
            prompt="Mit Dropout ist der Trainingsverlust manchmal größer als der Validierungsverlust. Warum?",
            options=(
                Option("Weil beim Training zufällig Neuronen fehlen, bei der Validierung aber das ganze Netz "
                       "rechnet.", True,
                       "Richtig: Das Training misst ein absichtlich geschwächtes Netz. Im fertigen Lauf mit "
                       "Dropout (keras_03) liegt der Trainingsverlust in den Epochen 1 bis 6 über dem "
                       "Validierungsverlust, in Epoche 2 etwa 0,214 gegen 0,127. Die erste Epoche allein "
                       "beweist nichts: Dort zeigt es auch der Lauf ohne Dropout (0,250 gegen 0,137), weil der "
                       "Trainingsverlust als Mittel über die Epoche die Werte des untrainierten Anfangs "
                       "enthält. Ohne Dropout ist er ab Epoche 2 stets der kleinere."),
                Option("Weil die Validierungsziffern leichter sind.", False,
                       "Beide Datensätze stammen aus derselben Sammlung. Der Unterschied liegt im Netz: Beim "
                       "Training sind Neuronen abgeschaltet."),
                Option("Weil Dropout die Lernrate verkleinert.", False,
                       "Dropout ändert die Lernrate nicht; es schaltet beim Training zufällig Neuronen ab."),
            ),
        ),
    ),
}
