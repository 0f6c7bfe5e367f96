"""One-digit prediction latency on the path the drawing page uses.

The page preprocesses the canvas image and calls ``tutorial.models.predict_proba`` (the model called
directly). Reported: median and 95th percentile over repeated single-digit calls, per pretrained model,
against ``model.predict`` for comparison. Target: ≤ 10 ms median model time on CPU.
"""
from __future__ import annotations

import statistics
import time

import numpy as np

from common import machine, write_section


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    from tutorial import data, pretrained
    from tutorial.models import predict_proba
    images, _ = data.load_arrays("test")
    digit = data.to_model_input(images[:1])
    rows = ["| model | predict_proba median ms | p95 ms | model.predict median ms |", "|---|---|---|---|"]
    for name in pretrained.available():
        if not name.startswith("keras_"):
            continue
        model = pretrained.load_model(name)
        for _ in range(10):
            predict_proba(model, digit)
            model.predict(digit, verbose=0)
        fast = timed(lambda: predict_proba(model, digit), 300)
        slow = timed(lambda: model.predict(digit, verbose=0), 30)
        rows.append(f"| {name} | {statistics.median(fast):.2f} | {np.percentile(fast, 95):.2f} | "
                    f"{statistics.median(slow):.1f} |")
    pre = ""
    try:
        from tutorial.preprocess import canvas_to_mnist
        canvas = np.zeros((280, 280, 4), np.uint8)
        canvas[..., 3] = 255
        canvas[60:220, 130:150, :3] = 255  # a "1"
        t = timed(lambda: canvas_to_mnist(canvas), 200)
        pre = f"\n\nPreprocessing a 280×280 canvas (`canvas_to_mnist`): median {statistics.median(t):.2f} ms."
    except ImportError:
        pass
    write_section("One-digit prediction latency",
                  f"Machine: {machine()}\n\n" + "\n".join(rows) + pre + "\n\nTarget: ≤ 10 ms median.")


if __name__ == "__main__":
    main()
