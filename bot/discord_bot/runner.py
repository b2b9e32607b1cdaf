"""``factbot run``: start the Discord bot from settings."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp
import discord
import yarl

from bot.database import DatabaseError, open_database_for
from bot.discord_bot.client import FactBotClient
from bot.knowledge import KnowledgeError
from bot.knowledge_cache import knowledge_cache_for
from bot.logging_setup import configure_logging
from bot.settings import Settings
from bot.store import KnowledgeStore

log = logging.getLogger(__name__)

NO_TOKEN_MESSAGE = """\
factbot: DISCORD_TOKEN is not set, so the Discord bot cannot start.
  - To run it, copy .env.example to .env and fill in DISCORD_TOKEN (README: "Running on Discord").
  - To try the bot without Discord: factbot chat   (or: factbot ask "who won silver?")"""


def point_at_discord_endpoints(settings: Settings) -> None:
    """Route REST and gateway traffic to a proxy or a local test server when configured."""
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class CannotStart(Exception):
    """Why the bot cannot run, in one line for the operator, with the exit status to use."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


# Exit statuses of `factbot run` (README: "Operating factbot").
EXIT_REJECTED, EXIT_UNREACHABLE, EXIT_NOT_IN_SERVER = 1, 3, 4
# Gateway close codes after which reconnecting cannot help, and what to fix.
FATAL_CLOSE_CODES = {
    4004: "Discord no longer accepts the token (reset or revoked?): put the current one in DISCORD_TOKEN "
          "(developer portal → your application → Bot → Reset Token).",
    4010: "Discord refused the shard: SHARD_IDS must be below SHARD_COUNT.",
    4011: "Discord requires sharding for this many servers: set SHARD_COUNT (about one shard per 1,000 servers).",
    4012: "Discord refused the gateway API version: upgrade factbot (and discord.py).",
    4013: "Discord refused the gateway intents: see README, Gateway intents.",
}


async def start_bot(settings: Settings, store: KnowledgeStore, *, watch: bool) -> None:
    assert settings.discord_token is not None
    async with FactBotClient(settings, store, watch=watch) as client:
        await _log_in(client, settings)
        await client.connect()


async def _log_in(client: FactBotClient, settings: Settings) -> None:
    """Log in with a bounded wait per attempt and a few attempts, saying so while it waits."""
    assert settings.discord_token is not None
    where = settings.discord_api_base or "discord.com"
    for attempt in range(1, settings.connect_attempts + 1):
        log.info("connecting to Discord at %s (attempt %d of %d)", where, attempt, settings.connect_attempts)
        try:
            await asyncio.wait_for(client.login(settings.discord_token.get_secret_value()),
                                   timeout=settings.connect_timeout_seconds)
            return
        except (OSError, aiohttp.ClientError, TimeoutError) as error:
            reason = f"no answer within {settings.connect_timeout_seconds:g} s" if isinstance(error, TimeoutError) else str(error)
            log.warning("could not reach Discord at %s: %s", where, reason)
            if attempt == settings.connect_attempts:
                raise CannotStart(
                    f"cannot reach Discord at {where} ({reason}) after {attempt} attempts. Check the network and "
                    f"DNS{', and DISCORD_API_BASE' if settings.discord_api_base else ''}.", EXIT_UNREACHABLE
                ) from error
            await asyncio.sleep(min(2**attempt, 30))


def run_bot(settings: Settings, *, watch: bool = False) -> int:
    """`factbot run`: the bot, until SIGTERM or Ctrl-C."""
    return _with_discord(settings, lambda store: start_bot(settings, store, watch=watch))


def sync_only(settings: Settings, *, clear_guilds: bool) -> int:
    """`factbot sync`: register the slash commands now (or remove the per-server copies), without
    connecting to the gateway."""
    async def sync(store: KnowledgeStore) -> None:
        async with FactBotClient(settings, store, sync_on_login=False) as client:
            await _log_in(client, settings)
            if clear_guilds:
                await client.clear_guild_commands()
            else:
                await client.sync_commands(force=True)

    return _with_discord(settings, sync)


def _with_discord(
    settings: Settings, work: Callable[[KnowledgeStore], Coroutine[Any, Any, None]]
) -> int:
    """Check the settings, open the database and load the facts, then run ``work`` against Discord;
    every way that can fail ends in one line and an exit status (README: When it cannot start)."""
    if settings.discord_token is None:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, secrets=[settings.discord_token.get_secret_value()])
    try:
        database = open_database_for(settings)
    except DatabaseError as error:
        print(f"factbot: cannot start, the database is unusable: {error}", file=sys.stderr)
        return EXIT_REJECTED
    log.info("shared state in %s", database.describe())
    try:
        store = KnowledgeStore(settings.knowledge_dir, settings, database, knowledge_cache_for(settings))
    except KnowledgeError as error:
        database.close()
        print(f"factbot: cannot start, the knowledge folder is invalid.\n{error}", file=sys.stderr)
        return EXIT_REJECTED
    point_at_discord_endpoints(settings)
    try:
        asyncio.run(_explained(work(store), settings))
    except CannotStart as error:
        print(f"factbot: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        log.info("stopped")
    finally:
        database.close()
    return 0


async def _explained(work: Coroutine[Any, Any, None], settings: Settings) -> None:
    """Await ``work``, turning each way Discord can refuse the bot into one line saying what to fix."""
    try:
        await work
    except discord.LoginFailure as error:
        raise CannotStart("Discord refused the token (DISCORD_TOKEN). Check it in the developer portal "
                          "(your application → Bot → Reset Token).", EXIT_REJECTED) from error
    except discord.PrivilegedIntentsRequired as error:
        raise CannotStart("Discord refused an intent this bot asked for; see README: Gateway intents.",
                          EXIT_REJECTED) from error
    except discord.ConnectionClosed as error:
        if error.code not in FATAL_CLOSE_CODES:
            raise
        raise CannotStart(f"gateway closed ({error.code}): {FATAL_CLOSE_CODES[error.code]}", EXIT_REJECTED) from error
    except discord.Forbidden as error:
        if not settings.guild_ids:
            raise CannotStart(f"Discord refused a request ({error.status} {error.text}).", EXIT_REJECTED) from error
        raise CannotStart(
            f"Discord refused access to a server in GUILD_IDS ({error.text or error.status}). Invite the bot to "
            "every server listed there with the scopes bot and applications.commands (README: Running on "
            "Discord, step 3), or remove the id from GUILD_IDS.", EXIT_NOT_IN_SERVER
        ) from error
    except discord.HTTPException as error:  # a 5xx at login or a 400 from the command sync
        status = EXIT_UNREACHABLE if error.status >= 500 else EXIT_REJECTED
        raise CannotStart(f"Discord answered {error.status} ({error.text or 'no detail'}); try again later or "
                          "check the settings named in the message.", status) from error
