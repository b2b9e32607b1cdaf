"""Yes/no questions: does the article confirm what the question claims, or say otherwise?

"Did Fisher get silver?" claims two things, a person and a place on the podium. Words that
exclude each other (gold / silver / bronze / fourth, Norwegian / Swedish, Instagram / Twitter,
one year or time or another) form *contrast classes*: ``contrasts.yaml`` lists them, and
numbers and the people the facts are about are classes of their own. A claim is confirmed when
the fact asserts the claimed word, and contradicted when it asserts another word of the same
class instead. A claim about a person is checked against the fact most specific to that person
(for Fisher: the bronze fact, not the podium that names all three).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NUMBER_CLASSES = frozenset({"time", "year", "distance"})
# Auxiliaries that open a yes/no question, and openers that may stand before them ("so did he...").
_AUXILIARIES = frozenset({
    "did", "does", "do", "is", "was", "were", "are", "has", "had", "have", "will", "would", "can", "could",
    "didnt", "doesnt", "isnt", "wasnt", "hasnt",
})
_OPENERS = frozenset({"so", "and", "but", "ok", "okay", "wait", "hey", "yo", "hi", "bot", "please", "um", "hmm", "lol"})
_CHECK_ENDINGS = (("right",), ("correct",), ("true",), ("or", "not"), ("yes", "or", "no"))


class Verdict(StrEnum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class ClaimCheck:
    verdict: Verdict
    # Facts to show, the one that settles the claim first ("Fisher won bronze"), then the matched one.
    fact_ids: tuple[str, ...]
    # For a No: the class of the claimed word the fact contradicts ("place" for bronze vs fourth).
    contradicted: str | None = None

    @property
    def is_plain_no(self) -> bool:
        """A No on what the claim *is* (a place, a nationality), not on which race, year or person it is about."""
        return self.verdict is Verdict.NO and self.contradicted not in {*_NUMBER_CLASSES, "person"}


def is_yes_no(words: Sequence[str]) -> bool:
    """Whether a question (its words, in order, filler included) asks for a yes or a no."""
    words = [word for word in words if word.isalnum()]
    opening = next((word for word in words if word not in _OPENERS), "")
    if opening in _AUXILIARIES:
        return True
    if "true" in words and "false" in words:
        return True
    return any(tuple(words[-len(ending):]) == ending for ending in _CHECK_ENDINGS)


class ContrastClasses:
    """Which class of mutually exclusive words a canonical token belongs to, if any."""

    def __init__(self, classes: Mapping[str, Iterable[str]], people: Iterable[str]) -> None:
        self._class_of = {token: name for name, tokens in classes.items() for token in tokens}
        self._class_of.update((token, "person") for token in people)

    def class_of(self, token: str) -> str | None:
        if token[:1].isdigit():
            return "time" if ":" in token else "year" if _YEAR.match(token) else "distance"
        return self._class_of.get(token)

    def claims(self, tokens: Iterable[str]) -> dict[str, str]:
        """The question's words that claim something checkable, with their class."""
        return {token: name for token in tokens if (name := self.class_of(token))}

    def peers(self, token: str, known: Iterable[str]) -> list[str]:
        """Known words of the same class as ``token``: what to look the claim up by when no fact
        knows the word itself ("is he Swedish" is looked up as "is he Norwegian"). Numbers are
        looked up by the nearest known number of the same kind (2032 -> 2028)."""
        name = self.class_of(token)
        same = [word for word in known if word != token and self.class_of(word) == name]
        if name in {"year", "distance"} and same:
            return [min(same, key=lambda word: abs(float(word) - float(token)))]
        return same if name is not None else []

    def check(
        self, claims: Mapping[str, str], matched_fact: str, asserted: Mapping[str, frozenset[str]]
    ) -> ClaimCheck | None:
        """Confirm or contradict ``claims`` against what the facts assert; None when they don't decide it."""
        settling = self._most_specific_fact(claims, asserted) or matched_fact
        facts = tuple(dict.fromkeys((settling, matched_fact)))
        words = asserted[settling]
        confirmed = False
        for token, name in claims.items():
            if token in words:
                # A number the fact shares names the race or year asked about; it confirms nothing by itself.
                confirmed = confirmed or name not in _NUMBER_CLASSES
            elif any(self.class_of(word) == name for word in words):
                return ClaimCheck(Verdict.NO, facts, name)
        return ClaimCheck(Verdict.YES, facts[:1]) if confirmed else None

    def _most_specific_fact(self, claims: Mapping[str, str], asserted: Mapping[str, frozenset[str]]) -> str | None:
        """For a claim about a person, the fact asserting the fewest other people besides them."""
        people = [token for token, name in claims.items() if name == "person"]
        if not people:
            return None
        about = [fact for fact, words in asserted.items() if people[0] in words]
        return min(about, key=lambda fact: sum(self.class_of(w) == "person" for w in asserted[fact]), default=None)
