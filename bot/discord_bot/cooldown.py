"""Per-user question rate limit, shared by /ask, mentions and DMs."""

from __future__ import annotations

from discord import app_commands

MAX_TRACKED_USERS = 10_000


class UserCooldowns:
    """At most ``rate`` questions per ``per`` seconds for each user."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def retry_after(self, user_id: int) -> float | None:
        """Count one question; the seconds to wait if it is over the limit, else None."""
        if len(self._buckets) >= MAX_TRACKED_USERS:
            self._forget_idle_users()
        bucket = self._buckets.setdefault(user_id, app_commands.Cooldown(self.rate, self.per))
        return bucket.update_rate_limit()

    def _forget_idle_users(self) -> None:
        self._buckets = {user: bucket for user, bucket in self._buckets.items() if bucket.get_tokens() < self.rate}
