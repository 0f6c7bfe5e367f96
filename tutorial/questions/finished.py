"""The app's finished full run with the same model and training as a learner's run.

Guesses about the later epochs (chapters 8 and 12) cannot be answered by a run of 3 epochs (quick
mode and the host's workshop mode cap live runs there); they are then judged on the stored full run
of the same settings, when the app has one (``assets/models``).
"""
from __future__ import annotations

from typing import Optional

from tutorial import presets, pretrained
from tutorial.deutsch import count, de
from tutorial.spec import TRAIN_SIZE


def _training(spec) -> tuple:
    """What decides a run's course apart from its length, data size and seed."""
    return (spec.layers, spec.optimizer, spec.lr, spec.lr_decay, spec.batch_size)


def full_run(spec) -> Optional[tuple[str, dict]]:
    """(preset name, history) of the stored full run with ``spec``'s settings, or None."""
    if spec is None:
        return None
    for name, preset in presets.PRESETS.items():
        if _training(preset) != _training(spec):
            continue
        try:
            return name, pretrained.load_history(name)
        except (OSError, KeyError, ValueError):
            return None
    return None


def too_short(n: int, needed: int) -> str:
    """Why a run of ``n`` epochs cannot answer a guess that needs ``needed``."""
    return (f"Ihr Lauf hat nur {count(n, 'Epoche', 'Epochen')} – zu kurz für diese Frage, sie braucht mindestens "
            f"{de(needed)}. Im Schnellmodus und im Workshop-Modus der Kursleitung sind Läufe auf höchstens "
            "3 Epochen begrenzt.")


def on_full_run(n: int, needed: int) -> str:
    return (too_short(n, needed) + " Geprüft wird Ihre Vermutung deshalb am fertigen Lauf dieser App mit denselben "
            f"Einstellungen (10 Epochen auf allen {de(TRAIN_SIZE)} Trainingsziffern):")


def no_full_run(n: int, needed: int) -> str:
    return (too_short(n, needed) + " Für Ihre Einstellungen hat die App keinen fertigen Lauf. Trainieren Sie ohne "
            f"Schnellmodus mit mindestens {de(needed)} Epochen, oder sehen Sie sich das fertige Ergebnis der "
            "Lösung an.")


def outcome_or_full_run(history, spec, needed: int, course):
    """The outcome of a guess that needs ``needed`` epochs: judged on the learner's run when it is
    long enough, else on the app's finished full run of the same settings (and saying so).
    ``course(history, whose)`` reads one history and returns (index, facts)."""
    from tutorial.questions.model import epochs, no_run
    n = len(epochs(history))
    if n == 0:
        return None, no_run(history)
    if n < needed:
        full = full_run(spec)
        if full is None:
            return None, no_full_run(n, needed)
        index, facts = course(full[1], "Im fertigen Lauf")
        return index, f"{on_full_run(n, needed)} {facts}", True
    return course(history, "In Ihrem Lauf")
