"""The bot itself: intents, command sync, reloads and the one place errors are handled."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import discord
import watchfiles
from discord import app_commands
from discord.ext import commands

from bot.database import Database, DatabaseError, Source
from bot.discord_bot.articles import ArticleNotChosen
from bot.discord_bot.checks import NotModerator
from bot.discord_bot.cooldown import UserCooldowns
from bot.discord_bot.embeds import MESSAGE_LIMIT, escape_user_text
from bot.discord_bot.views import VoteButton
from bot.library import Answer, UnknownArticle
from bot.settings import Settings
from bot.store import KnowledgeStore, LibraryReload

log = logging.getLogger(__name__)

# A text-only bot: it never joins voice, so the voice libraries' absence is not worth a warning.
discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False

EXTENSIONS = ("bot.discord_bot.cogs.asking", "bot.discord_bot.cogs.moderation", "bot.discord_bot.cogs.learning")
T = TypeVar("T")
KNOWLEDGE_SUFFIXES = (".yaml", ".yml", ".txt")
# The fingerprint of the last command sync, in DATA_DIR.
COMMAND_SYNC_STAMP = "command-sync.sha256"
# How long a shutdown waits for questions answered just before it to reach the log.
LOG_DRAIN_SECONDS = 10.0
REPORT_WAITS_FOR_WRITES_SECONDS = 2.0
# How long one wait for another process's change may block its thread (and so a shutdown).
FOLLOW_WAIT_SECONDS = 1.0


def gateway_intents() -> discord.Intents:
    """Only what the bot uses. No privileged intent: Discord delivers message content
    for messages that mention the bot and for DMs without the Message Content intent."""
    intents = discord.Intents.none()
    intents.guilds = True  # guild and role cache, for the moderator-role check
    intents.guild_messages = True  # mentions in server channels
    intents.dm_messages = True  # questions sent by direct message
    return intents


class FactBotClient(commands.AutoShardedBot):
    """Always the sharded client: with SHARD_COUNT unset it runs one shard (0 of 1), so the
    code path in development is the one a large deployment runs."""

    def __init__(self, settings: Settings, store: KnowledgeStore, *, watch: bool = False,
                 sync_on_login: bool = True) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=gateway_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=settings.shard_count or 1,
            shard_ids=settings.shard_ids or None,
            help_command=None,
            max_messages=None,  # answers never look back at earlier messages: no message cache
        )
        self.settings = settings
        self.store = store
        self.database: Database = store.database
        # Database work runs on threads of its own, so the event loop never waits on it: one writer,
        # one thread for reports, so that a long /unanswered never delays logging or votes, and one
        # that waits for changes made by other processes.
        self._database_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database-writes")
        self._report_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database-reports")
        self._follow_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database-changes")
        self.known_version: int | None = None
        # Each channel's default article (``/article use``), read with every reload: a mention is
        # answered without waiting on the database.
        self.channel_articles: dict[int, str] = {}
        self._pending_writes: set[asyncio.Task[Any]] = set()
        self.unlogged_questions = 0
        self.cooldowns = UserCooldowns(settings.cooldown_rate, settings.cooldown_seconds)
        self.watch = watch
        self.sync_on_login = sync_on_login
        self._set_up = False
        self._watch_task: asyncio.Task[None] | None = None
        self._health_task: asyncio.Task[None] | None = None
        self._follow_task: asyncio.Task[None] | None = None
        self._signal_tasks: set[asyncio.Task[Any]] = set()
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        # A login attempt that timed out is retried, and runs this again: load only what is not loaded.
        if not self._set_up:
            self.add_dynamic_items(VoteButton)
            self._set_up = True
        for extension in EXTENSIONS:
            if extension not in self.extensions:
                await self.load_extension(extension)
        await self.read_channel_articles()
        if self.sync_on_login:
            await self.sync_commands()
        try:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self._reload_on_signal)
            # A service manager stops the bot with SIGTERM: close the connection and the log cleanly.
            loop.add_signal_handler(signal.SIGTERM, self._close_on_signal)
        except (NotImplementedError, RuntimeError, AttributeError):  # no such signals on Windows
            log.info("SIGHUP reload and SIGTERM shutdown are not available on this platform")
        if self.watch:
            self._watch_task = asyncio.create_task(self.watch_knowledge(), name="knowledge-watch")
        self._health_task = asyncio.create_task(self.keep_health_file(), name="health-file")
        if self._follow_task is None:
            self._follow_task = asyncio.create_task(self.follow_shared_changes(), name="shared-changes")

    async def sync_commands(self, *, force: bool = False) -> None:
        """Register the slash commands with Discord, only when they changed since the last sync (a
        fingerprint in DATA_DIR) and only from the process that runs shard 0 (or `factbot sync`)."""
        if not force and self.settings.shard_ids and 0 not in self.settings.shard_ids:
            log.info("commands are synced by the process that runs shard 0")
            return
        for guild_id in self.settings.guild_ids:
            self.tree.copy_global_to(guild=discord.Object(id=guild_id))
        fingerprint = self._commands_fingerprint()
        stamp = self.settings.data_dir / COMMAND_SYNC_STAMP
        if not force and stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
            log.info("commands unchanged since the last sync; not syncing (`factbot sync` forces it)")
            return
        if self.settings.guild_ids:
            for guild_id in self.settings.guild_ids:
                synced = await self.tree.sync(guild=discord.Object(id=guild_id))
                log.info("synced %d commands to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands (may take up to an hour to appear)", len(synced))
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(fingerprint, encoding="utf-8")
        except OSError as error:
            log.warning("cannot remember the command sync in %s: %s", stamp, error)

    async def clear_guild_commands(self) -> None:
        """Remove the per-server copies registered while testing with GUILD_IDS, which would otherwise
        show every command twice beside the global ones."""
        for guild_id in self.settings.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.clear_commands(guild=guild)
            await self.tree.sync(guild=guild)
            log.info("removed the commands registered to guild %s", guild_id)
        (self.settings.data_dir / COMMAND_SYNC_STAMP).unlink(missing_ok=True)

    def _commands_fingerprint(self) -> str:
        """What a sync would register, and where: the same fingerprint means nothing to send."""
        scopes = [discord.Object(id=guild_id) for guild_id in self.settings.guild_ids] or [None]
        registered = {
            str(scope.id if scope else "global"): [command.to_dict(self.tree) for command in self.tree.get_commands(guild=scope)]
            for scope in scopes
        }
        where = {"api": self.settings.discord_api_base, "application": self.application_id, "commands": registered}
        return hashlib.sha256(json.dumps(where, sort_keys=True, default=str).encode()).hexdigest()

    async def in_db(self, function: Callable[..., T], *args: Any) -> T:
        """Run a database write (a question, a vote, pruning) on the database thread."""
        return await asyncio.get_running_loop().run_in_executor(self._database_thread, partial(function, *args))

    async def in_reports(self, function: Callable[..., T], *args: Any) -> T:
        """Run a question-log report (/unanswered, /stats) on its own thread and connection. It counts
        the questions answered before it, unless their writes are stuck (then it waits a bounded time)."""
        if self._pending_writes:
            await asyncio.wait(set(self._pending_writes), timeout=REPORT_WAITS_FOR_WRITES_SECONDS)
        return await asyncio.get_running_loop().run_in_executor(self._report_thread, partial(function, *args))

    def log_question(self, answer: Answer, source: Source, *, guild_id: int | None, channel_id: int | None,
                     user_id: int) -> int:
        """The id the question will have in the log, at once: the reply never waits on the database.
        The write happens afterwards; one that fails (a locked, read-only or missing database) is
        counted and warned about, and the next one tries again."""
        question_id = self.database.new_question_id()
        reply = answer.reply
        write = partial(self.database.record, reply.question, reply.outcome.value, reply.fact_id, reply.score, source,
                        guild_id=guild_id, channel_id=channel_id, user_id=user_id, question_id=question_id,
                        article_id=answer.article_id)
        task = asyncio.create_task(self._write_question(write), name="log-question")
        self._pending_writes.add(task)
        task.add_done_callback(self._pending_writes.discard)
        return question_id

    async def _write_question(self, write: Callable[[], int]) -> None:
        try:
            await self.in_db(write)
        except (DatabaseError, RuntimeError) as error:  # RuntimeError: asked after shutdown began
            self.unlogged_questions += 1
            log.warning("could not log a question (%d not logged since start): %s", self.unlogged_questions, error)

    async def on_message(self, message: discord.Message) -> None:
        """Questions are handled by the asking cog; there are no prefix commands to process."""

    async def on_ready(self) -> None:
        log.info("connected as %s (%s) to %d guild(s)", self.user, getattr(self.user, "id", "?"), len(self.guilds))

    async def reload_knowledge(self, requested_by: str, *, everywhere: bool = False, article: str | None = None) -> LibraryReload:
        """Reload the facts here (every article, or the one named) and the channels' default
        articles; with ``everywhere`` (``/reload``) every other process sharing the database reloads
        too. The version is read before the facts, so a change landing meanwhile is reloaded again
        rather than missed."""
        try:
            announce = self.database.announce_knowledge_change if everywhere else self.database.knowledge_version
            self.known_version = await asyncio.to_thread(announce)
        except DatabaseError as error:
            log.warning("reload (%s): the database is unreachable (%s); other processes are not told", requested_by, error)
        await self.read_channel_articles()
        reloaded = await asyncio.to_thread(self.store.reload, article)
        for name, result in reloaded.results.items():
            which = "" if self.store.library.one_folder else f" article {name}"
            if result.ok and result.diff is not None:
                log.info("reload (%s):%s ok\n%s", requested_by, which, result.diff.summary())
            else:
                log.warning("reload (%s):%s refused, previous facts kept:\n%s", requested_by, which,
                            "\n".join(map(str, result.problems)))
        return reloaded

    def channel_article(self, channel_id: int | None) -> str | None:
        """The channel's default article (``/article use``), if it has one."""
        return self.channel_articles.get(channel_id) if channel_id is not None else None

    async def read_channel_articles(self) -> None:
        """Re-read the channels' default articles; unreachable, the ones last read stay."""
        try:
            self.channel_articles = await asyncio.to_thread(self.database.channel_articles)
        except DatabaseError as error:
            log.warning("cannot read the channels' default articles (%s); using the %d last read",
                        error, len(self.channel_articles))

    async def follow_shared_changes(self) -> None:
        """Reload when another process (on any machine) teaches a phrasing or runs /reload. An
        unreachable database is retried with the store's backoff; answering goes on meanwhile."""
        loop = asyncio.get_running_loop()
        unreachable = False
        while not self.is_closed():
            try:
                known = self.known_version
                if known is None:
                    self.known_version = known = await loop.run_in_executor(self._follow_thread, self.database.knowledge_version)
                version = await loop.run_in_executor(
                    self._follow_thread, self.database.wait_for_knowledge_change, known, FOLLOW_WAIT_SECONDS)
            except DatabaseError as error:
                if not unreachable:
                    log.warning("cannot follow changes made by other processes: %s", error)
                unreachable = True
                await asyncio.sleep(FOLLOW_WAIT_SECONDS)
                continue
            except RuntimeError:  # the thread pool is shut down: closing
                return
            if unreachable:
                log.info("following changes made by other processes again")
                unreachable = False
            if version != self.known_version:
                await self.reload_knowledge(f"knowledge version {version}, changed by another process")

    def _reload_on_signal(self) -> None:
        self._keep_until_done(asyncio.create_task(self.reload_knowledge("SIGHUP")))

    def _close_on_signal(self) -> None:
        log.info("SIGTERM: shutting down")
        self._keep_until_done(asyncio.create_task(self.close()))

    def _keep_until_done(self, task: asyncio.Task[Any]) -> None:
        self._signal_tasks.add(task)  # the loop keeps only a weak reference to tasks
        task.add_done_callback(self._signal_tasks.discard)

    async def watch_knowledge(self) -> None:
        directory: Path = self.store.directory
        debounce_ms = int(self.settings.watch_debounce_seconds * 1000)
        log.info("watching %s for changes", directory)
        async for changes in watchfiles.awatch(directory, debounce=debounce_ms, watch_filter=self._is_knowledge_file):
            names = sorted({Path(path).name for _, path in changes})
            await self.reload_knowledge(f"file change: {', '.join(names)}")

    @staticmethod
    def _is_knowledge_file(change: watchfiles.Change, path: str) -> bool:
        return path.endswith(KNOWLEDGE_SUFFIXES)

    def is_healthy(self) -> bool:
        """Connected to the gateway, every shard open, and each one's last heartbeat acknowledged."""
        shards = list(self.shards.values())
        return (self.is_ready() and not self.is_closed() and bool(shards)
                and all(not shard.is_closed() and math.isfinite(shard.latency) for shard in shards))

    async def keep_health_file(self) -> None:
        """Touch the health file while healthy, for a supervisor (`factbot health`, Docker's HEALTHCHECK)."""
        path = self.settings.health_file
        while not self.is_closed():
            if self.is_healthy():
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.touch()
                except OSError as error:
                    log.warning("cannot touch the health file %s: %s", path, error)
            await asyncio.sleep(self.settings.health_interval_seconds)

    async def close(self) -> None:
        for task in (self._watch_task, self._health_task, self._follow_task):
            if task is not None:
                task.cancel()
        await super().close()
        if self._pending_writes:  # questions answered just before shutdown are still logged
            await asyncio.wait(self._pending_writes, timeout=LOG_DRAIN_SECONDS)
        # Off the event loop: a write stuck on a lock must not freeze the shutdown of everything else.
        # A wait for other processes' changes ends by itself when the database closes.
        self._follow_thread.shutdown(wait=False, cancel_futures=True)
        for executor in (self._database_thread, self._report_thread):
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Every slash-command failure ends here: the user gets a short private message."""
        if isinstance(error, NotModerator):
            log.info("refused %s for user %s: not a moderator", interaction.command and interaction.command.name, interaction.user.id)
            text = str(error)
        elif isinstance(error, ArticleNotChosen):
            text = str(error)
        elif isinstance(error, app_commands.CommandInvokeError) and isinstance(error.original, UnknownArticle):
            text = escape_user_text(str(error.original), MESSAGE_LIMIT)  # it names the article as typed
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = "That command only works in a server."
        elif isinstance(error, app_commands.CheckFailure):
            text = "You can't use that command here."
        elif isinstance(error, app_commands.CommandInvokeError) and isinstance(error.original, DatabaseError):
            log.warning("command %s: %s", interaction.command and interaction.command.name, error.original)
            text = "The database can't be reached just now; please try again in a moment."
        else:
            log.error("command %s failed", interaction.command and interaction.command.name, exc_info=error)
            text = "Something went wrong on my side; it has been logged. Please try again."
        await self.send_private_notice(interaction, text)

    async def send_private_notice(self, interaction: discord.Interaction, text: str) -> None:
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException as error:  # expired token, Discord outage: nothing more to do
            log.warning("could not tell user %s about an error: %s", interaction.user.id, error)
