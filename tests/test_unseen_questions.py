"""Questions as people really type them: Discord markup, typos, other words, yes/no, Norwegian, small talk.

The examples here are ours; the blind sets in ``tests/blind/`` (written by people who saw only
the article) are what the quality floors at the end of this file hold the matcher to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import evaluate, read_labelled_questions
from bot.knowledge import KnowledgeError, load_knowledge
from bot.matcher import Outcome
from bot.normalize import (
    asks_about_the_passage,
    one_edit_apart,
    phrasing_key,
    question_after_a_remark,
    raw_tokens,
    refers_back,
    strip_markup,
    without_clause_openers,
    without_passage_verbs,
)
from tests.conftest import edit_yaml

BLIND_DIR = Path(__file__).parent / "blind"


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("<@123456789012345678> who won silver", "who won silver"),
        ("<@!123456789012345678> <@&4000> <#5000> who won silver", "who won silver"),
        ("@everyone @here who won silver", "who won silver"),
        ("<:pog:123456789012345678> who <a:dance:987654321098765432> won :fire: silver", "who won silver"),
        ("> Leaving Paris empty-handed\nwho said this", "Leaving Paris empty-handed who said this"),
        ("see https://example.com/a?b=c who won silver", "see who won silver"),
        ("</ask:123> <t:1722470400:R> his time 13:13.66", "his time 13:13.66"),
        # a worksheet's numbering and marks
        ("Q3. Identify the medallists (3 marks)", "Identify the medallists"),
        ("Question 4: who won silver [2 marks]", "who won silver"),
        ("2) who won silver", "who won silver"),
        ("Q: who won silver", "who won silver"),
        ("quick q: who won silver", "quick q: who won silver"),
        ("4. plass i 1500?", "4. plass i 1500?"),  # a Norwegian ordinal is no numbering
        # shortcodes written together, and a medal emoji is a word
        (":fire::fire: who got silver", "who got silver"),
        ("🥈 in the 5000, name pls", "silver in the 5000, name pls"),
    ],
)
def test_discord_markup_is_stripped_in_one_place(message, words):
    assert strip_markup(message) == words


def test_a_letter_held_for_effect_is_written_twice():
    assert raw_tokens("sooo goooold lmaooo 1000 m") == ["soo", "goold", "lmaoo", "1000"]


@pytest.mark.parametrize(
    "question",
    [
        "<@123456789012345678> who won silver",
        "<@!123456789012345678> who won silver :eyes:",
        "<:pog:123456789012345678> who won silver",
        "<a:dance:987654321098765432> who won silver??",
        "||who won silver||",
        "__who__ won **silver**",
        "yo bot\nwho won silver",
        "> from the article\nwho won silver",
        "@everyone who won silver https://example.com/x",
    ],
)
def test_markup_never_turns_an_answer_into_a_refusal(factbot, question):
    reply = factbot.ask(question)
    assert reply.outcome is Outcome.ANSWERED and reply.fact.id == "silver_medalist"
    assert reply.question == question, "the raw text is kept for the log and for escaping"


def test_autocomplete_ignores_markup_too(factbot):
    assert factbot.suggest_questions("<@123456789012345678> who got bron")[0] == "Who got bronze?"


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("waht was his time in teh 5000", "winning_time"),
        ("whowon silver", "silver_medalist"),
        ("kwemoy got silvr", "silver_medalist"),
        ("who got bronse", "bronze_medalist"),
        ("wht place did he get in the 1500", "result_1500m"),
        ("who did ingebritsen congratulate", "congratulated_athletes"),
        ("did he mention warholme", "congratulated_athletes"),
        ("what stadim was the podium at", "venue"),
        # a misspelt name of his is him, not a word the facts lack
        ("what was jakbos time", "winning_time"),
        # a double letter written once is that word, not a shorter one it starts with ("run")
        ("what did he say to all the runers", "dedication"),
        # a misspelt contrast word is that word ("twiter" is Twitter, not "twice")
        ("did he post on insta or twiter?", "instagram_post"),
        # letters held for effect, and a chat greeting before the question
        ("goooold in the 5000??", "gold_5000m"),
        ("hiiii who got silverrrr", "silver_medalist"),
        ("gm everyone, which app did he post on", "instagram_post"),
    ],
)
def test_typos_people_make(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.matched and reply.fact.id == fact_id


def test_a_real_word_is_never_read_as_one_with_a_letter_doubled(factbot):
    assert factbot.matcher.question_tokens("was he fed up") == ["fed"]  # not "feed" (as in a feed: Instagram)


def test_numbers_are_never_spelling_corrected(factbot):
    assert factbot.matcher.question_tokens("5000m 13:13.66 2028") == ["5000", "13:13.66", "2028"]


def test_a_real_english_word_is_a_paraphrase_not_a_typo(factbot):
    # "arena" is no misspelling of a known word; it is read as the venue through the synonyms, not bent.
    assert "stood" in factbot.matcher.question_tokens("who stood on the podium")


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("Identify the bronze medallist of the 5000-meter race.", "bronze_medalist"),
        ("According to the passage, what did he shatter in Monaco?", "european_record_1500m"),
        ("Briefly describe how he did in the 1500 m final.", "result_1500m"),
        ("As stated in the text, where will the next Games he targets be held?", "la_2028_focus"),
        # a worksheet's own words ("quotation", "synonym") are how it asks, not what
        ("List everyone Ingebrigtsen thanks in the quotation.", "dedication"),
        ("Find the word in the first sentence that is a synonym for 'wrote'.", "instagram_post"),
    ],
)
def test_exam_instructions_are_not_mistaken_for_the_topic(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.matched and reply.fact.id == fact_id


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("In two sentences, who got silver?", "who got silver?"),
        ("In your own words, what was his time?", "what was his time?"),
        ("what did he say regarding his wife", "what did he say about his wife"),
        ("what did the Norwegian runner win", "what did he win"),
        ("which events for the next summer olympics", "which events for the next olympics"),
        ("was he still popular among the spectators rn", "was he popular with the spectators"),
        ("wat did he win in paris", "what did he win in paris"),  # chat spellings of "what" are "what", not filler
        ("how many ppl watched every race", "how many watched the race"),
        ("who was he making it possible for", "who was he make it possible for"),  # every form of make, take, get, go
        ("explaining his comeback, which trait does the passage describe", "his comeback, which trait"),
    ],
)
def test_how_long_an_answer_and_what_it_is_about_are_no_words_of_the_question(factbot, question, plain):
    assert factbot.matcher.question_tokens(question) == factbot.matcher.question_tokens(plain)


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("Did he ever consider coming home from the French capital without a medal?", "instagram_post"),
        ("What is his goal regarding the next Summer Games?", "la_2028_"),
        ("which sentence does the piece start with", "instagram_post"),  # its answer gives the first line
        ("name the host city of the 2028 games", "la_2028_focus"),
        ("which city hosted the olympics", "paris_olympics"),
        ("What is his top priority now?", "la_2028_focus"),
        ("who came in just after him in the 5k", "silver_medalist"),
        ("how did the spectators feel about him in the 1500 final", "fan_favorite_1500m"),
    ],
)
def test_everyday_paraphrases_find_their_fact(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.matched and reply.fact.id.startswith(fact_id)


@pytest.mark.parametrize(
    ("phrase", "token"),
    [
        ("the longer of his two races", "5000"),
        ("the shorter one", "1500"),
        ("his long-distance win", "5000"),
        ("his long-term plans", "future"),
        ("out in front", "lead"),
        ("was he ahead for most of it", "lead"),
        ("what lies ahead for him", "future"),
        ("what a letdown", "disappointing"),
        ("how did it unfold", "happen"),
        ("what did he pull off", "win"),
        ("the monaco dl", "monaco"),
        ("which continental mark", "record"),
        ("did he win b4", "before"),
        ("standing on the podium", "stood"),
        ("how does the article open", "first_line"),
        ("what is the beginning of the article", "first_line"),
        ("was he in good shape", "form"),
        ("his top priority", "focus"),
        ("where will he race in four years", "2028"),
        ("who finished just after him", "silver"),
        ("which team sport did he name", "handball"),  # the one team sport the article mentions
        ("kort oppsummert, hva skjedde", "summary"),
        ("which race did he dominate", "dominant"),
        ("what did the fans think of him", "fan_favorite"),
        ("what record did he brake", "shatter"),
        ("what was the opener of his post", "first_line"),
        ("hva er hovedmålet hans", "focus"),  # his main goal: his primary focus
        ("who was in the third spot", "bronze"),
    ],
)
def test_a_reader_s_words_for_what_the_article_says(factbot, phrase, token):
    assert token in factbot.matcher.question_tokens(phrase)


def test_shortly_is_not_the_shorter_race(factbot):
    assert "1500" not in factbot.matcher.question_tokens("which race did he win shortly before paris")


def test_what_he_did_in_monaco_includes_the_record(factbot):
    reply = factbot.ask("what did he do in monaco")
    assert reply.fact.id == "monaco_win" and "European 1500 m record" in reply.text
    assert all(quote.text in factbot.knowledge.article for quote in reply.quotes)


def test_the_comeback_names_the_setback_it_came_back_from(factbot):
    reply = factbot.ask("what was the setback he recovered from")
    assert reply.fact.id == "comeback_after_1500m" and "fourth" in reply.text
    assert "resilience" in factbot.ask("how did he come back from the 1500").text


def test_praise_for_his_fellow_olympians_names_them(factbot):
    reply = factbot.ask("which fellow olympians did he praise")
    assert "Koanda" in reply.text and "handball" in reply.text


@pytest.mark.parametrize("question", ["who wrote 'what a day for norway'?", "who was the crowd's favourite in the 1500?"])
def test_an_answer_about_him_names_him(factbot, question):
    assert "Ingebrigtsen" in factbot.ask(question).text


def test_his_paris_events_come_with_how_each_went(factbot):
    reply = factbot.ask("which events did he run in paris")
    assert reply.fact.id == "paris_events" and "fourth" in reply.text and "gold" in reply.text


def test_the_last_picture_names_who_is_on_it(factbot):
    reply = factbot.ask("who is in the last picture")
    assert reply.fact.id == "instagram_images" and "Kwemoi" in reply.text and "Fisher" in reply.text


def test_other_is_a_word_of_the_question(factbot):
    # "the other medallists" are the podium beside him, "the other Norwegians" the ones he congratulated.
    assert "other" in factbot.matcher.question_tokens("the other two medallists")
    assert factbot.ask("name the other two medal winners of the 5000").fact.id == "podium"


@pytest.mark.parametrize(
    ("question", "starts", "must_show"),
    [
        ("did Fisher get silver?", "No.", ["Grant Fisher won the bronze", "Kwemoi"]),
        ("is he Swedish?", "No.", ["Norwegian"]),
        ("did he win the 1500?", "No.", ["fourth"]),
        ("True or false: Ingebrigtsen won bronze in the 1500 m.", "No.", ["fourth"]),
        ("Was his winning time 13:31.66?", "No.", ["13:13.66"]),
        ("did Kwemoi win silver?", "Yes.", ["Rodgers Kwemoi won the silver"]),
        ("did he win the 5000?", "Yes.", ["gold medal"]),
        ("vant han 1500 meter?", "Nei.", ["fourth"]),
        ("er han svensk?", "Nei.", ["Norwegian"]),
        # a claim about him is checked against his own facts, not the fact about silver
        ("did he get silver in the 5000?", "No.", ["Jakob Ingebrigtsen won the gold", "Rodgers Kwemoi won the silver"]),
        ("so he got silver in the 5000m?", "No.", ["won the gold"]),
        ("tok han sølv på 5000??", "Nei.", ["won the gold"]),
        ("Is this Jakob's first Olympic gold?", "No.", ["second Olympic gold"]),
        ("Is his main target now the 2032 Olympics?", "No.", ["2028"]),
        ("kwemoy got silvr right?", "Yes.", ["Rodgers Kwemoi won the silver"]),
        # "la ut" (posted) split around its subject asks as "vant han" does; a platform is never spelt into words
        ("la han bildene ut på tiktok?", "Nei.", ["Instagram"]),
        ("hvor la han det ut?", "After his 5000 m win", ["Instagram"]),
        ("did he share it on snapchat?", "No.", ["Instagram"]),
        # the "or" of "true or false" / "yes or no" offers no choice between two claimed words
        ("True or false: Kwemoi took bronze and Fisher took silver.", "No.", ["Rodgers Kwemoi won the silver"]),
        ("kwemoi won silver, yes or no?", "Yes.", ["Rodgers Kwemoi won the silver"]),
        ("Kwemoi won silver, yes?", "Yes.", ["Rodgers Kwemoi won the silver"]),
        # a statement, then a tag asking whether it holds
        ("he came 3rd in the 1500 didnt he", "No.", ["fourth"]),
        ("he came 3rd in the 1500 metres rite?", "No.", ["fourth"]),
        ("did he DNF the 1500?", "No.", ["fourth"]),  # not finishing is a result, as a place is
        # "only" claims there is no other: the fact naming the 1500 m as well says No
        ("Is he only planning to run the 5000 in LA?", "No.", ["1500 m"]),
        ("pretty sure he only ran the 5000 in paris?", "No.", ["1500 m"]),
        # a request around a check is still a check
        ("can you confirm Fisher won silver when he raced in Paris?", "No.", ["bronze"]),
        # "andre" is "other" here, not "second"
        ("Nevnte han noen andre norske utøvere i posten?", "Ja.", ["Koanda"]),
        # a claim about a sport or a platform is settled by the fact the question matched, however many people it names
        ("did he congratulate the volleyball team?", "No.", ["handball team"]),
        ("did he post it on instagram with a podium picture?", "Yes.", ["the last showed the podium", "Kwemoi"]),
    ],
)
def test_yes_no_questions_say_yes_or_no_first_then_the_fact(factbot, question, starts, must_show):
    reply = factbot.ask(question)
    assert reply.matched, reply.text
    assert reply.text.startswith(starts), reply.text
    assert all(words in reply.text for words in must_show), reply.text
    article = factbot.knowledge.article
    assert reply.quotes and all(article[q.start : q.end] == q.text for q in reply.quotes)


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("was the monaco record in the 1500 or 5000?", "european_record_1500m"),
        ("rekorden i monaco, var det på 1500 el 5000?", "european_record_1500m"),
        ("vant han gull på 1500 eller 5000?", "gold_5000m"),
        # the alternative no fact knows is not something the answer lacks
        ("jakob posted on insta or X?", "instagram_post"),
        ("did he win gold in the 5000 or the 10000", "gold_5000m"),
    ],
)
def test_a_choice_asks_which_and_gets_the_fact_with_no_verdict(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.matched and reply.fact.id == fact_id, reply.text
    assert not reply.text.startswith(("Yes.", "No.", "Ja.", "Nei.")), reply.text


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("What does 'culminated' mean in the sentence about his comeback?", "comeback_after_1500m"),
        ("Whose name has 'yesterday' stuck next to it in his congrats list?", "congratulated_athletes"),
        ("What is meant by the phrase 'Norway's medal tally'?", "norway_medal_tally"),
        # a blank to fill in: the article's words next to it are quoted
        ("In the post, he called it a ___ day for Norway. Which adjective?", "congratulated_athletes"),
        ("His comeback '___ in his gold medal at the Paris Olympics'. Supply the verb.", "comeback_after_1500m"),
        ("who posted “Tonight, we celebrate!”", "celebrating_norway"),
    ],
)
def test_a_question_quoting_the_article_is_about_the_fact_quoting_it(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.matched and reply.fact.id == fact_id, reply.text


@pytest.mark.parametrize(
    "question",
    [
        "how many golds did norway win on that 'historic day'?",  # a measure the fact never gives
        "what did he eat on that 'historic day'?",  # what is asked, no fact says
        "who was his coach (in the 5000)?",  # an aside in brackets quotes nothing
    ],
)
def test_a_quoted_span_does_not_answer_what_its_fact_never_says(factbot, question):
    assert not factbot.ask(question).matched


def test_a_no_about_a_person_quotes_the_fact_that_settles_it_and_the_one_asked_about(factbot):
    quotes = [quote.text for quote in factbot.ask("did Fisher get silver?").quotes]
    assert quotes[0] == "bronze medalist Grant Fisher"
    assert any("silver medalist Rodgers Kwemoi" in quote for quote in quotes[1:])


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("I was wondering whether you might be able to tell me how long it took Mr Ingebrigtsen to finish "
         "the long race he won in Paris?", "winning_time"),
        ("Could you summarise what Ingebrigtsen wrote in his Instagram post after winning?", "instagram_post"),
        ("I would be most grateful to learn the name of the gentleman who received the silver.", "silver_medalist"),
    ],
)
def test_a_polite_request_around_a_question_is_that_question_not_a_yes_no(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.matched and reply.fact.id == fact_id, reply.text
    assert not reply.text.startswith(("Yes.", "No.")), reply.text


@pytest.mark.parametrize(
    "question",
    [
        "did he leave paris w no medal",  # a claim turned round: the facts' words can't say yes or no
        "Did he say leaving Paris empty-handed was an option?",  # the fact says it was *never* one
        "were there 2 pics in the post?",  # "two" of "three images; the first two"
        "True or false: Ingebrigtsen finished on the podium in the Paris 1500m.",  # Paris is where it is all set
        "platform he posted on",  # a noun before "he" is no verb asking
        "Did he lose in Monaco before the Games?",  # losing turns the claim round
        "I was curious how many photographs were attached to the message he posted.",  # a request
        "he didn't win gold in the 5000?",  # a negated statement, not "didn't he...?"
        "vant han ikke gull på 5000 meter?",
    ],
)
def test_no_yes_the_words_cannot_back(factbot, question):
    reply = factbot.ask(question)
    assert not reply.text.startswith(("Yes.", "No.")), reply.text


@pytest.mark.parametrize(
    ("question", "starts"),
    [
        ("did his instagram post have just one pic", "No."),
        ("Did Kwemoi win the 5000?", "No."),  # he won silver: winning the race is first place
        ("did Fisher win a medal?", "Yes."),  # ...but any medal wins a medal
        ("did he just win gold in the 5000?", "Yes."),  # "just" says when here
        ("did he post three pics on twitter?", "No."),  # the count is unclear, the platform is not
        ("is he running just the 1500 in LA?", "No."),
        ("Is LA 2028 his main focus now?", "Yes."),
        ("did he win gold in paris?", "Yes."),
        ("||no spoilers pls|| ok fine did jakob win gold or nah", "Yes."),  # a remark's "no" turns nothing
    ],
)
def test_verdicts_the_words_do_back(factbot, question, starts):
    assert factbot.ask(question).text.startswith(starts)


def test_a_request_verb_before_a_question_word_makes_a_request_not_a_check(factbot):
    reply = factbot.ask("Can you explain in simple English how the 5000m race ended for him?")
    assert not reply.text.startswith("No."), reply.text  # "English" is no claimed nationality


def test_no_verdict_about_someone_the_article_never_names(factbot):
    reply = factbot.ask("did Kipyegon win the women's 1500")
    assert not reply.text.startswith("No."), reply.text


def test_no_verdict_from_a_fact_about_something_else(factbot):
    # his race's fact says nothing of the handball team
    reply = factbot.ask("did the handball team win gold or what")
    assert not reply.matched and not reply.text.startswith("No."), reply.text


def test_a_clause_before_a_question_makes_no_yes_no_of_it(factbot):
    reply = factbot.ask("So if Jakob was fourth, who actually won the 1500 metres final in Paris?")
    assert not reply.matched and not reply.text.startswith("No."), reply.text


@pytest.mark.parametrize("question", ["did he thank his team?", "is he known for his persistence?"])
def test_a_check_with_nothing_to_contradict_just_gets_the_fact(factbot, question):
    reply = factbot.ask(question)
    assert reply.matched and not reply.text.startswith(("Yes", "No"))


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("hvem vant sølv?", "silver_medalist"),
        ("hvem vant solv", "silver_medalist"),
        ("hva var tiden hans?", "winning_time"),
        ("hvor mange OL-gull har han?", "second_olympic_gold"),
        ("hvem takket han?", "dedication"),
        ("hvem gratulerte han", "congratulated_athletes"),
        ("hva er hovedfokuset hans fremover", "la_2028_focus"),
        ("hvor var pallen", "venue"),
        ("hvilket land representerer han", "who_is_ingebrigtsen"),  # "land" is a country here, not a win
        ("hvordan taklet han nederlaget på 1500", "comeback_after_1500m"),
        ("hvor vant han like før lekene", "monaco_win"),  # "før" folds to "for": read as a phrase
        ("hva sikter han mot neste gang", "la_2028_focus"),
        ("står det noe om warholm", "congratulated_athletes"),  # "står det" (does it say) is filler
        ("hvor sto pallen", "venue"),  # where the podium was...
        ("hvem sto på pallen", "podium"),  # ...and who stood on it
        ("hvordan kom han tilbake etter tapet", "comeback_after_1500m"),  # "kom tilbake" split by its subject
        ("hvilken linje starter artikkelen med", "instagram_post"),
        ("hvilket stevne vant han like før lekene", "monaco_win"),  # a meet: a race  # its answer gives the first line
        ("hvem er koanda og bullen, hvorfor gratulerte han dem", "congratulated_athletes"),
        ("I hvilken by ble OL holdt?", "paris_olympics"),  # "by" is a city, as a phrase
        ("Hvem lå i ledelsen i 1500-finalen fram til siste del av løpet?", "how_1500m_was_lost"),  # "lå" is no LA
        ("Kva sa han til alle løparane der ute?", "dedication"),  # nynorsk
    ],
)
def test_norwegian_questions_are_answered_in_the_articles_language(factbot, question, fact_id):
    reply = factbot.ask(question)
    assert reply.matched and reply.fact.id == fact_id
    assert reply.quotes[0].text in factbot.knowledge.article


def test_which_country_another_runner_is_from_is_not_his_medal(factbot):
    assert not factbot.ask("hvilket land er kwemoi fra").matched


@pytest.mark.parametrize("message", ["who", "what?", "thanks", "thank you bot!", "lol", "ok", "<@123456789012345678>"])
def test_small_talk_gets_a_prompt_not_an_answer(factbot, message):
    reply = factbot.ask(message)
    assert reply.outcome is Outcome.NOT_FOUND and not reply.quotes
    assert reply.text.startswith("Ask me a question about the article")


@pytest.mark.parametrize("question", ["who is this guy", "who did he thank", "thanks to whom did he dedicate it"])
def test_questions_with_those_words_are_still_questions(factbot, question):
    assert factbot.ask(question).matched


@pytest.mark.parametrize(
    "question",
    ["what did he eat before the race", "was he injured", "who wrote this article", "what is the capital of norway",
     "what was his pace on the last lap", "where does he live", "who won the women's 5000 m"],
)
def test_what_race_reports_leave_out_is_not_answered(factbot, question):
    assert factbot.ask(question).outcome is Outcome.NOT_FOUND


def test_same_phrasing_and_same_question_are_one_definition_each(factbot):
    assert phrasing_key("Who got SILVER?") == phrasing_key("<@1> who got silver") == "who got silver"
    same = factbot.matcher.same_question_key
    assert same("how old is Jakob?") == same("How old is he") != same("how old is Kwemoi")


def test_translations_file_errors_name_file_language_and_field(knowledge_copy):
    edit_yaml(knowledge_copy / "translations.yaml", lambda data: data["languages"]["nb"].update(words=["hvem"]))
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(knowledge_copy)
    assert "translations.yaml" in str(error.value) and "nb" in str(error.value) and "words" in str(error.value)


def test_contrasts_file_is_validated(knowledge_copy):
    (knowledge_copy / "contrasts.yaml").write_text("contrasts:\n  place: gold\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(knowledge_copy)
    assert "contrasts.yaml" in str(error.value) and "place" in str(error.value)


# Floors, not targets: sets (a)-(f) were scored blind and then used for tuning, so here they only guard
# against regressions. Set (g), written after the last change, is left out so that it stays untouched.
BLIND_FLOORS = {
    "a_discord.jsonl": (0.93, 0.95),
    "b_students.jsonl": (0.86, 0.95),
    "c_norwegian.jsonl": (0.92, 0.97),
    "d_nearmiss.jsonl": (0.92, 0.94),
    "e_final.jsonl": (0.93, 0.92),
    "f_final.jsonl": (0.94, 0.97),
}


@pytest.mark.parametrize("name", sorted(BLIND_FLOORS))
def test_blind_sets_stay_above_their_floors(factbot, name):
    items = read_labelled_questions(BLIND_DIR / name, factbot.knowledge.facts)
    result = evaluate(factbot, items)
    accuracy, rejection = BLIND_FLOORS[name]
    misses = "\n".join(f"{m.question!r} -> {m.reply.text[:60]!r}" for m in result.misses)
    assert result.accuracy >= accuracy, misses
    assert result.rejection >= rejection, misses
    assert all(q.text in factbot.knowledge.article for m in result.misses for q in m.reply.quotes)


@pytest.mark.parametrize("question", ["did he win gold or silver in the 5000?", "va det i paris eller tokyo?"])
def test_a_choice_between_two_is_answered_with_the_fact_not_a_yes_or_no(factbot, question):
    assert not factbot.ask(question).text.startswith(("Yes", "No"))


def test_a_question_about_another_athletes_nationality_is_not_confirmed(factbot):
    reply = factbot.ask("is grant fisher american?")
    assert not reply.text.startswith("Yes")


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        # a word no fact uses is how a worksheet asks, not what it asks about
        ("What does the author say about Ingebrigtsen's performance at the Monaco Diamond League?", "monaco_win"),
        ("According to the passage, whom did Ingebrigtsen praise for contributing to Norway's medal tally?",
         "congratulated_athletes"),
        ("Quote the sentence where Ingebrigtsen credits his support network.", "dedication"),
    ],
)
def test_a_worksheet_question_is_answered_from_the_passage_in_its_own_words(factbot, question, fact_id):
    assert factbot.ask(question).fact.id == fact_id


@pytest.mark.parametrize(
    "question",
    [
        "Explain why the author mentions Eliud Kipchoge.",  # a name the article lacks is what is asked
        "Explain what shoes Ingebrigtsen wore in the final.",  # most of the question is unknown
        "According to the passage, what shoes did he wear?",  # "what" asks about nothing
        "According to the passage, what did Usain Bolt say about the race?",
    ],
)
def test_a_worksheet_question_about_what_the_passage_lacks_is_refused(factbot, question):
    assert not factbot.ask(question).matched


def test_the_passages_own_verb_is_not_what_is_asked():
    assert without_passage_verbs("What does the author say about his time?") == "What does the author about his time?"
    assert without_passage_verbs("Quote the line where Ingebrigtsen says it") == "Quote the line where Ingebrigtsen says it"
    assert without_passage_verbs("the event mentioned in the passage") == "the event in the passage"
    assert without_passage_verbs("his goals as described by the writer") == "his goals as by the writer"
    assert without_passage_verbs("Find the phrase that shows he was undeterred") == "Find the phrase that he was undeterred"
    assert asks_about_the_passage("Identify the venue.") and not asks_about_the_passage("who won silver")
    assert asks_about_the_passage("What does the article say about his plans?")
    assert asks_about_the_passage("What does the word 'setback' refer to in paragraph two?")
    assert without_passage_verbs("the word 'setback' in paragraph two") == "the word 'setback' in "
    assert without_passage_verbs("what is said in the second paragraph") == "what is said "
    assert not asks_about_the_passage("tldr of the article pls")


@pytest.mark.parametrize(
    ("question", "verdict"),
    [("Did he win the Diamond League race in Monaco before the Games?", "Yes."),
     ("vant han diamond league i monaco før OL?", "Ja."), ("did he win in Monaco before the Olympics?", "Yes.")],
)
def test_what_comes_before_or_after_is_when_not_a_claim(factbot, question, verdict):
    reply = factbot.ask(question)
    assert reply.fact.id == "monaco_win" and reply.text.startswith(verdict)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("monaco diamond leauge", "monaco diamond league"), ("his plans for los angles", "his plans for los angeles"),
     ("did he race at the diamond leage", "did he race at the diamond league"), ("karsten warhom", "karsten warholm"),
     ("were was the diamnd league race he won", "were was the diamond league race he won"),
     ("stade de frnace", "stade de france")],
)
def test_a_phrase_is_read_with_its_first_or_last_word_misspelt(factbot, typed, meant):
    assert factbot.matcher.question_tokens(typed) == factbot.matcher.question_tokens(meant)


@pytest.mark.parametrize(
    ("typed", "word", "one_edit"),
    [("leauge", "league", True), ("angle", "angele", True), ("angelo", "angele", True), ("warhom", "warholm", True),
     ("medal", "medals", False), ("runners", "runner", False), ("leagues", "league", False), ("lead", "league", False)],
)
def test_a_misspelling_is_one_edit_and_an_inflection_is_none(typed, word, one_edit):
    assert one_edit_apart(typed, word) is one_edit


@pytest.mark.parametrize(
    ("question", "clause_free"),
    [("How quick was he when he took the 5000m title?", "How quick was he he took the 5000m title?"),
     ("Which city hosted the Olympics where he won this gold?", "Which city hosted the Olympics he won this gold?"),
     ("when did he win", "when did he win"), ("who won and when was it", "who won and when was it"),
     ("so when he won, what was the time", "so when he won, what was the time")],
)
def test_when_opening_a_clause_is_not_what_is_asked(question, clause_free):
    assert without_clause_openers(question) == clause_free


def test_a_time_asked_in_a_clause_is_the_winning_time(factbot):
    assert factbot.ask("How quick was he when he took the 5000m title?").fact.id == "winning_time"


def test_asking_his_age_is_not_asking_about_his_first_gold(factbot):
    assert not factbot.ask("How old was he when he won his first Olympic gold?").matched


@pytest.mark.parametrize(
    ("message", "question"),
    [("ngl the comeback arc is insane :fire: what race did he win gold in again", "what race did he win gold in again"),
     ("gm chat\nwho got silver", "who got silver"), ("lol 😭 did he win", "did he win"),
     ("who won? what time", None), ("> Leaving Paris empty-handed was never an option\nlmao who said this", None),
     # a dash ends a remark too, and a question may open with a preposition
     ("My husband and I could not agree — which race brought him the gold?", "which race brought him the gold?"),
     ("Pardon my ignorance. On which website did he share it?", "On which website did he share it?")],
)
def test_a_question_after_a_remark_is_found(message, question):
    assert question_after_a_remark(message) == question


def test_a_remark_the_question_cannot_be_answered_with_is_left_out(factbot):
    reply = factbot.ask("ngl the comeback arc is insane :fire:\nwhat race did he win gold in again")
    assert reply.fact.id == "gold_5000m"


def test_a_question_in_the_middle_of_a_long_message_is_found(factbot):
    reply = factbot.ask("so i was on the bus reading this and my buddy says jakob won the 1500 but i thought he didnt "
                        "so what place did he actually get in the 1500 because i missed it lol anyway paris was wild")
    assert reply.matched and reply.fact.id == "result_1500m", reply.text


def test_a_clause_leaning_on_the_rest_of_a_long_message_is_not_asked_alone(factbot):
    reply = factbot.ask("who won the 1500 at the monaco diamond league meet besides jakob, like who was 2nd")
    assert not reply.matched, reply.text


def test_a_remark_the_question_is_about_is_kept(factbot):
    assert factbot.ask("> Leaving Paris empty-handed was never an option.\nwho wrote that").fact.id == "instagram_post"


def test_a_conversational_opener_is_no_word_of_the_question(factbot):
    assert factbot.matcher.question_tokens("quick one: who won bronze") == factbot.matcher.question_tokens("who won bronze")


@pytest.mark.parametrize(
    "question",
    ["Summarise Ingebrigtsen's future objectives as described in the article.",
     "Outline Ingebrigtsen's goals for the Los Angeles Olympics as described in the text."],
)
def test_a_summary_of_a_topic_gives_every_fact_of_it(factbot, question):
    reply = factbot.ask(question)
    assert not reply.text.startswith("Yes")
    assert "Los Angeles" in reply.text and "1500 m and the 5000 m" in reply.text
    assert {quote.text for fact_id in ("la_2028_focus", "la_2028_events")
            for quote in factbot.knowledge.facts[fact_id].quotes} <= {quote.text for quote in reply.quotes}


def test_a_question_that_asks_no_summary_gets_one_fact(factbot):
    reply = factbot.ask("what is his main focus now")
    assert reply.text == factbot.knowledge.facts[reply.fact.id].answer


@pytest.mark.parametrize(
    "question",
    ["Which event did Karsten Warholm win his medal in, and what colour was it?",
     "Which medal did Solfrid Koanda get, and in what sport?", "What was the winning margin between him and Kwemoi?",
     "how many days were there between the 1500 final and the 5000 final?"],
)
def test_a_part_about_a_refused_first_part_is_refused_with_it(factbot, question):
    assert not factbot.ask(question).matched


def test_a_part_asking_something_of_its_own_is_answered_after_a_refused_one(factbot):
    reply = factbot.ask("who is his coach and who won silver?")
    assert "Kwemoi" in reply.text and "coach" in reply.text


@pytest.mark.parametrize(
    ("piece", "leans"),
    [("what colour was it?", True), ("in what sport?", True), ("which Games was that", True),
     ("who won silver?", False), ("what was his time", False)],
)
def test_a_part_refers_back_by_pronoun_or_hanging_preposition(piece, leans):
    assert refers_back(piece) is leans


@pytest.mark.parametrize(
    ("question", "verdict"),
    [("vant han gull på 1500m??", "Nei. "), ("skal han løpe både 1500 og 5000 i LA?", "Ja. "),
     ("did he win the 1500?", "No. "), ("Did he win the 5000m in Paris?", "Yes. ")],
)
def test_a_yes_or_no_is_given_in_the_language_asked(factbot, question, verdict):
    reply = factbot.ask(question)
    assert reply.text.startswith(verdict)
    assert reply.text.removeprefix(verdict) == " ".join(fact.answer for fact in [reply.fact])


def test_one_foreign_looking_word_does_not_make_a_question_norwegian(factbot):
    assert factbot.matcher.language_of("gratulerte han warholm?") == "nb"
    assert factbot.matcher.language_of("did he win the handball gold?") is None


def test_verdicts_written_as_unquoted_yes_and_no_keys_are_read_as_words(knowledge_copy):
    path = knowledge_copy / "translations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("verdicts: {yes: Ja, no: Nei}", "verdicts:\n      yes: Ja\n      no: Nei"),
                    encoding="utf-8")
    assert load_knowledge(knowledge_copy).verdicts["nb"] == {"yes": "Ja", "no": "Nei"}


def test_a_verdict_in_no_known_language_is_refused_by_name(knowledge_copy):
    edit_yaml(knowledge_copy / "translations.yaml", lambda data: data["languages"]["nb"].update(verdicts={"maybe": "Kanskje"}))
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(knowledge_copy)
    assert "translations.yaml" in str(error.value) and "verdicts" in str(error.value)


def test_a_phrase_with_another_languages_filler_inside_is_still_read(factbot):
    # "for" is Norwegian filler, dropped before phrases are read: "rooting for him" must still be one phrase.
    same = factbot.matcher.question_tokens
    assert same("were people rooting for him in the 1500 final") == same("was he the fan favourite in the 1500 final")


@pytest.mark.parametrize("question", ["this his first olympic gold or what", "is this his first olympic gold or not",
                                      "was it his first olympic gold or nah"])
def test_or_what_is_a_question_tag_not_a_choice(factbot, question):
    reply = factbot.ask(question)
    assert reply.text.startswith("No.") and "second Olympic gold" in reply.text


def test_a_filler_word_is_never_a_misspelt_first_word_of_a_phrase(factbot):
    # "night before" is Warholm's "yesterday"; "right before" is only "before".
    assert factbot.matcher.question_tokens("what did he win right before paris") == ["what", "win", "before", "paris"]


def test_a_word_of_a_multi_word_contrast_is_no_claim_on_its_own(factbot):
    # "olympic stadium" is a venue in contrasts.yaml; "olympic" alone claims no venue.
    reply = factbot.ask("Var OL bare jubel for Jakob, eller?")
    assert not reply.text.startswith(("Ja.", "Yes.")) and (reply.fact is None or reply.fact.id != "venue")
    assert factbot.ask("Was the podium photo taken at the Parc des Princes?").text.startswith("No.")
