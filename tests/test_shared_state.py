"""The observable contract of shared state: two factbot processes with the same DATABASE_URL and
separate copies of the knowledge folder, as on two machines, driven only through the command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from tests.conftest import KNOWLEDGE_DIR

NEW_PHRASING = "which building hosted it"  # the shipped facts do not answer this


def machine(root: Path, name: str, database_url: str) -> dict[str, str]:
    """The environment of one "machine": its own knowledge folder and data folder, the shared database."""
    knowledge = root / name / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    return {**os.environ, "KNOWLEDGE_DIR": str(knowledge), "DATA_DIR": str(root / name / "data"),
            "DATABASE_URL": database_url}


def factbot(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, env=env,
                          cwd=PROJECT_ROOT, timeout=120)


@pytest.fixture
def machines(tmp_path: Path, database_url: str) -> tuple[dict[str, str], dict[str, str]]:
    return machine(tmp_path, "a", database_url), machine(tmp_path, "b", database_url)


def test_a_phrasing_taught_on_one_machine_is_answered_on_the_other(machines):
    a, b = machines
    assert json.loads(factbot(b, "ask", "--json", NEW_PHRASING).stdout)["fact_id"] is None
    taught = factbot(a, "teach", NEW_PHRASING, "venue")
    assert taught.returncode == 0, taught.stdout + taught.stderr
    answered = factbot(b, "ask", "--json", NEW_PHRASING)
    assert answered.returncode == 0 and json.loads(answered.stdout)["fact_id"] == "venue"
    for env in (a, b):
        checked = factbot(env, "check")
        assert checked.returncode == 0 and "with 1 learned phrasing(s) from the database: OK" in checked.stdout
    assert not (Path(b["KNOWLEDGE_DIR"]) / "learned_questions.yaml").exists(), "nothing is written to the folders"


def test_a_question_unanswered_in_one_chat_is_listed_on_the_other(machines):
    a, b = machines
    chat = factbot(a, "chat", stdin="who was his coach\nwho got silver\n")
    assert chat.returncode == 0 and not chat.stderr
    listed = factbot(b, "unanswered", "--days", "1")
    assert listed.returncode == 0 and "1 × 'who was his coach'" in listed.stdout
    assert "Last 1 days: 2 questions" in factbot(b, "stats", "--days", "1").stdout


def test_the_database_password_never_reaches_the_output(tmp_path: Path):
    from tests.postgres_server import free_port

    env = machine(tmp_path, "a", f"postgresql://bot:s3cret-pass@127.0.0.1:{free_port()}/factbot")
    for arguments in (["stats"], ["ask", "who got silver"], ["check"]):
        result = factbot(env, *arguments)
        assert "s3cret" not in result.stdout + result.stderr
        assert "127.0.0.1" in result.stderr
    answered = factbot(env, "ask", "--json", "who got silver")
    assert answered.returncode == 0 and json.loads(answered.stdout)["fact_id"] == "silver_medalist", \
        "an unreachable database never stops answering"


def test_an_existing_sqlite_log_moves_to_postgresql(tmp_path: Path, postgres):
    from bot.database import LONE_ARTICLE, Source, open_database, sqlite_url

    old = open_database(sqlite_url(tmp_path / "old.sqlite3"), retention_days=30)
    answered = old.record("who got bronze", "answered", "bronze_medalist", 100.0, Source.SLASH)
    old.record("who was his coach", "not_found", None, 20.0, Source.DM)
    assert old.vote(answered, voter_id=7, value=1)
    old.replace_learned_phrasings(LONE_ARTICLE, {}, {"venue": [NEW_PHRASING]})
    old.close()
    target = postgres.create_database()
    env = {**machine(tmp_path, "a", target), "DATABASE_PATH": str(tmp_path / "old.sqlite3")}
    migrated = factbot(env, "migrate-db", "--to", target)
    assert migrated.returncode == 0, migrated.stderr
    assert "copied 2 questions, 1 votes and 1 learned phrasings" in migrated.stdout
    assert "1 × 'who was his coach'" in factbot(env, "unanswered").stdout
    assert "bronze_medalist                  1    1    0" in factbot(env, "stats").stdout
    assert json.loads(factbot(env, "ask", "--json", NEW_PHRASING).stdout)["fact_id"] == "venue"
    new = open_database(target, retention_days=30)
    assert new.vote(answered, voter_id=7, value=-1), "the same voter still counts once: the salt moved too"
    assert new.stats(1).facts[0].up == 0 and new.stats(1).facts[0].down == 1
    new.close()
    again = factbot(env, "migrate-db", "--to", target)
    assert again.returncode == 1 and "only into an empty database" in again.stderr
