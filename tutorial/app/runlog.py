"""The run log ("Versuchsprotokoll"): every run a session finished, as a small dataclass.

A :class:`Run` is added once when its result is drawn (live or ready-made, so a live run with the
same settings as a ready-made one is a separate entry); its :attr:`Run.title` names it everywhere
(log, drawing page, "Modelle von innen") by chapter, settings and test accuracy, and
:meth:`Run.row` / :meth:`Run.record` are its row in the table and in the CSV download. What its spec
is (preset, parameters) is :attr:`Run.choice`, resolved by :func:`tutorial.choice.resolve`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from tutorial import layers as L
from tutorial import spec as S
from tutorial.app import state
from tutorial.choice import Choice, resolve
from tutorial.deutsch import count, de, duration, percent, spreadsheet_csv

LIVE, READY = "live", "fertig"
FULL_EPOCHS = 10        # every preset (and so every ready-made result) trains 10 epochs


def settings(choice: Choice) -> str:
    """Short German summary of a run's settings: the preset's title when the model and training are
    a preset's, else the hidden layers and the optimizer; then the epochs and, for a subset, the digits."""
    spec = choice.spec
    if choice.preset is not None:
        text = choice.preset_title
    else:
        hidden = [layer.label() for layer in spec.layers[:-1] if not isinstance(layer, (L.Reshape, L.Flatten))]
        text = " → ".join(hidden or ["nur die Ausgabeschicht"]) + f" · {S.OPTIMIZERS[spec.optimizer]}"
    text += f" · {count(spec.epochs, 'Epoche', 'Epochen')}"
    if spec.limit:
        text += f" · {count(spec.train_size, 'Ziffer', 'Ziffern')}"
    return text


@dataclass
class Run:
    id: str                           # "live:<spec key>" or "fertig:<preset>"
    chapter: str                      # "Kapitel 3" (Chapter.label)
    kind: str                         # LIVE | READY
    spec: S.RunSpec
    history: dict
    seconds: Optional[float] = None
    errors: Optional[int] = None      # misrecognised test digits (None: no evaluation, e.g. NaN stop)
    n_val: Optional[int] = None       # test digits evaluated
    number: int = 0                   # position in the log, 1 …
    clock: str = field(default_factory=lambda: time.strftime("%H:%M:%S"))

    @property
    def choice(self) -> Choice:
        """What the run's spec is (its preset, parameters); resolved once per spec."""
        return resolve(self.spec)

    @property
    def accuracy(self) -> Optional[float]:
        """Test accuracy of the final model on the ``n_val`` evaluated digits."""
        return None if self.errors is None or not self.n_val else 1 - self.errors / self.n_val

    @property
    def best_val_accuracy(self) -> Optional[float]:
        values = [e["val_accuracy"] for e in self.history.get("epochs", []) if np.isfinite(e["val_accuracy"])]
        return max(values) if values else None

    @property
    def quick(self) -> bool:
        """Trained on a subset of the digits (quick mode or the tests' tiny runs)."""
        return self.spec.limit is not None

    @property
    def title(self) -> str:
        who = "Ihr Lauf" if self.kind == LIVE else "Fertiges Ergebnis"
        score = "abgebrochen (NaN)" if self.accuracy is None else f"{percent(self.accuracy)} Testgenauigkeit"
        return f"{who}: {self.chapter} · {settings(self.choice)} · {score}"

    def row(self) -> dict:
        """The run's row in the log's table (German labels and number format, few columns)."""
        return {"Nr": self.number, "Kapitel": self.chapter, "Art": self.kind, "Einstellungen": settings(self.choice),
                "Parameter": de(self.choice.params),
                "Testgenauigkeit": percent(self.accuracy) if self.n_val == S.TEST_SIZE or self.accuracy is None
                else f"{percent(self.accuracy)} (von {de(self.n_val)})",
                "Dauer": duration(self.seconds)}

    def record(self) -> dict:
        """The run for the CSV download: plain numbers, every detail."""
        best = self.best_val_accuracy
        return {"Nr": self.number, "Kapitel": self.chapter, "Art": self.kind, "Modell": self.spec.describe(),
                "Parameter": self.choice.params,
                "Testgenauigkeit (%)": None if self.accuracy is None else round(100 * self.accuracy, 2),
                "Fehler": self.errors, "Testziffern": self.n_val,
                "Beste Validierungsgenauigkeit (%)": None if best is None else round(100 * best, 2),
                "Dauer (s)": None if self.seconds is None else round(float(self.seconds), 1),
                "Uhrzeit": self.clock}


def csv_bytes(log: list[Run]) -> bytes:
    """The log as CSV for a German spreadsheet: semicolons, decimal commas, UTF-8 with BOM (umlauts)."""
    return spreadsheet_csv([run.record() for run in log])


def runs() -> list[Run]:
    """The session's log, oldest first."""
    return state.run_log()


def add(run: Run) -> None:
    """Add a finished run to the log once (a rerun draws the same result again)."""
    log = runs()
    if any(entry.id == run.id for entry in log):
        return
    run.number = len(log) + 1
    log.append(run)


def clear() -> None:
    runs().clear()


def titled(entries: list[Run]) -> dict[str, Run]:
    """The runs by title; equal titles get " (2)", " (3)" … so every option is distinct."""
    out: dict[str, Run] = {}
    for run in entries:
        title, n = run.title, 1
        while title in out:
            n += 1
            title = f"{run.title} ({n})"
        out[title] = run
    return out


def own_models() -> dict[str, tuple[Run, object]]:
    """The learner's live runs whose results the shared trainer still holds: title -> (run, result).

    ``result.model`` loads the model (TensorFlow) only when it is first used."""
    from tutorial.app.loader import trainer

    out = {}
    for title, run in titled([r for r in runs() if r.kind == LIVE]).items():
        job = trainer().get(run.spec)
        result = job.result if job is not None and job.state == "done" else None
        if result is None or result.status == "nan":
            continue
        out[title] = (run, result)
    return out
