"""Discord misbehaving: rate limits, server errors, dropped gateways, expired interactions,
slow work. The bot must reply when it can, log when it cannot, and keep serving."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from tests.discord_harness import running_bot
from tests.test_discord_e2e import CALLBACK, CHANNEL_MESSAGE, FOLLOWUP, ask


@pytest.fixture
async def live(knowledge_copy: Path):
    async with running_bot(knowledge_copy) as running:
        yield running


def calls(server, method: str, path_fragment: str, after: int = 0) -> list:
    return [r for r in server.requests[after:] if r.method == method and path_fragment in r.path]


async def test_rate_limited_interaction_reply_arrives_after_the_wait(live):
    server = live.server
    server.fail_next("POST", CALLBACK, 429, retry_after=0.3)
    start = time.monotonic()
    mark = await server.interact(server.slash("ask", {"question": "who got silver?"}))
    await server.wait_for(lambda: any(r.status == 200 for r in calls(server, "POST", "/callback", mark)))
    attempts = calls(server, "POST", "/callback", mark)
    assert [r.status for r in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.29
    assert time.monotonic() - start < 3, "still inside Discord's interaction deadline"
    assert "Kwemoi" in attempts[1].body["data"]["embeds"][0]["description"]


async def test_rate_limited_channel_reply_arrives_after_the_wait(live):
    server = live.server
    server.fail_next("POST", CHANNEL_MESSAGE, 429, retry_after=0.2)
    mark = await server.send_message(server.message_payload("who got bronze?", dm=True))
    await server.wait_for(lambda: any(r.status == 200 for r in calls(server, "POST", "/messages", mark)))
    assert [r.status for r in calls(server, "POST", "/messages", mark)] == [429, 200]


async def test_server_error_on_interaction_is_retried(live):
    server = live.server
    server.fail_next("POST", CALLBACK, 500)
    mark = await server.interact(server.slash("ask", {"question": "where was the race?"}))
    await server.wait_for(lambda: any(r.status == 200 for r in calls(server, "POST", "/callback", mark)), timeout=10)
    assert [r.status for r in calls(server, "POST", "/callback", mark)] == [500, 200]


async def test_a_503_is_tried_once_more_and_the_reply_arrives(live):
    server = live.server
    server.fail_next("POST", CHANNEL_MESSAGE, 503)
    mark = await server.send_message(server.message_payload("who got silver?", dm=True))
    await server.wait_for(lambda: any(r.status == 200 for r in calls(server, "POST", "/messages", mark)), timeout=10)
    assert [r.status for r in calls(server, "POST", "/messages", mark)] == [503, 200]


async def test_unavailable_discord_is_logged_and_the_bot_keeps_serving(live, caplog):
    server = live.server
    server.fail_next("POST", CHANNEL_MESSAGE, 503, times=2)
    with caplog.at_level(logging.WARNING):
        mark = await server.send_message(server.message_payload("who got silver?", dm=True))
        await server.wait_for(lambda: len(calls(server, "POST", "/messages", mark)) >= 2, timeout=10)
        await asyncio.sleep(0.1)
    assert "could not reply in channel" in caplog.text and "503" in caplog.text
    mark = await server.send_message(server.message_payload("who got bronze?", dm=True))
    reply = await server.wait_for_request("POST", CHANNEL_MESSAGE, after=mark)
    assert reply.status == 200 and "Fisher" in reply.body["embeds"][0]["description"]


async def test_expired_interaction_is_logged_without_crashing(live, caplog):
    server = live.server
    payload = server.slash("ask", {"question": "who got silver?"})
    server.expired_interactions.add(payload["token"])
    with caplog.at_level(logging.WARNING):
        mark = await server.interact(payload)
        await server.wait_for(lambda: len(calls(server, "POST", payload["token"], mark)) >= 2)
        await asyncio.sleep(0.1)
    assert all(r.status == 404 for r in calls(server, "POST", payload["token"], mark))
    assert "Unknown interaction" in caplog.text
    assert "Kwemoi" in (await ask(server, "who got silver?"))["data"]["embeds"][0]["description"]


@pytest.mark.parametrize("close_code", [1000, 4000, 4008])
async def test_gateway_drop_reconnects_and_answers_the_next_question(live, close_code):
    server = live.server
    connections_before = sum(1 for e in server.gateway_events if e.get("op") in (2, 6))
    await server.close_gateway(close_code)
    await server.wait_for(lambda: sum(1 for e in server.gateway_events if e.get("op") in (2, 6)) > connections_before, timeout=15)
    reconnect = [e for e in server.gateway_events if e.get("op") in (2, 6)][-1]
    if close_code != 1000:
        assert reconnect["op"] == 6, "a 4000-series close is resumed, not a new session"
    await asyncio.sleep(0.05)
    assert "13:13.66" in (await ask(server, "what was his time?"))["data"]["embeds"][0]["description"]


async def test_slow_reload_defers_within_the_deadline(live, monkeypatch):
    server, store = live.server, live.client.store
    real_reload = store.reload

    def slow_reload(article=None):
        time.sleep(3.5)  # a slow disk or a huge fact base
        return real_reload(article)

    monkeypatch.setattr(store, "reload", slow_reload)
    sent = time.monotonic()
    mark = await server.interact(server.slash("reload", moderator=True))
    deferred = await server.wait_for_request("POST", CALLBACK, after=mark)
    assert deferred.body["type"] == 5 and deferred.at - sent < 1.0
    assert "13:13.66" in (await ask(server, "what was his time?"))["data"]["embeds"][0]["description"], "still answering meanwhile"
    followup = await server.wait_for_request("POST", FOLLOWUP, after=mark, timeout=10)
    assert followup.body["embeds"][0]["title"].startswith("Facts reloaded")
