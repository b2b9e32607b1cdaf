"""Shared state under the real bot (discord.py and the Discord-compatible test server): a change made
by another process reaches the running bot within 2 s, and losing PostgreSQL never stops answering."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bot.database import DatabaseError
from bot.settings import PROJECT_ROOT
from tests.conftest import KNOWLEDGE_DIR
from tests.discord_harness import Running, eventually, running_bot
from tests.test_discord_e2e import ask
from tests.test_learning_e2e import NEW_PHRASING, moderator_command

CHANGE_REACHES_EVERY_PROCESS_SECONDS = 2.0
UNLIMITED = {"cooldown_rate": 10_000, "cooldown_seconds": 1}


def teach_elsewhere(tmp_path: Path, database_url: str, question: str, fact_id: str) -> None:
    """`factbot teach` as another machine would run it: its own copy of the knowledge folder."""
    elsewhere = tmp_path / "elsewhere" / "knowledge"
    if not elsewhere.exists():
        shutil.copytree(KNOWLEDGE_DIR, elsewhere)
    env = {**os.environ, "KNOWLEDGE_DIR": str(elsewhere), "DATA_DIR": str(elsewhere.parent), "DATABASE_URL": database_url}
    taught = subprocess.run([sys.executable, "-m", "bot", "teach", question, fact_id], capture_output=True, text=True,
                            env=env, cwd=PROJECT_ROOT, timeout=120)
    assert taught.returncode == 0, taught.stdout + taught.stderr


def fact_of(body: dict) -> str | None:
    footer = body["data"]["embeds"][0].get("footer", {}).get("text", "")
    return footer.split()[1] if footer.startswith("fact ") else None


def logged_questions(live: Running) -> int:
    try:
        return live.client.database.stats(1).total
    except DatabaseError:  # still reconnecting
        return 0


async def test_a_phrasing_taught_by_another_process_is_answered_within_two_seconds(knowledge_copy: Path, tmp_path: Path,
                                                                                   database_url: str):
    async with running_bot(knowledge_copy, database_url=database_url, **UNLIMITED) as live:
        assert fact_of(await ask(live.server, NEW_PHRASING)) is None
        await asyncio.to_thread(teach_elsewhere, tmp_path, database_url, NEW_PHRASING, "venue")
        taught_at = time.monotonic()
        while fact_of(await ask(live.server, NEW_PHRASING)) != "venue":
            assert time.monotonic() - taught_at < CHANGE_REACHES_EVERY_PROCESS_SECONDS, "not picked up within 2 s"
            await asyncio.sleep(0.05)


async def test_a_process_whose_own_files_are_invalid_keeps_serving_and_says_so(knowledge_copy: Path, tmp_path: Path,
                                                                              database_url: str, caplog):
    async with running_bot(knowledge_copy, database_url=database_url, **UNLIMITED) as live:
        (knowledge_copy / "facts.yaml").write_text("facts: [{id: broken}]\n", encoding="utf-8")
        with caplog.at_level(logging.WARNING):
            await asyncio.to_thread(teach_elsewhere, tmp_path, database_url, NEW_PHRASING, "venue")
            await eventually(lambda: "refused, previous facts kept" in caplog.text, timeout=CHANGE_REACHES_EVERY_PROCESS_SECONDS)
        assert "changed by another process" in caplog.text and "facts.yaml" in caplog.text
        assert fact_of(await ask(live.server, "who got silver?")) == "silver_medalist"


async def test_a_postgresql_restart_never_stops_answering_and_unlogged_questions_are_counted(
        knowledge_copy: Path, postgres, caplog):
    async with running_bot(knowledge_copy, database_url=postgres.create_database(), **UNLIMITED) as live:
        await ask(live.server, "who got bronze?")
        await eventually(lambda: live.client.database.stats(1).total == 1)
        await asyncio.to_thread(postgres.stop)
        try:
            with caplog.at_level(logging.WARNING):
                for question in ("who got silver?", "who got gold?"):
                    started = time.monotonic()
                    assert fact_of(await ask(live.server, question)) is not None
                    assert time.monotonic() - started < 1.0, "answering never waits on the database"
                await eventually(lambda: live.client.unlogged_questions == 2)
            assert "could not log a question (2 not logged since start)" in caplog.text
        finally:
            await asyncio.to_thread(postgres.start)
        # Once the writer has reconnected (after its pause), questions reach the log again.
        deadline = time.monotonic() + 30
        while logged_questions(live) < 2:
            assert time.monotonic() < deadline, "questions are logged again after the restart"
            await ask(live.server, "what was his time?")
            await asyncio.sleep(0.5)


async def test_a_report_while_postgresql_is_down_is_a_message_not_an_error(knowledge_copy: Path, postgres):
    async with running_bot(knowledge_copy, database_url=postgres.create_database(), **UNLIMITED) as live:
        await asyncio.to_thread(postgres.stop)
        try:
            followup = await moderator_command(live.server, "stats")
        finally:
            await asyncio.to_thread(postgres.start)
    assert followup["content"] == "The database can't be reached just now; please try again in a moment."
