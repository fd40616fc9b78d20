"""Faults under load (issue 14): a hub killed with SIGKILL while clients send it commands as fast
as they can, and a PostgreSQL whose connections are all cut under a running hub.

What an operator relies on: every command the hub answered `ok` is in the log after the fault,
the log's seq runs 1..head without a gap, a console that was following the feed comes back by a
replay of what it missed (not a full reload), and what it then shows equals a fresh snapshot.

The hub runs as an operator runs it (`python -m hub serve`, its own process); the load comes from
raw clients, each keeping `WINDOW` commands in flight. The rate reached is printed (`-s`).
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import websockets

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from hub.db import schema
from hub.directory import Directory
from protocol import ReplayMode
from tests.hub.conftest import CASE_ARGS, fresh_postgres, open_raw
from tests.hub.served import ServedHub, _env

CLIENTS = 4
WINDOW = 64
"""Commands each load client keeps in flight (pipelined, as a busy gateway would)."""
ACKED_BEFORE_FAULT = 3000
"""The fault comes once this many commands have been answered ok, the load still running."""
WAIT_S = 30.0


async def until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    """Wait for `condition` on the event loop; fail with `what` after `timeout`."""
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.005)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None


def hub_cli(cwd: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "hub", *args], cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Load:
    """Raw clients sending `case.create` as fast as the hub answers; every `ok` is kept with its seq."""

    url: str
    token: str
    args: dict[str, Any]
    acked: dict[str, tuple[str, int]] = field(default_factory=dict)
    """command id -> (case id, seq) of every command the hub answered ok."""
    refused: dict[str, Any] = field(default_factory=dict)
    sent: int = 0
    started: float = 0.0
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    sockets: list[Any] = field(default_factory=list)

    async def start(self) -> None:
        self.started = time.perf_counter()
        self.tasks = [asyncio.create_task(self._client(n)) for n in range(CLIENTS)]

    async def _client(self, n: int) -> None:
        client = await open_raw(self.url)
        self.sockets.append(client.ws)
        await client.send({"type": "hello", "token": self.token, "resume_from": None, "client": f"load/{n}"})
        room = asyncio.Semaphore(WINDOW)

        async def answers() -> None:
            try:
                async for frame in client.ws:
                    if isinstance(frame, str) and frame.startswith('{"type":"command.result"'):
                        result = json.loads(frame)
                        if result["ok"]:
                            self.acked[result["id"]] = (result["result"]["id"], result["result"]["seq"])
                        else:
                            self.refused[result["id"]] = result["error"]
                        room.release()
            finally:
                for _ in range(WINDOW):  # wake the sender: the connection is gone
                    room.release()

        reader = asyncio.create_task(answers())
        try:
            while not reader.done():
                await room.acquire()
                if reader.done():
                    break
                command = {"type": "command", "id": f"load{n}-{uuid.uuid4().hex}", "name": "case.create",
                           "args": self.args}
                await client.send(command)
                self.sent += 1
        except websockets.ConnectionClosed:
            pass
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)

    def rate(self) -> float:
        return len(self.acked) / (time.perf_counter() - self.started)

    async def stop(self) -> None:
        """Stop sending: close every client (commands then in flight get no answer, and count as not acked)."""
        for ws in self.sockets:
            await ws.close()
        await self.end()

    async def end(self) -> None:
        """The clients end by themselves when the hub goes (their sockets close)."""
        async with asyncio.timeout(WAIT_S):
            await asyncio.gather(*self.tasks, return_exceptions=True)


class Console:
    """A console's feed (FeedConnection + CaseStore) with the mode of every welcome it got."""

    def __init__(self, url: str, token: str) -> None:
        self.store = CaseStore()
        self.conn = FeedConnection(url, token, self.store, backoff_base_s=0.05, backoff_cap_s=0.5)
        self.modes: list[ReplayMode] = []
        self._seen: object = None
        self.conn.add_listener(self._changed)

    def _changed(self, conn: FeedConnection) -> None:
        if conn.welcome is not None and conn.welcome is not self._seen:
            self._seen = conn.welcome
            self.modes.append(conn.welcome.mode)

    def cases(self) -> dict[str, Any]:
        return {case.id: case for case in self.store.cases()}


def log_rows(db_url: str) -> tuple[list[int], dict[int, tuple[str, str | None]], set[str]]:
    """The log's seqs in order, seq -> (type, case id), and the ids of commands answered ok."""
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(schema.events.c.seq, schema.events.c.type, schema.events.c.case_id)
                                .order_by(schema.events.c.seq)).all()
            ok_ids = set(conn.execute(sa.select(schema.commands.c.id).where(schema.commands.c.ok)).scalars())
    finally:
        engine.dispose()
    return [r.seq for r in rows], {r.seq: (r.type, r.case_id) for r in rows}, ok_ids


def assert_every_ok_is_logged(load: Load, db_url: str) -> int:
    seqs, by_seq, ok_ids = log_rows(db_url)
    head = seqs[-1] if seqs else 0
    assert seqs == list(range(1, head + 1)), "the log's seq runs 1..head without a gap"
    missing = [cid for cid, (case_id, seq) in load.acked.items()
               if by_seq.get(seq) != ("case.created", case_id) or cid not in ok_ids]
    assert not missing, f"{len(missing)} of {len(load.acked)} acknowledged commands are not in the log: {missing[:5]}"
    return head


async def assert_console_resumed(console: Console, url: str, token: str, head: int, reconnected: bool = True) -> None:
    """Caught up by replay only, and showing what a fresh snapshot shows."""
    await until(lambda: console.conn.state is ConnectionState.LIVE and console.store.last_seq >= head,
                f"the console back to seq {head}")
    assert console.modes[0] is ReplayMode.SNAPSHOT, "its first connection loads a snapshot"
    if reconnected:
        assert console.modes[1:], "it connected again after the fault"
    assert set(console.modes[1:]) <= {ReplayMode.REPLAY}, f"every reconnect is a replay, not a reload: {console.modes}"
    fresh = Console(url, token)
    await fresh.conn.start()
    try:
        await until(lambda: fresh.conn.state is ConnectionState.LIVE
                    and fresh.store.last_seq == console.store.last_seq, "a fresh console at the same seq")
        assert fresh.modes == [ReplayMode.SNAPSHOT]
        shown, snapshot = console.cases(), fresh.cases()
        assert shown.keys() == snapshot.keys()
        assert [cid for cid in shown if shown[cid] != snapshot[cid]] == []
    finally:
        await fresh.conn.close()


def case_args() -> dict[str, Any]:
    return dict(CASE_ARGS, category_code=next(iter(Directory.load().categories)))


async def run_load_until_acked(load: Load, console: Console) -> None:
    await load.start()
    await until(lambda: len(load.acked) >= ACKED_BEFORE_FAULT or any(t.done() for t in load.tasks),
                f"{ACKED_BEFORE_FAULT} commands answered ok")
    assert not any(t.done() for t in load.tasks), "the load ran until the fault"
    assert console.conn.state is not ConnectionState.STOPPED


def test_a_hub_killed_under_load_keeps_every_acknowledged_command_and_consoles_resume_by_replay(
        tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'hub.db'}"
    token = hub_cli(tmp_path, "users", "add", "alice", "--role", "duty", "--db", db_url)
    port = free_port()
    hub = ServedHub("--db", db_url, "--port", str(port), cwd=tmp_path)

    async def main() -> None:
        nonlocal hub
        console = Console(hub.url, token)
        await console.conn.start()
        await until(lambda: console.conn.state is ConnectionState.LIVE, "the console live")
        load = Load(hub.url, token, case_args())
        await run_load_until_acked(load, console)
        hub.proc.kill()  # SIGKILL, mid-stream
        hub.proc.wait(WAIT_S)
        rate, acked, sent = load.rate(), len(load.acked), load.sent
        await load.end()
        print(f"\nSQLite: {acked} commands acknowledged ({sent} sent) at {rate:.0f}/s before SIGKILL; "
              f"console at seq {console.store.last_seq}")
        assert load.refused == {}
        hub = ServedHub("--db", db_url, "--port", str(port), cwd=tmp_path)
        head = assert_every_ok_is_logged(load, db_url)
        await assert_console_resumed(console, hub.url, token, head)
        result = await console.conn.send_command("case.create", case_args())
        assert result.ok and result.result is not None and result.result["seq"] == head + 1, result
        await console.conn.close()

    try:
        asyncio.run(main())
    finally:
        if hub.proc.poll() is None:
            hub.stop()


@pytest.mark.postgres
def test_postgres_connections_cut_under_a_loaded_hub_lose_no_acknowledged_command(tmp_path: Path) -> None:
    with fresh_postgres() as db_url:
        token = hub_cli(tmp_path, "users", "add", "alice", "--role", "duty", "--db", db_url)
        hub = ServedHub("--db", db_url, cwd=tmp_path)

        async def main() -> None:
            console = Console(hub.url, token)
            await console.conn.start()
            await until(lambda: console.conn.state is ConnectionState.LIVE, "the console live")
            load = Load(hub.url, token, case_args())
            await run_load_until_acked(load, console)
            at_cut = len(load.acked)
            killed = cut_connections(db_url)
            await until(lambda: len(load.acked) >= at_cut + ACKED_BEFORE_FAULT or any(t.done() for t in load.tasks),
                        "commands answered ok after the cut")
            rate, acked, sent = load.rate(), len(load.acked), load.sent
            assert not any(t.done() for t in load.tasks), "the load clients stay connected through the cut"
            await load.stop()
            refused = dict(load.refused)
            failures = [line for line in hub.stderr if "failed" in line]
            print(f"\nPostgreSQL: {killed} connections cut after {at_cut} acknowledged; {acked} acknowledged "
                  f"({sent} sent, {len(refused)} refused) at {rate:.0f}/s; the hub logged: {failures}")
            assert {e["code"] for e in refused.values()} <= {"internal"}, refused
            retry = await open_raw(hub.url)
            await retry.send({"type": "hello", "token": token, "resume_from": None, "client": "retry"})
            for command_id in refused:  # the same ids again, as a client retries: each is taken once
                result = await retry.command("case.create", load.args, command_id)
                assert result["ok"], result
                load.acked[command_id] = (result["result"]["id"], result["result"]["seq"])
            await retry.ws.close()
            head = assert_every_ok_is_logged(load, db_url)
            await assert_console_resumed(console, hub.url, token, head, reconnected=False)
            await console.conn.close()

        try:
            asyncio.run(main())
        finally:
            if hub.proc.poll() is None:
                hub.stop()


def cut_connections(db_url: str) -> int:
    """Terminate every other connection to the hub's database (the server itself keeps running)."""
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return len(conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).all())
    finally:
        engine.dispose()
