"""Settings parsing, and secrets never reaching logs."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from pydantic import ValidationError

from bot.logging_setup import REDACTED, RedactSecrets
from bot.settings import PROJECT_ROOT, Settings


def test_env_example_documents_every_setting():
    documented = {
        line.split("=", 1)[0].lower()
        for line in (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert documented == set(Settings.model_fields)
    Settings(_env_file=PROJECT_ROOT / ".env.example")  # and its values parse


def test_id_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("GUILD_IDS", "1, 2,3")
    monkeypatch.setenv("MODERATOR_ROLE_IDS", "42")
    settings = Settings(_env_file=None)
    assert settings.guild_ids == [1, 2, 3] and settings.moderator_role_ids == [42]


def test_empty_values_mean_unset(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "")
    monkeypatch.setenv("SHARD_COUNT", "")
    settings = Settings(_env_file=None)
    assert settings.discord_token is None and settings.shard_count is None


def test_shard_ids_must_fit_the_count():
    with pytest.raises(ValidationError, match="below SHARD_COUNT"):
        Settings(_env_file=None, shard_count=2, shard_ids=[0, 2])


def test_token_is_hidden_in_repr_and_logs(caplog):
    settings = Settings(_env_file=None, discord_token="super-secret-token")
    assert "super-secret-token" not in repr(settings)
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactSecrets(["super-secret-token"]))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("Authorization: Bot %s", "super-secret-token")
        try:
            raise RuntimeError("login failed for super-secret-token")
        except RuntimeError:
            logger.exception("boom")
    text = caplog.text
    assert "super-secret-token" not in text
    assert text.count(REDACTED) >= 2


def test_run_without_token_points_at_env_example_and_chat(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, text=True, timeout=60,
        cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "DISCORD_TOKEN": ""},
    )
    assert result.returncode == 2
    assert ".env.example" in result.stderr and "factbot chat" in result.stderr


def test_an_installed_factbot_keeps_its_data_in_the_user_data_folder(monkeypatch, tmp_path):
    """Not a checkout (a plain pip install): never the current folder, never site-packages."""
    import bot.settings

    monkeypatch.setattr(bot.settings, "_in_a_checkout", lambda: False)
    monkeypatch.delenv("DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None)
    assert settings.data_dir == tmp_path / "xdg" / "factbot"
    assert settings.database_path == settings.data_dir / "factbot.sqlite3"
    assert settings.health_file == settings.data_dir / "healthy"
    assert settings.knowledge_dir == settings.data_dir / "knowledge", "taught phrasings never land in the current folder"
    assert Settings(_env_file=None, data_dir=tmp_path / "d").database_path == tmp_path / "d" / "factbot.sqlite3"


def test_a_settings_error_names_the_setting_and_never_echoes_a_value(monkeypatch, capsys, tmp_path):
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.secret-token-value")
    monkeypatch.setenv("GUILD_IDS", "MTIz.secret-token-value")  # a token pasted into the wrong setting
    assert main(["ask", "who won silver"]) == 2
    err = capsys.readouterr().err
    assert "GUILD_IDS" in err and "numeric Discord ids" in err
    assert "secret" not in err and "MTIz" not in err
