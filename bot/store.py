"""The live fact base: answers from the current one, swaps in a new one only when it is valid.

The fact base is the knowledge folder plus the learned phrasings from the shared store
(``bot.database``). ``/reload``, ``/teach``, SIGHUP, ``--watch`` and a change announced by
another process all go through ``KnowledgeStore.reload``. A reload builds the new fact base
completely (loading, validation, matcher index) before one reference assignment makes it
current, so a question never sees a half-built fact base and a broken folder leaves the old
facts serving. When the database cannot be reached, the learned phrasings last read are used.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.answers import FactBot
from bot.database import Database, DatabaseError, LearnedPhrasings
from bot.knowledge import Knowledge, KnowledgeError, Problem, load_knowledge
from bot.settings import MatchSettings
from bot.teaching import adopt_learned_file

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
    def between(cls, old: Knowledge, new: Knowledge) -> KnowledgeDiff:
        old_ids, new_ids = set(old.facts), set(new.facts)
        changed = [fact_id for fact_id in old_ids & new_ids if old.facts[fact_id] != new.facts[fact_id]]
        return cls(
            added=tuple(sorted(new_ids - old_ids)),
            removed=tuple(sorted(old_ids - new_ids)),
            changed=tuple(sorted(changed)),
            questions_before=old.question_count,
            questions_after=new.question_count,
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


class KnowledgeStore:
    """Holds the current ``FactBot``; safe to reload from any thread while questions are answered."""

    def __init__(self, directory: Path, settings: MatchSettings, database: Database) -> None:
        self.directory = directory
        self.settings = settings
        self.database = database
        self._learned: LearnedPhrasings = {}
        try:
            adopt_learned_file(database, directory)
        except DatabaseError as error:
            log.warning("cannot import the learned phrasings file now: %s", error)
        self._current = FactBot(self._load(), settings)
        self._reload_lock = threading.Lock()

    @property
    def current(self) -> FactBot:
        return self._current

    def _load(self) -> Knowledge:
        try:
            self._learned = self.database.learned_phrasings()
        except DatabaseError as error:
            log.warning("cannot read the learned phrasings (%s); using the %d last read",
                        error, sum(map(len, self._learned.values())))
        return load_knowledge(self.directory, learned_phrasings=self._learned)

    def reload(self) -> ReloadResult:
        """Re-read the folder and the learned phrasings; on any problem keep the current facts and say why."""
        with self._reload_lock:
            old = self._current
            try:
                candidate = FactBot(self._load(), self.settings)
            except KnowledgeError as error:
                return ReloadResult(problems=tuple(error.problems))
            except Exception as error:  # a bug must not take the serving facts down with it
                log.exception("building the fact base failed")
                return ReloadResult(problems=(Problem(str(self.directory), f"unexpected error: {error!r}"),))
            self._current = candidate
            return ReloadResult(diff=KnowledgeDiff.between(old.knowledge, candidate.knowledge))
