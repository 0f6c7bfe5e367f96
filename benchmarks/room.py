"""The cost of "Der Raum" (host page and projector) for 1,000 learners, on SQLite and PostgreSQL 15.

One refresh of the room view does, without its cache: the room's state (banner, "since", online –
:func:`tutorial.store.room.state`), the report (:func:`tutorial.store.room.report`: positions, first
tries, guesses, trainings over the learners seen in the last 8 hours, k = 3, the host's pages left out
as the app does), the German lines (:mod:`tutorial.roomreport`) and the positions chart (Vega-Lite
spec). The CSV is made only when the host clicks the download (measured separately).
The app caches the report per server for ``roomview.REPORT_SECONDS``, so a server pays this at most
once per 5 s however many host pages and projectors are open; several servers on one store pay it once
each. The input is benchmarks/store.py's ``fill`` (the same rows the store writes).

    python benchmarks/room.py [--learners 1000] [--repeats 7]

Writes a section to benchmarks/RESULTS.md. The PostgreSQL server is started from
/usr/lib/postgresql/15/bin in a temporary directory (tests/postgres.py) and stopped at the end.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, write_section  # noqa: E402
from benchmarks.store import fill  # noqa: E402
from tests.postgres import temporary_postgres  # noqa: E402

from tutorial import roomreport  # noqa: E402
from tutorial.app.roomview import REPORT_SECONDS  # noqa: E402
from tutorial.charts.room import positions_chart  # noqa: E402
from tutorial.deutsch import spreadsheet_csv  # noqa: E402
from tutorial.store import room  # noqa: E402
from tutorial.store.store import Store  # noqa: E402

PARTS = ("state", "report", "lines", "chart")


def refresh(store: Store) -> dict:
    """One uncached refresh of the room view; seconds per part."""
    times = {}
    start = time.perf_counter()
    here = room.state(store)
    times["state"] = time.perf_counter() - start
    start = time.perf_counter()
    report = room.report(store, since=here.since, hours=8, k=3, hosts=roomreport.HOST_PAGES)
    times["report"] = time.perf_counter() - start
    start = time.perf_counter()
    roomreport.question_lines(report), roomreport.guess_lines(report), roomreport.training_lines(report)
    rows = [(c.menu_title, n) for c, n in roomreport.positions(report)]
    times["lines"] = time.perf_counter() - start
    start = time.perf_counter()
    positions_chart(rows, report.k)
    positions_chart(rows, report.k, big=True)
    times["chart"] = time.perf_counter() - start
    times["total"] = sum(times.values())
    start = time.perf_counter()
    spreadsheet_csv(roomreport.csv_records(report, 8))
    times["csv"] = time.perf_counter() - start
    times["learners"] = report.learners
    times["rows"] = len(report.questions) + len(report.guesses) + len(report.trainings) + len(report.positions)
    return times


def run_backend(name: str, url: str, learners: int, repeats: int) -> dict:
    store = Store(url)
    fill(store, learners)
    store.expire()        # the hourly upkeep (SQLite: planner statistics), as a running server has done it
    refresh(store)        # warm-up: imports, the question tables, the connection pool
    runs = [refresh(store) for _ in range(repeats)]
    store.close()
    return {"name": name, "runs": runs}


def s(x: float) -> str:
    return f"{x:.3f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    load = os.getloadavg()
    results = []
    with tempfile.TemporaryDirectory(prefix="tutorial-room-bench-") as folder:
        results.append(run_backend("SQLite (Datei, WAL)", f"sqlite:///{folder}/room.sqlite3", args.learners,
                                   args.repeats))
        print(results[-1]["name"], "done", flush=True)
        with temporary_postgres() as pg:
            results.append(run_backend("PostgreSQL 15 (Unix-Socket)", pg.create_database("room"), args.learners,
                                       args.repeats))
    lines = [f"Machine: {machine()}. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
             f"{s(load[0])[:-2]} at the start, {s(os.getloadavg()[0])[:-2]} at the end (other helpers' tests ran "
             "on the same 2 cores: figures are upper bounds).", "",
             f"One uncached refresh of the room view over {args.learners:,} learners ".replace(",", ".")
             + "(benchmarks/store.py's `fill`: ~46 answers, ~18 guess events, ~13 trainings per learner): "
             "room state, report (k = 3, last 8 h, host pages left out), German lines, positions chart for laptop "
             "and projector; the CSV (made when the download is clicked) apart. "
             f"Median of {args.repeats} runs after one warm-up, seconds:", "",
             "| Backend | learners in window | rows | state | report | lines | chart | **total** | fastest total | "
             "CSV on click |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        med = {part: statistics.median(run[part] for run in r["runs"]) for part in (*PARTS, "total", "csv")}
        lines.append(f"| {r['name']} | {r['runs'][0]['learners']} | {r['runs'][0]['rows']} | "
                     + " | ".join(s(med[part]) for part in PARTS)
                     + f" | **{s(med['total'])}** | {s(min(run['total'] for run in r['runs']))} | {s(med['csv'])} |")
    lines += ["", f"Target (issue 19/23): ≤ 0,5 s for 1,000 learners. The app pays this at most once per "
              f"{REPORT_SECONDS} s per server (`roomview.report` is cached with that TTL; the host page and the "
              "projector redraw every 10 s), so the database sees one report per server and 5 s, however many "
              "host pages and projectors are open."]
    body = "\n".join(lines)
    print(body)
    write_section("Der Raum: the room view's queries for 1,000 learners (benchmarks/room.py)", body)


if __name__ == "__main__":
    main()
