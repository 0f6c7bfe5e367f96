""""Der Raum" on the host page and the projector page under AppTest, on a seeded SQLite store per test
(the app's one store per process, ``storage.store``, and its room, ``host.room``, pointed at it – as
tests/test_jobs_host.py does): the aggregates, the privacy threshold, "Statistik neu beginnen", the CSV
download, "Alle zu Kapitel …" with its link on a learner's page, and the projector's address and QR code."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_room import EASY, GUESS, QUESTION, WRONG, seed
from tutorial import chapters, settings, workshop
from tutorial.app import host, loader, storage
from tutorial.backend import InProcess
from tutorial.jobs import LocalTrainer
from tutorial.result import TrainResult
from tutorial.app import roomview
from tutorial.store import room
from tutorial.store.errors import Unavailable
from tutorial.store.store import Store

pytestmark = pytest.mark.app

HOST = "../" + chapters.chapter("kursleitung").file
PROJECTOR = "../" + chapters.chapter("raum").file
PASSWORD = "raum-geheim-12345"


@pytest.fixture(autouse=True)
def trainer(monkeypatch):
    """A trainer that never trains (the host page shows its status)."""
    def train(spec, on_progress=None, every=10, stop_event=None):
        return TrainResult(spec, None, {"batches": [], "epochs": []}, 0.0)

    shared = LocalTrainer(backend=lambda threads: InProcess(train), parallel=1)
    monkeypatch.setattr(loader, "trainer", lambda: shared)
    return shared


@pytest.fixture
def store(tmp_path, monkeypatch):
    made = Store(f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    monkeypatch.setattr(storage, "store", lambda: made)
    shared = workshop.Room(made)
    monkeypatch.setattr(host, "room", lambda: shared)
    yield made
    made.close()


def opened(page: str, store: Store, **secrets) -> AppTest:
    """``page`` with the host logged in, on ``store``."""
    at = AppTest.from_file(page, default_timeout=60)
    at.secrets["kursleitung"] = {"passwort": PASSWORD}
    for key, value in secrets.items():
        at.secrets[key] = value
    at.run()
    field = next(t for t in at.text_input if t.label == "Passwort")
    field.input(PASSWORD)
    next(b for b in at.button if b.label == "Anmelden").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "subheader", "header")
             for e in getattr(at, kind)]
    parts += [p.proto.text for p in at.get("progress")]
    return "\n".join(parts)


def test_host_page_shows_the_room_from_the_store(store):
    seed(store)
    at = opened(HOST, store)
    shown = texts(at)
    assert "Der Raum" in shown
    # the host (this session, on "Kursleitung") and seed()'s learner on "Kursleitung" are not the room
    assert "5 Lernende in den letzten 8 Stunden; Antworten und Läufe seit Beginn der Aufzeichnung." in shown
    assert "mindestens 3 Lernende" in shown                              # the threshold, said
    assert "2 von 5 richtig beim ersten Versuch" in shown and "4 von 5 richtig beim ersten Versuch" in shown
    assert shown.index(QUESTION.prompt) < shown.index(EASY.prompt)          # the room's trouble first
    assert f"Häufigste falsche Antwort: »{QUESTION.options[WRONG[0]].text}« (3 Lernende)" in shown
    assert f"80 % dachten »{GUESS.options[2]}«" in shown and "recht hatten auf ihren eigenen Läufen 4 von 5" in shown
    assert "5 Läufe von 5 Lernenden, Median der Testgenauigkeit 92,0 %" in shown
    chart = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert chart, "the positions chart"
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["Statistik als CSV herunterladen"]


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_host_page_hides_numbers_below_k(store):
    seed(store)
    at = opened(HOST, store, **{settings.ROOM_K: 7})
    shown = texts(at)
    assert "richtig beim ersten Versuch" not in shown and "dachten" not in shown
    assert "weniger als 7 Lernende" in shown and "mindestens 7 Lernende" in shown


def test_statistics_start_anew_and_progress_stays(store):
    tokens = seed(store)
    at = opened(HOST, store)
    assert "2 von 5 richtig" in texts(at)
    next(b for b in at.button if b.label == "Jetzt neu beginnen").click().run()
    assert not at.exception
    assert room.state(store).since > 0
    shown = texts(at)
    assert "Noch hat niemand eine Verständnisfrage beantwortet." in shown and "2 von 5 richtig" not in shown
    assert store.load(tokens[0]).answers                                   # nothing deleted


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_lead_the_room_to_a_chapter(store):
    at = opened(HOST, store)
    at.selectbox(key="raum_kapitel").select(chapters.by_number(6)).run()
    next(b for b in at.button if b.label == "Alle zu Kapitel 6").click().run()
    assert not at.exception
    here = room.state(store)
    assert (here.banner, here.banner_chapter) == (roomview.LEAD_TEXT, "ch06")
    assert "Alle Seiten zeigen gerade den Link »Alle zu Kapitel 6: Mehr Schichten«." in texts(at)
    learner = AppTest.from_file("../" + chapters.by_number(3).file, default_timeout=60).run()
    assert roomview.LEAD_TEXT in [i.value for i in learner.info]
    assert "**Alle zu Kapitel 6: Mehr Schichten**" in [m.value for m in learner.markdown]  # a link under the router
    # a new text keeps the link; "Link entfernen" removes the link and the text it brought
    next(t for t in at.text_input if t.label == "Text des Hinweises").input("Pause bis 14 Uhr")
    next(b for b in at.button if b.label == "Hinweis zeigen").click().run()
    assert (room.state(store).banner, room.state(store).banner_chapter) == ("Pause bis 14 Uhr", "ch06")
    next(b for b in at.button if b.label == "Link entfernen").click().run()
    assert (room.state(store).banner, room.state(store).banner_chapter) == ("Pause bis 14 Uhr", None)
    learner.run()
    assert "**Alle zu Kapitel 6: Mehr Schichten**" not in [m.value for m in learner.markdown]


def test_projector_is_locked_without_the_password(store):
    seed(store)
    at = AppTest.from_file(PROJECTOR, default_timeout=60)
    at.secrets["kursleitung"] = {"passwort": PASSWORD}
    at.run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Passwort"]
    assert "richtig beim ersten Versuch" not in texts(at) and not at.get("image")
    closed = AppTest.from_file(PROJECTOR, default_timeout=60).run()       # no password configured at all
    assert not closed.text_input and "gesperrt" in texts(closed)


def test_projector_shows_the_room_the_address_and_its_qr_code_without_controls(store):
    seed(store)
    at = opened(PROJECTOR, store, **{settings.PUBLIC_URL: "https://kurs.example.org/dl/raum?lernende=geheim"})
    shown = texts(at)
    assert "2 von 5 richtig beim ersten Versuch" in shown and "80 % dachten" in shown
    assert "5 Läufe von 5 Lernenden" in shown
    (address,) = [h.proto.body for h in at.get("html") if "kurs.example.org" in h.proto.body]
    assert ">https://kurs.example.org/dl/<" in address and "geheim" not in address and "lernende" not in address
    assert len(at.get("image")) == 1                                        # the QR code
    assert not at.main.button and not at.main.text_input and not at.main.selectbox   # no controls
    assert "gilt nur auf diesem Rechner" not in shown


def test_projector_warns_when_the_address_is_unknown(store):
    at = opened(PROJECTOR, store)          # AppTest has no browser address and no setting is given
    assert "TUTORIAL_PUBLIC_URL" in texts(at) and not at.get("image")


def test_a_store_that_cannot_be_read_gives_a_german_message(store, monkeypatch):
    at = opened(HOST, store)

    def unavailable():
        raise Unavailable("the database is gone")

    monkeypatch.setattr(storage, "store", unavailable)
    at.run()
    assert not at.exception
    assert Unavailable("x").message_de in [e.value for e in at.error]
    assert [b.proto.label for b in at.get("download_button")] == []      # nothing to download, no traceback
