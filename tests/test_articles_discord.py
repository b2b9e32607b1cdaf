"""Several articles on Discord: the real discord.py bot against the fake Discord server, with a
KNOWLEDGE_DIR of two articles (this repository's and the hand-written harbour-bridge fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import HARBOUR, PARIS, break_harbour
from tests.discord_harness import Running, eventually, running_bot
from tests.fake_discord import FakeDiscord
from tests.test_discord_e2e import CALLBACK, CHANNEL_MESSAGE, EPHEMERAL, FOLLOWUP, NO_PINGS


@pytest.fixture
async def live(articles_dir: Path):
    async with running_bot(articles_dir) as running:
        yield running


async def slash(server: FakeDiscord, name: str, options: dict | None = None, **who) -> dict:
    mark = await server.interact(server.slash(name, options, **who))
    return (await server.wait_for_request("POST", CALLBACK, after=mark)).body


async def mention(server: FakeDiscord, question: str) -> dict:
    mark = await server.send_message(server.message_payload(f"<@{server.world.bot_id}> {question}", mention_bot=True))
    return (await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)).body


async def use_article(server: FakeDiscord, article: str, **who) -> tuple[dict, dict | None]:
    """`/article use article:…`, a subcommand (its options nest one level deeper)."""
    payload = server.slash("article", **who)
    payload["data"]["options"] = [{"name": "use", "type": 1, "options": [{"name": "article", "type": 3, "value": article}]}]
    mark = await server.interact(payload)
    first = await server.wait_for_request("POST", CALLBACK, after=mark)
    if first.body["type"] != 5:
        return first.body, None
    return first.body, (await server.wait_for_request("POST", FOLLOWUP, after=mark)).body


def logged_articles(live: Running) -> list[tuple]:
    return live.client.database._rows("SELECT question, article_id FROM questions ORDER BY asked_at")


async def test_each_article_answers_its_own_questions_and_says_which(live: Running):
    silver = (await slash(live.server, "ask", {"question": "who won silver?"}))["data"]
    embed = silver["embeds"][0]
    assert "> silver medalist Rodgers Kwemoi" in embed["description"]
    assert embed["author"]["name"] == "From “Jakob Ingebrigtsen wins 5000 m gold at the Paris Olympics”"
    assert silver["allowed_mentions"] == NO_PINGS
    ribbon = (await mention(live.server, "who cut the ribbon?"))["embeds"][0]
    assert "> Mayor Lena Dahl cut the ribbon in front of about 3,000 people" in ribbon["description"]
    assert ribbon["author"]["name"] == "From “Harbour Bridge Reopens After Two-Year Repair”"
    which = (await slash(live.server, "ask", {"question": "thanks"}))["data"]["embeds"][0]
    assert which["description"].startswith("Which article do you mean?") and HARBOUR in which["description"]
    await eventually(lambda: len(logged_articles(live)) == 3)
    assert [(question.strip(), article) for question, article in logged_articles(live)] == [
        ("who won silver?", PARIS), ("who cut the ribbon?", HARBOUR), ("thanks", None)]


async def test_the_article_option_wins_and_autocompletes(live: Running):
    asked = (await slash(live.server, "ask", {"question": "who won silver?", "article": HARBOUR}))["data"]["embeds"][0]
    assert "Rodgers" not in asked["description"] and asked["author"]["name"].endswith("Two-Year Repair”")
    unknown = (await slash(live.server, "ask", {"question": "who won silver?", "article": "<@500000000000000001> nope"}))["data"]
    assert unknown["flags"] == EPHEMERAL and "there is no article" in unknown["content"] and "<@500000000000000001>" not in unknown["content"]
    mark = await live.server.interact(live.server.autocomplete("ask", "article", "harb"))
    choices = (await live.server.wait_for_request("POST", CALLBACK, after=mark)).body["data"]["choices"]
    assert [choice["value"] for choice in choices] == [HARBOUR]


async def test_a_moderator_sets_the_channels_default_article_for_mentions(live: Running):
    refused, _ = await use_article(live.server, HARBOUR)
    assert refused["data"]["flags"] == EPHEMERAL and "Only moderators" in refused["data"]["content"]
    _, done = await use_article(live.server, HARBOUR, moderator=True)
    assert "now go to “Harbour Bridge Reopens After Two-Year Repair” (harbour-bridge)" in done["content"]
    assert live.client.database.channel_articles() == {int(live.server.world.channel_id): HARBOUR}
    reply = (await mention(live.server, "who won silver?"))["embeds"][0]
    assert "Rodgers" not in reply.get("description", "")  # the bridge article doesn't say
    named = (await slash(live.server, "ask", {"question": "who won silver?", "article": PARIS}))["data"]["embeds"][0]
    assert "> silver medalist Rodgers Kwemoi" in named["description"]
    topics = (await slash(live.server, "topics"))["data"]["embeds"][0]
    assert "Harbour Bridge" in topics["description"]


async def test_reload_reports_each_article_and_a_broken_one_keeps_serving(live: Running, articles_dir: Path):
    break_harbour(articles_dir)
    mark = await live.server.interact(live.server.slash("reload", moderator=True))
    followup = (await live.server.wait_for_request("POST", FOLLOWUP, after=mark)).body
    titles = [embed["title"] for embed in followup["embeds"]]
    assert titles == [f"{HARBOUR}: Reload refused: 1 problem(s). The previous facts are still being served.",
                      f"{PARIS}: Facts reloaded: nothing changed"]
    ribbon = (await slash(live.server, "ask", {"question": "who cut the ribbon?"}))["data"]["embeds"][0]
    assert "> Mayor Lena Dahl cut the ribbon" in ribbon["description"]


async def test_a_broken_article_at_start_leaves_the_other_serving(articles_dir: Path, caplog):
    break_harbour(articles_dir)
    async with running_bot(articles_dir) as live:
        assert f"article {HARBOUR} is not served, its files are invalid" in caplog.text
        reply = (await slash(live.server, "ask", {"question": "who won silver?"}))["data"]["embeds"][0]
        assert "> silver medalist Rodgers Kwemoi" in reply["description"]
        assert "author" not in reply  # one article serving: replies look as they always have


async def test_reports_filter_by_article(live: Running):
    await slash(live.server, "ask", {"question": "how tall is the bridge?", "article": HARBOUR})
    await slash(live.server, "ask", {"question": "what is his shoe size?", "article": PARIS})
    await eventually(lambda: len(logged_articles(live)) == 2)
    mark = await live.server.interact(live.server.slash("unanswered", {"article": HARBOUR}, moderator=True))
    page = (await live.server.wait_for_request("POST", FOLLOWUP, after=mark)).body["embeds"][0]
    assert "tall" in page["description"] and "shoe" not in page["description"]


async def test_teach_keeps_the_phrasing_with_its_article(live: Running):
    mark = await live.server.interact(live.server.slash(
        "teach", {"question": "who held the scissors", "fact": "ribbon_cutting", "article": HARBOUR}, moderator=True))
    followup = (await live.server.wait_for_request("POST", FOLLOWUP, after=mark)).body
    assert followup["content"].startswith("Taught") and "Mayor Lena Dahl" in followup["embeds"][0]["description"]
    assert live.client.database.learned_phrasings_by_article() == {HARBOUR: {"ribbon_cutting": ["who held the scissors"]}}
    missing = (await slash(live.server, "teach", {"question": "who held the scissors", "fact": "ribbon_cutting"},
                           moderator=True))["data"]
    assert missing["flags"] == EPHEMERAL and "name one with article:" in missing["content"]


async def test_an_unknown_article_is_refused_privately_everywhere(live: Running):
    for command, options in (("stats", {"article": "nope"}), ("topics", {"article": "nope"})):
        refused = (await slash(live.server, command, options, moderator=True))["data"]
        assert refused["flags"] == EPHEMERAL and "there is no article 'nope'" in refused["content"]
    refused, _ = await use_article(live.server, "nope", moderator=True)
    assert "there is no article 'nope'" in refused["data"]["content"] and live.client.database.channel_articles() == {}
