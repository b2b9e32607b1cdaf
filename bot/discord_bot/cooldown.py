"""Per-user question rate limit, shared by /ask, mentions and DMs."""

from __future__ import annotations

import time

from discord import app_commands

MAX_TRACKED_USERS = 10_000


class UserCooldowns:
    """At most ``rate`` questions per ``per`` seconds for each user."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._buckets: dict[int, app_commands.Cooldown] = {}
        # When each user's current "slow down" notice stops covering them (monotonic seconds).
        self._noticed_until: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float | None:
        """Count one question; the seconds to wait if it is over the limit, else None."""
        if len(self._buckets) >= MAX_TRACKED_USERS:
            self._forget_idle_users()
        bucket = self._buckets.setdefault(user_id, app_commands.Cooldown(self.rate, self.per))
        return bucket.update_rate_limit()

    def first_notice(self, user_id: int, retry_after: float) -> bool:
        """Whether an over-limit user should be told to slow down now: once per wait, so that spam
        in a channel does not double the bot's own traffic with public notices."""
        now = time.monotonic()
        if self._noticed_until.get(user_id, 0.0) > now:
            return False
        self._noticed_until[user_id] = now + retry_after
        return True

    def _forget_idle_users(self) -> None:
        self._buckets = {user: bucket for user, bucket in self._buckets.items() if bucket.get_tokens() < self.rate}
        now = time.monotonic()
        self._noticed_until = {user: until for user, until in self._noticed_until.items() if until > now}
