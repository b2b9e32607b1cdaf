"""Interactive components: "Did you mean…" buttons and topic pages."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

import discord

from bot.answers import Alternative
from bot.database import DatabaseError
from bot.discord_bot.embeds import BUTTON_LABEL_LIMIT, reply_embed, shorten
from bot.store import KnowledgeStore

log = logging.getLogger(__name__)

VIEW_TIMEOUT_SECONDS = 180.0


class DidYouMeanView(discord.ui.View):
    """One button per candidate fact. The asker's press replaces the question with the answer;
    anyone else pressing gets the answer privately, so one person cannot rewrite another's reply."""

    def __init__(self, store: KnowledgeStore, article: str, question: str, asker_id: int,
                 alternatives: tuple[Alternative, ...], question_id: int) -> None:
        super().__init__(timeout=VIEW_TIMEOUT_SECONDS)
        self.store = store
        self.article = article
        self.question = question
        self.asker_id = asker_id
        self.question_id = question_id
        self.message_editor: Callable[..., Awaitable[object]] | None = None
        for alternative in alternatives:
            button = discord.ui.Button(label=shorten(alternative.question, BUTTON_LABEL_LIMIT), style=discord.ButtonStyle.primary)
            button.callback = self._answer_callback(alternative.fact_id)
            self.add_item(button)

    def _answer_callback(self, fact_id: str) -> Callable[[discord.Interaction], Awaitable[None]]:
        async def show_answer(interaction: discord.Interaction) -> None:
            library = self.store.library
            bot = library.articles.get(self.article)
            if bot is None or fact_id not in bot.knowledge.facts:  # removed by a reload since the question was asked
                await interaction.response.send_message("That fact has been removed since; please ask again.", ephemeral=True)
                return
            embed = reply_embed(bot.answer_with(fact_id, self.question), bot.knowledge, named=library.several)
            if interaction.user.id == self.asker_id:
                self.stop()
                votes = vote_view(self.question_id)
                await interaction.response.edit_message(embed=embed, view=votes)
            else:
                await interaction.response.send_message(embed=embed, ephemeral=True)

        return show_answer

    async def on_timeout(self) -> None:
        if self.message_editor is None:
            return
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        try:
            await self.message_editor(view=self)
        except discord.HTTPException as error:  # the message may be gone or the token expired
            log.info("could not disable expired buttons: %s", error)


class PagesView(discord.ui.View):
    """Previous / next buttons over a list of embeds (sent privately, so only the asker sees them)."""

    def __init__(self, pages: list[discord.Embed]) -> None:
        super().__init__(timeout=VIEW_TIMEOUT_SECONDS)
        self.pages = pages
        self.index = 0
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous_page.disabled = self.index == 0
        self.next_page.disabled = self.index == len(self.pages) - 1

    async def _show(self, interaction: discord.Interaction, step: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous_page(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, +1)


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=r"factbot:vote:(?P<question_id>[0-9]+):(?P<value>up|down)"):
    """👍 / 👎 under an answer. The custom id carries the logged question's id, so votes keep
    working for old answers after a restart."""

    VALUES = {"up": (1, "👍"), "down": (-1, "👎")}

    def __init__(self, question_id: int, value: str) -> None:
        self.question_id = question_id
        self.value = value
        super().__init__(discord.ui.Button(
            emoji=self.VALUES[value][1], style=discord.ButtonStyle.secondary,
            custom_id=f"factbot:vote:{question_id}:{value}",
        ))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]) -> VoteButton:
        return cls(int(match["question_id"]), match["value"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        vote, emoji = self.VALUES[self.value]
        try:
            recorded = await client.in_db(client.database.vote, self.question_id, interaction.user.id, vote)  # type: ignore[attr-defined]
        except DatabaseError as error:
            log.warning("could not record a vote: %s", error)
            await interaction.response.send_message("Sorry, I couldn't record that vote just now.", ephemeral=True)
            return
        text = f"Thanks, your {emoji} is recorded." if recorded else "That answer can't take votes: it is too old, or it could not be logged."
        await interaction.response.send_message(text, ephemeral=True)


def vote_view(question_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(question_id, "up"))
    view.add_item(VoteButton(question_id, "down"))
    return view


class ConfirmView(discord.ui.View):
    """Yes / cancel, for the person who asked only."""

    def __init__(self, owner_id: int, confirm_label: str, on_confirm: Callable[[discord.Interaction], Awaitable[None]]) -> None:
        super().__init__(timeout=VIEW_TIMEOUT_SECONDS)
        self.owner_id = owner_id
        self.on_confirm = on_confirm
        self.confirm.label = shorten(confirm_label, BUTTON_LABEL_LIMIT)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("Only the moderator who asked can answer this.", ephemeral=True)
            return False
        return True

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(view=None)
        await self.on_confirm(interaction)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content="Cancelled; nothing changed.", view=None)
