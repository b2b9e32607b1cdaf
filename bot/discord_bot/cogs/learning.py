"""Learning from misses: /unanswered, /teach and /stats for moderators, and the log's upkeep."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks
from rapidfuzz import fuzz, process

from bot.charts import stats_chart_png
from bot.database import DatabaseError
from bot.discord_bot.articles import ARTICLE_OPTION, article_autocomplete, one_article
from bot.discord_bot.checks import moderator_command
from bot.discord_bot.embeds import (
    AUTOCOMPLETE_CHOICES,
    CHOICE_LIMIT,
    MESSAGE_LIMIT,
    escape_user_text,
    reply_embed,
    stats_embed,
    unanswered_pages,
)
from bot.discord_bot.views import ConfirmView, PagesView
from bot.library import find_articles, learned_key
from bot.teaching import TeachResult, TeachStatus, teach

if TYPE_CHECKING:
    from bot.discord_bot.client import FactBotClient

log = logging.getLogger(__name__)

ROWS_PER_PAGE = 10
# Reports cover every article unless one is named: old questions have no article recorded.
REPORT_ARTICLE_OPTION = "Only the questions this article answered or missed (default: every article)"


class Learning(commands.Cog):
    def __init__(self, bot: FactBotClient) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.prune_old_questions.start()

    async def cog_unload(self) -> None:
        self.prune_old_questions.cancel()

    @tasks.loop(hours=24)
    async def prune_old_questions(self) -> None:
        try:
            deleted = await self.bot.in_db(self.bot.database.prune)
        except DatabaseError as error:
            log.warning("could not prune old questions (trying again tomorrow): %s", error)
            return
        log.info("pruned %d logged question(s) older than %d days", deleted, self.bot.settings.retention_days)

    @app_commands.command(name="unanswered", description="Questions the bot could not answer, most asked first")
    @app_commands.describe(days="How many days back to look (default 7)", article=REPORT_ARTICLE_OPTION)
    @app_commands.autocomplete(article=article_autocomplete)
    @moderator_command
    async def unanswered(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 365] = 7,
                         article: str | None = None) -> None:
        library = self.bot.store.library
        chosen = library.chosen(article)  # not the channel's default: reports cover every article unless told
        await interaction.response.defer(ephemeral=True, thinking=True)
        # Grouping needs one article's words; over every article, any article's will do.
        same_question_key = library.articles[chosen or next(iter(library.articles))].matcher.same_question_key
        groups = await self.bot.in_reports(self.bot.database.unanswered, days, same_question_key, article)
        pages = unanswered_pages(groups, days, ROWS_PER_PAGE)
        if len(pages) == 1:
            await interaction.followup.send(embed=pages[0], ephemeral=True)
        else:
            await interaction.followup.send(embed=pages[0], view=PagesView(pages), ephemeral=True)

    @app_commands.command(name="teach", description="Teach the bot that a question asks about a fact")
    @app_commands.describe(question="The question as people ask it", fact="The fact that answers it", article=ARTICLE_OPTION)
    @app_commands.autocomplete(article=article_autocomplete)
    @moderator_command
    async def teach(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 300], fact: str,
                    article: str | None = None) -> None:
        chosen = one_article(self.bot, self.bot.store.library, article, interaction.channel_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        folder = find_articles(self.bot.store.directory).get(chosen)
        if folder is None:  # its folder went away after it was loaded
            await interaction.followup.send(f"The article {chosen} is gone from the knowledge folder.", ephemeral=True)
            return
        stored_as = learned_key(self.bot.store.library.one_folder, chosen)
        result = await asyncio.to_thread(teach, self.bot.database, folder, question, fact, article=stored_as)
        if result.status is TeachStatus.BELONGS_ELSEWHERE and not result.other_is_hand_written:
            async def move(confirmation: discord.Interaction) -> None:
                moved = await asyncio.to_thread(teach, self.bot.database, folder, question, fact, move=True,
                                                article=stored_as)
                await self._report(confirmation, moved, chosen)

            view = ConfirmView(interaction.user.id, f"Move it to {fact}", move)
            await interaction.followup.send(
                escape_user_text(f"{result.describe()}\nMove it to '{fact}'?", MESSAGE_LIMIT), view=view, ephemeral=True
            )
            return
        await self._report(interaction, result, chosen)

    async def _report(self, interaction: discord.Interaction, result: TeachResult, article: str) -> None:
        if result.status is not TeachStatus.TAUGHT:
            hint = "\nEdit facts.yaml to move a hand-written phrasing." if result.other_is_hand_written else ""
            await interaction.followup.send(escape_user_text(result.describe() + hint, MESSAGE_LIMIT), ephemeral=True)
            return
        await self.bot.reload_knowledge(f"/teach by user {interaction.user.id}: {result.question!r} -> {result.fact_id}")
        library = self.bot.store.library
        factbot = library.articles[article]
        now = reply_embed(factbot.ask(result.question), factbot.knowledge, named=library.several)
        await interaction.followup.send(
            escape_user_text(f"{result.describe()} This is what the bot now answers:", MESSAGE_LIMIT), embed=now, ephemeral=True
        )

    @teach.autocomplete("fact")
    async def fact_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Fact ids typed (or half typed) first, then the facts the typed words are about, in the chosen article."""
        library = self.bot.store.library
        typed_article = getattr(interaction.namespace, "article", None)
        chosen = library.chosen(typed_article if typed_article in library.articles else None,
                                self.bot.channel_article(interaction.channel_id))
        if chosen is None:
            return []
        factbot = library.articles[chosen]
        facts = factbot.knowledge.facts
        if not current.strip():
            chosen = list(facts)[:AUTOCOMPLETE_CHOICES]
        else:
            by_id = process.extract(current, list(facts), scorer=fuzz.WRatio, limit=AUTOCOMPLETE_CHOICES, score_cutoff=60)
            by_meaning = factbot.matcher.likely_facts(current, AUTOCOMPLETE_CHOICES)
            chosen = list(dict.fromkeys([fact_id for fact_id, _, _ in by_id] + by_meaning))[:AUTOCOMPLETE_CHOICES]
        return [app_commands.Choice(name=f"{fact_id} — {facts[fact_id].topic}"[:CHOICE_LIMIT], value=fact_id) for fact_id in chosen]

    @app_commands.command(name="stats", description="Questions asked, answer rates, top facts and votes, with a chart")
    @app_commands.describe(days="How many days back to look (default 30)", article=REPORT_ARTICLE_OPTION)
    @app_commands.autocomplete(article=article_autocomplete)
    @moderator_command
    async def stats(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 365] = 30,
                    article: str | None = None) -> None:
        if article is not None:
            self.bot.store.library.article(article)  # an unknown one is refused before the report runs
        await interaction.response.defer(ephemeral=True, thinking=True)
        stats = await self.bot.in_reports(self.bot.database.stats, days, article)
        chart = await asyncio.to_thread(stats_chart_png, stats)
        embed = stats_embed(stats)
        embed.set_image(url="attachment://stats.png")
        await interaction.followup.send(embed=embed, file=discord.File(io.BytesIO(chart), "stats.png"), ephemeral=True)


async def setup(bot: FactBotClient) -> None:
    await bot.add_cog(Learning(bot))
