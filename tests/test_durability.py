"""Crashes at the worst moment lose nothing that was saved and leave nothing half-written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bot.knowledge import LEARNED_QUESTIONS_FILE, load_knowledge
from bot.question_log import QuestionLog
from bot.settings import PROJECT_ROOT
from bot.teaching import TeachStatus, teach


def run_python(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=PROJECT_ROOT, **kwargs)


def test_killed_between_write_and_rename_leaves_the_old_file(knowledge_copy: Path):
    assert teach(knowledge_copy, "which building hosted it", "venue").status is TeachStatus.TAUGHT
    learned = knowledge_copy / LEARNED_QUESTIONS_FILE
    before = learned.read_bytes()
    process = run_python(f"""
        import os, signal
        import bot.teaching as teaching
        def die_instead_of_renaming(source, target):
            os.kill(os.getpid(), signal.SIGKILL)  # the process dies with the new file written but not renamed
        teaching.os.replace = die_instead_of_renaming
        teaching.teach(teaching.Path({str(knowledge_copy)!r}), "name of the arena", "venue")
    """)
    assert process.wait(timeout=60) == -signal.SIGKILL
    assert learned.read_bytes() == before, "the learned questions file is exactly as it was"
    leftovers = [p.name for p in knowledge_copy.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1, "the abandoned temporary file is all that remains of the attempt"
    knowledge = load_knowledge(knowledge_copy)
    assert "which building hosted it" in knowledge.facts["venue"].questions
    assert teach(knowledge_copy, "name of the arena", "venue").status is TeachStatus.TAUGHT, "teaching works again"


def test_failed_rename_cleans_up_and_changes_nothing(knowledge_copy: Path, monkeypatch):
    import bot.teaching as teaching

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(teaching.os, "replace", disk_full)
    result = teach(knowledge_copy, "which building hosted it", "venue")
    assert result.status is teaching.TeachStatus.UNWRITABLE and "No space left" in result.describe()
    assert not (knowledge_copy / LEARNED_QUESTIONS_FILE).exists()
    assert not [p for p in knowledge_copy.iterdir() if p.name.endswith(".tmp")]


def test_killed_writer_loses_no_committed_question_and_keeps_the_database_sound(tmp_path: Path):
    path = tmp_path / "log.sqlite3"
    QuestionLog(path, retention_days=30).close()
    process = run_python(f"""
        import sys
        from pathlib import Path
        from bot.answers import Reply
        from bot.matcher import Outcome
        from bot.question_log import QuestionLog, Source
        log = QuestionLog(Path({str(path)!r}), retention_days=30)
        for number in range(1_000_000):
            log.record(Reply(f"question {{number}}", Outcome.NOT_FOUND, "no"), Source.CLI)
            if number == 200:
                print("writing", flush=True)
    """, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "writing"
    time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        numbers = [int(q.split()[1]) for (q,) in db.execute("SELECT question FROM questions ORDER BY id")]
    assert len(numbers) > 200
    assert numbers == list(range(len(numbers))), "every committed row is there, in order, none half-written"


def test_killed_mid_transaction_rolls_back(tmp_path: Path):
    path = tmp_path / "log.sqlite3"
    log = QuestionLog(path, retention_days=30)
    log.close()
    process = run_python(f"""
        import os, signal, sqlite3
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO questions (asked_at, source, question, outcome, score) VALUES (0, 'cli', 'half', 'not_found', 0)")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    assert process.wait(timeout=30) == -signal.SIGKILL
    reopened = QuestionLog(path, retention_days=30)
    assert reopened.stats(1).total == 0
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    reopened.close()
    assert os.path.getsize(path) > 0


def test_teach_cannot_write_outside_the_knowledge_folder(knowledge_copy: Path):
    before = sorted(p.name for p in knowledge_copy.parent.iterdir())
    for fact_id in ("../escape", "/etc/passwd", "..", "venue/../../x"):
        result = teach(knowledge_copy, "which building hosted it", fact_id)
        assert result.status is TeachStatus.INVALID
        assert any("should match pattern" in str(problem) for problem in result.problems)
    assert sorted(p.name for p in knowledge_copy.parent.iterdir()) == before
    assert not (knowledge_copy / LEARNED_QUESTIONS_FILE).exists()


def test_concurrent_teachers_in_separate_processes_lose_nothing(knowledge_copy: Path):
    phrasings = [f"which building hosted it number {n}" for n in range(6)]
    processes = [
        run_python(f"""
            from pathlib import Path
            from bot.teaching import teach
            assert teach(Path({str(knowledge_copy)!r}), {phrasing!r}, "venue").status.value == "taught"
        """)
        for phrasing in phrasings
    ]
    assert [process.wait(timeout=120) for process in processes] == [0] * len(phrasings)
    learned = load_knowledge(knowledge_copy).facts["venue"].questions
    assert all(phrasing in learned for phrasing in phrasings)
