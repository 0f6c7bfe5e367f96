"""Peak memory (RSS) while training ``keras_05_mnist_batch_norm``: the app's path (validation in
batches of 1,000) vs. the notebook's way (validation in one batch of 10,000). Each variant runs in a
fresh process for one epoch (the peak is reached in the first epoch's training and validation).
Target for the app: ≤ 1.5 GB.
"""
from __future__ import annotations

import json
import subprocess
import sys

from common import ROOT, machine, write_section

CHILD = r"""
import json, os, resource, sys
sys.path.insert(0, {root!r})
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
from tutorial import training
from tutorial.presets import PRESETS
training.VAL_BATCH = {val_batch}
result = training.train(PRESETS["keras_05_mnist_batch_norm"].with_(epochs=1))
print(json.dumps({{"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "val_accuracy": result.history["epochs"][-1]["val_accuracy"]}}))
"""


def run(val_batch: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), val_batch=val_batch)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    app, notebook = run(1000), run(10000)
    body = (f"Machine: {machine()}\n\n| variant | peak RSS |\n|---|---|\n"
            f"| app (validation batches of 1,000) | {app['peak_mb']:.0f} MB |\n"
            f"| notebook style (one validation batch of 10,000) | {notebook['peak_mb']:.0f} MB |\n\n"
            "Target for the app: ≤ 1,536 MB (1.5 GB).")
    write_section("Peak memory while training keras_05", body)


if __name__ == "__main__":
    main()
