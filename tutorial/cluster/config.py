"""Constants of the Ray backend: names, time limits and the German messages (the settings – address,
CPUs, trainings – are in :mod:`tutorial.settings`).

Shared by the app server's side (:mod:`tutorial.cluster.client`) and the Ray side (bridge, job
table, training task). Imports neither Ray nor TensorFlow nor Streamlit.
"""
from __future__ import annotations

import os
from typing import Optional

from tutorial.paths import ROOT

NAMESPACE = "tutorial"
TABLE_NAME = "tutorial-jobs"
CONNECT_TIMEOUT = 20.0
RETRY_SECONDS = 10.0

# The Ray side (bridge, job table, training task)
REPORT_SECONDS = 0.5     # a task reports progress (and learns of a cancel) this often
CALL_TIMEOUT = 15.0      # seconds for one call to the table before the cluster counts as unreachable
FETCH_TIMEOUT = 120.0    # seconds to bring a finished model to the app server
CANCEL_GRACE = 5.0       # a cancelled task that has not stopped by then is killed (ray.cancel force)
MAX_CALLS = 20           # a Ray worker process is replaced after this many trainings (TensorFlow's leak)
SERVER_GONE_SECONDS = 60.0   # a job no app server polled for this long is cancelled (its servers are gone)

UNREACHABLE = ("Der Rechencluster für die Trainings ist gerade nicht erreichbar. Fertig trainierte "
               "Ergebnisse und alle Seiten ohne Training funktionieren weiter; bitte versuchen Sie es in "
               "ein paar Minuten noch einmal.")
CONNECTION_LOST = ("Die Verbindung zum Rechencluster ist abgerissen, der Stand dieses Trainings ist "
                   "unbekannt. Bitte versuchen Sie es in ein paar Minuten noch einmal – ist es inzwischen "
                   "fertig, sehen Sie das Ergebnis sofort.")
TABLE_LOST = ("Die gemeinsame Trainingsliste des Rechenclusters wurde neu gestartet; dabei ging dieses "
              "Training verloren. Bitte starten Sie es noch einmal.")
WORKER_DIED = ("Der Trainingsprozess im Rechencluster wurde unerwartet beendet (zum Beispiel, weil dort "
               "der Arbeitsspeicher knapp wurde oder ein Rechner ausfiel). Bitte versuchen Sie es noch "
               "einmal.")
SERVER_GONE = ("Dieser Lauf wurde abgebrochen, weil der App-Server, über den er gestartet wurde, nicht mehr "
               "erreichbar war. Mit »Erneut versuchen« stellen Sie ihn wieder an.")
HOST_UNREACHABLE = "Rechencluster {address} nicht erreichbar ({error}). Neuer Versuch alle {seconds} s."


class ClusterUnreachable(Exception):
    """The bridge could not reach the cluster (or died); ``str()`` is the technical reason."""


CALL_ERRORS = (ClusterUnreachable, RuntimeError)   # RuntimeError: the bridge reported an unexpected error


def child_env(extra: Optional[dict] = None) -> dict:
    """The environment of a child process that imports ``tutorial`` (bridge, local head)."""
    return dict(os.environ, **(extra or {}),
                PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
