"""Where matching is decided: which fact, if any, a question is asking about.

Every fact and every known out-of-scope question ("intents", the known unknowns) is indexed
once, when the knowledge loads. A question that is only talk ("thanks", "who?") is answered with
a prompt. Otherwise its words are normalised (``bot.normalize``: markup, numbers, translations,
synonyms), misspelt or inflected words are mapped onto known ones (inflection, shared stem, then
``bot.spelling``), and the question is scored against each candidate intent on:

* **coverage**: how much of the question's meaning-carrying words the intent knows, each word
  weighted by how rare it is across intents (IDF), so "silver", "1500" or "wife" decide and
  "who", "he" or "olympics" barely count. A word no intent knows counts as fairly rare (a
  paraphrase must not veto the words it shares with a fact); an unknown number as the rarest.
* **similarity**: IDF-weighted overlap (Dice) with the intent's closest phrasing, a fact's answer and
  quotes counting as one.
* **penalties**: naming a person or a number the intent is not about, or asking "when"/"where"/...
  of an intent nobody asks that of.

The best fact answers above the threshold, or a little below it when it clearly leads; two close
facts are ambiguous; a low score or a known unknown on top means the article doesn't say. A
question asking several things is answered part by part, and a yes/no question gets the verdict
of the facts on what it claims (``bot.claims``).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import operator
import os
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from typing import Any

from bot.claims import (
    PLACE_CLASS,
    PLAINLY,
    SUBJECT,
    SUBJECT_WORDS,
    ClaimCheck,
    ContrastClasses,
    HowAsked,
    TimeBound,
    choices_offered,
    is_negated,
    is_yes_no,
    time_bound,
)
from bot.collector import collector_paused
from bot.knowledge import Fact, Knowledge, rebuilt_by_constructor
from bot.normalize import (
    QUESTION_OPENING,
    QUESTION_WORDS,
    STOPWORDS,
    SynonymTable,
    asks_about_the_passage,
    content_tokens,
    is_small_talk,
    language_of,
    names_in,
    question_after_a_remark,
    raw_tokens,
    refers_back,
    tokens,
    without_clause_openers,
    without_passage_verbs,
)
from bot.settings import MatchSettings
from bot.spelling import Speller

COVERAGE_WEIGHT = 0.55
SIMILARITY_WEIGHT = 1.0 - COVERAGE_WEIGHT
ANSWER_ONLY_CREDIT = 0.75
# A word no intent knows counts as if this many intents used it: weighty, yet a paraphrase the
# phrasings lack ("arena", "bagged") must not veto the words it shares with a fact. What the article
# lacks (coach, age, weather) is listed as known unknowns in out_of_scope.yaml instead.
UNKNOWN_WORD_DF = 6.0
# An unknown number (another year, distance or time) is decisive: it counts as the rarest word there is.
UNKNOWN_NUMBER_DF = 1.0
# Question words, and "summary" (the tl;dr asked for), say what kind of answer is wanted: they steer
# between facts but must never outweigh a word about the subject ("tldr of his insta post").
QUESTION_WORD_WEIGHT_CAP = 1.5
SUMMARY = "summary"
ANSWER_KIND_WORDS = QUESTION_WORDS | {SUMMARY}
# A summary asked of a topic ("summarise his plans for 2028") is given from each fact of the best
# fact's topic that scores at least this share of it.
SUMMARY_SHARE = 0.75
# Two words are read as one when they share a prefix this long, covering this share of the shorter one.
MIN_SHARED_STEM = 5
MIN_STEM_SHARE = 0.7
SIMILARITY_CANDIDATES = 40
# How many intents a question is scored against at most (all of them in a fact base this small or smaller).
CANDIDATE_BUDGET = 1500
PREFIX_EXPANSIONS = 30
# A word's intents are made a set to meet the candidates found so far while they are at most this
# many times as many (a set is built in C several times faster than Python walks the candidates).
SET_WALK_RATIO = 5
# A question naming a person (or a number) the intent is not about is about someone else...
OTHER_ENTITY_PENALTY = 0.7
# ...and one asking "when" of an intent nobody asks that of wants another kind of answer...
OTHER_QUESTION_WORD_PENALTY = 0.85
# ...all the more one asking for a measure (a time, an age, a number): "the European record *time*" is
# not the European record, and "how *old* was he when he won his first gold" is not about that gold.
OTHER_MEASURE_PENALTY = 0.75
# How far a fact below the answer threshold must lead the next fact, and the closest known
# unknown, to answer all the same (down to CLEAR_LEAD_THRESHOLD).
CLEAR_LEAD_OVER_FACTS = 5.0
CLEAR_LEAD_OVER_UNKNOWNS = 10.0
# "and", "plus", "+", "n", ";", ", also" and a question mark with more after it join the parts of a
# question that asks several things; "&" joins names ("Mol & Sørum").
_AND = r"(?:and|og)"  # English and Norwegian
_CONJUNCTION = re.compile(rf"\s+(?:{_AND}|plus|n)\s+|\s*[;+]\s*|[,.!?]\s*also\s+|\?+\s+(?=\S)", re.IGNORECASE)
MAX_PARTS = 4
_QUESTION_START = re.compile(QUESTION_OPENING, re.IGNORECASE)
# "both the 1500 and the 5000", "både 1500 og 5000": one thing asked about, its "and" asks nothing
# more, unless a question follows it ("did he win both golds and what was his time?").
_BOTH_PAIR = re.compile(
    rf"\b((?:both|b[åa]de)\s+(?:\S+\s+){{0,3}}?\S+)\s+{_AND}\s+(?!{QUESTION_OPENING})", re.IGNORECASE
)
# Words a question quotes: between a pair of quotation marks (an apostrophe inside a word is none)
# or brackets ("the '(yesterday)' tag").
_QUOTED_SPAN = re.compile(r"(?<!\w)(?:'((?:[^']|(?<=\w)'(?=\w)){2,150}?)'|‘((?:[^’]|(?<=\w)’(?=\w)){2,150}?)’|\"([^\"]{2,150}?)\"|“([^”]{2,150}?)”|\(([^()]{2,150}?)\))(?!\w)")
# Words that say the claim after them has no other: "*only* the 5000", "*just* one pic".
_EXCLUSIVE_WORDS = frozenset({"only", "just", "solely"})
# A question about a medal: "win" is any medal then.
MEDAL = "medal"
# A message this long may carry its question in the middle of other talk; the question's answer
# is among the facts the whole message is closest to.
LONG_MESSAGE_WORDS = 15
CLOSEST_TO_THE_MESSAGE = 5
# A clause opening with a question word, up to the next clause break: "... so *what place did he
# get in the 1500* because i missed it".
_QUESTION_CLAUSE = re.compile(
    rf"\b((?:{'|'.join(sorted(QUESTION_WORDS))})\b.+?)(?=[,.!?;:]|\s+(?:because|cause|cuz|also|anyway|but|lol|lmao|ok|and then)\b|$)",
    re.IGNORECASE,
)
# A blank to fill in ("... an event full of ___."), and what ends the article's words next to one.
_BLANK = re.compile(r"_{2,}|…|\.{3}")
_CLAUSE_MARK = re.compile(r"[,.;:!?'\"“”‘’]")
# A line quoted in Discord ("> To all you runners out there — what's the rest of that line"), up to a dash.
_QUOTE_LINE = re.compile(r"^[ \t]*>[ \t]+(.+?)(?:[ \t]+[—–-][ \t].*)?$", re.MULTILINE)
# After a statement, a question after "but" is what is asked; the statement is what the asker knows.
_ASKED_AFTER_BUT = re.compile(rf"\bbut\s+({QUESTION_OPENING}.*)", re.IGNORECASE | re.DOTALL)
# What a claimed bound on a time ("under 13 minutes?") asks about.
TIME_WORD = "time"
# Words of an answer that say when: a fact saying one answers "when", though no phrasing asks it.
DAY_WORDS = frozenset({"yesterday", "today", "tonight", "tomorrow"})
MEASURE_WORDS = frozenset({"time", "date", "month", "age", "old", "many", "much", "long", "tall", "far", "fast", "often"})


class Outcome(StrEnum):
    ANSWERED = "answered"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Scored:
    intent_id: str
    score: float
    is_fact: bool


@dataclass(frozen=True)
class MatchResult:
    outcome: Outcome
    best: Scored | None
    ranked_facts: tuple[Scored, ...]
    out_of_scope_id: str | None = None
    # For a yes/no question the facts decide: the verdict and the facts that settle it.
    claim: ClaimCheck | None = None
    # "who", "thanks", "lol": nothing to look up, so the user is told what can be asked instead.
    small_talk: bool = False
    # A question asking several things ("his time and who got silver?"), answered part by part.
    parts: tuple[tuple[str, MatchResult], ...] = ()
    # A summary asked of a topic: the best fact's topic-mates that answer it too.
    summarised_with: tuple[Scored, ...] = ()


@dataclass(frozen=True, slots=True)
class _Intent:
    id: str
    is_fact: bool
    # Every word the intent is asked about, and every other word of what it says (its answer and
    # quotes), each with the phrasings using it (none for a word only its keywords, entities or
    # topic have): a question visits only the phrasings it shares a word with, and no phrasing is
    # kept as a set.
    vocabulary: dict[str, tuple[int, ...]]
    answer_vocabulary: dict[str, tuple[int, ...]]
    # Each phrasing's total word weight. (Compact on purpose, for 100,000 facts: an array of floats,
    # and the tuples of indexes above shared by every intent.)
    phrasing_weights: Sequence[float] = ()

    __reduce__ = rebuilt_by_constructor

    def credit(self, token: str) -> float:
        """How much a question word counts toward this intent: asked-about words fully, answer-only words less."""
        if token in self.vocabulary:
            return 1.0
        return ANSWER_ONLY_CREDIT if token in self.answer_vocabulary else 0.0


class _AssertedWords(Mapping[str, frozenset[str]]):
    """What each fact says, in canonical words, worked out when a yes/no question first needs it:
    kept for every fact it would be the largest part of the index at 100,000 facts."""

    def __init__(self, facts: Mapping[str, Fact], words_of: Callable[[Fact], frozenset[str]]) -> None:
        self._facts = facts
        self._words_of = words_of
        self._known: dict[str, frozenset[str]] = {}

    def __getitem__(self, fact_id: str) -> frozenset[str]:
        words = self._known.get(fact_id)
        if words is None:
            words = self._known[fact_id] = self._words_of(self._facts[fact_id])
        return words

    def __iter__(self) -> Iterator[str]:
        return iter(self._facts)

    def __len__(self) -> int:
        return len(self._facts)


# Suffix, and what may have stood in its place: "placing" -> plac+e, "tried" -> tr+y.
_INFLECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ing", ("", "e")), ("ed", ("", "e")), ("ied", ("y",)), ("ies", ("y",)), ("es", ("", "e")),
    ("er", ("", "e")), ("ers", ("", "e")), ("ly", ("",)), ("ally", ("", "al")), ("ment", ("", "ing")),
)
# What may follow a shared stem: "emotion|al|ly" and "emotion", "disappoint|ment" and "disappoint|ing".
_STEM_ENDINGS = frozenset({
    "", "s", "es", "e", "ed", "d", "ing", "er", "ers", "ly", "al", "ally", "ment", "ments", "ion", "ions", "ation",
    "ations", "ity", "ness", "ful", "ive", "ous", "ic", "ical", "ist", "ists", "ism", "y", "ies", "ied", "ise", "ize",
    "ised", "ized", "ish", "less", "ence", "ance", "ent", "ant", "ual", "ually", "ate", "ated", "ating", "ative",
    "ite", "ites", "ality", "able", "ably", "ible", "ency", "ancy", "ure", "ures",
})
# The safe subset for merging two words the facts both use: "runner" is not "run", "comment" not "coming".
_VERB_INFLECTIONS = tuple((suffix, endings) for suffix, endings in _INFLECTIONS if suffix in {"ing", "ed", "ied", "ly"})


def _uninflect(word: str, known: Container[str], inflections: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The known word that ``word`` is an inflection of ("placing" -> place, "running" -> run)."""
    for suffix, endings in inflections:
        stem = word[: -len(suffix)]
        if not word.endswith(suffix) or len(stem) < 3:
            continue
        candidates = [stem + ending for ending in endings]
        # A doubled final consonant: "running" -> run, "planned" -> plan (not "summer" -> sum).
        if suffix in {"ing", "ed"} and len(stem) > 3 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])
        for candidate in candidates:
            if candidate in known:
                return candidate
    return None


def _base_forms(words: set[str]) -> dict[str, str]:
    """Inflected words mapped onto a base form that also occurs ("happened" -> happen), so that
    the facts and the questions agree on one spelling whichever form each uses."""
    return {word: base for word in words if (base := _uninflect(word, words, _VERB_INFLECTIONS))}


def _starting_with(sorted_words: list[str], prefix: str) -> Iterator[str]:
    """The words of a sorted list that start with ``prefix``, in order."""
    for index in range(bisect.bisect_left(sorted_words, prefix), len(sorted_words)):
        if not sorted_words[index].startswith(prefix):
            return
        yield sorted_words[index]


def _around_blanks(question: str) -> list[str]:
    """The words next to each blank to fill in, up to the nearest clause mark: "he called it a ___
    day for Norway" -> "he called it a", "day for Norway"."""
    pieces = _BLANK.split(question)
    before = (_CLAUSE_MARK.split(piece)[-1] for piece in pieces[:-1])
    after = (_CLAUSE_MARK.split(piece)[0] for piece in pieces[1:])
    return [words.strip() for words in (*before, *after) if words.strip()]


def _questions_joined(pieces: list[str]) -> list[str]:
    """Pieces that open no question of their own rejoined to the one before: "the 1500 and 5000"."""
    joined = pieces[:1]
    for piece in pieces[1:]:
        if _QUESTION_START.match(piece.strip()):
            joined.append(piece)
        else:
            joined[-1] = f"{joined[-1]} and {piece}"
    return joined


# What a piece of a question that names nothing finds on its own.
_NOTHING = MatchResult(Outcome.NOT_FOUND, None, ())


class Matcher:
    """Scores questions against one fact base. Build a new one when the knowledge changes."""

    @collector_paused()  # the index is millions of objects at 100,000 facts, and no garbage
    def __init__(self, knowledge: Knowledge, settings: MatchSettings) -> None:
        self.settings = settings
        self.synonyms = SynonymTable(knowledge.synonyms, knowledge.translations, knowledge.foreign_filler)
        # Indexing reads every text twice (to find base forms, then to build intents): tokenise once.
        self._words_of_text: dict[str, list[str]] = {}
        fact_base_words = self._all_words(knowledge)
        self._base_forms = _base_forms(fact_base_words)
        self._intents: dict[str, _Intent] = {}
        # Phrasings are indexed once every word's weight is known (below), then dropped.
        phrasings: dict[str, tuple[frozenset[str], ...]] = {}
        for fact in knowledge.facts.values():
            phrasings[fact.id] = self._add_intent(
                fact.id, True, fact.questions, [*fact.keywords, *fact.entities, fact.topic],
                [fact.answer, *(quote.text for quote in fact.quotes)],
            )
        self._entity_tokens = frozenset(
            token for fact in knowledge.facts.values() for name in fact.entities for token in self._canonical(name)
        )
        for entry in knowledge.out_of_scope.values():
            phrasings[entry.id] = self._add_intent(entry.id, False, entry.questions, [entry.topic], [])
        self._facts = knowledge.facts
        # Each fact's quotes as words, when a question quoting the article first needs them.
        self._quotes_as_words: dict[str, str] = {}
        # What each fact says (its answer and quotes), and the words yes/no questions are checked on.
        self._asserted = _AssertedWords(knowledge.facts, self._asserted_words)
        self._contrasts = ContrastClasses(
            {name: self._contrast_tokens(words, fact_base_words) for name, words in knowledge.contrasts.items()},
            self._entity_tokens,
        )

        self._order = {intent_id: index for index, intent_id in enumerate(self._intents)}
        # For each word, the intents using it and how much it counts toward each.
        postings: defaultdict[str, list[str]] = defaultdict(list)
        credits: defaultdict[str, array[float]] = defaultdict(lambda: array("d"))
        for intent in self._intents.values():
            for token in intent.vocabulary.keys() | intent.answer_vocabulary.keys():
                postings[token].append(intent.id)
                credits[token].append(1.0 if token in intent.vocabulary else ANSWER_ONLY_CREDIT)  # credit(), inlined
        # Read-only from here on, and kept in the compiled cache: tuples, and one array for all words with
        # the same credits (most words have one intent, credited 1 or 0.75): fewer objects to read back.
        self._postings: dict[str, tuple[str, ...]] = {token: tuple(ids) for token, ids in postings.items()}
        same_credits: dict[bytes, array[float]] = {}
        self._credits: dict[str, array[float]] = {
            token: same_credits.setdefault(values.tobytes(), values) for token, values in credits.items()
        }
        count = max(len(self._intents), 1)
        self._weights = {token: math.log1p(count / len(ids)) for token, ids in self._postings.items()}
        self._unknown_word_weight = math.log1p(count / UNKNOWN_WORD_DF)
        self._unknown_number_weight = math.log1p(count / UNKNOWN_NUMBER_DF)
        shared_indexes: dict[tuple[int, ...], tuple[int, ...]] = {}
        token_weights = {token: self._weight(token) for token in self._postings}
        self._intents = {
            intent_id: self._with_phrasing_index(intent, phrasings.pop(intent_id), shared_indexes, token_weights)
            for intent_id, intent in self._intents.items()
        }
        self._sorted_vocabulary = sorted(self._postings)
        # Spellings a misspelt or inflected word may be corrected to, and the token each means: the
        # facts' words as written too ("finished", indexed as "finish", is what "finsihed" meant), and
        # the subject's names ("jakbo" is Jakob: "he", which asks about nothing else).
        self._spellings = {
            word: canonical
            for word, canonical in {
                **self.synonyms.single_words(), **self._base_forms, **{t: t for t in self._postings}
            }.items()
            if canonical in self._postings or canonical == SUBJECT
        }
        # A contrast word no fact uses is still a word ("twiter" is Twitter, not "twice").
        self._spellings.update((word, word) for word in self._contrasts.words() if word not in self._spellings)
        self._sorted_spellings = sorted(self._spellings)
        # What tells a question asked in another language: its one-word terms that no English fact text uses.
        self._foreign_words = {
            code: frozenset(
                token for term in terms if len(words := raw_tokens(term)) == 1
                for token in words if token.isalpha() and token not in self._postings
            )
            for code, terms in knowledge.foreign_words.items()
        }
        self._words_of_text.clear()  # questions are not cached: memory must not grow with traffic

    def __getstate__(self) -> dict[str, Any]:
        """What the compiled cache keeps: the index; the settings are read afresh on every start and
        the speller is built again on first use."""
        return {name: value for name, value in self.__dict__.items() if name not in {"settings", "_speller"}}

    def using(self, settings: MatchSettings) -> Matcher:
        """This index, deciding with ``settings`` (a matcher read back from the compiled cache)."""
        self.settings = settings
        return self

    def _all_words(self, knowledge: Knowledge) -> set[str]:
        texts = [text for fact in knowledge.facts.values()
                 for text in (*fact.questions, *fact.keywords, *fact.entities, fact.topic, fact.answer,
                              *(quote.text for quote in fact.quotes))]
        texts += [text for entry in knowledge.out_of_scope.values() for text in (*entry.questions, entry.topic)]
        for text in texts:
            if text not in self._words_of_text:  # topics repeat: "In Oslo in 1996" is 100 facts' topic
                self._words_of_text[text] = content_tokens(tokens(text, self.synonyms))
        return {token for words in self._words_of_text.values() for token in words}

    def _contrast_tokens(self, words: Iterable[str], fact_base_words: Container[str]) -> list[str]:
        """A contrast class's words as tokens. A word read as several tokens claims only by those the
        fact base uses nowhere else: "olympic stadium" is a venue, but "olympic" alone claims none."""
        tokens_of = [self._canonical(word) for word in words]
        return [token for tokens in tokens_of for token in tokens if len(tokens) == 1 or token not in fact_base_words]

    def _content_words(self, text: str, *, misspelt_ends: bool = False) -> list[str]:
        words = None if misspelt_ends else self._words_of_text.get(text)
        return words if words is not None else content_tokens(tokens(text, self.synonyms, misspelt_ends=misspelt_ends))

    def _canonical(self, text: str, *, misspelt_ends: bool = False) -> list[str]:
        """``misspelt_ends``: a phrase's first or last word may be misspelt ("los angles", "diamnd
        league"), as people type questions fast; the facts' own texts are read exactly."""
        return [self._base_forms.get(token, token) for token in self._content_words(text, misspelt_ends=misspelt_ends)]

    def _add_intent(
        self, intent_id: str, is_fact: bool, questions: Iterable[str], extra_words: Iterable[str], sources: Iterable[str]
    ) -> tuple[frozenset[str], ...]:
        """Adds the intent and returns its phrasings' words, for _with_phrasing_index."""
        phrasings = tuple(frozenset(self._canonical(question)) for question in questions)
        vocabulary = {token for phrasing in phrasings for token in phrasing}
        for words in extra_words:
            vocabulary.update(self._canonical(words))
        source_words = frozenset(token for text in sources for token in self._canonical(text))
        answer_vocabulary = source_words - vocabulary
        self._intents[intent_id] = _Intent(intent_id, is_fact, dict.fromkeys(vocabulary, ()), dict.fromkeys(answer_vocabulary, ()))
        # What the fact says is one more way of asking about it: a question in the article's own words
        # ("undeterred by this setback...") is as close to the answer and its quotes as to any phrasing.
        return tuple(phrasing for phrasing in (*phrasings, source_words) if phrasing)

    @staticmethod
    def _with_phrasing_index(intent: _Intent, phrasings: tuple[frozenset[str], ...],
                             shared_indexes: dict[tuple[int, ...], tuple[int, ...]],
                             token_weights: dict[str, float]) -> _Intent:
        """``token_weights``: every indexed word's ``_weight``."""
        phrasings_with: dict[str, list[int]] = defaultdict(list)
        for index, phrasing in enumerate(phrasings):
            for token in phrasing:
                phrasings_with[token].append(index)

        def indexed(words: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
            return {
                token: shared_indexes.setdefault(indexes, indexes)
                for token in words
                for indexes in [tuple(phrasings_with.get(token, ()))]
            }

        return _Intent(
            intent.id, intent.is_fact, indexed(intent.vocabulary), indexed(intent.answer_vocabulary),
            array("d", (sum(map(token_weights.__getitem__, phrasing)) for phrasing in phrasings)),
        )

    def _penalty(self, question_tokens: frozenset[str], intent: _Intent) -> float:
        """Score multiplier for asking about someone or in a way this intent never covers."""
        factor = 1.0
        for token in question_tokens.difference(intent.vocabulary):
            # A number the intent never mentions is another race, year or time: "his time in the 1500".
            if token in self._entity_tokens or (token[0].isdigit() and token not in intent.answer_vocabulary):
                factor *= OTHER_ENTITY_PENALTY
            elif token in MEASURE_WORDS:
                factor *= OTHER_MEASURE_PENALTY
            elif token in QUESTION_WORDS and not self._answers_when(token, intent):
                factor *= OTHER_QUESTION_WORD_PENALTY
        return factor

    @staticmethod
    def _answers_when(token: str, intent: _Intent) -> bool:
        """Whether the intent answers a "when" with a day in what it says ("Warholm (yesterday)")."""
        return token == "when" and not (DAY_WORDS.isdisjoint(intent.answer_vocabulary) and DAY_WORDS.isdisjoint(intent.vocabulary))

    def question_tokens(self, question: str) -> list[str]:
        """The question's canonical words, misspellings of known words corrected."""
        question = without_clause_openers(question)
        about_the_passage = asks_about_the_passage(question)
        if about_the_passage:
            question = without_passage_verbs(question)
        # A correction may produce filler ("teh" -> the, "whatwas" -> what was): filter once more.
        words = content_tokens(word for token in self._canonical(question, misspelt_ends=True) for word in self._corrected(token))
        if about_the_passage:
            # A worksheet's question is answered in the passage: a word no fact uses is how it asks
            # ("everyone he thanks in the *quotation*"), not what, unless it is a name ("why does the
            # author mention Kipchoge") or such words are most of the question and outnumber the
            # known ones it asks about ("what *shoes* did he *wear* in the final": "what" asks about nothing).
            named = {token for name in names_in(question) for token in self._canonical(name)}
            known = [word for word in words if word in self._postings or word[0].isdigit() or word in named]
            unknown = len(words) - len(known)
            asked_about = sum(word not in ANSWER_KIND_WORDS for word in known)
            if asked_about and (2 * unknown < len(words) or unknown <= asked_about):
                return known
        return words

    def language_of(self, question: str) -> str | None:
        """The code of the other language the question is asked in, or None for English."""
        return language_of(question, self._foreign_words)

    def same_question_key(self, question: str) -> str:
        """Questions with the same key ask the same thing ("how old is Jakob" / "How old is he?")."""
        return " ".join(sorted(self.question_tokens(question)))

    def _corrected(self, token: str) -> list[str]:
        """A word no intent uses, read as the known word(s) meant; numbers are never corrected, nor
        a word of a contrast class ("snapchat" is another platform, not "snap" + "chat")."""
        if token in self._postings or not token[0].isalpha() or self._contrasts.class_of(token):
            return [token]
        english = self._speller.is_english(token)  # a real word is a paraphrase, not a typo ("arena", "stood")
        double_fixed = None if english else self._double_letter_fixed(token)
        if double_fixed:  # before inflections: "runers" is runners, not run + "ers"
            return [double_fixed]
        inflected = self._uninflected(token)
        if inflected:
            return [inflected]
        same_stem = self._same_stem(token)
        if same_stem:
            return [same_stem]
        if english:
            return [token]
        corrected = self._speller.correct(token)
        return [self._spellings.get(word, word) for word in corrected] if corrected else [token]

    def _uninflected(self, token: str) -> str | None:
        """A known word the token is an inflection of: "placing" -> place, "overtaking" -> overtake."""
        base = _uninflect(token, self._spellings, _INFLECTIONS)
        return self._spellings[base] if base else None

    def _double_letter_fixed(self, token: str) -> str | None:
        """A known word the token is with one letter doubled ("goold" -> gold, the normaliser's two
        letters for an elongated "goooold"; "silverr") or a double letter written once ("runers" -> runner)."""
        for index in range(1, len(token)):
            doubled = token[index] == token[index - 1]
            word = token[:index] + token[index + 1:] if doubled else token[:index] + token[index - 1:]
            if word in self._spellings:
                return self._spellings[word]
        return None

    def _same_stem(self, token: str) -> str | None:
        """A known word from the same stem: "emotionally" -> emotion, "disappointment" -> disappointing."""
        best, best_shared = None, 0
        for word in _starting_with(self._sorted_spellings, token[:MIN_SHARED_STEM]):
            if "_" in word:  # a phrase ("personal_best") shares no stem with a single word ("person")
                continue
            shared = len(os.path.commonprefix([token, word]))
            if token[shared:] not in _STEM_ENDINGS or word[shared:] not in _STEM_ENDINGS:
                continue  # "count" and "country" share a start, not a stem
            # A word shorter than a stem ("rec", "call") shares none with a longer one ("recent", "calling").
            if best_shared < shared >= max(MIN_SHARED_STEM, MIN_STEM_SHARE * min(len(token), len(word))):
                best, best_shared = word, shared
        return self._spellings[best] if best else None

    def _weight(self, token: str) -> float:
        weight = self._weights.get(token)
        if weight is None:
            weight = self._unknown_number_weight if token[0].isdigit() else self._unknown_word_weight
        return min(weight, QUESTION_WORD_WEIGHT_CAP) if token in ANSWER_KIND_WORDS else weight

    def _covered_weight(self, weights: dict[str, float], *, first_word_cap: int | None = None,
                        deferred: list[str] | None = None) -> dict[str, float]:
        """The weight of the question each intent covers, for intents sharing a word with it.
        Rarest words first; a common word adds little to any score, so it brings in new
        candidates only while they stay within budget and otherwise adds to those found so far
        (the rarest word brings in all of its intents on its own, or the first ``first_word_cap``).
        Given ``deferred``, a word more than half of the intents use (and more than the budget) that
        would only add to the candidates found is put there instead of counted: the caller counts it
        for its shortlist."""
        covered: dict[str, float] = defaultdict(float)
        for token in sorted((token for token in weights if token in self._postings), key=lambda t: len(self._postings[t])):
            ids, weight = self._postings[token], weights[token]
            if not covered and first_word_cap is not None and len(ids) > first_word_cap:
                ids = ids[:first_word_cap]
            if not covered or len(covered) + len(ids) <= CANDIDATE_BUDGET:  # new candidates welcome
                for intent_id, credit in zip(ids, self._credits[token], strict=False):  # ids may be capped
                    covered[intent_id] += weight * credit
            elif len(ids) <= len(covered):  # only the candidates so far, walked from the shorter side
                for intent_id, credit in zip(ids, self._credits[token], strict=True):
                    if intent_id in covered:
                        covered[intent_id] += weight * credit
            elif len(ids) <= SET_WALK_RATIO * len(covered):
                # Intersected in C, then only the few intents using both are looked at in Python.
                for intent_id in covered.keys() & set(ids):
                    covered[intent_id] += weight * self._intents[intent_id].credit(token)
            elif deferred is not None and len(ids) > max(CANDIDATE_BUDGET, len(self._intents) // 2):
                deferred.append(token)
            else:
                intents = self._intents
                for intent_id in covered:
                    intent = intents[intent_id]  # credit() inlined: this loop runs up to budget times per word
                    if token in intent.vocabulary:
                        covered[intent_id] += weight
                    elif token in intent.answer_vocabulary:
                        covered[intent_id] += weight * ANSWER_ONLY_CREDIT
        return covered

    @staticmethod
    def _similarity(weights: dict[str, float], question_weight: float, intent: _Intent) -> float:
        """Weighted Dice overlap with the intent's closest phrasing, 0 to 1."""
        shared: dict[int, float] = defaultdict(float)
        for token, weight in weights.items():
            indexes = intent.vocabulary.get(token)
            for index in intent.answer_vocabulary.get(token, ()) if indexes is None else indexes:
                shared[index] += weight
        return max(
            (2 * weight / (question_weight + intent.phrasing_weights[index]) for index, weight in shared.items()),
            default=0.0,
        )

    def score(self, question: str) -> list[Scored]:
        """Every candidate intent with its score, best first."""
        return self._score_tokens(self.question_tokens(question))

    def _score_tokens(self, question_tokens: list[str]) -> list[Scored]:
        if not question_tokens:
            return []
        weights = {token: self._weight(token) for token in question_tokens}
        question_weight = sum(weights.values())
        question_set = frozenset(question_tokens)
        # nlargest keeps the first of equal items, and intents are covered in a fixed order: no hash order.
        # With one known word, the intents using it tie on coverage and ties go to the first: counting
        # the first budget's worth finds the same shortlist as counting all of them (at 100,000 facts, 60 times faster).
        one_known_word = sum(token in self._postings for token in weights) == 1
        # Words nearly every intent uses ("what", "win" at 100,000 facts) would add the same to almost
        # every candidate: they are counted for the shortlist only (their share of each score stays).
        common: list[str] = []
        covered = self._covered_weight(weights, first_word_cap=CANDIDATE_BUDGET if one_known_word else None, deferred=common)
        shortlist = heapq.nlargest(SIMILARITY_CANDIDATES, covered.items(), key=operator.itemgetter(1))
        scored = []
        for intent_id, covered_weight in shortlist:
            intent = self._intents[intent_id]
            coverage = (covered_weight + sum(weights[token] * intent.credit(token) for token in common)) / question_weight
            similarity = self._similarity(weights, question_weight, intent)
            value = 100 * (COVERAGE_WEIGHT * coverage + SIMILARITY_WEIGHT * similarity)
            value *= self._penalty(question_set, intent)
            scored.append(Scored(intent_id, round(value, 1), intent.is_fact))
        # Ties go to the intent listed first (facts before known unknowns), never to hash order.
        scored.sort(key=lambda item: (-item.score, self._order[item.intent_id]))
        return scored

    def likely_facts(self, typed: str, limit: int) -> list[str]:
        """Facts a partly typed question is heading for; its last word may be unfinished."""
        tokens = self._canonical(typed)
        if not tokens:
            return []
        weights = {token: self._weight(token) for token in tokens}
        endings = [] if typed[-1:].isspace() else list(
            itertools.islice(_starting_with(self._sorted_vocabulary, tokens[-1]), PREFIX_EXPANSIONS)
        )
        # Autocomplete runs on every keystroke: a word every fact shares brings in only the first
        # budget's worth of them (a full question is matched without that cap).
        closeness = self._covered_weight(weights, first_word_cap=CANDIDATE_BUDGET)
        # The unfinished word may become any of its completions: the best one counts, for the
        # candidates found so far, or as the only clue while nothing else has been typed.
        completed: dict[str, float] = {}
        for word in endings:
            weight = self._weight(word)
            for intent_id in itertools.islice(self._postings[word], CANDIDATE_BUDGET):
                if (not closeness or intent_id in closeness) and weight > completed.get(intent_id, 0.0):
                    completed[intent_id] = weight
        for intent_id, weight in completed.items():
            closeness[intent_id] += weight
        facts = [intent_id for intent_id in closeness if self._intents[intent_id].is_fact]
        return heapq.nlargest(limit, facts, key=closeness.__getitem__)

    def match(self, question: str) -> MatchResult:
        asked = _ASKED_AFTER_BUT.search(question)
        if asked and not _QUESTION_START.match(question.strip()):
            # "||he won the 5000|| but what happened in his 1500": what comes before is known already.
            question = asked.group(1)
        whole = self._match_one(question)
        after_remark = question_after_a_remark(question) if whole.outcome is not Outcome.ANSWERED else None
        if after_remark:
            # The remark may be what the question is about ("> Leaving Paris empty-handed…\nwho said
            # this"), so it is dropped only when the question finds its answer without it.
            alone = self._match_one(after_remark)
            if alone.outcome is Outcome.ANSWERED:
                question, whole = after_remark, alone
        if whole.outcome is Outcome.NOT_FOUND and whole.out_of_scope_id is None:
            whole = self._quoting_the_article(question, whole) or whole
        parts = self._parts(question, whole)
        if parts:
            return replace(whole, parts=parts)
        if whole.outcome is Outcome.NOT_FOUND and whole.out_of_scope_id is None:
            return self._question_inside(question, whole) or whole
        return whole

    def _question_inside(self, message: str, whole: MatchResult) -> MatchResult | None:
        """A long message with its question in the middle ("so my buddy says he won the 1500 but i
        thought he didnt so what place did he actually get in the 1500 because i missed it lol"): the
        first clause opening with a question word that finds its answer alone, among the facts the
        whole message is closest to (a clause leaning on the rest, "like who was 2nd", finds another)."""
        if len(message.split()) < LONG_MESSAGE_WORDS:
            return None
        closest = [item.intent_id for item in whole.ranked_facts[:CLOSEST_TO_THE_MESSAGE]]
        for clause in _QUESTION_CLAUSE.findall(message):
            found = self._match_one(clause)
            if found.outcome is not Outcome.ANSWERED or found.best is None or found.best.intent_id not in closest:
                continue
            # A clause naming one thing only ("like who was 2nd") or leaning on the rest ("where was he
            # in *that* race") must point where the whole message does.
            asked_about = set(self.question_tokens(clause)) - ANSWER_KIND_WORDS
            if (len(asked_about) > 1 and not refers_back(clause)) or found.best.intent_id == closest[0]:
                return found
        return None

    def _quoting_the_article(self, question: str, result: MatchResult) -> MatchResult | None:
        """A question that quotes the article ("what does 'culminated' mean?", "who wrote 'Tonight, we
        celebrate!'?", a "> " quote line) is about the fact quoting those words, however the rest of it is worded: of
        the facts the question found, the best one whose quotes hold a quoted span answers. Not when
        the rest asks what no fact says ("what did he *eat* on that 'historic day'?") or a measure
        that fact never gives ("how *many* golds on that 'historic day'?")."""
        quoted = [
            *(_BLANK.sub(" ", next(filter(None, groups))) for groups in _QUOTED_SPAN.findall(question)),
            *_QUOTE_LINE.findall(question),
            *_around_blanks(question),
        ]
        spans = [f" {' '.join(words)} " for span in quoted if content_tokens(words := raw_tokens(span))]
        if not spans:
            return None
        rest = set(self.question_tokens(question)).difference(*(self.question_tokens(span) for span in quoted))
        said_by_no_fact = [token for token in rest - ANSWER_KIND_WORDS if next(self._facts_naming(token), None) is None]
        if len(said_by_no_fact) > len(rest - ANSWER_KIND_WORDS) - len(said_by_no_fact):
            return None
        measures = MEASURE_WORDS & rest
        quoting = next(
            (item for item in result.ranked_facts[:SIMILARITY_CANDIDATES]
             if any(span in self._quoted_words(item.intent_id) for span in spans)
             and measures <= self._intents[item.intent_id].vocabulary.keys()),
            None,
        )
        return replace(result, outcome=Outcome.ANSWERED, best=quoting) if quoting else None

    def _quoted_words(self, fact_id: str) -> str:
        """A fact's quotes as words, space-padded, for finding a span a question quotes."""
        words = self._quotes_as_words.get(fact_id)
        if words is None:
            quotes = (" ".join(raw_tokens(quote.text)) for quote in self._facts[fact_id].quotes)
            words = self._quotes_as_words[fact_id] = f" {' | '.join(quotes)} "
        return words

    def _match_one(self, question: str) -> MatchResult:
        if is_small_talk(question):
            return MatchResult(Outcome.NOT_FOUND, None, (), small_talk=True)
        question_tokens = self.question_tokens(question)
        words = tokens(question, self.synonyms)
        bound = time_bound(words)
        if bound is not None and not QUESTION_WORDS.intersection(words):
            return self._with_bound_checked(question_tokens, bound)
        # Read as the question's tokens are: "insta or twiter" offers Instagram or Twitter.
        choices = [(self._corrected(word)[0], self._corrected(other)[0]) for word, other in choices_offered(words)]
        result = self._decide(self._score_tokens(question_tokens))
        if result.outcome is not Outcome.ANSWERED:
            result = self._one_alternative_answering(question_tokens, choices) or result
        claims = self._contrasts.claims(question_tokens, about_subject=SUBJECT in words)
        verb_first = self.language_of(question) is not None
        if claims and is_yes_no(words, asked=question.rstrip().endswith("?"), verb_first=verb_first):
            if is_negated(words) or self._names_someone_unknown(question, question_tokens):
                # "did he leave Paris with *no* medal?", "is he *skipping* the 1500?": the facts' words
                # can't say yes or no to a claim turned round, nor to one about someone the article
                # never names ("did Kipyegon win the 1500?"), so the question gets the plain match.
                return result
            asked = HowAsked(tuple(choices), self._exclusive_claims(words, claims), medal=MEDAL in question_tokens)
            return self._with_claims_checked(result, question_tokens, claims, asked)
        if SUMMARY in question_tokens:
            return self._with_topic_summarised(result)
        return result

    def _one_alternative_answering(self, question_tokens: list[str], choices: list[tuple[str, str]]) -> MatchResult | None:
        """A question offering a choice of one class ("the 1500 or the 5000?", "insta or X?") that
        finds no answer whole: asked with each alternative alone, the one a fact answers is the
        answer, and the other is not a word that fact lacks. When both answer, neither is chosen."""
        pair = next(((word, other) for word, other in choices if self._contrasts.same_class(word, other)), None)
        if pair is None:
            return None
        answered = [
            result for dropped in pair
            if (result := self._decide(self._score_tokens([token for token in question_tokens if token != dropped]))).outcome
            is Outcome.ANSWERED
        ]
        return answered[0] if len(answered) == 1 else None

    def _with_topic_summarised(self, result: MatchResult) -> MatchResult:
        """A summary of what the best fact is about: with every fact of its topic that matches nearly as well."""
        if result.outcome is not Outcome.ANSWERED or result.best is None:
            return result
        best = result.best
        topic = self._facts[best.intent_id].topic
        mates = tuple(
            item for item in result.ranked_facts
            if item.intent_id != best.intent_id and item.score >= SUMMARY_SHARE * best.score
            and self._facts[item.intent_id].topic == topic
        )
        return replace(result, summarised_with=mates) if mates else result

    def _parts(self, question: str, whole: MatchResult) -> tuple[tuple[str, MatchResult], ...]:
        """For a question that asks several things ("his time and who got silver?"), its parts to
        answer one by one; empty when the question is better answered whole.

        A fact that matches the whole question but none of its parts ("who got silver and
        bronze?" -> the podium) covers all of it. When the whole question only matches what one
        part asks, answering it alone would silently drop the rest."""
        raw_pieces = _CONJUNCTION.split(_BOTH_PAIR.sub(r"\1 & ", question))[:MAX_PARTS]
        if len(raw_pieces) < 2:  # most questions: no joining word, nothing more to read
            return ()
        # "who got silver and bronze, and where was the podium" is two questions, not three: read the
        # pieces that open no question of their own with the one before first, then each on its own.
        for pieces in dict.fromkeys([tuple(_questions_joined(raw_pieces)), tuple(raw_pieces)]):
            parts = self._answered_parts(pieces, whole)
            if parts:
                return parts
        return ()

    def _answered_parts(self, raw_pieces: tuple[str, ...], whole: MatchResult) -> tuple[tuple[str, MatchResult], ...]:
        pieces = [piece.strip() for piece in raw_pieces if self.question_tokens(piece)]
        # A first piece that is only a question word ("which people and groups...") asks nothing of its own.
        if pieces and not self._asks_something(pieces[0]):
            pieces = pieces[1:]
        if len(pieces) < 2:
            return ()
        # Nor does a later one ("..., and what did they get"): it can only be read with the rest.
        def read(piece: str) -> MatchResult:
            return self._match_one(piece) if self._asks_something(piece) else _NOTHING

        first = read(pieces[0])
        # "Which event did Warholm win, and what colour was it?": a part about what the unanswered first
        # part asks is refused with it, not answered about him.
        unanswered_first = first.outcome is Outcome.NOT_FOUND and first is not _NOTHING
        parts = ((pieces[0], first), *(
            (piece, first if unanswered_first and self._about_the_first_part(piece) else read(piece)) for piece in pieces[1:]
        ))
        part_facts = {r.best.intent_id for _, r in parts if r.outcome is Outcome.ANSWERED and r.best}
        if not part_facts:
            return ()
        parts = tuple((piece, self._read_with_the_rest(result, whole, part_facts)) for piece, result in parts)
        part_facts = {r.best.intent_id for _, r in parts if r.outcome is Outcome.ANSWERED and r.best}
        whole_answered = whole.outcome is Outcome.ANSWERED and whole.best is not None
        if whole_answered and whole.best is not None and whole.best.intent_id not in part_facts:
            return ()
        unanswered_part = any(r.outcome is not Outcome.ANSWERED for _, r in parts)
        return parts if len(part_facts) >= 2 or unanswered_part else ()

    def _about_the_first_part(self, piece: str) -> bool:
        """Whether a later part of a question is about what the first part asks: it opens no question
        of its own ("the winning margin between him *and Kwemoi*"), or it points back at the first
        part and names no one and nothing of its own (no person, no number, not him)."""
        if not _QUESTION_START.match(piece.strip()):
            return True
        if not refers_back(piece):
            return False
        words = tokens(piece, self.synonyms)
        return not any(word in SUBJECT_WORDS or word in self._entity_tokens or word[0].isdigit() for word in words)

    def _asks_something(self, piece: str) -> bool:
        """Whether a piece of a question names something beyond a question word."""
        return bool(set(self.question_tokens(piece)) - QUESTION_WORDS)

    def _with_bound_checked(self, question_tokens: list[str], bound: TimeBound) -> MatchResult:
        """"Under 13 minutes?": matched as a question about a time (the bound's number is no race or
        year of its own), then answered yes or no from the time the fact gives."""
        asked = [token for token in question_tokens if token not in {bound.token, bound.comparator}]
        result = self._decide(self._score_tokens([*asked, *([] if TIME_WORD in asked else [TIME_WORD])]))
        if result.outcome is not Outcome.ANSWERED or result.best is None or not result.best.is_fact:
            return result
        claim = self._contrasts.check_bound(bound, result.best.intent_id, self._asserted)
        return replace(result, claim=claim) if claim else result

    def _read_with_the_rest(self, part: MatchResult, whole: MatchResult, taken: set[str]) -> MatchResult:
        """A part that means nothing on its own ("…, and in which events?") is read with the rest of
        the question: the whole question's best fact that no other part answers, if it scores enough."""
        if part.outcome is Outcome.ANSWERED or part.out_of_scope_id is not None:
            return part
        if part.outcome is Outcome.AMBIGUOUS:
            return self._chosen_by_the_rest(part, whole, taken)
        rest = [item for item in whole.ranked_facts if item.intent_id not in taken]
        if not rest:
            return part
        # A part naming nothing ("... and where?") asks about what the whole question points at first.
        points_at_it = part is _NOTHING and rest[0] == whole.ranked_facts[0]
        if rest[0].score < self.settings.clear_lead_threshold and not points_at_it:
            return part
        return MatchResult(Outcome.ANSWERED, rest[0], tuple(rest))

    def _chosen_by_the_rest(self, part: MatchResult, whole: MatchResult, taken: set[str]) -> MatchResult:
        """A part that could mean several facts ("which events", in "which events and what city is he
        targeting for 2028") means the one of the facts it matches well that the whole question ranks
        first, if another part has not taken it: the events of 2028, not those of Paris."""
        close = {item.intent_id: item for item in part.ranked_facts if item.score >= self.settings.answer_threshold}
        chosen = next((close[item.intent_id] for item in whole.ranked_facts
                       if item.intent_id in close and item.intent_id not in taken), None)
        return replace(part, outcome=Outcome.ANSWERED, best=chosen) if chosen else part

    def _with_claims_checked(
        self, result: MatchResult, question_tokens: list[str], claims: dict[str, str], asked: HowAsked
    ) -> MatchResult:
        """A yes/no question's match, with the verdict of the facts on what it claims."""
        looked_up = None
        if result.outcome is Outcome.NOT_FOUND and result.out_of_scope_id is None:
            looked_up = self._looked_up_by_peers(question_tokens, claims)
        if looked_up is not None:
            # Found only through another word of the claimed word's class ("Swedish?" -> Norwegian): answer
            # only when the facts decide the claim, else the question stays unanswered.
            check = self._verdict(claims, looked_up, asked, self._as_close(looked_up))
            return replace(looked_up, claim=check) if check else result
        if result.out_of_scope_id is not None:
            return self._contradicting_fact(result, claims) or result
        if result.outcome is Outcome.NOT_FOUND or result.best is None:
            return result
        check = self._verdict(claims, result, asked, self._as_close(result))
        if check is None:
            return result
        if result.outcome is Outcome.AMBIGUOUS:
            # The claim itself picks between close facts: "did Fisher get silver" is settled by Fisher's fact.
            settling = next((item for item in self.close_to_best(result) if item.intent_id == check.fact_ids[0]), None)
            if settling is None:
                return result
            result = replace(result, outcome=Outcome.ANSWERED, best=settling)
        return replace(result, claim=check)

    def _names_someone_unknown(self, question: str, question_tokens: list[str]) -> bool:
        """Whether the question names (a capitalised word past its first) someone no fact knows: a word
        of the question no fact uses and no contrast class holds ("did *Kipyegon* win the 1500?")."""
        unknown = {token for token in question_tokens if token not in self._postings and not self._contrasts.class_of(token)}
        return not unknown.isdisjoint(names_in(question))

    def _exclusive_claims(self, words: list[str], claims: dict[str, str]) -> frozenset[str]:
        """The claims a question says there is no other of: the first claim after "only" or "just"
        ("*only* planning to run the 5000?", "*just* one pic?"); a place or a person is never one
        ("did he *just* win gold?" says when, "did *only* he win?" asks about the others)."""
        exclusive = set()
        for index, word in enumerate(words):
            if word in _EXCLUSIVE_WORDS:
                claimed = (token for later in words[index + 1:] if (token := self._corrected(later)[0]) in claims)
                first = next(claimed, None)
                if first is not None and claims[first] not in {PLACE_CLASS, "person"}:
                    exclusive.add(first)
        return frozenset(exclusive)

    @cached_property
    def _setting(self) -> frozenset[str]:
        facts = sum(intent.is_fact for intent in self._intents.values())
        return self._contrasts.setting(facts, lambda word: sum(1 for _ in self._facts_naming(word)))

    def _facts_naming(self, token: str) -> Iterator[str]:
        return (intent_id for intent_id in self._postings.get(token, ()) if self._intents[intent_id].is_fact)

    def _verdict(
        self, claims: dict[str, str], result: MatchResult, asked: HowAsked = PLAINLY, as_close: Sequence[str] = ()
    ) -> ClaimCheck | None:
        return self._contrasts.check(claims, self._ranked_ids(result), self._asserted, self._facts_naming,
                                     asked=asked, as_close=as_close, setting=self._setting)

    @staticmethod
    def _as_close(result: MatchResult) -> list[str]:
        """The facts that match about as well as the best one (as near as a clear lead would be)."""
        best = result.ranked_facts[0].score if result.ranked_facts else 0.0
        return [item.intent_id for item in result.ranked_facts if best - item.score < CLEAR_LEAD_OVER_FACTS]

    @staticmethod
    def _ranked_ids(result: MatchResult) -> list[str]:
        best = [result.best.intent_id] if result.best and result.best.is_fact else []
        return list(dict.fromkeys([*best, *(item.intent_id for item in result.ranked_facts)]))

    def _asserted_words(self, fact: Fact) -> frozenset[str]:
        """What a fact says (its answer and quotes) in canonical words, the subject included when named."""
        text = " ".join([fact.answer, *(quote.text for quote in fact.quotes)])
        subject = {SUBJECT} if SUBJECT_WORDS.intersection(tokens(text, self.synonyms)) else set()
        return frozenset(self._canonical(text)) | subject

    @cached_property
    def _speller(self) -> Speller:
        """Built on the first word that needs it: most questions are spelt well enough without."""
        # Numbers are never corrected, so they stay out of its dictionary (most of it, at 100,000 facts).
        words = (word for word in self._spellings if not word[0].isdigit())
        return Speller(words, STOPWORDS | QUESTION_WORDS, self.settings.typo_max_edits)

    def _looked_up_by_peers(self, question_tokens: list[str], claims: dict[str, str]) -> MatchResult | None:
        """A false claim finds no fact by its own words ("is he Swedish?", "his third Olympic gold?"),
        so look it up with each known word of the claimed word's class in its place (Norwegian,
        second); the lookup that finds a fact best wins, and the claim is then checked against it."""
        lookups = [
            self._decide(self._score_tokens([peer if token == claimed else token for token in question_tokens]))
            for claimed in claims
            for peer in self._contrasts.peers(claimed, self._postings)
        ]
        found = [lookup for lookup in lookups if lookup.outcome is not Outcome.NOT_FOUND and lookup.best]
        return max(found, key=lambda lookup: lookup.best.score if lookup.best else 0.0, default=None)

    def _contradicting_fact(self, result: MatchResult, claims: dict[str, str]) -> MatchResult | None:
        """"True or false: he won bronze in the 1500" matches a known unknown (who won the 1500), yet
        the closest fact plainly says otherwise (he finished fourth): that is a No, not a refusal."""
        if not result.ranked_facts:
            return None
        check = self._verdict(claims, result)
        if check is None or not check.is_plain_no or not self._contrasts.addresses(claims, self._asserted[check.fact_ids[0]]):
            return None
        settling = next((item for item in result.ranked_facts if item.intent_id == check.fact_ids[0]), None)
        if settling is None:  # settled by a fact the matcher did not even rank: too far from the question
            return None
        # The fact must be about the same thing: close enough to answer, or the same race and year.
        numbers = [token for token, name in claims.items() if self._contrasts.is_number_class(name)]
        same_race = bool(numbers) and all(token in self._asserted[settling.intent_id] for token in numbers)
        if settling.score < self.settings.clear_lead_threshold and not same_race:
            return None
        return replace(result, outcome=Outcome.ANSWERED, best=settling, out_of_scope_id=None, claim=check)

    def _clear_lead(self, scored: list[Scored]) -> bool:
        """A fact below the answer threshold still answers when nothing else comes near it: a
        paraphrase in words the phrasings lack scores lower, but it still points at one fact only."""
        best = scored[0]
        if not best.is_fact or best.score < self.settings.clear_lead_threshold:
            return False
        next_fact = max((item.score for item in scored[1:] if item.is_fact), default=0.0)
        next_unknown = max((item.score for item in scored if not item.is_fact), default=0.0)
        return best.score - next_fact >= CLEAR_LEAD_OVER_FACTS and best.score - next_unknown >= CLEAR_LEAD_OVER_UNKNOWNS

    def close_to_best(self, result: MatchResult) -> list[Scored]:
        """The facts within the ambiguity margin of the best one: the ambiguity rule, in one place."""
        if result.best is None:
            return []
        return [item for item in result.ranked_facts if result.best.score - item.score <= self.settings.ambiguity_margin]

    def _decide(self, scored: list[Scored]) -> MatchResult:
        facts = tuple(item for item in scored if item.is_fact)
        best = scored[0] if scored else None
        if best is None or best.score < self.settings.answer_threshold and not self._clear_lead(scored):
            return MatchResult(Outcome.NOT_FOUND, best, facts)
        if not best.is_fact:
            return MatchResult(Outcome.NOT_FOUND, best, facts, out_of_scope_id=best.intent_id)
        result = MatchResult(Outcome.ANSWERED, best, facts)
        close = self.close_to_best(result)
        if len(close) > 1:
            covering = self._saying_all(close)
            if covering is not None:
                return replace(result, best=covering)
            return replace(result, outcome=Outcome.AMBIGUOUS)
        return result

    def _saying_all(self, close: list[Scored]) -> Scored | None:
        """Of facts about as close to a question, the one that says all the others say, if any: its
        answer is right whichever of them was meant ("the record in Monaco": the Monaco win and its record)."""
        for item in close:
            words = self._asserted[item.intent_id]
            if all(self._asserted[other.intent_id] <= words for other in close):
                return item
        return None
