"""`factbot new`: a draft fact base that passes its own checks and already answers.

The fixture is a short article written for these tests (the text of tests/data/articles/harbour-bridge,
whose hand-written facts the several-articles tests use), so nothing here is tuned to the articles the
drafts are measured on (README, "Drafting a new article")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.answers import FactBot
from bot.drafting import DraftError, read_claims, write_draft
from bot.knowledge import load_knowledge
from bot.settings import Settings

ARTICLE = Path(__file__).parent / "data" / "articles" / "harbour-bridge" / "article.txt"


@pytest.fixture()
def drafted(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge" / "harbour-bridge"
    write_draft(ARTICLE, directory, source="City Desk")
    return directory


def test_the_article_is_copied_byte_for_byte_and_its_title_read(drafted: Path) -> None:
    assert (drafted / "article.txt").read_bytes() == ARTICLE.read_bytes()
    meta = yaml.safe_load((drafted / "article.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "Harbour Bridge Reopens After Two-Year Repair"
    assert meta["source"] == "City Desk"
    assert "url" not in meta  # never invented


def test_every_claim_is_a_verbatim_quote_and_every_entry_is_marked_drafted(drafted: Path) -> None:
    knowledge = load_knowledge(drafted)
    article = ARTICLE.read_text(encoding="utf-8")
    assert len(knowledge.facts) >= 5
    assert all(quote.text in article for fact in knowledge.facts.values() for quote in fact.quotes)
    assert knowledge.drafted_count == len(knowledge.facts) + len(knowledge.out_of_scope)


def test_a_long_sentence_is_split_at_its_semicolon_into_two_facts() -> None:
    quotes = [claim.quote for claim in read_claims(ARTICLE.read_text(encoding="utf-8")).claims]
    assert "Engineers replaced 1,200 steel cables" in quotes
    assert "the old ones had corroded in the salt air and could no longer carry heavy lorries." in quotes


def test_people_numbers_and_dates_become_questions(drafted: Path) -> None:
    bot = FactBot(load_knowledge(drafted), Settings(_env_file=None))
    cases = {
        "how much did the repair cost": "$48 million",
        "who is Lena Dahl": "Lena Dahl",
        "how many steel cables were replaced": "1,200",
        "who wrote this article": "Ada Berg",
        "how many vehicles a day": "40,000",
    }
    for question, expected in cases.items():
        reply = bot.ask(question)
        assert reply.fact is not None, question
        assert expected in reply.text, (question, reply.text)


def test_known_unknowns_use_the_articles_names_and_never_what_it_says(drafted: Path) -> None:
    bot = FactBot(load_knowledge(drafted), Settings(_env_file=None))
    assert bot.ask("how old is Lena Dahl").fact is None
    questions = [q for entry in load_knowledge(drafted).out_of_scope.values() for q in entry.questions]
    assert "how old is Lena Dahl" in questions
    assert not any("cost" in question for question in questions)  # the article gives the cost


def test_check_reports_the_drafted_entries_not_reviewed_yet(drafted: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(drafted)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "drafted entries not reviewed yet" in result.stdout


def test_new_from_the_command_line_then_ask(tmp_path: Path) -> None:
    env = {"KNOWLEDGE_DIR": str(tmp_path / "articles"), "DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    made = subprocess.run(
        [sys.executable, "-m", "bot", "new", str(ARTICLE), "--id", "harbour-bridge"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert made.returncode == 0, made.stderr
    asked = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--article", "harbour-bridge",
         "how many people watched the mayor cut the ribbon"],
        capture_output=True, text=True, env=env, check=False,
    )
    reply = json.loads(asked.stdout)
    assert reply["matched"] and "3,000" in reply["answer"]


def test_an_existing_folder_or_a_binary_file_is_refused_with_a_message(tmp_path: Path, drafted: Path) -> None:
    with pytest.raises(DraftError, match="already exists"):
        write_draft(ARTICLE, drafted)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    with pytest.raises(DraftError, match="UTF-8"):
        write_draft(binary, tmp_path / "other")


def test_a_bad_id_is_refused_by_the_command_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "new", str(ARTICLE), "--id", "../escape"], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "lower-case letters" in result.stderr


def test_new_refuses_to_draft_inside_a_folder_that_is_itself_one_article(tmp_path: Path) -> None:
    lone = tmp_path / "knowledge"
    write_draft(ARTICLE, lone)
    env = {"KNOWLEDGE_DIR": str(lone), "DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "new", str(ARTICLE), "--id", "second"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode != 0 and not (lone / "second").exists()
    assert "is itself one article" in result.stderr and "--into" in result.stderr
    into = subprocess.run(
        [sys.executable, "-m", "bot", "new", str(ARTICLE), "--id", "second", "--into", str(tmp_path / "articles")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert into.returncode == 0, into.stderr
    assert (tmp_path / "articles" / "second" / "facts.yaml").is_file()


def test_the_kinds_of_answer_a_claim_gives_are_read_from_it() -> None:
    claim = read_claims("PORTVILLE -- The council said on Tuesday that it will spend $5 million, the Daily Star reported.").claims[0]
    assert {"dateline", "weekday", "money", "source"} <= set(claim.kinds)
    assert "year" not in claim.kinds


def test_people_are_found_in_lists_by_role_and_as_owners() -> None:
    text = ("The study's authors were Ann Lee, Bo Chen and Cara Diaz. Sales rose, according to Dan Moss, head of sales "
            "at the firm. Talks began with Rita Hale’s Green Party.")
    people = {person for claim in read_claims(text).claims for person in claim.people}
    assert {"Ann Lee", "Bo Chen", "Cara Diaz", "Dan Moss", "Rita Hale"} <= people
    assert "Green Party" not in people


def test_a_count_written_as_a_word_is_asked_about() -> None:
    claim = read_claims("The club signed three new players this week.").claims[0]
    assert ("count", "three", "new players") in claim.counts


def test_answer_kinds_words_and_the_lead_find_their_claim(drafted: Path) -> None:
    bot = FactBot(load_knowledge(drafted), Settings(_env_file=None))
    cases = {
        "which day of the week did the bridge reopen": "Monday",
        "what is the article about": "reopened",
        "what did Lena Dahl say": "two halves",  # quoted by surname alone: a fact, not a known unknown
    }
    for question, expected in cases.items():
        reply = bot.ask(question)
        assert reply.fact is not None, question
        assert expected in reply.text, (question, reply.text)


def test_known_unknowns_ask_about_each_name_unless_its_claims_say_it(drafted: Path) -> None:
    questions = {q for entry in load_knowledge(drafted).out_of_scope.values() for q in entry.questions}
    assert "who is Harbour Bridge named after" in questions
    assert "what did Lena Dahl say" not in questions  # she is quoted
    bot = FactBot(load_knowledge(drafted), Settings(_env_file=None))
    assert bot.ask("who is the Harbour Bridge named after").fact is None


def test_a_name_of_several_words_is_read_as_one_word_with_its_shorter_forms(drafted: Path) -> None:
    synonyms = yaml.safe_load((drafted / "synonyms.yaml").read_text(encoding="utf-8"))["synonyms"]
    assert synonyms["lena dahl"] == ["Dahl"]
    matcher = FactBot(load_knowledge(drafted), Settings(_env_file=None)).matcher
    assert matcher.question_tokens("what did Dahl say") == matcher.question_tokens("what did Lena Dahl say")
    assert matcher.question_tokens("traffic by the end of the yr") == matcher.question_tokens("traffic by the end of the year")


def test_a_title_before_a_name_and_a_brand_opening_a_sentence_are_read_as_names() -> None:
    text = ("The firm's maker Zentrix Corp. cut jobs. Zentrix said it will save money, said Chief Financial Officer "
            "Ola Hart. Prices rose in March, said Kim Lund.")
    claims = read_claims(text).claims
    assert "Zentrix" in claims[1].names  # capitalised inside a sentence too, so not a common first word
    assert {"Chief Financial Officer", "Ola Hart"} <= set(claims[1].names)
    assert {"Ola Hart", "Kim Lund"} <= {person for claim in claims for person in claim.people}  # "said Kim Lund"


def test_ages_and_bases_are_answer_kinds_and_a_given_age_is_no_known_unknown(tmp_path: Path) -> None:
    article = tmp_path / "mayor.txt"
    article.write_text("Mayor Vote Count\n\nLena Dahl, 52, won the mayoral vote in Portville on Sunday.\n"
                       "The Portville-based party of Dahl spent $2 million on the campaign.\n", encoding="utf-8")
    claims = read_claims(article.read_text(encoding="utf-8")).claims
    assert "age" in claims[0].kinds and "base" in claims[1].kinds
    write_draft(article, tmp_path / "mayor")
    bot = FactBot(load_knowledge(tmp_path / "mayor"), Settings(_env_file=None))
    assert "52" in bot.ask("how old is Lena Dahl").text
    assert "Portville-based" in bot.ask("where is the party based").text


def test_a_name_most_claims_mention_is_what_every_claim_is_about(tmp_path: Path) -> None:
    text = ("Zentrix said it will cut 400 jobs. Zentrix shares fell 2 cents on Monday. The company expects a charge "
            "of $3 million. Zentrix began cutting costs in May.")
    draft = read_claims(text)
    assert draft.subjects == ("Zentrix",)
    article = tmp_path / "zentrix.txt"
    article.write_text(text, encoding="utf-8")
    write_draft(article, tmp_path / "zentrix")
    assert "$3 million" in FactBot(load_knowledge(tmp_path / "zentrix"), Settings(_env_file=None)).ask(
        "how big is the Zentrix charge").text


def test_a_name_keeps_both_its_own_and_the_generic_variants_and_an_acronym_in_brackets(tmp_path: Path) -> None:
    article = tmp_path / "vote.txt"
    article.write_text("The Independent Poll Board (IPB) counted 3,000 votes on Monday.\nThe count cost $2 million, "
                       "said Chief Financial Officer Ola Hart.\n", encoding="utf-8")
    write_draft(article, tmp_path / "vote")
    synonyms = yaml.safe_load((tmp_path / "vote" / "synonyms.yaml").read_text(encoding="utf-8"))["synonyms"]
    assert "IPB" in synonyms["independent poll board"]
    assert "cfo" in synonyms["chief financial officer"]  # the generic abbreviation, though the article names the role
    bot = FactBot(load_knowledge(tmp_path / "vote"), Settings(_env_file=None))
    assert "Ola Hart" in bot.ask("who is the CFO").text
    assert "Independent Poll Board" in bot.ask("IPB meaning").text


def test_a_title_is_no_organisation_but_a_known_unknown_asks_how_long_its_holder_held_it(tmp_path: Path) -> None:
    article = tmp_path / "firm.txt"
    article.write_text("Zentrix cut 400 jobs on Monday.\nThe cuts save $2 million, said Chief Financial Officer Ola Hart.\n",
                       encoding="utf-8")
    write_draft(article, tmp_path / "firm")
    questions = {q for entry in load_knowledge(tmp_path / "firm").out_of_scope.values() for q in entry.questions}
    assert "how long has Ola Hart been Chief Financial Officer" in questions
    assert not any("founded Chief Financial Officer" in question for question in questions)


def test_a_surname_two_people_share_means_the_one_last_named_in_full() -> None:
    text = ("Mayor Lena Dahl opened the bridge on Monday. Her brother Erik Dahl, an engineer at the firm, built it. "
            "Dahl said it took two years.")
    claims = read_claims(text).claims
    assert claims[2].people == ("Erik Dahl",)
