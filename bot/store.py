"""The live fact base: answers from the current one, swaps in a new one only when it is valid.

The fact base is every article in the knowledge folder (``bot.library``) plus the learned
phrasings from the shared store (``bot.database``). ``/reload``, ``/teach``, SIGHUP, ``--watch``
and a change announced by another process all go through ``KnowledgeStore.reload``. Each article
is loaded, validated and diffed on its own: a reload builds an article's new fact base completely
(loading, validation, matcher index) before one reference assignment makes the new library
current, so a question never sees a half-built fact base, and an article whose files are broken
keeps serving its previous facts (or, never loaded, is left out) while the others serve on.
When the database cannot be reached, the learned phrasings last read are used.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answers import FactBot
from bot.database import Database, DatabaseError, LearnedPhrasings
from bot.knowledge import LEARNED_QUESTIONS_FILE, Knowledge, KnowledgeError, Problem
from bot.knowledge_cache import KnowledgeCache
from bot.library import NO_ARTICLE, Library, find_articles, holds_one_article, learned_key, load_article
from bot.settings import MatchSettings

log = logging.getLogger(__name__)


# A reload that adds hundreds of facts still gets a reply that fits in a message.
LISTED_IDS = 20


@dataclass(frozen=True)
class KnowledgeDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    questions_before: int
    questions_after: int

    @classmethod
    def between(cls, old: Knowledge | None, new: Knowledge | None) -> KnowledgeDiff:
        """None on one side is an article that was not loaded before, or is gone now."""
        old_facts, new_facts = (old.facts if old else {}), (new.facts if new else {})
        old_ids, new_ids = set(old_facts), set(new_facts)
        changed = [fact_id for fact_id in old_ids & new_ids if old_facts[fact_id] != new_facts[fact_id]]
        return cls(
            added=tuple(sorted(new_ids - old_ids)),
            removed=tuple(sorted(old_ids - new_ids)),
            changed=tuple(sorted(changed)),
            questions_before=old.question_count if old else 0,
            questions_after=new.question_count if new else 0,
        )

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed) and self.questions_before == self.questions_after

    def summary(self) -> str:
        def ids(items: tuple[str, ...]) -> str:
            if not items:
                return "none"
            listed = ", ".join(items[:LISTED_IDS])
            return listed if len(items) <= LISTED_IDS else f"{listed} … and {len(items) - LISTED_IDS} more"

        return (
            f"added: {ids(self.added)}\nremoved: {ids(self.removed)}\nchanged: {ids(self.changed)}\n"
            f"questions: {self.questions_before} → {self.questions_after}"
        )


@dataclass(frozen=True)
class ReloadResult:
    diff: KnowledgeDiff | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.diff is not None


@dataclass(frozen=True)
class LibraryReload:
    """What a reload did to each article it looked at, by article id."""

    results: Mapping[str, ReloadResult]

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results.values())

    def problems(self, *, one_folder: bool) -> list[Problem]:
        """Every problem found; among several articles, each file is named with its article's folder."""
        return [problem if one_folder else replace(problem, file=f"{article}/{problem.file}")
                for article, result in self.results.items() for problem in result.problems]


def load_library(directory: Path, settings: MatchSettings, learned: Mapping[str, LearnedPhrasings], *,
                 previous: Library | None = None, only: str | None = None,
                 cache: KnowledgeCache | None = None) -> tuple[Library, LibraryReload]:
    """Load every article in ``directory`` (or, with ``only``, that one article, keeping the others
    as they are), each with its learned phrasings (``Database.learned_phrasings_by_article``) and
    on its own: an invalid article keeps its ``previous`` version serving. With a ``cache``, an
    article whose files, learned phrasings and code are unchanged is read back compiled."""
    one_folder = holds_one_article(directory)
    before = dict(previous.articles) if previous else {}
    found = find_articles(directory)
    if not found:
        refused = ReloadResult(problems=(Problem(str(directory), NO_ARTICLE),))
        return previous or Library({}, {}, settings, one_folder=one_folder), LibraryReload({directory.name: refused})
    if only is not None and only not in found:
        refused = ReloadResult(problems=(Problem(str(directory), f"has no article {only!r}"),))
        return previous or Library({}, {}, settings, one_folder=one_folder), LibraryReload({only: refused})
    serving = {article: bot for article, bot in before.items() if article in found}
    problems = {article: found_problems for article, found_problems in (previous.problems.items() if previous else ())
                if article in found and article != only}
    results: dict[str, ReloadResult] = {}
    for article in sorted(set(before) - set(found)):
        results[article] = ReloadResult(diff=KnowledgeDiff.between(before[article].knowledge, None))
    for article, folder in found.items():
        if only is not None and article != only:
            continue
        loaded = _load_article(article, folder, settings, learned.get(learned_key(one_folder, article), {}),
                               named_by_folder=not one_folder, cache=cache)
        if isinstance(loaded, FactBot):
            problems.pop(article, None)
            old = before.get(article)
            serving[article] = loaded
            results[article] = ReloadResult(diff=KnowledgeDiff.between(old.knowledge if old else None, loaded.knowledge))
        else:
            problems[article] = loaded
            results[article] = ReloadResult(problems=loaded)
    return Library(serving, problems, settings, one_folder=one_folder), LibraryReload(results)


def _load_article(article: str, folder: Path, settings: MatchSettings, learned: LearnedPhrasings, *,
                  named_by_folder: bool, cache: KnowledgeCache | None) -> FactBot | tuple[Problem, ...]:
    """One article's new fact base, or why it cannot be built."""

    def build() -> FactBot:
        return FactBot(load_article(article, folder, learned, named_by_folder=named_by_folder), settings)

    try:
        if cache is None:
            return build()
        return cache.fact_base(article, folder, learned, settings, named_by_folder=named_by_folder, build=build)
    except KnowledgeError as error:
        return tuple(error.problems)
    except Exception as error:  # a bug must not take the serving facts down with it
        log.exception("building the fact base of %s failed", article)
        return (Problem(str(folder), f"unexpected error: {error!r}"),)


class KnowledgeStore:
    """Holds the current ``Library``; safe to reload from any thread while questions are answered."""

    def __init__(self, directory: Path, settings: MatchSettings, database: Database,
                 cache: KnowledgeCache | None = None) -> None:
        self.directory = directory
        self.settings = settings
        self.database = database
        self.cache = cache
        self._learned: dict[str, LearnedPhrasings] = {}
        # A file kept from before the store (one article's, by nature); teaching is imported only then.
        if holds_one_article(directory) and (directory / LEARNED_QUESTIONS_FILE).is_file():
            from bot.teaching import adopt_learned_file

            try:
                adopt_learned_file(database, directory)
            except DatabaseError as error:
                log.warning("cannot import the learned phrasings file now: %s", error)
        library, loaded = load_library(directory, settings, self._read_learned(), cache=cache)
        if not library.articles:
            raise KnowledgeError(loaded.problems(one_folder=library.one_folder))
        for article, problems in library.problems.items():
            log.warning("article %s is not served, its files are invalid:\n%s", article, "\n".join(map(str, problems)))
        self._library = library
        self._reload_lock = threading.Lock()

    @property
    def library(self) -> Library:
        return self._library

    def _read_learned(self) -> dict[str, LearnedPhrasings]:
        try:
            self._learned = self.database.learned_phrasings_by_article()
        except DatabaseError as error:
            log.warning("cannot read the learned phrasings (%s); using the %d last read", error,
                        sum(len(questions) for learned in self._learned.values() for questions in learned.values()))
        return self._learned

    def reload(self, article: str | None = None) -> LibraryReload:
        """Re-read the folder (or one article of it) and the learned phrasings; an article with any
        problem keeps its current facts, and the result says why."""
        with self._reload_lock:
            self._library, result = load_library(self.directory, self.settings, self._read_learned(),
                                                 previous=self._library, only=article, cache=self.cache)
            return result
