"""The embedded engine: one SQLite file, no server. The default, and enough for one machine.

WAL mode lets reports read while questions are written. A change made by another process on the
same machine is noticed by polling the knowledge version (SQLite has no notifications), every
``POLL_SECONDS``.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from bot.database.core import Connection, Engine

POLL_SECONDS = 0.25
BUSY_TIMEOUT_MS = 5000


class SQLiteEngine(Engine):
    begin_write = "BEGIN IMMEDIATE"  # take the write lock at once: no deadlock between two writers
    errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        self.path = path

    def describe(self) -> str:
        return f"the SQLite database {self.path}"

    def connect(self) -> Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL survives any crash of the process (the tests kill writers mid-commit);
        # only a power cut can drop the last commits, and a question log can afford that for speed.
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return connection

    def schema_version(self, connection: Connection) -> int:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, connection: Connection, version: int) -> None:
        connection.execute(f"PRAGMA user_version = {int(version)}")

    def announce(self, connection: Connection, version: int) -> None:
        """Nothing to send: SQLite has no notifications, followers read the version counter."""

    def start_following(self, connection: Connection) -> None:
        """Nothing to prepare: following is polling."""

    def wait_for_announcement(self, connection: Connection, timeout: float, closing: threading.Event) -> None:
        closing.wait(min(timeout, POLL_SECONDS))
