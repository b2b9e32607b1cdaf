"""The `factbot` command, including the public JSON contract of `ask --json`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from bot.cli import main
from bot.settings import PROJECT_ROOT
from tests.conftest import DATA_DIR, edit_yaml

JSON_KEYS = {"question", "outcome", "matched", "fact_id", "score", "answer", "quotes", "alternatives"}


def run_cli(capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_contract(record: dict, article: str) -> None:
    assert set(record) == JSON_KEYS
    assert record["outcome"] in {"answered", "ambiguous", "not_found"}
    assert record["matched"] is (record["outcome"] == "answered")
    assert (record["fact_id"] is not None) is record["matched"]
    assert 0 <= record["score"] <= 100
    assert isinstance(record["answer"], str) and record["answer"]
    for quote in record["quotes"]:
        assert set(quote) == {"text", "start", "end"}
        assert article[quote["start"] : quote["end"]] == quote["text"]
    for alternative in record["alternatives"]:
        assert set(alternative) == {"fact_id", "score"}


def test_ask_prints_answer_quote_fact_and_confidence(capsys, monkeypatch):
    status, out, _ = run_cli(capsys, monkeypatch, "ask", "who", "got", "bronze?")
    assert status == 0
    assert "Grant Fisher won the bronze medal" in out
    assert "“bronze medalist Grant Fisher”" in out
    assert "fact: bronze_medalist" in out and "confidence" in out


def test_ask_json_reads_stdin_one_object_per_line_in_order(capsys, monkeypatch, knowledge):
    questions = ["who got silver?", "", "how old is he", "what was his time in the 5k", "🥇" * 3]
    status, out, _ = run_cli(capsys, monkeypatch, "ask", "--json", stdin="\n".join(questions) + "\n")
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert [r["question"] for r in records] == questions
    for record in records:
        assert_contract(record, knowledge.article)
    assert records[0]["fact_id"] == "silver_medalist" and records[0]["quotes"]
    assert records[2]["outcome"] == "not_found" and records[2]["quotes"] == []
    assert records[3]["fact_id"] == "winning_time" and "13:13.66" in records[3]["quotes"][0]["text"]


def test_ask_json_with_questions_as_arguments(capsys, monkeypatch, knowledge):
    status, out, _ = run_cli(capsys, monkeypatch, "ask", "--json", "where was the race?", "who is his coach?")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["outcome"] for r in records] == ["answered", "not_found"]
    assert records[0]["fact_id"] == "venue"


def test_ask_without_question_is_a_usage_error(capsys, monkeypatch):
    status, _, err = run_cli(capsys, monkeypatch, "ask")
    assert status == 2 and "needs a question" in err


def test_chat_answers_until_end_of_input(capsys, monkeypatch):
    status, out, _ = run_cli(capsys, monkeypatch, "chat", stdin="who won silver\ntopics\n\nhow old is he\n")
    assert status == 0
    assert "Rodgers Kwemoi" in out and "The podium:" in out and "doesn't say how old" in out


def test_check_valid_folder(capsys, monkeypatch):
    status, out, _ = run_cli(capsys, monkeypatch, "check", str(PROJECT_ROOT / "knowledge"))
    assert status == 0 and "OK: 27 facts" in out


def test_check_invalid_folder_lists_errors_and_exits_1(capsys, monkeypatch, knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][0]["quotes"].append("not in the article"))
    status, _, err = run_cli(capsys, monkeypatch, "check", str(knowledge_copy))
    assert status == 1 and "fact 'gold_5000m': quotes[2]: not found verbatim" in err


def test_eval_reports_metrics_and_misses(capsys, monkeypatch, tmp_path):
    labelled = tmp_path / "set.jsonl"
    labelled.write_text(
        '{"q": "who got silver", "fact": "silver_medalist"}\n'
        '{"q": "who got silver", "fact": "bronze_medalist"}\n'
        '{"q": "how old is he", "fact": null}\n',
        encoding="utf-8",
    )
    status, out, _ = run_cli(capsys, monkeypatch, "eval", str(labelled))
    assert status == 0
    assert "in-scope accuracy:       50.0%  (1/2)" in out
    assert "out-of-scope rejected:  100.0%  (1/1)" in out
    assert "'who got silver': expected bronze_medalist, got silver_medalist" in out
    status, _, _ = run_cli(capsys, monkeypatch, "eval", str(labelled), "--min-accuracy", "0.9")
    assert status == 1


def test_eval_refuses_a_broken_file_with_line_numbers(capsys, monkeypatch, tmp_path):
    labelled = tmp_path / "set.jsonl"
    labelled.write_text('{"q": "a", "fact": "nope"}\nnot json\n', encoding="utf-8")
    status, _, err = run_cli(capsys, monkeypatch, "eval", str(labelled))
    assert status == 1
    assert "set.jsonl:1: unknown fact id 'nope'" in err and "set.jsonl:2:" in err


def test_module_entry_point_runs_in_a_fresh_process():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "who got gold?"],
        capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fact_id"] == "gold_5000m"


@pytest.mark.parametrize("name", ["dev_questions.jsonl", "holdout_questions.jsonl", "check_questions.jsonl", "casual_questions.jsonl", "formal_questions.jsonl"])
def test_labelled_sets_meet_the_quality_bar(factbot, name):
    """The bar on our own sets: 95 % in scope answered right, 95 % out of scope refused."""
    from bot.evaluation import evaluate, read_labelled_questions

    items = read_labelled_questions(DATA_DIR / name, factbot.knowledge.facts)
    result = evaluate(factbot, items)
    misses = "\n".join(f"{m.question!r} -> {m.reply.fact.id if m.reply.fact else m.reply.outcome}" for m in result.misses)
    assert result.accuracy >= 0.95, misses
    assert result.rejection >= 0.95, misses
    assert result.ambiguity_rate <= 0.05, misses


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_factbot_alone_chats_when_there_is_no_token(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "log.sqlite3"))
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setattr(sys, "stdin", _Terminal("who got bronze\n"))
    status = main([])
    out, err = capsys.readouterr()
    assert status == 0
    assert "no DISCORD_TOKEN set, so chatting here instead" in err
    assert "Grant Fisher won the bronze medal" in out


def test_factbot_alone_without_token_or_terminal_says_how_to_configure_it(capsys, monkeypatch, tmp_path):
    """As under a service manager: no chat to fall back on, so a clear error instead of exit 0."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli(capsys, monkeypatch, stdin="")
    assert status == 2 and not out
    assert "DISCORD_TOKEN" in err and ".env" in err and len(err.strip().splitlines()) == 1


def test_version_and_fact_ids(capsys, monkeypatch):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.startswith("factbot ")
    status, out, _ = run_cli(capsys, monkeypatch, "facts")
    assert status == 0 and "silver_medalist" in out and "Who got silver?" in out


def test_ask_json_is_valid_utf8_whatever_the_input_bytes():
    """Invalid UTF-8 on standard input, under a C locale: one valid UTF-8 JSON line per input line."""
    environment = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"], input=b"who won silver \xff\xfe\nhvem vant s\xc3\xb8lv\n",
        capture_output=True, env=environment, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line.decode("utf-8")) for line in result.stdout.splitlines()]
    assert [record["fact_id"] for record in records] == ["silver_medalist", "silver_medalist"]
    assert records[1]["question"] == "hvem vant sølv"


@pytest.mark.parametrize("bar", ["0.99", "99", "99%"])
def test_eval_bar_as_fraction_or_percent_and_says_which_failed(capsys, monkeypatch, bar):
    status, _, err = run_cli(capsys, monkeypatch, "eval", str(DATA_DIR / "dev_questions.jsonl"), "--min-accuracy", bar)
    assert status == 1 and "in-scope accuracy" in err and "below the bar of 99.0%" in err
    status, _, err = run_cli(capsys, monkeypatch, "eval", str(DATA_DIR / "dev_questions.jsonl"), "--min-accuracy", "90")
    assert status == 0 and not err


def test_eval_of_an_empty_file_fails(capsys, monkeypatch, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    status, _, err = run_cli(capsys, monkeypatch, "eval", str(empty), "--min-accuracy", "0.9")
    assert status == 1 and "holds no questions" in err


def test_stats_chart_into_a_missing_folder_is_a_message_not_a_traceback(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "log.sqlite3"))
    status, _, err = run_cli(capsys, monkeypatch, "stats", "--days", "365", "--chart", str(tmp_path / "no" / "chart.png"))
    assert status == 1 and "cannot write the chart" in err and "Traceback" not in err
    status, out, _ = run_cli(capsys, monkeypatch, "stats", "--days", "365", "--chart", str(tmp_path / "chart.png"))
    assert status == 0 and (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_teach_when_the_database_cannot_be_written_is_a_message(capsys, monkeypatch, knowledge_copy, tmp_path):
    """Another process holds SQLite's write lock for longer than the busy timeout."""
    import sqlite3

    import bot.database.sqlite

    monkeypatch.setattr(bot.database.sqlite, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge_copy))
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "log.sqlite3"))
    assert main(["stats"]) == 0  # creates the database
    locker = sqlite3.connect(tmp_path / "log.sqlite3", isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        status, out, err = run_cli(capsys, monkeypatch, "teach", "who came second", "silver_medalist")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert status == 1 and "Traceback" not in out + err
    assert "database is locked" in err


def test_env_file_is_read_from_where_it_is_told(capsys, monkeypatch, tmp_path):
    settings_file = tmp_path / "factbot.env"
    settings_file.write_text("ANSWER_THRESHOLD=100\nCLEAR_LEAD_THRESHOLD=100\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run_cli(capsys, monkeypatch, "--env-file", str(settings_file), "ask", "did jakob win his race")
    assert status == 0 and out.startswith("The article doesn't say")
    status, _, err = run_cli(capsys, monkeypatch, "--env-file", str(tmp_path / "missing.env"), "ask", "x")
    assert status == 2 and "no such file" in err


def test_cli_chat_logs_and_unanswered_teach_stats(tmp_path, monkeypatch, capsys, knowledge_copy):
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


def test_learned_phrasings_export_and_import_as_a_file(tmp_path, monkeypatch, capsys, knowledge_copy):
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge_copy))
    assert main(["teach", "which building hosted it", "venue"]) == 0
    exported = tmp_path / "learned_questions.yaml"
    assert main(["learned", "export", str(exported)]) == 0
    assert "learned:\n  venue:\n  - which building hosted it\n" in exported.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["learned", "export"]) == 0 and "- which building hosted it" in capsys.readouterr().out

    exported.write_text("learned:\n  podium: [the three fastest]\n", encoding="utf-8")
    assert main(["learned", "import", str(exported)]) == 0
    assert main(["ask", "--json", "the three fastest", "which building hosted it"]) == 0
    answers = [json.loads(line)["fact_id"] for line in capsys.readouterr().out.splitlines()[-2:]]
    assert answers == ["podium", "venue"], "merged: the earlier phrasing stays"
    assert main(["learned", "import", "--replace", str(exported)]) == 0
    capsys.readouterr()
    assert main(["learned", "export"]) == 0 and "which building" not in capsys.readouterr().out

    exported.write_text("learned:\n  no_such_fact: [who is he]\n", encoding="utf-8")
    assert main(["learned", "import", str(exported)]) == 1
    assert "learned phrasings: fact 'no_such_fact': no fact has this id" in capsys.readouterr().err


def test_an_old_learned_file_is_imported_once_on_upgrade(tmp_path, monkeypatch, capsys, knowledge_copy):
    (knowledge_copy / "learned_questions.yaml").write_text("learned:\n  venue: [which building hosted it]\n", encoding="utf-8")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge_copy))
    status, out, _ = run_cli(capsys, monkeypatch, "ask", "--json", "which building hosted it")
    assert status == 0 and json.loads(out)["fact_id"] == "venue"
    # The file is no longer read: the database is where phrasings live now.
    (knowledge_copy / "learned_questions.yaml").write_text("learned:\n  podium: [which building hosted it]\n", encoding="utf-8")
    status, out, _ = run_cli(capsys, monkeypatch, "ask", "--json", "which building hosted it")
    assert json.loads(out)["fact_id"] == "venue"
    status, out, _ = run_cli(capsys, monkeypatch, "check")
    assert status == 0 and "with 1 learned phrasing(s) from the database: OK" in out
