"""The shared store on both engines: SQLite and a real PostgreSQL server started by the tests."""

from __future__ import annotations

import threading
import time

import pytest

from bot.database import (
    LONE_ARTICLE,
    Database,
    DatabaseError,
    DatabaseUnavailable,
    LearnedPhrasingsChanged,
    SchemaTooNew,
    Source,
    open_database,
)
from bot.database.core import SECONDS_PER_DAY
from bot.database.postgres import redacted


@pytest.fixture
def database(database_url: str):
    store = open_database(database_url, retention_days=30)
    yield store
    store.close()


def log(store: Database, question: str, outcome: str = "not_found", fact_id: str | None = None, **where) -> int:
    return store.record(question, outcome, fact_id, 100.0 if fact_id else 10.0, Source.CLI, **where)


def test_no_user_ids_unless_asked_for(database_url: str):
    plain = open_database(database_url, retention_days=30)
    hashed = open_database(database_url, retention_days=30, hash_user_ids=True)
    plain.record("who got silver", "answered", "silver_medalist", 100, Source.SLASH, user_id=1234567890)
    hashed.record("who got silver", "answered", "silver_medalist", 100, Source.SLASH, user_id=1234567890)
    hashes = sorted(row[0] or "" for row in plain._rows("SELECT user_hash FROM questions"))
    assert hashes[0] == "" and hashes[1] and "1234567890" not in hashes[1]
    plain.close()
    hashed.close()


def test_question_ids_are_chosen_up_front_and_snowflakes_fit(database: Database):
    question_id = database.new_question_id()
    snowflake = 1_300_000_000_000_000_000
    assert log(database, "who got bronze", "answered", "bronze_medalist", guild_id=snowflake, channel_id=snowflake,
               question_id=question_id) == question_id
    assert database._rows("SELECT id, guild_id FROM questions") == [(question_id, snowflake)]


def test_votes_count_once_per_voter_and_unknown_questions_are_refused(database: Database):
    assert database.vote(12345, 1, 1) is False
    with pytest.raises(ValueError):
        database.vote(1, 1, 0)
    question = log(database, "who got bronze", "answered", "bronze_medalist")
    assert database.vote(question, 7, 1) and database.vote(question, 7, -1) and database.vote(question, 8, 1)
    (bronze,) = database.stats(1).facts
    assert (bronze.fact_id, bronze.answers, bronze.up, bronze.down) == ("bronze_medalist", 1, 1, 1)


def test_retention_prunes_old_questions_and_their_votes(database: Database):
    old = log(database, "who got silver", "answered", "silver_medalist")
    new = log(database, "who got bronze", "answered", "bronze_medalist")
    database.vote(old, 7, 1)
    database._write("UPDATE questions SET asked_at = ? WHERE id = ?", (time.time() - 31 * SECONDS_PER_DAY, old))
    assert database.prune() == 1
    assert database._rows("SELECT id FROM questions") == [(new,)]
    assert database._rows("SELECT COUNT(*) FROM votes") == [(0,)]


def test_stats_cover_every_day_of_the_window(database: Database):
    log(database, "who got silver", "answered", "silver_medalist")
    log(database, "zzz")
    stats = database.stats(7)
    assert len(stats.per_day) == 7 and stats.per_day[-1][1:] == (2, 1)
    assert stats.rate("answered") == 0.5 and stats.total == 2


def test_unanswered_groups_near_duplicates_and_voted_down_answers(database: Database):
    for question in ("how old is he", "How old is he?", "who is his coach"):
        log(database, question)
    voted_down = log(database, "who got silver", "answered", "silver_medalist")
    database.vote(voted_down, 1, -1)
    groups = database.unanswered(7, str.casefold)
    assert [(g.count, g.outcomes) for g in groups] == [(2, ("not_found",)), (1, ("voted down",)), (1, ("not_found",))]


def test_a_lone_surrogate_is_stored_not_a_crash(database: Database):
    log(database, "who got silver \ud800?")
    assert database._rows("SELECT question FROM questions") == [("who got silver ??",)]


def test_learned_phrasings_change_in_one_transaction_and_bump_the_version(database: Database):
    assert database.learned_phrasings() == {} and database.knowledge_version() == 0
    database.replace_learned_phrasings(LONE_ARTICLE, {}, {"venue": ["which building hosted it", "name of the arena"]})
    assert database.learned_phrasings() == {"venue": ["which building hosted it", "name of the arena"]}
    assert database.knowledge_version() == 1
    before = database.learned_phrasings()
    database.replace_learned_phrasings(
        LONE_ARTICLE, before, {"venue": ["which building hosted it"], "podium": ["name of the arena"]}
    )
    assert database.learned_phrasings() == {"venue": ["which building hosted it"], "podium": ["name of the arena"]}
    unchanged = database.learned_phrasings()
    database.replace_learned_phrasings(LONE_ARTICLE, unchanged, unchanged)  # nothing changed: nothing written, nobody told
    assert database.knowledge_version() == 2


def test_a_change_read_before_another_teachers_writes_nothing(database: Database):
    stale = database.learned_phrasings()
    database.replace_learned_phrasings(LONE_ARTICLE, stale, {"venue": ["which building hosted it"]})  # the quicker teacher
    with pytest.raises(LearnedPhrasingsChanged):
        database.replace_learned_phrasings(LONE_ARTICLE, stale, {"podium": ["who else"]})
    assert database.learned_phrasings() == {"venue": ["which building hosted it"]} and database.knowledge_version() == 1


def test_the_old_learned_file_is_imported_once_per_database(database_url: str):
    first = open_database(database_url, retention_days=30)
    second = open_database(database_url, retention_days=30)  # another process, maybe another machine
    assert first.import_learned_once({"venue": ["which building hosted it"]}, "a/learned_questions.yaml")
    assert not second.import_learned_once({"podium": ["who else"]}, "b/learned_questions.yaml")
    assert second.learned_phrasings() == {"venue": ["which building hosted it"]}
    first.close()
    second.close()


def test_concurrent_teachers_lose_nothing(database_url: str):
    stores = [open_database(database_url, retention_days=30) for _ in range(4)]

    def teach_many(store: Database, number: int) -> None:
        for index in range(5):
            while True:  # as teaching does: read, change, write unless another teacher was quicker
                before = store.learned_phrasings()
                after = {fact_id: [*questions] for fact_id, questions in before.items()}
                after.setdefault("venue", []).append(f"phrasing {number}-{index}")
                try:
                    store.replace_learned_phrasings(LONE_ARTICLE, before, after)
                    break
                except LearnedPhrasingsChanged:
                    continue

    threads = [threading.Thread(target=teach_many, args=(store, n)) for n, store in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(stores[0].learned_phrasings()["venue"]) == sorted(f"phrasing {n}-{i}" for n in range(4) for i in range(5))
    assert stores[0].knowledge_version() == 20
    for store in stores:
        store.close()


def test_a_change_in_one_process_wakes_the_others_within_two_seconds(database_url: str):
    teacher = open_database(database_url, retention_days=30)
    follower = open_database(database_url, retention_days=30)
    assert follower.wait_for_knowledge_change(0, timeout=0.1) == 0
    woke: list[tuple[int, float]] = []

    def follow() -> None:
        version = follower.wait_for_knowledge_change(0, timeout=10)
        woke.append((version, time.monotonic()))

    thread = threading.Thread(target=follow)
    thread.start()
    time.sleep(0.3)
    announced = time.monotonic()
    assert teacher.announce_knowledge_change() == 1
    thread.join(timeout=10)
    (version, at), = woke
    assert version == 1 and at - announced < 2.0
    teacher.close()
    follower.close()


def test_a_database_from_a_newer_factbot_is_refused(database: Database, database_url: str):
    database.engine.set_schema_version(database._writer._open(), 99)
    with pytest.raises(SchemaTooNew, match="schema version 99"):
        open_database(database_url, retention_days=30)


def test_an_unknown_url_is_refused():
    with pytest.raises(DatabaseError, match="must start with"):
        open_database("mysql://x", retention_days=1)


def test_passwords_are_redacted():
    assert redacted("postgresql://bot:s3cret@db.example:5432/factbot") == "postgresql://bot:***@db.example:5432/factbot"
    assert redacted("postgresql://bot@db:5432/factbot") == "postgresql://bot@db:5432/factbot"
    assert redacted("postgresql://db/factbot?sslmode=require&password=s3cret") == \
        "postgresql://db/factbot?sslmode=require&password=***"


def test_an_unreachable_server_fails_fast_and_says_where_without_the_password():
    from tests.postgres_server import free_port

    url = f"postgresql://bot:s3cret@127.0.0.1:{free_port()}/factbot"
    with pytest.raises(DatabaseError) as error:
        open_database(url, retention_days=1)
    assert "127.0.0.1" in str(error.value) and "s3cret" not in str(error.value)


def retry(call, timeout: float = 30.0):
    """``call()``, again until it stops raising DatabaseError (a reconnect waits out its backoff)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return call()
        except DatabaseError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_a_postgresql_restart_is_survived_with_reconnect_and_backoff(postgres):
    url = postgres.create_database()
    store, teacher = open_database(url, retention_days=30), open_database(url, retention_days=30)
    log(store, "before the restart")
    assert store.wait_for_knowledge_change(0, timeout=0.1) == 0  # the follower is connected and listening
    postgres.stop()
    try:
        with pytest.raises(DatabaseError):
            log(store, "while the server is down")  # the connection is found broken
        with pytest.raises(DatabaseUnavailable):
            log(store, "still down")  # reconnecting fails, and a pause starts
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable, match="next attempt in"):
            log(store, "within the pause")
        assert time.monotonic() - started < 0.1, "during the pause a call fails at once"
        with pytest.raises(DatabaseError):
            store.wait_for_knowledge_change(0, timeout=0.1)
    finally:
        postgres.start()
    retry(lambda: log(store, "after the restart"))
    assert [q for (q,) in store._rows("SELECT question FROM questions ORDER BY asked_at")] == [
        "before the restart", "after the restart"]
    retry(teacher.announce_knowledge_change)
    assert retry(lambda: store.wait_for_knowledge_change(0, timeout=2)) == 1, "the counter catches up after a reconnect"
    store.close()
    teacher.close()


def test_a_log_from_before_postgresql_support_is_upgraded_in_place(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:  # version 1 as the SQLite-only factbot wrote it
        old.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE questions (id INTEGER PRIMARY KEY, asked_at REAL NOT NULL, source TEXT NOT NULL,
                guild_id INTEGER, channel_id INTEGER, question TEXT NOT NULL, outcome TEXT NOT NULL, fact_id TEXT,
                score REAL NOT NULL, user_hash TEXT);
            CREATE TABLE votes (question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
                voter_hash TEXT NOT NULL, value INTEGER NOT NULL CHECK (value IN (-1, 1)), voted_at REAL NOT NULL,
                PRIMARY KEY (question_id, voter_hash));
            INSERT INTO meta VALUES ('salt', 'old-salt');
            PRAGMA user_version = 1;
        """)
        old.execute("INSERT INTO questions VALUES (7, ?, 'cli', NULL, NULL, 'how old is he', 'not_found', NULL, 3, NULL)",
                    (time.time(),))
    upgraded = open_database(f"sqlite:///{path}", retention_days=30)
    assert upgraded._salt == "old-salt" and upgraded.stats(1).total == 1
    assert upgraded.learned_phrasings() == {} and upgraded.knowledge_version() == 0
    log(upgraded, "who got silver", "answered", "silver_medalist")
    assert upgraded.vote(7, 1, -1) and upgraded.stats(1).total == 2
    upgraded.close()


def test_each_article_keeps_its_own_learned_phrasings(database: Database):
    database.replace_learned_phrasings("harbour-bridge", {}, {"venue": ["which building hosted it"]})
    # the lone article's: the same fact id and phrasing
    database.replace_learned_phrasings(LONE_ARTICLE, {}, {"venue": ["which building hosted it", "name of the arena"]})
    assert database.learned_phrasings("harbour-bridge") == {"venue": ["which building hosted it"]}
    assert database.learned_phrasings_by_article() == {
        "": {"venue": ["which building hosted it", "name of the arena"]}, "harbour-bridge": {"venue": ["which building hosted it"]}}
    database.replace_learned_phrasings("harbour-bridge", database.learned_phrasings("harbour-bridge"), {})
    assert database.learned_phrasings("harbour-bridge") == {} and len(database.learned_phrasings()["venue"]) == 2


def test_phrasings_taught_before_several_articles_stay_the_lone_articles(tmp_path):
    import sqlite3

    from bot.database.migrations import MIGRATIONS

    path = tmp_path / "v3.sqlite3"
    with sqlite3.connect(path) as old:
        for migration in MIGRATIONS[:3]:
            old.executescript(migration)
        old.execute("INSERT INTO learned_phrasings VALUES ('venue', 'which building hosted it', 1.0)")
        old.execute("PRAGMA user_version = 3")
    upgraded = open_database(f"sqlite:///{path}", retention_days=30)
    assert upgraded.learned_phrasings_by_article() == {"": {"venue": ["which building hosted it"]}}
    upgraded.close()


def test_a_teach_whose_phrasings_changed_while_it_checked_reads_them_again(database_url: str):
    from bot.teaching import _changing_learned

    teacher, quicker = open_database(database_url, retention_days=30), open_database(database_url, retention_days=30)
    attempts = []

    def slow_check(learned):  # another moderator writes while this one's folder check runs, once
        attempts.append(dict(learned))
        if len(attempts) == 1:
            quicker.replace_learned_phrasings(LONE_ARTICLE, {}, {"podium": ["who else was up there"]})
        learned.setdefault("venue", []).append("which building hosted it")
        return "taught"

    assert _changing_learned(teacher, LONE_ARTICLE, slow_check) == "taught"
    assert attempts == [{}, {"podium": ["who else was up there"]}]
    assert teacher.learned_phrasings() == {"podium": ["who else was up there"], "venue": ["which building hosted it"]}
    teacher.close()
    quicker.close()
