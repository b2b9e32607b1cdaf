"""Which article a slash command is about: the ``article`` option's autocomplete, and the option
resolved with the channel's default article (``/article use``) through ``Library.chosen``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_bot.embeds import AUTOCOMPLETE_CHOICES, CHOICE_LIMIT
from bot.library import Library

if TYPE_CHECKING:
    from bot.discord_bot.client import FactBotClient

ARTICLE_OPTION = "Which article (default: this channel's, or the only one)"


class ArticleNotChosen(app_commands.AppCommandError):
    """A command about one article, used with several loaded and none named or set for the channel."""


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
    loaded and none is chosen. An unknown name raises ``UnknownArticle`` (told to the user privately)."""
    return library.chosen(article, client.channel_article(channel_id))


def one_article(client: FactBotClient, library: Library, article: str | None, channel_id: int | None) -> str:
    """The article a command about one article works on; ``ArticleNotChosen`` when it cannot tell."""
    chosen = chosen_article(client, library, article, channel_id)
    if chosen is None:
        raise ArticleNotChosen(f"Several articles are loaded; name one with article: ({', '.join(library.articles)}).")
    return chosen
