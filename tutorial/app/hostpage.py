"""The host page "Kursleitung" (``kapitel/werkzeuge/kursleitung.py``): login, the overview of
learners, trainings and memory, and the host's controls (banner, workshop mode, pretraining a
chapter, clearing failed runs).

The overview reads the trainer's :class:`~tutorial.trainer.TrainerStatus` – the same for the local
and the Ray trainer; the table rows and texts are built by plain functions (:func:`running_rows`,
:func:`queue_rows`, :func:`memory_text`) so they can be checked without a page.
"""
from __future__ import annotations

import streamlit as st

from tutorial import chapters, login as password_gate, workshop
from tutorial import settings
from tutorial.app import host, loader, state
from tutorial.spec import QUICK_EPOCHS, QUICK_LIMIT
from tutorial.deutsch import count, de, duration, percent
from tutorial.store.limits import BANNER_MAX
from tutorial.trainer import TrainerStatus

REFRESH = 5     # seconds between two updates of the overview
MEMORY_WARNING = ("Der Arbeitsspeicher wird knapp. Schalten Sie den Workshop-Modus ein oder stellen Sie "
                  "weniger Trainings gleichzeitig ein.")


def learners(owners) -> str:
    """How many learners wait for a run (the host's own runs have no owner)."""
    return de(len([o for o in owners if o]))


def running_rows(status: TrainerStatus) -> list[dict]:
    return [{"Einstellungen": r.spec.describe(), "Lernende": learners(r.owners),
             "Phase": "Abschluss" if r.state == "finishing" else "Training",
             "Fortschritt": percent(r.progress, 0), "Noch etwa": duration(r.remaining)}
            for r in status.running]


def queue_rows(status: TrainerStatus) -> list[dict]:
    return [{"Platz": de(q.position), "Einstellungen": q.spec.describe(), "Lernende": learners(q.owners),
             "Von": "Kursleitung" if "" in q.owners else ("bekannt" if q.known else "neu"),
             "Wartet seit": duration(q.waiting)}
            for q in status.queue]


def cancel_choices(status: TrainerStatus) -> dict:
    """The runs the host can cancel: spec key → label (running first, then the queue in order)."""
    out = {r.spec.key: f"läuft: {r.spec.describe()}" for r in status.running}
    out.update({q.spec.key: f"Platz {de(q.position)}: {q.spec.describe()}" for q in status.queue})
    return out


def cancel_runs(status: TrainerStatus) -> None:
    """Cancel one run for everybody, or every waiting run but the host's own pre-training."""
    choices = cancel_choices(status)
    if not choices:
        return
    specs = {e.spec.key: e.spec for e in (*status.running, *status.queue)}
    cols = st.columns([3, 1])
    chosen = cols[0].selectbox("Lauf", list(choices), format_func=choices.get, key="kursleitung_lauf")
    cols[1].space("small")
    if cols[1].button("Abbrechen", key="kursleitung_abbrechen", icon=":material/stop_circle:",
                      help="Bricht diesen Lauf für alle ab, die auf ihn warten."):
        job = loader.trainer().get(specs[chosen]) if chosen in specs else None
        if job is not None and loader.trainer().remove(job):
            st.success(f"Abgebrochen: {specs[chosen].describe()}", icon=":material/check:")
        else:
            st.info("Dieser Lauf ist schon fertig.")
    if status.queue and st.button("Alle wartenden Läufe abbrechen", icon=":material/cancel_schedule_send:",
                                  help="Die vortrainierten Läufe der Kursleitung bleiben; die können Sie "
                                       "einzeln abbrechen."):
        gone = loader.trainer().cancel_waiting()
        st.success(f"{count(gone, 'wartender Lauf', 'wartende Läufe')} abgebrochen.", icon=":material/check:")


def memory_text(status: TrainerStatus, limit: float) -> str:
    return (f"Arbeitsspeicher: {de(status.memory_mb)} MB von {de(limit)} MB – Server {de(status.server_mb)} MB, "
            f"Trainingsprozesse {de(status.children_mb)} MB")


@st.cache_resource(show_spinner=False)
def gate() -> password_gate.Gate:
    """The rate limits of password attempts (one per server process, shared by all sessions)."""
    return password_gate.Gate()


def login() -> None:
    """The password form; a right password opens the host pages for this session for
    :data:`tutorial.login.UNLOCK_HOURS` hours. Attempts go through :func:`gate` (back-off per session,
    an overall limit, failures logged); a configured password that is too short opens nothing."""
    problem = password_gate.password_problem(host.password())
    if problem:
        st.error(problem, icon=":material/lock:")
        return
    with st.form("kursleitung_login"):
        given = st.text_input("Passwort", type="password")
        if st.form_submit_button("Anmelden", icon=":material/login:"):
            verdict = gate().attempt(state.session_id(), str(given or ""), host.password())
            if verdict.ok:
                state.set_host_unlocked(True)
                st.rerun()
            st.error(verdict.message, icon=":material/error:")


def _cluster(status: TrainerStatus) -> None:
    cluster = status.cluster
    if cluster is None:
        return
    if cluster.connected:
        st.success(f"Ray-Cluster {cluster.address} verbunden: {count(cluster.nodes, 'Rechner', 'Rechner')}.",
                   icon=":material/lan:")
    else:
        st.error(cluster.message or f"Der Ray-Cluster {cluster.address} ist nicht erreichbar.",
                 icon=":material/cloud_off:")


@st.fragment(run_every=REFRESH)
def overview() -> None:
    """Learners online, trainings and memory; redrawn every few seconds."""
    status = loader.trainer().status()
    _cluster(status)      # trainings on a Ray cluster (README: "Mehr als ein Rechner")
    cols = st.columns(4)
    cols[0].metric("Lernende online", de(host.room().online()),
                   help="Lernende (auf allen App-Servern), die in den letzten 5 Minuten eine Seite geöffnet haben.")
    cols[1].metric("Trainings gleichzeitig", de(status.parallel),
                   help=f"Jedes Training nutzt {count(status.threads, 'Rechenkern', 'Rechenkerne')}.")
    cols[2].metric("Wartende Trainings", de(len(status.queue)))
    cols[3].metric("Gestartete Trainings", de(status.trainings_started))

    limit = settings.memory_limit_mb()
    st.progress(min(1.0, status.memory_mb / limit), text=memory_text(status, limit))
    if status.memory_mb > 0.9 * limit:
        st.warning(MEMORY_WARNING, icon=":material/warning:")

    st.subheader("Laufende Trainings")
    if status.running:
        st.dataframe(running_rows(status), hide_index=True, width="stretch")
    else:
        st.caption("Gerade läuft kein Training.")
    st.subheader("Warteschlange")
    if status.queue:
        st.dataframe(queue_rows(status), hide_index=True, width="stretch")
    else:
        st.caption("Niemand wartet.")
    cancel_runs(status)     # README "Warteschlange"
    if status.failed:
        failed = count(status.failed, "fehlgeschlagener oder abgebrochener Lauf",
                       "fehlgeschlagene oder abgebrochene Läufe")
        st.caption(f"{failed} gespeichert.")


def banner() -> None:
    """The text shown on every page: set or remove it."""
    room = host.room()
    with st.form("kursleitung_hinweis", border=False):
        text = st.text_input("Text des Hinweises", value=room.banner, placeholder="z. B. Pause bis 14 Uhr",
                             max_chars=BANNER_MAX)
        if st.form_submit_button("Hinweis zeigen", icon=":material/campaign:"):
            if text.strip():
                host.change_room(room.set_banner, text, room.banner_chapter)     # keeps "Alle zu Kapitel …"
                st.rerun()
            st.warning("Bitte geben Sie zuerst einen Text ein.")
    if room.banner and st.button("Hinweis entfernen", icon=":material/close:"):
        host.change_room(room.set_banner, "")
        st.rerun()


def workshop_mode() -> None:
    """The switch that makes every live training a quick run."""
    room = host.room()
    quick = st.toggle(f"Workshop-Modus: jedes Live-Training im Schnellmodus ({de(QUICK_LIMIT)} Ziffern, "
                      f"höchstens {count(QUICK_EPOCHS, 'Epoche', 'Epochen')})", value=room.quick)
    if quick != room.quick:
        host.change_room(room.set_quick, quick)


def pretrain() -> None:
    """Choose a chapter and queue its solution and comparison runs for everybody."""
    room = host.room()
    options = [c for c in chapters.CHAPTERS if c.solution or c.presets]
    choice = st.selectbox("Kapitel", options, format_func=lambda c: c.menu_title)
    specs = workshop.chapter_specs(choice, room, lambda s: s.quick())
    st.caption("Die Lösung und die Vergleichsläufe des Kapitels, so wie »Trainieren« sie startet"
               + (" (im Workshop-Modus als Läufe im Schnellmodus)" if room.quick else "") + ": "
               + "; ".join(s.describe() for s in specs) + ".")
    if st.button("Vortrainieren", icon=":material/rocket_launch:"):
        trainer = loader.trainer()
        for spec in specs:
            trainer.submit(spec)          # the host's runs have no owner: no per-learner limit
        st.success(f"{count(len(specs), 'Lauf', 'Läufe')} in der Warteschlange oder schon fertig.",
                   icon=":material/check:")


def clear_failed() -> None:
    if st.button("Fehlgeschlagene und abgebrochene Läufe löschen", icon=":material/delete:"):
        gone = loader.trainer().clear_failed()
        st.success(f"{count(gone, 'Lauf', 'Läufe')} gelöscht – sie werden beim nächsten »Trainieren« neu "
                   "trainiert.")


def logout() -> None:
    if st.button("Abmelden", icon=":material/logout:"):
        state.set_host_unlocked(False)
        st.rerun()
