"""Where the store lives and how to connect: a SQLite file by default, PostgreSQL from a URL.

* ``TUTORIAL_DATABASE_URL`` (environment, or ``st.secrets`` passed in by the app layer): a SQLAlchemy
  URL. ``postgresql+psycopg://user:password@host/db`` for several app servers sharing a course;
  ``sqlite:////path/to/file.sqlite3`` for another SQLite file. A bare ``postgresql://`` or
  ``postgres://`` URL (what hosting services hand out) is read as psycopg 3.
* Without it: the SQLite file ``~/.cache/deep-learning-tutorial/progress.sqlite3`` (outside the
  repository), or ``progress.sqlite3`` in ``TUTORIAL_PROGRESS_DIR`` when that is set (tests).

SQLite gets, on every new connection: WAL journal (readers never wait for the writer),
``busy_timeout`` (a writer waits for the other writer instead of failing), ``synchronous=NORMAL``
(safe with WAL) and foreign keys on. Write transactions start with ``BEGIN IMMEDIATE``, so two
writers queue at the start instead of one failing when it upgrades a read lock.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

from tutorial import paths, settings

BUSY_TIMEOUT_MS = 10_000
WRITE = "tutorial_write"      # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


def database_url(value: Optional[str] = None) -> str:
    """The store's URL: an explicit value (the app passes ``st.secrets``), ``TUTORIAL_DATABASE_URL``,
    else the default SQLite file (the setting is resolved by :mod:`tutorial.settings`)."""
    raw = (value or settings.database_url() or "").strip()
    if not raw:
        return "sqlite:///" + str(default_path())
    return normalise(raw)


def default_path() -> Path:
    configured = settings.sources(settings.PROGRESS_DIR)
    folder = Path(configured[0]).expanduser() if configured else paths.PROGRESS_DIR_DEFAULT.parent
    return folder / "progress.sqlite3"


def normalise(url: str) -> str:
    """``postgres://`` and ``postgresql://`` as psycopg 3 (SQLAlchemy's default would be psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: Optional[str] = None) -> Engine:
    """An engine for ``url`` (default :func:`database_url`); SQLite's folder is created if missing."""
    url = normalise(url) if url else database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"unsupported database: {parsed.get_backend_name()}")
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                         connect_args={"connect_timeout": 10})


def _sqlite_engine(url: str, database: Optional[str]) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None     # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=NORMAL",
                       "foreign_keys=ON"):
            cursor.execute("PRAGMA " + pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
