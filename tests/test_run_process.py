"""`factbot run` as a separate process, driven exactly as an outside harness would drive it:
only DISCORD_TOKEN, DISCORD_API_BASE, DISCORD_GATEWAY_URL, GUILD_IDS and MODERATOR_ROLE_IDS set."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from tests.fake_discord import FakeDiscord
from tests.test_discord_e2e import ask, reload_as

SENTINEL_TOKEN = "SENTINEL.token-must-never-be-logged.XYZ"


async def test_factbot_run_serves_through_the_fake_server_and_never_logs_the_token(tmp_path):
    server = FakeDiscord()
    await server.start()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **server.environment(),
        "DISCORD_TOKEN": SENTINEL_TOKEN,
        "LOG_LEVEL": "DEBUG",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await server.wait_until_ready(timeout=30)
        body = await ask(server, "who got silver?")
        assert "> silver medalist Rodgers Kwemoi" in body["data"]["embeds"][0]["description"]
        refused, _ = await reload_as(server)
        assert refused["data"]["flags"] == 64
        _, followup = await reload_as(server, moderator=True)
        assert followup["embeds"][0]["title"].startswith("Facts reloaded")
    finally:
        process.send_signal(signal.SIGTERM)  # how a service manager stops it
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        await server.stop()
    log = output.decode()
    assert process.returncode == 0, log
    assert "question outcome=answered fact=silver_medalist" in log
    assert "reload (/reload by user" in log
    assert "SIGTERM: shutting down" in log
    assert SENTINEL_TOKEN not in log
    assert "SENTINEL" not in log
