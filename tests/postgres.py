"""A throwaway PostgreSQL 15 server for tests and benchmarks, from Debian's binaries.

``initdb`` refuses to run as root, so as root the server runs as the ``postgres`` user in a temporary
directory handed to it; it listens only on a unix socket in that directory (no TCP), on a free port
number (the socket's name). :func:`temporary_postgres` yields a :class:`Server`; the server is stopped
and its directory removed at the end.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

BIN = Path("/usr/lib/postgresql/15/bin")


class Missing(RuntimeError):
    """PostgreSQL's binaries are not installed."""


@dataclass
class Server:
    folder: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}&port={self.port}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        import psycopg
        with psycopg.connect(host=str(self.folder), port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(args: list) -> list:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@contextmanager
def temporary_postgres() -> Iterator[Server]:
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        raise Missing(f"PostgreSQL 15 is not installed ({BIN}/initdb, pg_ctl)")
    folder = Path(tempfile.mkdtemp(prefix="tutorial-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    run = dict(check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    started = False
    try:
        subprocess.run(_as_postgres([str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]), **run)
        options = (f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off -c max_connections=100 "
                   "-c shared_buffers=64MB")
        subprocess.run(_as_postgres([str(BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                     str(folder / "log"), "-w", "-t", "60", "start"]), **run)
        started = True
        yield Server(folder, port)
    finally:
        if started:
            subprocess.run(_as_postgres([str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
