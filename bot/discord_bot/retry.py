"""Sending a reply through Discord's brief outages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import discord

log = logging.getLogger(__name__)
T = TypeVar("T")

# discord.py retries 500, 502 and 504 itself, but not 503 (Service Unavailable), which Discord sends
# when it is briefly overloaded: one more try after a short pause, then the error stands.
RETRY_503_AFTER_SECONDS = 0.5


async def once_more_after_503(send: Callable[[], Awaitable[T]]) -> T:
    try:
        return await send()
    except discord.DiscordServerError as error:
        if error.status != 503:
            raise
        log.info("Discord answered 503; trying once more in %.1f s", RETRY_503_AFTER_SECONDS)
        await asyncio.sleep(RETRY_503_AFTER_SECONDS)
        return await send()
