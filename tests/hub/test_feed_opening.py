"""The opening of the feed against a real hub: welcome, closes, bad frames."""

from __future__ import annotations

import asyncio

import pytest
import websockets
from websockets.asyncio.client import connect

from hub.embedded import EmbeddedHub
from protocol import LIMITS, Role
from protocol.limits import Limits
from tests.hub.conftest import case_args, greet, open_raw, run_hub


def test_welcome_names_role_head_and_log(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client, welcome = await greet(hub)
        assert welcome["role"] == "duty"
        assert welcome["user"] == "duty-demo"
        assert welcome["head_seq"] == 0
        assert welcome["mode"] == "snapshot"
        assert welcome["log_id"] == hub.hub.log_id
        assert welcome["limits"]["max_frame_bytes"] == LIMITS.max_frame_bytes
        assert welcome["server_time"].endswith("Z")
        frames = await client.recv_until(lambda f: f["type"] == "snapshot.end")
        assert [f["type"] for f in frames] == ["snapshot.begin", "snapshot.end"]

    run_hub(db_url, scenario)


def test_unknown_token_is_closed_4401(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client = await open_raw(hub.url)
        await client.send({"type": "hello", "token": "not-a-token"})
        code, reason = await client.closed()
        assert code == 4401
        assert "token" in reason

    run_hub(db_url, scenario)


def test_revoked_token_is_closed_4401(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        from hub import auth

        token = hub.add_user("gone", Role.DUTY)
        assert auth.revoke_user(hub.hub.engine, "gone")
        client = await open_raw(hub.url)
        await client.send({"type": "hello", "token": token})
        assert (await client.closed())[0] == 4401

    run_hub(db_url, scenario)


@pytest.mark.parametrize(
    ("hello", "words"),
    [
        ({"type": "hello"}, "without a token"),
        ({"type": "hello", "token": None, "resume_from": 3}, "without a token"),
        ({"type": "hello", "token": 42}, "bad token"),
        ({"type": "hello", "token": "x" * 513}, "bad token"),
    ],
)
def test_hello_without_a_usable_token_is_closed_4401(db_url: str, hello: dict[str, object], words: str) -> None:
    """The contract: 4401 is a bad or missing token; 4400 is kept for a first frame that is no hello."""
    async def scenario(hub: EmbeddedHub) -> None:
        client = await open_raw(hub.url)
        await client.send(hello)
        code, reason = await client.closed()
        assert (code, words in reason) == (4401, True), reason
        assert "x" * 20 not in reason  # a token is never echoed back

    run_hub(db_url, scenario)


def test_a_client_gone_before_its_hello_is_no_error(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A console closed the instant it connected drops the socket before its hello: the hub logs no
    failed handler and serves the next client."""
    async def scenario(hub: EmbeddedHub) -> None:
        gone = await open_raw(hub.url)
        gone.ws.transport.abort()  # no close frame, no hello
        await gone.closed()
        await greet(hub)

    with caplog.at_level("ERROR", logger="websockets"):
        run_hub(db_url, scenario)
    assert not [r for r in caplog.records if r.name.startswith("websockets")], caplog.text


def test_no_hello_in_time_is_closed_4408(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client = await open_raw(hub.url)
        code, reason = await client.closed()
        assert code == 4408
        assert "hello" in reason

    run_hub(db_url, scenario, limits=Limits(hello_timeout_s=0.2))


@pytest.mark.parametrize(
    ("first", "words"),
    [
        ('{"type": "command", "id": "1", "name": "case.create", "args": {}}', "hello"),
        ("this is not json", "JSON"),
        ('{"type": "hello", "token": "t", "resume_from": -1}', "resume_from"),
        (b"\x00\x01binary", "text"),
    ],
)
def test_first_frame_not_a_hello_is_closed_4400(db_url: str, first: str | bytes, words: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client = await open_raw(hub.url)
        await client.send(first)
        code, reason = await client.closed()
        assert code == 4400
        assert words in reason

    run_hub(db_url, scenario)


@pytest.mark.parametrize(
    ("frame", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "one JSON object"),
        ('{"type": "teleport"}', "unknown message type"),
        ('{"id": "x"}', "`type`"),
        ('{"type": "command", "id": 7, "name": "case.create"}', "`$.id`"),
        (b"binary", "binary"),
        ('{"type": "hello", "token": "again"}', "already greeted"),
    ],
)
def test_bad_frame_gets_bad_message_and_the_connection_stays_open(
    db_url: str, frame: str | bytes, words: str
) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client, _ = await greet(hub)
        await client.recv_until(lambda f: f["type"] == "snapshot.end")
        await client.send(frame)
        error = await client.recv()
        assert error["type"] == "error"
        assert error["code"] == "bad_message"
        assert words in error["message"]
        result = await client.command("case.create", case_args(hub), "after-bad-frame")
        assert result["ok"] is True

    run_hub(db_url, scenario)


def test_repeated_bad_frames_close_4429_and_others_are_served(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        abuser, _ = await greet(hub)
        bystander, _ = await greet(hub)
        await bystander.recv_until(lambda f: f["type"] == "snapshot.end")
        for _ in range(4):
            await abuser.send("garbage")
        code, _ = await abuser.closed()
        assert code == 4429
        result = await bystander.command("case.create", case_args(hub), "still-served")
        assert result["ok"] is True

    run_hub(db_url, scenario, limits=Limits(bad_frames_per_minute=3))


def test_frame_over_the_limit_is_closed_1009(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client, _ = await greet(hub)
        await client.send({"type": "command", "id": "big", "name": "case.create",
                           "args": {"description": "x" * 5000}})
        code, _ = await client.closed()
        assert code == 1009

    run_hub(db_url, scenario, limits=Limits(max_frame_bytes=2048))


def test_wrong_path_and_missing_subprotocol_are_refused_at_handshake(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        with pytest.raises(websockets.InvalidStatus) as wrong_path:
            await connect(hub.url.replace("/feed", "/other"), subprotocols=["cc.v1"])  # type: ignore[list-item]
        assert wrong_path.value.response.status_code == 404
        with pytest.raises(websockets.InvalidStatus) as no_protocol:
            await connect(hub.url)
        assert no_protocol.value.response.status_code == 400

    run_hub(db_url, scenario)


def test_hub_shutdown_closes_1001(db_url: str) -> None:
    async def main() -> None:
        hub = EmbeddedHub(db_url, simulate=False)
        await hub.__aenter__()
        client, _ = await greet(hub)
        await client.recv_until(lambda f: f["type"] == "snapshot.end")
        closing = asyncio.ensure_future(hub.__aexit__(None, None, None))
        code, _ = await client.closed()
        await closing
        assert code == 1001

    asyncio.run(main())
