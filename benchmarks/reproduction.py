"""Reproduction table: each notebook preset trained with its full settings (10 epochs) on this
machine, against the accuracy the original notebooks / the codelab report.

By default it reads the histories that ``python -m tutorial pretrain`` wrote (that command is the
full training run); ``--retrain`` trains again here first (about 15 minutes on 2 cores).
"""
from __future__ import annotations

import argparse
import subprocess
import sys

from common import ROOT, machine, write_section

# (value, source): the notebooks' stored runs where known, else the codelab text's figure
REFERENCE = {
    "keras_01_mnist": (0.90, "codelab text: about 90 %"),
    "ex_06_sigmoid": (None, "codelab: worse than one layer, loss stays high"),
    "ex_07_relu": (None, "-"),
    "keras_02_mnist_dense": (0.97, "codelab text: 97 %"),
    "ex_08_lr001": (None, "codelab: noisy curves"),
    "ex_08_lr_decay": (0.98, "codelab text: above 98 %"),
    "ex_09_four_dense": (0.98, "codelab text: still 98 %, val loss rises"),
    "keras_03_mnist_dense_lrdecay_dropout": (0.98, "codelab text: about 98 %"),
    "ex_11_conv_no_dropout": (0.9892, "notebook stored run"),
    "keras_04_mnist_convolutional": (0.99, "codelab text: well above 99 %"),
    "keras_05_mnist_batch_norm": (0.9949, "notebook stored run"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--retrain", action="store_true")
    args = parser.parse_args()
    if args.retrain:
        subprocess.run([sys.executable, "-m", "tutorial", "pretrain"], cwd=ROOT, check=True)
    from tutorial import pretrained
    from tutorial.presets import PRESETS, TARGET_ACCURACY
    rows = ["| preset | epochs | batch | best val acc | final val acc | test acc (saved model) | target | reference | seconds |",
            "|---|---|---|---|---|---|---|---|---|"]
    for name in PRESETS:
        if name not in pretrained.available():
            rows.append(f"| {name} | – | – | missing | | | | | |")
            continue
        h = pretrained.load_history(name)
        vals = [e["val_accuracy"] for e in h["epochs"]]
        ref, source = REFERENCE[name]
        target = TARGET_ACCURACY.get(name)
        rows.append(f"| {name} | {len(vals)} | {h['batch_size']} | {max(vals):.4f} | {vals[-1]:.4f} | "
                    f"{h['test_accuracy']:.4f} | {'≥ %.3f' % target if target else ''} | "
                    f"{'%.4f' % ref if ref else ''} ({source}) | {h['seconds']:.0f} |")
    body = (f"Machine: {machine()}\n\nFull settings of each preset (10 epochs, 60,000 training digits), "
            "trained by `python -m tutorial pretrain`; val acc on the 10,000 test digits after each epoch.\n\n"
            + "\n".join(rows))
    write_section("Reproduction of the notebooks", body)


if __name__ == "__main__":
    main()
