"""The knowledge folder: the shipped fact base is valid, and every kind of mistake is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from bot.settings import PROJECT_ROOT
from tests.conftest import KNOWLEDGE_DIR, edit_yaml

SHARED_ARTICLE = PROJECT_ROOT.parent / "shared" / "article" / "article.txt"


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return [str(problem) for problem in caught.value.problems]


def test_shipped_article_is_the_shared_one_byte_for_byte():
    if not SHARED_ARTICLE.exists():
        pytest.skip("shared/article is not beside this checkout")
    assert (KNOWLEDGE_DIR / "article.txt").read_bytes() == SHARED_ARTICLE.read_bytes()


def test_shipped_fact_base_covers_the_article(knowledge):
    assert 25 <= len(knowledge.facts) <= 40
    assert knowledge.question_count >= 8 * len(knowledge.facts)
    for fact in knowledge.facts.values():
        assert fact.quotes, fact.id
        for quote in fact.quotes:
            assert knowledge.article[quote.start : quote.end] == quote.text


@pytest.mark.parametrize(
    "statement",
    ["13:13.66", "fourth", "Rodgers Kwemoi", "Grant Fisher", "Stade de France", "three images", "my wife",
     "Karsten Warholm", "Los Angeles", "Monaco Diamond League", "European 1500-meter record", "persistence",
     "resilience", "mixed emotions", "empty-handed", "medal tally", "historic day", "both the 1500 and 5000"],
)
def test_every_statement_of_the_article_is_quoted_by_some_fact(knowledge, statement):
    assert any(statement in quote.text for fact in knowledge.facts.values() for quote in fact.quotes)


def test_quote_not_in_article_names_file_fact_and_field(knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][1]["quotes"].append("with a time of 13:12.00"))
    assert problems_of(knowledge_copy) == [
        "facts.yaml: fact 'winning_time': quotes[1]: not found verbatim in article.txt: 'with a time of 13:12.00'"
    ]


def test_quote_differing_by_one_character_is_refused(knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][0]["quotes"].__setitem__(0, "after his recent 5000-meter Olympic Victory"))
    assert "quotes[0]: not found verbatim" in problems_of(knowledge_copy)[0]


def test_duplicate_id(knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][2].__setitem__("id", "gold_5000m"))
    assert "facts.yaml: fact 'gold_5000m': id: duplicate id (also used in facts.yaml)" in problems_of(knowledge_copy)


def test_duplicate_id_across_facts_and_out_of_scope(knowledge_copy):
    edit_yaml(knowledge_copy / "out_of_scope.yaml", lambda d: d["out_of_scope"][0].__setitem__("id", "podium"))
    assert "out_of_scope.yaml: fact 'podium': id: duplicate id (also used in facts.yaml)" in problems_of(knowledge_copy)


def test_empty_answer(knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][3].__setitem__("answer", "   "))
    (problem,) = problems_of(knowledge_copy)
    assert problem.startswith("facts.yaml: fact 'result_1500m': answer: String should have at least 1 character")


def test_unknown_key(knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][0].__setitem__("anwser", "typo"))
    assert problems_of(knowledge_copy) == [
        "facts.yaml: fact 'gold_5000m': anwser: unknown key (not part of the schema; check the spelling)"
    ]


def test_missing_field(knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][4].pop("quotes"))
    assert problems_of(knowledge_copy) == ["facts.yaml: fact 'how_1500m_was_lost': quotes: Field required"]


def test_question_listed_under_two_facts(knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][9]["questions"].append("WHO GOT SILVER"))
    (problem,) = problems_of(knowledge_copy)
    assert problem.startswith("facts.yaml: fact 'silver_medalist': questions[0]: 'Who got silver?'")
    assert problem.endswith("is already a question of 'mixed_emotions' (facts.yaml)")


def test_number_where_text_belongs_says_to_quote_it(knowledge_copy):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][0]["keywords"].append(5000))
    (problem,) = problems_of(knowledge_copy)
    assert "keywords[" in problem and "put it in quotes" in problem


def test_invalid_yaml_names_line(knowledge_copy):
    (knowledge_copy / "facts.yaml").write_text("facts:\n  - id: x\n    topic: [unclosed\n", encoding="utf-8")
    (problem,) = problems_of(knowledge_copy)
    assert problem.startswith("facts.yaml: invalid YAML at line")


def test_non_utf8_file(knowledge_copy):
    (knowledge_copy / "synonyms.yaml").write_bytes(b"synonyms:\n  gold: [\xff\xfe]\n")
    assert problems_of(knowledge_copy) == ["synonyms.yaml: not valid UTF-8 (byte 19)"]


def test_missing_article(knowledge_copy):
    (knowledge_copy / "article.txt").unlink()
    assert problems_of(knowledge_copy) == ["article.txt: file is missing"]


def test_article_outside_folder_is_refused(knowledge_copy):
    edit_yaml(knowledge_copy / "article.yaml", lambda d: d.__setitem__("file", "../../etc/passwd"))
    assert problems_of(knowledge_copy) == ["article.yaml: file: must name a file inside the knowledge folder"]


def test_learned_question_for_unknown_fact(knowledge_copy):
    (knowledge_copy / "learned_questions.yaml").write_text("learned:\n  no_such_fact: [who is he]\n", encoding="utf-8")
    problems = problems_of(knowledge_copy)
    assert "learned_questions.yaml: fact 'no_such_fact': no fact has this id" in problems


def test_learned_questions_are_added_to_their_fact(knowledge_copy):
    (knowledge_copy / "learned_questions.yaml").write_text("learned:\n  venue: [what arena was it in paris]\n", encoding="utf-8")
    assert "what arena was it in paris" in load_knowledge(knowledge_copy).facts["venue"].questions


def test_all_problems_are_reported_at_once(knowledge_copy):
    def break_several(data: dict) -> None:
        data["facts"][0]["answer"] = ""
        data["facts"][1]["quotes"] = ["not in the article at all"]
        data["facts"][2]["id"] = "gold_5000m"
        data["facts"][3]["colour"] = "red"

    edit_yaml(knowledge_copy / "facts.yaml", break_several)
    problems = problems_of(knowledge_copy)
    assert len(problems) == 4
    assert {p.split(": ")[1] for p in problems} == {"fact 'gold_5000m'", "fact 'winning_time'", "fact 'result_1500m'"}


def test_top_level_must_be_a_mapping(knowledge_copy):
    (knowledge_copy / "facts.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    assert problems_of(knowledge_copy) == ["facts.yaml: must be a mapping at the top level, not list"]


def test_not_a_folder(tmp_path):
    assert problems_of(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: is not a folder"]


def test_odd_top_level_keys_are_reported_not_crashed_on(knowledge_copy):
    text = (knowledge_copy / "facts.yaml").read_text(encoding="utf-8")
    (knowledge_copy / "facts.yaml").write_text(text + "1500: x\nnull: y\nextra: z\n", encoding="utf-8")
    problems = problems_of(knowledge_copy)
    assert {p.split(": ")[1] for p in problems} == {"1500", "None", "extra"}


def test_a_key_given_twice_is_refused_not_silently_dropped(knowledge_copy):
    # YAML keeps the last of two equal keys: the first list of variants would vanish unseen.
    synonyms = knowledge_copy / "synonyms.yaml"
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "  fourth: [off the podium again]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(knowledge_copy)
    assert "synonyms.yaml: invalid YAML at line" in str(error.value) and "'fourth' is given twice" in str(error.value)
