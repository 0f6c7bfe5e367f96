"""The workshop host's side: the locked "Kursleitung" page, its controls, the banner on every page,
workshop mode, and the warm start that does not hold up the first page (AppTest, fake trainers)."""
import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import chapters, login as password_gate, paths, settings, workshop
from tutorial import presets
from tutorial.app import exercise, host, hostpage, loader, storage
from tutorial.backend import InProcess
from tutorial.jobs import LocalTrainer
from tutorial.deutsch import duration, percent
from tutorial.result import HOST_CANCELLED_MESSAGE, TrainResult
from tutorial.store import room as room_state
from tutorial.store.store import Store
from tutorial.trainer import ChildProcess, ClusterInfo, Placement, QueueEntry, RunningEntry, TrainerStatus
from tests.fakes import Clock

pytestmark = pytest.mark.app

PAGE = "../" + chapters.chapter("kursleitung").file
PASSWORD = "geheim-123-kurs"          # at least login.MIN_LENGTH characters


class Gate:
    """A train function that waits until released; records what it trained."""

    def __init__(self):
        self.release = threading.Event()
        self.trained = []

    def __call__(self, spec, on_progress=None, every=10, stop_event=None):
        self.trained.append(spec)
        while not self.release.wait(0.01):
            if stop_event is not None and stop_event.is_set():
                break
        return TrainResult(spec, None, {"batches": [], "epochs": []}, 0.0)


@pytest.fixture
def room(monkeypatch, tmp_path):
    """A fresh progress store for the test's pages (the room's banner, mode and "online" live there)."""
    fresh = Store(f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    monkeypatch.setattr(storage, "store", lambda: fresh)
    shared = workshop.Room(fresh)
    monkeypatch.setattr(host, "room", lambda: shared)
    yield shared
    fresh.close()


@pytest.fixture
def trainer(monkeypatch):
    gate = Gate()
    shared = LocalTrainer(backend=lambda threads: InProcess(gate), parallel=1)
    shared.gate = gate
    monkeypatch.setattr(loader, "trainer", lambda: shared)
    yield shared
    gate.release.set()


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "info", "caption", "success", "error", "code", "warning")
                     for e in getattr(at, kind))


def test_without_a_password_the_page_explains_how_to_set_one(room, trainer):
    at = AppTest.from_file(PAGE, default_timeout=30).run()
    assert not at.exception
    assert "secrets.toml" in texts(at) and "[kursleitung]" in texts(at) and "passwort" in texts(at)
    assert not at.text_input and not at.button and not at.toggle     # no controls, no login


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """A fresh password gate per test (the app keeps one per process) on a hand-moved clock."""
    time_now = Clock()
    fresh = password_gate.Gate(clock=time_now)
    monkeypatch.setattr(hostpage, "gate", lambda: fresh)
    return time_now


def attempt(at: AppTest, password: str) -> AppTest:
    at.text_input[0].input(password)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_wrong_password_keeps_the_page_locked(room, trainer):
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.secrets["kursleitung"] = {"passwort": PASSWORD}
    at.run()
    assert not at.toggle and [t.label for t in at.text_input] == ["Passwort"]
    attempt(at, "falsch")
    assert password_gate.WRONG in texts(at) and not at.toggle


def test_a_configured_password_shorter_than_12_characters_opens_nothing(room, trainer):
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.secrets["kursleitung"] = {"passwort": "geheim"}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert any("zu kurz (6 Zeichen; nötig sind mindestens 12)" in e and "[kursleitung]" in e for e in errors), errors
    assert not at.text_input and not at.button and not at.toggle          # no form: nothing to guess


def test_after_a_few_failures_the_session_must_wait_and_then_gets_in(room, trainer, clock, caplog):
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.secrets["kursleitung"] = {"passwort": PASSWORD}
    at.run()
    for _ in range(4):                      # three are free, the fourth starts the back-off
        attempt(at, "falsch-geraten-1")
    assert any("Bitte warten Sie 2 Sekunden" in e.value for e in at.error), [e.value for e in at.error]
    attempt(at, PASSWORD)                   # during the back-off even the right password is not checked
    assert not at.toggle and any("Zu viele falsche Versuche" in e.value for e in at.error)
    assert len([r for r in caplog.records if "failed attempt" in r.getMessage()]) == 4
    assert all(PASSWORD not in r.getMessage() and "falsch" not in r.getMessage() for r in caplog.records)
    clock.now += 3
    attempt(at, PASSWORD)
    assert at.toggle                        # the host's controls


def test_the_unlock_expires(room, trainer, monkeypatch):
    from tutorial.app import state
    at = login()
    assert at.toggle
    unlocked_at = at.session_state[state.HOST_KEY]
    at.session_state[state.HOST_KEY] = unlocked_at - (password_gate.UNLOCK_HOURS * 3600 - 60)
    at.run()
    assert at.toggle                        # a minute before the end: still open
    at.session_state[state.HOST_KEY] = unlocked_at - (password_gate.UNLOCK_HOURS * 3600 + 1)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.toggle and [t.label for t in at.text_input] == ["Passwort"]


def login(room=None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.secrets["kursleitung"] = {"passwort": PASSWORD}
    at.run()
    at.text_input[0].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_host_sees_learners_queue_and_memory(room, trainer):
    storage.store().touch("anna-abcdefghijklmnop")      # two learners seen a moment ago
    storage.store().touch("ben-abcdefghijklmnopq")
    trainer.submit(presets.PRESETS["keras_01_mnist"], owner="anna")
    for _ in range(100):
        if trainer.gate.trained:
            break
        time.sleep(0.02)
    trainer.submit(presets.PRESETS["keras_02_mnist_dense"], owner="ben")
    at = login()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Lernende online"] == "3" and metrics["Wartende Trainings"] == "1"   # anna, ben, the host
    assert metrics["Trainings gleichzeitig"] == "1" and metrics["Gestartete Trainings"] == "1"
    running, waiting = at.dataframe[0].value, at.dataframe[1].value
    assert list(running["Einstellungen"]) == [presets.PRESETS["keras_01_mnist"].describe()]
    assert list(waiting["Platz"]) == ["1"] and list(waiting["Lernende"]) == ["1"]
    assert any("Arbeitsspeicher" in str(p.proto.text) and " MB von " in str(p.proto.text)
               for p in at.get("progress"))


def test_the_host_page_reads_the_status_of_a_ray_trainer_too(room, trainer, monkeypatch):
    spec = presets.PRESETS["keras_01_mnist"]
    status = TrainerStatus("ray", 2, 2, queue=(QueueEntry(spec, ("anna", ""), 1, 75.0),),
                           running=(RunningEntry(spec.with_(seed=3), ("", "ben", "cora"), "finishing", 50, 100, 12.0,
                                                 where=Placement(pid=7, host="10.0.0.8")),),
                           trainings_started=4, server_mb=300.0, children=(ChildProcess("bridge", 1, 100.0),),
                           cluster=ClusterInfo("10.0.0.7:6379", True, nodes=3))
    assert hostpage.running_rows(status) == [{"Einstellungen": spec.with_(seed=3).describe(), "Lernende": "2",
                                              "Phase": "Abschluss", "Fortschritt": percent(0.5, 0),
                                              "Noch etwa": duration(12.0)}]
    assert hostpage.queue_rows(status) == [{"Platz": "1", "Einstellungen": spec.describe(), "Lernende": "1",
                                            "Von": "Kursleitung", "Wartet seit": duration(75.0)}]
    assert hostpage.memory_text(status, 2700) == ("Arbeitsspeicher: 400 MB von 2.700 MB – Server 300 MB, "
                                                  "Trainingsprozesse 100 MB")
    monkeypatch.setattr(trainer, "status", lambda: status)
    at = login()
    assert any(s.value == "Ray-Cluster 10.0.0.7:6379 verbunden: 3 Rechner." for s in at.success)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Trainings gleichzeitig"] == "2" and metrics["Gestartete Trainings"] == "4"
    assert list(at.dataframe[0].value["Phase"]) == ["Abschluss"]


def test_host_controls_banner_workshop_mode_pretrain_and_clear(room, trainer):
    at = login()
    at.text_input[0].input("Pause bis 14 Uhr")
    next(b for b in at.button if b.label == "Hinweis zeigen").click().run()
    assert room.banner == "Pause bis 14 Uhr"
    assert any(i.value == "Pause bis 14 Uhr" for i in at.info)       # the host page shows it too

    at.toggle[0].set_value(True).run()
    assert room.quick
    chapter8 = chapters.by_number(8)
    next(s for s in at.selectbox if s.label == "Kapitel").select(chapter8).run()
    next(b for b in at.button if b.label == "Vortrainieren").click().run()
    expected = [presets.PRESETS[n].quick()
                for n in dict.fromkeys((chapter8.solution, *chapter8.presets))]
    assert all(trainer.get(s) is not None for s in expected)            # the quick runs learners will start
    assert "in der Warteschlange oder schon fertig" in texts(at)

    job = trainer.get(expected[-1])
    trainer.cancel(job)
    assert job.state == "cancelled"
    next(b for b in at.button if b.label.startswith("Fehlgeschlagene")).click().run()
    assert trainer.get(expected[-1]) is None and "1 Lauf gelöscht" in texts(at)

    next(b for b in at.button if b.label == "Hinweis entfernen").click().run()
    assert room.banner == ""
    assert not at.exception


def test_workshop_mode_makes_a_live_training_quick(room):
    spec = presets.PRESETS["keras_02_mnist_dense"]
    assert exercise.effective_spec(spec, 10, False) == spec
    room.set_quick(True)
    assert exercise.effective_spec(spec, 10, False) == spec.quick()


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_the_banner_is_shown_on_every_page(room, trainer):
    # every page begins with page.start, which draws the banner …
    for entry in chapters.CHAPTERS:
        source = (paths.ROOT / entry.file).read_text()
        assert "chapter = page.start(__file__)" in source, entry.file
    # … as these pages of every section show (running all 20 would load TensorFlow models)
    room.set_banner("Pause bis 14 Uhr")
    for entry in (chapters.by_number(1), chapters.by_number(6), chapters.by_number(10), chapters.by_number(16),
                  chapters.chapter("kursleitung")):
        at = AppTest.from_file("../" + entry.file, default_timeout=60).run()
        assert any(i.value == "Pause bis 14 Uhr" for i in at.info), entry.file
    assert room.online() >= 1          # every page run notes its session as online
    room.set_banner("")
    at = AppTest.from_file("../" + chapters.by_number(1).file, default_timeout=60).run()
    assert not any(i.value == "Pause bis 14 Uhr" for i in at.info)


def test_online_counts_learners_seen_recently_on_every_server(tmp_path):
    now = [1000.0]
    url = f"sqlite:///{tmp_path / 'room.sqlite3'}"
    first, second = Store(url, clock=lambda: now[0]), Store(url, clock=lambda: now[0])   # two app servers
    rooms = [workshop.Room(s, clock=lambda: now[0]) for s in (first, second)]
    first.touch("anna-abcdefghijklmnop")
    now[0] += 200
    second.touch("ben-abcdefghijklmnopq")
    assert [r.online() for r in rooms] == [2, 2]
    now[0] += 200                       # anna: 400 s ago, ben: 200 s ago (online: the last 300 s)
    assert [r.online() for r in rooms] == [1, 1]
    rooms[0].set_banner("Pause bis 14 Uhr")
    rooms[1].set_quick(True)
    now[0] += workshop.FRESH_SECONDS    # another server sees a change within FRESH_SECONDS
    assert [(r.banner, r.quick) for r in rooms] == [("Pause bis 14 Uhr", True)] * 2
    first.close()
    second.close()


def test_a_slow_read_of_the_room_holds_up_only_the_page_that_refreshes_it(monkeypatch):
    """Every page run asks for the banner: while one run refreshes the room from a slow database, the
    others get the last state at once instead of queueing behind it."""
    now, slow, reading = [0.0], threading.Event(), threading.Event()
    states = iter([room_state.RoomState(banner="Pause"), None])

    def read(store):
        state = next(states)
        if state is None:          # the second read: the database does not answer for a while
            reading.set()
            slow.wait(30)
            return room_state.RoomState(banner="neu")
        return state

    monkeypatch.setattr(workshop.shared, "state", read)
    shared = workshop.Room(lambda: None, clock=lambda: now[0])
    assert shared.banner == "Pause"
    now[0] += workshop.FRESH_SECONDS
    refresher = threading.Thread(target=lambda: shared.state(), daemon=True)
    refresher.start()
    assert reading.wait(10)
    other = threading.Thread(target=lambda: shared.banner, daemon=True)     # another learner's page run
    other.start()
    other.join(10)
    assert not other.is_alive() and refresher.is_alive()       # it did not wait for the slow read
    slow.set()
    refresher.join(10)
    assert shared.banner == "neu"


def test_warm_start_runs_in_the_background_and_does_not_hold_up_the_first_page(monkeypatch):
    started, loaded, release = threading.Event(), threading.Event(), threading.Event()

    class FakeChild(InProcess):
        def start(self, keep=True):
            started.set()

    def slow_load():
        release.wait(10)        # e.g. TensorFlow and the pretrained models in the server
        loaded.set()

    local = loader.make_trainer
    monkeypatch.setattr(loader, "make_trainer", lambda address, **options: local(
        None, **options, backend=lambda threads: FakeChild(Gate()), parallel=1))
    monkeypatch.setattr(loader, "warm_load", lambda: [slow_load])
    monkeypatch.setattr(settings, "warm_start", lambda value=None: True)
    loader.trainer.clear()
    try:
        at = AppTest.from_file("../streamlit_app.py", default_timeout=30).run()
        assert not at.exception
        assert not loaded.is_set()                                      # the page finished first
        assert started.wait(5)                                          # the training child is starting
        release.set()
        assert loaded.wait(5)
        assert loader.trainer()._warm is not None
    finally:
        release.set()
        loader.trainer.clear()


def test_the_host_cancels_one_run_for_everybody_and_all_waiting_runs(room, trainer):
    base = presets.PRESETS["keras_01_mnist"]
    running = trainer.submit(base, owner="anna")
    for _ in range(100):
        if trainer.gate.trained:
            break
        time.sleep(0.02)
    waiting = [trainer.submit(base.with_(seed=200 + i), owner=f"learner{i}") for i in range(3)]
    trainer.submit(waiting[0].spec, owner="ben")                  # two learners wait for the first
    pre = trainer.submit(presets.PRESETS["keras_02_mnist_dense"])  # the host's pre-training
    at = login()
    queue = at.dataframe[1].value
    assert list(queue["Von"]) == ["Kursleitung", "neu", "neu", "neu"]
    choose = at.selectbox(key="kursleitung_lauf")
    assert choose.options[0].startswith("läuft: ") and len(choose.options) == 5
    choose.set_value(waiting[0].spec.key)
    at.button(key="kursleitung_abbrechen").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert waiting[0].state == "cancelled" and waiting[0].message == HOST_CANCELLED_MESSAGE
    assert any("Abgebrochen: " in s.value for s in at.success)
    next(b for b in at.button if b.label == "Alle wartenden Läufe abbrechen").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert all(j.state == "cancelled" for j in waiting) and pre.state == "queued"
    assert any("2 wartende Läufe abgebrochen" in s.value for s in at.success)
    at.selectbox(key="kursleitung_lauf").set_value(running.spec.key)
    at.button(key="kursleitung_abbrechen").click().run()
    assert running.wait(5) and running.state == "cancelled"
