"""Tokens that expire and rotate, connections per account, browsers only from allowed origins."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from hub import auth
from hub.embedded import EmbeddedHub
from hub.server import ServerOptions
from protocol import CloseCode, Role
from tests.backend_client.test_connection import until
from tests.hub.conftest import case_args, greet, open_raw, run_hub
from tests.hub.test_cli import assert_one_clear_line, hub_cli
from tests.hub.test_ops_http import get, samples


async def _hello(hub: EmbeddedHub, token: str) -> tuple[int | None, str]:
    """The close code and reason the hub answers `token` with (None when it welcomes it)."""
    client = await open_raw(hub.url)
    await client.send({"type": "hello", "token": token, "resume_from": None, "client": "tests/1"})
    try:
        first = await client.recv()
    except Exception:
        return await client.closed()
    assert first["type"] == "welcome", first
    await client.ws.close()
    return None, ""


def test_an_expired_token_is_refused_with_4403_and_a_live_one_let_in(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        past = datetime.now(UTC) - timedelta(minutes=1)
        expired = auth.add_user(hub.hub.engine, "night-desk", Role.DUTY, expires_at=past)
        later = auth.add_user(hub.hub.engine, "day-desk", Role.DUTY, expires_at=datetime.now(UTC) + timedelta(days=1))
        code, reason = await _hello(hub, expired)
        assert code == CloseCode.TOKEN_EXPIRED == 4403
        assert "night-desk" in reason and "expired" in reason and "users rotate" in reason
        assert await _hello(hub, later) == (None, "")
        assert (await _hello(hub, "not-a-token"))[0] == CloseCode.UNAUTHORIZED

    run_hub(db_url, scenario)


def test_the_console_stops_on_an_expired_token_instead_of_retrying(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            token = auth.add_user(hub.hub.engine, "old", Role.DUTY, expires_at=datetime.now(UTC) - timedelta(days=1))
            conn = FeedConnection(hub.url, token, CaseStore())
            await conn.start()
            await until(lambda: conn.state is ConnectionState.STOPPED, "stopped")
            assert "expired" in conn.state_detail and "4403" in conn.state_detail
            await conn.close()

    asyncio.run(main())


def test_users_rotate_gives_a_new_token_and_ends_the_old_one(tmp_path: Path) -> None:
    db = str(tmp_path / "hub.db")
    added = hub_cli("users", "add", "alice", "--role", "duty", "--unit", "S310112001", "--expires-in", "30",
                    "--db", db)
    assert added.returncode == 0, added.stderr
    old = added.stdout.strip()
    listed = hub_cli("users", "list", "--db", db).stdout
    expiry = re.search(r"^alice\tduty\tactive\t(\S+)$", listed, re.M)
    assert expiry, listed
    in_30_days = datetime.fromisoformat(expiry.group(1)) - datetime.now(UTC)
    assert timedelta(days=29) < in_30_days <= timedelta(days=30)

    rotated = hub_cli("users", "rotate", "alice", "--expires-in", "0", "--db", db)
    assert rotated.returncode == 0, rotated.stderr
    new = rotated.stdout.strip()
    assert new != old and len(new) >= 40
    assert re.search(r"^alice\tduty\tactive\tnever$", hub_cli("users", "list", "--db", db).stdout, re.M)

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{db}", simulate=False, make_account=False) as hub:
            code, _ = await _hello(hub, old)
            assert code == CloseCode.UNAUTHORIZED
            client, welcome = await greet(hub, new)
            assert (welcome["user"], welcome["role"], welcome["unit_id"]) == ("alice", "duty", "S310112001")
            await client.ws.close()

    asyncio.run(main())
    assert_one_clear_line(hub_cli("users", "rotate", "nobody", "--db", db), "no active account named 'nobody'")
    assert_one_clear_line(hub_cli("users", "add", "bob", "--role", "duty", "--expires-in", "-1", "--db", db),
                          "--expires-in -1")


def test_users_list_says_which_tokens_have_expired(tmp_path: Path) -> None:
    db = str(tmp_path / "hub.db")
    assert hub_cli("users", "add", "alice", "--role", "duty", "--db", db).returncode == 0
    from hub.db import database

    engine = database.open_engine(db)
    auth.add_user(engine, "gone", Role.WALL, expires_at=datetime(2020, 1, 1, tzinfo=UTC))
    engine.dispose()
    listed = hub_cli("users", "list", "--db", db).stdout
    assert re.search(r"^gone\twall\texpired\t2020-01-01T00:00:00\+00:00$", listed, re.M), listed
    assert re.search(r"^alice\tduty\tactive\t\d{4}-", listed, re.M), listed


def test_an_account_past_its_connection_limit_is_refused_with_4409_until_one_leaves(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False,
                               server_options=ServerOptions(max_connections_per_account=2)) as hub:
            first, _ = await greet(hub)
            second, _ = await greet(hub)
            code, reason = await _hello(hub, hub.token)
            assert code == CloseCode.TOO_MANY_CONNECTIONS == 4409
            assert reason == "duty-demo already holds 2 connections"
            other = hub.add_user("wall-1", Role.WALL)
            assert await _hello(hub, other) == (None, ""), "the limit is per account"
            await first.ws.close()
            await first.closed()
            # the hub counts the account down when it sees the close; a new hello is let in then
            async with asyncio.timeout(10):
                while (await _hello(hub, hub.token))[0] is not None:
                    await asyncio.sleep(0.01)
            await second.ws.close()

    asyncio.run(main())


@pytest.mark.parametrize(("origin", "let_in"), [
    (None, True),  # the console and scripts send no Origin
    ("https://wall.example.org", True),
    ("https://elsewhere.example.com", False),
    ("http://wall.example.org", False),
])
def test_browsers_only_from_allowed_origins(tmp_path: Path, origin: str | None, let_in: bool) -> None:
    async def main() -> None:
        options = ServerOptions(allow_origins=("https://wall.example.org",))
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, server_options=options) as hub:
            if let_in:
                client = await open_raw(hub.url, origin=origin) if origin else await open_raw(hub.url)
                await client.send({"type": "hello", "token": hub.token, "resume_from": None, "client": "tests/1"})
                assert (await client.recv())["user"] == "duty-demo"
                await client.ws.close()
            else:
                with pytest.raises(InvalidStatus) as refused:
                    await open_raw(hub.url, origin=origin)
                assert refused.value.response.status_code == 403

    asyncio.run(main())


def test_by_default_no_browser_origin_is_let_in(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            with pytest.raises(InvalidStatus) as refused:
                await open_raw(hub.url, origin="https://anywhere.example")
            assert refused.value.response.status_code == 403
            client, _ = await greet(hub)
            await client.ws.close()

    asyncio.run(main())


RECHECK = ServerOptions(token_recheck_s=0.1)
"""Open tokens looked up again ten times a second (the hub's default is every 10 s)."""


def test_revoking_or_rotating_a_token_ends_its_open_connections(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, server_options=RECHECK) as hub:
            night = hub.add_user("night-desk", Role.DUTY)
            day = hub.add_user("day-desk", Role.DUTY)
            night_client, _ = await greet(hub, night)
            day_client, _ = await greet(hub, day)
            assert auth.revoke_user(hub.hub.engine, "night-desk")
            code, reason = await night_client.closed()
            assert code == CloseCode.UNAUTHORIZED == 4401
            assert reason == "token revoked or rotated; ask an admin for the new one"

            auth.rotate_user(hub.hub.engine, "day-desk", expires_at=None)  # the admin hands out a new token
            assert (await day_client.closed())[0] == CloseCode.UNAUTHORIZED
            assert (await _hello(hub, day))[0] == CloseCode.UNAUTHORIZED, "the old token opens nothing either"

            text = (await get(hub, "/metrics"))[2]
            assert samples(text)['hub_connections_ended_total{reason="token_revoked"}'] == 2

    asyncio.run(main())


def test_a_token_that_runs_out_while_connected_is_closed_with_4403_and_others_stay(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, server_options=RECHECK) as hub:
            soon = datetime.now(UTC) + timedelta(seconds=1)
            short = auth.add_user(hub.hub.engine, "temp-desk", Role.DUTY, expires_at=soon)
            client, _ = await greet(hub, short)
            other, _ = await greet(hub)
            code, reason = await client.closed()
            assert datetime.now(UTC) >= soon
            assert code == CloseCode.TOKEN_EXPIRED == 4403
            assert "temp-desk" in reason and "users rotate" in reason
            # the account still holding a good token follows the feed as before
            answer = await other.command("case.create", case_args(hub), "after-expiry")
            assert answer["ok"], answer
            await other.ws.close()

    asyncio.run(main())


def test_the_console_stops_and_says_so_when_its_token_is_revoked_under_it(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, server_options=RECHECK) as hub:
            conn = FeedConnection(hub.url, hub.token, CaseStore())
            await conn.start()
            await until(lambda: conn.state is ConnectionState.LIVE, "live")
            auth.revoke_user(hub.hub.engine, "duty-demo")
            await until(lambda: conn.state is ConnectionState.STOPPED, "stopped, not retrying")
            assert "4401" in conn.state_detail and "revoked" in conn.state_detail
            await conn.close()

    asyncio.run(main())
