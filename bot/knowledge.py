"""Loading the knowledge folder: all of it valid, or none of it.

A knowledge folder holds::

    article.yaml            title, source and language of the article, and its file name
    article.txt             the article, byte for byte (quotes are checked against it)
    facts.yaml              the facts (schema: bot.models.FactSpec)
    out_of_scope.yaml       questions people ask that the article does not answer (optional)
    synonyms.yaml           words people use for the same thing (optional)
    translations.yaml       how people ask in other languages, word by word (optional)
    contrasts.yaml          words that exclude each other, for yes/no questions (optional)
    learned_questions.yaml  phrasings taught before they moved into the shared store (optional;
                            imported once, then ``factbot learned export`` writes this form)

``load_knowledge`` reports every problem it finds at once, each naming the file, the
fact id and the field, and raises instead of returning a partial fact base.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from bot.collector import collector_paused
from bot.models import (
    ArticleMeta,
    ContrastsFile,
    FactSpec,
    LearnedQuestionsFile,
    OutOfScopeSpec,
    Schema,
    SynonymsFile,
    TranslationsFile,
)
from bot.normalize import phrasing_key
from bot.yaml_reading import load_yaml

ARTICLE_META_FILE = "article.yaml"
FACTS_FILE = "facts.yaml"
OUT_OF_SCOPE_FILE = "out_of_scope.yaml"
SYNONYMS_FILE = "synonyms.yaml"
TRANSLATIONS_FILE = "translations.yaml"
CONTRASTS_FILE = "contrasts.yaml"
LEARNED_QUESTIONS_FILE = "learned_questions.yaml"
# Where problems with the taught phrasings kept in the shared store are located.
LEARNED_PHRASINGS = "learned phrasings"

# Far above any real article, and room for 100,000 facts (60 MB of facts.yaml); stops a runaway file early.
MAX_FILE_BYTES = 256 * 1024 * 1024

SchemaT = TypeVar("SchemaT", bound=Schema)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge folder, located as precisely as possible."""

    file: str
    message: str
    item: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.item is not None:
            where.append(f"fact '{self.item}'")
        if self.field:
            where.append(self.field)
        return f"{': '.join(where)}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder is invalid; ``problems`` lists everything found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the knowledge folder:\n{lines}")


def rebuilt_by_constructor(self: Any) -> tuple[type, tuple[Any, ...]]:
    """``__reduce__`` for a slotted dataclass: pickle rebuilds it with its constructor, six times
    faster than dataclasses' own ``__setstate__`` (which looks its fields up for every object:
    most of reading 100,000 facts back from the compiled cache)."""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim span of the article: ``article[start:end] == text``."""

    text: str
    start: int
    end: int

    __reduce__ = rebuilt_by_constructor


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    topic: str
    answer: str
    quotes: tuple[Quote, ...]
    questions: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()

    __reduce__ = rebuilt_by_constructor


@dataclass(frozen=True, slots=True)
class OutOfScope:
    id: str
    topic: str
    reply: str
    questions: tuple[str, ...]

    __reduce__ = rebuilt_by_constructor


@dataclass(frozen=True)
class Knowledge:
    """A fully validated fact base. Immutable: a reload builds a new one."""

    directory: Path
    meta: ArticleMeta
    article: str
    facts: Mapping[str, Fact]
    out_of_scope: Mapping[str, OutOfScope]
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Other languages' words for English ones, every language together, and their function words.
    translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    foreign_filler: tuple[str, ...] = ()
    # Each other language's words (what tells a question in it) and its yes/no verdicts, by language code.
    foreign_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    verdicts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    contrasts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Entries `factbot new` drafted that no moderator has reviewed yet.
    drafted_count: int = 0

    @cached_property  # kept in the compiled cache: counting would build every fact it reads back
    def question_count(self) -> int:
        return sum(len(fact.questions) for fact in self.facts.values())

    @property
    def quote_count(self) -> int:
        return sum(len(fact.quotes) for fact in self.facts.values())

    def topics(self) -> dict[str, list[Fact]]:
        """Facts grouped by topic, in file order."""
        grouped: dict[str, list[Fact]] = {}
        for fact in self.facts.values():
            grouped.setdefault(fact.topic, []).append(fact)
        return grouped


class _ProblemList(list[Problem]):
    def add(self, file: str, message: str, item: str | None = None, field: str | None = None) -> None:
        self.append(Problem(file, message, item, field))


def _read_text(
    directory: Path, name: str, problems: _ProblemList, *, required: bool, overrides: Mapping[str, str]
) -> str | None:
    if name in overrides:  # a proposed new version of the file, validated before it is written
        return overrides[name]
    path = directory / name
    if not path.is_file():
        if required:
            problems.add(name, "file is missing")
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.add(
            name, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes: split it across several articles"
        )
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add(name, f"not valid UTF-8 (byte {error.start})")
        return None


def _read_yaml(
    directory: Path, name: str, problems: _ProblemList, *, required: bool, overrides: Mapping[str, str]
) -> Any:
    text = _read_text(directory, name, problems, required=required, overrides=overrides)
    if text is None:
        return None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.add(name, f"invalid YAML{where}: {reason}")
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(name, f"must be a mapping at the top level, not {type(data).__name__}")
        return None
    return data


def _item_id(raw: Any, location: tuple[int | str, ...]) -> str | None:
    """The id of the list entry a pydantic error location points into, if there is one."""
    if len(location) >= 2 and isinstance(location[1], int) and isinstance(raw, dict):
        entries = raw.get(location[0])
        if isinstance(entries, list) and location[1] < len(entries):
            entry = entries[location[1]]
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                return entry["id"]
            return f"#{location[1] + 1}"
    if len(location) >= 2 and location[0] == "learned":
        return str(location[1])
    return None


def _field_path(location: tuple[int | str, ...]) -> str:
    rest = location[2:] if len(location) >= 2 and isinstance(location[1], int) else location
    if rest and rest[0] == "learned":
        rest = rest[2:]
    text = ""
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _report(error: ValidationError, name: str, raw: Any, prefix: tuple[int | str, ...], problems: _ProblemList) -> None:
    for detail in error.errors():
        location = prefix + tuple(detail["loc"])
        message = detail["msg"]
        if detail["type"] == "extra_forbidden":
            message = "unknown key (not part of the schema; check the spelling)"
        elif detail["type"] == "string_type" and isinstance(detail.get("input"), int | float):
            message = f"expected text but YAML read the number {detail['input']!r}: put it in quotes"
        problems.add(name, message, _item_id(raw, location), _field_path(location) or None)


def _validate(schema: type[SchemaT], name: str, raw: Any, problems: _ProblemList) -> SchemaT | None:
    if raw is None:
        return None
    try:
        return schema.model_validate(raw)
    except ValidationError as error:
        _report(error, name, raw, (), problems)
        return None


def _validate_entries(
    schema: type[SchemaT], name: str, raw: Any, key: str, problems: _ProblemList, *, required: bool
) -> list[SchemaT]:
    """Validate a list of entries one by one, so one bad entry does not hide the others' problems."""
    if raw is None:
        return []
    for unknown in sorted(str(k) for k in raw if k != key):  # YAML keys may be numbers too
        problems.add(name, "unknown key (not part of the schema; check the spelling)", field=unknown)
    entries = raw.get(key)
    if entries is None and not required:
        return []
    if not isinstance(entries, list) or (required and not entries):
        problems.add(name, "must be a non-empty list", field=key)
        return []
    valid = []
    for index, entry in enumerate(entries):
        try:
            valid.append(schema.model_validate(entry))
        except ValidationError as error:
            _report(error, name, raw, (key, index), problems)
    return valid


class _QuoteFinder:
    """Finds quotes in the article. Fact files quote the article mostly in reading order, so each
    search starts where the previous quote was found and wraps around only when the text is not
    there: loading reads the article about once, not once per quote (100,000 facts: minutes)."""

    def __init__(self, article: str) -> None:
        self.article = article
        self._previous = 0

    def find(self, text: str) -> int:
        start = self.article.find(text, self._previous)
        if start < 0:
            start = self.article.find(text, 0, self._previous + len(text))
        if start >= 0:
            self._previous = start
        return start


def _resolve_quotes(spec: FactSpec, finder: _QuoteFinder, article_name: str, problems: _ProblemList) -> tuple[Quote, ...]:
    quotes: list[Quote] = []
    for index, text in enumerate(spec.quotes):
        start = finder.find(text)
        if start < 0:
            problems.add(FACTS_FILE, f"not found verbatim in {article_name}: {text[:80]!r}", spec.id, f"quotes[{index}]")
        else:
            quotes.append(Quote(text, start, start + len(text)))
    return tuple(quotes)


def _article_path(directory: Path, meta: ArticleMeta, problems: _ProblemList) -> str | None:
    candidate = (directory / meta.file).resolve()
    if not candidate.is_relative_to(directory.resolve()):
        problems.add(ARTICLE_META_FILE, "must name a file inside the knowledge folder", field="file")
        return None
    return meta.file


def _check_unique_questions(
    entries: list[tuple[str, str, tuple[str, ...]]], problems: _ProblemList
) -> None:
    owner: dict[str, tuple[str, str]] = {}
    for file, entry_id, questions in entries:
        for index, question in enumerate(questions):
            key = phrasing_key(question)
            if not key:
                problems.add(file, "has no words", entry_id, f"questions[{index}]")
                continue
            if key in owner:
                other_file, other_id = owner[key]
                where = "this fact" if other_id == entry_id else f"'{other_id}' ({other_file})"
                problems.add(file, f"{question!r} is already a question of {where}", entry_id, f"questions[{index}]")
            else:
                owner[key] = (file, entry_id)


def _raw_ids(name: str, raw: Any, key: str) -> Iterator[tuple[str, str]]:
    """Ids as written, including those of entries that failed validation."""
    entries = raw.get(key) if isinstance(raw, dict) else None
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            yield name, entry["id"]


@collector_paused()  # millions of objects at 100,000 facts, and no garbage
def load_knowledge(directory: Path | str, overrides: Mapping[str, str] | None = None,
                   learned_phrasings: Mapping[str, Sequence[str]] | None = None) -> Knowledge:
    """Read and validate a knowledge folder. Raises ``KnowledgeError`` listing every problem.

    ``overrides`` maps file names to text used instead of the files on disk, so a change can be
    validated together with everything else before it is written. ``learned_phrasings`` are the taught
    phrasings from the shared store (``bot.database``); given, it replaces
    ``learned_questions.yaml``, which is then only read by the one-time import.
    """
    directory = Path(directory)
    overrides = overrides or {}
    problems = _ProblemList()
    if not directory.is_dir():
        raise KnowledgeError([Problem(str(directory), "is not a folder")])

    def read_yaml(name: str, *, required: bool = False) -> Any:
        return _read_yaml(directory, name, problems, required=required, overrides=overrides)

    meta = _validate(ArticleMeta, ARTICLE_META_FILE, read_yaml(ARTICLE_META_FILE, required=True), problems)
    raw_facts = read_yaml(FACTS_FILE, required=True)
    fact_specs = _validate_entries(FactSpec, FACTS_FILE, raw_facts, "facts", problems, required=True)
    raw_oos = read_yaml(OUT_OF_SCOPE_FILE)
    oos_specs = _validate_entries(OutOfScopeSpec, OUT_OF_SCOPE_FILE, raw_oos, "out_of_scope", problems, required=False)
    synonyms_file = _validate(SynonymsFile, SYNONYMS_FILE, read_yaml(SYNONYMS_FILE), problems)
    contrasts_file = _validate(ContrastsFile, CONTRASTS_FILE, read_yaml(CONTRASTS_FILE), problems)
    translations_file = _validate(TranslationsFile, TRANSLATIONS_FILE, read_yaml(TRANSLATIONS_FILE), problems)
    learned_source = LEARNED_QUESTIONS_FILE if learned_phrasings is None else LEARNED_PHRASINGS
    raw_learned = read_yaml(LEARNED_QUESTIONS_FILE) if learned_phrasings is None else {"learned": dict(learned_phrasings)}
    learned_file = _validate(LearnedQuestionsFile, learned_source, raw_learned, problems)

    article: str | None = None
    article_name = meta.file if meta else "article.txt"
    if meta is not None and _article_path(directory, meta, problems):
        article = _read_text(directory, meta.file, problems, required=True, overrides=overrides)
        if article is not None and not article.strip():
            problems.add(meta.file, "the article is empty")
            article = None

    learned = learned_file.learned if learned_file else {}

    seen_ids: dict[str, str] = {}
    for file, entry_id in [*_raw_ids(FACTS_FILE, raw_facts, "facts"), *_raw_ids(OUT_OF_SCOPE_FILE, raw_oos, "out_of_scope")]:
        if entry_id in seen_ids:
            problems.add(file, f"duplicate id (also used in {seen_ids[entry_id]})", entry_id, "id")
        seen_ids.setdefault(entry_id, file)
    fact_ids = {spec.id for spec in fact_specs}
    for fact_id in learned:
        if fact_id not in fact_ids and raw_facts is not None:
            problems.add(learned_source, "no fact has this id", fact_id)

    facts: dict[str, Fact] = {}
    finder = _QuoteFinder(article) if article is not None else None
    for spec in fact_specs:
        quotes = _resolve_quotes(spec, finder, article_name, problems) if finder is not None else ()
        questions = tuple(spec.questions) + tuple(learned.get(spec.id, ()))
        facts[spec.id] = Fact(
            spec.id, spec.topic, spec.answer, quotes, questions, tuple(spec.keywords), tuple(spec.entities)
        )

    _check_unique_questions(
        [(FACTS_FILE, spec.id, tuple(spec.questions)) for spec in fact_specs]
        + [(OUT_OF_SCOPE_FILE, spec.id, tuple(spec.questions)) for spec in oos_specs]
        + [(learned_source, fact_id, tuple(questions)) for fact_id, questions in learned.items()],
        problems,
    )

    if problems or meta is None or article is None:
        raise KnowledgeError(list(problems) or [Problem(str(directory), "could not be loaded")])
    out_of_scope = {spec.id: OutOfScope(spec.id, spec.topic, spec.reply, tuple(spec.questions)) for spec in oos_specs}
    synonyms = {key: tuple(values) for key, values in (synonyms_file.synonyms if synonyms_file else {}).items()}
    languages = list(translations_file.languages.values()) if translations_file else []
    translations: dict[str, tuple[str, ...]] = {}
    for language in languages:
        for english, foreign in language.words.items():
            translations[english] = translations.get(english, ()) + tuple(foreign)
    return Knowledge(
        directory=directory,
        meta=meta,
        article=article,
        facts=MappingProxyType(facts),
        out_of_scope=MappingProxyType(out_of_scope),
        synonyms=MappingProxyType(synonyms),
        translations=MappingProxyType(translations),
        foreign_filler=tuple(word for language in languages for word in language.filler),
        foreign_words=MappingProxyType({
            code: tuple(word for foreign in language.words.values() for word in foreign)
            for code, language in (translations_file.languages.items() if translations_file else ())
        }),
        verdicts=MappingProxyType({
            code: MappingProxyType(dict(language.verdicts))
            for code, language in (translations_file.languages.items() if translations_file else ()) if language.verdicts
        }),
        contrasts=MappingProxyType({name: tuple(words) for name, words in (contrasts_file.contrasts if contrasts_file else {}).items()}),
        drafted_count=sum(spec.drafted for spec in [*fact_specs, *oos_specs]),
    )
