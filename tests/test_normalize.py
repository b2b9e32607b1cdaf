from __future__ import annotations

import pytest

from bot.normalize import SynonymTable, content_tokens, fold, raw_tokens, tokens


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
