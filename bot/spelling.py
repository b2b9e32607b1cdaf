"""Spelling: reading a word nobody in the fact base uses as one it does ("silvr" -> silver).

SymSpell (symspellpy) finds the known words within a few edits, transpositions counted as one
edit ("thrid", "waht"), and splits words run together ("whowon" -> who won). Its dictionary is
the fact base's own vocabulary and the filler words, so the article's names and words come
first. symspellpy's English word list only answers "is this a real English word?": a real
word ("person", "stood", "arena") is a paraphrase, never corrected into a similar fact word.
Numbers, times and distances are never corrected.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

# The most frequent words of symspellpy's English frequency list count as real English words.
# The tail of the list holds misspellings and fragments ("teh" is not in the first 50,000).
ENGLISH_WORD_COUNT = 50_000
ENGLISH_DICTIONARY = "frequency_dictionary_en_82_765.txt"
# Words this short are corrected only onto filler words (one edit): "teh" -> the; shorter ones never.
SHORTEST_CORRECTED = 3
# A word up to this long may be one edit away from the word meant; longer words two.
ONE_EDIT_UP_TO = 5
# Corrections prefer the fact base's words to filler words when both are as close.
_KNOWN_WORD_COUNT = 1000
_FILLER_WORD_COUNT = 1
# Parts of a run-together word must be at least this long ("whatwas" -> what was, not "w hat was").
MIN_SPLIT_PART = 2


def _closest():  # symspellpy's Verbosity.CLOSEST, without importing symspellpy at start-up
    from symspellpy import Verbosity

    return Verbosity.CLOSEST


@cache
def english_words() -> frozenset[str]:
    """The frequent English words; read once, on the first word nobody in the fact base uses."""
    with resources.files("symspellpy").joinpath(ENGLISH_DICTIONARY).open(encoding="utf-8") as lines:
        return frozenset(line.split(" ", 1)[0] for line, _ in zip(lines, range(ENGLISH_WORD_COUNT), strict=False))


class Speller:
    """Corrects words onto a fixed vocabulary: the known words first, then filler words."""

    def __init__(self, known_words: Iterable[str], filler_words: Iterable[str], max_edits: int) -> None:
        from symspellpy import SymSpell  # imported here: most runs of `factbot ask` never need it

        self._max_edits = max_edits
        self._symspell = SymSpell(max_dictionary_edit_distance=max_edits, prefix_length=7)
        self._filler = frozenset(filler_words)
        for word in self._filler:
            self._symspell.create_dictionary_entry(word, _FILLER_WORD_COUNT)
        for word in known_words:
            self._symspell.create_dictionary_entry(word, _KNOWN_WORD_COUNT)

    @staticmethod
    def is_english(word: str) -> bool:
        return word in english_words()

    def correct(self, word: str) -> list[str] | None:
        """The word(s) meant by ``word``, or None when it is no misspelling of anything known."""
        if len(word) < SHORTEST_CORRECTED or not word.isalpha():
            return None
        split = self._split(word)
        if split:
            return split
        edits = 1 if len(word) <= ONE_EDIT_UP_TO else self._max_edits
        suggestions = self._symspell.lookup(word, _closest(), max_edit_distance=edits)
        if suggestions and (len(word) > SHORTEST_CORRECTED or suggestions[0].term in self._filler):
            return [suggestions[0].term]
        return None

    def _split(self, word: str) -> list[str] | None:
        """``word`` as several known words written together, if it is exactly that."""
        if len(word) < 2 * MIN_SPLIT_PART + 1:
            return None
        parts = self._symspell.word_segmentation(word, max_edit_distance=0).corrected_string.split()
        if len(parts) > 1 and all(len(part) >= MIN_SPLIT_PART and self._symspell.words.get(part) for part in parts):
            return parts
        return None
