"""A progress store that is down when a session starts (tutorial/app/progress.py): the learner is told
that progress counts only for this visit, and that is what happens – the values this session shows
(the widgets' defaults, because nothing could be read) never replace the learner's saved settings once
the store is back."""
from __future__ import annotations

import pytest

from tests.test_app_quiz import CH07, Browser, cookies, stored, token_of, toasts  # noqa: F401 - cookies: fixture
from tutorial.app import storage
from tutorial.store.errors import Unavailable

pytestmark = pytest.mark.app


@pytest.mark.slow   # seconds of work: whole pages through AppTest
def test_a_session_that_could_not_read_the_store_never_overwrites_the_saved_settings(monkeypatch):
    browser = Browser()
    at = browser.open(CH07)
    at.radio(key="ch07_activation").set_value("relu").run()
    token = token_of(at)
    assert stored(token).widgets["ch07_activation"] == "relu"

    real = storage.store

    def down():
        raise Unavailable("test")

    monkeypatch.setattr(storage, "store", down)
    again = browser.open(CH07)                          # a reload while the database is away
    assert not again.exception and Unavailable.message_de in toasts(again)
    assert again.radio(key="ch07_activation").value == "sigmoid" and token_of(again) == token
    monkeypatch.setattr(storage, "store", real)         # the database is back
    again.run()                                         # any next run of that session saves
    assert not again.exception
    assert stored(token).widgets["ch07_activation"] == "relu"        # the saved choice is not lost
    third = browser.open(CH07)                                        # the next visit gets it back
    assert third.radio(key="ch07_activation").value == "relu"
