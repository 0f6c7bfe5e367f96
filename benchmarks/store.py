"""The progress store under a workshop's load, on SQLite (a file) and on PostgreSQL 15.

1. **Writes**: 30 learners work at once (one thread each, as 30 sessions in one app server), each a
   typical session through 8 chapters: the page's visit on every rerun, widget values, answers
   (two tries per question), a guess and its verdict, a finished training and its run log entry with
   the per-batch curve (~60 kB, a real pretrained history), then the older entry shrunk to its
   per-epoch values. Each call's latency is recorded; target: p95 ≤ 20 ms on SQLite.
2. **Room query**: 1,000 learners' progress (bulk-inserted, the same rows the store writes), then
   :func:`tutorial.store.room.report` timed; target ≤ 0,5 s.

    python benchmarks/store.py [--learners 30] [--room 1000]

Writes a section to benchmarks/RESULTS.md. The PostgreSQL server is started from
/usr/lib/postgresql/15/bin in a temporary directory (tests/postgres.py) and stopped at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, machine, write_section  # noqa: E402
from tests.postgres import temporary_postgres  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from tutorial import questions as Q  # noqa: E402
from tutorial.store import room  # noqa: E402
from tutorial.store import schema as T  # noqa: E402
from tutorial.store.limits import ROW_BYTES, token_hash  # noqa: E402
from tutorial.store.store import Store  # noqa: E402

CHAPTERS = ("ch03", "ch04", "ch05", "ch06", "ch07", "ch08", "ch09", "ch11")
HISTORY = json.loads((ROOT / "assets" / "models" / "ex_08_lr001.json").read_text())
PER_EPOCH = {**HISTORY, "batches": []}


THINK = (0.2, 1.0)     # seconds between two calls of one learner (a real learner: several seconds)


def session(store: Store, token: str, rng: random.Random, times: dict, think: tuple = THINK) -> None:
    def timed(kind: str, call, *args, **kwargs):
        if think[1]:
            time.sleep(rng.uniform(*think))            # the learner reads, the other sessions write
        start = time.perf_counter()
        call(*args, **kwargs)
        times.setdefault(kind, []).append(time.perf_counter() - start)

    timed("load", store.load, token)
    timed("touch", store.touch, token)
    previous = None
    for n, chapter in enumerate(CHAPTERS):
        for _ in range(5):
            timed("visit", store.visit, token, chapter)
        timed("settings", store.put_settings, token, "widget",
              {f"{chapter}_epochs": rng.randint(1, 10), f"{chapter}_optimizer": "adam"})
        for question in Q.chapter_questions(chapter):
            value = 0 if question.options else 100
            timed("answer", store.answer, token, question.id, value, False)
            timed("answer", store.answer, token, question.id, 1 if question.options else 7850, True)
        guess = Q.guess(chapter)
        if guess is not None:
            choice = rng.randrange(len(guess.options))
            timed("guess", store.guess, token, chapter, choice=choice)
            timed("trained", store.trained, token, chapter, "live", rng.uniform(0.9, 0.99), 30.0, "spec")
            timed("verdict", store.verdict, token, chapter, choice, 0, choice == 0)
            timed("log_run", store.log_run, token, f"run-{n}", {"number": n, "history": HISTORY})
            timed("settings", store.put_settings, token, "selection",
                  {chapter: {"kind": "pretrained", "name": "ex_08_lr001"}})
            if previous is not None:
                timed("log_run", store.log_run, token, previous, {"number": n - 1, "history": PER_EPOCH})
            previous = f"run-{n}"


def writes(store: Store, learners: int) -> dict:
    times: dict = {}
    per_thread = [dict() for _ in range(learners)]
    threads = [threading.Thread(target=session, args=(store, f"bench-learner-{i:04d}-xyzxyz", random.Random(i),
                                                      per_thread[i])) for i in range(learners)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    for part in per_thread:
        for kind, values in part.items():
            times.setdefault(kind, []).extend(values)
    return {"times": times, "wall": wall}


def fill(store: Store, learners: int, seed: int = 1) -> None:
    """``learners`` learners' rows as the store writes them, in bulk (the room query's input)."""
    rng = random.Random(seed)
    now = store.clock()
    questions = [q for key in Q.CHAPTER_KEYS for q in Q.chapter_questions(key)]
    guess_chapters = [key for key in Q.CHAPTER_KEYS if Q.guess(key) is not None]
    with store.engine.begin() as conn:
        for start in range(0, learners, 100):
            batch = range(start, min(learners, start + 100))
            ids = []
            for i in batch:
                ids.append(conn.execute(T.learners.insert().values(
                    token_hash=token_hash(f"room-learner-{i:05d}-abcdef"), created=now - 7200,
                    last_seen=now - rng.uniform(0, 3 * 3600), chapter=rng.choice(CHAPTERS),
                    generation=0, rows=0, bytes=0)).inserted_primary_key[0])
            visits, answers, events, trainings = [], [], [], []
            for learner in ids:
                reach = rng.randint(3, len(Q.CHAPTER_KEYS))
                for key in Q.CHAPTER_KEYS[:reach]:
                    visits.append({"learner_id": learner, "chapter": key, "first": now - 7000, "last": now - 60,
                                   "count": rng.randint(1, 20)})
                for q in questions:
                    if q.id[:4] not in Q.CHAPTER_KEYS[:reach]:
                        continue
                    n = len(q.options)
                    for _ in range(rng.randint(1, 3)):
                        option = str(rng.randrange(n)) if n else str(rng.choice((100, 7850, 12)))
                        answers.append({"learner_id": learner, "question": q.id, "option": option,
                                        "right": rng.random() < 0.5, "generation": 0,
                                        "at": now - rng.uniform(0, 7000)})
                for key in guess_chapters:
                    if key not in Q.CHAPTER_KEYS[:reach]:
                        continue
                    choice = rng.randrange(len(Q.guess(key).options))
                    events.append({"learner_id": learner, "chapter": key, "step": "", "kind": "guess",
                                   "choice": choice, "outcome": None, "correct": None, "generation": 0,
                                   "at": now - 5000})
                    for _ in range(rng.randint(1, 4)):
                        outcome = rng.randrange(len(Q.guess(key).options))
                        events.append({"learner_id": learner, "chapter": key, "step": "", "kind": "verdict",
                                       "choice": choice, "outcome": outcome, "correct": outcome == choice,
                                       "generation": 0, "at": now - 4000})
                        trainings.append({"learner_id": learner, "chapter": key, "kind": "live", "spec": "spec",
                                          "accuracy": rng.uniform(0.85, 0.99), "seconds": 30.0,
                                          "generation": 0, "at": now - 4000})
            for table, rows in ((T.visits, visits), (T.answers, answers), (T.guess_events, events),
                                (T.trainings, trainings)):
                conn.execute(table.insert(), rows)
            for learner in ids:
                conn.execute(T.learners.update().where(T.learners.c.id == learner).values(rows=100, bytes=100 * ROW_BYTES))


def room_time(store: Store, repeats: int = 5) -> tuple[list, room.Report]:
    times, report = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        report = room.report(store, since=0, hours=8, k=3)
        times.append(time.perf_counter() - start)
    return times, report


def p(values: list, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def de(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}".replace(".", ",")


def run_backend(name: str, url: str, room_url: str, learners: int, room_learners: int) -> dict:
    store = Store(url)
    alone: dict = {}
    session(store, "bench-alone-learner-xyzxyz", random.Random(0), alone, think=(0, 0))
    result = writes(store, learners)
    result["alone"] = [v for k, vs in alone.items() if k != "load" for v in vs]
    store.close()
    big = Store(room_url)
    fill(big, room_learners)
    big.expire()          # the hourly upkeep (SQLite: planner statistics) as a running server has done it
    seconds, report = room_time(big)
    rows = sum(len(table) for table in (report.questions, report.guesses, report.trainings))
    with big.engine.connect() as conn:
        sizes = {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                 for t in (T.answers, T.guess_events, T.trainings)}
    big.close()
    return {"name": name, **result, "room": seconds, "room_rows": rows, "room_learners": report.learners,
            "room_sizes": sizes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--room", type=int, default=1000)
    args = parser.parse_args()
    results = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="tutorial-store-bench-") as folder:
        results.append(run_backend("SQLite (Datei, WAL)", f"sqlite:///{folder}/writes.sqlite3",
                                   f"sqlite:///{folder}/room.sqlite3", args.learners, args.room))
        print(results[-1]["name"], "done", flush=True)
        with temporary_postgres() as pg:
            results.append(run_backend("PostgreSQL 15 (Unix-Socket)", pg.create_database("writes"),
                                       pg.create_database("room"), args.learners, args.room))
            import psycopg
            with psycopg.connect(host=str(pg.folder), port=pg.port, user="postgres", dbname="postgres") as conn:
                pg_version = conn.execute("SHOW server_version").fetchone()[0]
    kinds = ["visit", "settings", "answer", "guess", "verdict", "trained", "log_run", "touch", "load"]
    lines = [f"Machine: {machine()}; SQLite {sqlite3.sqlite_version}, PostgreSQL {pg_version}, "
             f"SQLAlchemy 2.1.9, psycopg 3.3.9. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
             "while other helpers' tests ran on the same 2 cores (figures are upper bounds).", "",
             f"**Writes**: {args.learners} learners at once (one thread each in one process), each a typical "
             f"session through {len(CHAPTERS)} chapters (visit on every rerun ×5, widget values, two answers per "
             "question, guess, training, verdict, run log entry with per-batch curve ~60 kB, the previous entry "
             f"shrunk). Latency per call in ms; think time {de(THINK[0])}–{de(THINK[1])} s between one learner's "
             f"calls, i.e. ~{args.learners * 2 / sum(THINK):.0f} writes/s offered – several times a real workshop, "
             "where one learner's page reruns are seconds apart. Load average at the start: "
             f"{de(load[0])}, at the end {de(os.getloadavg()[0])}. \"alone\": the same session of one learner "
             "with no think time and nobody else writing (the store's own cost).", "",
             "| Backend | calls | p50 | p95 | max | p95 visit | p95 answer | p95 log_run | p95 load | wall s | "
             "p50 / p95 alone |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        writes_only = [v for k, vs in r["times"].items() if k != "load" for v in vs]
        lines.append(f"| {r['name']} | {len(writes_only)} | {ms(p(writes_only, .5))} | **{ms(p(writes_only, .95))}** | "
                     f"{ms(max(writes_only))} | {ms(p(r['times']['visit'], .95))} | {ms(p(r['times']['answer'], .95))} | "
                     f"{ms(p(r['times']['log_run'], .95))} | {ms(p(r['times']['load'], .95))} | "
                     f"{de(r['wall'])} | {ms(p(r['alone'], .5))} / {ms(p(r['alone'], .95))} |")
    lines += ["", f"**Room query** (`room.report`, since 0, learners seen in the last 8 h, k = 3) over "
              f"{args.room} learners (" + ", ".join(f"{n:,} {name}".replace(",", ".") for name, n in
                                                  results[0]["room_sizes"].items()) + "), 5 runs:", "",
              "| Backend | learners in window | rows reported | median s | fastest s |", "|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['name']} | {r['room_learners']} | {r['room_rows']} | "
                     f"**{statistics.median(r['room']):.3f}** | {min(r['room']):.3f}".replace(".", ",") + " |")
    lines += ["", "Targets: writes p95 ≤ 20 ms on SQLite; room query ≤ 0,5 s for 1,000 learners.",
              "Per-kind p95 (ms): " + "; ".join(
                  r["name"] + ": " + ", ".join(f"{k} {ms(p(r['times'][k], .95))}" for k in kinds if k in r["times"])
                  for r in results)]
    body = "\n".join(lines)
    print(body)
    write_section("Progress store: writes of 30 learners, room query for 1,000 (benchmarks/store.py)", body)


if __name__ == "__main__":
    main()
