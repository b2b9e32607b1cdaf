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
