"""What a learner's settings are, resolved once: the preset they equal, the chapter's solution, how they
differ from it, the parameter count and the training price (:mod:`tutorial.price`).

The exercise panel (:mod:`tutorial.app.exercise`) resolves the page's spec once per render with
:func:`resolve` and hands the :class:`Choice` down (code view, buttons, result, run log), so no room
asks "which preset is this?" again. :func:`resolve` is cached per spec: the run log's entries
(:attr:`tutorial.app.runlog.Run.choice`) get the same answer without computing it again.

Two specs are the same run when they build the same model – every layer with its Keras class and *all*
its arguments (``padding``, ``use_bias``, ``center``, ``scale`` …; the layers' dataclass fields carry
the Keras argument names), not its short label – and train it the same way (optimizer, effective
learning rate, its decay, batch size). The number of epochs, the digits used (quick mode, tests) and the
seed say how long and on what a run trains, not which run it is.

No Streamlit, no TensorFlow.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from tutorial import price as P
from tutorial.deutsch import short
from tutorial.layers import Layer, literal
from tutorial.presets import PRESET_TITLES, PRESETS
from tutorial.spec import OPTIMIZERS, RunSpec, layer_table


# --- what a run is --------------------------------------------------------------------------------
def layer_definition(layer: Layer) -> tuple:
    """The layer's Keras class and every argument it is built with, Keras' defaults included."""
    return layer.keras_class, tuple((f.name, getattr(layer, f.name)) for f in dataclasses.fields(layer))


def training_definition(spec: RunSpec) -> tuple:
    """How the model is trained, as far as it makes a different run (not: epochs, digits, seed)."""
    return spec.optimizer, float(spec.lr), spec.lr_decay, spec.batch_size


def run_definition(spec: RunSpec) -> tuple:
    """Equal for two specs exactly when they are the same run (see the module's doc)."""
    return tuple(layer_definition(layer) for layer in spec.layers), training_definition(spec)


@lru_cache(maxsize=1)
def _presets_by_definition() -> dict[tuple, str]:
    out: dict[tuple, str] = {}
    for name, preset in PRESETS.items():
        out.setdefault(run_definition(preset), name)
    return out


def preset_for(spec: RunSpec) -> Optional[str]:
    """The preset that is the same run as ``spec`` (any epochs, digits and seed), or None."""
    return _presets_by_definition().get(run_definition(spec))


# --- how a choice differs from the solution -------------------------------------------------------
@dataclass(frozen=True)
class Difference:
    """One way a choice differs from the solution.

    ``topic``: "layers" (another stack of layers), a Keras argument of some layers ("padding",
    "use_bias", "center", "scale", "units", …; ``layers`` are their positions in the chosen spec), or a
    training setting ("optimizer", "learning_rate", "lr_decay", "batch_size"). ``text`` says it in German
    (Markdown)."""

    topic: str
    chosen: Any
    solution: Any
    text: str
    layers: tuple[int, ...] = ()


def _listing(labels: list[str]) -> str:
    """"A, B und C"; equal labels counted ("4 × BN")."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    parts = [label if n == 1 else f"{n} × {label}" for label, n in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " und " + parts[-1]


def _layer_differences(chosen: tuple, solution: tuple) -> list[Difference]:
    if [layer_definition(a) for a in chosen] == [layer_definition(b) for b in solution]:
        return []
    if len(chosen) != len(solution) or any(a.keras_class != b.keras_class for a, b in zip(chosen, solution)):
        mine, theirs = [a.label() for a in chosen], [b.label() for b in solution]
        if mine == theirs:    # labels hide the arguments: name the full layers
            mine, theirs = [a.code() for a in chosen], [b.code() for b in solution]
        return [Difference("layers", tuple(mine), tuple(theirs),
                           f"Schichten: Sie haben {' → '.join(mine)}; die Lösung hat {' → '.join(theirs)}.")]
    groups: dict[tuple, list[int]] = {}     # (argument, chosen value, solution value) -> layer positions
    for i, (a, b) in enumerate(zip(chosen, solution)):
        for (name, value), (_, wanted) in zip(layer_definition(a)[1], layer_definition(b)[1]):
            if value != wanted:
                groups.setdefault((name, value, wanted), []).append(i)
    return [Difference(name, value, wanted,
                       f"Schichten: `{name}={literal(value)}` statt `{name}={literal(wanted)}` bei "
                       f"{_listing([chosen[i].label() for i in where])}.", tuple(where))
            for (name, value, wanted), where in groups.items()]


def differences(chosen: RunSpec, solution: RunSpec) -> tuple[Difference, ...]:
    """How ``chosen`` differs from ``solution`` as a run (empty: the same run)."""
    out = _layer_differences(chosen.layers, solution.layers)
    if chosen.optimizer != solution.optimizer:
        out.append(Difference("optimizer", chosen.optimizer, solution.optimizer,
                              f"Optimierer: {OPTIMIZERS[chosen.optimizer]} statt {OPTIMIZERS[solution.optimizer]}."))
    if float(chosen.lr) != float(solution.lr):
        out.append(Difference("learning_rate", chosen.lr, solution.lr,
                              f"Lernrate: {short(chosen.lr)} statt {short(solution.lr)}."))
    if chosen.lr_decay != solution.lr_decay:
        what = lambda d: f"Faktor {short(d)} pro Epoche" if d else "keiner"   # noqa: E731
        out.append(Difference("lr_decay", chosen.lr_decay, solution.lr_decay,
                              f"Lernratenabfall: {what(chosen.lr_decay)} statt {what(solution.lr_decay)}."))
    if chosen.batch_size != solution.batch_size:
        out.append(Difference("batch_size", chosen.batch_size, solution.batch_size,
                              f"Batch-Größe: {chosen.batch_size} statt {solution.batch_size}."))
    return tuple(out)


# --- the resolved choice --------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    """A spec with everything the app says about it. Build it with :func:`resolve`."""

    spec: RunSpec
    preset: Optional[str]              # the preset that is the same run (any epochs, digits), or None
    solution: Optional[str]            # the chapter's solution preset (None: the exercise has none)
    differences: tuple[Difference, ...]   # to the solution; empty when it is the solution or there is none
    params: Optional[int]              # trainable and non-trainable; None when the model cannot be built
    problem: Optional[str] = None      # why the model cannot be built (German), None when it can
    # The training price of this run (parameters, peak memory, seconds on an idle 2-core box), from
    # ``spec`` with its epochs and digits (for_run() resolves the run "Trainieren" starts); None when the
    # model cannot be built. Whether it is within the host's caps is asked where it is shown
    # (price.check), since the caps are settings.
    price: Optional[P.Price] = None

    @property
    def buildable(self) -> bool:
        return self.problem is None

    @property
    def is_solution(self) -> bool:
        """The chapter's solution, as a run (any epochs, digits)."""
        return self.solution is not None and self.buildable and not self.differences

    @property
    def preset_title(self) -> Optional[str]:
        return PRESET_TITLES.get(self.preset) if self.preset else None

    def for_run(self, run: RunSpec) -> "Choice":
        """The choice for ``run``: the same run with its own epochs, digits and seed (what "Trainieren"
        starts); same preset, solution and differences."""
        if run_definition(run) != run_definition(self.spec):
            raise ValueError("for_run() takes the same run with other epochs or digits")
        return resolve(run, self.solution)


@lru_cache(maxsize=512)
def resolve(spec: RunSpec, solution: Optional[str] = None) -> Choice:
    """What ``spec`` is: its preset, its differences to the preset named ``solution``, its parameters."""
    try:
        params, problem = sum(row["params"] for row in layer_table(spec)), None
    except ValueError as exc:
        params, problem = None, str(exc)
    diffs = differences(spec, PRESETS[solution]) if solution is not None and problem is None else ()
    try:
        cost = P.price(spec) if problem is None else None
    except (ValueError, TypeError, KeyError, ZeroDivisionError):
        cost = None
    return Choice(spec, preset_for(spec), solution, diffs, params, problem, cost)
