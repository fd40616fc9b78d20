"""No token ever reaches a log: a whole session against `python -m hub serve -v`, with tokens in every place a
client can put one, and then the hub's and the simulator's logs searched for each token."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from hub import auth
from hub.db import database
from protocol import PROTOCOL_VERSION, Role
from tests.hub.served import ROOT, ServedHub, _env
from tests.hub.test_cli import hub_cli


async def _open(url: str) -> ClientConnection:
    return await connect(url, subprotocols=[PROTOCOL_VERSION])  # type: ignore[list-item]


async def _try(url: str, first: str) -> None:
    """Send one first frame and read until the hub answers or closes."""
    ws = await _open(url)
    await ws.send(first)
    try:
        await asyncio.wait_for(ws.recv(), 10)
    except ConnectionClosed:
        return
    await ws.close()


async def _session(url: str, tokens: dict[str, str]) -> None:
    alice = tokens["alice"]
    # refused hellos: unknown, expired, rotated away, malformed beside a real token, a second hello
    await _try(url, json.dumps({"type": "hello", "token": tokens["unknown"]}))
    await _try(url, json.dumps({"type": "hello", "token": tokens["expired"]}))
    await _try(url, json.dumps({"type": "hello", "token": tokens["rotated-away"]}))
    await _try(url, json.dumps({"type": "hello", "token": alice, "resume_from": "not a number"}))
    await _try(url, json.dumps({"type": "hello", "token": [alice]}))
    await _try(url, f'{{"type": "hello", "token": "{alice}"')  # cut short: not JSON
    # a live session: tokens inside commands (arguments, ids, bad frames), as a careless client would send them
    ws = await _open(url)
    await ws.send(json.dumps({"type": "hello", "token": alice, "client": "tests/1"}))
    assert json.loads(await ws.recv())["type"] == "welcome"
    await ws.send(json.dumps({"type": "hello", "token": alice}))
    await ws.send(json.dumps({"type": "command", "id": alice[:60], "name": "case.create",
                              "args": {"description": f"token {alice}", "street_code": alice}}))
    await ws.send(json.dumps({"type": "command", "id": "x", "name": f"no.such.{alice}", "args": {}}))
    await ws.send(json.dumps({"type": "command", "id": "y", "name": "audit.read", "args": {"token": alice}}))
    await ws.send(alice)
    await ws.send(alice.encode())
    answers = 0
    while answers < 6:  # the bad frames' errors and the commands' results
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        answers += frame["type"] in ("error", "command.result")
    await ws.close()


@pytest.mark.parametrize("log_format", [[], ["--log-json"]], ids=["text", "json"])
def test_a_whole_session_leaves_no_token_in_the_logs(tmp_path: Path, log_format: list[str]) -> None:
    db = str(tmp_path / "hub.db")
    tokens = {"alice": hub_cli("users", "add", "alice", "--role", "duty", "--db", db).stdout.strip(),
              "rotated-away": hub_cli("users", "add", "bob", "--role", "duty", "--db", db).stdout.strip(),
              "unknown": auth.new_token()}
    tokens["bob"] = hub_cli("users", "rotate", "bob", "--db", db).stdout.strip()
    engine = database.open_engine(db)
    tokens["expired"] = auth.add_user(engine, "carol", Role.DUTY, expires_at=datetime.now(UTC) - timedelta(hours=1))
    engine.dispose()
    assert all(len(token) >= 40 for token in tokens.values())

    hub = ServedHub("--db", db, "-v", *log_format, cwd=tmp_path)
    try:
        asyncio.run(_session(hub.url, tokens))
        simulator = subprocess.run(
            [sys.executable, "-m", "hub", "simulate", "--hub", hub.url, "--token", tokens["bob"], "--count", "3",
             "--burst"], cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(), check=False)
        assert simulator.returncode == 0, simulator.stderr
    finally:
        log = hub.stop()
    said = {"hub's log (stderr)": log, "hub's stdout": "".join(hub.stdout),
            "simulator's output": simulator.stdout + simulator.stderr}
    # the log did record the session: who came in, and the refusals, by name and address
    assert "alice (duty) connected from" in log and "bob (duty) connected from" in log
    assert "refused carol from 127.0.0.1:" in log and "token expired at" in log
    assert log.count("unknown or revoked token") == 2, log  # the unknown token and bob's old one
    for where, text in said.items():
        for whose, token in tokens.items():
            assert token not in text, f"{whose}'s token is in the {where}"
            assert token[:16] not in text, f"the start of {whose}'s token is in the {where}"
    if log_format:
        entries = [json.loads(line) for line in log.splitlines() if line.strip()]
        assert entries and all({"ts", "level", "logger", "message"} <= set(e) for e in entries)
        assert any(e["message"].startswith("alice (duty) connected from") for e in entries)
