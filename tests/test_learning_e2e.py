"""Learning from misses, through the real bot and the fake Discord server: the question log,
👍/👎 votes, /unanswered, /teach and /stats, and that none of it loses data."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.database import DatabaseError, SchemaTooNew, open_database, sqlite_url
from bot.settings import PROJECT_ROOT
from tests.discord_harness import Running, eventually, running_bot
from tests.test_discord_e2e import CALLBACK, EPHEMERAL, FOLLOWUP, ask

NEW_PHRASING = "which building hosted it"  # the shipped facts do not answer this


@pytest.fixture
async def live(knowledge_copy: Path):
    async with running_bot(knowledge_copy) as running:
        yield running


def rows(live: Running, sql: str) -> list[tuple]:
    return live.client.database._rows(sql)


async def moderator_command(server, name: str, options: dict | None = None, **who) -> dict:
    """Run a deferred moderator command; returns the follow-up message."""
    payload = server.slash(name, options, **{"moderator": True, **who})
    mark = await server.interact(payload)
    deferred = await server.wait_for_request("POST", CALLBACK, after=mark)
    assert deferred.body["type"] == 5 and deferred.body["data"]["flags"] == EPHEMERAL
    return (await server.wait_for_request("POST", FOLLOWUP, after=mark)).body


async def test_every_question_is_logged_without_user_ids(live: Running):
    server = live.server
    await ask(server, "who got silver?")
    mark = await server.send_message(server.message_payload("how old is he?", dm=True))
    await server.wait_for_request("POST", r"/channels/\d+/messages", after=mark)
    # The reply goes out first and the question is written after it.
    await eventually(lambda: len(rows(live, "SELECT id FROM questions")) == 2)
    logged = rows(live, "SELECT source, guild_id, question, outcome, fact_id, user_hash FROM questions ORDER BY asked_at")
    assert logged == [
        ("slash", int(server.world.guild_id), "who got silver?", "answered", "silver_medalist", None),
        ("dm", None, "how old is he?", "not_found", None, None),
    ]


async def test_unanswered_groups_near_identical_questions(live: Running):
    server = live.server
    for question in ("how old is he?", "How old is Jakob", "how old is ingebrigtsen??", "who is his coach"):
        await ask(server, question)
    followup = await moderator_command(server, "unanswered", {"days": 7})
    description = followup["embeds"][0]["description"]
    lines = description.splitlines()
    assert lines[0].startswith("**3×** how old is") and "not_found" in lines[0]
    assert lines[1].startswith("**1×** who is his coach")


async def test_votes_count_once_per_user_and_a_change_replaces_the_vote(live: Running):
    server = live.server
    mark = await server.interact(server.slash("ask", {"question": "who got bronze?"}))
    callback = await server.wait_for_request("POST", CALLBACK, after=mark)
    up, down = callback.body["data"]["components"][0]["components"]
    message = callback.response["resource"]["message"]
    for button in (up, up, down):
        mark = await server.interact(server.button_press(message, button["custom_id"]))
        thanks = await server.wait_for_request("POST", CALLBACK, after=mark)
        assert thanks.body["data"]["flags"] == EPHEMERAL and "recorded" in thanks.body["data"]["content"]
    await server.interact(server.button_press(message, up["custom_id"], user_id="500000000000000042"))
    await server.wait_for(lambda: len(rows(live, "SELECT * FROM votes")) == 2)
    assert sorted(value for (value,) in rows(live, "SELECT value FROM votes")) == [-1, 1]
    stats = (await moderator_command(server, "stats", {"days": 1}))["embeds"][0]
    assert "`bronze_medalist` 1 answers · 👍 1 · 👎 1" in stats["fields"][1]["value"]


async def test_stats_shows_rates_and_attaches_a_chart(live: Running):
    server = live.server
    await ask(server, "who got silver?")
    await ask(server, "how old is he")
    followup = await moderator_command(server, "stats")
    embed = followup["embeds"][0]
    assert embed["title"] == "Questions in the last 30 days: 2"
    assert "Answered: 1 (50%)" in embed["fields"][0]["value"]
    assert embed["image"]["url"] == "attachment://stats.png"
    assert followup["attachments"][0]["filename"] == "stats.png"


async def test_teach_then_the_question_is_answered_and_survives_a_restart(live: Running, knowledge_copy: Path):
    server = live.server
    before = await ask(server, NEW_PHRASING)
    assert before["data"]["embeds"][0]["description"] == "The article doesn't say."
    followup = await moderator_command(server, "teach", {"question": NEW_PHRASING, "fact": "venue"})
    assert followup["content"].startswith(f"Taught: '{NEW_PHRASING}' now asks about 'venue'.")
    assert "Stade de France" in followup["embeds"][0]["description"]
    after = await ask(server, NEW_PHRASING)
    assert after["data"]["embeds"][0]["footer"]["text"].startswith("fact venue")
    assert live.client.database.learned_phrasings() == {"venue": [NEW_PHRASING]}

    env = {**os.environ, "KNOWLEDGE_DIR": str(knowledge_copy), "DATABASE_URL": live.settings.database_url.get_secret_value()}
    fresh = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", NEW_PHRASING], capture_output=True,
                           text=True, env=env, cwd=PROJECT_ROOT, timeout=60)
    assert json.loads(fresh.stdout)["fact_id"] == "venue"
    logged = subprocess.run([sys.executable, "-m", "bot", "stats", "--days", "1"], capture_output=True,
                            text=True, env=env, cwd=PROJECT_ROOT, timeout=60)
    assert "Last 1 days: 2 questions" in logged.stdout


async def test_teach_autocompletes_fact_ids(live: Running):
    server = live.server
    payload = server.autocomplete("teach", "fact", "stadium", moderator=True)
    payload["data"]["options"].insert(0, {"name": "question", "type": 3, "value": "which arena"})
    mark = await server.interact(payload)
    choices = (await server.wait_for_request("POST", CALLBACK, after=mark)).body["data"]["choices"]
    assert choices and all(len(c["name"]) <= 100 for c in choices)
    assert "venue" in [c["value"] for c in choices[:3]]


async def test_teaching_a_question_another_fact_has_asks_before_moving_it(live: Running, knowledge_copy: Path):
    server = live.server
    await moderator_command(server, "teach", {"question": NEW_PHRASING, "fact": "podium"})
    mark = await server.interact(server.slash("teach", {"question": NEW_PHRASING, "fact": "venue"}, moderator=True))
    followup = await server.wait_for_request("POST", FOLLOWUP, after=mark)
    assert "is already a phrasing of 'podium' (taught earlier)" in followup.body["content"]
    confirm, cancel = followup.body["components"][0]["components"]
    assert confirm["label"] == "Move it to venue"
    mark = await server.interact(server.button_press(followup.response, confirm["custom_id"], moderator=True))
    moved = await server.wait_for_request("POST", FOLLOWUP, after=mark)
    assert moved.body["content"].startswith(f"Taught: '{NEW_PHRASING}' now asks about 'venue'.")
    assert live.client.database.learned_phrasings() == {"venue": [NEW_PHRASING]}


async def test_a_hand_written_phrasing_is_never_moved(live: Running):
    followup = await moderator_command(live.server, "teach", {"question": "who got silver?", "fact": "podium"})
    assert "hand-written in facts.yaml" in followup["content"] and not followup.get("components")


@pytest.mark.parametrize("command", ["teach", "unanswered", "stats"])
async def test_moderator_commands_are_refused_to_members(live: Running, command: str):
    options = {"question": NEW_PHRASING, "fact": "venue"} if command == "teach" else {}
    mark = await live.server.interact(live.server.slash(command, options))
    refused = await live.server.wait_for_request("POST", CALLBACK, after=mark)
    assert refused.body["data"]["flags"] == EPHEMERAL
    assert refused.body["data"]["content"].startswith("Only moderators")
    assert live.client.database.learned_phrasings() == {}


async def test_a_teach_that_would_break_the_facts_changes_nothing(live: Running, knowledge_copy: Path):
    def knowledge_files() -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in knowledge_copy.iterdir()}

    before = knowledge_files()
    followup = await moderator_command(live.server, "teach", {"question": NEW_PHRASING, "fact": "no_such_fact"})
    assert "would be invalid" in followup["content"]
    shown = followup["content"].replace("\\", "")  # as Discord renders it: markdown escapes hide their backslash
    assert "learned phrasings: fact 'no_such_fact': no fact has this id" in shown
    assert knowledge_files() == before and live.client.database.learned_phrasings() == {}


def test_newer_database_schema_refuses_to_start(tmp_path):
    path = tmp_path / "log.sqlite3"
    open_database(sqlite_url(path), retention_days=1).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(SchemaTooNew, match="schema version 99"):
        open_database(sqlite_url(path), retention_days=1)
    result = subprocess.run([sys.executable, "-m", "bot", "stats"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "DATABASE_PATH": str(path)}, cwd=PROJECT_ROOT)
    assert result.returncode == 1 and "schema version 99" in result.stderr


async def test_a_locked_database_never_holds_up_the_answer(live: Running):
    """Another process holds the database's write lock: the answer (with its vote buttons) goes out
    while the lock is still held, and the question reaches the log once the lock is released."""
    locker = sqlite3.connect(live.settings.database_path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        body = await ask(live.server, "who got silver?")
        assert "Rodgers Kwemoi" in body["data"]["embeds"][0]["description"]
        assert len(body["data"]["components"][0]["components"]) == 2, "vote buttons, before the log is written"
    finally:
        locker.execute("COMMIT")
        locker.close()
    await eventually(lambda: rows(live, "SELECT question FROM questions") == [("who got silver?",)], timeout=10)


async def test_a_question_that_cannot_be_logged_is_still_answered_and_counted(live: Running, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("attempt to write a readonly database")

    monkeypatch.setattr(live.client.database, "record", broken)
    body = await ask(live.server, "who got bronze?")
    assert "Grant Fisher" in body["data"]["embeds"][0]["description"]
    await eventually(lambda: live.client.unlogged_questions == 1)


async def test_a_long_taught_phrasing_still_gets_a_reply_that_fits(live: Running):
    long_question = "which building " + " ".join(f"word{index}" for index in range(50))  # 300 characters or so
    followup = await moderator_command(live.server, "teach", {"question": long_question[:300], "fact": "venue"})
    assert len(followup["content"]) <= 2000 and followup["content"].startswith("Taught:")
