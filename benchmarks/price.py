"""Price of a training (tutorial/price.py): predicted vs. measured peak memory and seconds.

Each spec trains in a fresh child process the way the app's training child does (TensorFlow limited
to the cores of one training, ``tutorial.training.train`` with the test predictions, then
``model.save``), for one epoch of a few hundred digits unless said otherwise. The child reports its
peak RSS after loading TensorFlow and the data (``base``), after training (``train``) and after
saving the model (``save``), and the time of every step. The parent watches the child's RSS and kills
it above ``--cap-mb`` or after ``--timeout`` seconds.

    python benchmarks/price.py              # presets + larger specs, table into RESULTS.md
    python benchmarks/price.py --raw        # one JSON line per spec, nothing written

Runs on an idle machine only (say so with ``--load``, it is noted in the table).
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import pickle
import subprocess
import sys
import time

from common import ROOT, machine, write_section

from tutorial import price as P
from tutorial import settings
from tutorial import layers as L
from tutorial import spec as S
from tutorial.presets import PRESETS

CHILD = r"""
import base64, json, os, pickle, resource, sys, tempfile, time
sys.path.insert(0, {root!r})
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from tutorial.worker import _limit_threads
_limit_threads({threads})
from tutorial import data, training
data.load_arrays("train"); data.load_arrays("test")
import tensorflow as tf
spec = pickle.loads(base64.b64decode({spec!r}))
base = peak()
times = []
def progress(record):
    times.append((record.get("kind"), record.get("step", 0), time.perf_counter(), time.process_time()))
result = training.train(spec, on_progress=progress, every=1)
train_peak = peak()
with tempfile.TemporaryDirectory() as tmp:
    result.model.save(os.path.join(tmp, "m.keras"))
save_peak = peak()
def median(values):
    values = sorted(values[len(values) // 4:]) or sorted(values)
    return values[len(values) // 2] if values else None
out = {{"base": base, "train": train_peak, "save": save_peak, "fit": result.seconds, "status": result.status}}
for i, clock in ((2, ""), (3, "_cpu")):
    batches = [(r[1], r[i]) for r in times if r[0] == "batch"]
    epochs = [(r[1], r[i]) for r in times if r[0] == "epoch"]
    out["step" + clock] = median([b[1] - a[1] for a, b in zip(batches, batches[1:]) if b[0] == a[0] + 1])
    val = [t - dict(batches)[s] for s, t in epochs if s in dict(batches)]
    out["val" + clock] = sum(val) / len(val) if val else None
out["steps"] = len([r for r in times if r[0] == "batch"])
print(json.dumps(out))
"""


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError):
        return 0.0


def measure(spec: S.RunSpec, threads: int, timeout: float = 120, cap_mb: float = 4000) -> dict:
    """Train ``spec`` in a fresh child; its report, or {"error": ...} if it was killed."""
    code = CHILD.format(root=str(ROOT), threads=threads,
                        spec=base64.b64encode(pickle.dumps(spec)).decode())
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    t0, polled, error = time.time(), 0.0, None
    while proc.poll() is None:
        polled = max(polled, rss_mb(proc.pid))
        if polled > cap_mb:
            error = f"killed above {cap_mb:.0f} MB"
        elif time.time() - t0 > timeout:
            error = f"killed after {timeout:.0f} s"
        if error:
            proc.kill()
            break
        time.sleep(0.05)
    out, err = proc.communicate()
    if error or proc.returncode:
        return {"error": error or err.strip().splitlines()[-1][:200], "polled": polled}
    report = json.loads(out.strip().splitlines()[-1])
    report["polled"] = polled
    report["wall"] = time.time() - t0
    return report


def _conv_net(filters: int, kernel: int, convs: int, dense: int, stride: int = 1) -> S.RunSpec:
    layers = (L.Reshape(), *[L.Conv2D(filters, kernel, stride, "same") for _ in range(convs)], L.Flatten(),
              L.Dense(dense, "relu"), L.Dense(10, "softmax"))
    return S.RunSpec(layers=layers, optimizer="adam", learning_rate=0.01, lr_decay=0.6)


def specs(limit: int) -> list[tuple[str, S.RunSpec]]:
    out = [(name, spec.with_(epochs=1, limit=limit * spec.batch_size // 128)) for name, spec in PRESETS.items()]
    extra = [
        ("dense 4×784 (ch. 6 max)", S.RunSpec(layers=(*[L.Dense(784, "relu")] * 4, L.Dense(10, "softmax")),
                                               optimizer="sgd")),
        ("conv 3×32 k5 /1, dense 200", _conv_net(32, 5, 3, 200)),
        ("conv 2×64 k5 /2, dense 1000", _conv_net(64, 5, 2, 1000, 2)),
        ("conv 4×64 k9 /2, dense 1000", _conv_net(64, 9, 4, 1000, 2)),
        ("conv 1×128 k9 /1, dense 100", _conv_net(128, 9, 1, 100)),
        ("conv 2×48 k5 /1, dense 200", _conv_net(48, 5, 2, 200)),
        ("conv 4×32 k9 /1, dense 500", _conv_net(32, 9, 4, 500)),
        ("conv 2×128 k3 /2, dense 1000", _conv_net(128, 3, 2, 1000, 2)),
        ("conv 1×8 k3 /1, dense 1000", _conv_net(8, 3, 1, 1000)),
    ]
    out += [(name, spec.with_(epochs=1, limit=limit)) for name, spec in extra]
    keras_02 = PRESETS["keras_02_mnist_dense"]
    out += [("keras_02 full data", keras_02.with_(epochs=1)),
            ("keras_05 1,280 digits", PRESETS["keras_05_mnist_batch_norm"].with_(epochs=1, limit=1280)),
            ("keras_05 full data", PRESETS["keras_05_mnist_batch_norm"].with_(epochs=1)),
            ("keras_05 batch 256", PRESETS["keras_05_mnist_batch_norm"].with_(epochs=1, limit=2560, batch_size=256)),
            ("keras_05 batch 32", PRESETS["keras_05_mnist_batch_norm"].with_(epochs=1, limit=320, batch_size=32)),
            ("keras_02 full data 3 epochs", keras_02.with_(epochs=3))]
    return out


def timing_specs() -> list[tuple[str, S.RunSpec]]:
    """Specs for the time model: enough steps for a median, validation on 2,000 digits for big nets."""
    out = [(name, PRESETS[name].with_(epochs=1, limit=n)) for name, n in
           (("keras_01_mnist", 6400), ("keras_02_mnist_dense", 6400), ("keras_03_mnist_dense_lrdecay_dropout", 6400),
            ("keras_04_mnist_convolutional", 2560), ("keras_05_mnist_batch_norm", 1280))]
    out.append(("dense 4×784 (ch. 6 max)", S.RunSpec(layers=(*[L.Dense(784, "relu")] * 4, L.Dense(10, "softmax")),
                                                      optimizer="sgd", limit=6400, epochs=1)))
    for name, spec in [("conv 3×32 k5 /1, dense 200", _conv_net(32, 5, 3, 200)),
                       ("conv 2×64 k5 /2, dense 1000", _conv_net(64, 5, 2, 1000, 2)),
                       ("conv 4×64 k9 /2, dense 1000", _conv_net(64, 9, 4, 1000, 2)),
                       ("conv 1×128 k9 /1, dense 100", _conv_net(128, 9, 1, 100)),
                       ("conv 2×128 k3 /2, dense 1000", _conv_net(128, 3, 2, 1000, 2)),
                       ("conv 1×8 k3 /1, dense 1000", _conv_net(8, 3, 1, 1000)),
                       ("conv 4×32 k9 /1, dense 500", _conv_net(32, 9, 4, 500)),
                       ("keras_05 batch 256", PRESETS["keras_05_mnist_batch_norm"].with_(batch_size=256))]:
        out.append((name, spec.with_(epochs=1, limit=1280, val_limit=2000)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", action="store_true", help="print JSON lines, write nothing")
    parser.add_argument("--limit", type=int, default=640, help="training digits per spec (batch 128)")
    parser.add_argument("--only", help="measure only specs whose name contains this")
    parser.add_argument("--load", default="idle", help="how busy the machine was (noted in the table)")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--cap-mb", type=float, default=4000)
    parser.add_argument("--threads", type=int, help="TensorFlow threads (default: one training's share)")
    parser.add_argument("--timing", action="store_true", help="the time model's specs (with --raw, --threads 1)")
    args = parser.parse_args()
    threads = args.threads or settings.threads_per_training(1)
    rows = []
    for name, spec in (timing_specs() if args.timing else specs(args.limit)):
        if args.only and args.only not in name:
            continue
        predicted = P.price(spec)
        measured = measure(spec, threads, args.timeout, args.cap_mb)
        record = {"name": name, "params": predicted.params, "predicted_mb": round(predicted.memory_mb),
                  "predicted_step": predicted.step_seconds, "predicted_val": predicted.val_seconds, **measured}
        print(json.dumps(record), flush=True)
        rows.append(record)
    if args.raw:
        return
    lines = [f"Machine: {machine()}; {threads} TensorFlow threads per training child; load: {args.load}.", "",
             "Each spec in a fresh child for one epoch of its digits (presets: "
             f"{args.limit} digits at batch 128), validation on all 10,000 test digits; peak RSS after "
             "training and after `model.save` (with optimizer state). Step: median seconds of the later "
             "steps; validation: one pass.", "",
             "| spec | parameters | memory predicted | measured (train / save) | step predicted | measured | "
             "validation predicted | measured |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['name']} | {r['params']:,} | {r['predicted_mb']} MB | {r['error']} | | | | |")
            continue
        lines.append(f"| {r['name']} | {r['params']:,} | {r['predicted_mb']} MB | {r['train']:.0f} / "
                     f"{r['save']:.0f} MB | {1000 * r['predicted_step']:.1f} ms | {1000 * r['step']:.1f} ms | "
                     f"{r['predicted_val']:.2f} s | {r['val']:.2f} s |")
    write_section("Price of a training: predicted vs. measured", "\n".join(lines))


if __name__ == "__main__":
    main()
