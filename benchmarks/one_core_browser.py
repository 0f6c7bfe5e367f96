"""Chapter 3's live training on a one-core server, clicked in a real browser, against bare Keras.

Issue 13 §4 in the form a learner meets it: the Streamlit server (and so its training child) is
pinned to CPU 0 (``os.sched_setaffinity``, like ``taskset -c 0``), as on a small Community Cloud
box; this script and headless Chromium run on CPU 1, as the learner's own computer would. After
the server's warm start has settled, the learner opens "Ein erstes Netz trainieren", skips the
guess and clicks "Trainieren"; the times are seconds after the click until the page shows the
first step ("Schritt …"), the finishing phase ("Training fertig …") and the result line
("N Fehler von 10.000 Testziffern"). Then a second run on the same page (one epoch less, so it is
a new run, not the stored one).

The bare baseline is the notebook's code on CPU 0 (``overhead.py --bare-process``: TensorFlow
import, data, ``fit``; then a second ``fit`` in the same process with the second run's epochs).
Runs alternate. Target: app ≤ 1.15 × bare for both runs.

    python benchmarks/one_core_browser.py [--repeats 2] [--no-write]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, machine, start_streamlit, stop_streamlit, write_section
from slider import wait_quiet
from workshop import CHROMIUM_ARGS, RESULT_TEXT, wait_warm

PRESET, EPOCHS = "keras_01_mnist", 10
SERVER_CPU, BROWSER_CPU = {0}, {1}


def bare(epochs: tuple[int, int]) -> dict:
    """The notebook's process on CPU 0: start → end of the first fit, then a second fit."""
    code = ("import json, sys, time; sys.path.insert(0, 'benchmarks'); t0 = time.perf_counter(); "
            "import keras; from overhead import bare_fit; from tutorial.presets import PRESETS; "
            f"first = bare_fit(PRESETS[{PRESET!r}].with_(epochs={epochs[0]})); t1 = time.perf_counter(); "
            f"second = bare_fit(PRESETS[{PRESET!r}].with_(epochs={epochs[1]}, seed=1)); "
            "print(json.dumps({'first_fit': first, 'first_total': t1 - t0, 'second': second}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=1800,
                          preexec_fn=lambda: os.sched_setaffinity(0, SERVER_CPU))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def click_and_time(page) -> dict:
    """Click "Trainieren"; seconds until the first step, the finishing phase and the result show."""
    results_before = page.get_by_text(RESULT_TEXT).count()
    page.get_by_role("button", name="Trainieren").click()
    t0 = time.perf_counter()
    out = {"first_step": None, "last_step": None, "result": None}
    step = page.get_by_text(re.compile(r"Schritt [\d.]+ von"))
    finishing = page.get_by_text("Training fertig")
    gone = results_before == 0          # the previous run's result line leaves when the live view opens
    while time.perf_counter() - t0 < 900:
        now = time.perf_counter() - t0
        if out["first_step"] is None and step.count():
            out["first_step"] = now
        if out["last_step"] is None and finishing.count():
            out["last_step"] = now
        shown = page.get_by_text(RESULT_TEXT).count()
        if gone and shown:
            out["result"] = now
            return out
        gone = gone or not shown
        page.wait_for_timeout(100)
    raise RuntimeError("no result within 15 minutes")


def app(epochs: tuple[int, int]) -> dict:
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="tutorial-one-core-"))
    env = dict(os.environ, HOME=str(home), TUTORIAL_PROGRESS_DIR=str(home / "progress"))
    proc, url = start_streamlit(env, cpus=SERVER_CPU)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(f"{url}/erstes_netz")
            page.get_by_role("button", name="Trainieren").wait_for(timeout=180_000)
            warm = wait_warm(proc.pid)
            skip = page.get_by_role("button", name="Ohne Vermutung weiter")
            if skip.count():
                skip.click()
                page.get_by_text("Sie trainieren ohne Vermutung").wait_for(timeout=60_000)
            runs = {}
            for name, n in zip(("first", "second"), epochs):
                box = page.get_by_role("spinbutton", name="Epochen", exact=True)
                box.fill(str(n))
                box.press("Enter")
                page.wait_for_timeout(1500)
                runs[name] = click_and_time(page)
                page.wait_for_timeout(1000)
            browser.close()
    finally:
        stop_streamlit(proc)
        shutil.rmtree(home, ignore_errors=True)
    return {"warm": warm, **runs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    assert len(os.sched_getaffinity(0)) >= 2, "needs two CPUs: one for the server, one for the browser"
    os.sched_setaffinity(0, BROWSER_CPU)        # this script and Chromium: the learner's computer
    epochs = (EPOCHS, EPOCHS - 1)
    bares, apps, loads = [], [], []
    for i in range(args.repeats):
        wait_quiet(limit=0.05)                  # nothing left over from the last measurement
        apps.append(app(epochs))
        wait_quiet(limit=0.05)
        bares.append(bare(epochs))
        loads.append(os.getloadavg()[1])
        print(json.dumps({"bare": bares[-1], "app": apps[-1]}), flush=True)
    med = statistics.median

    def s(x):
        return "–" if x is None else f"{x:.1f}"

    rows = [f"| {i} | {b['first_total']:.1f} (fit {b['first_fit']:.1f}) | {b['second']:.1f} | {a['warm']:.0f} | "
            f"{s(a['first']['first_step'])} / {s(a['first']['last_step'])} / {s(a['first']['result'])} | "
            f"{s(a['second']['first_step'])} / {s(a['second']['last_step'])} / {s(a['second']['result'])} |"
            for i, (b, a) in enumerate(zip(bares, apps), 1)]
    first = med([a["first"]["result"] for a in apps]) / med([b["first_total"] for b in bares])
    second = med([a["second"]["result"] for a in apps]) / med([b["second"] for b in bares])
    body = (f"Machine: {machine()}. Server and training child on CPU 0, Chromium and this script on CPU 1 "
            f"(`python benchmarks/one_core_browser.py`). Chapter 3 (`/erstes_netz`), preset `{PRESET}`, all "
            f"60.000 digits: first click with {epochs[0]} epochs on a warm-started server, second click with "
            f"{epochs[1]} epochs on the same page. App times: seconds after the click until the page shows the "
            "first step / the finishing phase / the result line. Bare: the notebook's process on CPU 0 "
            f"(TensorFlow import, data, `fit` of {epochs[0]} epochs; then a second `fit` of {epochs[1]}).\n\n"
            "| run | bare process: start → end of first fit | bare second fit | app warm start s | "
            "app first click: first step / finishing / result | app second click |\n|---|---|---|---|---|---|\n"
            + "\n".join(rows) + "\n\n"
            f"**First run: app / bare = {first:.2f}×; second run: {second:.2f}×** (medians; target ≤ 1.15×). "
            f"5-minute load average after each pair: {', '.join(f'{x:.1f}' for x in loads)}.")
    if args.no_write:
        print(body)
    else:
        write_section("One-core training in the browser: click → result vs. bare Keras", body)


if __name__ == "__main__":
    main()
