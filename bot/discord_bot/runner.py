"""``factbot run``: start the Discord bot from settings."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys

import discord
import yarl

from bot.discord_bot.client import FactBotClient
from bot.knowledge import KnowledgeError
from bot.logging_setup import configure_logging
from bot.question_log import QuestionLog, SchemaTooNew
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


async def start_bot(settings: Settings, store: KnowledgeStore, question_log: QuestionLog, *, watch: bool) -> None:
    assert settings.discord_token is not None
    async with FactBotClient(settings, store, question_log, watch=watch) as client:
        await client.start(settings.discord_token.get_secret_value())


def run_bot(settings: Settings, *, watch: bool = False) -> int:
    if settings.discord_token is None:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, secrets=[settings.discord_token.get_secret_value()])
    try:
        store = KnowledgeStore(settings.knowledge_dir, settings)
    except KnowledgeError as error:
        print(f"factbot: cannot start, the knowledge folder is invalid.\n{error}", file=sys.stderr)
        return 1
    try:
        question_log = QuestionLog(settings.database_path, retention_days=settings.retention_days,
                                   hash_user_ids=settings.hash_user_ids)
    except (SchemaTooNew, sqlite3.Error, OSError) as error:
        print(f"factbot: cannot start, the question log {settings.database_path} is unusable: {error}", file=sys.stderr)
        return 1
    point_at_discord_endpoints(settings)
    try:
        asyncio.run(start_bot(settings, store, question_log, watch=watch))
    except discord.LoginFailure:
        print("factbot: Discord refused the token (DISCORD_TOKEN). Check it in the developer portal.", file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print("factbot: Discord refused an intent this bot asked for; see README: Gateway intents.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        log.info("stopped")
    finally:
        question_log.close()
    return 0
