"""Every setting of the app, resolved one way: secret → environment → default.

A setting has one name, used both as a key of ``.streamlit/secrets.toml`` and as an environment
variable (the host password also sits in the secrets as ``[kursleitung] passwort``). The engine never
imports Streamlit: the app layer hands its secrets in once (:func:`use_secrets`, called by
:mod:`tutorial.app.host`), everything else asks :func:`get` or the typed functions below. A value
that does not parse (``"kaputt"`` for a number) counts as not set, so the next source decides.

Settings (see README "Workshop" and "Mehr als ein Rechner"):

* ``TUTORIAL_PARALLEL_TRAININGS`` – trainings at once. Automatic: one per two cores, at most as many
  as the free memory holds (:func:`max_training_mb` each beside ``SERVER_MB`` for the server), at least 1 –
  so 1 on a 2-core box or Streamlit Community Cloud, 8 on a 16-core VM with 18 GB free. Each
  training child then uses ``cores // parallel`` TensorFlow threads (:func:`threads_per_training`).
* ``TUTORIAL_MEMORY_LIMIT_MB`` – the memory the host page compares server + trainings with.
  Automatic: the container's limit (cgroup), else the machine's total memory.
* ``TUTORIAL_WARM_START`` – "0" turns the warm start off (default on).
* ``TUTORIAL_RAY_ADDRESS`` – train on this Ray cluster (default: on this machine);
  ``TUTORIAL_RAY_CPUS`` – CPUs one training reserves there (default 2); ``TUTORIAL_RAY_TRAININGS`` –
  trainings at once there (default: the cluster's CPUs / CPUs per training). The Ray side reads no
  setting itself: the app server sends what it needs with the job table and each job.
* ``TUTORIAL_PROGRESS_DIR`` – where learners' progress is kept (default
  :data:`tutorial.paths.PROGRESS_DIR_DEFAULT`); ``TUTORIAL_DATABASE_URL`` – the progress store's
  database (default: a SQLite file, :mod:`tutorial.store.connect`); ``TUTORIAL_PROGRESS_EXPIRY_DAYS`` –
  a learner not seen for that many days is deleted (default 90); ``TUTORIAL_PROGRESS_MAX_LEARNERS`` and
  ``TUTORIAL_PROGRESS_MAX_MB`` – the cap on the whole store (default 100,000 learners, 4,000 MB).
* ``TUTORIAL_HOST_PASSWORD`` (in the secrets: ``[kursleitung] passwort``) – opens the host page.
* ``TUTORIAL_MAX_PARAMETERS``, ``TUTORIAL_MAX_TRAINING_MB``, ``TUTORIAL_MAX_TRAINING_MINUTES`` – the
  caps on one training run (its price, :mod:`tutorial.price`): parameters, peak memory of the
  training child, minutes on an idle 2-core box. Defaults: 10,000,000, 2,000 MB (on a small box at most
  the memory limit minus ``SERVER_MB``) and 15 minutes.
* ``TUTORIAL_CHILD_MEMORY_MB`` – a training child above this resident memory is stopped and replaced
  (the watchdog of :class:`tutorial.worker.ProcessTrainer`). Default: the memory cap plus 25 % (the
  price's memory model is within ±7 % of the measured runs), at most what the box leaves beside the
  server. ``TUTORIAL_RESULTS_MB`` – finished live results the server keeps (weights, and the model once
  a page loaded it), oldest forgotten first; the host's pre-trained runs always stay (default 400).
* ``TUTORIAL_ROOM_HOURS`` – the workshop window: "Der Raum" on the host page counts learners seen in the
  last so many hours (default 8); ``TUTORIAL_ROOM_K`` – a number in the room's statistics is shown only
  when at least so many learners contributed to it (default 3); ``TUTORIAL_PUBLIC_URL`` – the address
  the projector view shows (with its QR code) for joining (default: the address the host's browser uses).
* ``TUTORIAL_REPOSITORY`` – the public GitHub repository of this deployment ("https://github.com/OWNER/REPO",
  optionally ".../tree/BRANCH"): the exercises then link their codelab stage's notebook to "In Colab öffnen"
  (default: not set, the app explains download → Colab upload instead).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional, Union

from tutorial import paths


@dataclass(frozen=True)
class Setting:
    name: str                      # environment variable and key in the secrets
    default: object = None         # None: not set (the typed function may compute one)
    secret: tuple = ()             # where it sits in the secrets when not at the top: (section, key)


PARALLEL_TRAININGS = "TUTORIAL_PARALLEL_TRAININGS"
MEMORY_LIMIT_MB = "TUTORIAL_MEMORY_LIMIT_MB"
WARM_START = "TUTORIAL_WARM_START"
RAY_ADDRESS = "TUTORIAL_RAY_ADDRESS"
RAY_CPUS = "TUTORIAL_RAY_CPUS"
RAY_TRAININGS = "TUTORIAL_RAY_TRAININGS"
PROGRESS_DIR = "TUTORIAL_PROGRESS_DIR"
DATABASE_URL = "TUTORIAL_DATABASE_URL"
PROGRESS_EXPIRY_DAYS = "TUTORIAL_PROGRESS_EXPIRY_DAYS"
PROGRESS_MAX_LEARNERS = "TUTORIAL_PROGRESS_MAX_LEARNERS"
PROGRESS_MAX_MB = "TUTORIAL_PROGRESS_MAX_MB"
HOST_PASSWORD = "TUTORIAL_HOST_PASSWORD"
MAX_PARAMETERS = "TUTORIAL_MAX_PARAMETERS"
MAX_TRAINING_MB = "TUTORIAL_MAX_TRAINING_MB"
MAX_TRAINING_MINUTES = "TUTORIAL_MAX_TRAINING_MINUTES"
CHILD_MEMORY_MB = "TUTORIAL_CHILD_MEMORY_MB"
RESULTS_MB = "TUTORIAL_RESULTS_MB"
ROOM_HOURS = "TUTORIAL_ROOM_HOURS"
ROOM_K = "TUTORIAL_ROOM_K"
PUBLIC_URL = "TUTORIAL_PUBLIC_URL"
REPOSITORY = "TUTORIAL_REPOSITORY"

SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting(PARALLEL_TRAININGS), Setting(MEMORY_LIMIT_MB), Setting(WARM_START, True),
    Setting(RAY_ADDRESS), Setting(RAY_CPUS, 2), Setting(RAY_TRAININGS),
    Setting(PROGRESS_DIR, str(paths.PROGRESS_DIR_DEFAULT)), Setting(DATABASE_URL),
    Setting(PROGRESS_EXPIRY_DAYS, 90.0), Setting(PROGRESS_MAX_LEARNERS, 100_000), Setting(PROGRESS_MAX_MB, 4000),
    Setting(HOST_PASSWORD, secret=("kursleitung", "passwort")),
    Setting(MAX_PARAMETERS, 10_000_000),  # 28× the largest preset; chapter 11's start (all strides 1): 5.03 M
    Setting(MAX_TRAINING_MB, 2000),       # keras_05 on all digits ~1,200 MB; chapter 11's start ~1,550 MB
    Setting(MAX_TRAINING_MINUTES, 15), Setting(CHILD_MEMORY_MB), Setting(RESULTS_MB, 400),
    Setting(ROOM_HOURS, 8.0), Setting(ROOM_K, 3), Setting(PUBLIC_URL), Setting(REPOSITORY),
)}

SERVER_MB = 1000     # the Streamlit server with TensorFlow and the pretrained models loaded
MAX_PARALLEL = 16

SecretSource = Union[Mapping, Callable[[], Mapping], None]
_secrets: SecretSource = None


def use_secrets(source: SecretSource) -> None:
    """Where the app's secrets are: a mapping, or a function returning one (asked on every lookup, so
    a test run that swaps Streamlit's secrets is seen); None: no secrets (command line, tests)."""
    global _secrets
    _secrets = source


def secret(name: str) -> Optional[object]:
    """The setting's value in the secrets: at its place (``Setting.secret``) or under its name (None: no
    secrets, not there, or the secrets unreadable)."""
    for place in (SETTINGS[name].secret, (name,)):
        try:
            source = _secrets() if callable(_secrets) else _secrets
            for key in place[:-1]:
                source = source[key]
            value = source.get(place[-1]) if place and source is not None else None
        except Exception:  # noqa: BLE001 - no secrets.toml, a section that is not a table, a broken file
            value = None
        if value is not None:
            return value
    return None


def sources(name: str) -> list:
    """The set values of ``name``, in order: the secret, then the environment (blank values left out)."""
    found = [secret(name), os.environ.get(name)]
    return [v for v in found if v is not None and str(v).strip() != ""]


def get(name: str, parse: Callable = str, explicit=None):
    """The first value of ``explicit``, the secret and the environment that ``parse`` accepts
    (returns non-None without raising), else the setting's default."""
    for value in ([explicit] if explicit is not None else []) + sources(name):
        try:
            parsed = parse(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            return parsed
    return SETTINGS[name].default


def _given(name: str, parse: Callable, explicit=None) -> bool:
    """Whether ``explicit``, the secret or the environment holds a value of ``name`` that parses."""
    for value in ([explicit] if explicit is not None else []) + sources(name):
        try:
            if parse(value.strip() if isinstance(value, str) else value) is not None:
                return True
        except (TypeError, ValueError):
            pass
    return False


def positive_int(value) -> Optional[int]:
    number = int(str(value).strip())
    return number if number > 0 else None


def positive_float(value) -> Optional[float]:
    number = float(str(value).strip())
    return number if number > 0 else None


def switch(value) -> bool:
    return str(value).strip().lower() not in ("0", "false", "no", "off")


# --- typed settings ------------------------------------------------------------------------------------

def parallel_trainings(value=None) -> int:
    """How many trainings run at once (``value``, the setting, else automatic)."""
    n = get(PARALLEL_TRAININGS, positive_int, value)
    if n:
        return min(n, MAX_PARALLEL)
    by_cores = cores() // 2
    by_memory = int((available_mb() - SERVER_MB) // max_training_mb())
    return max(1, min(by_cores, by_memory, MAX_PARALLEL))


def memory_limit_mb(value=None) -> float:
    """The memory available to the app: the setting, else the cgroup limit, else the machine's total."""
    explicit = get(MEMORY_LIMIT_MB, positive_int, value)
    if explicit:
        return float(explicit)
    for path in CGROUP_MEMORY:
        try:
            limit = positive_int(_read(path))
        except (TypeError, ValueError):
            limit = None
        if limit and limit < 2 ** 50:
            return limit / 2 ** 20
    return _meminfo("MemTotal") or 4096.0


def warm_start(value=None) -> bool:
    """Whether the server starts a training child and loads models ahead of time (default on;
    "0" turns it off, e.g. for short-lived test servers)."""
    return bool(get(WARM_START, switch, value))


def ray_address() -> Optional[str]:
    """The Ray cluster to train on, or None: train on this machine."""
    return get(RAY_ADDRESS)


def ray_cpus() -> float:
    """CPUs one training reserves on the Ray cluster."""
    return float(get(RAY_CPUS, positive_float))


def ray_trainings() -> int:
    """Trainings at once on the Ray cluster; 0: automatic (the cluster's CPUs / :func:`ray_cpus`)."""
    return int(get(RAY_TRAININGS, positive_int) or 0)


def progress_dir() -> Path:
    return Path(get(PROGRESS_DIR)).expanduser()


def database_url() -> Optional[str]:
    return get(DATABASE_URL)


def progress_expiry_days() -> float:
    """Days after which a learner not seen since is deleted from the progress store."""
    return float(get(PROGRESS_EXPIRY_DAYS, positive_float))


def progress_max_learners() -> int:
    """Most learners the progress store holds (then old ones expire or new ones are refused)."""
    return int(get(PROGRESS_MAX_LEARNERS, positive_int))


def progress_max_mb() -> int:
    """Most megabytes the progress store's learners hold together."""
    return int(get(PROGRESS_MAX_MB, positive_int))


def host_password() -> Optional[str]:
    """The password of the host page, or None: the page stays closed."""
    return get(HOST_PASSWORD)


def max_parameters(value=None) -> int:
    """Most parameters of a model a learner may train."""
    return get(MAX_PARAMETERS, positive_int, value)


def max_training_mb(value=None) -> int:
    """Most memory (MB) the training child of one run may need (its predicted peak): the setting, else
    the default, on a small box at most what it leaves beside the server (at least 500 MB)."""
    if _given(MAX_TRAINING_MB, positive_int, value):
        return get(MAX_TRAINING_MB, positive_int, value)
    return int(min(SETTINGS[MAX_TRAINING_MB].default, max(500, memory_limit_mb() - SERVER_MB)))


def child_memory_mb(value=None) -> float:
    """Resident memory (MB) above which a training child is stopped and replaced: the setting, else
    the memory cap plus 25 %, at most what the box leaves beside the server (never below the cap)."""
    explicit = get(CHILD_MEMORY_MB, positive_int, value)
    if explicit:
        return float(explicit)
    cap = max_training_mb()
    return float(min(1.25 * cap, max(cap, memory_limit_mb() - SERVER_MB)))


def max_training_minutes(value=None) -> int:
    """Most minutes one run may train on an idle 2-core box."""
    return get(MAX_TRAINING_MINUTES, positive_int, value)


def results_mb(value=None) -> float:
    """Megabytes of finished live results the server keeps (the host's pre-trained runs not counted)."""
    return float(get(RESULTS_MB, positive_float, value))


def room_hours(value=None) -> float:
    """The workshop window: the room's statistics count learners seen in the last so many hours."""
    return float(get(ROOM_HOURS, positive_float, value))


def room_k(value=None) -> int:
    """A room statistic is shown only when at least so many learners contributed (the privacy threshold)."""
    return int(get(ROOM_K, positive_int, value))


def public_url(value=None) -> Optional[str]:
    """The address learners join at (shown on the projector); None: the host's own address."""
    return get(PUBLIC_URL, explicit=value)


def repository(value=None) -> Optional[str]:
    """The deployment's public GitHub repository ("In Colab öffnen" links), or None."""
    return get(REPOSITORY, explicit=value)


# --- the machine (the automatic defaults) ---------------------------------------------------------------

def _read(path: str) -> Optional[str]:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def cores() -> int:
    """CPU cores this process may use: affinity mask, limited by a cgroup CPU quota (v2 or v1)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        n = os.cpu_count() or 1
    quota = cpu_quota()
    return max(1, min(n, quota) if quota else n)


CGROUP_CPU = ("/sys/fs/cgroup/cpu.max",                                    # v2: "max 100000" or "200000 100000"
              "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us")   # v1: "-1" or "200000"
CGROUP_MEMORY = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")   # v2, v1


def cpu_quota(files=CGROUP_CPU) -> Optional[int]:
    """Whole cores the container's CPU quota allows (at least 1), or None: no quota. cgroup v2 keeps quota
    and period in one file, v1 in cpu.cfs_quota_us and cpu.cfs_period_us beside it."""
    for path in files:
        text = _read(path)
        if not text:
            continue
        parts = text.split()
        if path.endswith("cfs_quota_us"):
            parts = parts[:1] + (_read(path.replace("cfs_quota_us", "cfs_period_us")) or "100000").split()[:1]
        try:
            limit, period = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            continue                          # "max …" (v2) or something unreadable
        if limit > 0 and period > 0:
            return max(1, limit // period)
    return None


def _meminfo(field: str) -> Optional[float]:
    text = _read("/proc/meminfo") or ""
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def available_mb() -> float:
    """Memory a new training could use: free memory, within the container's limit."""
    free = _meminfo("MemAvailable") or 4096.0
    return min(free, memory_limit_mb())


def threads_per_training(parallel: int) -> int:
    """TensorFlow threads of one training child: its share of the cores."""
    return max(1, cores() // max(1, parallel))
