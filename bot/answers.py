"""Turning a match into what the user reads: the answer, its quotes, or why there is none.

This is the one entry point the command line, the Discord bot and the tests share:
``FactBot.ask(question) -> Reply``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.claims import ClaimCheck, Verdict
from bot.knowledge import Fact, Knowledge, Quote
from bot.matcher import Matcher, MatchResult, Outcome, Scored
from bot.normalize import fold, strip_markup
from bot.settings import MatchSettings

AMBIGUOUS_CHOICES = 3
# Autocomplete ranks the phrasings of this many likely facts against what has been typed.
AUTOCOMPLETE_FACTS = 30


@dataclass(frozen=True)
class Alternative:
    fact_id: str
    topic: str
    question: str
    score: float


@dataclass(frozen=True)
class Reply:
    question: str
    outcome: Outcome
    text: str
    fact: Fact | None = None
    score: float = 0.0
    alternatives: tuple[Alternative, ...] = ()
    quotes: tuple[Quote, ...] = ()
    # The reply without its list of suggested topics, for front ends that show those separately.
    headline: str = ""

    def __post_init__(self) -> None:
        if not self.headline:
            object.__setattr__(self, "headline", self.text)

    @property
    def matched(self) -> bool:
        return self.outcome is Outcome.ANSWERED

    @property
    def fact_id(self) -> str | None:
        return self.fact.id if self.fact else None

    def to_json(self) -> dict[str, Any]:
        """The public JSON contract of ``factbot ask --json`` (documented in the README)."""
        return {
            "question": self.question,
            "outcome": self.outcome.value,
            "matched": self.matched,
            "fact_id": self.fact_id,
            "score": self.score,
            "answer": self.text,
            "quotes": [{"text": q.text, "start": q.start, "end": q.end} for q in self.quotes],
            "alternatives": [{"fact_id": a.fact_id, "score": a.score} for a in self.alternatives],
        }


class FactBot:
    """A loaded fact base and its matcher: answers questions, knows nothing of Discord."""

    def __init__(self, knowledge: Knowledge, settings: MatchSettings, *, matcher: Matcher | None = None) -> None:
        """``matcher``: this knowledge's index, already built (read from the compiled cache)."""
        self.knowledge = knowledge
        self.settings = settings
        self.matcher = matcher.using(settings) if matcher is not None else Matcher(knowledge, settings)

    def ask(self, question: str) -> Reply:
        problem = self._refusal(question)
        if problem:
            return Reply(question, Outcome.NOT_FOUND, problem)
        result = self.matcher.match(question)
        if result.parts:
            return self._combined(question, result.parts)
        return self._reply(question, result)

    def _reply(self, question: str, result: MatchResult) -> Reply:
        if result.outcome is Outcome.ANSWERED and result.best is not None and result.claim is not None:
            return self._verdict(question, result.claim, result.best.score)
        if result.outcome is Outcome.ANSWERED and result.best is not None and result.summarised_with:
            return self._summary(question, result.best, result.summarised_with)
        if result.outcome is Outcome.ANSWERED and result.best is not None:
            return self.answer_with(result.best.intent_id, question, result.best.score)
        if result.outcome is Outcome.AMBIGUOUS and result.best is not None:
            return self._ambiguous(question, result)
        return self._not_found(question, result)

    def _combined(self, question: str, parts: tuple[tuple[str, MatchResult], ...]) -> Reply:
        """One reply that answers each part, or says which part the article doesn't cover."""
        lines: list[str] = []
        quotes: list[Quote] = []
        answered: list[Reply] = []
        for piece, result in parts:
            reply = self._reply(piece.strip(), result)
            if reply.outcome is Outcome.ANSWERED:
                answered.append(reply)
                lines.append(reply.text)
                quotes.extend(quote for quote in reply.quotes if quote not in quotes)
            elif reply.outcome is Outcome.AMBIGUOUS:
                lines.append(f"“{reply.question}” could mean more than one thing; ask it on its own.")
            else:
                lines.append(f"“{reply.question}”: {reply.headline}")
        first = answered[0]
        score = min(reply.score for reply in answered)
        return Reply(question, Outcome.ANSWERED, "\n".join(lines), first.fact, score, quotes=tuple(quotes))

    def suggest_questions(self, typed: str, limit: int = 25) -> list[str]:
        """Known questions closest to what has been typed so far, best first."""
        # Markup goes, but a trailing space still says the last word is finished.
        typed = strip_markup(typed[: self.settings.max_question_chars]) + (" " if typed[-1:].isspace() else "")
        fact_ids = self.matcher.likely_facts(typed, AUTOCOMPLETE_FACTS)
        if not fact_ids:
            return [fact.questions[0] for fact in itertools.islice(self.knowledge.facts.values(), limit)]
        # Folded here, for the few likely facts only: a folded copy of every phrasing would cost
        # more memory than the matcher's whole index.
        phrasings = [question for fact_id in fact_ids for question in self.knowledge.facts[fact_id].questions]
        from rapidfuzz import fuzz, process  # here, not at the top: `factbot ask` starts without it

        found = process.extract(fold(typed), phrasings, scorer=fuzz.WRatio, processor=fold, limit=limit)
        return [phrasings[index] for _, _, index in found]

    def answer_with(self, fact_id: str, question: str, score: float = 100.0) -> Reply:
        """The reply for a known fact: used for a clear match and for a "Did you mean" pick."""
        fact = self.knowledge.facts[fact_id]
        return Reply(question, Outcome.ANSWERED, fact.answer, fact, score, quotes=fact.quotes)

    def _summary(self, question: str, best: Scored, mates: tuple[Scored, ...]) -> Reply:
        """The best fact's answer, then those of its topic-mates: "summarise his plans for 2028"."""
        return self._from_facts(question, [best.intent_id, *(item.intent_id for item in mates)], best.score)

    def _verdict(self, question: str, claim: ClaimCheck, score: float) -> Reply:
        """Yes or no first, then the fact(s) that settle it: "No. Grant Fisher won the bronze medal..."."""
        return self._from_facts(question, claim.fact_ids, score, lead=f"{self._verdict_word(question, claim.verdict)}. ")

    def _from_facts(self, question: str, fact_ids: Sequence[str], score: float, lead: str = "") -> Reply:
        """One reply saying what several facts say, in order, with each quote once."""
        facts = [self.knowledge.facts[fact_id] for fact_id in fact_ids]
        text = lead + " ".join(fact.answer for fact in facts)
        quotes = tuple(dict.fromkeys(quote for fact in facts for quote in fact.quotes))
        return Reply(question, Outcome.ANSWERED, text, facts[0], score, quotes=quotes)

    def _verdict_word(self, question: str, verdict: Verdict) -> str:
        """Yes or no in the language the question was asked in ("Nei" to "vant han 1500?"); the fact stays as written."""
        language = self.matcher.language_of(question)
        words = self.knowledge.verdicts.get(language, {}) if language else {}
        return words.get(verdict.value, verdict.value.capitalize())

    def _refusal(self, question: str) -> str | None:
        if not question or not question.strip():
            return "Please ask a question about the article, for example: who won silver in the 5000 m?"
        limit = self.settings.max_question_chars
        if len(question) > limit:
            return f"That question is {len(question):,} characters long; please keep it under {limit:,}."
        if not any(ch.isalnum() for ch in fold(question)):
            return "I couldn't find any words in that. Ask me something about the article."
        return None

    def _alternative(self, scored: Scored) -> Alternative:
        fact = self.knowledge.facts[scored.intent_id]
        return Alternative(fact.id, fact.topic, fact.questions[0], scored.score)

    def _ambiguous(self, question: str, result: MatchResult) -> Reply:
        best = result.best
        assert best is not None
        close = self.matcher.close_to_best(result)
        choices = tuple(self._alternative(item) for item in close[:AMBIGUOUS_CHOICES])
        options = "\n".join(f"- {choice.question}" for choice in choices)
        text = f"That could mean more than one thing. Did you mean:\n{options}"
        return Reply(question, Outcome.AMBIGUOUS, text, score=best.score, alternatives=choices)

    def _not_found(self, question: str, result: MatchResult) -> Reply:
        if result.small_talk:
            topics = "; ".join(self.knowledge.topics())
            text = f"Ask me a question about the article “{self.knowledge.meta.title}”. It covers: {topics}."
            return Reply(question, Outcome.NOT_FOUND, text)
        suggestions = self._suggestions(result.ranked_facts)
        if result.out_of_scope_id:
            reason = self.knowledge.out_of_scope[result.out_of_scope_id].reply
        else:
            reason = "The article doesn't say."
        text = reason
        if suggestions:
            topics = "; ".join(dict.fromkeys(s.topic for s in suggestions))
            text += f" It does cover: {topics}."
        score = result.best.score if result.best else 0.0
        return Reply(question, Outcome.NOT_FOUND, text, score=score, alternatives=suggestions, headline=reason)

    def _suggestions(self, ranked: tuple[Scored, ...]) -> tuple[Alternative, ...]:
        count = self.settings.suggestion_count
        if ranked:
            return tuple(self._alternative(item) for item in ranked[:count])
        # Nothing came close: offer the first few topics so the user sees what to ask.
        first_per_topic = [facts[0] for facts in self.knowledge.topics().values()][:count]
        return tuple(Alternative(f.id, f.topic, f.questions[0], 0.0) for f in first_per_topic)
