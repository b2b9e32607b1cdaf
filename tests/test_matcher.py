"""The three outcomes, on the shipped fact base and on small made-up ones."""

from __future__ import annotations

import pytest

from bot.answers import FactBot
from bot.matcher import Outcome, Scored
from bot.settings import Settings


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("who got silver?", "silver_medalist"),
        ("what was his time in the 5k", "winning_time"),
        ("WHO GOT BRONZE", "bronze_medalist"),
        ("who got slver", "silver_medalist"),
        ("how did he do in the 1,500 metres", "result_1500m"),
        ("did he mention mol & sørum", "congratulated_athletes"),
        ("did he mention mol and sorum", "congratulated_athletes"),
        ("what is his main focus now", "la_2028_focus"),
        ("will he race both the 1500 and the 5k in LA?", "la_2028_events"),
    ],
)
def test_answered(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.outcome is Outcome.ANSWERED
    assert reply.fact.id == fact_id
    assert reply.quotes and all(factbot.knowledge.article[q.start : q.end] == q.text for q in reply.quotes)


def test_two_part_question_is_answered_by_the_fact_covering_both(factbot):
    reply = factbot.ask("who got silver and bronze?")
    assert reply.fact.id == "podium"
    assert "Kwemoi" in reply.text and "Fisher" in reply.text


@pytest.mark.parametrize("question", ["will he run both 1500 and 5000 in LA?", "skal han løpe både 1500 og 5000 i LA?"])
def test_both_this_and_that_is_one_thing_asked(factbot, question):
    reply = factbot.ask(question)
    assert reply.fact.id == "la_2028_events" and reply.text.startswith(("Yes.", "Ja.")), reply.text


def test_both_this_and_then_a_question_is_two_questions(factbot):
    reply = factbot.ask("did he win both golds and what was his time?")
    assert "13:13.66" in reply.text and not reply.text.startswith("Yes."), reply.text


def test_norwegian_og_joins_two_questions_as_and_does(factbot):
    reply = factbot.ask("hva het de to som kom på sølv og bronse plassen")
    assert reply.matched and "Kwemoi" in reply.text and "Fisher" in reply.text, reply.text


@pytest.mark.parametrize(
    "question",
    ["how old is he", "who is his coach", "who won the 1500m", "what was the weather like",
     "what is the capital of france", "what was kwemoi's time", "what nationality is grant fisher",
     "what was the european record time he set in monaco", "how many medals did norway win"],
)
def test_not_in_the_article(factbot, question):
    reply = factbot.ask(question)
    assert reply.outcome is Outcome.NOT_FOUND
    assert reply.fact is None and not reply.quotes
    assert "article" in reply.text
    assert reply.alternatives, "closest topics are suggested"


def test_known_unknown_gets_its_specific_reply(factbot):
    reply = factbot.ask("who won the 1500 metres?")
    assert reply.text.startswith("The article doesn't say who won the 1500 m")


def test_the_time_a_race_started_is_not_his_winning_time(factbot):
    assert factbot.ask("at what time did the 5000 final start").text.startswith("The article doesn't give the date")


def test_the_time_of_the_record_is_a_known_unknown_with_its_race_named(factbot):
    # The record is the 1500 m one: naming the race must not make the record fact outscore "the record time".
    assert factbot.ask("what was the european 1500 m record time he ran in monaco").text.startswith(
        "The article says he broke the European 1500 m record in Monaco but doesn't give the time")
    assert factbot.ask("did he break the european 1500 record").text.startswith("Yes.")


def test_nothing_close_still_suggests_topics(factbot):
    reply = factbot.ask("zxqv blorp")
    assert reply.outcome is Outcome.NOT_FOUND
    assert len(reply.alternatives) == factbot.settings.suggestion_count


def test_ambiguous_when_runner_up_is_within_the_margin(knowledge):
    bot = FactBot(knowledge, Settings(_env_file=None, ambiguity_margin=40))
    reply = bot.ask("who got silver")
    assert reply.outcome is Outcome.AMBIGUOUS
    assert reply.fact is None and not reply.quotes
    assert reply.alternatives[0].fact_id == "silver_medalist"
    assert len(reply.alternatives) >= 2
    assert "Did you mean" in reply.text
    picked = bot.answer_with(reply.alternatives[1].fact_id, "who got silver")
    assert picked.outcome is Outcome.ANSWERED and picked.quotes


def test_thresholds_come_from_settings(knowledge):
    strict = FactBot(knowledge, Settings(_env_file=None, answer_threshold=100, clear_lead_threshold=100))
    assert strict.ask("did jakob win his race").outcome is Outcome.NOT_FOUND


@pytest.mark.parametrize(
    "question",
    ["", "   \n\t ", "x" * 10_000, "🏃‍♂️🥇🔥", "\u200b\u200b\u200b", "谁获得了银牌？", "кто получил серебро",
     "@everyone who won?", "<@123> **bold** `code`", "\x00\x01\x02", "؟من فاز", "a\u0301\u0301\u0301" * 50,
     "{0} %s {question}"],
)
def test_bad_input_gets_a_clear_reply_never_a_crash(factbot, question):
    reply = factbot.ask(question)
    assert reply.outcome in set(Outcome)
    assert reply.text.strip()
    if reply.outcome is Outcome.ANSWERED:
        assert all(factbot.knowledge.article[q.start : q.end] == q.text for q in reply.quotes)


def test_empty_and_huge_questions_say_why(factbot):
    assert "Please ask a question" in factbot.ask("  ").text
    assert "10,000 characters long" in factbot.ask("y" * 10_000).text


def test_two_questions_in_one_are_both_answered(factbot):
    reply = factbot.ask("what was his time and who got silver?")
    assert reply.outcome is Outcome.ANSWERED and reply.fact.id == "winning_time"
    assert "13:13.66" in reply.text and "Rodgers Kwemoi" in reply.text
    assert {q.text for q in reply.quotes} == {
        "winning his second Olympic gold medal with a time of 13:13.66", "silver medalist Rodgers Kwemoi"}


def test_a_part_that_means_nothing_alone_is_read_with_the_rest(factbot):
    # "what country is he from" alone matches no fact clearly; with "the men's 5000 in Paris" it does.
    reply = factbot.ask("Who won the men's 5000 in Paris and what country is he from?")
    assert "won the gold medal in the 5000" in reply.text and "Norwegian" in reply.text


def test_several_questions_after_question_marks_are_each_answered(factbot):
    reply = factbot.ask("who did he dedicate it to? also what's his next goal")
    assert "all you runners out there" in reply.text and "2028" in reply.text


def test_the_part_the_article_does_not_cover_is_named(factbot):
    reply = factbot.ask("what was his time and how old is he")
    assert "13:13.66" in reply.text
    assert "“how old is he”: The article doesn't say how old he is." in reply.text


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [("who won silver and bronze", "podium"), ("will he race both the 1500 and 5000 in los angeles", "la_2028_events"),
     ("did he mention mol & sørum", "congratulated_athletes")],
)
def test_and_inside_one_question_is_not_split(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.fact.id == fact_id and "\n" not in reply.text


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [("1500 m placing?", "result_1500m"), ("did he get overtaken in the 1500", "how_1500m_was_lost"),
     ("how were the paris olympics for him emotionally", "mixed_emotions")],
)
def test_inflected_words_match_their_stems(factbot, question, fact_id):
    assert factbot.ask(question).fact.id == fact_id


def test_a_part_that_could_mean_several_facts_means_the_one_the_whole_question_points_to(factbot):
    # "which events" alone could be Paris or 2028; the rest of the question is about what comes next.
    reply = factbot.ask("what events and which games is he targeting next")
    assert "could mean more than one thing" not in reply.text
    assert "In Los Angeles 2028 he plans to run both" in reply.text


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [("which people and groups did he give credit to", "dedication"), ("where and when is his next big goal", "la_2028_focus")],
)
def test_a_question_word_before_and_is_no_part_of_its_own(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.fact.id == fact_id and "\n" not in reply.text, reply.text


def test_a_question_in_the_article_s_own_words_matches_what_the_fact_says(factbot):
    # No phrasing says "culminated": the fact's quote does.
    assert factbot.ask("what culminated in his gold medal at the paris olympics").fact.id == "comeback_after_1500m"


@pytest.mark.parametrize("question", ["was 13:13.66 an olympic record?", "did he set an olympic record in monaco"])
def test_an_olympic_record_is_a_record_not_the_olympics(factbot, question):
    # The article mentions no Olympic record: his time is no "Yes", and Monaco's record is the European one.
    reply = factbot.ask(question)
    assert not reply.matched and not reply.text.startswith("Yes")


def test_of_two_close_facts_the_one_saying_all_the_other_says_answers(factbot):
    # The Monaco win's answer names the record too: it is right whichever of the two was meant.
    decided = factbot.matcher._decide([Scored("european_record_1500m", 70.0, True), Scored("monaco_win", 69.5, True)])
    assert decided.outcome is Outcome.ANSWERED and decided.best.intent_id == "monaco_win"
    # The podium and the gold each say something the other does not: still ambiguous.
    decided = factbot.matcher._decide([Scored("gold_5000m", 70.0, True), Scored("podium", 69.5, True)])
    assert decided.outcome is Outcome.AMBIGUOUS


@pytest.mark.parametrize("question", ["when did warholm do it", "karsten warholm, when?"])
def test_a_fact_that_names_the_day_answers_when(factbot, question):
    # No phrasing asks when of Warholm, but the fact says "(yesterday)".
    assert factbot.ask(question).fact.id == "congratulated_athletes"
    assert not factbot.ask("when was the race").matched


def test_a_later_part_naming_nothing_is_never_answered_on_its_own(factbot):
    # "what did he get" is only "what": on its own it matched the summary ("what is the article about").
    assert "mixed emotions" not in factbot.ask("who is kwemoi and what did he get").text
    assert not factbot.ask("what medal did koanda win and in what").matched


def test_after_a_statement_the_question_after_but_is_what_is_asked(factbot):
    assert factbot.ask("||jakob took the 5000|| but how did his 1500 go").fact.id == "result_1500m"
    # after a question, "but" joins another question: both are asked
    assert "Kwemoi" in factbot.ask("who got silver but who got bronze").text


@pytest.mark.parametrize(("word", "not_read_as"), [("call", "calling"), ("rec", "recent"), ("part", "celebrate")])
def test_a_word_shorter_than_a_stem_is_not_read_as_a_longer_word(factbot, word, not_read_as):
    assert not_read_as not in factbot.matcher.question_tokens(f"why {word} it that")


@pytest.mark.parametrize(
    ("question", "verdict"),
    [("under 13 minutes?", "No."), ("did he run it under 13 minutes?", "No."), ("did he break 13 minutes", "No."),
     ("was his time faster than 13:20", "Yes."), ("over 13 mins?", "Yes."), ("sub 13 min?", "No.")],
)
def test_a_claimed_bound_on_his_time_is_answered_yes_or_no_with_the_time(factbot, question, verdict):
    reply = factbot.ask(question)
    assert reply.text.startswith(verdict) and "13:13.66" in reply.text
    assert [q.text for q in reply.quotes] == ["winning his second Olympic gold medal with a time of 13:13.66"]


def test_a_bound_in_a_question_that_asks_something_else_is_no_claim(factbot):
    assert not factbot.ask("how many runners finished under 14 minutes").text.startswith(("Yes", "No"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Did Kwemoi end up with bronze?", "No. Rodgers Kwemoi won the silver"),  # an idiom is no word of its own
     ("olympic golds so far?", "second Olympic gold"),
     ("who finsihed thrid in 5000m paris", "Grant Fisher won the bronze")],  # a misspelt inflected word
)
def test_idioms_and_misspelt_inflections_find_their_fact(factbot, question, expected):
    assert expected in factbot.ask(question).text
