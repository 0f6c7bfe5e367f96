"""Training overhead of the app's path vs. bare ``model.fit``.

The app trains through ``tutorial.jobs.LocalTrainer`` (worker thread → training child process, see
``tutorial.worker``) → ``tutorial.training.train`` with
its progress callback reporting every 10 batches (the UI's update rate), while a poller reads the job
snapshot twice a second like the page's fragment does. The baseline is the notebook's bare
``model.fit`` on the same pipeline, preset and epochs. Runs alternate; the ratio of medians is reported.
Target: ≤ 1.05.

``--one-core`` (issue 13 §4): everything pinned to one CPU (``taskset -c 0``), as on a small
Community Cloud box. Bare: a fresh notebook process (TensorFlow import, data, ``fit``), then a second
``fit`` in the same process. App: a server stand-in whose Trainer was warm-started (child ready),
then "Trainieren" → result (predictions of the test digits there) while it redraws the live curves
every ``LIVE_EVERY`` seconds like the page's fragment (Altair specs built and serialised); twice.
Target: app ≤ 1.15 × bare for both runs.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time

from common import machine, write_section


def bare_fit(spec) -> float:
    import keras
    from tutorial import data
    from tutorial.models import build_model
    from tutorial.spec import VAL_BATCH
    keras.utils.set_random_seed(spec.train_seed)
    model = build_model(spec)
    train_ds = data.training_dataset(spec.batch_size, seed=spec.train_seed)
    val_ds = data.validation_dataset(VAL_BATCH)
    callbacks = [keras.callbacks.LearningRateScheduler(spec.lr_at)] if spec.lr_decay else []
    t0 = time.perf_counter()
    model.fit(train_ds, steps_per_epoch=spec.steps_per_epoch, epochs=spec.epochs, validation_data=val_ds,
              validation_steps=math.ceil(spec.val_size / VAL_BATCH), callbacks=callbacks, verbose=0, shuffle=False)
    return time.perf_counter() - t0


def app_path(spec) -> float:
    from tutorial.jobs import LocalTrainer
    trainer = LocalTrainer(every=10)
    job = trainer.submit(spec)
    while not job.wait(0.5):
        job.snapshot()  # what the polling fragment does on every tick
    assert job.state == "done", job.message
    return job.result.seconds


LIVE_EVERY = 1.5     # tutorial.app.live.LIVE_EVERY (not imported: that module imports Streamlit)


def bare_process(preset: str, epochs: int) -> None:
    """Child of --one-core: the notebook's code from a cold start; prints JSON timings."""
    t0 = time.perf_counter()
    import keras  # noqa: F401  (TensorFlow import is part of the bare process's cost)
    from tutorial.presets import PRESETS
    spec = PRESETS[preset].with_(epochs=epochs)
    first = bare_fit(spec)
    t1 = time.perf_counter()
    second_start = time.perf_counter()
    bare_fit(spec.with_(seed=1))
    print(json.dumps({"first_fit": first, "first_total": t1 - t0, "second": time.perf_counter() - second_start}))


def app_process(preset: str, epochs: int) -> None:
    """Child of --one-core: warm-started Trainer, then two clicks → results with page-like polling."""
    from tutorial.charts import training as curves
    from tutorial.jobs import LocalTrainer
    from tutorial.presets import PRESETS
    trainer = LocalTrainer(parallel=1)
    t0 = time.perf_counter()
    trainer.warm_start()
    trainer._warm.join(300)      # the child is ready (TensorFlow, data, warm-up fit)
    warm = time.perf_counter() - t0
    out = {"warm_start": warm, "threads": trainer.threads}
    for run, seed in (("first", 0), ("second", 1)):
        spec = PRESETS[preset].with_(epochs=epochs, seed=seed)
        click = time.perf_counter()
        job = trainer.submit(spec, owner="learner")
        first_step = last_step = None
        while not job.wait(LIVE_EVERY):
            snap = job.snapshot()
            if snap["step"] and first_step is None:
                first_step = time.perf_counter() - click
            if snap["step"] >= snap["total_steps"] and last_step is None:
                last_step = time.perf_counter() - click
            loss, acc = curves.training_charts({"batches": snap["batches"], "epochs": snap["epochs"],
                                                "epochs_total": spec.epochs})
            loss.to_dict(), acc.to_dict()
        assert job.state == "done" and job.result.predictions is not None, job.message
        out[run] = {"result": time.perf_counter() - click, "first_step": first_step, "last_step": last_step,
                    "fit": job.result.seconds}
    trainer.close()
    print(json.dumps(out))


def one_core(preset: str, epochs: int, repeats: int) -> None:
    import shutil
    import subprocess
    import sys
    taskset = shutil.which("taskset")
    assert taskset, "taskset (util-linux) is needed for --one-core"
    here = __file__

    def pinned(mode: str) -> dict:
        cmd = [taskset, "-c", "0", sys.executable, here, mode, "--preset", preset, "--epochs", str(epochs)]
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stderr[-3000:]
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["process"] = time.perf_counter() - t0
        return result

    bare, app, load = [], [], []
    for _ in range(repeats):
        bare.append(pinned("--bare-process"))
        app.append(pinned("--app-process"))
        load.append(os.getloadavg()[1])
    med = statistics.median
    bare_first = med([b["first_total"] for b in bare])
    bare_second = med([b["second"] for b in bare])
    app_first = med([a["first"]["result"] for a in app])
    app_second = med([a["second"]["result"] for a in app])
    rows = []

    def s(x):   # a phase the 1.5 s poll did not see (e.g. the last step and the result in one tick)
        return "–" if x is None else f"{x:.1f}"

    for i, (b, a) in enumerate(zip(bare, app), 1):
        rows.append(f"| {i} | {b['first_total']:.1f} (fit {b['first_fit']:.1f}) | {b['second']:.1f} | "
                    f"{a['warm_start']:.1f} | {s(a['first']['first_step'])} / {s(a['first']['last_step'])} / "
                    f"{a['first']['result']:.1f} | {s(a['second']['first_step'])} / "
                    f"{s(a['second']['last_step'])} / {a['second']['result']:.1f} |")
    body = (f"Machine: {machine()}; everything pinned to CPU 0 (`taskset -c 0`), so the training child "
            f"uses {app[0]['threads']} TensorFlow thread(s).\n\n"
            f"Chapter 3's live training: preset `{preset}`, {epochs} epochs, all 60.000 digits; {repeats} "
            f"alternating runs each. App times are seconds after the click (first step / last step / result "
            f"with the test digits' predictions), polled every {LIVE_EVERY} s with the live charts built.\n\n"
            "| run | bare process: start → end of first fit | bare second fit | app warm start (background) | "
            "app first click: first / last step / result | app second click |\n|---|---|---|---|---|---|\n"
            + "\n".join(rows) + "\n\n"
            f"**First run: app {app_first:.1f} s vs bare process {bare_first:.1f} s = {app_first / bare_first:.2f}×; "
            f"second run: app {app_second:.1f} s vs bare {bare_second:.1f} s = {app_second / bare_second:.2f}×** "
            f"(medians; target ≤ 1.15×). Before (issue 13): 1.6× and 2.6×. 5-minute load average of the "
            f"(shared, 2-core) machine after each pair: {', '.join(f'{x:.1f}' for x in load)}.")
    write_section(f"One-core training: click → result vs. bare Keras ({preset})", body)


def main() -> None:
    from tutorial.presets import PRESETS
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="keras_02_mnist_dense")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one-core", action="store_true", help="pinned to one CPU, chapter 3 (issue 13 §4)")
    parser.add_argument("--bare-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--app-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_process:
        return bare_process(args.preset, args.epochs)
    if args.app_process:
        return app_process(args.preset, args.epochs)
    if args.one_core:
        return one_core(args.preset, args.epochs, args.repeats)
    spec = PRESETS[args.preset].with_(epochs=args.epochs)
    bare_fit(spec.with_(epochs=1))  # warm-up: graph tracing, dataset caches
    bare, app = [], []
    for _ in range(args.repeats):
        bare.append(bare_fit(spec))
        app.append(app_path(spec.with_(seed=len(app) + 1)))  # new spec each time: no cached job
    ratio = statistics.median(app) / statistics.median(bare)
    body = (f"Machine: {machine()}\n\nPreset `{args.preset}`, {args.epochs} epoch(s), {args.repeats} alternating runs each.\n\n"
            f"| path | seconds (runs) | median |\n|---|---|---|\n"
            f"| bare `model.fit` | {', '.join(f'{x:.1f}' for x in bare)} | {statistics.median(bare):.1f} |\n"
            f"| app: Trainer + progress callback every 10 batches + snapshot poll 2/s | "
            f"{', '.join(f'{x:.1f}' for x in app)} | {statistics.median(app):.1f} |\n\n"
            f"**Ratio app / bare: {ratio:.3f}** (medians; target ≤ 1.05). "
            f"Ratio of the fastest runs: {min(app) / min(bare):.3f}.")
    write_section(f"Training overhead: {args.preset}", body)


if __name__ == "__main__":
    main()
