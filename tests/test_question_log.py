"""The question log on its own, and its command-line twins."""

from __future__ import annotations

import time

import pytest

from bot.answers import Reply
from bot.cli import main
from bot.matcher import Outcome
from bot.question_log import SECONDS_PER_DAY, QuestionLog, Source


@pytest.fixture
def question_log(tmp_path):
    log = QuestionLog(tmp_path / "log.sqlite3", retention_days=30)
    yield log
    log.close()


def test_no_user_ids_unless_asked_for(tmp_path, factbot):
    plain = QuestionLog(tmp_path / "a.sqlite3", retention_days=30)
    hashed = QuestionLog(tmp_path / "b.sqlite3", retention_days=30, hash_user_ids=True)
    reply = factbot.ask("who got silver")
    plain.record(reply, Source.SLASH, user_id=1234567890)
    hashed.record(reply, Source.SLASH, user_id=1234567890)
    assert plain._rows("SELECT user_hash FROM questions") == [(None,)]
    (user_hash,), = hashed._rows("SELECT user_hash FROM questions")
    assert user_hash and "1234567890" not in user_hash


def test_vote_on_unknown_question_is_refused(question_log):
    assert question_log.vote(12345, 1, 1) is False
    with pytest.raises(ValueError):
        question_log.vote(1, 1, 0)


def test_retention_prunes_old_questions_and_their_votes(question_log, factbot):
    old = question_log.record(factbot.ask("who got silver"), Source.CLI)
    new = question_log.record(factbot.ask("who got bronze"), Source.CLI)
    question_log.vote(old, 7, 1)
    question_log._db.execute("UPDATE questions SET asked_at = ? WHERE id = ?", (time.time() - 31 * SECONDS_PER_DAY, old))
    assert question_log.prune() == 1
    assert question_log._rows("SELECT id FROM questions") == [(new,)]
    assert question_log._rows("SELECT COUNT(*) FROM votes") == [(0,)]


def test_stats_cover_every_day_of_the_window(question_log, factbot):
    question_log.record(factbot.ask("who got silver"), Source.CLI)
    question_log.record(Reply("zzz", Outcome.NOT_FOUND, "no"), Source.CLI)
    stats = question_log.stats(7)
    assert len(stats.per_day) == 7 and stats.per_day[-1][1:] == (2, 1)
    assert stats.rate("answered") == 0.5


def test_cli_chat_logs_and_unanswered_teach_stats(tmp_path, monkeypatch, capsys, knowledge_copy):
    import io
    import sys

    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge_copy))
    monkeypatch.setattr(sys, "stdin", io.StringIO("which building hosted it\nWhich building hosted it?\nwho got silver\n"))
    assert main(["chat"]) == 0
    capsys.readouterr()
    assert main(["unanswered", "--days", "1"]) == 0
    assert "    2 × 'Which building hosted it?'  (not_found)" in capsys.readouterr().out
    assert main(["teach", "which building hosted it", "venue"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Taught: 'which building hosted it' now asks about 'venue'.")
    assert "[fact: venue" in out
    assert main(["teach", "which building hosted it", "podium"]) == 1
    assert "Run again with --move" in capsys.readouterr().out
    assert main(["stats", "--days", "2", "--chart", str(tmp_path / "chart.png")]) == 0
    out = capsys.readouterr().out
    assert "Last 2 days: 3 questions" in out and (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_a_lone_surrogate_is_answered_and_logged_not_a_crash(question_log, factbot):
    reply = factbot.ask("who got silver \ud800?")
    assert reply.matched
    question_log.record(reply, Source.MENTION)
    assert question_log._rows("SELECT question FROM questions") == [("who got silver ??",)]
