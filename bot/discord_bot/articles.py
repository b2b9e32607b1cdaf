"""Which article a slash command is about: the ``article`` option's autocomplete, and the option
resolved with the channel's default article (``/article use``) through ``Library.chosen``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_bot.embeds import AUTOCOMPLETE_CHOICES, CHOICE_LIMIT
from bot.library import Library, UnknownArticle

if TYPE_CHECKING:
    from bot.discord_bot.client import FactBotClient

ARTICLE_OPTION = "Which article (default: this channel's, or the only one)"


class NoSuchArticle(app_commands.AppCommandError):
    """An ``article`` option naming no loaded article; its message lists the ones that are."""


async def article_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Article ids whose id or title contains what has been typed."""
    client: FactBotClient = interaction.client  # type: ignore[assignment]
    typed = current.casefold().strip()
    matching = [(article, bot.knowledge.meta.title) for article, bot in client.store.library.articles.items()
                if typed in article or typed in bot.knowledge.meta.title.casefold()]
    return [app_commands.Choice(name=f"{article} — {title}"[:CHOICE_LIMIT], value=article)
            for article, title in matching[:AUTOCOMPLETE_CHOICES]]


def chosen_article(client: FactBotClient, library: Library, article: str | None, channel_id: int | None) -> str | None:
    """The article named, else the channel's default, else the only one; None when several are
    loaded and none is chosen. An unknown name raises ``NoSuchArticle`` (told to the user privately)."""
    try:
        return library.chosen(article, client.channel_articles.get(channel_id) if channel_id else None)
    except UnknownArticle as error:
        raise NoSuchArticle(str(error)) from None
