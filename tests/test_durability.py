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

import pytest

from bot.database import open_database, sqlite_url
from bot.knowledge import load_knowledge
from bot.settings import PROJECT_ROOT
from bot.teaching import TeachStatus, teach


def run_python(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=PROJECT_ROOT, **kwargs)


def test_killed_mid_teach_leaves_the_phrasings_as_they_were(knowledge_copy: Path, database_url: str):
    database = open_database(database_url, retention_days=30)
    assert teach(database, knowledge_copy, "which building hosted it", "venue").status is TeachStatus.TAUGHT
    process = run_python(f"""
        import os, signal
        from pathlib import Path
        from bot.database import open_database
        from bot.teaching import teach
        database = open_database({database_url!r}, retention_days=30)
        def die_before_committing(connection, version):
            os.kill(os.getpid(), signal.SIGKILL)  # the new phrasing is written but not committed
        database.engine.announce = die_before_committing
        teach(database, Path({str(knowledge_copy)!r}), "name of the arena", "venue")
    """)
    assert process.wait(timeout=60) == -signal.SIGKILL
    assert database.learned_phrasings() == {"venue": ["which building hosted it"]}
    assert database.knowledge_version() == 1
    assert teach(database, knowledge_copy, "name of the arena", "venue").status is TeachStatus.TAUGHT, "teaching works again"
    database.close()


def test_teach_only_ever_writes_valid_fact_ids(knowledge_copy: Path, database_url: str):
    database = open_database(database_url, retention_days=30)
    before = sorted(p.name for p in knowledge_copy.parent.iterdir())
    for fact_id in ("../escape", "/etc/passwd", "..", "venue/../../x", "no_such_fact"):
        result = teach(database, knowledge_copy, "which building hosted it", fact_id)
        assert result.status is TeachStatus.INVALID
    assert sorted(p.name for p in knowledge_copy.parent.iterdir()) == before
    assert database.learned_phrasings() == {} and database.knowledge_version() == 0
    database.close()


def test_concurrent_teachers_in_separate_processes_lose_nothing(knowledge_copy: Path, database_url: str):
    phrasings = [f"which building hosted it number {n}" for n in range(6)]
    processes = [
        run_python(f"""
            from pathlib import Path
            from bot.database import open_database
            from bot.teaching import teach
            database = open_database({database_url!r}, retention_days=30)
            assert teach(database, Path({str(knowledge_copy)!r}), {phrasing!r}, "venue").status.value == "taught"
        """)
        for phrasing in phrasings
    ]
    assert [process.wait(timeout=120) for process in processes] == [0] * len(phrasings)
    database = open_database(database_url, retention_days=30)
    learned = load_knowledge(knowledge_copy, learned_phrasings=database.learned_phrasings()).facts["venue"].questions
    assert all(phrasing in learned for phrasing in phrasings)
    database.close()


def test_a_failed_export_cleans_up_and_changes_nothing(tmp_path: Path, monkeypatch):
    import bot.teaching as teaching

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(teaching.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        teaching.write_atomically(tmp_path / "learned_questions.yaml", "learned: {}\n")
    assert list(tmp_path.iterdir()) == []


def test_killed_writer_loses_no_committed_question_and_keeps_the_database_sound(tmp_path: Path):
    path = tmp_path / "log.sqlite3"
    open_database(sqlite_url(path), retention_days=30).close()
    process = run_python(f"""
        from bot.database import Source, open_database
        log = open_database({sqlite_url(path)!r}, retention_days=30)
        for number in range(1_000_000):
            log.record(f"question {{number}}", "not_found", None, 0.0, Source.CLI, question_id=number + 1)
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
    open_database(sqlite_url(path), retention_days=30).close()
    process = run_python(f"""
        import os, signal, sqlite3
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO questions (id, asked_at, source, question, outcome, score) VALUES (1, 0, 'cli', 'half', 'not_found', 0)")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    assert process.wait(timeout=30) == -signal.SIGKILL
    reopened = open_database(sqlite_url(path), retention_days=30)
    assert reopened.stats(1).total == 0
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    reopened.close()
    assert os.path.getsize(path) > 0
