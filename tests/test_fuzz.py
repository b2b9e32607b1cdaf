"""Property tests: arbitrary questions never break the matcher; mutated knowledge files either
load whole and valid or are refused with a clear list of problems."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge import MAX_FILE_BYTES, Knowledge, KnowledgeError, load_knowledge
from bot.matcher import Outcome
from tests.conftest import KNOWLEDGE_DIR

TRICKY_FRAGMENTS = [
    "\u200b", "\u200d", "\u2066", "\u202e", "\ufeff", "\x00", "\x1b[31m", "\r\n", "\t", "\u0301\u0301\u0301",
    "🏃‍♂️", "🇳🇴", "👨‍👩‍👧", "@everyone", "@here", "<@123456789012345678>", "<@&400000000000000001>", "<#1>",
    "**", "__", "~~", "||spoiler||", "```", "> ", "[link](http://127.0.0.1)", "{0}", "%s", "{question}",
    "silver", "1500", "5k", "Sørum", "who", "?", "ﷺ", "مرحبا", "日本語", "Ω", "İ", "ß", " ",
]

questions = st.lists(st.one_of(st.text(max_size=50), st.sampled_from(TRICKY_FRAGMENTS)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=questions)
def test_matcher_never_raises_and_answers_only_with_verbatim_quotes(factbot, question):
    reply = factbot.ask(question)
    assert reply.outcome in set(Outcome)
    assert reply.text
    if reply.outcome is Outcome.ANSWERED:
        assert reply.quotes
        assert all(factbot.knowledge.article[q.start : q.end] == q.text for q in reply.quotes)
    else:
        assert not reply.quotes
    suggestions = factbot.suggest_questions(question)
    assert len(suggestions) <= 25 and all(isinstance(s, str) and s for s in suggestions)


@settings(max_examples=25, deadline=None)
@given(seed=questions.filter(str.strip), length=st.integers(501, 10_000))
def test_huge_questions_get_a_reply(factbot, seed, length):
    question = (seed * (length // len(seed) + 1))[:length]
    reply = factbot.ask(question)
    assert reply.outcome is Outcome.NOT_FOUND and "characters long" in reply.text


def _mutate(text: bytes, data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["delete", "replace", "insert", "duplicate", "truncate", "bytes"]))
    at = data.draw(st.integers(0, len(text)))
    if kind == "delete":
        return text[:at] + text[at + data.draw(st.integers(1, 200)) :]
    if kind == "replace" and at < len(text):
        return text[:at] + data.draw(st.sampled_from([b"x", b":", b"-", b"'", b"\t", b"[", b"{", b"\n"])) + text[at + 1 :]
    if kind == "insert":
        return text[:at] + data.draw(st.sampled_from([b"  - 42\n", b"foo: [1, 2]\n", b"42: x\n", b"null: 1\n", b": :\n", b"\xff\xfe", b"id: gold_5000m\n"])) + text[at:]
    if kind == "duplicate":
        end = min(len(text), at + data.draw(st.integers(1, 2000)))
        return text[:end] + text[at:end] + text[end:]
    if kind == "truncate":
        return text[:at]
    return text[:at] + bytes(data.draw(st.lists(st.integers(0, 255), max_size=8))) + text[at:]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), target=st.sampled_from(["facts.yaml", "out_of_scope.yaml", "synonyms.yaml", "article.yaml", "article.txt"]))
def test_mutated_knowledge_loads_whole_or_not_at_all(data, target):
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder) / "knowledge"
        shutil.copytree(KNOWLEDGE_DIR, directory)
        path = directory / target
        path.write_bytes(_mutate(path.read_bytes(), data))
        try:
            knowledge = load_knowledge(directory)
        except KnowledgeError as error:
            assert error.problems and all(str(problem) for problem in error.problems)
            return
        assert isinstance(knowledge, Knowledge)
        assert knowledge.facts
        for fact in knowledge.facts.values():
            assert fact.answer.strip() and fact.questions
            assert all(knowledge.article[q.start : q.end] == q.text for q in fact.quotes)


def test_a_huge_facts_file_is_refused_early(knowledge_copy):
    with open(knowledge_copy / "facts.yaml", "ab") as facts:
        facts.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk is filled
    try:
        load_knowledge(knowledge_copy)
    except KnowledgeError as error:
        assert "the limit is" in str(error) and "split it" in str(error)
    else:
        raise AssertionError("a facts file over the limit was accepted")
