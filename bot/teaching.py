"""Learned phrasings: teaching the bot a new phrasing of a fact (``/teach``, ``factbot teach``),
and moving the taught phrasings between the shared store and files (``factbot learned``).

Taught phrasings live in the shared store (``bot.database``), so every process on every machine
answers with them; they are kept apart from the hand-written ``facts.yaml``. A change is
validated together with the knowledge folder and written in one transaction that every other
teacher waits for, so two moderators teaching at once on two machines both land, and a change
that would make the fact base invalid is never written. ``learned_questions.yaml`` is the file
form, for review and version control (``factbot learned export`` / ``import``); a folder that
still has one from before the store is imported once.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import ValidationError

from bot.database import LONE_ARTICLE, Database, DatabaseError, LearnedPhrasings, LearnedPhrasingsChanged
from bot.knowledge import LEARNED_QUESTIONS_FILE, KnowledgeError, Problem, load_knowledge
from bot.models import LearnedQuestionsFile
from bot.normalize import phrasing_key

log = logging.getLogger(__name__)

# How often a teach reads the phrasings again when other teachers keep changing them meanwhile.
TEACH_ATTEMPTS = 10
Outcome = TypeVar("Outcome")

LEARNED_FILE_HEADER = """\
# Phrasings taught by moderators with /teach or `factbot teach`, by fact id, as exported by
# `factbot learned export`. factbot answers from the copy in its database; after editing this
# file, `factbot learned import` it (validated with the knowledge folder before anything is written).
"""


class TeachStatus(StrEnum):
    TAUGHT = "taught"
    ALREADY_KNOWN = "already_known"
    BELONGS_ELSEWHERE = "belongs_elsewhere"
    INVALID = "invalid"
    UNWRITABLE = "unwritable"


@dataclass(frozen=True)
class TeachResult:
    status: TeachStatus
    question: str
    fact_id: str
    other_fact_id: str | None = None
    other_is_hand_written: bool = False
    problems: tuple[Problem, ...] = ()
    reason: str = ""

    def describe(self) -> str:
        if self.status is TeachStatus.UNWRITABLE:
            return f"Not taught: the database cannot be written just now ({self.reason}). Try again shortly."
        if self.status is TeachStatus.TAUGHT:
            return f"Taught: {self.question!r} now asks about '{self.fact_id}'."
        if self.status is TeachStatus.ALREADY_KNOWN:
            return f"{self.question!r} is already a phrasing of '{self.fact_id}'; nothing to do."
        if self.status is TeachStatus.BELONGS_ELSEWHERE:
            where = "hand-written in facts.yaml" if self.other_is_hand_written else "taught earlier"
            return f"{self.question!r} is already a phrasing of '{self.other_fact_id}' ({where})."
        return "Not taught; the knowledge folder would be invalid:\n" + "\n".join(f"- {p}" for p in self.problems)


def teach(database: Database, directory: Path, question: str, fact_id: str, *, move: bool = False,
          article: str = LONE_ARTICLE) -> TeachResult:
    """Add ``question`` as a phrasing of ``fact_id`` of the article in ``directory``, stored under
    ``article`` (``bot.library.learned_key``). With ``move``, take it from the fact that has it
    now (only a taught phrasing can be moved; hand-written ones are edited in facts.yaml)."""
    question = " ".join(question.split())
    try:
        return _changing_learned(database, article, lambda learned: _teach(directory, learned, question, fact_id, move=move))
    except DatabaseError as error:  # the server is down or the file read-only: nothing was written
        return TeachResult(TeachStatus.UNWRITABLE, question, fact_id, reason=str(error))


def _changing_learned(database: Database, article: str, change: Callable[[LearnedPhrasings], Outcome]) -> Outcome:
    """Read the article's learned phrasings, let ``change`` decide and edit a copy, and write the
    copy unless another teacher wrote first (then read again). The change is checked outside the
    store's lock: loading a large fact base takes seconds, and questions are logged meanwhile."""
    for _ in range(TEACH_ATTEMPTS):
        before = database.learned_phrasings(article)
        learned = {fact_id: list(questions) for fact_id, questions in before.items()}
        outcome = change(learned)
        try:
            database.replace_learned_phrasings(article, before, learned)
        except LearnedPhrasingsChanged:
            continue
        return outcome
    raise DatabaseError(f"other moderators changed the learned phrasings {TEACH_ATTEMPTS} times meanwhile; try again")


def _teach(directory: Path, learned: LearnedPhrasings, question: str, fact_id: str, *, move: bool) -> TeachResult:
    """Decide, and change ``learned`` in place only when the result is valid."""
    try:
        current = load_knowledge(directory, learned_phrasings=learned)
    except KnowledgeError as error:
        return TeachResult(TeachStatus.INVALID, question, fact_id, problems=tuple(error.problems))
    key = phrasing_key(question)
    owner = next((f.id for f in current.facts.values() if key in {phrasing_key(q) for q in f.questions}), None)
    if owner == fact_id:
        return TeachResult(TeachStatus.ALREADY_KNOWN, question, fact_id)
    candidate = {other: list(questions) for other, questions in learned.items()}
    if owner is not None:
        taught_by_owner = [q for q in learned.get(owner, []) if phrasing_key(q) == key]
        if not move or not taught_by_owner:
            return TeachResult(TeachStatus.BELONGS_ELSEWHERE, question, fact_id, owner, not taught_by_owner)
        candidate[owner] = [q for q in candidate[owner] if phrasing_key(q) != key]
    candidate.setdefault(fact_id, []).append(question)
    try:
        load_knowledge(directory, learned_phrasings=candidate)
    except KnowledgeError as error:
        return TeachResult(TeachStatus.INVALID, question, fact_id, problems=tuple(error.problems))
    learned.clear()
    learned.update({other: questions for other, questions in candidate.items() if questions})
    return TeachResult(TeachStatus.TAUGHT, question, fact_id, owner)


# -- the file form ------------------------------------------------------------------------------


class LearnedFileError(Exception):
    """A learned phrasings file that cannot be read or is not in the expected form."""


def read_learned_file(path: Path) -> LearnedPhrasings:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        parsed = LearnedQuestionsFile.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise LearnedFileError(f"{path}: {error}") from error
    return {fact_id: list(questions) for fact_id, questions in parsed.learned.items()}


def render_learned(learned: LearnedPhrasings) -> str:
    body = yaml.safe_dump({"learned": {k: v for k, v in sorted(learned.items()) if v}}, allow_unicode=True,
                          sort_keys=False, width=100)
    return LEARNED_FILE_HEADER + body


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers and crashes see the old or the new file, whole."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)


def import_learned(database: Database, directory: Path, incoming: LearnedPhrasings, *, replace: bool,
                   article: str = LONE_ARTICLE) -> tuple[Problem, ...]:
    """Merge ``incoming`` into the article's stored phrasings (or, with ``replace``, make it the
    whole set), validated with the article's folder first; the problems found, and nothing
    written, if any."""
    def merge(learned: LearnedPhrasings) -> tuple[Problem, ...]:
        candidate = {} if replace else {fact_id: list(questions) for fact_id, questions in learned.items()}
        for fact_id, questions in incoming.items():
            known = candidate.setdefault(fact_id, [])
            known.extend(q for q in questions if q not in known)
        try:
            load_knowledge(directory, learned_phrasings=candidate)
        except KnowledgeError as error:
            return tuple(error.problems)
        learned.clear()
        learned.update(candidate)
        return ()

    return _changing_learned(database, article, merge)


def adopt_learned_file(database: Database, directory: Path) -> None:
    """Once per database, import the ``learned_questions.yaml`` a folder kept before the store
    held the phrasings. Only a file that is valid with its folder is imported; a broken one is
    reported and left for ``factbot learned import`` after fixing it."""
    path = directory / LEARNED_QUESTIONS_FILE
    if not path.is_file():
        return
    try:
        load_knowledge(directory)  # the file as the folder used to read it: valid with its facts
        phrasings = read_learned_file(path)
    except (KnowledgeError, LearnedFileError) as error:
        log.warning("not importing %s into the database: %s", path, error)
        return
    if database.import_learned_once(phrasings, str(path)):
        log.warning("imported %d taught phrasing(s) from %s into %s; the file is no longer read "
                    "(`factbot learned export` writes the current set)", sum(map(len, phrasings.values())), path,
                    database.describe())
