"""Why the store refused a write: typed errors, each with a German message for the learner.

The app shows :attr:`StoreError.message_de` (never a traceback); tests and callers tell the cases
apart by class.
"""
from __future__ import annotations


class StoreError(Exception):
    """A write or read the store refused or could not do."""

    message_de = "Ihr Fortschritt konnte gerade nicht gespeichert werden."

    def __init__(self, detail: str = "", message_de: str = ""):
        super().__init__(detail or self.__class__.__name__)
        if message_de:
            self.message_de = message_de


class InvalidToken(StoreError):
    message_de = ("Ihre Kennung ist ungültig – Sie beginnen mit einem neuen, leeren Fortschritt.")


class UnknownKey(StoreError):
    message_de = ("Dieser Wert gehört zu keiner bekannten Einstellung oder Frage und wurde nicht "
                  "gespeichert.")


class InvalidValue(StoreError):
    message_de = "Dieser Wert ist ungültig und wurde nicht gespeichert."


class TooLarge(StoreError):
    message_de = "Dieser Wert ist zu groß, um gespeichert zu werden; er gilt nur für diesen Besuch."


class LearnerFull(StoreError):
    message_de = ("Ihr gespeicherter Fortschritt hat die Obergrenze erreicht. Neues wird nur für diesen "
                  "Besuch behalten. Unter »Meine Daten löschen« auf der Startseite können Sie neu beginnen.")


class StoreFull(StoreError):
    message_de = ("Der Fortschrittsspeicher dieses Servers ist voll. Ihr Fortschritt gilt nur für diesen "
                  "Besuch; bitte sagen Sie der Kursleitung Bescheid.")


class Unavailable(StoreError):
    message_de = ("Die Datenbank für den Fortschritt ist gerade nicht erreichbar. Ihr Fortschritt gilt "
                  "vorerst nur für diesen Besuch.")
