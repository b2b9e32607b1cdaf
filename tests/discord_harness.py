"""Runs the real bot (discord.py client and all) against the fake Discord server, in-process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import discord
import yarl

from bot.database import open_database_for
from bot.discord_bot.client import FactBotClient
from bot.discord_bot.runner import point_at_discord_endpoints
from bot.settings import Settings
from bot.store import KnowledgeStore
from tests.fake_discord import FakeDiscord


async def eventually(condition: Callable[[], bool], timeout: float = 5.0, interval: float = 0.02) -> None:
    """Wait until ``condition()`` holds, for state the fake server is not told about."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition did not become true in time")
        await asyncio.sleep(interval)


@dataclass
class Running:
    server: FakeDiscord
    client: FactBotClient
    settings: Settings


def settings_for(server: FakeDiscord, knowledge_dir: Path, **overrides) -> Settings:
    env = {key.lower(): value for key, value in server.environment().items()}
    # Everything the bot writes (log, health file, command-sync fingerprint) goes beside the knowledge copy.
    defaults = {"knowledge_dir": knowledge_dir, "data_dir": knowledge_dir.parent}
    return Settings(_env_file=None, **{**defaults, **env, **overrides})


@contextlib.asynccontextmanager
async def running_bot(knowledge_dir: Path, *, watch: bool = False, **overrides) -> AsyncIterator[Running]:
    server = FakeDiscord()
    await server.start()
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    settings = settings_for(server, knowledge_dir, **overrides)
    point_at_discord_endpoints(settings)
    database = open_database_for(settings)
    client = FactBotClient(settings, KnowledgeStore(knowledge_dir, settings, database), watch=watch)
    task = asyncio.create_task(client.start(settings.discord_token.get_secret_value()))
    try:
        await server.wait_until_ready()
        yield Running(server, client, settings)
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        await server.stop()
        database.close()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved[0], yarl.URL(str(saved[1]))
