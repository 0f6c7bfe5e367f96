"""How long a page change takes in a real browser: click a menu entry → the new page is idle.

Starts ``streamlit run streamlit_app.py`` with its default warm start. One learner (Debian's
chromium, 1400 × 1000) opens the start page – the first session starts the warm start: a training
child, the test digits and the models of "Modelle von innen" load in the background – and waits
until it has finished (server and training child loaded and then idle, ``workshop.wait_warm``; at
least 15 s). Then the learner clicks through every entry of the menu in menu order – the first
visit of each page after the warm start – and then through the menu a second time (warm).

A page change is timed in the browser (``performance.now()``) from the click until the page is idle:
the new page's title is shown, Streamlit's ``data-test-script-state`` on ``stApp`` is ``notRunning``,
neither changed for a second, and no spinner or skeleton is left. The time is that of the last
change, so a rerun right after the first run counts.

Target (issue 18 item 8): every page ≤ 1 s warm and ≤ 2 s on its first visit after the warm start.

    python benchmarks/pages.py [--label before|after] [--write] [--profile]

``--write`` stores the table in ``benchmarks/RESULTS.md`` (section "Page changes", or
"Page changes, <label>").
``--profile`` (never with ``--write``: the sampler costs time too) records the server with py-spy
during each click of the first round (``pip install py-spy``) and prints, for each page above its
target, the project's functions the server's busy samples passed through.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import CHROMIUM_ARGS, start_streamlit, stop_streamlit, write_section
from workshop import wait_warm

from tutorial.chapters import CHAPTERS

FIRST_TARGET, WARM_TARGET = 2.0, 1.0
QUIET_MS = 1000          # a rerun that starts within a second belongs to the page change

# Records every change of the script state and of the page's title (h1) with a timestamp
# (performance.now()). Sampled every 5 ms rather than observed: a page change can replace the stApp
# element, and an observer on the old one would miss the new page's runs.
OBSERVER = """() => {
  window.__runs = [];
  let last = null;
  setInterval(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute('data-test-script-state') : null;
    const h1 = [...document.querySelectorAll('h1')].map(h => h.innerText).join(' | ');
    const now = state + '/' + h1;
    if (now !== last) { window.__runs.push([performance.now(), state, h1]); last = now; }
  }, 5);
}"""
# [ms from t0 to the last change, script runs seen] once the page is idle (see the module docstring);
# null: not yet
IDLE_AFTER = """([t0, title, quiet]) => {
  const runs = window.__runs.filter(r => r[0] >= t0);
  if (!runs.length) return null;
  const [at, state, h1] = runs[runs.length - 1];
  if (state !== 'notRunning' || !h1.includes(title)) return null;
  if (document.querySelector('[data-testid="stSpinner"], [data-testid="stSkeleton"]')) return null;
  if (performance.now() - at < quiet) return null;
  let starts = 0;
  for (let i = 0; i < runs.length; i++) if (runs[i][1] === 'running' && (i === 0 || runs[i - 1][1] !== 'running')) starts++;
  return [at - t0, starts];
}"""


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    import streamlit
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, headless chromium")


def group_cpu(group: int) -> float:
    """CPU seconds (user + system) of every live process in the process group ``group`` (the server
    and its training child): a figure that depends far less than wall time on what else runs."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def change_page(page, entry, group: int, timeout: float = 60) -> tuple[float, int, float]:
    """Click ``entry`` in the menu; seconds until its page is idle, the script runs it took, and the
    server's CPU seconds meanwhile."""
    link = page.get_by_test_id("stSidebarNav").get_by_text(entry.menu_title, exact=True)
    cpu0 = group_cpu(group)
    t0 = page.evaluate("performance.now()")
    link.click()
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = page.evaluate(IDLE_AFTER, [t0, entry.page_title, QUIET_MS])
        if done is not None:
            return done[0] / 1000, done[1], group_cpu(group) - cpu0
        page.wait_for_timeout(25)
    state = page.evaluate("""() => ({state: document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state'),
        h1: [...document.querySelectorAll('h1')].map(h => h.innerText),
        spinner: document.querySelectorAll('[data-testid="stSpinner"], [data-testid="stSkeleton"]').length,
        runs: window.__runs.slice(-4)})""")
    raise TimeoutError(f"{entry.menu_title}: not idle after {timeout} s: {state}")


def py_spy(pid: int, output: Path) -> subprocess.Popen:
    """py-spy recording the server's busy threads as collapsed stacks (stop it with SIGINT)."""
    exe = shutil.which("py-spy")
    if exe is None:
        raise SystemExit("py-spy not found: pip install py-spy")
    recorder = subprocess.Popen([exe, "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
                                 "--nonblocking", "--output", str(output)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)                                   # attached before the click
    return recorder


def hot_spots(raw: Path, top: int = 8) -> list[str]:
    """The project's frames (tutorial/, kapitel/, the router) by the share of the busy samples that
    pass through them, from a py-spy raw record."""
    total, counts = 0, Counter()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        total += int(n)
        for frame in {f for f in stack.split(";") if "tutorial/" in f or "kapitel/" in f or "streamlit_app" in f}:
            counts[frame] += int(n)
    return [f"{100 * n / max(1, total):3.0f} % {frame}" for frame, n in counts.most_common(top)]


def fmt(seconds: float) -> str:
    return f"{seconds:.2f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the table in benchmarks/RESULTS.md")
    parser.add_argument("--label", default="", help="section \"Page changes, <label>\" (e.g. before/after)")
    parser.add_argument("--profile", action="store_true", help="py-spy on the server during the first round")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = {k: v for k, v in os.environ.items() if k != "TUTORIAL_WARM_START"}    # its default: on
    proc, url = start_streamlit(env=env)
    spots: dict[str, list[str]] = {}
    try:
        entries = [entry for entry in CHAPTERS if entry.exists and entry.menu]   # the learners' menu
        order = entries[1:] + entries[:1]         # from the start page through the menu, back to it
        first: dict[str, float] = {}
        again: dict[str, float] = {}
        runs: dict[str, tuple[int, int]] = {}
        n_first_of: dict[str, int] = {}
        cpu_first: dict[str, float] = {}
        cpu_again: dict[str, float] = {}
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(60_000)
            t0 = time.time()
            page.goto(url)                        # the first session starts the warm start (loader.trainer)
            page.get_by_role("heading", level=1, name=entries[0].page_title).wait_for()
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
            load = time.time() - t0
            wait_warm(proc.pid)
            warm = time.time() - t0
            time.sleep(max(0.0, 15 - warm))
            print(f"start page {load:.1f} s; warm start finished after {warm:.0f} s")
            page.evaluate(OBSERVER)
            for entry in order:
                recorder = py_spy(proc.pid, Path(tmp) / f"{entry.stem}.txt") if args.profile else None
                first[entry.menu_title], n_first, cpu_first[entry.menu_title] = change_page(page, entry, proc.pid)
                n_first_of[entry.menu_title] = n_first
                if recorder is not None:
                    recorder.send_signal(signal.SIGINT)
                    recorder.wait(30)
                    if first[entry.menu_title] > FIRST_TARGET:
                        spots[entry.menu_title] = hot_spots(Path(tmp) / f"{entry.stem}.txt")
                print(f"first {entry.menu_title}: {first[entry.menu_title]:.2f} s, {n_first} run(s)")
            for entry in order:
                again[entry.menu_title], n_again, cpu_again[entry.menu_title] = change_page(page, entry, proc.pid)
                runs[entry.menu_title] = (n_first_of[entry.menu_title], n_again)
                print(f"warm  {entry.menu_title}: {again[entry.menu_title]:.2f} s, {n_again} run(s)")
            browser.close()
    finally:
        stop_streamlit(proc)

    misses = [e.menu_title for e in order
              if first[e.menu_title] > FIRST_TARGET or again[e.menu_title] > WARM_TARGET]
    with open("/proc/loadavg") as f:
        load_avg = " ".join(f.read().split()[:3])
    rows = "\n".join(
        f"| {e.menu_title} | {fmt(first[e.menu_title])} ({fmt(cpu_first[e.menu_title])}) | "
        f"{fmt(again[e.menu_title])} ({fmt(cpu_again[e.menu_title])}) | "
        f"{runs[e.menu_title][0]} / {runs[e.menu_title][1]} | "
        f"{'**missed**' if e.menu_title in misses else 'ok'} |" for e in order)
    body = (f"Machine: {machine()}. Load average at the end: {load_avg} (other test runs on the box).\n\n"
            f"`python benchmarks/pages.py`: server with its default warm start, measured after the warm start "
            f"had finished ({warm:.0f} s); the start page loaded in {load:.1f} s, then one learner clicks "
            "through the menu in menu order (first visit of each page), then a second round (warm). "
            "Seconds from the click until the page is idle (its title shown, the script run over and no "
            "new one for a second, no spinner); in brackets the CPU seconds the server and its training "
            "child spent meanwhile (less dependent on the other load). Target: ≤ 2 s first visit, ≤ 1 s warm.\n\n"
            "| page | first visit s (server CPU s) | warm s (server CPU s) | script runs | target |\n"
            "|---|---|---|---|---|\n" + rows + "\n\n"
            f"Median first visit {fmt(statistics.median(first.values()))} s, warm "
            f"{fmt(statistics.median(again.values()))} s; above the target: {', '.join(misses) or 'none'}.")
    for name, lines in spots.items():
        print(f"\n{name} (first visit, {fmt(first[name])} s): project frames by share of the server's busy samples")
        for line in lines:
            print("  ", line)
    if args.write and not args.profile:
        write_section(f"Page changes{', ' + args.label if args.label else ''}", body)
    else:
        print(body)


if __name__ == "__main__":
    sys.exit(main())
