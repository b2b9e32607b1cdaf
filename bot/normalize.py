"""Text normalisation shared by the fact base and incoming questions.

Both sides of a comparison go through the same functions, so "Sørum", "sorum" and
"SORUM", or "5k", "5,000 metres" and "5000m", end up as the same tokens.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import Any

# Letters that NFKD does not split into a base letter plus an accent.
_UNSPLITTABLE_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d"}
)

_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}(?!\d))")
_KILO_DISTANCE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:k|km|kilometers?|kilometres?)\b")
_METRE_UNIT = re.compile(r"\b(\d+)(?:\s*|-)(?:m|meters?|metres?|mtrs?)\b")
# "4th", "#2", "no. 2", "nr 3", and Norwegian "4." before a word ("4. plass").
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b|(?:#|\bno\.?\s*|\bnr\.?\s*)(\d+)\b|\b(\d+)\.(?=\s+[^\W\d_])")
# A count of one to ten on its own is read as its word: "3 pics" = "three pictures".
_SMALL_COUNT = re.compile(r"(?<![\d.:,])\b([1-9]|10)\b(?![.:,]?\d)")
_COUNT_WORDS = dict(enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]))
_ORDINAL_WORDS = dict(
    enumerate(["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"])
)
# Discord markup that carries no words of the question: user, role and channel mentions, slash-command
# mentions, timestamps, custom emoji, @everyone/@here, :shortcode: emoji and links.
_DISCORD_TOKENS = re.compile(
    r"<(?:@[!&]?|#)\d+>|</[\w -]+:\d+>|<t:-?\d+(?::\w)?>|<a?:\w+:\d+>|@(?:everyone|here)\b"
    r"|(?<![\w:])(?::[a-z][a-z0-9_+-]*:)+(?![\w:])|<?https?://\S+>?",
    re.IGNORECASE,
)
# How a worksheet numbers and marks a question: "Q3.", "Q:", "Question 4:", "2)" before it, "(3 marks)" after.
_EXAM_MARKERS = re.compile(
    r"^[ \t]*(?:q(?:uestion)?[ \t]*(?:\d+[a-z]?[ \t]*[.):]?|[.:)])|\d+[ \t]*\))[ \t]+"
    r"|[(\[][ \t]*\d+[ \t]*(?:marks?|points?|pts?)[ \t]*[)\]]",
    re.IGNORECASE | re.MULTILINE,
)
# Quote (">"), heading ("#") and list markers at the start of a line.
_LINE_MARKERS = re.compile(r"^[ \t]*(?:>>>|>|#{1,3}|[-*]|-#)[ \t]+", re.MULTILINE)
# Keeps race times such as 13:13.66 whole; everything else that is not a letter or digit splits words.
_DIGIT = re.compile(r"\d")
# Distinct words remembered by the word-level caches below: far more than a fact base's vocabulary,
# and a bound, so questions full of made-up words cannot grow memory.
DICTIONARY_FORMS_CACHED = 1 << 16
# A letter held for effect ("hiiii", "goooold", "lmaooo") is written twice: no English word has it
# three times, and the speller takes the one edit left ("hii" -> hi, "goold" -> gold).
_ELONGATED = re.compile(r"([^\W\d_])\1{2,}")
_TOKEN = re.compile(r"\d+(?::\d+)+(?:\.\d+)?|\d+(?:\.\d+)?|[^\W\d_]+")

# A negated auxiliary: "didn't" reads as "didn" + "t"; written without the apostrophe, as "didnt".
NEGATED_AUXILIARIES = frozenset({
    "didn", "doesn", "don", "isn", "wasn", "weren", "aren", "hasn", "haven", "hadn", "couldn", "wouldn", "shouldn",
    "didnt", "doesnt", "dont", "isnt", "wasnt", "werent", "arent", "hasnt", "havent", "hadnt", "couldnt", "wouldnt",
    "shouldnt",
})

STOPWORDS = NEGATED_AUXILIARIES | frozenset({
    # English function words
    "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "against", "between",
    "into", "through", "during", "above", "below", "to", "up", "down", "in", "out", "on", "off", "over",
    "under", "again", "further", "then", "once", "here", "there", "all", "any", "both", "each", "few", "more",
    "most", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very",
    "can", "will", "just", "should", "now", "is", "am", "are", "was", "were", "be", "been", "being", "have",
    "has", "had", "having", "do", "does", "did", "doing", "would", "could", "might", "must", "shall", "may",
    "i", "me", "my", "myself", "we", "our", "ours", "you", "your", "yours", "he", "him", "his", "himself",
    "she", "her", "hers", "it", "its", "itself", "they", "them", "their", "theirs", "this", "that", "these",
    "those", "s", "t", "d", "ll", "re", "ve", "m", "o", "y", "as", "from", "while", "until", "whether", "also",
    # chat filler and words every question about the article shares
    "know", "please", "pls", "plz", "hey", "hi", "hello", "yo", "okay", "ok", "um", "uh", "like", "really",
    "actually", "exactly", "get", "got", "gets", "article", "story", "text", "piece", "news", "kind", "bit",
    "anything", "something", "u", "ur", "im", "dont", "take", "took", "taken", "taking", "make", "made", "making",
    "makes", "getting", "goes", "gone", "go",
    "went", "going", "gonna", "wanna", "want", "wondering", "curious", "question", "quick", "btw", "came", "come",
    "comes", "men", "mens", "big", "bigger", "biggest", "main", "major", "thing", "things",
    "stuff", "basically", "whats", "wat", "wot", "guy", "man", "dude", "bro", "lol", "name", "named", "called",
    "considered", "regarded", "people", "according", "describe", "described", "besides", "beside", "apart",
    "except", "along", "give", "gave", "given", "giving",
    # talking to the bot in a chat: its name, laughter, hedges, "anyone know"
    "bot", "factbot", "lmao", "lmfao", "rofl", "haha", "hahaha", "xd", "omg", "bruh", "ngl", "tbh", "fr", "imo",
    "idk", "nah", "yeah", "yep", "yea", "ya", "yall", "sooo", "soo", "wait", "hmm", "anyone", "anybody", "someone",
    "somebody", "guys", "folks", "chat", "sorry", "exact", "tho", "though", "remind", "forgot", "forget", "need",
    "real", "quickly", "lemme", "let", "us",
    "w", "eli5", "everyone", "everybody", "gm", "gn", "hiya", "heya", "rn", "ppl", "smth", "sth",
    "r", "still", "among", "amongst", "upon", "every", "actual", "anyway", "anyways",
    "spoiler", "spoilers", "fine", "even", "alright", "aight", "literally", "honestly", "seriously", "kinda",
    "sorta", "right", "imagine", "lowkey", "highkey", "deadass", "bruv", "mate",
    # courtesy around a question ("could you kindly tell me", "Mr Ingebrigtsen", "the young Norwegian", "..., yes?")
    "yes", "kindly", "able", "mr", "mrs", "ms", "sir", "madam", "gentleman", "lady", "tell", "learn", "wonder",
    "coming", "young", "needful", "dear", "abeg", "pardon", "forgive",
    "ask", "asks", "asked", "asking", "keeps",
    # how an exam or a reader asks, rather than what it asks about
    "identify", "quiz", "q", "per", "fill", "blank", "blanks", "supply", "adjective", "noun", "verb", "passage", "author", "writer", "stated", "state", "states", "stating", "explain",
    "explains", "explained", "explaining", "describes", "describing", "identifies", "identifying", "discusses",
    "discussing", "lists", "listing",
    "briefly", "list", "mention", "mentioned", "mentions", "refer",
    "referred", "refers", "reference", "indicate", "indicates", "indicated", "suggest", "suggests", "report",
    "reports", "reported", "specify", "specific", "specifically", "provide", "provided", "support", "evidence",
    "answer", "true", "false", "correct", "paragraph", "sentence", "line", "word", "words",
    "phrase", "quote", "quoted", "cite", "based", "context", "write", "writes", "written", "discuss", "discussed",
    "way", "detail", "details", "information", "info", "precise", "precisely", "overall", "whole",
})

# Words of a message that is talk, not a question ("thanks!", "nice one bot", "gg").
SMALL_TALK = frozenset({
    "thanks", "thank", "thx", "ty", "tysm", "cheers", "cool", "nice", "great", "awesome", "gg", "wow", "good",
    "bye", "goodbye", "morning", "evening", "night", "gm", "gn", "sup", "one", "love", "welcome", "np", "k",
})

# What may stand before a question without being part of it ("so did he...", "hey bot who...").
OPENERS = frozenset({
    "hey", "hi", "hello", "yo", "bot", "factbot", "ok", "okay", "so", "and", "but", "wait", "um", "uh", "hmm", "lol",
    "pls", "please",
})

# Auxiliaries that open a yes/no question.
AUXILIARIES = NEGATED_AUXILIARIES | frozenset({
    "did", "does", "do", "is", "was", "were", "are", "has", "had", "have", "will", "would", "can", "could", "should",
})
QUESTION_WORDS = frozenset({"who", "what", "when", "where", "why", "how", "which", "whom", "whose"})


_ASCII_CONTROLS = {code: " " for code in [*range(32), 127]}


def fold(text: str) -> str:
    """Lower-case, accent-free, invisible-character-free form of ``text``."""
    if text.isascii():  # most text: no accents, no invisible characters beyond ASCII controls
        # Mapping every character through a table costs 30 times what checking for controls does.
        return (text if text.isprintable() else text.translate(_ASCII_CONTROLS)).lower()
    text = strip_invisible(unicodedata.normalize("NFKC", text))
    # Control characters and line/paragraph separators split words; format characters are gone above.
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    text = text.casefold().translate(_UNSPLITTABLE_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_invisible(text: str) -> str:
    """``text`` without format characters: zero-width joiners and spaces, bidirectional overrides,
    soft hyphens, tag characters (Unicode category Cf)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


# A medal emoji is a word ("🥈 in the 5000, name pls"); other emoji carry none.
_MEDAL_EMOJI = {ord("🥇"): " gold ", ord("🥈"): " silver ", ord("🥉"): " bronze "}


def strip_markup(text: str) -> str:
    """The words of a chat message without Discord's (or a worksheet's) markup, lines joined: what a question asks.

    This is the one place markup is removed; the raw text stays with the caller for the log and
    for echoing back (escaped). Emphasis, spoiler bars and code ticks need no rule: they are not
    letters or digits, so tokenising drops them anyway."""
    # Each pattern is tried only on text holding a character every match of it needs: most text
    # holds none, and looking for a character is many times faster than trying a pattern everywhere.
    if "<" in text or "@" in text or ":" in text:
        text = _DISCORD_TOKENS.sub(" ", text)
    if "q" in text or "Q" in text or ")" in text or "]" in text:
        text = _EXAM_MARKERS.sub(" ", text)
    if ">" in text or "#" in text or "-" in text or "*" in text:
        text = _LINE_MARKERS.sub("", text)
    if not text.isascii():
        text = text.translate(_MEDAL_EMOJI)
    return " ".join(text.split())


# How a worksheet asks about the passage itself ("Explain…", "according to the passage", "the
# author…"): its answer is somewhere in the article, by the way it is asked.
_ABOUT_THE_PASSAGE = re.compile(
    r"^\W*(?:explain|identify|describe|discuss|compare|contrast|list|summari[sz]e|outline|quote|complete)\b"
    r"|\b(?:according to|per|as per) the (?:passage|article|text|author|writer|story)\b"
    r"|\b(?:the|this) (?:author|writer|passage|extract)\b"
    r"|\b(?:in|from) the (?:passage|text|article)\b"
    # ... or at a place in it: "the word 'culminated'", "which word means", "in paragraph two", "in brackets"
    r"|\bparagraph\b|\bin (?:the )?brackets\b|\bwhich (?:word|phrase)\b|\bfind the (?:word|phrase|sentence|line)\b"
    r"|\bthe (?:word|phrase|term|expression)\s+['\"‘“]",
    re.IGNORECASE,
)
# Where in the text a worksheet points ("in the second paragraph", "paragraph two"): no subject of the question.
_PARAGRAPH_PLACE = re.compile(
    r"\b(?:in )?(?:the )?(?:first|second|third|fourth|fifth|last|final|opening|closing|next|\d+(?:st|nd|rd|th)?) paragraph\b"
    r"|\bparagraph (?:one|two|three|four|five|\d+)\b",
    re.IGNORECASE,
)


# The passage's own verb ("what does the author *say* about…", "the text *describes*"): how a
# worksheet points at the article, never what it asks about.
_PASSAGE_VERB = re.compile(
    r"\b((?:the|this) (?:author|writer|passage|article|text|extract)(?:'s)?) (?:say|says|said|write|writes|wrote|"
    r"describe|describes|mention|mentions|suggest|suggests|state|states|report|reports|attribute|attributes|link|links|"
    r"use|uses|tell|tells|present|presents|portray|portrays|treat|treats|mean|means)\b",
    re.IGNORECASE,
)
# ... and why it mentions something: "*why does the author mention* the Monaco Diamond League?" asks
# what the article says of it.
_WHY_IT_IS_MENTIONED = re.compile(
    r"\bwhy (?:does|did|do|would|might) (?:the|this) (?:author|writer|article|text|passage|journalist|reporter)\s+"
    r"(?:mention|include|bring up|refer to|talk about|describe|bring in)\b",
    re.IGNORECASE,
)
# ... and said of it in the passive ("the event *mentioned* in the passage", "as *described* in the text").
_PASSIVE_PASSAGE_VERB = re.compile(
    r"\b(?:mentioned|named|described|given|cited|stated|reported|referred to|discussed|presented|portrayed|noted) "
    r"(?=(?:in|by) (?:the|this) (?:passage|article|text|extract|author|writer)\b)",
    re.IGNORECASE,
)
# ... and what a worksheet asks to find does in it ("the phrase that *shows*", "a word which *means*").
_FOUND_BY_ITS_ROLE = re.compile(
    r"\b((?:word|words|phrase|phrases|sentence|line|lines|detail|details|quote|quotation|evidence) (?:that|which)) "
    r"(?:shows?|suggests?|tells? us|tells?|indicates?|means?|reveals?|proves?|impl(?:y|ies)|demonstrates?)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=[^\W\d_])[\s,;:'’\"(]+([A-ZÆØÅ][^\W\d_]+)")


def asks_about_the_passage(text: str) -> bool:
    """Whether ``text`` is a reading-comprehension question: one the article answers, however worded."""
    text = strip_markup(text)
    return bool(_ABOUT_THE_PASSAGE.search(text) or _PASSAGE_VERB.search(text))


def without_passage_verbs(text: str) -> str:
    """``text`` without the verbs a worksheet uses for the passage itself ("the author says", "the
    phrase that shows", "why does the writer mention"), nor the paragraph it points at ("in the
    second paragraph")."""
    text = _FOUND_BY_ITS_ROLE.sub(r"\1", _PASSAGE_VERB.sub(r"\1", _WHY_IT_IS_MENTIONED.sub("", text)))
    return _PARAGRAPH_PLACE.sub("", _PASSIVE_PASSAGE_VERB.sub("", text))


# "when"/"where" inside a question, opening a clause about someone ("how fast was he *when he* won",
# "the Olympics *where he* won"), says when the thing asked about happened: it is not what is asked.
_CLAUSE_OPENER = re.compile(
    r"(?<=[^\W\d_])(?<!\band)(?<!\bor)(?<!\bso)\s+(?:when|where|while)(?=\s+(?:he|she|they|it|we|i|you|his)\b)",
    re.IGNORECASE,
)


def without_clause_openers(text: str) -> str:
    """``text`` without a "when" or "where" that opens a clause rather than asks (see _CLAUSE_OPENER)."""
    return _CLAUSE_OPENER.sub("", text)


# How a question opens: a question word or an auxiliary, or a preposition before "which" or "what"
# ("*on which* website did he share it"; "to have won twice" opens none).
QUESTION_OPENING = (
    rf"(?:(?:on|in|at|for|from|to|with|by|of)\s+(?=(?:which|what|whom|whose)\b))?"
    rf"(?:{'|'.join(sorted(QUESTION_WORDS | AUXILIARIES))})\b"
)
# A request for the whole story asks as a question does: "missed everything 💀 tl;dr of his Olympics?".
_SUMMARY_REQUEST = r"(?:tl;?\s?dr|summar(?:y|ise|ize)|recap|sum up)\b"
# A remark, then a question: a sentence end, a colon, a dash, a line break or an emoji between them
# ("ngl the comeback arc is insane :fire: what race did he win gold in again").
_REMARK_THEN_QUESTION = re.compile(
    rf"(?:[.!:—–]|\n|{_DISCORD_TOKENS.pattern}|[\U0001F000-\U0001FAFF\u2600-\u27BF])\s*"
    rf"((?:{QUESTION_OPENING}|{_SUMMARY_REQUEST})(?:[^.!:—–\n]|{_DISCORD_TOKENS.pattern})*)$",
    re.IGNORECASE,
)


def question_after_a_remark(text: str) -> str | None:
    """The question a message ends with after a remark of its own, if it has one."""
    found = _REMARK_THEN_QUESTION.search(text.rstrip())
    if found is None or "?" in text[: found.start(1)]:
        return None
    return found.group(1)


# A part of a question pointing back at an earlier one: "..., and what colour was *it*?", "... and *in* what sport?".
_BACK_REFERENCES = frozenset({"it", "its", "that", "this", "they", "them", "their", "there", "those", "these"})
_ELLIPTICAL_STARTS = frozenset({"in", "at", "on", "for", "with", "from", "by"})


def refers_back(text: str) -> bool:
    """Whether a part of a question leans on an earlier part: a pronoun for it, or a preposition left hanging."""
    words = raw_tokens(text)
    return bool(words) and (words[0] in _ELLIPTICAL_STARTS or not _BACK_REFERENCES.isdisjoint(words))


# Words of another language a question must use to be read as asked in it ("gratulerte *han* Warholm").
MIN_FOREIGN_WORDS = 2


def language_of(text: str, words_by_language: Mapping[str, Container[str]]) -> str | None:
    """The other language ``text`` is asked in (its code), if it uses enough of one's words; None for English."""
    tokens = raw_tokens(text)
    counts = {code: sum(token in words for token in tokens) for code, words in words_by_language.items()}
    code, count = max(counts.items(), key=lambda item: item[1], default=(None, 0))
    return code if count >= MIN_FOREIGN_WORDS else None


def names_in(text: str) -> set[str]:
    """Capitalised words after the first word, folded: the people, places and things a question names."""
    return {fold(name) for name in _NAME.findall(strip_markup(text))}


def phrasing_key(text: str) -> str:
    """Two texts with the same key are the same phrasing: case, accents, punctuation and markup aside.
    A phrasing may belong to one fact only; whether two phrasings *mean* the same is the matcher's
    ``same_question_key``."""
    text = fold(strip_markup(text))
    if text.isascii():  # most text: every character not part of a word a space, in one pass of C
        return " ".join(text.encode("ascii").translate(_ASCII_WORD_CHARACTERS_ONLY).decode("ascii").split())
    return " ".join(_NON_WORD.sub(" ", text).split())


_NON_WORD = re.compile(r"\W+")
# An ASCII character as itself when it is part of a word (\w), else as a space: a byte table.
_ASCII_WORD_CHARACTERS_ONLY = bytes(code if chr(code).isalnum() or chr(code) == "_" else ord(" ") for code in range(256))


def _canonical_numbers(text: str) -> str:
    if not _DIGIT.search(text):  # most words of most texts: nothing to rewrite, five searches saved
        return text
    # As in strip_markup, each rule is tried only on text holding a character every match of it needs.
    if "," in text or " " in text or "\u00a0" in text or "\u202f" in text:
        text = _THOUSANDS_SEPARATOR.sub("", text)
    if "k" in text:
        text = _KILO_DISTANCE.sub(lambda m: f"{float(m.group(1)) * 1000:g} ", text)
    if "m" in text:
        text = _METRE_UNIT.sub(r"\1 ", text)
    if "s" in text or "n" in text or "r" in text or "t" in text or "#" in text or "." in text:  # 1st 2nd 3rd 4th, #2, no/nr 2, 4.
        text = _ORDINAL.sub(_ordinal_word, text)
    return _SMALL_COUNT.sub(lambda m: _COUNT_WORDS[int(m.group(1))], text)


def _ordinal_word(match: re.Match[str]) -> str:
    number = next(group for group in match.groups() if group)
    return _ORDINAL_WORDS.get(int(number), number)


_NOT_PLURALS = frozenset({"news", "series", "species", "means"})


@functools.lru_cache(maxsize=DICTIONARY_FORMS_CACHED)
def _stem(token: str) -> str:
    """A deliberately light plural stemmer: enough for medals/medal, images/image."""
    if token in STOPWORDS or token in _NOT_PLURALS:  # "does" is not the plural of "doe"
        return token
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


class _Memo(dict[str, Any]):
    """``function``'s results by argument, all forgotten when ``DICTIONARY_FORMS_CACHED`` are kept: a
    hit is a plain dict lookup, several times faster than lru_cache's, for the ten million words of a
    fact base of 100,000 facts."""

    def __init__(self, function: Callable[[str], Any]) -> None:
        super().__init__()
        self._function = function

    def __missing__(self, key: str) -> Any:
        if len(self) >= DICTIONARY_FORMS_CACHED:
            self.clear()
        value = self[key] = self._function(key)
        return value


def raw_tokens(text: str) -> list[str]:
    """Folded, unit-normalised, lightly stemmed word tokens of ``text``."""
    text = fold(strip_markup(text))
    if "  " in text:  # spaces run together (a control character folded): read the text whole
        return list(_pieces_tokens(text))
    return [token for piece in _SAFE_SPACE.split(text) for token in _PIECE_TOKENS[piece]]


def _pieces_tokens(text: str) -> tuple[str, ...]:
    """The tokens of folded text: elongations shortened, numbers made canonical, words stemmed."""
    text = _ELONGATED.sub(r"\1\1", text)
    return tuple(_stem(token) for token in _TOKEN.findall(_canonical_numbers(text)))


# A fact base's texts (a million at 100,000 facts) share most of their words: each piece of text
# between safe spaces (below) is read once.
_PIECE_TOKENS = _Memo(_pieces_tokens)
# A space no rule of _pieces_tokens reads across, between single spaces: the text on either side can be
# read on its own. Only the number rules look across a space: a '.' before it ("4. plass"), a unit
# after it ("5 km", "800 m", and "5 km m", as "5 km" becomes "5000 "), a digit after a digit ("5 000")
# or after "no", "nr" ("no 2", "nr. 3").
# (Written to start with the space itself, which the pattern engine finds fast.)
_SAFE_SPACE = re.compile(r" (?<!\. )(?![km])(?!(?<=[\dor] )\d)")


# Definite and plural endings of Norwegian nouns, longest first.
_FOREIGN_ENDINGS = ("ene", "en", "et", "er", "ne", "a", "e")


# A phrase's first or last word this long or longer is recognised misspelt by one edit ("diamond leauge").
MIN_MISSPELT_PHRASE_WORD = 5


def one_edit_apart(typed: str, word: str) -> bool:
    """One letter changed, added, dropped, or two neighbours swapped; not one word an inflection
    of the other ("medals" is "medal" said of more than one, not a misspelling)."""
    if typed.startswith(word) or word.startswith(typed) or abs(len(typed) - len(word)) > 1:
        return False
    start = len(os.path.commonprefix([typed, word]))
    typed_rest, word_rest = typed[start:], word[start:]
    return (
        typed_rest[1:] == word_rest[1:]  # changed
        or typed_rest[1:] == word_rest  # added
        or typed_rest == word_rest[1:]  # dropped
        or typed_rest[:2] == word_rest[1::-1] and typed_rest[2:] == word_rest[2:]  # swapped
    )


class _PhraseRewriter:
    """Replaces phrases (tuples of tokens) by their replacements, the longest phrase first."""

    def __init__(self, phrases: Mapping[tuple[str, ...], tuple[str, ...]]) -> None:
        self.phrases = phrases
        # Only the lengths some phrase starting with that word has are tried.
        lengths: dict[str, set[int]] = {}
        for phrase in phrases:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self._lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}
        # The long first and last words of phrases, by the other words: what a misspelt end may be.
        self._last_words: dict[tuple[str, ...], list[str]] = {}
        self._first_words: dict[tuple[str, ...], list[str]] = {}
        for phrase in phrases:
            if len(phrase) > 1 and len(phrase[-1]) >= MIN_MISSPELT_PHRASE_WORD:
                self._last_words.setdefault(phrase[:-1], []).append(phrase[-1])
            if len(phrase) > 1 and len(phrase[0]) >= MIN_MISSPELT_PHRASE_WORD:
                self._first_words.setdefault(phrase[1:], []).append(phrase[0])
        self._first_word_lengths = sorted({len(rest) + 1 for rest in self._first_words}, reverse=True)

    def __contains__(self, phrase: tuple[str, ...]) -> bool:
        return phrase in self.phrases

    def _misspelt(self, written: tuple[str, ...]) -> tuple[str, ...] | None:
        """The phrase ``written`` is with its last word one edit off ("los angles", "diamond leauge": the
        words before it say which phrase), if any."""
        head, typed = written[:-1], written[-1]
        meant = next((word for word in self._last_words.get(head, ()) if one_edit_apart(typed, word)), None)
        return None if meant is None else (*head, meant)

    def rewrite(self, tokens: Sequence[str], *, misspelt_ends: bool = False) -> list[str]:
        """``misspelt_ends``: a phrase's first or last word may be misspelt (in questions; facts are spelt right)."""
        if misspelt_ends:
            return self._rewritten_as_typed(tokens)
        phrases, lengths = self.phrases, self._lengths
        if lengths.keys().isdisjoint(tokens):  # most texts hold no other language's words
            return list(tokens)
        result: list[str] = []
        rewritten = 0  # the tokens before this one are in the result
        # Only the few tokens some phrase starts with are looked at one by one.
        for position in [position for position, token in enumerate(tokens) if token in lengths]:
            if position < rewritten:
                continue  # inside a phrase already replaced
            for length in lengths[tokens[position]]:  # the longest phrase first
                if position + length > len(tokens):
                    continue
                written = tuple(tokens[position : position + length])
                if written in phrases:
                    result.extend(tokens[rewritten:position])
                    result.extend(phrases[written])
                    rewritten = position + length
                    break
        result.extend(tokens[rewritten:])
        return result

    def _rewritten_as_typed(self, tokens: Sequence[str]) -> list[str]:
        """A question's tokens with its phrases replaced: every word is looked at, as a misspelt first
        word starts no phrase by itself (a question is short; a fact base's texts take the path above)."""
        result: list[str] = []
        position = 0
        while position < len(tokens):
            phrase = self._phrase_as_typed_at(tokens, position)
            if phrase is None:
                result.append(tokens[position])
                position += 1
            else:
                result.extend(self.phrases[phrase])
                position += len(phrase)
        return result

    def _phrase_as_typed_at(self, tokens: Sequence[str], position: int) -> tuple[str, ...] | None:
        """The phrase at ``position``, as written or with its first or last word one edit off."""
        for length in self._lengths.get(tokens[position], ()):  # the longest phrase first
            if position + length > len(tokens):
                continue
            written = tuple(tokens[position : position + length])
            phrase = written if written in self.phrases else self._misspelt(written)
            if phrase is not None:
                return phrase
        return self._misspelt_start_at(tokens, position)

    def _misspelt_start_at(self, tokens: Sequence[str], position: int) -> tuple[str, ...] | None:
        """The phrase at ``position`` whose first word is one edit off ("diamnd league"); a filler word
        is never one ("right before" is not "night before")."""
        typed = tokens[position]
        if typed in STOPWORDS:
            return None
        for length in self._first_word_lengths:
            rest = tuple(tokens[position + 1 : position + length])
            meant = next((word for word in self._first_words.get(rest, ()) if one_edit_apart(typed, word)), None)
            if meant is not None:
                return (meant, *rest)
        return None


class SynonymTable:
    """Rewrites words and multi-word phrases to one canonical token each.

    ``translations_of`` (English word or phrase -> how another language says it) are read first,
    into the English words, so "hvem vant sølv" meets the synonyms as "who won silver";
    ``filler`` are that language's function words ("er", "og"), dropped like English ones."""

    def __init__(
        self,
        groups: Mapping[str, Iterable[str]],
        translations_of: Mapping[str, Iterable[str]] | None = None,
        filler: Iterable[str] = (),
    ) -> None:
        translations: dict[tuple[str, ...], tuple[str, ...]] = {tuple(raw_tokens(word)): () for word in filler}
        for english, foreign in (translations_of or {}).items():
            target = tuple(raw_tokens(english))
            translations.update((tuple(raw_tokens(variant)), target) for variant in foreign)
        translations.pop((), None)
        self._translations = _PhraseRewriter(translations)
        phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in groups.items():
            target = ("_".join(raw_tokens(canonical)),)
            for variant in [canonical, *variants]:
                written = tuple(raw_tokens(variant))
                if written:
                    phrases[written] = target
                read = self._read_without_filler(written)
                if read:
                    phrases.setdefault(read, target)  # never in place of a phrase written that way
        self._phrases = _PhraseRewriter(phrases)
        self._cache_dictionary_forms()

    def _read_without_filler(self, written: tuple[str, ...]) -> tuple[str, ...] | None:
        """A phrase as a question reads it when another language's filler word stands inside it
        ("rooting *for* him": "for" is Norwegian filler too, dropped before phrases are read); None
        when nothing inside it is dropped, or its first or last word is (the phrase would say less)."""
        read = tuple(self._translations.rewrite(written))
        inner_only = len(read) >= 2 and read[0] == written[0] and read[-1] == written[-1]
        return read if inner_only and read != written else None

    def _cache_dictionary_forms(self) -> None:
        # Words repeat across a fact base's texts: each distinct word is looked up once.
        self._dictionary_form = _Memo(self._uncached_dictionary_form)

    def __getstate__(self) -> dict[str, object]:
        """The tables without the lookup cache (the compiled knowledge cache stores them)."""
        return {name: value for name, value in self.__dict__.items() if name != "_dictionary_form"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._cache_dictionary_forms()

    def single_words(self) -> dict[str, str]:
        """One-word variants and the canonical token each stands for."""
        return {key[0]: target[0] for key, target in self._phrases.phrases.items() if len(key) == 1}

    def apply(self, tokens: Sequence[str], *, misspelt_ends: bool = False) -> list[str]:
        """``misspelt_ends``: a phrase's long last word may be one edit off (a question's "los angles")."""
        english = self._translations.rewrite(list(map(self._dictionary_form.__getitem__, tokens)))
        return self._phrases.rewrite(english, misspelt_ends=misspelt_ends)

    def _uncached_dictionary_form(self, token: str) -> str:
        """A foreign word with a definite or plural ending the table lacks, in the form it has:
        "hovedfokuset" -> hovedfokus, "sølvvinneren" -> sølvvinner. English words are left alone
        unless the shortened form is a translated word."""
        if (token,) in self._translations or (token,) in self._phrases:
            return token
        for ending in _FOREIGN_ENDINGS:
            stem = token[: -len(ending)]
            if token.endswith(ending) and len(stem) >= 3 and (stem,) in self._translations:
                return stem
        return token


def tokens(text: str, synonyms: SynonymTable, *, misspelt_ends: bool = False) -> list[str]:
    """Canonical tokens of ``text``: what the matcher compares (see SynonymTable.apply)."""
    return synonyms.apply(raw_tokens(text), misspelt_ends=misspelt_ends)


def content_tokens(canonical: Iterable[str]) -> list[str]:
    """The tokens that carry meaning: no filler words, no duplicates, order kept."""
    return [token for token in dict.fromkeys(canonical) if token not in STOPWORDS]


def is_small_talk(text: str) -> bool:
    """Whether a message holds no question at all: a question word alone ("who", "what?") or
    talk alone ("thanks", "lol", "nice one bot")."""
    words = [word for word in raw_tokens(text) if word not in OPENERS]
    if len(words) == 1 and words[0] in QUESTION_WORDS:
        return True
    return all(word in SMALL_TALK or word in STOPWORDS for word in words)
