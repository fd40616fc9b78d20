"""Fixtures for hub tests: a real hub on an ephemeral loopback port and a raw client."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import websockets
from websockets.asyncio.client import ClientConnection, connect

from hub.embedded import EmbeddedHub
from protocol import LIMITS, PROTOCOL_VERSION, Limits, Role

WAIT_S = 10.0
"""Upper bound on any wait for the hub; a test waits on the condition, not on time."""

CASE_ARGS: dict[str, Any] = {
    "channel": "hotline_12345",
    "category_code": "",  # filled from the directory by `case_args`
    "street_code": "310112001",
    "description": "夜间施工噪音扰民",
    "address": "江川路街道 测试路 1 号",
    "lon": 121.38,
    "lat": 31.02,
}


def case_args(hub: EmbeddedHub, **overrides: Any) -> dict[str, Any]:
    args = dict(CASE_ARGS)
    args["category_code"] = next(iter(hub.hub.directory.categories))
    args.update(overrides)
    return args


class RawClient:
    """A client that speaks the feed by hand, frame by frame, as a third party would.

    `figures` frames (no `seq`, sent after catch-up and every `figures_interval_s`) are passed
    over unless the client is made with `figures=True`, and the `geography` after the welcome
    unless made with `geography=True`: most tests read events frame by frame.
    """

    def __init__(self, ws: ClientConnection, figures: bool = False, geography: bool = False) -> None:
        self.ws = ws
        self.skipped = {name for name, wanted in (("figures", figures), ("geography", geography)) if not wanted}

    async def send(self, message: dict[str, Any] | str | bytes) -> None:
        await self.ws.send(message if isinstance(message, str | bytes) else json.dumps(message))

    async def recv(self) -> dict[str, Any]:
        while True:
            frame = await asyncio.wait_for(self.ws.recv(), WAIT_S)
            assert isinstance(frame, str), "the hub sends text frames"
            data = json.loads(frame)
            assert isinstance(data, dict)
            if data.get("type") not in self.skipped:
                return data

    async def recv_until(self, predicate: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Frames received up to and including the first one matching `predicate`."""
        frames = []
        while True:
            frames.append(await self.recv())
            if predicate(frames[-1]):
                return frames

    async def closed(self) -> tuple[int | None, str]:
        """Wait for the hub to close the connection; return its code and reason."""
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), WAIT_S)
        except websockets.ConnectionClosed as exc:
            return (exc.rcvd.code, exc.rcvd.reason) if exc.rcvd else (None, "")

    async def command(self, name: str, args: dict[str, Any], command_id: str) -> dict[str, Any]:
        await self.send({"type": "command", "id": command_id, "name": name, "args": args})
        frames = await self.recv_until(lambda f: f["type"] == "command.result" and f["id"] == command_id)
        return frames[-1]


async def open_raw(url: str, figures: bool = False, geography: bool = False, **kwargs: Any) -> RawClient:
    ws = await connect(url, subprotocols=[PROTOCOL_VERSION], **kwargs)  # type: ignore[list-item]
    return RawClient(ws, figures, geography)


async def greet(
    hub: EmbeddedHub, token: str | None = None, resume_from: int | None = None, figures: bool = False,
    with_map: bool = False, **extra: Any
) -> tuple[RawClient, dict[str, Any]]:
    client = await open_raw(hub.url, figures, with_map)
    await client.send({"type": "hello", "token": token or hub.token, "resume_from": resume_from,
                       "client": "tests/1", **extra})
    welcome = await client.recv()
    assert welcome["type"] == "welcome", welcome
    return client, welcome


def run_hub(
    db_url: str, scenario: Callable[[EmbeddedHub], Awaitable[None]], limits: Limits = LIMITS, **kwargs: Any
) -> None:
    """Run `scenario` against a real hub (no simulator) on a loopback port."""

    async def main() -> None:
        async with EmbeddedHub(db_url, simulate=False, limits=limits, **kwargs) as hub:
            await scenario(hub)

    asyncio.run(main())


PG_URL_VARIABLE = "CC_TEST_PG_URL"
"""A PostgreSQL URL (a database the tests may create databases beside); CI sets it."""

LOCAL_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
"""Tried when the variable is unset: a PostgreSQL on this machine with trust authentication."""


@functools.cache
def postgres_url() -> tuple[str | None, str]:
    """The PostgreSQL the tests use, looked for once per session: `CC_TEST_PG_URL` if set, else
    one answering on 127.0.0.1:5432. Returns (url, "") or (None, why there is none)."""
    given = os.environ.get(PG_URL_VARIABLE)
    if given:
        return given, ""
    where = "127.0.0.1:5432"
    try:
        engine = sa.create_engine(LOCAL_PG_URL, connect_args={"connect_timeout": 2}, poolclass=sa.pool.NullPool)
    except ModuleNotFoundError:
        return None, "no PostgreSQL driver (psycopg) installed"
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        first_line = str(exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc).strip().splitlines()[0]
        return None, f"{PG_URL_VARIABLE} unset and no PostgreSQL at {where} ({first_line[:120]})"
    finally:
        engine.dispose()
    return LOCAL_PG_URL, ""


@contextlib.contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    base, why_not = postgres_url()
    if not base:
        pytest.skip(f"{why_not} — set {PG_URL_VARIABLE}=postgresql+psycopg://USER@HOST/DB to run it on PostgreSQL")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"cc_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """The same suite on the embedded default and on PostgreSQL (for many seats)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
    else:
        with fresh_postgres() as url:
            yield url


__all__ = ["WAIT_S", "RawClient", "Role", "case_args", "greet", "open_raw", "run_hub"]
