"""Who may do what. Checked at run time on every use: Discord's command visibility
(``default_permissions``) can be changed by server admins, so it is a hint, not a guard."""

from __future__ import annotations

from typing import TypeVar

import discord
from discord import app_commands

from bot.settings import Settings

T = TypeVar("T")


class NotModerator(app_commands.CheckFailure):
    """Raised for a moderator command used by someone who is not a moderator."""


def is_moderator(interaction: discord.Interaction, settings: Settings) -> bool:
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        return False
    if interaction.permissions.manage_guild:
        return True
    allowed = set(settings.moderator_role_ids)
    return any(role.id in allowed for role in interaction.user.roles)


def moderator_only():
    """App command check: Manage Server permission or a role listed in MODERATOR_ROLE_IDS."""

    async def predicate(interaction: discord.Interaction) -> bool:
        settings: Settings = interaction.client.settings  # type: ignore[attr-defined]
        if not is_moderator(interaction, settings):
            raise NotModerator("Only moderators (Manage Server or a moderator role) can do that.")
        return True

    return app_commands.check(predicate)


def moderator_command(function: T) -> T:
    """For a moderator command: hidden from others by default, servers only, checked on every use."""
    function = moderator_only()(function)
    function = app_commands.guild_only()(function)
    return app_commands.default_permissions(manage_guild=True)(function)
