"""How fast an interactive explanation answers a widget step, measured in a real browser.

Starts ``streamlit run streamlit_app.py`` on a free port, opens chapters 4 and 10 in Debian's
chromium (Playwright) and, for every Streamlit slider, select-slider and number input in the main
area, presses one arrow key (or, in a number box, an arrow key and Enter) and measures the time from the key press until the
script is idle again (Streamlit's ``data-test-script-state`` on ``stApp`` went ``running`` →
``notRunning``). For sliders bound inside Altair charts (Vega ``input[type=range]``) it checks that
no script run starts at all and measures the time until the chart's canvas shows new pixels.
Measuring starts once the server's warm start (TensorFlow, the training child) has settled – the
machine under 25 % busy for a second – so a step is not timed against that background work.

    python benchmarks/slider.py [--label before|after] [--repeat 3] [--write]

``--write`` stores the table in ``benchmarks/RESULTS.md`` (section "Slider response, <label>").
Target: median ≤ 0.3 s for every Streamlit widget step, no server run for browser-side visuals.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import time

from common import start_streamlit, stop_streamlit, write_section

PAGES = {"Kapitel 4": "neuronale_netze", "Kapitel 10": "faltung"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Records every change of the script state with a timestamp (performance.now()).
OBSERVER = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__runs = [];
  new MutationObserver(() => window.__runs.push([performance.now(), app.getAttribute('data-test-script-state')]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}
"""
# after t0: did a run start, and did it end (state back to notRunning after a running)?
RUN_STATE = """
(t0) => {
  const after = window.__runs.filter(r => r[0] >= t0);
  const start = after.findIndex(r => r[1] === 'running');
  if (start < 0) return null;
  const end = after.slice(start).find(r => r[1] !== 'running');
  return end ? end[0] - t0 : -1;
}
"""


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import streamlit
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, headless chromium")


def start_server() -> tuple[subprocess.Popen, str]:
    return start_streamlit()


def wait_idle(page, timeout: float = 60) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout * 1000)


SERVER_PID = 0


def server_cpu() -> float:
    """CPU seconds (user + system) the Streamlit server process has used so far."""
    fields = open(f"/proc/{SERVER_PID}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_share(seconds: float = 1.0) -> float:
    """Share of the machine's CPU time spent busy over ``seconds`` (from /proc/stat)."""
    def sample():
        values = [int(v) for v in open("/proc/stat", encoding="ascii").readline().split()[1:]]
        return sum(values), values[3] + values[4]          # total, idle + iowait
    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def wait_quiet(limit: float = 0.25, timeout: float = 120) -> float:
    """Wait until the warm start (TensorFlow in the server, the training child) has settled: the
    machine is less than ``limit`` busy for one second. Returns the seconds waited."""
    t0 = time.time()
    while busy_share() > limit and time.time() - t0 < timeout:
        pass
    return time.time() - t0


CPU: list[float] = []       # server CPU seconds of each measured step (independent of other load)


def step_time(page, action, wait_s: float = 8.0) -> float | None:
    """Seconds from the action until the script run it caused has finished; None: no run started."""
    page.wait_for_timeout(150)
    t0 = page.evaluate("performance.now()")
    cpu0 = server_cpu()
    action()
    deadline = time.time() + wait_s
    while time.time() < deadline:
        r = page.evaluate(RUN_STATE, t0)
        if r is not None and r >= 0:
            wait_idle(page)
            CPU.append(server_cpu() - cpu0)
            return r / 1000
        page.wait_for_timeout(10)
    return None


def canvas_change_time(page, chart, action, wait_s: float = 3.0) -> float | None:
    """Seconds from the action until the chart's canvas (or SVG) shows something else."""
    snap = """(el) => { const c = el.querySelector('canvas'); if (c) return c.toDataURL();
                        const s = el.querySelector('svg'); return s ? s.outerHTML : ''; }"""
    before = chart.evaluate(snap)
    t0 = time.perf_counter()
    action()
    while time.perf_counter() - t0 < wait_s:
        if chart.evaluate(snap) != before:
            return time.perf_counter() - t0
        page.wait_for_timeout(5)
    return None


def measure_page(page, url: str, repeat: int) -> tuple[list[dict], list[dict]]:
    page.goto(url)
    page.wait_for_function("""() => {
        const a = document.querySelector('[data-testid="stApp"]');
        return a && a.getAttribute('data-test-script-state') === 'notRunning'
            && document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"]').length > 3; }""",
        timeout=60000)
    page.wait_for_timeout(1500)
    print(f"{url}: waited {wait_quiet():.0f} s for the warm start to settle", flush=True)
    page.evaluate(OBSERVER)
    main = page.locator('[data-testid="stMain"]')
    widgets, bound = [], []
    sliders = main.locator('[data-testid="stSlider"] input[type="range"]')
    for i in range(sliders.count()):
        handle = sliders.nth(i)
        label = handle.evaluate("""(h) => { const w = h.closest('[data-testid="stSlider"]');
                                             const l = w && w.querySelector('label'); return l ? l.innerText : '?'; }""")
        handle.scroll_into_view_if_needed()
        times, start = [], len(CPU)
        for r in range(repeat):
            key = "ArrowRight" if r % 2 == 0 else "ArrowLeft"
            times.append(step_time(page, lambda: (handle.focus(), handle.press(key))))
        widgets.append({"widget": f"Regler »{label.splitlines()[0]}«", "times": times, "cpu": CPU[start:]})
    fields = main.locator('[data-testid="stNumberInputField"]')
    for i in range(fields.count()):
        field = fields.nth(i)
        if not field.input_value():          # e.g. a guess box that starts empty: not an explanation
            continue
        label = field.get_attribute("aria-label") or "?"
        field.scroll_into_view_if_needed()
        times, start = [], len(CPU)
        for r in range(repeat):
            key = "ArrowUp" if r % 2 == 0 else "ArrowDown"
            times.append(step_time(page, lambda: (field.focus(), field.press(key), field.press("Enter"))))
        widgets.append({"widget": f"Zahlenfeld »{label}« (Pfeiltaste + Eingabe)", "times": times, "cpu": CPU[start:]})
    ranges = main.locator('.vega-bind input[type="range"]')
    for i in range(ranges.count()):
        rng = ranges.nth(i)
        chart = rng.locator("xpath=ancestor::*[contains(@class,'vega-embed')][1]")
        name = rng.evaluate("""(r) => { const l = r.closest('label');
                               const n = l && l.querySelector('.vega-bind-name'); return n ? n.innerText : '?'; }""")
        rng.scroll_into_view_if_needed()
        redraw, runs = [], 0
        for r in range(repeat):
            key = "ArrowRight" if r % 2 == 0 else "ArrowLeft"
            page.wait_for_timeout(150)
            t0 = page.evaluate("performance.now()")
            redraw.append(canvas_change_time(page, chart, lambda: (rng.focus(), rng.press(key))))
            page.wait_for_timeout(700)
            runs += page.evaluate(RUN_STATE, t0) is not None
        bound.append({"widget": f"Diagramm-Regler »{name}«", "times": redraw, "runs": runs})
    return widgets, bound


def fmt(times: list) -> str:
    ok = [t for t in times if t is not None]
    if not ok:
        return "–"
    return f"{statistics.median(ok):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="current code")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    global SERVER_PID
    proc, url = start_server()
    SERVER_PID = proc.pid
    lines = []
    all_steps = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for chapter, path in PAGES.items():
                    widgets, bound = measure_page(page, f"{url}/{path}", args.repeat)
                    lines.append(f"\n**{chapter}** (`/{path}`)\n\n| widget | median s (key press → script idle) | all "
                                 "| server CPU s per step (median) |\n|---|---|---|---|")
                    for w in widgets:
                        all_steps += [t for t in w["times"] if t is not None]
                        shown = ", ".join("kein Lauf" if t is None else f"{t:.2f}" for t in w["times"])
                        lines.append(f"| {w['widget']} | {fmt(w['times'])} | {shown} | {fmt(w['cpu'])} |")
                    if bound:
                        lines.append("\n| chart-bound slider | median s until redrawn | script runs |\n|---|---|---|")
                        for b in bound:
                            lines.append(f"| {b['widget']} | {fmt(b['times'])} | {b['runs']} of {len(b['times'])} |")
            finally:
                browser.close()
    finally:
        stop_streamlit(proc)
    summary = (f"All Streamlit widget steps: median {statistics.median(all_steps):.2f} s, "
               f"max {max(all_steps):.2f} s, n = {len(all_steps)}; server CPU per step: median "
               f"{statistics.median(CPU):.2f} s, max {max(CPU):.2f} s (CPU time does not grow with other "
               "processes' load, wall time does)." if all_steps else "No widget steps measured.")
    load = f"load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after – other work shared the 2 cores"
    body = (f"Machine: {machine()}; viewport 1400×1000, {args.repeat} steps per widget; {load}.\n\n{summary}\n"
            + "\n".join(lines) + "\n\nTarget: median ≤ 0.3 s per Streamlit widget step; chart-bound sliders "
            "redraw in the browser with 0 script runs.")
    if args.write:
        write_section(f"Slider response, {args.label}", body)
    else:
        print(body)


if __name__ == "__main__":
    main()
