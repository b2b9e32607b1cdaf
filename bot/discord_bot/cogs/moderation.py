"""Moderating the fact base: /reload (SIGHUP and --watch reload through the same client method)
and each channel's default article (/article use, /article clear)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_bot.articles import article_autocomplete
from bot.discord_bot.checks import moderator_command, moderator_only
from bot.discord_bot.embeds import EMBED_DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT, EMBEDS_PER_MESSAGE, shorten
from bot.store import LibraryReload, ReloadResult

if TYPE_CHECKING:
    from bot.discord_bot.client import FactBotClient


def reload_embed(result: ReloadResult, article: str | None = None) -> discord.Embed:
    """One article's reload; ``article`` names it when the knowledge folder holds several."""
    named = f"{article}: " if article else ""
    if result.ok and result.diff is not None:
        title = "Facts reloaded" if not result.diff.is_empty else "Facts reloaded: nothing changed"
        return discord.Embed(title=shorten(named + title, EMBED_TITLE_LIMIT), colour=discord.Colour.green(),
                             description=f"```\n{shorten(result.diff.summary(), EMBED_DESCRIPTION_LIMIT - 8)}\n```")
    # A code block shows file names and ids exactly as written; only a fence inside could break it.
    problems = "\n".join(f"- {problem}" for problem in result.problems).replace("`", "'")
    return discord.Embed(
        title=shorten(f"{named}Reload refused: {len(result.problems)} problem(s). The previous facts are still being served.",
                      EMBED_TITLE_LIMIT),
        colour=discord.Colour.red(),
        description=f"```\n{shorten(problems, EMBED_DESCRIPTION_LIMIT - 8)}\n```",
    )


def reload_embeds(reloaded: LibraryReload, *, one_folder: bool) -> list[discord.Embed]:
    if one_folder:  # the knowledge folder is the one article: the reply reads as it always has
        return [reload_embed(result) for result in reloaded.results.values()]
    return [reload_embed(result, article) for article, result in reloaded.results.items()]


class Moderation(commands.Cog):
    def __init__(self, bot: FactBotClient) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description="Re-read and validate the knowledge, then swap it in (in every process)")
    @app_commands.describe(article="Only this article (default: every article)")
    @app_commands.autocomplete(article=article_autocomplete)
    @moderator_command
    async def reload(self, interaction: discord.Interaction, article: str | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        reloaded = await self.bot.reload_knowledge(
            f"/reload by user {interaction.user.id} in guild {interaction.guild_id}", everywhere=True, article=article)
        embeds = reload_embeds(reloaded, one_folder=self.bot.store.library.one_folder)
        for start in range(0, len(embeds), EMBEDS_PER_MESSAGE):
            await interaction.followup.send(embeds=embeds[start : start + EMBEDS_PER_MESSAGE], ephemeral=True)

    # Subcommands inherit the group's visibility and server-only rule; each checks the moderator itself.
    article = app_commands.Group(name="article", description="This channel's default article",
                                 guild_only=True, default_permissions=discord.Permissions(manage_guild=True))

    @article.command(name="use", description="Answer questions in this channel from this article unless another is named")
    @app_commands.describe(article="The article")
    @app_commands.autocomplete(article=article_autocomplete)
    @moderator_only()
    async def use_article(self, interaction: discord.Interaction, article: str) -> None:
        title = self.bot.store.library.article(article).knowledge.meta.title  # an unknown one is refused here
        await self._set_default(interaction, article)
        await interaction.followup.send(f"Questions in this channel now go to “{title}” ({article}) "
                                        "unless another article is named.", ephemeral=True)

    @article.command(name="clear", description="Questions in this channel go to the article they clearly fit again")
    @moderator_only()
    async def clear_article(self, interaction: discord.Interaction) -> None:
        await self._set_default(interaction, None)
        await interaction.followup.send("This channel has no default article now.", ephemeral=True)

    async def _set_default(self, interaction: discord.Interaction, article: str | None) -> None:
        """Stored, announced to every process, and read back here at once."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        assert interaction.channel_id is not None  # guild_only: always in a channel
        await asyncio.to_thread(self.bot.database.set_channel_article, interaction.channel_id, article)
        await self.bot.read_channel_articles()


async def setup(bot: FactBotClient) -> None:
    await bot.add_cog(Moderation(bot))
