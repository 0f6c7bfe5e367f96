"""The queue as a learner meets it on chapter 3 (AppTest, local trainer with an in-process fake and a
fake clock): the page sends the learner's history with "Trainieren", a learner with a history goes
ahead of fresh identities, a full queue says when to try again, and a run dropped because its
learners left says why."""
import threading

import pytest
from streamlit.testing.v1 import AppTest

from tutorial import presets
from tutorial.app import loader, progress, state
from tutorial.backend import InProcess
from tutorial.chapters import by_number
from tutorial.jobs import LocalTrainer
from tutorial.queue_policy import Limits
from tutorial.result import DROPPED_MESSAGE, TrainResult
from tests.fakes import Clock

pytestmark = pytest.mark.app

PAGE = "../" + by_number(3).file
SPEC = presets.PRESETS["keras_01_mnist"].with_(**state.TEST_LIMITS)


def blocked(spec, on_progress=None, every=10, stop_event=None):
    while not stop_event.wait(0.02):
        pass
    return TrainResult(spec, None, {"batches": [], "epochs": []}, 0.0, "stopped")


@pytest.fixture
def queue(monkeypatch):
    clock = Clock()
    trainer = LocalTrainer(backend=lambda threads: InProcess(blocked), parallel=1, clock=clock,
                           limits=Limits(new_waiting=2, known_age=60, gone_seconds=600))
    monkeypatch.setattr(loader, "trainer", lambda: trainer)
    running = trainer.submit(SPEC.with_(seed=1), owner="someone")
    for _ in range(500):
        if running.state == "running":
            break
        threading.Event().wait(0.01)
    for seed in (2, 3):
        trainer.submit(SPEC.with_(seed=seed), owner=f"script{seed}")
    yield trainer, clock
    trainer.cancel_waiting()
    trainer.remove(running)


def page(owner: str, visited=()) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[state.TEST_MODE_KEY] = True
    at.session_state[state.LEARNER_ID_KEY] = owner
    at.session_state[state.PROGRESS_KEY] = {**progress.empty(), "visited": list(visited),
                                             "guesses": {"ch03": {"choice": None, "skipped": True, "hint": False}}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def train(at: AppTest) -> AppTest:
    at.button(key="ch03_train").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.slow   # seconds of work: not in the fast loop
def test_a_fresh_identity_meets_a_full_queue_and_a_learner_with_history_goes_first(queue):
    trainer, clock = queue
    fresh = train(page("fresh"))
    warnings = [w.value for w in fresh.warning]
    assert warnings and warnings[0].startswith("Warteschlange voll: Gerade warten 2 Trainings.")
    assert "Minute" in warnings[0] and trainer.get(SPEC) is None

    anna = page("anna", visited=["ch01", "ch02"])      # her page render notes her for the queue
    clock.now += 61                                     # … a minute ago; with chapter 3 her history is 3
    train(anna)
    assert trainer._policy.known("anna")
    assert any("Position 1 der Warteschlange" in i.value for i in anna.info), [i.value for i in anna.info]
    assert trainer.position(trainer.get(SPEC)) == 1


def test_a_run_whose_learner_left_is_dropped_and_the_page_says_why(queue):
    trainer, clock = queue
    trainer.cancel_waiting()                            # room in the queue for a fresh identity
    at = train(page("ben"))
    job = trainer.get(SPEC)
    assert job.state == "queued"
    clock.now += 601                                    # ben's page has not run for ten minutes
    trainer.seen("someone")
    assert job.state == "cancelled" and job.message == DROPPED_MESSAGE
    at.run()
    assert any(i.value == DROPPED_MESSAGE for i in at.info), [i.value for i in at.info]
    assert at.button(key="ch03_retry")
