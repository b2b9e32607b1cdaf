"""The real discord.py bot against the fake Discord server: what users and moderators see,
asserted on the exact requests the bot sent."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import discord
import pytest

from bot.database import open_database_for
from bot.discord_bot.client import FactBotClient
from bot.discord_bot.runner import point_at_discord_endpoints
from bot.store import KnowledgeStore
from tests.conftest import edit_yaml
from tests.discord_harness import Running, eventually, running_bot, settings_for
from tests.fake_discord import FakeDiscord

CALLBACK = r"/interactions/\d+/[^/]+/callback"
CHANNEL_MESSAGE = r"/channels/\d+/messages"
FOLLOWUP = r"/webhooks/\d+/[^/]+"
EPHEMERAL = 64
NO_PINGS = {"parse": []}

NEW_FACT = {
    "id": "article_language",
    "topic": "The article itself",
    "answer": "The article quotes his Instagram post.",
    "quotes": ["View this post on Instagram"],
    "questions": ["is there an embedded instagram widget"],
    "keywords": ["widget", "embedded"],
}


@pytest.fixture
async def live(knowledge_copy: Path):
    async with running_bot(knowledge_copy) as running:
        yield running


async def ask(server: FakeDiscord, question: str, **who) -> dict:
    mark = await server.interact(server.slash("ask", {"question": question}, **who))
    return (await server.wait_for_request("POST", CALLBACK, after=mark)).body


async def reload_as(server: FakeDiscord, **who) -> tuple[dict, dict | None]:
    mark = await server.interact(server.slash("reload", **who))
    first = await server.wait_for_request("POST", CALLBACK, after=mark)
    if first.body["type"] != 5:
        return first.body, None
    return first.body, (await server.wait_for_request("POST", FOLLOWUP, after=mark)).body


async def test_startup_syncs_commands_to_the_configured_guild(live: Running):
    commands = {c["name"]: c for c in live.server.commands[live.server.world.guild_id]}
    assert set(commands) == {"ask", "topics", "source", "reload", "unanswered", "teach", "stats", "article"}
    for moderator_command in ("reload", "unanswered", "teach", "stats"):
        assert int(commands[moderator_command]["default_member_permissions"]) == 1 << 5  # Manage Server
        assert commands[moderator_command]["contexts"] == [0]  # servers only
    assert commands["ask"]["options"][0]["autocomplete"] is True


async def test_ask_answers_with_embed_and_verbatim_quote(live: Running, knowledge):
    body = await ask(live.server, "who got silver?")
    assert body["type"] == 4
    data = body["data"]
    assert data["allowed_mentions"] == NO_PINGS
    (embed,) = data["embeds"]
    assert embed["title"] == "who got silver?"
    assert "Rodgers Kwemoi won the silver medal" in embed["description"]
    assert "> silver medalist Rodgers Kwemoi" in embed["description"]
    assert "silver medalist Rodgers Kwemoi" in knowledge.article
    assert embed["footer"]["text"].startswith("fact silver_medalist · confidence 100/100 · ")
    assert knowledge.meta.title in embed["footer"]["text"]


async def test_not_in_the_article(live: Running):
    (embed,) = (await ask(live.server, "how old is he?"))["data"]["embeds"]
    assert embed["description"] == "The article doesn't say how old he is."
    assert embed["fields"][0]["name"] == "The article does cover, for example"


async def test_ambiguous_offers_buttons_and_a_press_shows_that_answer(knowledge_copy: Path):
    async with running_bot(knowledge_copy, ambiguity_margin=40) as live:
        server = live.server
        mark = await server.interact(server.slash("ask", {"question": "who got silver"}))
        callback = await server.wait_for_request("POST", CALLBACK, after=mark)
        assert callback.body["data"]["embeds"][0]["description"] == "Did you mean…"
        buttons = callback.body["data"]["components"][0]["components"]
        assert len(buttons) >= 2 and buttons[0]["label"] == "Who got silver?"
        message = callback.response["resource"]["message"]

        mark = await server.interact(server.button_press(message, buttons[0]["custom_id"]))
        press = await server.wait_for_request("POST", CALLBACK, after=mark)
        assert press.body["type"] == 7  # update the message in place
        (votes,) = press.body["data"]["components"]
        assert [b["emoji"]["name"] for b in votes["components"]] == ["👍", "👎"], "the choices give way to votes"
        assert "> silver medalist Rodgers Kwemoi" in press.body["data"]["embeds"][0]["description"]


async def test_someone_else_pressing_gets_a_private_answer(knowledge_copy: Path):
    async with running_bot(knowledge_copy, ambiguity_margin=40) as live:
        server = live.server
        mark = await server.interact(server.slash("ask", {"question": "who got silver"}))
        callback = await server.wait_for_request("POST", CALLBACK, after=mark)
        message = callback.response["resource"]["message"]
        custom_id = callback.body["data"]["components"][0]["components"][1]["custom_id"]
        mark = await server.interact(server.button_press(message, custom_id, user_id="500000000000000099"))
        press = await server.wait_for_request("POST", CALLBACK, after=mark)
        assert press.body["type"] == 4 and press.body["data"]["flags"] == EPHEMERAL


async def test_autocomplete_suggests_known_questions(live: Running):
    mark = await live.server.interact(live.server.autocomplete("ask", "question", "who got br"))
    body = (await live.server.wait_for_request("POST", CALLBACK, after=mark)).body
    assert body["type"] == 8
    choices = body["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert choices[0]["name"] == "Who got bronze?"
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)


async def test_mention_in_a_channel_is_answered_without_pinging(live: Running):
    server = live.server
    content = f"<@{server.world.bot_id}> who won bronze?"
    mark = await server.send_message(server.message_payload(content, mention_bot=True))
    reply = (await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)).body
    assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert str(reply["message_reference"]["channel_id"]) == server.world.channel_id
    assert "Grant Fisher" in reply["embeds"][0]["description"]
    assert reply["embeds"][0]["title"] == "who won bronze?"


async def test_direct_message_is_answered(live: Running):
    server = live.server
    mark = await server.send_message(server.message_payload("what was his time in the 5k", dm=True))
    reply = await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)
    assert "13:13.66" in reply.body["embeds"][0]["description"]


async def test_channel_message_without_mention_and_bot_messages_are_ignored(live: Running):
    server = live.server
    mark = await server.send_message(server.message_payload("who won silver?"))
    await server.send_message(server.message_payload(f"<@{server.world.bot_id}> who won silver?", mention_bot=True, bot=True))
    await server.send_message(server.message_payload("who won bronze?", dm=True, bot=True))
    await server.send_message(server.message_payload("what was his time?", dm=True))
    reply = await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)
    assert "13:13.66" in reply.body["embeds"][0]["description"]
    await asyncio.sleep(0.1)
    assert sum(1 for r in server.requests[mark:] if r.method == "POST") == 1


async def test_mention_syntax_and_markdown_in_a_question_are_escaped(live: Running):
    body = await ask(live.server, "@everyone <@&400000000000000001> **who** got `silver`? @here")
    assert body["data"]["allowed_mentions"] == NO_PINGS
    title = body["data"]["embeds"][0]["title"]
    assert "@everyone" not in title and "@here" not in title and "<@&" not in title
    assert "\\*\\*who\\*\\*" in title and "\\`silver\\`" in title


async def test_format_syntax_in_a_question_is_shown_literally(live: Running):
    title = (await ask(live.server, "{0} %s %(x)d {question!r} {.__class__}"))["data"]["embeds"][0]["title"]
    assert title == "{0} %s %(x)d {question!r} {.\\_\\_class\\_\\_}"


async def test_empty_mention_gets_help(live: Running):
    server = live.server
    mark = await server.send_message(server.message_payload(f"<@{server.world.bot_id}>", mention_bot=True))
    reply = await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)
    assert "/ask" in reply.body["content"]


async def test_topics_and_source(live: Running):
    mark = await live.server.interact(live.server.slash("topics"))
    topics = (await live.server.wait_for_request("POST", CALLBACK, after=mark)).body
    assert topics["data"]["flags"] == EPHEMERAL
    pages = topics["data"]["embeds"][0]
    assert pages["title"] == "What I can answer" and pages["footer"]["text"].startswith("Page 1 of ")
    assert topics["data"]["components"], "more topics than fit one page: previous/next buttons"
    mark = await live.server.interact(live.server.slash("source"))
    source = (await live.server.wait_for_request("POST", CALLBACK, after=mark)).body["data"]["embeds"][0]
    assert "quoted word for word" in source["fields"][2]["value"]


async def test_reload_by_moderator_reports_the_diff_and_serves_new_facts(live: Running, knowledge_copy: Path, knowledge):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"].append(NEW_FACT))
    first, followup = await reload_as(live.server, moderator=True)
    assert first["data"]["flags"] == EPHEMERAL
    embed = followup["embeds"][0]
    assert embed["title"] == "Facts reloaded"
    count = knowledge.question_count
    assert "added: article_language" in embed["description"] and f"questions: {count} → {count + 1}" in embed["description"]
    assert followup["flags"] == EPHEMERAL and followup["allowed_mentions"] == NO_PINGS
    body = await ask(live.server, "is there an embedded instagram widget?")
    assert "fact article_language" in body["data"]["embeds"][0]["footer"]["text"]


async def test_reload_with_broken_files_reports_errors_and_keeps_old_facts(live: Running, knowledge_copy: Path):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"][10]["quotes"].__setitem__(0, "silver medalist Ronald Kwemoi"))
    _, followup = await reload_as(live.server, manage_guild=True)
    embed = followup["embeds"][0]
    assert embed["title"].startswith("Reload refused: 1 problem(s). The previous facts are still being served.")
    assert "facts.yaml: fact 'silver_medalist': quotes[0]: not found verbatim" in embed["description"]
    body = await ask(live.server, "who got silver?")
    assert "> silver medalist Rodgers Kwemoi" in body["data"]["embeds"][0]["description"]


async def test_reload_refused_for_members_without_permission(live: Running, knowledge_copy: Path):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"].append(NEW_FACT))
    first, followup = await reload_as(live.server)
    assert followup is None
    assert first["type"] == 4 and first["data"]["flags"] == EPHEMERAL
    assert first["data"]["content"] == "Only moderators (Manage Server or a moderator role) can do that."
    assert "article_language" not in live.client.store.library.articles["paris-5000m"].knowledge.facts


async def test_sighup_reloads(live: Running, knowledge_copy: Path):
    edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"].append(NEW_FACT))
    os.kill(os.getpid(), signal.SIGHUP)
    await eventually(lambda: "article_language" in live.client.store.library.articles["paris-5000m"].knowledge.facts)


async def test_watch_reloads_when_a_knowledge_file_changes(knowledge_copy: Path):
    async with running_bot(knowledge_copy, watch_debounce_seconds=0.05, watch=True) as live:
        await asyncio.sleep(0.2)  # let the watcher start
        edit_yaml(knowledge_copy / "facts.yaml", lambda d: d["facts"].append(NEW_FACT))
        await eventually(lambda: "article_language" in live.client.store.library.articles["paris-5000m"].knowledge.facts)


async def test_cooldown_answers_spammers_privately(knowledge_copy: Path):
    async with running_bot(knowledge_copy, cooldown_rate=2, cooldown_seconds=60) as live:
        for _ in range(2):
            assert (await ask(live.server, "who got gold?"))["data"]["embeds"]
        body = await ask(live.server, "who got gold?")
        assert body["data"]["flags"] == EPHEMERAL
        assert body["data"]["content"].startswith("Slow down a little: try again in ")
        other = await ask(live.server, "who got gold?", user_id="500000000000000077")
        assert other["data"]["embeds"], "the limit is per user"


async def test_did_you_mean_buttons_are_disabled_when_they_expire(knowledge_copy: Path, monkeypatch):
    from bot.discord_bot import views

    monkeypatch.setattr(views, "VIEW_TIMEOUT_SECONDS", 0.3)
    async with running_bot(knowledge_copy, ambiguity_margin=40) as live:
        mark = await live.server.interact(live.server.slash("ask", {"question": "who got silver"}))
        await live.server.wait_for_request("POST", CALLBACK, after=mark)
        edit = await live.server.wait_for_request("PATCH", r"/webhooks/\d+/[^/]+/messages/@original", after=mark)
        buttons = edit.body["components"][0]["components"]
        assert buttons and all(button["disabled"] for button in buttons)


async def test_without_guild_ids_commands_are_synced_globally(knowledge_copy: Path):
    async with running_bot(knowledge_copy, guild_ids="") as live:
        assert {c["name"] for c in live.server.commands["global"]} >= {"ask", "reload"}
        assert live.server.world.guild_id not in live.server.commands


async def test_a_process_runs_only_its_slice_of_the_shards(knowledge_copy: Path):
    async with running_bot(knowledge_copy, shard_count=2, shard_ids="1") as live:
        identify = next(e for e in live.server.gateway_events if e.get("op") == 2)
        assert identify["d"]["shard"] == [1, 2]
        assert live.client.shard_count == 2 and live.client.shard_ids == [1]


async def test_mentioning_the_bots_own_role_counts_as_a_mention(live: Running):
    server = live.server
    bot_role = "400000000000000009"
    guild = live.client.get_guild(int(server.world.guild_id))
    role_data = {**server.role_payload(bot_role, "factbot", 0, 2), "tags": {"bot_id": server.world.bot_id}}
    await server.dispatch("GUILD_ROLE_CREATE", {"guild_id": server.world.guild_id, "role": role_data})
    await eventually(lambda: guild.self_role is not None)
    payload = server.message_payload(f"<@&{bot_role}> who got bronze?")
    payload["mention_roles"] = [bot_role]
    mark = await server.send_message(payload)
    reply = await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)
    assert "Grant Fisher" in reply.body["embeds"][0]["description"]
    assert reply.body["embeds"][0]["title"] == "who got bronze?"


async def test_topic_pages_turn_with_the_buttons(live: Running):
    server = live.server
    mark = await server.interact(server.slash("topics"))
    first = await server.wait_for_request("POST", CALLBACK, after=mark)
    previous, following = first.body["data"]["components"][0]["components"]
    assert previous["disabled"] and not following["disabled"]
    mark = await server.interact(server.button_press(first.response["resource"]["message"], following["custom_id"]))
    turned = await server.wait_for_request("POST", CALLBACK, after=mark)
    assert turned.body["type"] == 7
    assert turned.body["data"]["embeds"][0]["footer"]["text"].startswith("Page 2 of ")
    assert turned.body["data"]["components"][0]["components"][0]["disabled"] is False


async def test_did_you_mean_works_for_mentions_too(knowledge_copy: Path):
    async with running_bot(knowledge_copy, ambiguity_margin=40) as live:
        server = live.server
        mark = await server.send_message(server.message_payload(f"<@{server.world.bot_id}> who got silver", mention_bot=True))
        sent = await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)
        first_choice = sent.body["components"][0]["components"][0]
        mark = await server.interact(server.button_press(sent.response, first_choice["custom_id"]))
        press = await server.wait_for_request("POST", CALLBACK, after=mark)
        assert press.body["type"] == 7
        assert "> silver medalist Rodgers Kwemoi" in press.body["data"]["embeds"][0]["description"]


async def test_markup_typos_and_norwegian_are_answered_in_every_way_of_asking(live: Running):
    """Mentions, DMs and /ask share the core's normalisation: markup around a question, a typo or
    Norwegian never turns an answer into a refusal, and the raw text is what gets echoed (escaped)."""
    server = live.server
    mention = f"<@{server.world.bot_id}> <:pog:123456789012345678> ||who got silvr|| :eyes:"
    mark = await server.send_message(server.message_payload(mention, mention_bot=True))
    reply = (await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)).body
    assert "Rodgers Kwemoi" in reply["embeds"][0]["description"]
    assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}

    mark = await server.send_message(server.message_payload("hei!\nhva var tiden hans?", dm=True))
    reply = (await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)).body
    assert "13:13.66" in reply["embeds"][0]["description"]

    body = await ask(server, "did Fisher get silver? <@&400000000000000001>")
    assert body["data"]["embeds"][0]["description"].startswith("No. Grant Fisher won the bronze")
    assert "<@&" not in body["data"]["embeds"][0]["title"] and body["data"]["allowed_mentions"] == NO_PINGS


async def test_small_talk_gets_a_prompt(live: Running):
    body = await ask(live.server, "thanks!")
    shown = str(body["data"])
    assert "Ask me a question about the article" in shown


async def test_a_question_part_quoted_back_is_escaped(live: Running):
    """A two-part question's unanswered part is quoted in the answer: it must stay inert text."""
    hostile = "what was his time and [free nitro](https://example.invalid) @everyone ||spoiler|| \u202eevil"
    body = await ask(live.server, hostile)
    description = body["data"]["embeds"][0]["description"]
    assert "13:13.66" in description
    assert not re.search(r"(?<!\\)\[free nitro\]\(", description), "a masked link must be escaped"
    assert "@everyone" not in description and "||spoiler||" not in description and "\u202e" not in description
    assert body["data"]["allowed_mentions"] == NO_PINGS


async def test_a_reload_adding_many_facts_fits_in_one_embed(live: Running, knowledge_copy: Path):
    """The reload worked, so the moderator must see that, not Discord refusing an oversized embed."""
    def add_many(data: dict) -> None:
        for index in range(300):
            data["facts"].append({**NEW_FACT, "id": f"generated_fact_with_a_long_identifier_{index:03d}",
                                  "questions": [f"is there an embedded widget number {index}"]})
    edit_yaml(knowledge_copy / "facts.yaml", add_many)
    _, followup = await reload_as(live.server, moderator=True)
    description = followup["embeds"][0]["description"]
    assert len(description) <= 4096 and "… and 280 more" in description


async def test_a_spammer_in_a_channel_gets_one_public_notice_per_wait(knowledge_copy: Path):
    async with running_bot(knowledge_copy, cooldown_rate=1, cooldown_seconds=60) as live:
        server = live.server
        mark = await server.send_message(server.message_payload(f"<@{server.world.bot_id}> who won silver?", mention_bot=True))
        for _ in range(5):
            await server.send_message(server.message_payload(f"<@{server.world.bot_id}> who won silver?", mention_bot=True))
        await eventually(lambda: sum(r.method == "POST" for r in server.requests[mark:]) >= 2)
        await asyncio.sleep(0.3)
        replies = [r.body for r in server.requests[mark:] if r.method == "POST"]
        assert len(replies) == 2, "one answer and one notice, not six messages"
        assert replies[1]["content"].startswith("Slow down a little")


async def test_the_health_file_is_kept_fresh_while_connected_and_goes_stale_after(knowledge_copy: Path, monkeypatch, capsys):
    from bot.cli import main

    health = knowledge_copy.parent / "healthy"
    async with running_bot(knowledge_copy, health_file=health, health_interval_seconds=0.05) as live:
        await eventually(health.exists)
        assert live.client.is_healthy()
        monkeypatch.setenv("HEALTH_FILE", str(health))
        monkeypatch.setenv("HEALTH_MAX_AGE_SECONDS", "0.5")
        assert main(["health"]) == 0 and capsys.readouterr().out.startswith("healthy")
        await live.server.close_gateway(1000)
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.6)  # stopped: nothing touches the file any more
    assert main(["health"]) == 1 and capsys.readouterr().out.startswith("unhealthy: no acknowledged heartbeat")


async def test_commands_are_synced_once_until_they_change_and_only_by_shard_zero(knowledge_copy: Path):
    """Every start used to re-register every command; now a fingerprint in DATA_DIR says when it is needed."""
    def command_puts(server: FakeDiscord) -> int:
        return sum(r.method == "PUT" and "/commands" in r.path for r in server.requests)

    server = FakeDiscord()
    await server.start()
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        first = settings_for(server, knowledge_copy)
        for attempt in range(2):
            database = open_database_for(first)
            client = FactBotClient(first, KnowledgeStore(knowledge_copy, first, database))
            point_at_discord_endpoints(first)
            async with client:
                await client.login(first.discord_token.get_secret_value())
            database.close()
            assert command_puts(server) == 1, f"start {attempt + 1}: synced only when something changed"
        shard_one = settings_for(server, knowledge_copy, shard_count=2, shard_ids="1", data_dir=knowledge_copy.parent / "other")
        database = open_database_for(shard_one)
        async with FactBotClient(shard_one, KnowledgeStore(knowledge_copy, shard_one, database)) as client:
            await client.login(shard_one.discord_token.get_secret_value())
        database.close()
        assert command_puts(server) == 1, "a process without shard 0 leaves syncing to shard 0"
    finally:
        await server.stop()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


async def test_factbot_sync_registers_and_clear_guilds_removes_the_server_copies(tmp_path: Path):
    server = FakeDiscord()
    await server.start()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **server.environment(), "DISCORD_TOKEN": "sync-test",
           "DATA_DIR": str(tmp_path)}
    try:
        for arguments, expected in ((["sync"], True), (["sync", "--clear-guilds"], False)):
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *arguments, cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
            assert process.returncode == 0, output.decode()
            assert bool(server.commands.get(server.world.guild_id)) is expected, output.decode()
        assert not server.gateway_events, "syncing never connects to the gateway"
    finally:
        await server.stop()


HOSTILE = [
    "[free nitro](https://example.invalid)", "# Heading\n## smaller", "```py\nprint('x')\n```", "||spoiler||",
    "@everyone @here <@123456789012345678> <@&400000000000000001>", "\u202eevil\u202c", "zero\u200bwidth\u2060join",
    "> quoted\n>>> block", "-# subtext", "**bold** __under__ ~~strike~~ `code`", "<t:1700000000:R>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_one_escape_makes_hostile_text_inert(text):
    from bot.discord_bot.embeds import escape_user_text

    escaped = escape_user_text(text, 4096)
    assert "@everyone" not in escaped and "@here" not in escaped and "<@1" not in escaped and "<@&" not in escaped
    assert not re.search(r"(?<!\\)\[free nitro\]\(", escaped)
    assert not any(line.startswith(("#", ">", "-#")) for line in escaped.splitlines())
    assert not re.search(r"(?<!\\)(\|\||\*\*|__|~~|`)", escaped)
    assert not set(escaped) & {"\u202e", "\u202c", "\u2060"}
    assert all(escaped[i - 1] == "@" for i, ch in enumerate(escaped) if ch == "\u200b"), "only the mention breaker"
