"""Scoring the bot on a labelled question set (``factbot eval``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.answers import FactBot, Reply
from bot.matcher import Outcome


class LabelledQuestion(BaseModel):
    """One line of an evaluation file: ``{"q": "...", "fact": "fact_id" or null}``."""

    model_config = ConfigDict(extra="forbid")

    q: str
    fact: str | None = Field(description="The fact that answers it, or null when the article doesn't say.")


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
        if item.fact is None:
            self.out_of_scope += 1
            correct = reply.outcome is not Outcome.ANSWERED
            self.out_of_scope_rejected += correct
        else:
            self.in_scope += 1
            correct = reply.matched and reply.fact is not None and reply.fact.id == item.fact
            self.in_scope_correct += correct
        if not correct:
            self.misses.append(Miss(item.q, item.fact, reply))

    def summary(self) -> str:
        return (
            f"in-scope accuracy:     {self.accuracy:7.1%}  ({self.in_scope_correct}/{self.in_scope})\n"
            f"out-of-scope rejected: {self.rejection:7.1%}  ({self.out_of_scope_rejected}/{self.out_of_scope})\n"
            f"ambiguous replies:     {self.ambiguity_rate:7.1%}  ({self.ambiguous}/{self.total})"
        )


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
