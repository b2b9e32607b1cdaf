"""Several articles in one KNOWLEDGE_DIR: loading each on its own, choosing the answering article,
and the `factbot` commands that take one. Real folders, real fact bases, no doubles."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.library import Library, UnknownArticle, find_articles
from bot.settings import Settings
from bot.store import load_library
from tests.conftest import HARBOUR, KNOWLEDGE_DIR, PARIS, break_harbour, edit_yaml


def library_of(directory: Path) -> Library:
    library, _ = load_library(directory, Settings(_env_file=None), {})
    return library


def test_a_folder_of_articles_and_a_lone_article_folder_are_both_found(articles_dir: Path):
    assert find_articles(articles_dir) == {HARBOUR: articles_dir / HARBOUR, PARIS: articles_dir / PARIS}
    assert find_articles(KNOWLEDGE_DIR) == {PARIS: KNOWLEDGE_DIR}  # article.yaml's id, not the folder's name


def test_each_article_answers_its_own_questions_with_its_own_quotes(articles_dir: Path):
    library = library_of(articles_dir)
    for question, article, fact in (("who won silver?", PARIS, "silver_medalist"),
                                    ("who cut the ribbon?", HARBOUR, "ribbon_cutting"),
                                    ("how many cables were replaced", HARBOUR, "steel_cables")):
        answer = library.ask(question)
        assert (answer.article_id, answer.reply.fact_id, answer.named) == (article, fact, True)
        text = (articles_dir / article / "article.txt").read_text(encoding="utf-8")
        assert answer.reply.quotes and all(text[q.start : q.end] == q.text for q in answer.reply.quotes)
        assert answer.to_json()["article"] == article


def test_an_article_named_or_the_channels_default_wins(articles_dir: Path):
    library = library_of(articles_dir)
    assert library.ask("who won silver?", HARBOUR).reply.fact_id is None  # asked of the bridge: not there
    assert library.ask("who won silver?", channel_default=HARBOUR).article_id == HARBOUR
    assert library.ask("who won silver?", PARIS, channel_default=HARBOUR).reply.fact_id == "silver_medalist"
    assert library.ask("who won silver?", channel_default="gone-since").article_id == PARIS  # a stale default is ignored
    with pytest.raises(UnknownArticle, match="harbour-bridge, paris-5000m"):
        library.ask("who won silver?", "no-such-article")


def test_without_a_clear_lead_the_bot_asks_which_article(articles_dir: Path):
    answer = library_of(articles_dir).ask("thanks")
    assert answer.article_id is None and answer.reply.fact_id is None
    assert "Which article do you mean?" in answer.reply.text
    assert f"- {HARBOUR}: Harbour Bridge Reopens" in answer.reply.text and f"- {PARIS}: Jakob" in answer.reply.text


def test_a_known_unknown_of_one_article_beats_a_weak_match_in_another(articles_dir: Path):
    answer = library_of(articles_dir).ask("who is his coach?")
    assert answer.article_id == PARIS and "doesn't name his coach" in answer.reply.text


def test_one_article_alone_changes_nothing_for_users(knowledge_copy: Path):
    library = library_of(knowledge_copy)
    answer = library.ask("who won silver?")
    assert library.one_folder and not answer.named and list(library.articles) == [PARIS]
    assert "article" not in answer.to_json()


def test_a_broken_article_leaves_the_others_serving(articles_dir: Path):
    break_harbour(articles_dir)
    library, loaded = load_library(articles_dir, Settings(_env_file=None), {})
    assert list(library.articles) == [PARIS] and HARBOUR in library.problems
    assert not loaded.results[HARBOUR].ok and loaded.results[PARIS].ok
    assert "not found verbatim" in str(library.problems[HARBOUR][0])
    assert library.ask("who won silver?").reply.fact_id == "silver_medalist"


def test_a_reload_keeps_a_broken_articles_previous_facts_and_reports_it(articles_dir: Path):
    settings = Settings(_env_file=None)
    before, _ = load_library(articles_dir, settings, {})
    break_harbour(articles_dir)
    edit_yaml(articles_dir / PARIS / "facts.yaml", lambda data: data["facts"].pop())
    after, reloaded = load_library(articles_dir, settings, {}, previous=before)
    assert after.articles[HARBOUR] is before.articles[HARBOUR]  # still serving, unchanged
    assert HARBOUR in after.problems and not reloaded.results[HARBOUR].ok
    assert reloaded.results[PARIS].diff is not None and len(reloaded.results[PARIS].diff.removed) == 1
    assert str(reloaded.problems(one_folder=False)[0]).startswith(f"{HARBOUR}/facts.yaml: fact 'bridge_reopened'")
    shutil.rmtree(articles_dir / HARBOUR)
    gone, reloaded = load_library(articles_dir, settings, {}, previous=after)
    assert list(gone.articles) == [PARIS] and reloaded.results[HARBOUR].diff.questions_after == 0


def test_learned_phrasings_belong_to_one_article_even_with_the_same_fact_id(articles_dir: Path):
    edit_yaml(articles_dir / HARBOUR / "facts.yaml", lambda data: data["facts"][0].__setitem__("id", "venue"))
    library, _ = load_library(articles_dir, Settings(_env_file=None), {PARIS: {"venue": ["which building hosted it"]}})
    assert library.ask("which building hosted it", PARIS).reply.fact_id == "venue"
    assert "which building hosted it" not in library.articles[HARBOUR].knowledge.facts["venue"].questions
    lone, _ = load_library(KNOWLEDGE_DIR, Settings(_env_file=None), {"": {"venue": ["which building hosted it"]}})
    assert "which building hosted it" in lone.articles[PARIS].knowledge.facts["venue"].questions


# -- the `factbot` command -----------------------------------------------------------------------


def run_cli(capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def configured(articles_dir: Path, monkeypatch) -> Path:
    monkeypatch.setenv("KNOWLEDGE_DIR", str(articles_dir))
    return articles_dir


def test_cli_articles_lists_each_with_its_status(configured: Path, capsys, monkeypatch):
    edit_yaml(configured / HARBOUR / "facts.yaml", lambda data: data["facts"][0].__setitem__("drafted", True))
    status, out, _ = run_cli(capsys, monkeypatch, "articles")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "facts", "drafted", "status", "title"]
    assert lines[1].split()[:4] == [HARBOUR, "5", "1", "ok"] and lines[1].endswith("Harbour Bridge Reopens After Two-Year Repair")
    assert lines[2].split()[:4] == [PARIS, "27", "0", "ok"]
    break_harbour(configured)
    status, out, _ = run_cli(capsys, monkeypatch, "articles")
    assert status == 0 and f"{HARBOUR}" in out and "invalid (1 problem(s); `factbot check`)" in out


def test_cli_check_checks_every_article_and_fails_if_one_is_invalid(configured: Path, capsys, monkeypatch):
    status, out, _ = run_cli(capsys, monkeypatch, "check")
    assert status == 0 and out.count(": OK: ") == 2
    break_harbour(configured)
    status, out, err = run_cli(capsys, monkeypatch, "check")
    assert status == 1
    assert f"{configured / PARIS}" in out and ": OK: " in out
    assert f"{configured / HARBOUR}: 1 problem in the knowledge folder" in err and "1 of 2 articles are invalid" in err


def test_cli_ask_chooses_or_takes_the_article(configured: Path, capsys, monkeypatch):
    status, out, _ = run_cli(capsys, monkeypatch, "ask", "who cut the ribbon?")
    assert status == 0 and "“Mayor Lena Dahl cut the ribbon" in out and f"[article: {HARBOUR} · fact: ribbon_cutting" in out
    status, out, _ = run_cli(capsys, monkeypatch, "ask", "--json", "--article", PARIS, "who won silver?", "who cut the ribbon?")
    silver, ribbon = (json.loads(line) for line in out.splitlines())
    assert (silver["article"], silver["fact_id"], ribbon["article"], ribbon["outcome"]) == (PARIS, "silver_medalist", PARIS, "not_found")
    status, _, err = run_cli(capsys, monkeypatch, "ask", "--article", "nope", "who won silver?")
    assert status == 2 and "there is no article 'nope'" in err


def test_cli_broken_article_is_left_out_and_the_other_answers(configured: Path, capsys, monkeypatch):
    break_harbour(configured)
    status, out, err = run_cli(capsys, monkeypatch, "ask", "who won silver?")
    assert status == 0 and "Rodgers Kwemoi" in out
    assert f"article {HARBOUR} is left out" in err


def test_cli_chat_with_an_article_logs_it_and_reports_filter_by_it(configured: Path, capsys, monkeypatch):
    status, out, _ = run_cli(capsys, monkeypatch, "chat", "--article", HARBOUR, stdin="who cut the ribbon\nwho won silver\n")
    assert status == 0 and "ask me about “Harbour Bridge Reopens After Two-Year Repair”" in out
    status, out, _ = run_cli(capsys, monkeypatch, "chat", stdin="who won silver\n")
    status, out, _ = run_cli(capsys, monkeypatch, "stats", "--days", "1", "--article", HARBOUR)
    assert "Last 1 days: 2 questions" in out and "ribbon_cutting" in out
    status, out, _ = run_cli(capsys, monkeypatch, "stats", "--days", "1")
    assert "Last 1 days: 3 questions" in out
    status, out, _ = run_cli(capsys, monkeypatch, "unanswered", "--days", "1", "--article", PARIS)
    assert "No unanswered" in out
    status, out, _ = run_cli(capsys, monkeypatch, "unanswered", "--days", "1", "--article", HARBOUR)
    assert "1 × 'who won silver'" in out


def test_cli_teach_needs_the_article_when_there_are_several(configured: Path, capsys, monkeypatch):
    status, _, err = run_cli(capsys, monkeypatch, "teach", "who held the scissors", "ribbon_cutting")
    assert status == 2 and "name one with --article" in err
    status, out, _ = run_cli(capsys, monkeypatch, "teach", "--article", HARBOUR, "who held the scissors", "ribbon_cutting")
    assert status == 0 and "Taught" in out and f"[article: {HARBOUR} · fact: ribbon_cutting" in out
    status, out, _ = run_cli(capsys, monkeypatch, "teach", "--article", HARBOUR, "which building hosted it", "venue")
    assert status == 1 and "no fact has this id" in out
    status, out, _ = run_cli(capsys, monkeypatch, "check")
    assert status == 0 and out.count(": OK: ") == 2  # the taught phrasing breaks neither article


def test_cli_learned_export_and_import_per_article(configured: Path, capsys, monkeypatch, tmp_path: Path):
    learned = tmp_path / "learned_questions.yaml"
    learned.write_text("learned:\n  ribbon_cutting: [who held the scissors]\n", encoding="utf-8")
    status, _, err = run_cli(capsys, monkeypatch, "learned", "import", str(learned))
    assert status == 2 and "name one with --article" in err
    status, out, _ = run_cli(capsys, monkeypatch, "learned", "import", "--article", HARBOUR, str(learned))
    assert status == 0 and "1 phrasing(s) merged" in out
    status, out, _ = run_cli(capsys, monkeypatch, "ask", "--article", HARBOUR, "who held the scissors")
    assert "fact: ribbon_cutting" in out
    status, out, _ = run_cli(capsys, monkeypatch, "learned", "export", "--article", HARBOUR)
    assert "ribbon_cutting:\n  - who held the scissors" in out
    status, out, _ = run_cli(capsys, monkeypatch, "learned", "export", "--article", PARIS)
    assert "who held the scissors" not in out
    status, _, err = run_cli(capsys, monkeypatch, "learned", "import", "--article", PARIS, str(learned))
    assert status == 1 and "learned phrasings: fact 'ribbon_cutting': no fact has this id" in err


def test_a_folder_without_any_article_is_reported(tmp_path: Path, capsys, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("KNOWLEDGE_DIR", str(empty))
    status, _, err = run_cli(capsys, monkeypatch, "check")
    assert status == 1 and "holds no article" in err
    status, _, err = run_cli(capsys, monkeypatch, "ask", "who won silver?")
    assert status == 1 and "holds no article" in err


def test_an_article_whose_id_is_not_its_folders_name_is_refused(articles_dir: Path):
    (articles_dir / PARIS).rename(articles_dir / "olympics")
    library = library_of(articles_dir)
    assert list(library.articles) == [HARBOUR]
    assert str(library.problems["olympics"][0]) == (
        "article.yaml: id: id is 'paris-5000m' but the folder is 'olympics': make them the same")
    assert main(["check", str(articles_dir)]) == 1
