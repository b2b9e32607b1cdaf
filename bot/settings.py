"""All configuration, read once from the environment and ``.env`` (see ``.env.example``)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from bot.database import URL_PREFIXES, sqlite_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _in_a_checkout() -> bool:
    return (PROJECT_ROOT / "knowledge").is_dir()


def _default_data_dir() -> Path:
    """``data/`` in a checkout; installed elsewhere, the platform's user data folder
    (~/.local/share/factbot on Linux), never the current folder or site-packages."""
    if _in_a_checkout():
        return PROJECT_ROOT / "data"
    from platformdirs import user_data_path

    return user_data_path("factbot", appauthor=False)
IdList = list[int]


def describe_settings_error(error: ValidationError) -> str:
    """Which settings are wrong and why, one per line, never echoing a value: whatever was typed
    into a setting (a token pasted into the wrong one) stays out of the terminal and the logs."""
    lines = []
    for problem in error.errors(include_input=False, include_url=False):
        name = ".".join(str(part) for part in problem["loc"]).upper() or "settings"
        lines.append(f"  {name}: {problem['msg']}")
    return "\n".join(lines)


def environment_values(names: Iterable[str], env_file: Path | str | None) -> dict[str, str]:
    """The settings named ``names`` as the environment and ``env_file`` give them: a variable's name
    is the setting's in any case, the environment wins over the file, and an empty value is unset.
    Hand-written rather than pydantic-settings, whose import alone took a fifth of `factbot ask`."""
    wanted = {name.upper(): name for name in names}
    found: dict[str, str | None] = {}
    if env_file is not None and Path(env_file).is_file():
        from dotenv import dotenv_values

        found.update((key.upper(), value) for key, value in dotenv_values(env_file, encoding="utf-8").items())
    found.update((key.upper(), value) for key, value in os.environ.items())
    return {wanted[key]: value for key, value in found.items() if key in wanted and value}


class MatchSettings(BaseModel):
    """How sure the matcher must be before it answers. Scores run from 0 to 100.

    ``MatchSettings(**values)`` reads the environment and ``.env`` (``_env_file``, None for none)
    for every setting not in ``values``."""

    model_config = ConfigDict(extra="ignore")

    def __init__(self, _env_file: Path | str | None = ".env", **values: Any) -> None:
        super().__init__(**{**environment_values(type(self).model_fields, _env_file), **values})

    answer_threshold: float = Field(65.0, ge=0, le=100, description="Below this best score: not in the article.")
    clear_lead_threshold: float = Field(
        55.0, ge=0, le=100, description="Down to this score a fact answers when it clearly leads every other candidate."
    )
    ambiguity_margin: float = Field(2.0, ge=0, le=100, description="Runner-up this close to the best: ambiguous.")
    article_margin: float = Field(
        10.0, ge=0, le=100,
        description="With several articles and none chosen, the best article's score must lead the next one's by this much.")
    typo_max_edits: int = Field(2, ge=1, le=3, description="Most edits between a misspelt word (6+ letters) and a known one.")
    suggestion_count: int = Field(3, ge=0, le=10, description="Closest topics offered when the article doesn't say.")
    max_question_chars: int = Field(500, ge=10, le=4000, description="Longer questions are refused with a message.")


class Settings(MatchSettings):
    """Everything the bot and the command line read from the environment."""

    knowledge_dir: Path = Field(
        Path(), description="One article's folder, or a folder of articles; default the checkout's, or DATA_DIR/knowledge.")
    log_level: str = "INFO"

    discord_token: SecretStr | None = None
    guild_ids: IdList = []
    moderator_role_ids: IdList = []
    cooldown_rate: int = Field(5, ge=1, description="Questions a user may ask per cooldown period.")
    cooldown_seconds: float = Field(30.0, gt=0, description="Length of the cooldown period.")
    watch_debounce_seconds: float = Field(1.0, ge=0)
    shard_count: int | None = Field(None, ge=1)
    shard_ids: IdList = []
    data_dir: Path = Field(default_factory=_default_data_dir, description="Where the log and the health file live.")
    database_path: Path = Field(Path(), description="The SQLite file used when DATABASE_URL is unset; default DATA_DIR/factbot.sqlite3.")
    database_url: SecretStr = Field(
        SecretStr(""), description="sqlite:///PATH or postgresql://user:password@host:port/db; default sqlite:///DATABASE_PATH."
    )
    knowledge_cache: bool = Field(
        True, description="Keep each article's validated fact base and index in KNOWLEDGE_CACHE_DIR: starts in milliseconds.")
    knowledge_cache_dir: Path = Field(Path(), description="Where the compiled knowledge is kept; default DATA_DIR/cache.")
    health_file: Path = Field(
        Path(), description="Touched while the gateway is connected and heartbeats acknowledged; default DATA_DIR/healthy."
    )
    health_interval_seconds: float = Field(20.0, gt=0, description="How often the health file is touched.")
    health_max_age_seconds: float = Field(90.0, gt=0, description="`factbot health` fails on an older file.")
    retention_days: int = Field(90, ge=1, description="Logged questions older than this are deleted.")
    hash_user_ids: bool = Field(False, description="Store a salted hash of askers' ids, for per-user counts.")
    connect_timeout_seconds: float = Field(30.0, gt=0, description="How long one attempt to reach Discord may take.")
    connect_attempts: int = Field(3, ge=1, le=20, description="Attempts to reach Discord before giving up.")
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None

    @field_validator("guild_ids", "moderator_role_ids", "shard_ids", mode="before")
    @classmethod
    def split_comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            if not all(part.isascii() and part.isdigit() for part in parts):
                raise ValueError("must be numeric Discord ids separated by commas")  # the value is not echoed
            return [int(part) for part in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("discord_token", mode="before")
    @classmethod
    def blank_token_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def known_database(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        if url and not url.startswith(URL_PREFIXES):
            raise ValueError("must start with sqlite:/// or postgresql://")  # the value is not echoed
        return value

    @field_validator("log_level")
    @classmethod
    def known_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @model_validator(mode="after")
    def paths_default_to_the_data_dir(self) -> Settings:
        # An unset path is Path() (env_ignore_empty drops empty values): fill it from DATA_DIR.
        if self.knowledge_dir == Path():
            self.knowledge_dir = PROJECT_ROOT / "knowledge" if _in_a_checkout() else self.data_dir / "knowledge"
        if self.database_path == Path():
            self.database_path = self.data_dir / "factbot.sqlite3"
        if self.knowledge_cache_dir == Path():
            self.knowledge_cache_dir = self.data_dir / "cache"
        if self.health_file == Path():
            self.health_file = self.data_dir / "healthy"
        if not self.database_url.get_secret_value():
            self.database_url = SecretStr(sqlite_url(self.database_path))
        return self

    @model_validator(mode="after")
    def shards_fit_count(self) -> Settings:
        if self.shard_ids and self.shard_count is None:
            raise ValueError("SHARD_IDS needs SHARD_COUNT")
        if self.shard_count is not None and any(shard >= self.shard_count for shard in self.shard_ids):
            raise ValueError(f"every SHARD_IDS entry must be below SHARD_COUNT ({self.shard_count})")
        return self
