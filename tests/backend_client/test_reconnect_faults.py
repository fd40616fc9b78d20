"""The console's link to a real hub through a TCP fault proxy (`fault_proxy.py`): a hub gone
silent, a half-open socket, a peer that stops reading, and a hundred random cuts with a command
in flight at each. What is asserted is what the operator and the hub would see: the dead link is
left by the console's own heartbeat, the feed resumes, every event is applied once, in order,
and every command acts exactly once.
"""

from __future__ import annotations

import asyncio
import collections
import random
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from backend_client.connection import FeedConnection
from backend_client.outbox import Outbox
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from backend_client.store.case_store import StoreEvent
from hub.embedded import EmbeddedHub
from protocol import FEED_PATH, CaseCreated
from tests.backend_client.fault_proxy import DOWN, UP, Direction, Fault, FaultProxy
from tests.backend_client.test_connection import until
from tests.hub.conftest import WAIT_S, case_args

HEARTBEAT_S = 0.05
PONG_TIMEOUT_S = 0.15
"""Small, so a test leaves a dead link in a fraction of a second (5 s + 5 s in the console)."""


def _connection(url: str, token: str, store: CaseStore, seed: int, outbox: Outbox | None = None) -> FeedConnection:
    return FeedConnection(url, token, store, outbox=outbox, heartbeat_s=HEARTBEAT_S, pong_timeout_s=PONG_TIMEOUT_S,
                          backoff_base_s=0.002, backoff_cap_s=0.02, rng=random.Random(seed))


def _stall(proxy: FaultProxy) -> None:
    proxy.stall()


def _half_open(proxy: FaultProxy) -> None:
    proxy.half_open()


def _hub_unread(proxy: FaultProxy) -> None:
    """The proxy, as the console, stops reading the hub: the hub's frames back up, none arrive."""
    proxy.stop_reading(DOWN)


def _console_unread(proxy: FaultProxy) -> None:
    """The proxy, as the hub, stops reading the console: its pings go unanswered."""
    proxy.stop_reading(UP)


@pytest.mark.parametrize("fault", [_stall, _half_open, _hub_unread, _console_unread],
                         ids=["hub silent", "half-open", "console stops reading", "hub stops reading"])
def test_a_dead_link_is_left_by_the_consoles_heartbeat_and_the_feed_resumes(
    tmp_path: Path, fault: Callable[[FaultProxy], None],
) -> None:
    """Nothing is closed: without its own pong timeout the console would wait for websockets'
    keepalive (20 s + 20 s here). It leaves on its heartbeat, reconnects through the proxy and
    replays what it missed meanwhile, once."""
    applied: list[int] = []

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                FaultProxy(hub.port) as proxy:
            store = CaseStore()
            store.event_taps.append(lambda event: applied.append(event.seq))
            conn = _connection(proxy.url(FEED_PATH), hub.token, store, seed=1)
            left_because: list[str] = []
            conn.add_listener(lambda c: left_because.append(c.state_detail) if c.state is ConnectionState.BACKOFF
                              else None)
            other = FeedConnection(hub.url, hub.token, CaseStore())  # another desk, straight to the hub
            await conn.start()
            await other.start()
            try:
                await until(lambda: conn.state is ConnectionState.LIVE and other.state is ConnectionState.LIVE,
                            "both live")
                assert (await conn.send_command("case.create", case_args(hub, description="before"))).ok
                await until(lambda: store.last_seq == hub.hub.head_seq, "the first case")
                fault(proxy)
                assert (await other.send_command("case.create", case_args(hub, description="meanwhile"))).ok
                await until(lambda: bool(left_because), "the dead link left")
                assert f"no answer from the hub within {PONG_TIMEOUT_S:g} s" in left_because[0], left_because
                await until(lambda: conn.state is ConnectionState.LIVE and store.last_seq == hub.hub.head_seq,
                            "resumed through a new link")
                assert proxy.accepted == 2
                assert applied == list(range(1, hub.hub.head_seq + 1))
                assert sorted(c.description for c in store.cases()) == ["before", "meanwhile"]
            finally:
                await conn.close()
                await other.close()

    asyncio.run(main())


CUTS: list[tuple[str, Direction, Fault, int]] = [
    ("the command is lost on its way", UP, Fault.DROP, 25),
    ("the command reaches the hub, then the link drops", UP, Fault.AFTER, 20),
    ("the answer is lost on its way", DOWN, Fault.DROP, 25),
    ("the answer is cut in the middle of a frame", DOWN, Fault.PREFIX, 20),
    ("the hub goes silent before the answer", DOWN, Fault.STALL, 5),
    ("the hub's side closes, the console's stays open", DOWN, Fault.HALF_OPEN, 5),
]


def _carries(command_id: str, direction: Direction) -> Callable[[bytes], bool]:
    """Whether a chunk holds the command (client → hub) or its answer (hub → client)."""
    if direction is UP:  # masked, unreadable: after catch-up the command is the only large frame the console sends
        return lambda chunk: len(chunk) > 100
    needle = f'"{command_id}"'.encode()
    return lambda chunk: needle in chunk


def test_a_hundred_random_cuts_apply_every_event_and_every_command_exactly_once(tmp_path: Path) -> None:
    """Each round the console sends a command through the proxy, another desk sends one straight
    to the hub, and the link is broken while the console's command is in flight: the request or
    the answer lost, a frame cut in half, the hub gone silent, a half-open socket; one round in four
    with latency on the link. The console reconnects each time, resumes, resends from its outbox
    with the same id, and in the end has applied every event of the log once, in order, and
    every command has made exactly one case."""
    rng = random.Random(20261204)
    applied: list[int] = []
    created: list[str] = []
    in_flight_at_cut: list[int] = []
    rounds = 100

    def record(event: StoreEvent) -> None:
        applied.append(event.seq)
        if isinstance(event, CaseCreated):
            created.append(event.data.description)

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                FaultProxy(hub.port) as proxy:
            store = CaseStore()
            store.event_taps.append(record)
            outbox = Outbox(tmp_path / "outbox.sqlite")
            conn = _connection(proxy.url(FEED_PATH), hub.token, store, seed=2, outbox=outbox)
            other = FeedConnection(hub.url, hub.token, CaseStore())
            await conn.start()
            await other.start()
            try:
                for n in range(rounds):
                    await until(lambda: conn.state is ConnectionState.LIVE, f"live before round {n}")
                    await until(lambda: other.state is ConnectionState.LIVE, "the other desk live")
                    _what, direction, fault, _weight = rng.choices(CUTS, weights=[c[3] for c in CUTS])[0]
                    proxy.latency_s = 0.002 if rng.random() < 0.25 else 0.0
                    command_id = uuid.uuid4().hex
                    trigger = proxy.arm(direction, _carries(command_id, direction), fault,
                                        prefix=rng.randrange(1, 300),
                                        on_fire=lambda: in_flight_at_cut.append(conn.pending_commands))
                    mine = asyncio.ensure_future(conn.send_command(
                        "case.create", case_args(hub, description=f"round {n}"), command_id=command_id))
                    theirs = asyncio.ensure_future(other.send_command(
                        "case.create", case_args(hub, description=f"other {n}")))
                    await trigger.wait(WAIT_S)
                    for task in (mine, theirs):
                        result = await asyncio.wait_for(task, WAIT_S)
                        assert result.ok, result.error
                await until(lambda: conn.state is ConnectionState.LIVE and store.last_seq == hub.hub.head_seq,
                            "caught up with the hub at the end")
                assert len(outbox) == 0  # every command answered
            finally:
                await conn.close()
                await other.close()
                outbox.close()
            assert proxy.accepted >= rounds + 1  # a new link after every cut
            assert applied == list(range(1, hub.hub.head_seq + 1))  # every event once, in order
            descriptions = collections.Counter(c.description for c in store.cases())
            expected = [f"round {n}" for n in range(rounds)] + [f"other {n}" for n in range(rounds)]
            assert descriptions == collections.Counter(expected)  # every command acted once
            assert collections.Counter(created) == collections.Counter(expected)  # one case.created each

    asyncio.run(main())
    assert len(in_flight_at_cut) == rounds
    assert all(pending == 1 for pending in in_flight_at_cut)  # the console's command was on its way at each cut
