"""The shared store: what every factbot process on every machine reads and writes.

The question log (questions, outcomes, votes), the learned phrasings and the knowledge version
counter. The Discord edge and the command line talk only to ``Database``; which engine runs
behind it (``bot.database.sqlite`` or ``bot.database.postgres``) is chosen once, by
``DATABASE_URL``, in ``bot.database.open_database``. Driver errors never leave this package: they
arrive as ``DatabaseError``.

Synchronous on purpose: the Discord bot runs every call on worker threads, the command line calls
it directly. Each role has its own connection — writes, reports, and following changes — so a
long report never holds up logging, and waiting for a change never holds up either. A connection
that breaks (a database server restarting) is dropped and reopened on the next call; while the
server stays unreachable, calls fail at once for a growing pause (``RECONNECT_BACKOFF_SECONDS``)
instead of each waiting for a connect timeout.

Privacy: no user ids or names are stored by default. With HASH_USER_IDS a salted hash of the
asker's id is kept for per-user counts. Votes are keyed by a salted hash of (question, voter),
which stops double counting without making voters traceable across answers.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from bot.database.migrations import MIGRATIONS, statements

log = logging.getLogger(__name__)

SECONDS_PER_DAY = 86_400
SAME_QUESTION_SIMILARITY = 85
MAX_ROWS_CLUSTERED = 5_000
RECONNECT_BACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
LEARNED_FILE_IMPORTED = "learned_file_imported"
# Narrows a question-log report to one article (its parameter from ``_article_parameter``).
_ARTICLE_FILTER = " AND q.article_id = ?"
_LEARNED_PHRASINGS = "SELECT fact_id, question FROM learned_phrasings WHERE article_id = ? ORDER BY taught_at, question"
# The learned phrasings of a KNOWLEDGE_DIR that is itself one article, as before there could be several.
LONE_ARTICLE = ""


class DatabaseError(Exception):
    """The store could not do what was asked; the message says why, never with a password."""


class DatabaseUnavailable(DatabaseError):
    """The database cannot be reached right now; a later call tries again."""


class _ConnectionLost(DatabaseUnavailable):
    """The connection broke under a call (a server restart); the next call opens a new one."""


class LearnedPhrasingsChanged(DatabaseError):
    """Another teacher changed the phrasings between reading and writing them: read them again."""


class SchemaTooNew(DatabaseError):
    """The database was written by a newer factbot; refusing beats corrupting it."""


class Source(StrEnum):
    SLASH = "slash"
    MENTION = "mention"
    DM = "dm"
    CLI = "cli"


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


LearnedPhrasings = dict[str, list[str]]


def _article_parameter(article_id: str | None) -> tuple[str, ...]:
    return () if article_id is None else (article_id,)


def storable(text: str) -> str:
    """``text`` as valid UTF-8: a lone surrogate (which Discord can deliver) becomes "?" instead of failing the write."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _one_line(error: BaseException) -> str:
    """A driver's message on one line (libpq's span several), for a log line or a one-line exit."""
    return " ".join(str(error).split()) or type(error).__name__


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class BatchCursor(Cursor, Protocol):
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...


class Connection(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = ...) -> Cursor: ...

    def cursor(self) -> BatchCursor: ...

    def close(self) -> None: ...


class Engine(ABC):
    """What differs between SQLite and PostgreSQL; everything else is in ``Database``."""

    #: How a transaction that will write starts (SQLite takes the write lock up front).
    begin_write = "BEGIN"
    #: Driver exceptions, turned into ``DatabaseError`` at this package's edge.
    errors: tuple[type[BaseException], ...] = ()

    @abstractmethod
    def describe(self) -> str:
        """Where the data lives, safe to log (no password)."""

    @abstractmethod
    def connect(self) -> Connection: ...

    def sql(self, text: str) -> str:
        """The statement in the driver's parameter style (written with ``?``)."""
        return text

    def is_broken(self, connection: Connection) -> bool:
        """Whether the connection is lost and must be reopened."""
        return False

    @abstractmethod
    def schema_version(self, connection: Connection) -> int:
        """The applied migrations, read inside the migration transaction (which it may lock)."""

    @abstractmethod
    def set_schema_version(self, connection: Connection, version: int) -> None: ...

    @abstractmethod
    def announce(self, connection: Connection, version: int) -> None:
        """Tell other processes the knowledge changed (delivered when the transaction commits)."""

    @abstractmethod
    def start_following(self, connection: Connection) -> None:
        """Prepare a fresh connection for ``wait_for_announcement``."""

    @abstractmethod
    def wait_for_announcement(self, connection: Connection, timeout: float, closing: threading.Event) -> None:
        """Return after at most ``timeout`` seconds, early when another process announced a change,
        and soon after ``closing`` is set."""


class _Link:
    """One connection for one role, reopened after it breaks, with a growing pause between failed
    attempts so that an unreachable server costs each caller nothing but an exception."""

    def __init__(self, engine: Engine, role: str, prepare: Callable[[Connection], None] = lambda _: None) -> None:
        self.engine = engine
        self.role = role
        self.prepare = prepare
        self.lock = threading.Lock()
        self._connection: Connection | None = None
        self._failures = 0
        self._retry_at = 0.0

    @contextmanager
    def session(self) -> Iterator[Connection]:
        with self.lock:
            connection = self._open()
            try:
                yield connection
            except self.engine.errors as error:
                if self.engine.is_broken(connection):
                    self._drop(f"lost the connection ({_one_line(error)})")
                    raise _ConnectionLost(_one_line(error)) from error
                raise DatabaseError(_one_line(error)) from error

    def _open(self) -> Connection:
        if self._connection is not None:
            return self._connection
        now = time.monotonic()
        if now < self._retry_at:
            raise DatabaseUnavailable(f"{self.engine.describe()} is unreachable; next attempt in {self._retry_at - now:.1f} s")
        try:
            connection = self.engine.connect()
            self.prepare(connection)
        except (*self.engine.errors, OSError) as error:
            pause = RECONNECT_BACKOFF_SECONDS[min(self._failures, len(RECONNECT_BACKOFF_SECONDS) - 1)]
            self._failures += 1
            self._retry_at = time.monotonic() + pause
            raise DatabaseUnavailable(f"cannot reach {self.engine.describe()}: {_one_line(error)}") from error
        if self._failures:
            log.info("%s connection to %s restored after %d failed attempt(s)", self.role, self.engine.describe(), self._failures)
        self._failures, self._connection = 0, connection
        return connection

    def _drop(self, why: str) -> None:
        log.warning("%s connection to %s: %s; reconnecting on the next call", self.role, self.engine.describe(), why)
        connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(*self.engine.errors):  # it is already gone
                connection.close()

    def close(self) -> None:
        with self.lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class _Statements:
    """A connection that takes ``?`` parameters whatever the engine."""

    def __init__(self, engine: Engine, connection: Connection) -> None:
        self.engine = engine
        self.connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor:
        return self.connection.execute(self.engine.sql(sql), tuple(parameters))

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.connection.cursor().executemany(self.engine.sql(sql), rows)


@dataclass(frozen=True)
class CopiedRows:
    questions: int
    votes: int
    learned_phrasings: int


# What ``Database.copy_to`` moves, in an order that satisfies the foreign keys.
_COPIED_TABLES = (
    ("questions", "id, asked_at, source, guild_id, channel_id, question, outcome, fact_id, score, user_hash, article_id"),
    ("votes", "question_id, voter_hash, value, voted_at"),
    ("learned_phrasings", "article_id, fact_id, question, taught_at"),
    ("channel_articles", "channel_id, article_id, set_at"),
)


class Database:
    """The one interface to shared state. Safe to call from any thread."""

    def __init__(self, engine: Engine, *, retention_days: int, hash_user_ids: bool = False) -> None:
        self.engine = engine
        self.retention_days = retention_days
        self.hash_user_ids = hash_user_ids
        self._writer = _Link(engine, "writer")
        self._reader = _Link(engine, "reader")
        self._follower = _Link(engine, "change follower", engine.start_following)
        self._closing = threading.Event()
        try:
            self._migrate()
            self._salt = self._get_or_create_salt()
        except BaseException:
            self.close()  # a refused database (too new, unreachable) keeps no connection open
            raise

    def describe(self) -> str:
        return self.engine.describe()

    # -- plumbing ----------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[_Statements]:
        with self._writer.session() as connection:
            connection.execute(self.engine.begin_write)
            try:
                yield _Statements(self.engine, connection)
            except BaseException:
                if not self.engine.is_broken(connection):
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _write(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor:
        """One statement, committed on its own: a single round trip for the commonest writes."""
        with self._writer.session() as connection:
            return _Statements(self.engine, connection).execute(sql, parameters)

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple]:
        """Rows of a query; a read that finds its connection lost is tried once more on a new one."""
        try:
            return self._read(sql, parameters)
        except _ConnectionLost:
            return self._read(sql, parameters)

    def _read(self, sql: str, parameters: Sequence[Any]) -> list[tuple]:
        with self._reader.session() as connection:
            return [tuple(row) for row in _Statements(self.engine, connection).execute(sql, parameters).fetchall()]

    def _migrate(self) -> None:
        with self._transaction() as db:
            version = self.engine.schema_version(db.connection)
            if version > len(MIGRATIONS):
                raise SchemaTooNew(
                    f"{self.describe()} has schema version {version}, but this factbot knows only up to "
                    f"{len(MIGRATIONS)}. Upgrade factbot, or point DATABASE_URL (or DATABASE_PATH) elsewhere."
                )
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in statements(migration):
                    db.execute(statement)
                self.engine.set_schema_version(db.connection, number)
                log.info("%s: schema migrated to version %d", self.describe(), number)

    def _get_or_create_salt(self) -> str:
        existing = self._rows("SELECT value FROM meta WHERE key = 'salt'")
        if existing:
            return str(existing[0][0])
        with self._transaction() as db:
            db.execute("INSERT INTO meta (key, value) VALUES ('salt', ?) ON CONFLICT (key) DO NOTHING", (secrets.token_hex(16),))
            return str(db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()[0])

    def _hash(self, *parts: object) -> str:
        return hashlib.sha256(":".join([self._salt, *map(str, parts)]).encode()).hexdigest()[:32]

    def close(self) -> None:
        self._closing.set()  # a wait for changes in progress returns instead of holding up the close
        for link in (self._follower, self._reader, self._writer):
            link.close()

    # -- the question log --------------------------------------------------------------------

    @staticmethod
    def new_question_id() -> int:
        """An id for a question not written yet: the reply (and its vote buttons) can go out first."""
        return secrets.randbits(62) + 1

    def record(self, question: str, outcome: str, fact_id: str | None, score: float, source: Source, *,
               guild_id: int | None = None, channel_id: int | None = None, user_id: int | None = None,
               question_id: int | None = None, article_id: str | None = None) -> int:
        """Log one question and its outcome (and the article that answered, when there are
        several); returns the id that votes refer to (``question_id`` when given, as from
        ``new_question_id``)."""
        question_id = question_id if question_id is not None else self.new_question_id()
        user_hash = self._hash("user", user_id) if self.hash_user_ids and user_id is not None else None
        self._write(
            "INSERT INTO questions (id, asked_at, source, guild_id, channel_id, question, outcome, fact_id, score,"
            " user_hash, article_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (question_id, time.time(), source.value, guild_id, channel_id, storable(question), outcome, fact_id,
             float(score), user_hash, article_id),
        )
        return question_id

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
        return self._write("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

    def unanswered(self, days: int, same_question_key: Callable[[str], str],
                   article_id: str | None = None) -> list[UnansweredGroup]:
        """Questions that found no answer, were ambiguous or got 👎, near-duplicates merged, most asked first.

        ``same_question_key`` reduces a question to the form compared for "near-identical"; the
        fact base's canonical words (so "Jakob" and "he" match) make a better key than plain text.
        With ``article_id``, only the questions that article answered (or failed to).
        """
        rows = self._rows(
            "SELECT q.question, q.outcome, q.asked_at FROM questions q"
            " WHERE q.asked_at >= ? AND (q.outcome != 'answered'"
            "   OR EXISTS (SELECT 1 FROM votes v WHERE v.question_id = q.id AND v.value < 0))"
            f"{_ARTICLE_FILTER if article_id is not None else ''}"
            " ORDER BY q.asked_at DESC LIMIT ?",
            (time.time() - days * SECONDS_PER_DAY, *_article_parameter(article_id), MAX_ROWS_CLUSTERED),
        )
        from rapidfuzz import fuzz, process  # here, not at the top: `factbot ask` starts without it

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

    def stats(self, days: int, article_id: str | None = None) -> Stats:
        """Counts over the last ``days``; with ``article_id``, of the questions that article answered (or failed to)."""
        since = time.time() - days * SECONDS_PER_DAY
        where = f"q.asked_at >= ?{_ARTICLE_FILTER if article_id is not None else ''}"
        parameters = (since, *_article_parameter(article_id))
        by_outcome = {outcome: int(count) for outcome, count in self._rows(
            f"SELECT q.outcome, COUNT(*) FROM questions q WHERE {where} GROUP BY q.outcome", parameters)}
        answers = {fact_id: int(count) for fact_id, count in self._rows(
            f"SELECT q.fact_id, COUNT(*) FROM questions q WHERE {where} AND q.outcome = 'answered' GROUP BY q.fact_id",
            parameters)}
        votes: dict[str, dict[int, int]] = defaultdict(lambda: {1: 0, -1: 0})
        for fact_id, value, count in self._rows(
            "SELECT q.fact_id, v.value, COUNT(*) FROM votes v JOIN questions q ON q.id = v.question_id"
            f" WHERE {where} AND q.fact_id IS NOT NULL GROUP BY q.fact_id, v.value", parameters):
            votes[fact_id][value] = int(count)
        facts = [FactStats(fact_id, answers.get(fact_id, 0), votes[fact_id][1], votes[fact_id][-1])
                 for fact_id in set(answers) | set(votes)]
        facts.sort(key=lambda f: (-f.answers, f.fact_id))
        today = datetime.now(UTC).date()
        per_day = {(today - timedelta(days=back)).isoformat(): [0, 0] for back in range(days - 1, -1, -1)}
        for asked_at, outcome in self._rows(f"SELECT q.asked_at, q.outcome FROM questions q WHERE {where}", parameters):
            day = datetime.fromtimestamp(asked_at, UTC).date().isoformat()
            counts = per_day.setdefault(day, [0, 0])
            counts[0] += 1
            counts[1] += outcome == "answered"
        return Stats(days, sum(by_outcome.values()), by_outcome, facts,
                     [(day, total, answered) for day, (total, answered) in sorted(per_day.items())])

    # -- learned phrasings and the knowledge version -------------------------------------------

    @staticmethod
    def _by_fact(rows: Iterable[tuple[str, str]]) -> LearnedPhrasings:
        learned: LearnedPhrasings = {}
        for fact_id, question in rows:
            learned.setdefault(fact_id, []).append(question)
        return learned

    @staticmethod
    def _next_version(db: _Statements) -> int:
        """Bump the knowledge version. Done first in a transaction, it also takes the lock that
        serialises every change to shared knowledge, in both engines."""
        db.execute("UPDATE knowledge_version SET version = version + 1")
        return int(db.execute("SELECT version FROM knowledge_version").fetchone()[0])

    def learned_phrasings(self, article: str = LONE_ARTICLE) -> LearnedPhrasings:
        """One article's taught phrasings by fact id, oldest first."""
        return self._by_fact(self._rows(_LEARNED_PHRASINGS, (article,)))

    def learned_phrasings_by_article(self) -> dict[str, LearnedPhrasings]:
        """Every article's taught phrasings, in one read (a reload of every article)."""
        by_article: dict[str, list[tuple[str, str]]] = {}
        for article, fact_id, question in self._rows(
                "SELECT article_id, fact_id, question FROM learned_phrasings ORDER BY taught_at, question"):
            by_article.setdefault(article, []).append((fact_id, question))
        return {article: self._by_fact(rows) for article, rows in by_article.items()}

    def replace_learned_phrasings(self, article: str, before: LearnedPhrasings, after: LearnedPhrasings) -> None:
        """Write ``after`` in place of ``before`` as one article's learned phrasings, in one short
        transaction, announced to every process. The change is checked (the knowledge folder loaded
        with it) before this is called, outside any lock, so no question write waits on a check;
        if another teacher changed the phrasings since ``before`` was read, nothing is written and
        ``LearnedPhrasingsChanged`` says to read them again."""
        old = {(fact_id, q) for fact_id, questions in before.items() for q in questions}
        new = [(fact_id, q) for fact_id, questions in after.items() for q in questions]
        if old == set(new):
            return
        with self._transaction() as db:
            version = self._next_version(db)  # first: the lock every change to shared knowledge takes
            stored = self._by_fact(db.execute(_LEARNED_PHRASINGS, (article,)).fetchall())
            if {(fact_id, q) for fact_id, questions in stored.items() for q in questions} != old:
                raise LearnedPhrasingsChanged(f"another teacher changed the learned phrasings of {article!r} meanwhile")
            for fact_id, question in old - set(new):
                db.execute("DELETE FROM learned_phrasings WHERE article_id = ? AND fact_id = ? AND question = ?",
                           (article, fact_id, question))
            self._insert_learned(db, article, [pair for pair in new if pair not in old])
            self.engine.announce(db.connection, version)

    def _insert_learned(self, db: _Statements, article: str, pairs: Sequence[tuple[str, str]]) -> None:
        now = time.time()
        for offset, (fact_id, question) in enumerate(pairs):
            # Offsets keep the order of phrasings added together.
            db.execute("INSERT INTO learned_phrasings (article_id, fact_id, question, taught_at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (article_id, fact_id, question) DO NOTHING",
                       (article, fact_id, storable(question), now + offset * 1e-6))

    def import_learned_once(self, learned: Mapping[str, Sequence[str]], origin: str) -> bool:
        """Add phrasings from the pre-database ``learned_questions.yaml`` (a lone article's), once per
        database: False (and nothing written) if a file was imported before, by this process or any other."""
        try:
            with self._transaction() as db:
                version = self._next_version(db)
                if db.execute("SELECT 1 FROM meta WHERE key = ?", (LEARNED_FILE_IMPORTED,)).fetchone():
                    raise _NothingChanged
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (LEARNED_FILE_IMPORTED, origin))
                self._insert_learned(db, LONE_ARTICLE, [(fact_id, q) for fact_id, questions in learned.items() for q in questions])
                self.engine.announce(db.connection, version)
        except _NothingChanged:
            return False
        return True

    def knowledge_version(self) -> int:
        return int(self._rows("SELECT version FROM knowledge_version")[0][0])

    def announce_knowledge_change(self) -> int:
        """Tell every process to reload (``/reload``); returns the new version."""
        with self._transaction() as db:
            version = self._next_version(db)
            self.engine.announce(db.connection, version)
            return version

    def wait_for_knowledge_change(self, known_version: int, timeout: float) -> int:
        """The knowledge version, once it differs from ``known_version`` or ``timeout`` seconds
        have passed. Reading the counter, not just the announcement, catches up on changes made
        while this process was disconnected."""
        deadline = time.monotonic() + timeout
        with self._follower.session() as connection:
            follower = _Statements(self.engine, connection)
            while True:
                version = int(follower.execute("SELECT version FROM knowledge_version").fetchone()[0])
                remaining = deadline - time.monotonic()
                if version != known_version or remaining <= 0 or self._closing.is_set():
                    return version
                self.engine.wait_for_announcement(connection, remaining, self._closing)

    # -- channels' default articles ------------------------------------------------------------

    def channel_articles(self) -> dict[int, str]:
        """Every channel's default article, by channel id."""
        return {int(channel_id): article_id for channel_id, article_id in
                self._rows("SELECT channel_id, article_id FROM channel_articles")}

    def set_channel_article(self, channel_id: int, article_id: str | None) -> None:
        """Make ``article_id`` the channel's default (None: no default), and tell every process,
        which re-reads the defaults as it does the learned phrasings."""
        with self._transaction() as db:
            version = self._next_version(db)
            if article_id is None:
                db.execute("DELETE FROM channel_articles WHERE channel_id = ?", (channel_id,))
            else:
                db.execute("INSERT INTO channel_articles (channel_id, article_id, set_at) VALUES (?, ?, ?)"
                           " ON CONFLICT (channel_id) DO UPDATE SET article_id = excluded.article_id, set_at = excluded.set_at",
                           (channel_id, article_id, time.time()))
            self.engine.announce(db.connection, version)

    # -- moving to another database ------------------------------------------------------------

    def copy_to(self, target: Database) -> CopiedRows:
        """Copy everything shared into an empty ``target`` (``factbot migrate-db``), in one
        transaction on the target. The salt goes along, so votes already cast still count once and
        hashed user ids stay comparable; the target's knowledge version moves past both, so every
        process using the target reloads."""
        counts: dict[str, int] = {}
        with target._transaction() as db:
            version = max(target._next_version(db), self.knowledge_version() + 1)
            for table, _ in _COPIED_TABLES:
                if db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]:
                    raise DatabaseError(f"{target.describe()} already holds {table}; migrate only into an empty database")
            for table, columns in _COPIED_TABLES:
                rows = self._rows(f"SELECT {columns} FROM {table}")
                placeholders = ", ".join("?" for _ in columns.split(","))
                db.execute_many(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
                counts[table] = len(rows)
            db.execute("UPDATE meta SET value = ? WHERE key = 'salt'", (self._salt,))
            imported = self._rows("SELECT value FROM meta WHERE key = ?", (LEARNED_FILE_IMPORTED,))
            if imported:
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                           (LEARNED_FILE_IMPORTED, imported[0][0]))
            db.execute("UPDATE knowledge_version SET version = ?", (version,))
            target.engine.announce(db.connection, version)
        target._salt = self._salt
        return CopiedRows(counts["questions"], counts["votes"], counts["learned_phrasings"])




class _NothingChanged(Exception):
    """Raised inside a transaction to roll back a change that turned out to change nothing."""
