"""Teaching the bot a new phrasing of a fact (``/teach``, ``factbot teach``).

Taught phrasings go to ``learned_questions.yaml`` in the knowledge folder, never into the
hand-written ``facts.yaml``. The new file is validated together with the rest of the folder
before anything touches the disk, then written atomically (temporary file, fsync, rename), so
a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from bot.knowledge import (
    LEARNED_QUESTIONS_FILE,
    KnowledgeError,
    Problem,
    load_knowledge,
)
from bot.models import LearnedQuestionsFile
from bot.normalize import phrasing_key

LEARNED_FILE_HEADER = """\
# Phrasings taught by moderators with /teach or `factbot teach`, by fact id.
# Written by factbot (atomically); safe to edit by hand. Validated with the rest of the folder.
"""

_write_lock = threading.Lock()
TEACH_LOCK_FILE = ".teach.lock"


@contextmanager
def _folder_lock(directory: Path) -> Iterator[None]:
    """Serialise teaching across processes (several shard processes may share one folder)."""
    with _write_lock, open(directory / TEACH_LOCK_FILE, "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


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
            return (f"Not taught: the knowledge folder cannot be written ({self.reason}). Mount it writable, "
                    "or teach on the machine that holds the folder and reload.")
        if self.status is TeachStatus.TAUGHT:
            return f"Taught: {self.question!r} now asks about '{self.fact_id}'."
        if self.status is TeachStatus.ALREADY_KNOWN:
            return f"{self.question!r} is already a phrasing of '{self.fact_id}'; nothing to do."
        if self.status is TeachStatus.BELONGS_ELSEWHERE:
            where = "hand-written in facts.yaml" if self.other_is_hand_written else "taught earlier"
            return f"{self.question!r} is already a phrasing of '{self.other_fact_id}' ({where})."
        return "Not taught; the knowledge folder would be invalid:\n" + "\n".join(f"- {p}" for p in self.problems)


def _read_learned(directory: Path) -> dict[str, list[str]]:
    path = directory / LEARNED_QUESTIONS_FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {fact_id: list(questions) for fact_id, questions in LearnedQuestionsFile.model_validate(data).learned.items()}


def _render(learned: dict[str, list[str]]) -> str:
    body = yaml.safe_dump({"learned": {k: v for k, v in sorted(learned.items()) if v}}, allow_unicode=True, sort_keys=False, width=100)
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


def teach(directory: Path, question: str, fact_id: str, *, move: bool = False) -> TeachResult:
    """Add ``question`` as a phrasing of ``fact_id``. With ``move``, take it from the fact that
    has it now (only a taught phrasing can be moved; hand-written ones are edited in facts.yaml)."""
    question = " ".join(question.split())
    try:
        return _teach_locked(directory, question, fact_id, move=move)
    except OSError as error:  # a read-only mount, a full disk, a folder that went away
        return TeachResult(TeachStatus.UNWRITABLE, question, fact_id, reason=error.strerror or str(error))


def _teach_locked(directory: Path, question: str, fact_id: str, *, move: bool) -> TeachResult:
    with _folder_lock(directory):
        try:
            current = load_knowledge(directory)
            learned = _read_learned(directory)
        except KnowledgeError as error:
            return TeachResult(TeachStatus.INVALID, question, fact_id, problems=tuple(error.problems))
        key = phrasing_key(question)
        owner = next((f.id for f in current.facts.values() if key in {phrasing_key(q) for q in f.questions}), None)
        if owner == fact_id:
            return TeachResult(TeachStatus.ALREADY_KNOWN, question, fact_id)
        if owner is not None:
            taught_by_owner = [q for q in learned.get(owner, []) if phrasing_key(q) == key]
            if not move or not taught_by_owner:
                return TeachResult(TeachStatus.BELONGS_ELSEWHERE, question, fact_id, owner, not taught_by_owner)
            learned[owner] = [q for q in learned[owner] if phrasing_key(q) != key]
        learned.setdefault(fact_id, []).append(question)
        text = _render(learned)
        try:
            load_knowledge(directory, overrides={LEARNED_QUESTIONS_FILE: text})
        except KnowledgeError as error:
            return TeachResult(TeachStatus.INVALID, question, fact_id, problems=tuple(error.problems))
        write_atomically(directory / LEARNED_QUESTIONS_FILE, text)
        return TeachResult(TeachStatus.TAUGHT, question, fact_id, owner)
