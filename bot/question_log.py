"""The question log: every question asked, its outcome, and 👍/👎 votes, in SQLite.

Synchronous and single-connection on purpose: the Discord bot runs every call on one worker
thread (one writer, off the event loop), the command line calls it directly. WAL mode lets the
CLI read while the bot writes. The schema is created and migrated by numbered migrations at
start-up; a database from a newer factbot is refused rather than touched.

Privacy: no user ids or names are stored by default. With HASH_USER_IDS a salted hash of the
asker's id is kept for per-user counts. Votes are keyed by a salted hash of (question, voter),
which stops double counting without making voters traceable across answers.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.answers import Reply

SECONDS_PER_DAY = 86_400
SAME_QUESTION_SIMILARITY = 85
MAX_ROWS_CLUSTERED = 5_000

MIGRATIONS: tuple[str, ...] = (
    # 1: questions and votes
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        asked_at REAL NOT NULL,
        source TEXT NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        question TEXT NOT NULL,
        outcome TEXT NOT NULL,
        fact_id TEXT,
        score REAL NOT NULL,
        user_hash TEXT
    );
    CREATE INDEX questions_by_time ON questions (asked_at);
    CREATE TABLE votes (
        question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
        voter_hash TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        voted_at REAL NOT NULL,
        PRIMARY KEY (question_id, voter_hash)
    );
    """,
)


def _storable(text: str) -> str:
    """``text`` as valid UTF-8: a lone surrogate (which Discord can deliver) becomes "?" instead of failing the write."""
    return text.encode("utf-8", "replace").decode("utf-8")


class Source(StrEnum):
    SLASH = "slash"
    MENTION = "mention"
    DM = "dm"
    CLI = "cli"


class SchemaTooNew(RuntimeError):
    """The database was written by a newer factbot; refusing beats corrupting it."""


@dataclass(frozen=True)
class UnansweredGroup:
    question: str
    count: int
    outcomes: tuple[str, ...]
    last_asked: float


@dataclass(frozen=True)
class FactStats:
    fact_id: str
    answers: int
    up: int
    down: int


@dataclass(frozen=True)
class Stats:
    days: int
    total: int
    by_outcome: dict[str, int]
    facts: list[FactStats]
    per_day: list[tuple[str, int, int]]  # (date, questions, answered)

    def rate(self, outcome: str) -> float:
        return self.by_outcome.get(outcome, 0) / self.total if self.total else 0.0


class QuestionLog:
    def __init__(self, path: Path, *, retention_days: int, hash_user_ids: bool = False) -> None:
        self.path = path
        self.retention_days = retention_days
        self.hash_user_ids = hash_user_ids
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()  # one statement sequence at a time, whichever thread calls
        self._db.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL survives any crash of the process (the tests kill writers mid-commit);
        # only a power cut can drop the last commits, and a question log can afford that for speed.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._migrate()
        self._salt = self._get_or_create_salt()
        # Reports (/unanswered, /stats) read on a connection of their own: a long read never holds up
        # the writer, and WAL lets it read while questions are being written.
        self._reader = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._reader.execute("PRAGMA busy_timeout=5000")
        self._reader_lock = threading.Lock()

    # -- schema ------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise SchemaTooNew(
                f"{self.path} has schema version {version}, but this factbot knows only up to "
                f"{len(MIGRATIONS)}. Upgrade factbot, or point DATABASE_PATH at another file."
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction() as db:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    def _get_or_create_salt(self) -> str:
        with self._transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            if row:
                return row[0]
            salt = secrets.token_hex(16)
            db.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)", (salt,))
            return salt

    def _hash(self, *parts: object) -> str:
        return hashlib.sha256(":".join([self._salt, *map(str, parts)]).encode()).hexdigest()[:32]

    def close(self) -> None:
        with self._reader_lock:
            self._reader.close()
        with self._lock:
            self._db.close()

    @staticmethod
    def new_question_id() -> int:
        """An id for a question not written yet: the reply (and its vote buttons) can go out first."""
        return secrets.randbits(62) + 1

    # -- writing -----------------------------------------------------------------------------

    def record(self, reply: Reply, source: Source, *, guild_id: int | None = None,
               channel_id: int | None = None, user_id: int | None = None, question_id: int | None = None) -> int:
        """Log one question and its outcome; returns the row id that votes refer to (``question_id``
        when given, as from ``new_question_id``)."""
        user_hash = self._hash("user", user_id) if self.hash_user_ids and user_id is not None else None
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO questions (id, asked_at, source, guild_id, channel_id, question, outcome, fact_id, score,"
                " user_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (question_id, time.time(), source.value, guild_id, channel_id, _storable(reply.question),
                 reply.outcome.value, reply.fact.id if reply.fact else None, reply.score, user_hash),
            )
            return int(cursor.lastrowid)

    def vote(self, question_id: int, voter_id: int, value: int) -> bool:
        """Record 👍 (+1) or 👎 (-1); a second vote replaces the first. False if the question is unknown."""
        if value not in (-1, 1):
            raise ValueError("a vote is +1 or -1")
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM questions WHERE id = ?", (question_id,)).fetchone() is None:
                return False
            db.execute(
                "INSERT INTO votes (question_id, voter_hash, value, voted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (question_id, voter_hash) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at",
                (question_id, self._hash("vote", question_id, voter_id), value, time.time()),
            )
            return True

    def prune(self) -> int:
        """Delete questions (and their votes) older than the retention period."""
        cutoff = time.time() - self.retention_days * SECONDS_PER_DAY
        with self._transaction() as db:
            return db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

    # -- reading -----------------------------------------------------------------------------

    def _rows(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with self._reader_lock:
            return self._reader.execute(sql, parameters).fetchall()

    def unanswered(self, days: int, same_question_key: Callable[[str], str]) -> list[UnansweredGroup]:
        """Questions that found no answer, were ambiguous or got 👎, near-duplicates merged, most asked first.

        ``same_question_key`` reduces a question to the form compared for "near-identical"; the
        fact base's canonical words (so "Jakob" and "he" match) make a better key than plain text.
        """
        rows = self._rows(
            "SELECT q.question, q.outcome, q.asked_at FROM questions q"
            " WHERE q.asked_at >= ? AND (q.outcome != 'answered'"
            "   OR EXISTS (SELECT 1 FROM votes v WHERE v.question_id = q.id AND v.value < 0))"
            " ORDER BY q.asked_at DESC LIMIT ?",
            (time.time() - days * SECONDS_PER_DAY, MAX_ROWS_CLUSTERED),
        )
        groups: list[dict] = []
        keys: list[str] = []
        for question, outcome, asked_at in rows:
            key = " ".join(same_question_key(question).split())
            if not key:
                continue
            found = process.extractOne(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_QUESTION_SIMILARITY)
            if found is None:
                keys.append(key)
                groups.append({"question": question, "count": 0, "outcomes": Counter(), "last": asked_at})
                group = groups[-1]
            else:
                group = groups[found[2]]
            group["count"] += 1
            group["outcomes"][outcome if outcome != "answered" else "voted down"] += 1
        groups.sort(key=lambda g: (-g["count"], -g["last"]))
        return [UnansweredGroup(g["question"], g["count"], tuple(o for o, _ in g["outcomes"].most_common()), g["last"])
                for g in groups]

    def stats(self, days: int) -> Stats:
        since = time.time() - days * SECONDS_PER_DAY
        by_outcome = dict(self._rows("SELECT outcome, COUNT(*) FROM questions WHERE asked_at >= ? GROUP BY outcome", (since,)))
        answers = dict(self._rows(
            "SELECT fact_id, COUNT(*) FROM questions WHERE asked_at >= ? AND outcome = 'answered' GROUP BY fact_id", (since,)))
        votes: dict[str, dict[int, int]] = defaultdict(lambda: {1: 0, -1: 0})
        for fact_id, value, count in self._rows(
            "SELECT q.fact_id, v.value, COUNT(*) FROM votes v JOIN questions q ON q.id = v.question_id"
            " WHERE q.asked_at >= ? AND q.fact_id IS NOT NULL GROUP BY q.fact_id, v.value", (since,)):
            votes[fact_id][value] = count
        facts = [FactStats(fact_id, answers.get(fact_id, 0), votes[fact_id][1], votes[fact_id][-1])
                 for fact_id in set(answers) | set(votes)]
        facts.sort(key=lambda f: (-f.answers, f.fact_id))
        today = datetime.now(UTC).date()
        per_day = {(today - timedelta(days=back)).isoformat(): [0, 0] for back in range(days - 1, -1, -1)}
        for asked_at, outcome in self._rows("SELECT asked_at, outcome FROM questions WHERE asked_at >= ?", (since,)):
            day = datetime.fromtimestamp(asked_at, UTC).date().isoformat()
            counts = per_day.setdefault(day, [0, 0])
            counts[0] += 1
            counts[1] += outcome == "answered"
        return Stats(days, sum(by_outcome.values()), by_outcome, facts,
                     [(day, total, answered) for day, (total, answered) in sorted(per_day.items())])
