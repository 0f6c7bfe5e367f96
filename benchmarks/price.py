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

from tutorial import pretrained
from tutorial import price as P
from tutorial import settings
from tutorial import layers as L
from tutorial import spec as S
from tutorial.presets import PRESETS
from tutorial.worker import rss_mb

CHILD = r"""
import base64, json, os, pickle, resource, sys, tempfile, time
sys.path.insert(0, {root!r})
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from tutorial.training import limit_threads
limit_threads({threads})
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
    """The presets at ``limit`` digits (batch 128; keras_05 the same number of steps), larger specs
    (validation on 2,000 digits so they finish in time), and the data size, batch and epochs effects."""
    out = [(name, spec.with_(epochs=1, limit=limit * spec.batch_size // 128)) for name, spec in PRESETS.items()]
    dense = S.RunSpec(layers=(*[L.Dense(784, "relu")] * 4, L.Dense(10, "softmax")), optimizer="sgd")
    out.append(("dense 4×784 (ch. 6 max)", dense.with_(epochs=1, limit=limit)))
    extra = [("conv 3×32 k5 /1, dense 200", _conv_net(32, 5, 3, 200)),
             ("conv 2×64 k5 /2, dense 1000", _conv_net(64, 5, 2, 1000, 2)),
             ("conv 4×64 k9 /2, dense 1000", _conv_net(64, 9, 4, 1000, 2)),
             ("conv 1×128 k9 /1, dense 100", _conv_net(128, 9, 1, 100)),
             ("conv 2×128 k3 /2, dense 1000", _conv_net(128, 3, 2, 1000, 2)),
             ("conv 1×8 k3 /1, dense 1000", _conv_net(8, 3, 1, 1000)),
             ("conv 4×32 k9 /1, dense 500", _conv_net(32, 9, 4, 500))]
    out += [(name, spec.with_(epochs=1, limit=limit, val_limit=2000)) for name, spec in extra]
    keras_02, keras_05 = PRESETS["keras_02_mnist_dense"], PRESETS["keras_05_mnist_batch_norm"]
    out += [("keras_02, all 60,000 digits", keras_02.with_(epochs=1)),
            ("keras_02, all digits, 3 epochs", keras_02.with_(epochs=3)),
            ("keras_05, all 60,000 digits", keras_05.with_(epochs=1)),
            ("keras_05, batch 256", keras_05.with_(epochs=1, limit=2560, batch_size=256)),
            ("keras_05, batch 32", keras_05.with_(epochs=1, limit=320, batch_size=32))]
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
    parser.add_argument("--from", dest="source", help="JSON lines of an earlier run (its stdout): no measuring")
    args = parser.parse_args()
    threads = args.threads or settings.threads_per_training(1)
    rows = [json.loads(line) for line in open(args.source) if line.startswith("{")] if args.source else []
    for name, spec in ([] if args.source else timing_specs() if args.timing else specs(args.limit)):
        if args.only and args.only not in name:
            continue
        predicted = P.price(spec)
        load = os.getloadavg()[0]
        measured = measure(spec, threads, args.timeout, args.cap_mb)
        record = {"name": name, "params": predicted.params, "predicted_mb": round(predicted.memory_mb),
                  "predicted_step": predicted.step_seconds, "predicted_val": predicted.val_seconds,
                  "load": load, **measured}
        print(json.dumps(record), flush=True)
        rows.append(record)
    if args.raw:
        return
    lines = [f"Machine: {machine()}; {threads} TensorFlow thread(s) per training child. Load: {args.load} "
             "(the load average of the minute before each spec is in the table).", "",
             f"Each spec in a fresh child for one epoch (presets: {args.limit} digits at batch 128; larger "
             "specs: validation on 2,000 digits), the way the app's training child trains. Memory: peak RSS "
             "after training and after `model.save` (with the optimizer state), the larger one compared. "
             "Step: median of the later steps, wall clock and the child's CPU time; validation: one pass. "
             "The predictions are for an idle box: under load the measured seconds are longer.", "",
             "| spec | parameters | memory predicted | measured | ratio | step predicted | measured (CPU) | "
             "validation predicted | measured (CPU) | load |", "|---|---|---|---|---|---|---|---|---|---|"]
    ratios = []
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['name']} | {r['params']:,} | {r['predicted_mb']} MB | {r['error']} | | | | | | |")
            continue
        peak = max(r["train"], r["save"])
        ratios.append(peak / r["predicted_mb"])
        lines.append(f"| {r['name']} | {r['params']:,} | {r['predicted_mb']:,} MB | {peak:,.0f} MB | "
                     f"{peak / r['predicted_mb']:.2f} | {1000 * r['predicted_step']:.1f} ms | "
                     f"{1000 * r['step']:.1f} ({1000 * r['step_cpu']:.1f}) ms | {r['predicted_val']:.2f} s | "
                     f"{r['val']:.2f} ({r['val_cpu']:.2f}) s | {r['load']:.1f} |")
    if ratios:
        lines += ["", f"Memory measured / predicted: {min(ratios):.2f}–{max(ratios):.2f}."]
    lines += ["", "Idle seconds of the presets (10 epochs on all digits): predicted (start + epochs) vs. the "
              "pretrained runs' stored `model.fit` seconds, both on an idle 2-core box.", "",
              "| preset | predicted | stored | ratio | per epoch predicted |", "|---|---|---|---|---|"]
    for name, spec in PRESETS.items():
        if not pretrained.history_path(name).is_file():
            continue
        p, stored = P.price(spec), pretrained.load_history(name)["seconds"]
        fit = p.seconds - p.finish_seconds
        lines.append(f"| {name} | {fit:.0f} s | {stored:.0f} s | {fit / stored:.2f} | {p.epoch_seconds:.1f} s |")
    monster = P.price(_conv_net(128, 9, 4, 1000).with_(epochs=30))
    lines += ["", "The time model's relative costs (multiply-adds, elementwise operations, optimizer update, fixed "
              "costs) are fitted to the one-thread CPU seconds of the 14 specs of `--timing --threads 1 --raw` "
              "(measured / fitted 0.76–1.28 per step, 0.84–1.16 per validation pass), the scale to the stored "
              "seconds of the convolutional presets; dense nets come out up to 1.7× too slow (seconds either way).",
              "", f"Chapter 11's largest widgets (4 convolutions, 128 filters, kernel 9, 1,000 units; not run here): "
              f"{monster.params:,} parameters, predicted {monster.memory_mb:,.0f} MB and "
              f"{monster.seconds / 3600:.0f} h for 30 epochs (step {monster.step_seconds:.0f} s); issue 20 "
              "measured 2.8 GB after two steps, 4.7 GB while saving and ~28 s per step on one thread."]
    write_section("Price of a training: predicted vs. measured", "\n".join(lines))


if __name__ == "__main__":
    main()
