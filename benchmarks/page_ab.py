"""Before → after of page changes on a busy machine: two servers side by side, clicked in turn.

On a shared box whose load swings between 6 and 18, two runs of ``benchmarks/pages.py`` an hour
apart measure the load more than the change. Here both versions run at the same time: ``--before``
(a commit) and the working tree's ``HEAD`` (or ``--after``) are exported with ``git archive`` into
temporary folders and started as two servers (warm start off); one chromium (1400 × 1000) opens
each, visits the pages once (models and caches loaded), then clicks start page → page on the two
servers in turn, ``--rounds`` times (the order alternating), so both see the same load.

Per page and version: the median wall time from the click until the page is idle (as in
``pages.py``), the server's CPU seconds meanwhile, and the CPU seconds of the browser's main
thread (Chrome's trace: scripts, style, layout, paint) – the last two depend far less on the load.

    python benchmarks/page_ab.py --before 23f4a75^ modelle_von_innen 04_neuronale_netze [--write]

``--write`` stores the table in ``benchmarks/RESULTS.md`` (section "Page changes, before → after").
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import CHROMIUM_ARGS, ROOT, start_streamlit, stop_streamlit, write_section
from pages import OBSERVER, change_page, fmt, machine

from tutorial.chapters import chapter

# main-thread events whose thread time is the page's work in the browser (they do not nest)
BROWSER_WORK = ("FunctionCall", "UpdateLayoutTree", "Layout", "Paint", "PrePaint", "ParseHTML", "Decode Image")


def export(rev: str, into: Path) -> Path:
    """The tree of commit ``rev`` (tracked files, the models in assets/ included) in ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def start(tree: Path):
    """A server for ``tree``: its own ``streamlit_app.py``; with PYTHONSAFEPATH the working directory
    is not on the import path, so the tree's ``tutorial`` package is the one imported."""
    env = dict(os.environ, TUTORIAL_WARM_START="0", PYTHONSAFEPATH="1")
    return start_streamlit(env=env, script=str(tree / "streamlit_app.py"))


def browser_seconds(browser, page, action):
    """``action()`` and the CPU seconds of the page's main thread meanwhile (Chrome's trace)."""
    browser.start_tracing(page=page, categories=["devtools.timeline"])
    result = action()
    events = json.loads(browser.stop_tracing())["traceEvents"]
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"}
    busy = sum(e.get("tdur", 0) for e in events
               if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X" and e["name"] in BROWSER_WORK)
    return result, busy / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stems", nargs="+", help="pages by file stem (tutorial/chapters.py), e.g. modelle_von_innen")
    parser.add_argument("--before", required=True, help="the commit before the change")
    parser.add_argument("--after", default="HEAD", help="the commit after it (default HEAD)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    home = chapter("01_uebersicht")
    entries = [chapter(stem) for stem in args.stems]
    kinds = ("before", "after")
    seen = {(k, e.stem): {"wall": [], "server": [], "browser": []} for k in kinds for e in entries}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {k: export(rev, Path(tmp) / k) for k, rev in zip(kinds, (args.before, args.after))}
        servers = {k: start(trees[k]) for k in kinds}
        load0 = open("/proc/loadavg").read().split()[:3]
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
                pages = {}
                for k, (proc, url) in servers.items():
                    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                    page.set_default_timeout(180_000)
                    page.goto(url)
                    page.get_by_role("heading", level=1, name=home.page_title).wait_for()
                    page.evaluate(OBSERVER)
                    for entry in entries:                       # first visits: models and caches loaded
                        change_page(page, entry, proc.pid, timeout=180)
                        change_page(page, home, proc.pid)
                    pages[k] = page
                for r in range(args.rounds):
                    for entry in entries:
                        for k in (kinds if r % 2 == 0 else kinds[::-1]):
                            proc, page = servers[k][0], pages[k]
                            (wall, _, cpu), busy = browser_seconds(browser, page,
                                                                   lambda: change_page(page, entry, proc.pid))
                            row = seen[(k, entry.stem)]
                            row["wall"].append(wall)
                            row["server"].append(cpu)
                            row["browser"].append(busy)
                            change_page(page, home, proc.pid)
                browser.close()
        finally:
            for proc, _ in servers.values():
                stop_streamlit(proc)
    load1 = open("/proc/loadavg").read().split()[:3]

    def med(kind, stem, what):
        return fmt(statistics.median(seen[(kind, stem)][what]))
    rows = "\n".join(
        f"| {e.menu_title} | {med('before', e.stem, 'wall')} → {med('after', e.stem, 'wall')} | "
        f"{med('before', e.stem, 'server')} → {med('after', e.stem, 'server')} | "
        f"{med('before', e.stem, 'browser')} → {med('after', e.stem, 'browser')} |" for e in entries)
    body = (f"Machine: {machine()}. Load average {' '.join(load0)} at the start, {' '.join(load1)} at the end "
            "(other helpers' tests on the box).\n\n"
            f"`python benchmarks/page_ab.py --before {args.before} --after {args.after}`: both versions as two "
            f"servers at the same time (warm start off, every page visited once before), start page → page "
            f"clicked on each in turn, {args.rounds} rounds; medians. Wall: click until the page is idle (as in "
            "`pages.py`, warm); server and browser: CPU seconds of the server and of the browser page's main "
            "thread (Chrome's trace, while tracing).\n\n"
            "| page | warm s, before → after | server CPU s | browser CPU s |\n|---|---|---|---|\n" + rows)
    if args.write:
        write_section("Page changes, before → after", body)
    else:
        print(body)


if __name__ == "__main__":
    sys.exit(main())
