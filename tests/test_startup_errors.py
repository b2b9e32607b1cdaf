"""`factbot run` when Discord cannot be reached or refuses it: one line saying what to fix, a distinct
exit status, no traceback. Each runs the real command as a separate process, on loopback only."""

from __future__ import annotations

import asyncio
import os
import socket
import sys

from tests.fake_discord import FakeDiscord
from tests.test_discord_e2e import ask

TOKEN = "test-token-for-startup-errors"


async def run_factbot(env: dict[str, str], cwd, timeout: float = 60) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=timeout)
    return process.returncode, output.decode()


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


async def test_a_server_that_never_answers_gives_up_after_bounded_attempts(tmp_path):
    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections, never says a word
    port = silent.getsockname()[1]
    try:
        status, output = await run_factbot({
            "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10",
            "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/gateway",
            "CONNECT_TIMEOUT_SECONDS": "0.5", "CONNECT_ATTEMPTS": "2",
        }, tmp_path)
    finally:
        silent.close()
    assert status == 3, output
    assert "Traceback" not in output
    assert last_line(output).startswith("factbot: cannot reach Discord at http://127.0.0.1:")
    assert "attempt 1 of 2" in output and "attempt 2 of 2" in output
    assert TOKEN not in output


async def test_nothing_listening_is_unreachable_too(tmp_path):
    with socket.socket() as probe:  # a free port, closed again: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status, output = await run_factbot({
        "DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10", "CONNECT_ATTEMPTS": "1",
    }, tmp_path)
    assert status == 3 and "Traceback" not in output, output
    assert "cannot reach Discord" in last_line(output) and "DISCORD_API_BASE" in last_line(output)


async def test_a_guild_the_bot_is_not_in_says_how_to_invite_it(tmp_path):
    server = FakeDiscord()
    await server.start()
    try:
        status, output = await run_factbot({
            **server.environment(), "DISCORD_TOKEN": TOKEN, "GUILD_IDS": "999999999999999999",
        }, tmp_path)
    finally:
        await server.stop()
    assert status == 4 and "Traceback" not in output, output
    assert "GUILD_IDS" in last_line(output) and "applications.commands" in last_line(output)


async def test_a_token_revoked_while_running_ends_with_one_line(tmp_path):
    server = FakeDiscord()
    await server.start()
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **server.environment(), "DISCORD_TOKEN": TOKEN},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        await server.wait_until_ready(timeout=30)
        assert "Rodgers Kwemoi" in str(await ask(server, "who got silver?"))  # connected and serving
        await server.close_gateway(4004)  # Discord: authentication failed
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        await server.stop()
    text = output.decode()
    assert process.returncode == 1 and "Traceback" not in text, text
    assert "DISCORD_TOKEN" in last_line(text) and "4004" in last_line(text)


async def test_an_unreachable_database_is_one_line_without_its_password(tmp_path):
    with socket.socket() as probe:  # a free port, closed again: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status, output = await run_factbot({
        "DISCORD_TOKEN": TOKEN, "DATABASE_URL": f"postgresql://factbot:hunter2-secret@127.0.0.1:{port}/factbot",
        "DATA_DIR": str(tmp_path),
    }, tmp_path)
    assert status == 1 and "Traceback" not in output, output
    assert last_line(output).startswith("factbot: cannot start, the database is unusable: cannot reach the PostgreSQL "
                                        f"database postgresql://factbot:***@127.0.0.1:{port}/factbot")
    assert "hunter2" not in output
