from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import normalize
from bot.normalize import SynonymTable, content_tokens, fold, phrasing_key, raw_tokens, strip_markup, tokens


@pytest.mark.parametrize("text", ["5k", "5 k", "5000m", "5000 m", "5,000m", "5,000 metres", "5000 meters", "5 000 m", "5km", "5000"])
def test_5000_metres_written_any_way(text):
    assert raw_tokens(text) == ["5000"]


@pytest.mark.parametrize("text", ["1500", "1,500 m", "1,500m", "1500m", "1.5k", "1500 metres", "1 500 meters"])
def test_1500_metres_written_any_way(text):
    assert raw_tokens(text) == ["1500"]


def test_race_times_stay_whole():
    assert raw_tokens("was it 13:13.66?") == ["was", "it", "13:13.66"]


def test_accents_and_letters_without_decomposition():
    assert fold("Sørum Ærø Müller Ingebrigtsen") == "sorum aero muller ingebrigtsen"
    assert raw_tokens("Mol & Sørum") == raw_tokens("mol and sorum")[:1] + ["sorum"]


def test_invisible_and_control_characters_vanish():
    assert fold("si\u200blver\u200d \u202ebronze\u202c\x00") == "silver bronze "


def test_fullwidth_and_case():
    assert raw_tokens("ＷＨＯ GOT SILVER") == ["who", "got", "silver"]


def test_ordinals_and_plurals():
    assert raw_tokens("4th images medals") == ["fourth", "image", "medal"]


def test_synonym_phrases_longest_first():
    table = SynonymTable({"silver": ["second place", "runner up"], "place": ["position"]})
    assert tokens("who took second place", table) == ["who", "took", "silver"]
    assert tokens("what position", table) == ["what", "place"]
    assert tokens("the runner-up", table) == ["the", "silver"]


def test_content_tokens_drop_filler_keep_question_words():
    assert content_tokens(["hey", "who", "got", "the", "silver", "silver"]) == ["who", "silver"]


def test_ordinals_become_words():
    assert raw_tokens("who came 2nd or 3rd, not 4th") == ["who", "came", "second", "or", "third", "not", "fourth"]


# raw_tokens reads a text piece by piece, each piece once, and skips markup patterns that cannot
# match: it must read every text exactly as the whole-text pipeline it replaced, written out here.
def _whole_text_tokens(text: str) -> list[str]:
    text = normalize._EXAM_MARKERS.sub(" ", normalize._DISCORD_TOKENS.sub(" ", text))
    text = " ".join(normalize._LINE_MARKERS.sub("", text).split())
    # fold() is unchanged on text that is not ASCII.
    text = text.translate({code: " " for code in [*range(32), 127]}).lower() if text.isascii() else fold(text)
    text = re.sub(r"([^\W\d_])\1{2,}", r"\1\1", text)
    return [normalize._stem(token) for token in normalize._TOKEN.findall(normalize._canonical_numbers(text))]


_PIECES = ["5", "0", "1", "10", "000", "2.", "0.5", " ", " ", " ", "  ", "k", "km", "kilometres", "m", "metres", "mtrs",
           "meter", "no", "nr", "no.", ".", ",", "st", "th", "rd", ":", "13:13.66", "#", "a", "the", "x", "ooo", "plass",
           "\u00a0", "\u202f", "\x01", "\t", "\n", "<@123>", "<#9>", "@here", ":eyes:", "q1.", "Q:", "question 2)", "3)",
           "(3 marks)", "[2 pts]", "> ", ">>> ", "# ", "- ", "* ", "-", "é", "ø", "Ærø", "٣", "５", "https://x.y/z", "ß", "-m"]


@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_reads_every_text_as_the_whole_text_pipeline(pieces):
    text = "".join(pieces)
    assert raw_tokens(text) == _whole_text_tokens(text)


@pytest.mark.parametrize("text", ["5 km m", "5km m", "no  5", "5  k", "5 000 m", "4. plass", "no. 2 and 3", "\x01 5 k"])
def test_numbers_read_across_spaces(text):
    assert raw_tokens(text) == _whole_text_tokens(text)


@given(st.lists(st.sampled_from(_PIECES + ["'", "_", "?!", "Eriksen's", "ÆØÅ", "x_y"]), max_size=14))
def test_phrasing_key_is_the_folded_words(pieces):
    text = "".join(pieces)
    assert phrasing_key(text) == " ".join(re.sub(r"\W+", " ", fold(strip_markup(text))).split())
