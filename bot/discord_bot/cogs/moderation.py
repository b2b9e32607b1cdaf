"""Moderating the fact base: /reload (SIGHUP and --watch reload through the same client method)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_bot.checks import moderator_command
from bot.discord_bot.embeds import EMBED_DESCRIPTION_LIMIT, shorten
from bot.store import ReloadResult

if TYPE_CHECKING:
    from bot.discord_bot.client import FactBotClient


def reload_embed(result: ReloadResult) -> discord.Embed:
    if result.ok and result.diff is not None:
        title = "Facts reloaded" if not result.diff.is_empty else "Facts reloaded: nothing changed"
        return discord.Embed(title=title, colour=discord.Colour.green(), description=f"```\n{shorten(result.diff.summary(), EMBED_DESCRIPTION_LIMIT - 8)}\n```")
    # A code block shows file names and ids exactly as written; only a fence inside could break it.
    problems = "\n".join(f"- {problem}" for problem in result.problems).replace("`", "'")
    return discord.Embed(
        title=f"Reload refused: {len(result.problems)} problem(s). The previous facts are still being served.",
        colour=discord.Colour.red(),
        description=f"```\n{shorten(problems, EMBED_DESCRIPTION_LIMIT - 8)}\n```",
    )


class Moderation(commands.Cog):
    def __init__(self, bot: FactBotClient) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description="Re-read and validate the knowledge, then swap it in (in every process)")
    @moderator_command
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.reload_knowledge(f"/reload by user {interaction.user.id} in guild {interaction.guild_id}",
                                                  everywhere=True)
        await interaction.followup.send(embed=reload_embed(result), ephemeral=True)


async def setup(bot: FactBotClient) -> None:
    await bot.add_cog(Moderation(bot))
