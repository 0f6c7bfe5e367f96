"""Hostile scenarios against a live server (issue 20, "Done when"): what the learner sees, server and
training-child peak memory, time. Each scenario is a function; each gets a fresh server from
:func:`common.start_streamlit` (localhost, its own process group, stopped with all children).

    python benchmarks/abuse.py                      # all, writes "Abuse scenarios (issue 20)" in RESULTS.md
    python benchmarks/abuse.py --only canvas radio --no-write

Scenarios: ``settings`` (largest settings in every exercise chapter, then "Trainieren"), ``canvas``
(forged 6000 × 6000 PNG data URL as the canvas component's value), ``radio`` (forged radio values),
``flood`` (:func:`flood.flood`: 30 sessions vs. a learner with history), ``passwords`` (wrong host
passwords from one session for a fixed time, and from 50 sessions), ``restart`` (server stop/start in
chromium: the German connection message). Widgets are driven over the websocket by :mod:`wsclient`.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import os
import re
import shutil
import tempfile
import threading
import time
import urllib.parse

import websockets
import wsclient
from common import CHROMIUM_ARGS, descendants, machine, start_streamlit, stop_streamlit, write_section
from streamlit.proto.WidgetStates_pb2 import WidgetState
from wsclient import Session

from tutorial.chapters import by_number, exercises
from tutorial.worker import rss_mb

STARTED = ("TensorFlow wird geladen", "Schritt ", "Training fertig")
QUEUED = "Sie sind an Position "
PRICE_WORDS = ("Minuten", "Speicher", "erlaubt", "höchstens", "zu groß", "zu lang")
PASSWORD = "abuse-benchmark-host-pw-2026"
RAW: dict[str, object] = {}           # widget id → its proto body (min/max/options of sliders, number inputs)
_element = wsclient._element


def _element_with_raw(element):
    out = _element(element)
    if out.id:
        RAW[out.id] = getattr(element, element.WhichOneof("type") or "", None)
    return out


wsclient._element = _element_with_raw   # the client keeps only label/text; the limits come from the proto




class Server:
    """A fresh server for one scenario, with peak RSS of the server and of its largest child sampled."""

    def __init__(self, warm: bool = False, port: int | None = None):
        self.workdir = tempfile.mkdtemp(prefix="abuse-")
        self.env = dict(os.environ, TUTORIAL_PROGRESS_DIR=self.workdir, TUTORIAL_WARM_START="1" if warm else "0",
                        TUTORIAL_DATABASE_URL=f"sqlite:///{self.workdir}/progress.db",
                        TUTORIAL_HOST_PASSWORD=PASSWORD)
        self.proc, self.url = start_streamlit(self.env, port=port)
        self.base = rss_mb(self.proc.pid)
        self.peak_server, self.peak_child = self.base, 0.0
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            self.peak_server = max(self.peak_server, rss_mb(self.proc.pid))
            self.peak_child = max([self.peak_child] + [rss_mb(k) for k in descendants(self.proc.pid)])

    def stop(self) -> None:
        self._stop.set()
        stop_streamlit(self.proc)

    def mb(self) -> str:
        return f"{self.base:.0f} → {self.peak_server:.0f} / {self.peak_child:.0f}"


def _alerts(session: Session) -> list[str]:
    return [e.text for e in session.elements if e.kind == "alert"]


def _short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + " …"


async def _open(url: str, page: str) -> Session:
    session = Session(url)
    await session.connect(page)
    if any(e.kind == "button" and e.label == "Ohne Vermutung weiter" for e in session.elements):
        await session.click("Ohne Vermutung weiter")
    return session


def _bounds(session: Session) -> dict[str, int]:
    """Number-input maxima the page named in its refusals ("Label: 999 ist zu groß – … von A bis B.")."""
    out = {}
    for text in _alerts(session):
        m = re.match(r"(.+?): 999 ist zu groß .*? bis ([0-9.]+)", text)
        if m:
            out[m.group(1)] = int(m.group(2).replace(".", ""))
    return out


def _set_max(session: Session, bounds: dict[str, int]) -> list[str]:
    """Every slider and number input of the page to its maximum; returns what was set."""
    done = []
    for e in session.elements:
        body = RAW.get(e.id)
        if e.kind == "slider" and body is not None:
            if len(body.options):       # a select_slider: its value is the formatted option
                session.widgets[e.id] = WidgetState(id=e.id, string_array_value={"data": [body.options[-1]]})
                done.append(f"{e.label}={body.options[-1]}")
            else:
                session.widgets[e.id] = WidgetState(id=e.id, double_array_value={"data": [body.max]})
                done.append(f"{e.label}={body.max:g}")
        elif e.kind == "number_input" and body is not None:
            # no maximum in the widget (the page checks it, German message): 999 first, then the bound it names
            top = body.max if body.has_max else bounds.get(e.label, 999)
            if body.data_type == body.INT:
                session.widgets[e.id] = WidgetState(id=e.id, int_value=int(top))
            else:
                session.widgets[e.id] = WidgetState(id=e.id, double_value=float(top))
            done.append(f"{e.label}={top:g}")
    return done


# --- 1. largest settings ---------------------------------------------------------------------------
def settings() -> list[tuple[str, str, str, str]]:
    from tutorial import settings as tutorial_settings
    rows = []
    limit = tutorial_settings.child_memory_mb()
    for chapter in exercises():
        server = Server()
        t0 = time.time()
        try:
            async def run():
                s = await _open(server.url, chapter.url_path)
                bounds: dict[str, int] = {}
                for _ in range(4):              # more layers show more sliders: set, rerun, again
                    set_ = _set_max(s, bounds)
                    await s.rerun()
                    bounds.update(_bounds(s))
                before = [a for a in _alerts(s) if any(w in a for w in PRICE_WORDS)]
                clicked = any(e.kind == "button" and e.label == "Trainieren" for e in s.elements)
                after = []
                if clicked:
                    shown = set(_alerts(s))
                    await s.click("Trainieren")
                    after = [a for a in _alerts(s) if a not in shown and not a.startswith("**Vergleich")]
                    await asyncio.sleep(3)      # a run that was accepted would start its child now
                    await s.rerun()
                started = [e.text for e in s.elements if e.kind == "progress" and e.text.startswith(STARTED)]
                started += [a for a in _alerts(s) if a.startswith(QUEUED)]
                if started:                     # accepted: let it run a while (child memory), then its progress
                    await asyncio.sleep(25)
                    await s.rerun()
                    started = [e.text for e in s.elements if e.kind == "progress"
                               and e.text.startswith(STARTED)] or started
                await s.close()
                return set_, before, after, started, clicked
            set_, before, after, started, clicked = asyncio.run(run())
            seen = ("before the click (no »Trainieren« shown): " if not clicked else "after the click: ") + \
                _short(" | ".join(after if clicked else before) or "–", 240)
            verdict = "refused" if not started else "**run accepted** (after ~30 s: " + _short(started[-1], 80) + ")"
            rows.append((f"1 largest settings, ch. {chapter.number} ({', '.join(set_)})",
                         f"{verdict}: »{seen}«; child limit {limit:.0f} MB", server.mb(), f"{time.time() - t0:.0f} s"))
        except Exception as exc:  # noqa: BLE001 - one chapter that breaks is a row, the others go on
            rows.append((f"1 largest settings, ch. {chapter.number}", f"script error {type(exc).__name__}: {exc}",
                         server.mb(), f"{time.time() - t0:.0f} s"))
        finally:
            server.stop()
    return rows


# --- 2. forged canvas -------------------------------------------------------------------------------
def _huge_png() -> str:
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    img = np.zeros((6000, 6000), np.uint8)
    img[rng.integers(0, 6000, 90_000), rng.integers(0, 6000, 90_000)] = 255   # ~200 KiB compressed
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def canvas() -> list[tuple[str, str, str, str]]:
    url_data = _huge_png()
    server = Server()
    t0 = time.time()
    try:
        async def run():
            s = await _open(server.url, "ziffern_zeichnen")
            comp = [e for e in s.elements if e.kind in ("bidi_component", "component_instance") and e.id]
            if not comp:
                return "kein Zeichenfeld gefunden: " + _short(s.text())
            base_after_open = server.peak_server
            for e in comp:
                s.widgets[e.id] = WidgetState(id=e.id, json_value=json.dumps({"drawing": {"raw": None,
                                                                                          "data": url_data}}))
            await s.rerun()
            text = " | ".join(_alerts(s))
            tb = [e for e in s.elements if e.kind == "exception"]
            await s.close()
            return (("**traceback** " if tb else "") + f"»{_short(text, 260)}«", base_after_open)
        out = asyncio.run(run())
        seen, before = out if isinstance(out, tuple) else (out, server.peak_server)
        time.sleep(1)
        added = server.peak_server - before
        return [(f"2 forged canvas value ({len(url_data) // 1024} KiB data URL, 6000 × 6000 PNG)",
                 seen + f"; server +{added:.0f} MB over its peak after opening the page (target ≤ 100)",
                 server.mb(), f"{time.time() - t0:.0f} s")]
    finally:
        server.stop()


# --- 3. forged radio --------------------------------------------------------------------------------
def radio() -> list[tuple[str, str, str, str]]:
    rows = []
    server = Server()
    try:
        chapter = by_number(3)
        for name, make in (("900 KB string", lambda i: WidgetState(id=i, string_value="x" * 900_000)),
                           ("unknown index 999", lambda i: WidgetState(id=i, int_value=999)),
                           ("unknown option string", lambda i: WidgetState(id=i, string_value="Gibt es nicht"))):
            t0 = time.time()

            async def run():
                s = Session(server.url)
                await s.connect(chapter.url_path)
                radios = [e for e in s.elements if e.kind == "radio"]
                if not radios:
                    await s.close()
                    return "kein Auswahlfeld auf der Seite"
                target = radios[0]                    # one forged radio (two 900 KB values pass 1 MB)
                s.widgets[target.id] = make(target.id)
                try:
                    await s.rerun()
                except websockets.ConnectionClosed as exc:
                    fresh = Session(server.url)
                    await fresh.connect(chapter.url_path)
                    ok = any(e.kind == "radio" for e in fresh.elements)
                    await fresh.close()
                    return (f"server closed the websocket ({exc.rcvd.code if exc.rcvd else '?'} "
                            f"{exc.rcvd.reason if exc.rcvd else ''}); a new session's page "
                            f"{'fine' if ok else 'broken'}")
                tb = [e for e in s.elements if e.kind == "exception"]
                error = _short(tb[0].text, 70) if tb else ""
                s.widgets = {}
                await s.rerun()                       # the next run without it: was the forged value kept?
                again = [e for e in s.elements if e.kind == "radio"]
                body = RAW.get(again[0].id) if again else None
                kept = body is not None and body.set_value and body.raw_value not in body.options
                cleared = kept and body.raw_value == ""
                kept = kept and not cleared
                ok = bool(again) and not any(e.kind == "exception" for e in s.elements)
                await s.close()
                return (f"»{target.label}«: " + (f"**error box** (Streamlit's own: »{error}«)" if tb else "no error") +
                        f"; next run {'fine' if ok else 'broken'}, forged value "
                        f"{'**kept**' if kept else 'not kept'}" + (" (radio shown with no choice)" if cleared else ""))
            rows.append((f"3 forged radio value on ch. 3 ({name})", asyncio.run(run()), server.mb(),
                         f"{time.time() - t0:.0f} s"))
    finally:
        server.stop()
    return rows


# --- 4. flood ---------------------------------------------------------------------------------------
def flood_scenario() -> list[tuple[str, str, str, str]]:
    from flood import flood
    server = Server(warm=True)
    t0 = time.time()
    try:
        time.sleep(20)          # warm start, as on a server that runs a while
        out = flood(server.url)
        learner = out["learner"]
        start = learner.get("start_seconds")
        full = sum(1 for t in out["told"] if t.startswith("Warteschlange voll"))
        queued = sum(1 for t in out["told"] if t.startswith("Sie sind an Position"))
        return [("4 flood: 30 sessions × 2 clicks vs. learner with history (flood.flood)",
                 f"learner: »{_short(learner.get('first_notice') or '–', 120)}«; click → training "
                 f"**{'%.0f s' % start if start is not None else 'not within 300 s'}** (target ≤ 120); flood: "
                 f"{queued} queued, {full} »Warteschlange voll«, {len(out['told']) - queued - full} other",
                 server.mb(), f"{time.time() - t0:.0f} s")]
    finally:
        server.stop()


# --- 5. passwords -----------------------------------------------------------------------------------
async def _attempt(s: Session, given: str) -> str:
    box = s.find("text_input", "Passwort")
    s.widgets[box.id] = WidgetState(id=box.id, string_value=given)
    await s.click("Anmelden")
    return " | ".join(_alerts(s))


def passwords(window: float = 75.0) -> list[tuple[str, str, str, str]]:
    rows = []
    server = Server()
    try:
        async def one():
            s = Session(server.url)
            await s.connect("kursleitung")
            checked, waits, t0, last = 0, 0, time.time(), ""
            while time.time() - t0 < window and checked + waits < 200:
                last = await _attempt(s, f"falsch-{checked}-{waits}")
                if "Das Passwort ist falsch" in last:
                    checked += 1
                else:
                    waits += 1
                if checked >= 50:
                    break
                m = [w for w in last.split() if w.isdigit()]
                # wait as the page says (its "warten Sie N Sekunden"), but at most until the window ends
                pause = float(m[-1]) if "warten Sie" in last and m else 0.2
                await asyncio.sleep(max(0.2, min(pause, window - (time.time() - t0))))
            await s.close()
            return checked, waits, time.time() - t0, last
        checked, waits, took, last = asyncio.run(one())
        rows.append(("5a 50 wrong passwords, one session (waits as the page says)",
                     f"{checked} checked, {waits} answered »warten« in {took:.0f} s "
                     f"({'50 reached' if checked >= 50 else 'window ended before 50: the 50 take ≥ 60 s'}); "
                     f"last: »{_short(last, 140)}«", server.mb(), f"{took:.0f} s"))
    finally:
        server.stop()
    server = Server()
    try:
        async def many():
            sessions = [Session(server.url) for _ in range(50)]
            t0 = time.time()
            for s in sessions:
                await s.connect("kursleitung")
            opened = time.time()
            said = []
            for i, s in enumerate(sessions):
                said.append(await _attempt(s, f"falsch-{i}"))
            took = time.time() - opened
            for s in sessions:
                await s.close()
            return said, took, opened - t0
        said, took, open_s = asyncio.run(many())
        checked = sum(1 for t in said if t.startswith("Das Passwort ist falsch"))
        wait = next((t for t in said if not t.startswith("Das Passwort ist falsch")), "")
        rows.append(("5b 50 wrong passwords from 50 sessions (overall window)",
                     f"{checked} checked, {50 - checked} refused unchecked in {took:.0f} s; "
                     f"first refusal: »{_short(wait, 120)}«", server.mb(), f"{took:.0f} s (+{open_s:.0f} s connect)"))
    finally:
        server.stop()
    return rows


# --- 6. stop and restart ----------------------------------------------------------------------------
def restart() -> list[tuple[str, str, str, str]]:
    from playwright.sync_api import sync_playwright
    from tutorial.app.chrome import translate
    lost = translate.EXACT["Connection error"]
    server = Server()
    port = urllib.parse.urlsplit(server.url).port
    chapter = by_number(10)
    t0 = time.time()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{server.url}/{chapter.url_path}")
            page.get_by_role("heading", level=1, name=chapter.page_title).wait_for()
            time.sleep(3)
            mb = server.mb()
            server.stop()
            stopped = time.monotonic()
            dialog = page.get_by_role("dialog")
            dialog.get_by_text(lost).wait_for(timeout=30_000)
            seconds = time.monotonic() - stopped
            text = _short(dialog.inner_text(), 160)
            server2 = Server(port=port)
            try:
                restarted = time.monotonic()
                dialog.wait_for(state="detached", timeout=90_000)
                page.get_by_role("heading", level=1, name=chapter.page_title).wait_for()
                back = time.monotonic() - restarted
            finally:
                server2.stop()
        finally:
            browser.close()
    return [("6 server stop and restart (chromium, ch. 10)",
             f"German dialog **{seconds:.1f} s** after the stop (target ≤ 10): »{text}«; page back "
             f"{back:.1f} s after the restart", mb, f"{time.time() - t0:.0f} s")]


SCENARIOS = {"settings": settings, "canvas": canvas, "radio": radio, "flood": flood_scenario,
             "passwords": passwords, "restart": restart}


def _table(rows, loads) -> str:
    lines = [f"Machine: {machine()}. Load average (1 min) before each scenario: "
             + ", ".join(f"{k} {v:.1f}" for k, v in loads.items()) + " (a shared box: other helpers' tests ran too).",
             "Each scenario on a fresh `streamlit run streamlit_app.py` (warm start off, except the flood), host "
             "password set via `TUTORIAL_HOST_PASSWORD`; sessions driven over the websocket (benchmarks/wsclient.py), "
             "the restart in chromium. Memory: server RSS at start → peak / largest training child peak (MB, "
             "sampled every 0,25 s).", "",
             "| Scenario | What the learner sees | Server MB start → peak / child peak MB | Time |",
             "|---|---|---|---|"]
    lines += [f"| {a} | {b.replace('|', '/')} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(SCENARIOS))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows, loads = [], {}
    for name in args.only or list(SCENARIOS):
        loads[name] = os.getloadavg()[0]
        t0 = time.time()
        try:
            rows += SCENARIOS[name]()
        except Exception as exc:  # noqa: BLE001 - a broken scenario is a row of the table, not the end
            rows.append((name, f"**did not work**: {type(exc).__name__}: {_short(str(exc))}", "–",
                         f"{time.time() - t0:.0f} s"))
        print(rows[-1], flush=True)
        body = _table(rows, loads)
        if not args.no_write:
            write_section("Abuse scenarios (issue 20)", body)
    print(_table(rows, loads))


if __name__ == "__main__":
    main()
