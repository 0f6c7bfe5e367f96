"""Chapter 8: the learning rate and its decay – noise in the curves."""
from tutorial import presets
from tutorial.deutsch import de, short
from tutorial.questions import finished
from tutorial.questions.model import Guess, Option, Question, epochs

DECAY = presets.PRESETS["ex_08_lr_decay"]
NEEDED = 4         # epochs a run needs to have a "second half" worth judging
JUMP = 0.05        # a rise of the validation loss by more than 5 % from one epoch to the next counts as a jump


def loss_course(history: dict) -> tuple[int, float, float, float]:
    """(index of the option, largest rise between two epochs in the second half, loss at the middle, at the end).

    0: the validation loss jumps up again in the second half of the run; 1: it keeps falling (by more
    than 5 % from the middle to the end); 2: it stays flat.
    """
    loss = [e["val_loss"] for e in epochs(history)]
    half = max(1, len(loss) // 2)
    rise = max((loss[i] / loss[i - 1] - 1 for i in range(half, len(loss))), default=0.0)
    middle, last = loss[half - 1], loss[-1]
    if rise > JUMP:
        return 0, rise, middle, last
    if last < (1 - JUMP) * middle:
        return 1, rise, middle, last
    return 2, rise, middle, last



def _outcome(history, spec):
    return finished.outcome_or_full_run(history, spec, NEEDED, _course)


def _course(history, whose: str):
    n = len(epochs(history))
    index, rise, middle, last = loss_course(history)
    facts = (f"{whose} lag der Validierungsverlust nach Epoche {max(1, n // 2)} bei {de(middle, 3)} und "
             f"am Ende bei {de(last, 3)}; der größte Anstieg von einer Epoche zur nächsten in der zweiten Hälfte "
             f"betrug {de(100 * rise, 0) if rise > 0 else '0'} %.")
    return index, facts


GUESS = Guess(
    id="ch08.noise",
    prompt="Wie verläuft der Validierungsverlust Ihres Laufs in der zweiten Hälfte des Trainings?",
    options=("Er springt zwischendurch wieder nach oben (um mehr als 5 %)", "Er sinkt weiter deutlich",
             "Er bleibt fast flach, ohne Sprünge"),
    outcome=_outcome,
    step=lambda spec: "abklingen" if spec.lr_decay else "",
    steps=(("", "Schritt 1: ohne Lernratenabfall"), ("abklingen", "Schritt 2: mit Lernratenabfall")),
    why=("Die Schritte sind zu groß, um im Tal zur Ruhe zu kommen: Das Netz springt um das Minimum herum – "
         "das Rauschen in den Kurven. Ein Teil des Anstiegs kann auch schon Überanpassung sein (Kapitel 9).",
         "Das Netz lernt noch: Der Lauf ist von einem guten Ergebnis noch ein Stück entfernt.",
         "Die Lernrate ist klein genug geworden (zum Beispiel durch den Lernratenabfall), sodass das Netz ruhig im "
         "Minimum bleibt."),
)

QUESTIONS = {
    "after_decay": (
        Question(
            id="ch08.decay_epoch5",
            prompt=f"Die Lernrate beginnt bei {short(DECAY.lr)} und wird nach jeder Epoche mit "
                   f"{short(DECAY.lr_decay)} multipliziert. Wie groß ist sie ungefähr in der fünften Epoche?",
            options=(
                Option(short(round(DECAY.lr_at(3), 5)), False,
                       f"Das ist die Lernrate der vierten Epoche ({short(DECAY.lr)} · {short(DECAY.lr_decay)}³). "
                       "In der fünften wird noch einmal multipliziert."),
                Option(short(round(DECAY.lr_at(4), 5)), True,
                       f"Richtig: {short(DECAY.lr)} · {short(DECAY.lr_decay)}⁴ ≈ {short(round(DECAY.lr_at(4), 5))}. "
                       "Die erste Epoche rechnet mit dem Faktor hoch 0, die fünfte also hoch 4."),
                Option(short(round(DECAY.lr_at(5), 5)), False,
                       f"Das wäre schon die sechste Epoche ({short(DECAY.lr)} · {short(DECAY.lr_decay)}⁵). Die "
                       "erste Epoche verwendet die Startrate unverändert."),
            ),
        ),
    ),
    "after_result": (
        Question(
            id="ch08.which_noisy",
            prompt="Die Verlustkurven zweier fertiger Läufe dieser App: einer mit der festen Lernrate 0,01, einer "
                   "mit Lernratenabfall. Welcher Lauf hatte die feste Lernrate?",
            runs=("ex_08_lr001", "ex_08_lr_decay"), zoom=5,
            options=(
                Option("Lauf A", True,
                       "Richtig: Die Validierungskurve von Lauf A springt in den späten Epochen auf und ab – "
                       "die Schritte bleiben groß. Bei Lauf B wird die Lernrate kleiner, die Kurve beruhigt "
                       "sich."),
                Option("Lauf B", False,
                       "Lauf B wird in den späten Epochen ruhig: Seine Lernrate ist dann viel kleiner. Die "
                       "feste Lernrate erkennen Sie am Springen der Validierungskurve von Lauf A."),
            ),
        ),
    ),
}
