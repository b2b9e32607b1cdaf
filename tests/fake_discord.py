"""A small Discord-compatible server for tests, on 127.0.0.1 only.

It speaks just enough of Discord's REST API (v10) and gateway for discord.py 2.7 to log in,
sync commands, connect, receive INTERACTION_CREATE / MESSAGE_CREATE and reply. Every REST
request is recorded so tests can assert on exactly what the bot sent; faults (429, 5xx,
gateway closes, expired interactions) can be injected. Unknown routes are logged loudly and
answered 404, never guessed at.

By hand::

    python -m tests.fake_discord --port 8765
    # then, in another terminal, with the variables it prints:
    factbot run
    # and ask through it:
    curl -s -X POST 'http://127.0.0.1:8765/_control/ask' -d '{"question": "who won silver?"}'
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

log = logging.getLogger("fake_discord")

API_PREFIX = "/api/v10"
LOOPBACK = "127.0.0.1"
DISCORD_EPOCH_MS = 1420070400000
MANAGE_GUILD = 1 << 5
SEND_MESSAGES_AND_VIEW = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16)
ALL_PERMISSIONS = (1 << 50) - 1

JSON = dict[str, Any]
REQUEST_BODY = web.RequestKey("body", object)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


class Snowflakes:
    """Unique, increasing ids shaped like Discord's."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def __call__(self) -> str:
        return str(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) + next(self._counter))


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)
    status: int = 0
    response: Any = None  # what the fake answered, parsed from JSON


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    body: JSON
    remaining: int


@dataclass
class World:
    """The users, guild and channels the fake Discord knows."""

    application_id: str = "100000000000000001"
    bot_id: str = "100000000000000002"
    guild_id: str = "200000000000000001"
    channel_id: str = "300000000000000001"
    moderator_role_id: str = "400000000000000001"
    bot_name: str = "factbot"


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """discord.py parses a body as JSON only when Content-Type is exactly application/json (no charset)."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={**(headers or {}), "Content-Type": "application/json"})


def user_payload(user_id: str, name: str, *, bot: bool = False) -> JSON:
    return {"id": user_id, "username": name, "global_name": name, "discriminator": "0", "avatar": None, "bot": bot}


class FakeDiscord:
    def __init__(self, world: World | None = None) -> None:
        self.world = world or World()
        self.snowflake = Snowflakes()
        self.requests: list[RecordedRequest] = []
        self.gateway_events: list[JSON] = []  # what clients sent on the gateway (identify, resume, ...)
        self.commands: dict[str, list[JSON]] = {}  # scope ("global" or guild id) -> registered commands
        self.faults: list[Fault] = []
        self.expired_interactions: set[str] = set()
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_shards: dict[web.WebSocketResponse, int] = {}  # from each connection's IDENTIFY
        self._sequence = 0
        self.sessions_started = 0  # READY (and GUILD_CREATE) sent after an IDENTIFY
        self._session_id = "fake-session"
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- life cycle --------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{LOOPBACK}:{self.port}/gateway"

    def environment(self) -> dict[str, str]:
        """The variables that point `factbot run` at this server."""
        return {
            "DISCORD_TOKEN": "fake-token-for-tests",
            "DISCORD_API_BASE": self.api_base,
            "DISCORD_GATEWAY_URL": self.gateway_url,
            "GUILD_IDS": self.world.guild_id,
            "MODERATOR_ROLE_IDS": self.world.moderator_role_id,
        }

    async def start(self, port: int = 0) -> None:
        app = web.Application(middlewares=[self._record_and_fault])
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/_control/{action}", self._control)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, LOOPBACK, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- waiting -----------------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        async with self._changed:
            return await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_for_request(
        self, method: str, pattern: str, *, after: int = 0, timeout: float = 5.0
    ) -> RecordedRequest:
        """The first request at index >= ``after`` whose method and path match."""
        regex = re.compile(pattern)

        def find() -> RecordedRequest | None:
            for request in self.requests[after:]:
                if request.method == method and regex.fullmatch(request.path):
                    return request
            return None

        return await self.wait_for(find, timeout)

    async def wait_until_ready(self, timeout: float = 5.0) -> None:
        await self.wait_for(lambda: self.sessions_started >= 1, timeout)

    # -- faults ------------------------------------------------------------------------------

    def fail_next(self, method: str, pattern: str, status: int, *, times: int = 1, retry_after: float = 0.2) -> None:
        body: JSON = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False} if status == 429 else {
            "message": f"{status}: Internal Server Error", "code": 0}
        self.faults.append(Fault(method, re.compile(pattern), status, body, times))

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.remaining > 0 and fault.method == method and fault.path.fullmatch(path):
                fault.remaining -= 1
                return fault
        return None

    @web.middleware
    async def _record_and_fault(self, request: web.Request, handler):
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        path = request.path[len(API_PREFIX):]
        body = await self._read_body(request)
        request[REQUEST_BODY] = body
        recorded = RecordedRequest(request.method, path, dict(request.query), body)
        fault = self._take_fault(request.method, path)
        if fault is not None:
            headers = {}
            if fault.status == 429:
                # Discord's own 429s come through its proxy ("Via"); discord.py treats a 429 without
                # it as a Cloudflare ban and gives up instead of waiting.
                retry_after = str(fault.body["retry_after"])
                headers = {"Via": "1.1 google", "Retry-After": retry_after, "X-RateLimit-Scope": "user",
                           "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": retry_after,
                           "X-RateLimit-Bucket": "fake-bucket"}
            response = json_response(fault.body, status=fault.status, headers=headers)
        else:
            response = await handler(request)
        recorded.status = response.status
        if isinstance(response, web.Response) and response.body:
            recorded.response = json.loads(response.body)
        self.requests.append(recorded)
        await self._notify()
        return response

    @staticmethod
    async def _read_body(request: web.Request) -> Any:
        if not request.can_read_body:
            return None
        if request.content_type == "multipart/form-data":
            form = await request.post()
            payload = form.get("payload_json")
            return json.loads(payload) if isinstance(payload, str) else dict(form)
        text = await request.text()
        try:
            return json.loads(text) if text else None
        except json.JSONDecodeError:
            return text

    # -- REST --------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX):]
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if request.method == method and match:
                return await handler(request, **match.groupdict())
        log.error("UNKNOWN ROUTE %s %s: not implemented by the fake Discord server", request.method, path)
        return json_response({"message": "404: Not Found (unknown route in fake Discord)", "code": 0}, status=404)

    def _routes(self):
        app = self.world.application_id
        return [
            ("GET", r"/users/@me", self._current_user),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("GET", r"/applications/@me", self._application),
            ("GET", r"/gateway", self._gateway_info),
            ("GET", r"/gateway/bot", self._gateway_info),
            ("PUT", rf"/applications/{app}/commands", self._put_commands),
            ("PUT", rf"/applications/{app}/guilds/(?P<guild_id>\d+)/commands", self._put_commands),
            ("GET", rf"/applications/{app}/commands", self._get_commands),
            ("GET", rf"/applications/{app}/guilds/(?P<guild_id>\d+)/commands", self._get_commands),
            ("POST", r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback", self._interaction_callback),
            ("POST", rf"/webhooks/{app}/(?P<token>[^/]+)", self._followup),
            ("PATCH", rf"/webhooks/{app}/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)", self._edit_webhook_message),
            ("GET", rf"/webhooks/{app}/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)", self._get_webhook_message),
            ("DELETE", rf"/webhooks/{app}/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)", self._no_content),
            ("POST", r"/channels/(?P<channel_id>\d+)/messages", self._create_message),
            ("PATCH", r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)", self._edit_message),
            ("POST", r"/users/@me/channels", self._create_dm),
        ]

    async def _current_user(self, request: web.Request) -> web.Response:
        return json_response({**user_payload(self.world.bot_id, self.world.bot_name, bot=True), "verified": True, "flags": 0})

    async def _application(self, request: web.Request) -> web.Response:
        return json_response({
            "id": self.world.application_id, "name": self.world.bot_name, "description": "", "icon": None,
            "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
            "owner": user_payload("900000000000000001", "owner"), "team": None, "summary": "",
            "interactions_endpoint_url": None,
        })

    async def _gateway_info(self, request: web.Request) -> web.Response:
        return json_response({
            "url": self.gateway_url, "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
        })

    async def _put_commands(self, request: web.Request, guild_id: str | None = None) -> web.Response:
        if guild_id is not None and guild_id != self.world.guild_id:  # as Discord: the bot is not in that server
            return json_response({"message": "Missing Access", "code": 50001}, status=403)
        payload = request[REQUEST_BODY] or []
        registered = [
            {**command, "id": self.snowflake(), "application_id": self.world.application_id, "version": "1",
             "type": command.get("type", 1), **({"guild_id": guild_id} if guild_id else {})}
            for command in payload
        ]
        self.commands[guild_id or "global"] = registered
        return json_response(registered)

    async def _get_commands(self, request: web.Request, guild_id: str | None = None) -> web.Response:
        return json_response(self.commands.get(guild_id or "global", []))

    def _message(self, channel_id: str, body: JSON | None, **extra: Any) -> JSON:
        body = body or {}
        return {
            "id": self.snowflake(), "channel_id": channel_id, "type": 0, "content": body.get("content") or "",
            "author": user_payload(self.world.bot_id, self.world.bot_name, bot=True), "timestamp": now_iso(),
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": body.get("embeds") or [], "components": body.get("components") or [],
            "pinned": False, "flags": body.get("flags", 0), **extra,
        }

    async def _interaction_callback(self, request: web.Request, interaction_id: str, token: str) -> web.Response:
        if token in self.expired_interactions:
            return json_response({"message": "Unknown interaction", "code": 10062}, status=404)
        body = request[REQUEST_BODY] or {}
        kind = body.get("type")
        data = body.get("data") or {}
        ephemeral = bool(data.get("flags", 0) & 64)
        interaction: JSON = {"id": interaction_id, "type": 2, "response_message_loading": kind == 5,
                             "response_message_ephemeral": ephemeral}
        response: JSON = {"interaction": interaction}
        if kind in (4, 5, 7):
            message = self._message(self.world.channel_id, data)
            interaction["response_message_id"] = message["id"]
            response["resource"] = {"type": kind, "message": message}
        elif kind is not None:
            response["resource"] = {"type": kind}
        return json_response(response)

    async def _followup(self, request: web.Request, token: str) -> web.Response:
        if token in self.expired_interactions:
            return json_response({"message": "Unknown Webhook", "code": 10015}, status=404)
        return json_response(self._message(self.world.channel_id, request[REQUEST_BODY], webhook_id=self.world.application_id))

    async def _edit_webhook_message(self, request: web.Request, token: str, message_id: str) -> web.Response:
        return json_response(self._message(self.world.channel_id, request[REQUEST_BODY]))

    async def _get_webhook_message(self, request: web.Request, token: str, message_id: str) -> web.Response:
        return json_response(self._message(self.world.channel_id, None))

    async def _no_content(self, request: web.Request, **_: str) -> web.Response:
        return web.Response(status=204)

    async def _create_message(self, request: web.Request, channel_id: str) -> web.Response:
        return json_response(self._message(channel_id, request[REQUEST_BODY]))

    async def _edit_message(self, request: web.Request, channel_id: str, message_id: str) -> web.Response:
        return json_response({**self._message(channel_id, request[REQUEST_BODY]), "id": message_id})

    async def _create_dm(self, request: web.Request) -> web.Response:
        recipient = (request[REQUEST_BODY] or {}).get("recipient_id", "0")
        return json_response({"id": self.snowflake(), "type": 1, "recipients": [user_payload(recipient, "someone")]})

    # -- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    continue
                await self._on_gateway_payload(socket, json.loads(frame.data))
        finally:
            if socket in self._sockets:
                self._sockets.remove(socket)
            self._socket_shards.pop(socket, None)
        return socket

    async def _on_gateway_payload(self, socket: web.WebSocketResponse, payload: JSON) -> None:
        op = payload.get("op")
        self.gateway_events.append(payload)
        if op == 1:
            await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            shard = payload["d"].get("shard", [0, 1])
            self._socket_shards[socket] = shard[0]
            await self._send(socket, "READY", {
                "v": 10, "user": user_payload(self.world.bot_id, self.world.bot_name, bot=True),
                "guilds": [{"id": self.world.guild_id, "unavailable": True}], "session_id": self._session_id,
                "resume_gateway_url": self.gateway_url, "shard": shard,
                "application": {"id": self.world.application_id, "flags": 0},
            })
            if shard[0] == (int(self.world.guild_id) >> 22) % shard[1]:  # Discord's guild-to-shard rule
                await self._send(socket, "GUILD_CREATE", self.guild_payload())
            self.sessions_started += 1
        elif op == 6:
            await self._send(socket, "RESUMED", {})
        await self._notify()

    async def _send(self, socket: web.WebSocketResponse, event: str, data: JSON) -> None:
        self._sequence += 1
        await socket.send_json({"op": 0, "t": event, "s": self._sequence, "d": data})

    async def dispatch(self, event: str, data: JSON, shard: int | None = None) -> None:
        """Send an event to the bot on its newest gateway connection, or the newest of ``shard``'s
        (with several processes each running some shards, this picks the process)."""
        def sockets() -> list[web.WebSocketResponse]:
            return [s for s in self._sockets if shard is None or self._socket_shards.get(s) == shard]

        await self.wait_for(sockets, timeout=5)
        await self._send(sockets()[-1], event, data)

    async def close_gateway(self, code: int) -> None:
        for socket in list(self._sockets):
            await socket.close(code=code)

    # -- payloads ----------------------------------------------------------------------------

    def role_payload(self, role_id: str, name: str, permissions: int, position: int) -> JSON:
        return {"id": role_id, "name": name, "permissions": str(permissions), "position": position, "color": 0,
                "hoist": False, "managed": False, "mentionable": False, "flags": 0}

    def channel_payload(self) -> JSON:
        return {"id": self.world.channel_id, "type": 0, "name": "general", "position": 0, "guild_id": self.world.guild_id,
                "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None, "rate_limit_per_user": 0}

    def guild_payload(self) -> JSON:
        world = self.world
        return {
            "id": world.guild_id, "name": "Test Server", "owner_id": "900000000000000001", "icon": None,
            "roles": [self.role_payload(world.guild_id, "@everyone", SEND_MESSAGES_AND_VIEW, 0),
                      self.role_payload(world.moderator_role_id, "Fact moderators", SEND_MESSAGES_AND_VIEW, 1)],
            "channels": [self.channel_payload()], "threads": [], "members": [self.member_payload(world.bot_id, world.bot_name, bot=True)],
            "member_count": 3, "features": [], "emojis": [], "stickers": [], "voice_states": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [], "unavailable": False,
            "large": False, "joined_at": now_iso(), "premium_tier": 0, "preferred_locale": "en-US",
            "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
            "mfa_level": 0, "nsfw_level": 0, "system_channel_flags": 0, "afk_timeout": 300,
        }

    def member_payload(self, user_id: str, name: str, *, roles: list[str] | None = None,
                       permissions: int | None = None, bot: bool = False) -> JSON:
        member: JSON = {"user": user_payload(user_id, name, bot=bot), "roles": roles or [], "joined_at": now_iso(),
                        "deaf": False, "mute": False, "flags": 0, "nick": None, "avatar": None}
        if permissions is not None:
            member["permissions"] = str(permissions)
        return member

    def command_id(self, name: str) -> str:
        for scope in (self.world.guild_id, "global"):
            for command in self.commands.get(scope, []):
                if command["name"] == name:
                    return command["id"]
        raise KeyError(f"command {name!r} was not synced")

    def interaction_payload(self, kind: int, data: JSON, *, user_id: str = "500000000000000001", name: str = "asker",
                            moderator: bool = False, manage_guild: bool = False, dm: bool = False,
                            message: JSON | None = None) -> JSON:
        payload: JSON = {
            "id": self.snowflake(), "application_id": self.world.application_id, "type": kind,
            "token": f"interaction-token-{self.snowflake()}", "version": 1, "data": data, "locale": "en-US",
            "attachment_size_limit": 26214400, "entitlements": [], "app_permissions": str(ALL_PERMISSIONS),
            "authorizing_integration_owners": {"0": self.world.guild_id}, "context": 1 if dm else 0,
        }
        if dm:
            payload["channel"] = {"id": self.snowflake(), "type": 1, "recipients": [user_payload(user_id, name)]}
            payload["channel_id"] = payload["channel"]["id"]
            payload["user"] = user_payload(user_id, name)
        else:
            permissions = SEND_MESSAGES_AND_VIEW | (MANAGE_GUILD if manage_guild else 0)
            roles = [self.world.moderator_role_id] if moderator else []
            payload.update(guild_id=self.world.guild_id, guild_locale="en-US", channel_id=self.world.channel_id,
                           channel=self.channel_payload(),
                           member=self.member_payload(user_id, name, roles=roles, permissions=permissions))
        if message is not None:
            payload["message"] = message
        return payload

    def slash(self, name: str, options: dict[str, str] | None = None, **who: Any) -> JSON:
        data: JSON = {"id": self.command_id(name), "name": name, "type": 1, "guild_id": self.world.guild_id,
                      "options": [{"name": key, "type": 3, "value": value} for key, value in (options or {}).items()]}
        return self.interaction_payload(2, data, **who)

    def autocomplete(self, name: str, option: str, typed: str, **who: Any) -> JSON:
        data: JSON = {"id": self.command_id(name), "name": name, "type": 1, "guild_id": self.world.guild_id,
                      "options": [{"name": option, "type": 3, "value": typed, "focused": True}]}
        return self.interaction_payload(4, data, **who)

    def button_press(self, message: JSON, custom_id: str, **who: Any) -> JSON:
        return self.interaction_payload(3, {"custom_id": custom_id, "component_type": 2}, message=message, **who)

    def message_payload(self, content: str, *, user_id: str = "500000000000000001", name: str = "asker",
                        dm: bool = False, mention_bot: bool = False, bot: bool = False) -> JSON:
        mentions = [user_payload(self.world.bot_id, self.world.bot_name, bot=True)] if mention_bot else []
        payload: JSON = {
            "id": self.snowflake(), "type": 0, "content": content, "author": user_payload(user_id, name, bot=bot),
            "timestamp": now_iso(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": mentions, "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "flags": 0,
        }
        if dm:
            payload["channel_id"] = self.snowflake()
        else:
            payload.update(channel_id=self.world.channel_id, guild_id=self.world.guild_id,
                           member=self.member_payload(user_id, name))
        return payload

    # -- driving -----------------------------------------------------------------------------

    async def interact(self, payload: JSON, shard: int | None = None) -> int:
        """Send an interaction; returns the index of the next recorded request, for wait_for_request."""
        mark = len(self.requests)
        await self.dispatch("INTERACTION_CREATE", payload, shard)
        return mark

    async def send_message(self, payload: JSON) -> int:
        mark = len(self.requests)
        await self.dispatch("MESSAGE_CREATE", payload)
        return mark

    async def _control(self, request: web.Request) -> web.Response:
        """Manual driving: POST /_control/ask {"question": ...} or /_control/mention, GET /_control/requests."""
        action = request.match_info["action"]
        if action == "requests":
            return json_response([r.__dict__ for r in self.requests])
        body = await request.json() if request.can_read_body else {}
        question = str(body.get("question", ""))
        if action == "ask":
            mark = await self.interact(self.slash("ask", {"question": question}))
            reply = await self.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback", after=mark, timeout=10)
        elif action in ("mention", "dm"):
            content = f"<@{self.world.bot_id}> {question}" if action == "mention" else question
            mark = await self.send_message(self.message_payload(content, dm=action == "dm", mention_bot=action == "mention"))
            reply = await self.wait_for_request("POST", r"/channels/\d+/messages", after=mark, timeout=10)
        else:
            return json_response({"error": f"unknown control action {action!r}"}, status=404)
        return json_response(reply.body)


async def serve_forever(port: int) -> None:
    server = FakeDiscord()
    await server.start(port)
    print("Fake Discord listening. Point factbot at it with:")
    for key, value in server.environment().items():
        print(f"  export {key}={value}")
    print(f"Ask through it: curl -s -X POST http://{LOOPBACK}:{server.port}/_control/ask -d '{{\"question\": \"who won silver?\"}}'")
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Discord-compatible test server on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(args.port))


if __name__ == "__main__":
    main()
