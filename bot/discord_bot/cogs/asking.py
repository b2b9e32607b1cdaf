"""Asking questions: /ask (with autocomplete), /topics, /source, mentions and DMs."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.database import Source
from bot.discord_bot.articles import ARTICLE_OPTION, article_autocomplete, chosen_article
from bot.discord_bot.embeds import (
    AUTOCOMPLETE_CHOICES,
    CHOICE_LIMIT,
    EMBEDS_PER_MESSAGE,
    reply_embed,
    source_embed,
    topics_pages,
)
from bot.discord_bot.retry import once_more_after_503
from bot.discord_bot.views import DidYouMeanView, PagesView, vote_view
from bot.knowledge import Knowledge
from bot.matcher import Outcome

if TYPE_CHECKING:
    from bot.discord_bot.client import FactBotClient

log = logging.getLogger(__name__)

TOPICS_PER_PAGE = 6
HELP_TEXT = "Ask me about the article, e.g. `@factbot who won silver?` or `/ask`. `/topics` lists what I know."


def slow_down_text(retry_after: float) -> str:
    return f"Slow down a little: try again in {max(1, round(retry_after))} s."


class Asking(commands.Cog):
    def __init__(self, bot: FactBotClient) -> None:
        self.bot = bot

    async def _answer(self, question: str, source: Source, asker_id: int, guild_id: int | None,
                      channel_id: int | None, article: str | None = None) -> tuple[discord.Embed, discord.ui.View | None]:
        """The reply to show, and its buttons: votes under an answer, choices for an ambiguous question.
        The article: the one named, else the channel's default, else the one the question clearly fits."""
        library = self.bot.store.library
        answer = library.ask(question, article, self.bot.channel_article(channel_id))
        reply = answer.reply
        log.info("question outcome=%s fact=%s score=%.1f article=%s", reply.outcome.value,
                 reply.fact.id if reply.fact else None, reply.score, answer.article_id)
        question_id = self.bot.log_question(answer, source, guild_id=guild_id, channel_id=channel_id, user_id=asker_id)
        view: discord.ui.View | None = None
        if reply.outcome is Outcome.AMBIGUOUS and answer.article_id is not None:
            view = DidYouMeanView(self.bot.store, answer.article_id, question, asker_id, reply.alternatives, question_id)
        elif reply.outcome is Outcome.ANSWERED:
            view = vote_view(question_id)
        knowledge = library.articles[answer.article_id].knowledge if answer.article_id else None
        return reply_embed(reply, knowledge, named=answer.named), view

    @app_commands.command(name="ask", description="Ask a question about the article")
    @app_commands.describe(question="Your question, e.g. who won silver?", article=ARTICLE_OPTION)
    @app_commands.autocomplete(article=article_autocomplete)
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 1000],
                  article: str | None = None) -> None:
        retry_after = self.bot.cooldowns.retry_after(interaction.user.id)
        if retry_after:
            await interaction.response.send_message(slow_down_text(retry_after), ephemeral=True)
            return
        embed, view = await self._answer(question, Source.SLASH, interaction.user.id, interaction.guild_id,
                                         interaction.channel_id, article)
        await once_more_after_503(lambda: interaction.response.send_message(embed=embed, **({"view": view} if view else {})))
        if isinstance(view, DidYouMeanView):
            view.message_editor = interaction.edit_original_response

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        library = self.bot.store.library
        typed_article = getattr(interaction.namespace, "article", None)
        article = typed_article if typed_article in library.articles else None  # half typed: not yet chosen
        suggestions = library.suggest_questions(current, AUTOCOMPLETE_CHOICES, article,
                                                self.bot.channel_article(interaction.channel_id))
        return [app_commands.Choice(name=q[:CHOICE_LIMIT], value=q[:CHOICE_LIMIT]) for q in suggestions]

    def _articles_for(self, interaction: discord.Interaction, article: str | None) -> list[Knowledge]:
        """The chosen article's fact base, or every article's when several are loaded and none is chosen."""
        library = self.bot.store.library
        chosen = chosen_article(self.bot, library, article, interaction.channel_id)
        return [bot.knowledge for name, bot in library.articles.items() if chosen is None or name == chosen]

    @app_commands.command(name="topics", description="What the bot can answer, by topic")
    @app_commands.describe(article=ARTICLE_OPTION)
    @app_commands.autocomplete(article=article_autocomplete)
    async def topics(self, interaction: discord.Interaction, article: str | None = None) -> None:
        pages = topics_pages(self._articles_for(interaction, article), TOPICS_PER_PAGE)
        if len(pages) == 1:
            await interaction.response.send_message(embed=pages[0], ephemeral=True)
        else:
            await interaction.response.send_message(embed=pages[0], view=PagesView(pages), ephemeral=True)

    @app_commands.command(name="source", description="Which article the answers come from, and how they are cited")
    @app_commands.describe(article=ARTICLE_OPTION)
    @app_commands.autocomplete(article=article_autocomplete)
    async def source(self, interaction: discord.Interaction, article: str | None = None) -> None:
        embeds = [source_embed(knowledge) for knowledge in self._articles_for(interaction, article)]
        await interaction.response.send_message(embeds=embeds[:EMBEDS_PER_MESSAGE], ephemeral=True)

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None if it is not addressed to the bot."""
        me = self.bot.user
        if me is None or message.author.bot:
            return None
        if message.guild is None:
            return message.content
        # People mention the bot's own role as often as the bot itself (both show as "@factbot").
        own_role = message.guild.self_role
        if me in message.mentions:
            return re.sub(rf"<@!?{me.id}>", " ", message.content)
        if own_role is not None and own_role in message.role_mentions:
            return message.content.replace(own_role.mention, " ")
        return None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        try:
            await self._reply_to_message(message, question)
        except discord.HTTPException as error:
            log.warning("could not reply in channel %s: %s", message.channel.id, error)

    async def _reply_to_message(self, message: discord.Message, question: str) -> None:
        retry_after = self.bot.cooldowns.retry_after(message.author.id)
        if retry_after:
            if self.bot.cooldowns.first_notice(message.author.id, retry_after):
                await message.reply(slow_down_text(retry_after), mention_author=False)
            return
        if not question.strip():
            await message.reply(HELP_TEXT, mention_author=False)
            return
        source = Source.DM if message.guild is None else Source.MENTION
        guild_id = message.guild.id if message.guild else None
        embed, view = await self._answer(question, source, message.author.id, guild_id, message.channel.id)
        sent = await once_more_after_503(
            lambda: message.reply(embed=embed, mention_author=False, **({"view": view} if view else {}))
        )
        if isinstance(view, DidYouMeanView):
            view.message_editor = sent.edit


async def setup(bot: FactBotClient) -> None:
    await bot.add_cog(Asking(bot))
