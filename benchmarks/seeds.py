"""Seed spread: the same preset trained with different seeds (the ``seed`` field of the spec).

Shows how much of a difference of a few tenths of a percent is luck. Usage:
``python benchmarks/seeds.py keras_01_mnist --seeds 0 1 2 3 4 5``.
"""
from __future__ import annotations

import argparse
import statistics

from common import machine, write_section


def main() -> None:
    from tutorial.__main__ import test_accuracy
    from tutorial.presets import PRESETS
    from tutorial.training import train
    parser = argparse.ArgumentParser()
    parser.add_argument("preset")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    args = parser.parse_args()
    accs = {}
    for seed in args.seeds:
        result = train(PRESETS[args.preset].with_(seed=seed))
        accs[seed] = test_accuracy(result.model)
        print(seed, accs[seed], flush=True)
    rows = "\n".join(f"| {s} | {a:.4f} |" for s, a in accs.items())
    body = (f"Machine: {machine()}\n\nPreset `{args.preset}`, full settings, test accuracy of the final model.\n\n"
            f"| seed | test accuracy |\n|---|---|\n{rows}\n\nmean {statistics.mean(accs.values()):.4f}, "
            f"min {min(accs.values()):.4f}, max {max(accs.values()):.4f}")
    write_section(f"Seed spread of {args.preset}", body)


if __name__ == "__main__":
    main()
