"""The shared engine: PostgreSQL, for factbot processes on more than one machine.

Driver: psycopg 3. It is the maintained successor of psycopg2 (the most used PostgreSQL driver
for Python), it is synchronous like the rest of the core — asyncpg would force an event loop
into code the command line calls directly — and it exposes LISTEN/NOTIFY with a timeout
(``Connection.notifies``), which is how a change reaches every process at once. ``psycopg[binary]``
ships libpq in the wheel, so no system library is needed.

Every connection runs in autocommit mode; ``Database`` opens the transactions it needs with
BEGIN/COMMIT, the same statements as on SQLite.
"""

from __future__ import annotations

import threading
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg

from bot.database.core import Connection, Engine

CHANNEL = "factbot_knowledge"
CONNECT_TIMEOUT_SECONDS = 3
CLOSE_CHECK_SECONDS = 0.1
# Any fixed number: one factbot migrates a database at a time.
MIGRATION_LOCK = 0x66_61_63_74_62_6F_74  # "factbot"


def redacted(url: str) -> str:
    """The URL with any password (in the user part or as ``?password=``) replaced, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is not None:
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{parts.netloc.rsplit('@', 1)[1]}")
    query = [(key, "***" if key == "password" else value) for key, value in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


class PostgresEngine(Engine):
    errors = (psycopg.Error,)

    def __init__(self, url: str) -> None:
        self.url = url

    def describe(self) -> str:
        return f"the PostgreSQL database {redacted(self.url)}"

    def connect(self) -> Connection:
        return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS,
                               application_name="factbot")

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def is_broken(self, connection: Connection) -> bool:
        assert isinstance(connection, psycopg.Connection)
        return connection.broken or connection.closed

    def schema_version(self, connection: Connection) -> int:
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = connection.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            connection.execute("INSERT INTO schema_version (version) VALUES (0)")
            return 0
        return int(row[0])

    def set_schema_version(self, connection: Connection, version: int) -> None:
        connection.execute("UPDATE schema_version SET version = %s", (version,))

    def announce(self, connection: Connection, version: int) -> None:
        connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(version)))

    def start_following(self, connection: Connection) -> None:
        connection.execute(f"LISTEN {CHANNEL}")

    def wait_for_announcement(self, connection: Connection, timeout: float, closing: threading.Event) -> None:
        assert isinstance(connection, psycopg.Connection)
        # In short slices: a notification wakes it at once, but a close only between slices.
        for _ in connection.notifies(timeout=min(timeout, CLOSE_CHECK_SECONDS), stop_after=1):
            pass
