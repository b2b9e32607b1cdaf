"""A fact base larger than the candidate budget: candidates are chosen by the question's words,
never by file order, and words nearly every fact uses don't decide which facts are candidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import GeneratedFact, sample_questions, write_knowledge
from bot.answers import FactBot
from bot.knowledge import load_knowledge
from bot.matcher import CANDIDATE_BUDGET
from bot.settings import Settings

FACTS = CANDIDATE_BUDGET + 500


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[FactBot, list[GeneratedFact]]:
    folder = tmp_path_factory.mktemp("generated") / "knowledge"
    facts = write_knowledge(Path(folder), FACTS)
    return FactBot(load_knowledge(folder), Settings(_env_file=None)), facts


def test_the_last_facts_in_the_file_are_found(generated: tuple[FactBot, list[GeneratedFact]]) -> None:
    factbot, facts = generated
    for fact in facts[-20:]:
        assert factbot.ask(fact.questions[0]).fact.id == fact.id


def test_questions_as_people_type_them_are_answered_past_the_budget(generated: tuple[FactBot, list[GeneratedFact]]) -> None:
    factbot, facts = generated
    labelled = sample_questions(facts, 300)
    right = sum((reply.fact.id == expected) if reply.matched else expected is None
                for question, expected in labelled for reply in [factbot.ask(question)])
    assert right / len(labelled) >= 0.95


def test_a_word_nearly_every_fact_uses_counts_for_the_shortlist_only(generated: tuple[FactBot, list[GeneratedFact]]) -> None:
    factbot, facts = generated
    matcher = factbot.matcher
    fact = facts[-1]
    question = fact.questions[0]  # "what did NAME win in the EVENT in PLACE in YEAR"
    weights = {token: matcher._weight(token) for token in matcher.question_tokens(question)}
    common: list[str] = []
    partial = matcher._covered_weight(weights, deferred=common)
    assert "what" in common
    # never a word that tells facts apart: only those more than half of all intents use
    assert all(len(matcher._postings[token]) > len(matcher._intents) // 2 for token in common)
    exact = matcher._covered_weight(weights)
    assert exact[fact.id] == pytest.approx(partial[fact.id] + sum(weights[token] for token in common))
    best = factbot.matcher.score(question)[0]
    assert best.intent_id == fact.id and best.score == 100.0  # the common word's share of the score stays
