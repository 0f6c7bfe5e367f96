"""Training overhead of the app's path vs. bare ``model.fit``.

The app trains through ``tutorial.jobs.Trainer`` (worker thread → training child process, see
``tutorial.worker``) → ``tutorial.training.train`` with
its progress callback reporting every 10 batches (the UI's update rate), while a poller reads the job
snapshot twice a second like the page's fragment does. The baseline is the notebook's bare
``model.fit`` on the same pipeline, preset and epochs. Runs alternate; the ratio of medians is reported.
Target: ≤ 1.05.
"""
from __future__ import annotations

import argparse
import math
import statistics
import time

from common import machine, write_section


def bare_fit(spec) -> float:
    import keras
    from tutorial import data
    from tutorial.models import build_model
    from tutorial.training import VAL_BATCH, seed_for
    keras.utils.set_random_seed(seed_for(spec))
    model = build_model(spec)
    train_ds = data.training_dataset(spec.batch_size, seed=seed_for(spec))
    val_ds = data.validation_dataset(VAL_BATCH)
    callbacks = [keras.callbacks.LearningRateScheduler(spec.lr_at)] if spec.lr_decay else []
    t0 = time.perf_counter()
    model.fit(train_ds, steps_per_epoch=spec.steps_per_epoch, epochs=spec.epochs, validation_data=val_ds,
              validation_steps=math.ceil(spec.val_size / VAL_BATCH), callbacks=callbacks, verbose=0, shuffle=False)
    return time.perf_counter() - t0


def app_path(spec) -> float:
    from tutorial.jobs import Trainer
    trainer = Trainer(every=10)
    job = trainer.submit(spec)
    while not job.wait(0.5):
        job.snapshot()  # what the polling fragment does on every tick
    assert job.state == "done", job.message
    return job.result.seconds


def main() -> None:
    from tutorial.spec import PRESETS
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="keras_02_mnist_dense")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
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
