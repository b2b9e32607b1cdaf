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
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.normalize import AUXILIARIES, NEGATED_AUXILIARIES, OPENERS, QUESTION_WORDS, STOPWORDS

# Words that place a claim's word in time relative to the fact rather than claim it.
_TIME_RELATIONS = frozenset({"before", "after", "since", "until", "ahead", "prior"})

_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NUMBER_CLASSES = frozenset({"time", "year", "distance"})
# A claimed word no fact knows is looked up by at most this many known words of its class.
MAX_PEERS = 6


def _number(token: str) -> float:
    """A time (13:13.66), year or distance as one number, for "the nearest one"."""
    value = 0.0
    for part in token.split(":"):
        value = value * 60 + float(part)
    return value
# "under 13 minutes", "faster than 13:20", "sub 13 min", "over 13 mins": a bound claimed on a time.
_BELOW = frozenset({"under", "below", "less", "faster", "quicker", "sub", "within", "shatter"})
_ABOVE = frozenset({"over", "above", "more", "slower", "longer"})
_SECONDS_PER = {"minute": 60.0, "min": 60.0, "mins": 60.0, "m": 60.0, "second": 1.0, "sec": 1.0, "secs": 1.0, "s": 1.0}


@dataclass(frozen=True)
class TimeBound:
    """"Under 13 minutes": a time below (or above) ``seconds``; ``token`` is the number as the question wrote it."""

    below: bool
    seconds: float
    token: str
    comparator: str  # "under", "sub": how the question said it, no word about what is asked

    def holds_for(self, time_token: str) -> bool:
        value = _number(time_token)
        return value < self.seconds if self.below else value > self.seconds


def time_bound(words: Sequence[str]) -> TimeBound | None:
    """The bound a question claims on a time, from its words in order (filler included); "break"
    reads as "shatter" (synonyms), as in "did he break 13 minutes"."""
    for index, word in enumerate(words):
        if word not in _BELOW and word not in _ABOVE:
            continue
        rest = [w for w in words[index + 1 : index + 4] if w != "than"]
        if not rest or not rest[0][:1].isdigit():
            continue
        number, unit = rest[0], (rest[1] if len(rest) > 1 else "")
        if ":" in number:
            return TimeBound(word in _BELOW, _number(number), number, word)
        if unit in _SECONDS_PER:
            return TimeBound(word in _BELOW, float(number) * _SECONDS_PER[unit], number, word)
    return None


# The article's subject: synonyms.yaml reads his names as "he", so "did he..." and "did Jakob..." agree.
SUBJECT = "he"
# Words that may stand before "he" without asking anything ("in his post", "for him").
_NOT_VERBS = frozenset({
    "in", "on", "at", "for", "to", "of", "with", "by", "from", "about", "and", "but", "or", "the", "a",
    # a clause before the question ("so *if* Jakob was fourth, who won the 1500?")
    "if", "since", "because", "as", "although", "though", "once", "after", "before", "while", "now",
    # A worksheet's instruction is followed by what to write about: "Describe Ingebrigtsen's status".
    "describe", "explain", "identify", "name", "list", "summarise", "summarize", "outline", "quote", "state",
    "discuss", "compare", "give", "tell", "show", "note", "mention", "summary",
})
# "... or what?", "... or nah": a question tag asking for a verdict, not a choice.
_TAGS_AFTER_OR = ("what", "not", "nah", "no", "nope", "something", "smth", "anything")
_CHECK_ENDINGS = (("right",), ("correct",), ("true",), ("yes",), ("yes", "or", "no"), *(("or", tag) for tag in _TAGS_AFTER_OR))
# How a fact's text names the subject.
SUBJECT_WORDS = frozenset({SUBJECT, "his", "him", "himself"})


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
        return self.verdict is Verdict.NO and (self.contradicted is None or _names_a_thing(self.contradicted))


def is_yes_no(words: Sequence[str], asked: bool = False, verb_first: bool = False) -> bool:
    """Whether a question (its words, in order, filler included; ``asked``: it ends in "?") asks
    for a yes or a no: "did he...", "true or false: ...", "... right?", "vant han..." (a verb
    before its subject, in a language that asks so: ``verb_first``; in English "platform he posted
    on" is no question), or a statement with a question mark ("so he got silver?")."""
    words = [word for word in words if word.isalnum() and word not in OPENERS]
    if not words or words[0] in QUESTION_WORDS:
        return False
    if _asks_a_question_politely(words):
        return False
    if words[0] in AUXILIARIES or ("true" in words and "false" in words):
        return True
    if any(tuple(words[-len(ending):]) == ending for ending in _CHECK_ENDINGS):
        return True
    if _ends_with_a_question_tag(words):
        return True
    if verb_first and len(words) > 1 and words[1] == SUBJECT and words[0] not in _NOT_VERBS:  # "vant han" = "won he"
        return True
    return asked and len(words) >= 3 and SUBJECT in words[:2] and not QUESTION_WORDS.intersection(words)


def _ends_with_a_question_tag(words: Sequence[str]) -> bool:
    """"he came third in the 1500, didn't he", "it was in Paris wasnt it": a statement, then a tag asking whether it holds."""
    words = [word for word in words if word != "t"]  # "didn't" is "didn" + "t"
    return len(words) >= 3 and words[-2] in NEGATED_AUXILIARIES and words[-1] in {"he", "it", "they", "she", "i"}


# Words that turn a claim round ("did he leave Paris with *no* medal?", "is he *skipping* the 1500?"):
# the facts' words can't say yes or no to that.
_NEGATIONS = frozenset({
    "no", "not", "without", "nothing", "never", "none", "nobody", "neither", "nor", "skip", "skips", "skipping",
    "skipped", "drop", "drops", "dropping", "dropped", "miss", "misses", "missing", "missed", "quit", "quitting",
    "lose",
})


def is_negated(words: Sequence[str]) -> bool:
    """Whether a question (its words, filler included) turns its claim round.
    A negated auxiliary opening the question or its tag asks as any other does ("didn't he win?",
    "..., didn't he?"); "... or not?" and "yes or no?" ask for a verdict; a remark before the
    question turns nothing ("no spoilers pls, did he win gold?")."""
    words = [word for word in words if word != "t"]  # "didn't" is "didn" + "t"
    asked_from = next((index for index, word in enumerate(words) if word in AUXILIARIES), 0)
    # "didn't he win?" asks; "he didn't win?" says he didn't: an auxiliary asks when its subject follows it.
    asking = {asked_from} if words[asked_from + 1 : asked_from + 2] == [SUBJECT] or asked_from == 0 else set()
    if _ends_with_a_question_tag(words):
        asking.add(len(words) - 2)
    return any(
        (word in _NEGATIONS or word in NEGATED_AUXILIARIES and index not in asking)
        and not (index and words[index - 1] == "or")
        for index, word in enumerate(words) if index >= asked_from
    )


@dataclass(frozen=True)
class HowAsked:
    """What a yes/no question says besides its claims. ``choices``: what it offers with "or" ("Paris
    or Tokyo?"); ``exclusive``: the claims it says there is no other of ("*only* the 5000?", "*just*
    one pic?"); ``medal``: it asks about a medal, so "win" means any medal ("did Fisher win a medal?")."""

    choices: tuple[tuple[str, str], ...] = ()
    exclusive: frozenset[str] = frozenset()
    medal: bool = False


# A claim asked plainly: no choice offered, nothing exclusive, no medal.
PLAINLY = HowAsked()


# Words of a request wrapped around a question: "could you kindly tell me how long...", "I was
# wondering whether you might be able to tell me who...".
_REQUEST_WORDS = frozenset({
    "you", "please", "kindly", "tell", "me", "us", "let", "know", "wondering", "wonder", "curious", "whether", "if", "i",
    "was", "might", "be", "able", "to", "explain", "remind", "say", "could", "can", "would", "summarise",
    "summarize", "summary", "describe",
})


# What a request asks someone to do with a question: "can you *explain* in simple English how...".
_REQUEST_VERBS = frozenset({"tell", "explain", "describe", "summarise", "summarize", "summary", "remind", "show", "help"})


def _asks_a_question_politely(words: Sequence[str]) -> bool:
    """Whether the words open with an auxiliary of a request ("could you", "was wondering") and a
    question word follows a request verb ("can you explain ... how") or nothing but request words:
    the question word's question is asked."""
    if len(words) < 2 or words[0] not in AUXILIARIES or words[1] not in {"you", "wondering", "curious"}:
        return False
    asked_at = next((index for index, word in enumerate(words) if word in QUESTION_WORDS), None)
    if asked_at is None:
        return False
    verb = next((word for word in words[2:asked_at] if word not in {"kindly", "please", "just"}), None)
    return verb in _REQUEST_VERBS or _REQUEST_WORDS.issuperset(words[1:asked_at])


# "True or false: ..." and "... yes or no?" ask for a verdict; their "or" offers no choice.
_VERDICT_CHOICES = (("true", "or", "false"), ("false", "or", "true"), ("yes", "or", "no"), ("no", "or", "yes"))


def choices_offered(words: Sequence[str]) -> list[tuple[str, str]]:
    """The alternatives a question (its words, filler included) offers, a pair for each "or"
    between two words, filler skipped: "gold or silver?" -> (gold, silver), "the 5000 or the
    10000" -> (5000, 10000); none for "true or false" or "... or not?"."""
    pairs = []
    for index in range(1, len(words) - 1):
        if (words[index] != "or" or tuple(words[index - 1 : index + 2]) in _VERDICT_CHOICES
                or (index == len(words) - 2 and words[-1] in _TAGS_AFTER_OR)):
            continue
        before = next((word for word in reversed(words[:index]) if word not in STOPWORDS), None)
        after = next((word for word in words[index + 1 :] if word not in STOPWORDS), None)
        if before and after:
            pairs.append((before, after))
    return pairs


# The class of places ("gold", "fourth"); "win" is a place without saying which: beside "gold"
# it is no other place.
PLACE_CLASS = "place"
_ANY_PLACE = "win"
# The places that win a race, and those that win a medal.
_WINNING = frozenset({"gold", "first"})
_MEDALS = frozenset({"gold", "silver", "bronze"})
# The class of counts ("three images").
_COUNT = "count"
# A city a third of the facts or more name is where the article is set ("Paris"): it confirms no claim.
SETTING_CLASS = "city"
SETTING_SHARE = 3


def _names_a_thing(name: str) -> bool:
    """Whether a claim of this class says what something is (a place, a platform, a sport), not
    which race, year or person it is about."""
    return name not in _NUMBER_CLASSES and name != "person"


class ContrastClasses:
    """Which class of mutually exclusive words a canonical token belongs to, if any."""

    def __init__(self, classes: Mapping[str, Iterable[str]], people: Iterable[str]) -> None:
        self._class_of = {token: name for name, tokens in classes.items() for token in tokens}
        self._class_of.update((token, "person") for token in [*people, SUBJECT])

    def class_of(self, token: str) -> str | None:
        if token[:1].isdigit():
            return "time" if ":" in token else "year" if _YEAR.match(token) else "distance"
        return self._class_of.get(token)

    def words(self) -> list[str]:
        """Every word of every class (people excepted)."""
        return [token for token, name in self._class_of.items() if name != "person"]

    def words_of_class(self, name: str) -> list[str]:
        """The words of one class."""
        return [token for token, class_name in self._class_of.items() if class_name == name]

    def same_class(self, word: str, other: str) -> bool:
        """Whether two words exclude each other: gold and silver, the 1500 and the 5000, Instagram and X."""
        name = self.class_of(word)
        return name is not None and name == self.class_of(other)

    @staticmethod
    def is_number_class(name: str) -> bool:
        return name in _NUMBER_CLASSES

    def claims(self, tokens: Iterable[str], about_subject: bool) -> dict[str, str]:
        """The question's words that claim something checkable, with their class; a claim about
        no one else is a claim about the article's subject when the question names him ("did he...")."""
        words = list(tokens)
        # "did he win in Monaco *before the Games*": what comes before or after is when, not a claim.
        claims = {
            token: name for index, token in enumerate(words)
            if (name := self.class_of(token)) and (index == 0 or words[index - 1] not in _TIME_RELATIONS)
        }
        if claims and about_subject and "person" not in claims.values():
            claims[SUBJECT] = "person"
        return claims

    def peers(self, token: str, known: Iterable[str]) -> list[str]:
        """Known words of the same class as ``token``: what to look the claim up by when no fact
        knows the word itself ("is he Swedish" is looked up as "is he Norwegian"). Numbers are
        looked up by the nearest known number of the same kind (2032 -> 2028)."""
        name = self.class_of(token)
        same = [word for word in known if word != token and self.class_of(word) == name]
        if name in _NUMBER_CLASSES and same:
            return [min(same, key=lambda word: abs(_number(word) - _number(token)))]
        return same[:MAX_PEERS] if name is not None else []

    def check_bound(self, bound: TimeBound, fact_id: str, asserted: Mapping[str, frozenset[str]]) -> ClaimCheck | None:
        """Yes or no on a claimed bound, from the time the fact asserts; None when it asserts none."""
        times = [word for word in asserted[fact_id] if self.class_of(word) == "time"]
        if len(times) != 1:
            return None
        return ClaimCheck(Verdict.YES if bound.holds_for(times[0]) else Verdict.NO, (fact_id,))

    def check(
        self, claims: Mapping[str, str], ranked: Sequence[str], asserted: Mapping[str, frozenset[str]],
        naming: Callable[[str], Iterable[str]], *, asked: HowAsked = PLAINLY, as_close: Sequence[str] = (),
        setting: Container[str] = (),
    ) -> ClaimCheck | None:
        """Confirm or contradict ``claims`` against what the facts assert (``ranked``: the facts the
        matcher found, best first; ``naming``: the facts that may name a word; ``as_close``: those that
        match the question about as well as the best); None when they don't decide it. Two claims of
        one class offered as a choice ask which, not whether; ``setting``: where the article is set
        (Paris), which every fact shares and so confirms nothing."""
        if asked.choices and self._alternatives(claims, asked.choices):
            return None
        settling = self._settling_fact(claims, ranked, asserted, naming) or ranked[0]
        # The fact the question matched is shown too ("Kwemoi won silver"), if it is about the same race or year.
        numbers = [token for token, name in claims.items() if name in _NUMBER_CLASSES]
        matched_too = all(token in asserted[ranked[0]] for token in numbers)
        facts = tuple(dict.fromkeys((settling, ranked[0]) if matched_too else (settling,)))
        verdict, contradicted = self._verdict(claims, asserted[settling], asked, setting)
        if verdict is Verdict.NO:
            # Another fact the matcher found about the same person may hold the claim ("did he win in
            # Paris?": not the 1500 m, but the 5000 m): then it is a Yes, shown with that fact.
            people = self._people(asserted[settling])
            for other in as_close:
                if (other != settling and self._about_the_same_person(claims, asserted[other])
                        and self._people(asserted[other]) <= people
                        and self._verdict(claims, asserted[other], asked, setting)[0] is Verdict.YES):
                    return ClaimCheck(Verdict.YES, (other,))
            return ClaimCheck(Verdict.NO, facts, contradicted)
        return ClaimCheck(Verdict.YES, facts[:1]) if verdict is Verdict.YES else None

    def _verdict(
        self, claims: Mapping[str, str], words: frozenset[str], asked: HowAsked, setting: Container[str],
    ) -> tuple[Verdict | None, str | None]:
        """Yes, No (with the class contradicted) or None (undecided) for one fact's words."""
        confirmed = unclear = False
        for token, name in claims.items():
            others = {word for word in words if word != token and self.class_of(word) == name} - {_ANY_PLACE}
            if token in words:
                if token in asked.exclusive and others:
                    return Verdict.NO, name  # "only the 5000?": the fact names the 1500 m as well
                # "did Kwemoi win the 5000?": he won silver, not the race; "did he win a medal?": any medal does
                won = _MEDALS if asked.medal else _WINNING
                if token == _ANY_PLACE and others and not others & won and self._only_of_its_class(token, claims):
                    return Verdict.NO, name
                if name == _COUNT and others:
                    unclear = True  # "two" of "three images; the first two": which count is meant?
                    continue
                # The race, year or person the fact shares says what the claim is about, not that it
                # holds; nor does the article's own setting ("in Paris").
                confirmed = confirmed or (_names_a_thing(name) and token not in setting)
            elif others:
                return Verdict.NO, name
        return (Verdict.YES if confirmed and not unclear else None), None

    @staticmethod
    def _only_of_its_class(token: str, claims: Mapping[str, str]) -> bool:
        return all(other == token or name != claims[token] for other, name in claims.items())

    def setting(self, facts: int, facts_naming: Callable[[str], int]) -> frozenset[str]:
        """Where the article is set: the cities a third of its ``facts`` or more name."""
        return frozenset(
            word for word in self.words_of_class(SETTING_CLASS) if facts_naming(word) * SETTING_SHARE >= facts
        )

    def addresses(self, claims: Mapping[str, str], words: frozenset[str]) -> bool:
        """Whether a fact's words speak to every kind of thing the claims name, beyond races, years
        and people: a fact about his race says nothing of whether the handball team won gold."""
        return all(
            token in words or any(self.class_of(word) == name for word in words)
            for token, name in claims.items() if _names_a_thing(name)
        )

    def _people(self, words: frozenset[str]) -> int:
        """How many people a fact names: a fact about one person settles a claim, the podium does not."""
        return sum(self.class_of(word) == "person" for word in words)

    @staticmethod
    def _about_the_same_person(claims: Mapping[str, str], words: frozenset[str]) -> bool:
        return all(token in words for token, name in claims.items() if name == "person")

    def _alternatives(self, claims: Mapping[str, str], choices: Sequence[tuple[str, str]]) -> bool:
        named = [name for name in claims.values() if _names_a_thing(name)]
        return len(named) != len(set(named)) or any(self.same_class(*pair) for pair in choices)

    def _settling_fact(
        self, claims: Mapping[str, str], ranked: Sequence[str], asserted: Mapping[str, frozenset[str]],
        naming: Callable[[str], Iterable[str]],
    ) -> str | None:
        """For a claim about a person ("did Fisher get silver?", "did he get silver?"), the fact
        about that person naming the fewest other people (Fisher's bronze, not the podium naming
        all three), the matcher's best first among those."""
        person = next((token for token, name in claims.items() if name == "person"), None)
        if person is None:
            return None
        order = {fact: index for index, fact in enumerate(ranked)}

        # Only a result is shared out among the people a fact names; a platform or a city is not.
        about_a_result = PLACE_CLASS in claims.values()

        def fit(fact: str) -> tuple[int, int]:
            return self._people(asserted[fact]) if about_a_result else 0, order.get(fact, len(order))

        # The article's subject is named by nearly every fact: those the question found are his to settle it.
        candidates = ranked if person == SUBJECT else naming(person)
        about = [fact for fact in candidates if person in asserted[fact]]
        return min(about, key=fit, default=None)
