"""Shared state behind one interface (``Database``), on SQLite or PostgreSQL by ``DATABASE_URL``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.database.core import (
    LONE_ARTICLE,
    CopiedRows,
    Database,
    DatabaseError,
    DatabaseUnavailable,
    FactStats,
    LearnedPhrasings,
    LearnedPhrasingsChanged,
    SchemaTooNew,
    Source,
    Stats,
    UnansweredGroup,
)
from bot.database.core import Engine as _Engine

if TYPE_CHECKING:
    from bot.settings import Settings

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")
URL_PREFIXES = (SQLITE_PREFIX, *POSTGRES_PREFIXES)

__all__ = [
    "LONE_ARTICLE", "SQLITE_PREFIX", "URL_PREFIXES", "CopiedRows", "Database", "DatabaseError", "DatabaseUnavailable", "FactStats", "LearnedPhrasings", "LearnedPhrasingsChanged",
    "SchemaTooNew", "Source", "Stats", "UnansweredGroup", "open_database", "open_database_for",
    "sqlite_url",
]


def sqlite_url(path: Path) -> str:
    """``sqlite:///`` then the path: ``sqlite:///data/x.sqlite3`` is relative, ``sqlite:////srv/x.sqlite3`` absolute."""
    return SQLITE_PREFIX + str(path)


def _engine_for(url: str) -> _Engine:
    """The engine a URL names. Drivers are imported only when their engine is used."""
    if url.startswith(SQLITE_PREFIX):
        from bot.database.sqlite import SQLiteEngine

        return SQLiteEngine(Path(url.removeprefix(SQLITE_PREFIX)))
    if url.startswith(POSTGRES_PREFIXES):
        from bot.database.postgres import PostgresEngine

        return PostgresEngine(url)
    raise DatabaseError("DATABASE_URL must start with sqlite:/// or postgresql://")


def open_database(url: str, *, retention_days: int, hash_user_ids: bool = False) -> Database:
    """Connect, migrate the schema if needed, and return the store. Raises ``DatabaseError``."""
    return Database(_engine_for(url), retention_days=retention_days, hash_user_ids=hash_user_ids)


def open_database_for(settings: Settings) -> Database:
    """The store the settings name: ``DATABASE_URL``, or SQLite at ``DATABASE_PATH``."""
    return open_database(settings.database_url.get_secret_value(), retention_days=settings.retention_days,
                         hash_user_ids=settings.hash_user_ids)
