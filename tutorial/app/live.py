"""A live run on its way: queue position, progress, live curves, "Abbrechen", "Erneut versuchen".

The job rules are the trainer's (:class:`tutorial.trainer.Trainer`): a failed or cancelled job stays
so until the learner clicks "Erneut versuchen" (``trainer.retry``); "Abbrechen" detaches this
learner (``trainer.cancel``). The queue's rules (README "Warteschlange") get from here the learner's
:func:`standing` with every request and a note on every page render (:func:`here`, ``trainer.seen``);
a session may ask for at most :data:`SESSION_RATE` new runs per :data:`SESSION_WINDOW` seconds. The
page remembers its run as a *selection* in the session (``{"kind": "live", "spec": …}``); :func:`finished_job` draws every state but "done".
"""
from __future__ import annotations

import threading
import time
from typing import Optional

import streamlit as st

from tutorial import estimate
from tutorial import spec as S
from tutorial.app import loader
from tutorial.app import progress as learner_progress   # live.progress() draws a run's progress
from tutorial.app import state
from tutorial.app.views import show_curves
from tutorial.deutsch import count, de, duration
from tutorial.job import Job
from tutorial.price import Price, TrainingRefused
from tutorial.queue_policy import QueueLimit, Rate

LIVE_EVERY = 1.5          # seconds between two redraws of a running training
FINISH_WAIT = 3.0         # after the last step a redraw waits up to this long for the result itself
FINISHING = ("Training fertig – das Modell wird übergeben und die Testziffern werden ausgewertet …")
SESSION_RATE, SESSION_WINDOW = 10, 600    # new runs one browser session may ask for


def standing() -> int:
    """The learner's history in the app, as the queue counts it: chapters visited, questions
    answered and exercises trained (see :mod:`tutorial.queue_policy`)."""
    current = learner_progress.data()
    return sum(len(current.get(name) or ()) for name in ("visited", "answers", "ran"))


def here() -> None:
    """The learner is here (every page render, and the live view while it waits): their waiting
    runs keep their place in the queue."""
    loader.trainer().seen(state.learner_id())


@st.cache_resource(show_spinner=False)
def _session_rates() -> tuple[threading.Lock, dict]:
    return threading.Lock(), {}


def _session_refusal() -> Optional[str]:
    """The German message when this browser session asked for too many runs lately (a script that
    takes a fresh identity within one session, e.g. with "neu beginnen", is still one session)."""
    session = state.session_id()
    lock, rates = _session_rates()
    now = time.time()
    with lock:
        for sid in [s for s, r in rates.items() if r.idle(now)]:
            del rates[sid]
        rate = rates.setdefault(session, Rate(SESSION_RATE, SESSION_WINDOW))
        refusal = rate.refusal(now)
        if refusal is None:
            rate.note(now)
        return refusal


def start(key: str, spec: S.RunSpec) -> None:
    """"Trainieren" (an ``on_click`` callback): ask the trainer for the run and show it on the page."""
    _ask(key, spec, loader.trainer().submit)


def retry(key: str, spec: S.RunSpec) -> None:
    """"Erneut versuchen": re-queue a failed or cancelled run (or join it again while it still runs)."""
    _ask(key, spec, loader.trainer().retry)


def _ask(key: str, spec: S.RunSpec, method) -> None:
    job = loader.trainer().get(spec)
    fresh = job is None or job.state in ("failed", "cancelled")     # joining a waiting run is free
    refusal = _session_refusal() if fresh else None
    if refusal:
        state.set_notice(key, refusal)
        return
    try:
        method(spec, owner=state.learner_id(), standing=standing())
    except (QueueLimit, TrainingRefused) as exc:   # queue limit, rate, "Warteschlange voll", above the caps
        state.set_notice(key, str(exc))
        return
    state.pop_notice(key)
    reused = job is not None and job.state == "done"       # an identical run was finished: shown again
    state.set_selection(key, {"kind": "live", "spec": spec, "cancelled": False,
                              **({"reused": job.finished or 0.0} if reused else {})})


def cancel(key: str) -> None:
    """"Abbrechen" (an ``on_click`` callback): this learner no longer waits for the page's run."""
    selection = state.selection(key)
    if not selection or selection.get("kind") != "live":
        return
    job = loader.trainer().get(selection["spec"])
    if job is not None and not loader.trainer().cancel(job, owner=state.learner_id()) and job.done:
        return   # finished in the meantime: show the result
    selection["cancelled"] = True


def show_notice(key: str) -> None:
    """The message of a refused request (queue limit), once."""
    notice = state.pop_notice(key)
    if notice:
        st.warning(notice, icon=":material/hourglass_top:")


def finished_job(key: str, selection: dict, zoom: float) -> Optional[Job]:
    """The page's live run if it is done; otherwise draw its state (waiting, training, failed,
    cancelled, forgotten by the server) and return None."""
    spec = selection["spec"]
    job = loader.trainer().get(spec)
    if selection.get("cancelled") or (job is not None and job.state == "cancelled"):
        text = "Dieser Lauf wurde abgebrochen."   # by this learner; else the trainer says why (host, left)
        st.info(text if selection.get("cancelled") or job is None else job.message or text, icon=":material/cancel:")
        st.button("Erneut versuchen", key=f"{key}_retry", on_click=retry, args=(key, spec), icon=":material/replay:")
        return None
    if job is None:
        st.info(f"Dieser Lauf ist auf dem Server nicht mehr gespeichert – er behält nur die letzten fertigen "
                f"Läufe (höchstens {loader.KEPT_RUNS}, große Modelle weniger).", icon=":material/history:")
        st.button("Noch einmal trainieren", key=f"{key}_again", on_click=start, args=(key, spec),
                  icon=":material/replay:")
        return None
    if job.state == "failed":
        st.error(job.message, icon=":material/error:")
        st.button("Erneut versuchen", key=f"{key}_retry", on_click=retry, args=(key, spec), icon=":material/replay:")
        return None
    if not job.done:
        _live_view(key, spec, zoom)
        return None
    reused = selection.get("reused")      # a stored selection is untrusted: only a plain number counts
    if isinstance(reused, (int, float)) and not isinstance(reused, bool):
        st.info(reused_text(float(reused)), icon=":material/history:")
    return job


def reused_text(finished: float) -> str:
    """Why a repeated "Trainieren" with identical settings is there at once (German)."""
    try:
        when = f" (fertig um {time.strftime('%H:%M', time.localtime(finished))} Uhr Serverzeit)" if finished > 0 else ""
    except (OverflowError, OSError, ValueError):
        when = ""
    return ("Genau diesen Lauf – dieselben Einstellungen, derselbe Zufallsstartwert – hat der Server schon "
            f"trainiert{when}. Er zeigt ihn noch einmal, statt dasselbe noch einmal zu rechnen: Das Ergebnis "
            "wäre praktisch dasselbe. Die »Trainingsdauer« unten ist die des damaligen Laufs. Für einen wirklich neuen Lauf "
            "ändern Sie eine Einstellung (zum Beispiel die Zahl der Epochen).")


@st.cache_resource(ttl=3, show_spinner=False)
def _status():
    """The trainer's status, asked at most every 3 seconds for all sessions (on Ray it is a call)."""
    return loader.trainer().status()


def wait_text(spec: S.RunSpec, cost: Price) -> str:
    """The expected wait now for a run of ``spec`` (German, next to "Trainieren"): the runs ahead and
    the machine factor the trainer measured (:func:`tutorial.estimate.start_wait`); honest on a busy server."""
    job = loader.trainer().get(spec)
    if job is not None and job.state == "done":
        return "Dieser Lauf ist schon trainiert: Das Ergebnis ist sofort da."
    if job is not None and not job.done:
        return "Dieser Lauf ist schon unterwegs – Sie warten mit."
    status = _status()
    if status.cluster is not None and not status.cluster.connected:
        return ""
    ahead = len(status.queue) + len(status.running)
    wait, run = estimate.start_wait(status), cost.seconds * status.factor
    text = f"Jetzt: {count(ahead, 'Lauf', 'Läufe')} vor Ihnen, " if ahead else "Jetzt: "
    text += (f"Start in etwa {duration(wait)}, " if wait >= 5 else "Start sofort, ") + \
        f"fertig in etwa {duration(wait + run)}"
    if status.factor >= 1.3:
        text += f" (der Server rechnet gerade etwa {de(status.factor, 1)}-mal langsamer als ein freier)"
    return text + "."


def progress(job: Job, snap: dict) -> None:
    """Queue position, or the progress bar with its phase text."""
    if snap["state"] == "queued":
        st.info(f"Sie sind an Position {loader.trainer().position(job)} der Warteschlange. Der Server trainiert "
                "nur so viele Läufe gleichzeitig, wie Kerne und Speicher tragen (bei zwei Kernen einen); Ihrer "
                "startet von selbst, sobald die Läufe vor Ihnen fertig sind. Sie können so lange weiterlesen.",
                icon=":material/hourglass_top:")
        st.progress(0.0, text="Wartet …")
        return
    step, total = snap["step"], max(1, snap["total_steps"])
    if snap["state"] == "finishing" or step >= total:
        st.progress(1.0, text=FINISHING)
        return
    if step == 0:
        st.progress(0.0, text="TensorFlow wird geladen und das Modell gebaut …")
        return
    epoch = min(snap["epoch"] + 1, snap["epochs_total"])
    text = f"Schritt {de(step)} von {de(total)} · Epoche {epoch} von {snap['epochs_total']}"
    remaining = snap.get("remaining")
    if remaining is not None and remaining >= 1:
        text += f" · noch etwa {duration(remaining)}"
    st.progress(min(1.0, step / total), text=text)


@st.fragment(run_every=LIVE_EVERY)
def _live_view(key: str, spec: S.RunSpec, zoom: float) -> None:
    """Redrawn every few seconds while the job waits or trains; a full rerun then shows the result."""
    job = loader.trainer().get(spec)
    here()
    selection = state.selection(key) or {}
    if job is None or job.done or selection.get("spec") != spec or selection.get("cancelled"):
        st.rerun(scope="app")
    snap = job.snapshot()
    progress(job, snap)
    st.button("Abbrechen", key=f"{key}_cancel", on_click=cancel, args=(key,), icon=":material/stop_circle:",
              help="Sie warten nicht länger auf diesen Lauf. Warten andere auf dieselben Einstellungen, "
                   "läuft er für sie weiter.")
    if snap["batches"] or snap["epochs"]:
        show_curves({"batches": snap["batches"], "epochs": snap["epochs"], "epochs_total": spec.epochs}, zoom,
                    share=(spec, job.submitted), fresh=LIVE_EVERY / 2)
    if snap["state"] == "finishing" or snap["step"] >= snap["total_steps"] > 0:
        if job.wait(FINISH_WAIT):     # the last step is done: show the result as soon as it is there,
            st.rerun(scope="app")     # not one tick later
