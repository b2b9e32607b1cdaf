"""Scoring the bot on a labelled question set (``factbot eval``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.answers import FactBot, Reply
from bot.matcher import Outcome
from bot.normalize import fold

_PRINTED_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-"})


def _comparable(text: str) -> str:
    """Text as answer words are compared in blind sets: folded, straight quotes, single spaces."""
    return " ".join(fold(text).translate(_PRINTED_QUOTES).split())


class LabelledQuestion(BaseModel):
    """One line of an evaluation file, labelled one of two ways.

    By fact, by someone who knows the fact base: ``{"q": "...", "fact": "fact_id" or null}``.
    Blind, by someone who saw only the article (``tests/blind/``): the words a right answer
    contains, ``{"q": "...", "cat": "typo", "expect_any": ["13:13.66"]}``, or ``"oos": true`` for a
    question the article doesn't answer; optionally ``expect_all``, ``forbid_any`` and, for an
    out-of-scope question that may also be answered, ``or_expect_any``.
    """

    model_config = ConfigDict(extra="forbid")

    q: str
    fact: str | None = Field(None, description="The fact that answers it, or null when the article doesn't say.")
    cat: str = Field("-", description="The kind of question, for the per-kind breakdown.")
    oos: bool = False
    expect_any: list[str] = []
    expect_all: list[str] = []
    forbid_any: list[str] = []
    or_expect_any: list[str] = []

    @property
    def labelled_by_fact(self) -> bool:
        return "fact" in self.model_fields_set

    @property
    def in_scope(self) -> bool:
        return self.fact is not None if self.labelled_by_fact else not self.oos

    def is_right(self, reply: Reply) -> bool:
        if self.labelled_by_fact:
            if self.fact is None:
                return reply.outcome is not Outcome.ANSWERED
            return reply.matched and reply.fact is not None and reply.fact.id == self.fact
        shown = _comparable(" ".join([reply.text, *(quote.text for quote in reply.quotes)]))

        def shows(words: list[str]) -> bool:
            return any(_comparable(word) in shown for word in words)

        if self.forbid_any and shows(self.forbid_any):
            return False
        if self.oos:
            return not reply.matched or shows(self.or_expect_any)
        return (
            reply.matched and bool(reply.quotes) and (not self.expect_any or shows(self.expect_any))
            and all(_comparable(word) in shown for word in self.expect_all)
        )


class EvaluationFileError(ValueError):
    pass


@dataclass(frozen=True)
class Miss:
    question: str
    expected: str | None
    reply: Reply


@dataclass
class Evaluation:
    in_scope: int = 0
    in_scope_correct: int = 0
    out_of_scope: int = 0
    out_of_scope_rejected: int = 0
    ambiguous: int = 0
    misses: list[Miss] = field(default_factory=list)
    # kind -> [right, asked]
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.in_scope + self.out_of_scope

    @property
    def accuracy(self) -> float:
        return self.in_scope_correct / self.in_scope if self.in_scope else 1.0

    @property
    def rejection(self) -> float:
        return self.out_of_scope_rejected / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def ambiguity_rate(self) -> float:
        return self.ambiguous / self.total if self.total else 0.0

    def record(self, item: LabelledQuestion, reply: Reply) -> None:
        if reply.outcome is Outcome.AMBIGUOUS:
            self.ambiguous += 1
        correct = item.is_right(reply)
        if item.in_scope:
            self.in_scope += 1
            self.in_scope_correct += correct
        else:
            self.out_of_scope += 1
            self.out_of_scope_rejected += correct
        kind = self.by_kind.setdefault(item.cat, [0, 0])
        kind[0] += correct
        kind[1] += 1
        if not correct:
            self.misses.append(Miss(item.q, item.fact if item.labelled_by_fact else item.cat, reply))

    def summary(self) -> str:
        lines = [
            f"in-scope accuracy:     {self.accuracy:7.1%}  ({self.in_scope_correct}/{self.in_scope})",
            f"out-of-scope rejected: {self.rejection:7.1%}  ({self.out_of_scope_rejected}/{self.out_of_scope})",
            f"ambiguous replies:     {self.ambiguity_rate:7.1%}  ({self.ambiguous}/{self.total})",
        ]
        if set(self.by_kind) != {"-"}:
            lines += [f"  {kind + ':':21s}{right / asked:7.1%}  ({right}/{asked})"
                      for kind, (right, asked) in sorted(self.by_kind.items())]
        return "\n".join(lines)


def read_labelled_questions(path: Path, known_fact_ids: Iterable[str]) -> list[LabelledQuestion]:
    """Parse a JSONL file, refusing it whole (with line numbers) when any line is wrong."""
    known = set(known_fact_ids)
    items: list[LabelledQuestion] = []
    errors: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = LabelledQuestion.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as error:
            errors.append(f"{path.name}:{number}: {error}".splitlines()[0])
            continue
        if item.fact is not None and item.fact not in known:
            errors.append(f"{path.name}:{number}: unknown fact id {item.fact!r}")
        items.append(item)
    if errors:
        raise EvaluationFileError("\n".join(errors))
    return items


def evaluate(bot: FactBot, items: Iterable[LabelledQuestion]) -> Evaluation:
    result = Evaluation()
    for item in items:
        result.record(item, bot.ask(item.q))
    return result
