"""Kursleitung: the workshop host's page (behind the password from ``st.secrets``)."""
import streamlit as st

from tutorial import chapters, workshop
from tutorial.app import host, loader, page
from tutorial.app.exercise import QUICK_EPOCHS, QUICK_LIMIT
from tutorial.deutsch import count, de, duration, percent

chapter = page.start(__file__)
UNLOCKED = "_kursleitung_offen"
REFRESH = 5     # seconds between two updates of the overview

SETUP = """Diese Seite ist für die Kursleitung eines Workshops. Sie ist gesperrt, solange kein Passwort
festgelegt ist. Legen Sie dazu im Ordner der App die Datei `.streamlit/secrets.toml` an (auf der Streamlit
Community Cloud: unter »Settings → Secrets«) und tragen Sie ein:"""
SETUP_TOML = """[kursleitung]
passwort = "ein-langes-geheimes-wort"

# optional:
TUTORIAL_PARALLEL_TRAININGS = 2     # Trainings gleichzeitig (sonst automatisch nach Kernen und Speicher)
TUTORIAL_MEMORY_LIMIT_MB = 2700     # Speichergrenze, mit der diese Seite vergleicht"""


def login() -> None:
    with st.form("kursleitung_login"):
        given = st.text_input("Passwort", type="password")
        if st.form_submit_button("Anmelden", icon=":material/login:"):
            if host.password_ok(given):
                st.session_state[UNLOCKED] = True
                st.rerun()
            st.error("Das Passwort stimmt nicht.", icon=":material/error:")


@st.fragment(run_every=REFRESH)
def overview() -> None:
    """Learners online, trainings and memory; redrawn every few seconds."""
    status = loader.trainer().status()
    room = host.room()
    if status.get("backend") == "ray":   # trainings on a Ray cluster (README: "Mehr als ein Rechner")
        if status.get("connected"):
            st.success(f"Ray-Cluster {status['address']} verbunden: "
                       f"{count(status.get('nodes', 0), 'Rechner', 'Rechner')}.", icon=":material/lan:")
        else:
            st.error(status.get("message") or f"Der Ray-Cluster {status['address']} ist nicht erreichbar.",
                     icon=":material/cloud_off:")
    cols = st.columns(4)
    cols[0].metric("Lernende online", de(room.online()), help="Sitzungen, die in den letzten 5 Minuten eine Seite geöffnet haben.")
    cols[1].metric("Trainings gleichzeitig", de(status["parallel"]),
                   help=f"Jedes Training nutzt {count(status['threads'], 'Rechenkern', 'Rechenkerne')}.")
    cols[2].metric("Wartende Trainings", de(len(status["queue"])))
    cols[3].metric("Gestartete Trainings", de(status["trainings_started"]))

    limit = host.memory_limit_mb()
    used = status["server_mb"] + status["children_mb"]
    st.progress(min(1.0, used / limit),
                text=f"Arbeitsspeicher: {de(used)} MB von {de(limit)} MB – Server {de(status['server_mb'])} MB, "
                     f"Trainingsprozesse {de(status['children_mb'])} MB")
    if used > 0.9 * limit:
        st.warning("Der Arbeitsspeicher wird knapp. Schalten Sie den Workshop-Modus ein oder stellen Sie "
                   "weniger Trainings gleichzeitig ein.", icon=":material/warning:")

    st.subheader("Laufende Trainings")
    if status["running"]:
        st.dataframe([{"Einstellungen": r["spec"].describe(), "Lernende": de(len([o for o in r["owners"] if o])),
                       "Phase": "Abschluss" if r["state"] == "finishing" else "Training",
                       "Fortschritt": percent(r["progress"], 0), "Noch etwa": duration(r["remaining"])}
                      for r in status["running"]], hide_index=True, width="stretch")
    else:
        st.caption("Gerade läuft kein Training.")
    st.subheader("Warteschlange")
    if status["queue"]:
        st.dataframe([{"Platz": de(q["position"]), "Einstellungen": q["spec"].describe(),
                       "Lernende": de(len([o for o in q["owners"] if o])), "Wartet seit": duration(q["waiting"])}
                      for q in status["queue"]], hide_index=True, width="stretch")
    else:
        st.caption("Niemand wartet.")
    if status["failed"]:
        failed = count(status["failed"], "fehlgeschlagener oder abgebrochener Lauf", "fehlgeschlagene oder abgebrochene Läufe")
        st.caption(f"{failed} gespeichert.")


def controls() -> None:
    room = host.room()
    trainer = loader.trainer()
    st.subheader("Steuerung")

    st.markdown("**Hinweis für alle Seiten**")
    with st.form("kursleitung_hinweis", border=False):
        text = st.text_input("Text des Hinweises", value=room.banner, placeholder="z. B. Pause bis 14 Uhr",
                             max_chars=workshop.BANNER_MAX)
        if st.form_submit_button("Hinweis zeigen", icon=":material/campaign:"):
            if text.strip():
                room.set_banner(text)
                st.rerun()
            st.warning("Bitte geben Sie zuerst einen Text ein.")
    if room.banner and st.button("Hinweis entfernen", icon=":material/close:"):
        room.set_banner("")
        st.rerun()

    quick = st.toggle(f"Workshop-Modus: jedes Live-Training im Schnellmodus ({de(QUICK_LIMIT)} Ziffern, "
                      f"höchstens {count(QUICK_EPOCHS, 'Epoche', 'Epochen')})", value=room.quick)
    if quick != room.quick:
        room.set_quick(quick)

    st.markdown("**Ein Kapitel für alle vortrainieren**")
    options = [c for c in chapters.CHAPTERS if c.solution or c.presets]
    choice = st.selectbox("Kapitel", options, format_func=lambda c: c.menu_title)
    specs = workshop.chapter_specs(choice, room, lambda s: s.quick(QUICK_LIMIT, QUICK_EPOCHS))
    st.caption("Die Lösung und die Vergleichsläufe des Kapitels, so wie »Trainieren« sie startet"
               + (" (im Workshop-Modus als Schnelllauf)" if room.quick else "") + ": "
               + "; ".join(s.describe() for s in specs) + ".")
    if st.button("Vortrainieren", icon=":material/rocket_launch:"):
        for spec in specs:
            trainer.submit(spec)          # the host's runs have no owner: no per-learner limit
        st.success(f"{count(len(specs), 'Lauf', 'Läufe')} in der Warteschlange oder schon fertig.",
                   icon=":material/check:")

    st.markdown("**Fehlgeschlagene Läufe**")
    if st.button("Fehlgeschlagene und abgebrochene Läufe löschen", icon=":material/delete:"):
        gone = trainer.clear_failed()
        st.success(f"{count(gone, 'Lauf', 'Läufe')} gelöscht – sie werden beim nächsten »Trainieren« neu trainiert.")

    if st.button("Abmelden", icon=":material/logout:"):
        st.session_state[UNLOCKED] = False
        st.rerun()


if host.password() is None:
    st.info(SETUP, icon=":material/lock:")
    st.code(SETUP_TOML, language="toml")
    st.markdown("Danach laden Sie diese Seite neu. Lernende sehen ohne das Passwort nur diese Erklärung.")
elif not st.session_state.get(UNLOCKED):
    st.markdown("Diese Seite ist für die Kursleitung. Bitte melden Sie sich mit dem Passwort an.")
    login()
else:
    overview()
    controls()

page.end(chapter)
