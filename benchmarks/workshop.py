"""Load test for a workshop: N learners (browser contexts) press "Trainieren" on chapter 8 at once.

A local server (``streamlit run streamlit_app.py``) is started with ``TUTORIAL_PARALLEL_TRAININGS``
and a temporary ``~/.streamlit/secrets.toml`` holding the host password; the host page
"Kursleitung" switches the workshop mode on (if asked) and, at the end, reports how many
trainings started. Cases (issue 13 §5):

* ``same``: every learner keeps chapter 8's settings (one training serves all);
* ``different``: learner i moves the learning-rate slider by ``i % 5`` steps and switches the
  decay on for i ≥ 5 – ten different runs.

Per case: each learner's wait from the click to the result ("… Fehler von … Testziffern"),
median and max; trainings started; peak resident memory of the server and of its training
children (sampled every 0.5 s from /proc); exception boxes seen. Bounded by ``--timeout``.

    python benchmarks/workshop.py --case same --parallel 1
    python benchmarks/workshop.py --case different --parallel 2 --workshop
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import descendants, machine, start_streamlit, stop_streamlit, write_section
from tutorial.worker import rss_mb

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # every learner looks at their own page: no timer throttling of "background" pages,
                 # which would delay the live view's polling (st.fragment(run_every=…) is timed in the browser)
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows"]
PASSWORD = "workshop-benchmark"
RESULT_TEXT = re.compile(r"\d+ Fehler von [\d.]+ Testziffern")   # the result line "N Fehler von M Testziffern"




class Sampler(threading.Thread):
    """Peak RSS of the server and the sum of its children, every 0.5 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.server = self.children = self.total = 0.0

    def run(self) -> None:
        while not self.stop.wait(0.5):
            server = rss_mb(self.pid)
            children = sum(rss_mb(k) for k in descendants(self.pid))
            self.server, self.children = max(self.server, server), max(self.children, children)
            self.total = max(self.total, server + children)


def cpu_seconds(pid: int, reaped: bool = False) -> float:
    """CPU seconds of ``pid`` itself, or (``reaped``) of its children it has already waited for."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        first = 13 if reaped else 11              # cutime, cstime / utime, stime
        return (int(fields[first]) + int(fields[first + 1])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu_split(server: int) -> dict:
    """CPU seconds so far of the server process, its training children (alive now, plus those it has
    already reaped), and the browsers (every other descendant of this script: Playwright, Chromium)."""
    children = descendants(server)
    browsers = [p for p in descendants(os.getpid()) if p != server and p not in children]
    return {"server": cpu_seconds(server),
            "training": sum(cpu_seconds(p) for p in children) + cpu_seconds(server, reaped=True),
            "browsers": sum(cpu_seconds(p) for p in browsers)}


def wait_warm(pid: int, timeout: float = 300) -> float:
    """Seconds until the server and its training child have loaded TensorFlow and then stayed idle."""
    t0 = time.perf_counter()
    quiet = 0
    last = None
    while time.perf_counter() - t0 < timeout:
        procs = [pid] + descendants(pid)
        cpu = sum(cpu_seconds(p) for p in procs)
        loaded = rss_mb(pid) > 400 and any(rss_mb(k) > 500 for k in procs[1:])
        quiet = quiet + 1 if loaded and last is not None and cpu - last < 0.2 else 0
        if quiet >= 4:
            return time.perf_counter() - t0
        last = cpu
        time.sleep(1)
    return time.perf_counter() - t0


def start_server(parallel: int, home: Path) -> tuple[subprocess.Popen, str]:
    (home / ".streamlit").mkdir(parents=True, exist_ok=True)
    (home / ".streamlit" / "secrets.toml").write_text(f'[kursleitung]\npasswort = "{PASSWORD}"\n')
    env = dict(os.environ, HOME=str(home), TUTORIAL_PARALLEL_TRAININGS=str(parallel),
               TUTORIAL_PROGRESS_DIR=str(home / "progress"))
    return start_streamlit(env)


def host_page(browser, url: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{url}/kursleitung")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text("Lernende online").wait_for(timeout=60_000)
    return page


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label)
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def run_case(case: str, learners: int, parallel: int, workshop: bool, timeout: float) -> dict:
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="tutorial-workshop-"))
    proc, url = start_server(parallel, home)
    sampler = Sampler(proc.pid)
    sampler.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            host = host_page(browser, url)
            if workshop:
                host.get_by_text("Workshop-Modus").click()
                host.wait_for_timeout(1500)
            warm = wait_warm(proc.pid)     # the warm start (training child, digits, models) has finished
            pages = []
            for i in range(learners):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.goto(f"{url}/lernrate")
                try:
                    page.get_by_role("button", name="Trainieren").wait_for(timeout=180_000)
                except Exception:
                    page.screenshot(path=str(Path(tempfile.gettempdir()) / f"workshop-learner{i}.png"), full_page=True)
                    raise
                if case == "different":
                    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
                    for _ in range(i % 5):
                        slider.focus()
                        slider.press("ArrowRight")
                        page.wait_for_timeout(400)
                    if i >= 5:
                        page.get_by_text("Lernrate pro Epoche abklingen lassen").click()
                        page.wait_for_timeout(400)
                skip = page.get_by_role("button", name="Ohne Vermutung weiter")   # chapter 8's guess
                if skip.count():
                    skip.click()
                    page.get_by_text("Sie trainieren ohne Vermutung").wait_for(timeout=60_000)
                page.wait_for_timeout(500)
                assert not page.get_by_text(RESULT_TEXT).count(), "a result line before the click"
                pages.append(page)
            cpu0 = cpu_split(proc.pid)
            clicks = {}
            for i, page in enumerate(pages):
                page.get_by_role("button", name="Trainieren").click()
                clicks[i] = time.perf_counter()
            waits, exceptions = {}, 0
            deadline = time.perf_counter() + timeout
            while len(waits) < learners and time.perf_counter() < deadline:
                for i, page in enumerate(pages):
                    if i in waits:
                        continue
                    if page.get_by_text(RESULT_TEXT).count():
                        waits[i] = time.perf_counter() - clicks[i]
                pages[0].wait_for_timeout(500)
            cpu = {k: v - cpu0[k] for k, v in cpu_split(proc.pid).items()}
            exceptions = sum(page.locator('[data-testid="stException"]').count() for page in pages + [host])
            host.reload()
            host.get_by_label("Passwort").or_(host.get_by_text("Lernende online")).first.wait_for(timeout=60_000)
            if host.get_by_label("Passwort").count():
                host.get_by_label("Passwort").fill(PASSWORD)
                host.get_by_role("button", name="Anmelden").click()
            host.get_by_text("Lernende online").wait_for(timeout=60_000)
            started = metric(host, "Gestartete Trainings")
            online = metric(host, "Lernende online")
            browser.close()
    finally:
        sampler.stop.set()
        stop_streamlit(proc)
        shutil.rmtree(home, ignore_errors=True)
    values = sorted(waits.values())
    return {"case": case, "learners": learners, "parallel": parallel, "workshop": workshop,
            "finished": len(values), "median": statistics.median(values) if values else None,
            "max": max(values) if values else None, "started": started, "online": online, "waits": values,
            "server_mb": sampler.server, "children_mb": sampler.children, "total_mb": sampler.total,
            "exceptions": exceptions, "cpu": cpu, "timeout": timeout, "load": os.getloadavg()[1], "warm": warm,
            "clicks": [clicks[i] - clicks[0] for i in sorted(clicks)],
            "results": [clicks[i] + waits[i] - clicks[0] for i in sorted(waits)]}


def row(r: dict) -> str:
    def s(x):
        return "–" if x is None else f"{x:.0f}"
    return (f"| {r['case']} | {r['learners']} | {r['parallel']} | {'on' if r['workshop'] else 'off'} | "
            f"{r['finished']}/{r['learners']} | {s(r['median'])} | {s(r['max'])} | {r['started']} | "
            f"{s(r['server_mb'])} | {s(r['children_mb'])} | {s(r['total_mb'])} | {r['exceptions']} | "
            f"{r['load']:.1f} | {r['cpu']['server']:.0f} / {r['cpu']['training']:.0f} / {r['cpu']['browsers']:.0f} |")


HEADER = ("| settings | learners | parallel trainings | workshop mode | results | wait median s | wait max s | "
          "trainings started | peak server MB | peak children MB | peak sum MB | exception boxes | load (5 min) | "
          "CPU s from the first click: server / training / browsers |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=("same", "different"), action="append")
    parser.add_argument("--parallel", type=int, action="append")
    parser.add_argument("--workshop", action="store_true", help="workshop mode on (quick mode for every training)")
    parser.add_argument("--both-modes", action="store_true", help="run each case with and without workshop mode")
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = []
    modes = (False, True) if args.both_modes else (args.workshop,)
    for case in args.case or ["same"]:
        for parallel in args.parallel or [1]:
            for workshop in modes:
                r = run_case(case, args.learners, parallel, workshop, args.timeout)
                print(row(r), "waits:", [round(w) for w in r["waits"]], f"warm start {r['warm']:.0f} s",
                      "clicks at", [round(c) for c in r["clicks"]], "results at", [round(c) for c in r["results"]],
                      flush=True)
                results.append(r)
    if args.no_write:
        return
    from common import RESULTS
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    previous = []
    marker = "## Workshop load test"
    if marker in old:
        section = old.split(marker, 1)[1].split("\n## ", 1)[0]
        previous = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| settings")]
    keys = {tuple(row(r).split("|")[1:5]) for r in results}
    kept = [line for line in previous if tuple(line.split("|")[1:5]) not in keys]
    body = (f"Machine: {machine()}. `python benchmarks/workshop.py`: a local server, {args.learners} learners as "
            "headless-Chromium contexts on chapter 8 (`/lernrate`), all pressing \"Trainieren\" within a few "
            "seconds after the warm start; wait = click → result on the page. *same*: chapter 8's default "
            "settings for all; *different*: ten different learning-rate/decay settings. Memory sampled every "
            "0.5 s from /proc (server process; sum of its training children). *load* is the 5-minute load "
            "average at the end of the case (2 cores: the server, the training children and ten browsers share "
            "them). Targets: *same* one training, "
            "no error, server + children ≤ 2.5 GB; *different* with workshop mode every result within 3 min, "
            f"no exception. Cases time out after {args.timeout:.0f} s (results < learners = still waiting).\n\n"
            + HEADER + "\n" + "\n".join(kept + [row(r) for r in results]))
    write_section("Workshop load test", body)


if __name__ == "__main__":
    main()
