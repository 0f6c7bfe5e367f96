""""Der Raum": what the room has understood, for the host page (:func:`section`, :func:`controls`,
:func:`lead`) and the projector page ``kapitel/werkzeuge/raum.py`` (:func:`projector`).

Everything comes from the shared store (:mod:`tutorial.store.room`), so every app server on the same
store shows the same room; the report is cached per server for :data:`REPORT_SECONDS` (the host page
and a projector refreshing every few seconds cost one query set, not one per viewer). The words are
:mod:`tutorial.roomreport`'s, the chart :mod:`tutorial.charts.room`'s; nothing here is per person.
"""
from __future__ import annotations

import html
import time

import streamlit as st

from tutorial import chapters, join, roomreport, settings
from tutorial.app import host, page, storage
from tutorial.charts.room import positions_chart
from tutorial.deutsch import count, de, general, spreadsheet_csv
from tutorial.store import room
from tutorial.store.errors import StoreError
from tutorial.store.store import Store

REPORT_SECONDS = 5       # one report per server for so long
REFRESH = 10             # seconds between two redraws of the host page's room and the projector
PROJECTOR = "raum"       # the projector page's key in the chapter table
PROJECTOR_QUESTIONS = 4  # questions on the projector (the worst first)
HOST_QUESTIONS = 6       # … on the host page before "weitere Fragen"
LEAD_TEXT = "Die Kursleitung bittet alle zum selben Kapitel."      # the banner of "Alle zu …" without a text
BIG_TYPE = """<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.55rem; line-height: 1.45; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.2rem; }
[data-testid="stMain"] h1 { font-size: 3rem; }
[data-testid="stMain"] h2 { font-size: 2.2rem; }
</style>"""


@st.cache_data(ttl=REPORT_SECONDS, show_spinner=False, max_entries=16)
def _report(database: str, since: float, hours: float, k: int, _store: Store) -> room.Report:
    return _fetch(_store, since, hours, k)


def report() -> room.Report:
    """The room since its start, over the workshop window, with the privacy threshold (cached per
    server and database for :data:`REPORT_SECONDS`; "since" is read fresh, so a new start shows at once)."""
    store = storage.store()
    database = store.engine.url.render_as_string(hide_password=True)
    return _report(database, room.state(store).since, settings.room_hours(), settings.room_k(), store)


def _fetch(store: Store, since: float, hours: float, k: int) -> room.Report:
    return room.report(store, since=since, hours=hours, k=k, hosts=roomreport.HOST_PAGES)


def _report_or_message():
    """The report, or None after a German message when the store cannot be read."""
    try:
        return report()
    except StoreError as exc:
        st.error(exc.message_de, icon=":material/error:")
        return None


@st.cache_data(max_entries=4, show_spinner=False)
def _qr(address: str) -> bytes:
    return join.qr_png(address)


# --- the parts, shared by the host page and the projector -----------------------------------------

def _positions(data: room.Report, big: bool) -> None:
    """The chapters with at least k learners as bars; the others named in one line below."""
    positions = roomreport.positions(data)
    if not positions:
        st.caption("Noch hat niemand ein Kapitel geöffnet.")
        return
    rows = [(c.menu_title, n) for c, n in positions if n is not None]
    if rows:
        st.vega_lite_chart(positions_chart(rows, data.k, big=big), width="stretch")
    few = roomreport.few_places(data)
    if few:
        st.caption(few)


def _questions(data: room.Report, limit: int, rest: bool) -> None:
    """The ``limit`` questions the room gets wrong most; the others in an expander (``rest``) or counted."""
    lines = roomreport.question_lines(data)
    if not lines:
        st.caption("Noch hat niemand eine Verständnisfrage beantwortet.")
        return
    for line in lines[:limit]:
        _question(line)
    more = lines[limit:]
    if more and rest:
        with st.expander(f"{count(len(more), 'weitere Frage', 'weitere Fragen')}, die der Raum besser beantwortet"):
            for line in more:
                _question(line)
    elif more:
        st.caption(f"Dazu {count(len(more), 'weitere Frage, die', 'weitere Fragen, die')} der Raum besser beantwortet.")


def _question(line: roomreport.QuestionLine) -> None:
    st.markdown(f"**{line.prompt}**  \n:gray[{line.chapter}]")
    if line.share is None:
        st.caption(line.result)
    else:
        st.progress(line.share, text=line.result)
    if line.wrong:
        st.caption(line.wrong)


def _guesses(data: room.Report) -> None:
    lines = roomreport.guess_lines(data)
    if not lines:
        st.caption("Noch hat niemand eine Vermutung abgegeben.")
        return
    for line in lines:
        st.markdown(f"**{line.chapter}: {line.prompt}**  \n{line.sentence}")


def _trainings(data: room.Report) -> None:
    lines = roomreport.training_lines(data)
    if not lines:
        st.caption("Noch ist kein Live-Training fertig geworden.")
        return
    st.markdown("\n".join(f"- **{line.chapter}:** {line.runs}"
                           + (f", Median der Testgenauigkeit {line.accuracy}" if line.median is not None else "")
                           for line in lines))


# --- the host page ----------------------------------------------------------------------------------

@st.fragment(run_every=REFRESH)
def section() -> None:
    """"Der Raum" on the host page (after login): where the room is, its questions, guesses and runs."""
    data = _report_or_message()
    if data is None:
        return
    hours = settings.room_hours()
    st.caption(roomreport.window_text(data, hours) + " " + roomreport.threshold_note(data.k))
    left, right = st.columns(2)
    with left:
        st.markdown("**Wo die Lernenden gerade sind**")
        _positions(data, big=False)
        st.markdown("**Fertige Live-Trainings je Kapitel**")
        _trainings(data)
    with right:
        st.markdown("**Verständnisfragen** – die schwierigsten zuerst")
        _questions(data, limit=HOST_QUESTIONS, rest=True)
    st.markdown("**»Ihre Vermutung« – was der Raum dachte**")
    _guesses(data)


def controls() -> None:
    """Projector link, CSV download (made when clicked, so it holds the room as it is then) and
    "Statistik neu beginnen"."""
    hours, k = settings.room_hours(), settings.room_k()
    cols = st.columns(3)
    with cols[0]:
        _projector_link()
    try:
        store = storage.store()
        since = room.state(store).since
    except StoreError:            # "Der Raum" above already says so
        return

    def csv() -> bytes:           # runs on its own thread when clicked: no Streamlit calls in here
        return spreadsheet_csv(roomreport.csv_records(_fetch(store, since, hours, k), hours))

    cols[1].download_button("Statistik als CSV herunterladen", csv, file_name=roomreport.csv_name(time.time()),
                            mime="text/csv", icon=":material/download:", on_click="ignore", key="raum_csv")
    with cols[2].popover("Statistik neu beginnen", icon=":material/restart_alt:"):
        st.markdown("Ab jetzt zählt der Raum neu: Antworten, Vermutungen und Läufe von vorher fließen nicht mehr "
                    "ein. Der Fortschritt der Lernenden bleibt unverändert. Laden Sie die Statistik vorher "
                    "herunter, wenn Sie sie behalten möchten.")
        if st.button("Jetzt neu beginnen", icon=":material/restart_alt:", key="raum_neu", type="primary"):
            host.change_room(room.change, store, since=time.time())
            st.rerun()
    st.caption(f"Zeitfenster: Lernende der letzten {general(hours, 3)} Stunden (Einstellung "
               f"`{settings.ROOM_HOURS}`); Schwelle k = {de(k)} (`{settings.ROOM_K}`).")


def _projector_link() -> None:
    entry = next(c for c in chapters.CHAPTERS if c.key == PROJECTOR)
    page.link(entry, "Projektoransicht öffnen", ":material/co_present:")


def lead() -> None:
    """"Alle zu Kapitel …": the banner on every page links one chapter (with the banner's text, or
    :data:`LEAD_TEXT` when there is none)."""
    here = host.room()
    options = [c for c in chapters.CHAPTERS if c.menu]
    current = next((i for i, c in enumerate(options) if c.key == here.banner_chapter), 0)
    choice = st.selectbox("Kapitel für alle", options, index=current, format_func=lambda c: c.menu_title,
                          key="raum_kapitel")
    left, right = st.columns(2)
    if left.button(f"Alle zu {choice.label}", icon=":material/arrow_forward:", key="raum_alle"):
        host.change_room(here.set_banner, here.banner or LEAD_TEXT, choice.key)
        st.rerun()
    if here.banner_chapter and right.button("Link entfernen", icon=":material/close:", key="raum_link_weg"):
        host.change_room(here.set_banner, "" if here.banner == LEAD_TEXT else here.banner, None)
        st.rerun()
    if here.banner_chapter:
        st.caption(f"Alle Seiten zeigen gerade den Link »{roomreport.lead_label(here.banner_chapter)}«.")


# --- the projector -----------------------------------------------------------------------------------

def join_box() -> None:
    """How to join: the app's public address in large type and its QR code (never a personal link)."""
    address = join.public_address(settings.public_url(), st.context.url)
    if address is None:
        st.warning(f"Die Adresse der App ist unbekannt. Tragen Sie sie als `{settings.PUBLIC_URL}` ein.",
                   icon=":material/link_off:")
        return
    st.header("Mitmachen")
    code, text = st.columns([1, 1], vertical_alignment="center")
    code.image(_qr(address), width=280)
    text.markdown("Mit der Handykamera scannen oder im Browser öffnen:")
    st.html(f'<p style="font-size:2.4rem;font-weight:700;overflow-wrap:anywhere;margin:0">{html.escape(address)}</p>')
    if join.only_this_computer(address):
        st.warning(f"Diese Adresse gilt nur auf diesem Rechner. Tragen Sie die Adresse, unter der die Lernenden "
                   f"die App erreichen, als `{settings.PUBLIC_URL}` ein.", icon=":material/warning:")


@st.fragment(run_every=REFRESH)
def projector() -> None:
    """The projector view: the same aggregates in large type, no controls, redrawn every few seconds."""
    st.html(BIG_TYPE)
    data = _report_or_message()
    if data is None:
        return
    left, right = st.columns([2, 3], gap="large")
    with left:
        join_box()
    with right:
        st.header("Wo wir sind")
        _positions(data, big=True)
    left, right = st.columns(2, gap="large")
    with left:
        st.header("Verständnisfragen")
        _questions(data, limit=PROJECTOR_QUESTIONS, rest=False)
    with right:
        st.header("Was der Raum vermutet hat")
        _guesses(data)
        st.header("Fertige Trainings")
        _trainings(data)
    st.caption(roomreport.window_text(data, settings.room_hours()) + " " + roomreport.threshold_note(data.k))
