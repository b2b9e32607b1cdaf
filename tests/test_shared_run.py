"""Two `factbot run` processes, one shard each (SHARD_COUNT=2, SHARD_IDS=0 and 1), with separate
copies of the knowledge folder and one PostgreSQL, against the Discord-compatible test server: as
two machines would run them. The test server's guild lives on shard 0, so moderator commands go to
that process; questions are sent to either process by picking the shard's gateway connection."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import KNOWLEDGE_DIR, edit_yaml
from tests.fake_discord import FakeDiscord
from tests.test_discord_e2e import CALLBACK, FOLLOWUP
from tests.test_learning_e2e import NEW_PHRASING

CHANGE_REACHES_EVERY_PROCESS_SECONDS = 2.0
RELOADED_PHRASING = "purple giraffe quiz"  # nonsense no fact answers, until added as a phrasing


def add_phrasing(fact_id: str, question: str) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        next(fact for fact in data["facts"] if fact["id"] == fact_id)["questions"].append(question)

    return change


async def ask_shard(server: FakeDiscord, shard: int, question: str, user: int) -> dict:
    mark = await server.interact(server.slash("ask", {"question": question}, user_id=str(user)), shard=shard)
    return (await server.wait_for_request("POST", CALLBACK, after=mark)).body


async def moderator_command_on(server: FakeDiscord, shard: int, name: str, options: dict | None = None) -> dict:
    mark = await server.interact(server.slash(name, options, moderator=True), shard=shard)
    return (await server.wait_for_request("POST", FOLLOWUP, after=mark, timeout=30)).body


def fact_of(body: dict) -> str | None:
    footer = body["data"]["embeds"][0].get("footer", {}).get("text", "")
    return footer.split()[1] if footer.startswith("fact ") else None


async def start_shard(server: FakeDiscord, tmp_path: Path, shard: int, database_url: str) -> asyncio.subprocess.Process:
    home = tmp_path / f"machine-{shard}"
    shutil.copytree(KNOWLEDGE_DIR, home / "knowledge")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **server.environment(), "DATABASE_URL": database_url,
           "KNOWLEDGE_DIR": str(home / "knowledge"), "DATA_DIR": str(home / "data"), "SHARD_COUNT": "2",
           "SHARD_IDS": str(shard), "COOLDOWN_RATE": "1000"}
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=home, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def test_two_shard_processes_share_teaching_reloads_and_stats_through_postgresql(tmp_path: Path, postgres):
    server = FakeDiscord()
    await server.start()
    database_url = postgres.create_database()
    processes = [await start_shard(server, tmp_path, shard, database_url) for shard in (0, 1)]
    try:
        await server.wait_for(lambda: server.sessions_started >= 2 and server.commands, timeout=60)
        users = iter(range(500000000000000100, 500000000000001000))  # one question each: no cooldown in the way
        assert fact_of(await ask_shard(server, 1, NEW_PHRASING, next(users))) is None

        taught = await moderator_command_on(server, 0, "teach", {"question": NEW_PHRASING, "fact": "venue"})
        assert taught["content"].startswith("Taught:")
        taught_at = time.monotonic()
        while fact_of(await ask_shard(server, 1, NEW_PHRASING, next(users))) != "venue":
            assert time.monotonic() - taught_at < CHANGE_REACHES_EVERY_PROCESS_SECONDS, "shard 1 did not pick it up in 2 s"
            await asyncio.sleep(0.05)

        # A deploy updates every machine's folder; a /reload on one reloads them all.
        edit_yaml(tmp_path / "machine-1" / "knowledge" / "facts.yaml", add_phrasing("venue", RELOADED_PHRASING))
        assert fact_of(await ask_shard(server, 1, RELOADED_PHRASING, next(users))) is None
        reloaded = await moderator_command_on(server, 0, "reload")
        assert reloaded["embeds"][0]["title"].startswith("Facts reloaded")
        reloaded_at = time.monotonic()
        while fact_of(await ask_shard(server, 1, RELOADED_PHRASING, next(users))) != "venue":
            assert time.monotonic() - reloaded_at < CHANGE_REACHES_EVERY_PROCESS_SECONDS, "shard 1 did not reload in 2 s"
            await asyncio.sleep(0.05)

        asked = next(users) - 500000000000000100  # every user so far asked one question, all through shard 1
        deadline = time.monotonic() + 10
        while True:  # the log is written after the reply: wait for it, bounded
            stats = await moderator_command_on(server, 0, "stats", {"days": 1})
            if stats["embeds"][0]["title"] == f"Questions in the last 1 days: {asked}" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        assert stats["embeds"][0]["title"] == f"Questions in the last 1 days: {asked}", \
            "shard 0's /stats counts every question asked through shard 1"
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        outputs = [(await asyncio.wait_for(process.communicate(), timeout=30))[0].decode() for process in processes]
        await server.stop()
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert "changed by another process" in outputs[1]
