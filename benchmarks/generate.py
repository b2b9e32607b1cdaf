"""Plausible synthetic fact bases of any size, for measuring how cost grows with the facts.

Each fact is one generated sentence of a generated article (so its quote is verbatim by
construction) and is asked about in varied phrasings built from a shared vocabulary, so
common words recur across facts the way they do in a real fact base.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.normalize import phrasing_key

FIRST_NAMES = ["Ada", "Bram", "Carla", "Dmitri", "Elin", "Farah", "Goran", "Hana", "Ivo", "Jana", "Kofi", "Lena", "Mateo", "Nia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zora", "Aiko", "Bjorn", "Chidi", "Dalia", "Emre", "Fleur", "Gideon", "Hedda", "Ilya", "Jonas", "Kaia", "Luca", "Mira", "Noor"]
LAST_NAMES = ["Abara", "Berg", "Castillo", "Dahl", "Eriksen", "Fontaine", "Gallo", "Haugen", "Ibsen", "Jovanovic", "Kim", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Sato", "Tanaka", "Urbina", "Varga", "Weber", "Xu", "Yilmaz", "Zeller", "Amundsen", "Brandt", "Costa", "Duval"]
EVENTS = """100 m|200 m|400 m|800 m|1500 m|5000 m|10000 m|marathon|steeplechase|high jump|long jump|pole vault|
triple jump|shot put|discus|javelin|hammer throw|decathlon|heptathlon|race walk|hurdles|relay""".replace("\n", "").split("|")
PLACES = ["Paris", "Oslo", "Rome", "Tokyo", "Doha", "Monaco", "Zurich", "Brussels", "Eugene", "Nairobi", "Berlin", "London", "Stockholm", "Lausanne", "Rabat", "Shanghai", "Budapest", "Helsinki", "Madrid", "Lisbon"]
RESULTS = ["gold", "silver", "bronze", "fourth place", "a season best", "a national record", "a personal best"]
VERBS = ["won", "took", "claimed", "secured", "earned"]


@dataclass(frozen=True)
class GeneratedFact:
    id: str
    sentence: str
    questions: list[str]
    answer: str


def _fact(index: int, rng: random.Random) -> GeneratedFact:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    surname = name.split()[1]
    event, place, result, verb = rng.choice(EVENTS), rng.choice(PLACES), rng.choice(RESULTS), rng.choice(VERBS)
    year = rng.randint(1990, 2028)
    minutes, seconds = rng.randint(1, 59), rng.randint(0, 59)
    time = f"{minutes}:{seconds:02d}.{rng.randint(0, 99):02d}"
    sentence = f"In {place} in {year}, {name} {verb} {result} in the {event} with a time of {time} (entry {index})."
    questions = [
        f"what did {name} win in the {event} in {place} in {year}",
        f"how did {surname} do in the {event} at {place} {year}",
        f"{surname} {event} {place} {year} result",
        f"what was {surname}'s time in the {event} in {place} in {year}",
        f"who got {result} in the {event} at {place} in {year}",
        f"did {name} get a medal in {place} {year} {event}",
        f"{event} {place} {year} {surname}?",
        f"entry {index} result",
    ]
    return GeneratedFact(f"fact_{index}", sentence, questions, f"{name} {verb} {result} in the {event} in {place} ({year}).")


def _unique_questions(facts: list[GeneratedFact]) -> list[GeneratedFact]:
    """A phrasing may belong to one fact only (the loader enforces it): drop repeats."""
    seen: set[str] = set()
    unique = []
    for fact in facts:
        kept = []
        for question in fact.questions:
            key = phrasing_key(question)
            if key not in seen:
                seen.add(key)
                kept.append(question)
        unique.append(GeneratedFact(fact.id, fact.sentence, kept, fact.answer))
    return unique


def generate_facts(fact_count: int, seed: int = 7) -> list[GeneratedFact]:
    """The same ``fact_count`` facts for the same seed, every time."""
    rng = random.Random(seed)
    return _unique_questions([_fact(index, rng) for index in range(fact_count)])


def write_knowledge(directory: Path, fact_count: int, seed: int = 7) -> list[GeneratedFact]:
    """Write a valid knowledge folder with ``fact_count`` facts; returns the facts."""
    facts = generate_facts(fact_count, seed)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "article.txt").write_text("\n".join(f.sentence for f in facts) + "\n", encoding="utf-8")
    (directory / "article.yaml").write_text(
        yaml.safe_dump({"file": "article.txt", "title": f"Generated results ({fact_count} facts)", "language": "en"}),
        encoding="utf-8",
    )
    entries = [
        {"id": f.id, "topic": f.sentence.split(",")[0], "answer": f.answer, "quotes": [f.sentence], "questions": f.questions}
        for f in facts
    ]
    (directory / "facts.yaml").write_text(yaml.safe_dump({"facts": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return facts


def sample_questions(facts: list[GeneratedFact], count: int, seed: int = 11) -> list[tuple[str, str | None]]:
    """Questions as users type them: known phrasings, reworded, misspelt, and off-topic ones,
    each with the fact that answers it (None for off-topic)."""
    rng = random.Random(seed)
    questions: list[tuple[str, str | None]] = []
    for _ in range(count):
        fact = rng.choice(facts)
        question = rng.choice(fact.questions)
        expected: str | None = fact.id
        style = rng.random()
        if style < 0.3:
            question = question.replace("what was", "tell me").replace("did", "has")
        elif style < 0.5 and len(question) > 10:
            cut = rng.randrange(len(question) - 1)
            question = question[:cut] + question[cut + 1 :]
        elif style < 0.6:
            question = f"how old is {fact.sentence.split(', ')[1].split()[0]} and who is their coach"
            expected = None
        questions.append((question, expected))
    return questions
