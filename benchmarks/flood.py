"""Queue flood: 30 scripted sessions flood the training queue while a learner with a history trains
on chapter 3 – does the learner's run start within 2 minutes? (issue 20, item 3; README "Warteschlange")

Every session is a real Streamlit session of a live server, driven over its websocket by
:mod:`wsclient` (no browser; each connection without a cookie is a fresh learner identity, as a
script gets it). Timeline:

* t = 0: the **learner** opens chapters 1, 2 and 3 (a history: three chapters visited) and then
  reloads chapter 3 every ``--learner-every`` seconds, as an open page would;
* t = ``--flood-at``: ``--sessions`` **flood sessions** connect to chapter 3 at once, skip the guess
  and click "Trainieren" twice with different settings (epochs 1–30 × Schnellmodus on/off, never
  the learner's), then reload the page every ``--flood-every`` seconds (they stay "seen");
* t = ``--learner-at``: the learner clicks "Trainieren" (12 epochs) and reloads every second until
  the page shows the run training ("TensorFlow wird geladen …", "Schritt …") or its result.

Reported: the learner's queue position right after the click and the seconds from the click to the
start of the run (target ≤ 120 s), what the flood sessions were told (queued, "Warteschlange voll",
other refusals), trainings started, server CPU and peak memory. :func:`flood` is the scenario
itself, for ``benchmarks/abuse.py`` against a server it started.

    python benchmarks/flood.py                  # own server, writes the section of RESULTS.md
    python benchmarks/flood.py --no-write --sessions 5 --learner-at 70
"""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import threading
import time

from common import descendants, machine, start_streamlit, stop_streamlit, write_section
from wsclient import Session
from tutorial.worker import rss_mb

PAGE = "erstes_netz"                 # chapter 3
HISTORY = ("", "app_benutzen", PAGE)  # chapters 1, 2, 3
LEARNER_EPOCHS = 12
STARTED = ("TensorFlow wird geladen", "Schritt ", "Training fertig")
RESULT = "Fehler von"
POSITION = "Sie sind an Position "




def _cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _notice(session: Session) -> str:
    """What the page says about the last request: a refusal (the page's notice), else the run's
    queue position, else that it trains."""
    alerts = [e.text for e in session.elements if e.kind == "alert"]
    refusal = [t for t in alerts if ("Warteschlange" in t or "Trainings" in t or "Sitzungen" in t)
               and not t.startswith(POSITION)]
    position = [t for t in alerts if t.startswith(POSITION)]
    started = [e.text for e in session.elements if e.kind == "progress" and e.text.startswith(STARTED)]
    return (refusal + position + started + [""])[0]


def _flood_settings(i: int) -> list[tuple[int, bool]]:
    """Two chapter-3 settings for flood session ``i``: all different for 29 sessions, never the learner's."""
    epochs = [e for e in range(30, 0, -1) if e != LEARNER_EPOCHS]     # the longest runs first
    return [(epochs[k % len(epochs)], (k // len(epochs)) % 2 == 1) for k in (2 * i, 2 * i + 1)]


async def _set_quick(session: Session, on: bool) -> None:
    box = next(e for e in session.elements if e.kind == "checkbox" and e.label.startswith("Schnellmodus"))
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    session.widgets[box.id] = WidgetState(id=box.id, bool_value=on)


async def _flood_session(url: str, i: int, until: float, every: float, told: list) -> None:
    session = Session(url)
    try:
        await session.connect(PAGE)
        await session.click("Ohne Vermutung weiter")
        for epochs, quick in _flood_settings(i):
            session.set_number("Epochen", epochs)
            await _set_quick(session, quick)
            await session.rerun()
            await session.click("Trainieren")
            told.append(_notice(session))
        while time.time() < until:
            await asyncio.sleep(every)
            await session.rerun()
    except Exception as exc:  # noqa: BLE001 - a session that breaks is counted, the others go on
        told.append(f"Fehler der Sitzung: {type(exc).__name__}: {exc}")
    finally:
        await session.close()


async def _learner(url: str, flood_at: float, click_at: float, every: float, timeout: float, out: dict,
                   history: bool = True) -> None:
    session = Session(url)
    t0 = time.time()
    for page in HISTORY if history else (PAGE,):
        if session.ws is None:
            await session.connect(page)
        else:
            await session.rerun(page=page)
    await session.click("Ohne Vermutung weiter")
    session.set_number("Epochen", LEARNER_EPOCHS)
    while time.time() < t0 + click_at:
        await asyncio.sleep(min(every, max(0.0, t0 + click_at - time.time())))
        await session.rerun()
    clicked = time.time()
    await session.click("Trainieren")
    out["first_notice"] = _notice(session)
    out["clicked_at"] = clicked - t0
    while time.time() - clicked < timeout:
        notice = _notice(session)
        if notice.startswith(STARTED) or RESULT in session.text():
            out["start_seconds"] = time.time() - clicked
            out["start_text"] = notice
            break
        await asyncio.sleep(1.0)
        await session.rerun()
    await session.close()


async def _scenario(url: str, sessions: int, flood_at: float, learner_at: float, learner_every: float,
                    flood_every: float, timeout: float, history: bool) -> dict:
    told: list[str] = []
    learner: dict = {}
    t0 = time.time()
    until = t0 + learner_at + timeout
    task = asyncio.create_task(_learner(url, flood_at, learner_at, learner_every, timeout, learner, history))
    await asyncio.sleep(flood_at)
    flood_started = time.time()
    floods = [asyncio.create_task(_flood_session(url, i, until, flood_every, told)) for i in range(sessions)]
    await task
    flood_ready = time.time() - flood_started
    for f in floods:
        f.cancel()
    await asyncio.gather(*floods, return_exceptions=True)
    return {"learner": learner, "told": told, "flood_seconds": flood_ready}


def flood(url: str, sessions: int = 30, flood_at: float = 5, learner_at: float = 75, learner_every: float = 10,
          flood_every: float = 15, timeout: float = 300, history: bool = True) -> dict:
    """Run the scenario against the server at ``url``; returns the learner's figures and what the
    flood sessions were told (see the module docstring). ``history=False``: the learner opens only
    chapter 3 (a fresh identity like the flood's – the control)."""
    return asyncio.run(_scenario(url, sessions, flood_at, learner_at, learner_every, flood_every, timeout, history))


def _kinds(told: list[str]) -> dict:
    out = {"in der Warteschlange": 0, "Warteschlange voll": 0, "andere Ablehnung": 0, "trainiert sofort": 0,
           "Fehler": 0}
    for text in told:
        if text.startswith("Warteschlange voll"):
            out["Warteschlange voll"] += 1
        elif text.startswith(POSITION):
            out["in der Warteschlange"] += 1
        elif text.startswith(STARTED):
            out["trainiert sofort"] += 1
        elif text.startswith("Fehler der Sitzung"):
            out["Fehler"] += 1
        else:
            out["andere Ablehnung"] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--flood-at", type=float, default=5)
    parser.add_argument("--learner-at", type=float, default=75)
    parser.add_argument("--learner-every", type=float, default=10)
    parser.add_argument("--flood-every", type=float, default=15)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--no-history", action="store_true",
                        help="control: the learner opens only chapter 3 (no history, like the flood)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="flood-")
    env = dict(os.environ, TUTORIAL_PROGRESS_DIR=workdir, TUTORIAL_WARM_START="1",
               TUTORIAL_DATABASE_URL=f"sqlite:///{workdir}/progress.db")
    proc, url = start_streamlit(env)
    peak = {"server": 0.0, "children": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            peak["server"] = max(peak["server"], rss_mb(proc.pid))
            peak["children"] = max(peak["children"], sum(rss_mb(k) for k in descendants(proc.pid)))

    threading.Thread(target=sample, daemon=True).start()
    time.sleep(20)    # the warm start: training child ready, digits loaded (as on a server that runs a while)
    cpu0, wall0 = _cpu(proc.pid), time.time()
    try:
        out = flood(url, args.sessions, args.flood_at, args.learner_at, args.learner_every, args.flood_every,
                    args.timeout, not args.no_history)
    finally:
        cpu = _cpu(proc.pid) - cpu0
        wall = time.time() - wall0
        stop.set()
        stop_streamlit(proc)
    learner, kinds = out["learner"], _kinds(out["told"])
    start = learner.get("start_seconds")
    loadavg = os.getloadavg()
    others = sorted({t for t in out["told"] if not t.startswith("Warteschlange voll") and not t.startswith(POSITION)})
    positions = [int(t[len(POSITION):].split()[0]) for t in out["told"] if t.startswith(POSITION)]
    distinct = len({(q, min(e, 3) if q else e) for i in range(args.sessions) for e, q in _flood_settings(i)})
    lines = [
        f"Machine: {machine()}; load average at the end {loadavg[0]:.1f} / {loadavg[1]:.1f} (1 / 5 min; other "
        "helpers' tests share the box).",
        f"Server: `streamlit run streamlit_app.py`, warm start on, 1 training at a time (2 cores), "
        f"fresh progress database. Flood: {args.sessions} websocket sessions (benchmarks/wsclient.py, each a "
        f"fresh identity) on chapter 3 from t = {args.flood_at:g} s, each clicking \"Trainieren\" twice with "
        f"different settings (epochs 1–30 × Schnellmodus), then reloading every {args.flood_every:g} s. "
        f"Learner: {'only chapter 3 (control: no history)' if args.no_history else 'chapters 1, 2, 3'} from t = 0, "
        f"reload every {args.learner_every:g} s, "
        f"\"Trainieren\" (12 epochs) at t = {learner.get('clicked_at', float('nan')):.0f} s.",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Learner: what the page said right after the click | {learner.get('first_notice') or '–'} |",
        f"| **Learner: click → run training** (target ≤ 120 s) | "
        f"**{'%.1f s' % start if start is not None else 'not within %d s' % args.timeout}** |",
        f"| Flood: different runs asked for (Schnellmodus caps epochs at 3) / largest queue position told | "
        f"{distinct} / {max(positions, default=0)} |",
        f"| Flood requests: in the queue / \"Warteschlange voll\" / other refusal / training at once / "
        f"session errors | {kinds['in der Warteschlange']} / {kinds['Warteschlange voll']} / "
        f"{kinds['andere Ablehnung']} / {kinds['trainiert sofort']} / {kinds['Fehler']} |",
        f"| Server CPU during the scenario | {cpu:.0f} s in {wall:.0f} s ({100 * cpu / max(wall, 1):.0f} % of one core) |",
        f"| Peak memory: server / training children | {peak['server']:.0f} MB / {peak['children']:.0f} MB |",
    ]
    full = next((t for t in out["told"] if t.startswith("Warteschlange voll")), "")
    if full:
        lines += ["", f"A refused flood session read: »{full}«"]
    if others:
        lines += ["", "Other answers: " + " | ".join(f"»{t[:160]}«" for t in others[:3])]
    body = "\n".join(lines)
    if args.no_write:
        print(body)
    else:
        title = "Queue flood: 30 scripted sessions vs. a learner on chapter 3 (benchmarks/flood.py)"
        write_section(title + (", control: learner without history" if args.no_history else ""), body)


if __name__ == "__main__":
    main()
