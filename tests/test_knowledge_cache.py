"""The compiled knowledge cache: read back when nothing changed, rebuilt when anything did or the
file is damaged, never in the way when it cannot be written."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import knowledge_cache
from bot.answers import FactBot
from bot.database import open_database, sqlite_url
from bot.evaluation import read_labelled_questions
from bot.knowledge import Fact, Quote
from bot.knowledge_cache import KnowledgeCache
from bot.matcher import Outcome
from bot.settings import Settings
from bot.store import KnowledgeStore, load_library
from tests.conftest import DATA_DIR, edit_yaml


def library_of(folder: Path, cache: KnowledgeCache, learned: dict | None = None) -> tuple[FactBot, bool]:
    """The folder's one fact base, and whether it was built (True) or read back from the cache."""
    built = []
    original = cache.fact_base

    def counting(*args, build, **kwargs):  # type: ignore[no-untyped-def]
        def counted_build() -> FactBot:
            built.append(True)
            return build()

        return original(*args, build=counted_build, **kwargs)

    cache.fact_base = counting  # type: ignore[method-assign]
    library, _ = load_library(folder, Settings(_env_file=None), {"": learned or {}}, cache=cache)
    (factbot,) = library.articles.values()
    return factbot, bool(built)


@pytest.fixture
def cache(tmp_path: Path) -> KnowledgeCache:
    return KnowledgeCache(tmp_path / "cache")


def cache_file(cache: KnowledgeCache) -> Path:
    (path,) = cache.directory.glob("*.pickle")
    return path


def test_a_second_load_reads_the_same_fact_base_back(knowledge_copy: Path, cache: KnowledgeCache) -> None:
    built, was_built = library_of(knowledge_copy, cache)
    read, was_read_built = library_of(knowledge_copy, cache)
    assert was_built and not was_read_built
    assert read.knowledge == built.knowledge
    for item in read_labelled_questions(DATA_DIR / "dev_questions.jsonl", built.knowledge.facts):
        assert read.ask(item.q).to_json() == built.ask(item.q).to_json()


def test_the_settings_of_this_start_decide_not_those_of_the_start_that_built_it(
        knowledge_copy: Path, cache: KnowledgeCache) -> None:
    library_of(knowledge_copy, cache)
    strict = Settings(_env_file=None, answer_threshold=100, clear_lead_threshold=100)
    library, _ = load_library(knowledge_copy, strict, {"": {}}, cache=cache)
    factbot = library.articles["paris-5000m"]
    assert factbot.matcher.settings is strict
    assert factbot.ask("kwemoi medal colour").outcome is not Outcome.ANSWERED  # answered at the defaults (92)


def test_any_change_to_the_files_builds_afresh(knowledge_copy: Path, cache: KnowledgeCache) -> None:
    library_of(knowledge_copy, cache)
    edit_yaml(knowledge_copy / "facts.yaml", lambda data: data["facts"][0]["questions"].append("zebra crossing quiz"))
    factbot, was_built = library_of(knowledge_copy, cache)
    assert was_built
    assert factbot.ask("zebra crossing quiz").fact.id == factbot.knowledge.facts[next(iter(factbot.knowledge.facts))].id
    (knowledge_copy / "notes.txt").write_text("a moderator's note", encoding="utf-8")  # any file of the folder
    assert library_of(knowledge_copy, cache)[1]


def test_an_article_text_in_a_sub_folder_is_part_of_the_key(knowledge_copy: Path, cache: KnowledgeCache) -> None:
    (knowledge_copy / "texts").mkdir()
    (knowledge_copy / "article.txt").rename(knowledge_copy / "texts" / "article.txt")
    edit_yaml(knowledge_copy / "article.yaml", lambda meta: meta.update(file="texts/article.txt"))
    library_of(knowledge_copy, cache)
    article = knowledge_copy / "texts" / "article.txt"
    article.write_text(article.read_text(encoding="utf-8") + "A line added later.\n", encoding="utf-8")
    factbot, was_built = library_of(knowledge_copy, cache)
    assert was_built and factbot.knowledge.article.endswith("A line added later.\n")


def test_new_learned_phrasings_build_afresh(knowledge_copy: Path, cache: KnowledgeCache) -> None:
    library_of(knowledge_copy, cache)
    factbot, was_built = library_of(knowledge_copy, cache, {"silver_medalist": ["zebra crossing quiz"]})
    assert was_built
    assert factbot.ask("zebra crossing quiz").fact.id == "silver_medalist"


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "garbage", "empty"])
def test_a_damaged_file_is_rebuilt_and_replaced(knowledge_copy: Path, cache: KnowledgeCache, damage: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    library_of(knowledge_copy, cache)
    path = cache_file(cache)
    data = bytearray(path.read_bytes())
    if damage == "flip a byte":
        data[len(data) // 2] ^= 0xFF
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = bytearray(b"not a cache at all")
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        factbot, was_built = library_of(knowledge_copy, cache)
    assert was_built
    assert factbot.ask("who won silver").fact.id == "silver_medalist"
    if damage in {"flip a byte", "truncate"}:  # the header still says which files: the damage is reported
        assert "damaged" in caplog.text
    assert not library_of(knowledge_copy, cache)[1]  # replaced by a good one


def test_a_payload_that_is_not_a_fact_base_is_rebuilt(knowledge_copy: Path, cache: KnowledgeCache,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    library_of(knowledge_copy, cache)
    path = cache_file(cache)
    key = path.read_bytes()[len(knowledge_cache._MAGIC) : len(knowledge_cache._MAGIC) + knowledge_cache._DIGEST_BYTES]
    cache._write(path, key, ("not", "a fact base"))  # type: ignore[arg-type]  right key, wrong content
    with caplog.at_level(logging.WARNING):
        assert library_of(knowledge_copy, cache)[1]
    assert "holds something else" in caplog.text


def test_an_unwritable_cache_still_answers(knowledge_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    cache = KnowledgeCache(blocked / "cache")
    with caplog.at_level(logging.WARNING):
        factbot, _ = library_of(knowledge_copy, cache)
    assert factbot.ask("who won silver").fact.id == "silver_medalist"
    assert "cannot store the compiled knowledge" in caplog.text


def test_the_store_reloads_through_the_cache(knowledge_copy: Path, tmp_path: Path) -> None:
    cache = KnowledgeCache(tmp_path / "cache")
    database = open_database(sqlite_url(tmp_path / "factbot.sqlite3"), retention_days=90)
    try:
        store = KnowledgeStore(knowledge_copy, Settings(_env_file=None), database, cache)
        edit_yaml(knowledge_copy / "facts.yaml", lambda data: data["facts"][0]["questions"].append("zebra crossing quiz"))
        store.reload()
        assert store.library.ask("zebra crossing quiz").reply.matched
    finally:
        database.close()


def test_facts_read_back_are_built_when_looked_up_and_equal_to_those_stored() -> None:
    article = "Yesterday Warholm won, and Benjamin came second."
    quote, other = Quote("Warholm won", 10, 21), Quote("Benjamin came second", 27, 47)
    facts = {"a": Fact("a", "topic", "answer", (quote, other), ("q1", "q2"), ("k",), ("Warholm",)),
             "b": Fact("b", "other", "answer b", (), ("q3",))}
    assert all(article[quote.start : quote.end] == quote.text for quote in (quote, other))
    function, arguments = knowledge_cache._PackedFacts.packed(facts, article)
    packed = function(*arguments)
    assert list(packed) == ["a", "b"] and len(packed) == 2 and "b" in packed and "c" not in packed
    assert packed["b"] == facts["b"] and packed["b"] is packed["b"]
    assert dict(packed) == facts
    with pytest.raises(KeyError):
        packed["c"]  # every fact built by now: still no other
