"""The schema, as numbered migrations that both engines run unchanged.

One text per migration serves SQLite and PostgreSQL: only types that mean the same in both are
used (BIGINT for ids and Discord snowflakes, DOUBLE PRECISION for Unix times, TEXT, INTEGER), and
no engine-specific syntax. Where each engine keeps the schema version is the engine's business
(``bot.database.sqlite``, ``bot.database.postgres``). Never edit a migration that has shipped;
add the next one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: questions and votes. (SQLite databases made before PostgreSQL support have this table with
    # INTEGER and REAL columns, which SQLite treats exactly like BIGINT and DOUBLE PRECISION.)
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE questions (
        id BIGINT PRIMARY KEY,
        asked_at DOUBLE PRECISION NOT NULL,
        source TEXT NOT NULL,
        guild_id BIGINT,
        channel_id BIGINT,
        question TEXT NOT NULL,
        outcome TEXT NOT NULL,
        fact_id TEXT,
        score DOUBLE PRECISION NOT NULL,
        user_hash TEXT
    );
    CREATE INDEX questions_by_time ON questions (asked_at);
    CREATE TABLE votes (
        question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
        voter_hash TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        voted_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (question_id, voter_hash)
    );
    """,
    # 2: learned phrasings (formerly knowledge/learned_questions.yaml) and the counter every
    # process compares with its own to know the shared knowledge changed.
    """
    CREATE TABLE learned_phrasings (
        fact_id TEXT NOT NULL,
        question TEXT NOT NULL,
        taught_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (fact_id, question)
    );
    CREATE TABLE knowledge_version (version BIGINT NOT NULL);
    INSERT INTO knowledge_version (version) VALUES (0);
    """,
    # 3: several articles: which article answered each question (NULL: asked before there were
    # several, or the bot asked which article was meant), and each channel's default article.
    """
    ALTER TABLE questions ADD COLUMN article_id TEXT;
    CREATE TABLE channel_articles (
        channel_id BIGINT PRIMARY KEY,
        article_id TEXT NOT NULL,
        set_at DOUBLE PRECISION NOT NULL
    );
    """,
    # 4: learned phrasings by article, since two articles may use the same fact id. The rows taught
    # before are the lone article's (key ''), as a KNOWLEDGE_DIR that is itself one article keeps them.
    """
    CREATE TABLE article_phrasings (
        article_id TEXT NOT NULL,
        fact_id TEXT NOT NULL,
        question TEXT NOT NULL,
        taught_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (article_id, fact_id, question)
    );
    INSERT INTO article_phrasings (article_id, fact_id, question, taught_at)
        SELECT '', fact_id, question, taught_at FROM learned_phrasings;
    DROP TABLE learned_phrasings;
    ALTER TABLE article_phrasings RENAME TO learned_phrasings;
    """,
)


def statements(migration: str) -> list[str]:
    return [statement.strip() for statement in migration.split(";") if statement.strip()]
