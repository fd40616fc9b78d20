"""The connection under faults: a hub that drops every snapshot, one gone silent, a bug of the
console's own, an event it cannot read. What is asserted is what an operator or a hub sees:
how often the hub is tried, how soon a dead link is left, that no event is lost or doubled.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from backend_client.connection import FeedConnection
from backend_client.feed_health import FeedCondition
from backend_client.session import ConnectionState
from backend_client.store import ApplyResult, CaseStore
from backend_client.store.case_store import StoreEvent
from hub.embedded import EmbeddedHub
from protocol.events import KnownEvent
from tests.backend_client.fake_hub import DROP_MID_SNAPSHOT, DROP_WHEN_CAUGHT_UP, SERVE, SILENT, FakeHub, running
from tests.backend_client.test_connection import until
from tests.hub.conftest import WAIT_S, case_args
from tests.store.store_helpers import case, created


class Ceiling(random.Random):
    """No jitter: every delay is its ceiling, so the number of attempts in a window is exact."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.mark.parametrize("fault", [DROP_MID_SNAPSHOT, DROP_WHEN_CAUGHT_UP])
def test_a_hub_that_drops_every_link_is_tried_less_and_less_often(fault: str) -> None:
    """Welcome, then the link dies before snapshot.end (or as soon as the console has caught up),
    again and again.

    Backoff base 0.05 s without jitter: the attempts come at 0, 0.05, 0.15, 0.35, 0.75, 1.55 s,
    so 1 s of fault sees 5 of them (resetting at each welcome, as before, it saw ~20; resetting at
    each catch-up, a hub dropping right after it saw ~14). Once the hub keeps the link the feed goes
    live, and the backoff starts over when the link has answered a heartbeat after catching up.
    """
    healed = False
    hub = FakeHub(events=[created(1, case(1))], fault=lambda _n: SERVE if healed else fault)

    async def main() -> None:
        nonlocal healed
        async with running(hub):
            conn = FeedConnection(hub.url, "t", CaseStore(), backoff_base_s=0.05, heartbeat_s=0.05, rng=Ceiling())
            await conn.start()
            try:
                await asyncio.wait_for(hub.nth_hello(1), WAIT_S)
                first = hub.hellos[0][0]
                with pytest.raises(TimeoutError):  # the 7th attempt must not come within 1 s of fault
                    await asyncio.wait_for(hub.nth_hello(7), 1.0)
                in_window = [t for t, _ in hub.hellos if t - first <= 1.0]
                assert 4 <= len(in_window) <= 6, [round(t - first, 3) for t, _ in hub.hellos]
                gaps = [b - a for (a, _), (b, _) in itertools.pairwise(hub.hellos)]
                assert all(later > earlier for earlier, later in itertools.pairwise(gaps)), gaps
                assert conn.backoff.attempt >= 4  # neither the welcomes nor the catch-ups reset it
                healed = True
                await until(lambda: conn.state is ConnectionState.LIVE, "live once the hub keeps the link")
                await until(lambda: conn.backoff.attempt == 0, "the backoff restarts after a heartbeat")
                assert conn.store.last_seq == 1
            finally:
                await conn.close()

    asyncio.run(main())


def test_a_silent_hub_is_left_within_heartbeat_and_pong_timeout_and_the_feed_resumes() -> None:
    """The hub stops reading and sending without closing: no pong comes. The console must leave
    within heartbeat_s + pong_timeout_s (0.2 + 0.3 s here; 5 + 5 s by default), not after
    websockets' own 20 + 20 s, and resume from the last event it applied."""
    hub = FakeHub(events=[created(1, case(1))], fault=lambda n: SILENT if n == 1 else SERVE)
    applied: list[int] = []

    async def main() -> None:
        store = CaseStore()
        store.event_taps.append(lambda event: applied.append(event.seq))
        async with running(hub):
            conn = FeedConnection(hub.url, "t", store, heartbeat_s=0.2, pong_timeout_s=0.3, rng=Ceiling())
            await conn.start()
            try:
                await until(lambda: conn.state is ConnectionState.LIVE and store.last_seq == 1, "live at seq 1")
                silent_since = time.monotonic()  # the hub sent its last frame; it is silent from now
                await hub.push(created(2, case(2)))  # what the hub will have to replay after the drop
                await until(lambda: conn.state is not ConnectionState.LIVE, "the dead link is left")
                detected_after = time.monotonic() - silent_since
                assert detected_after < 0.2 + 0.3 + 0.5, detected_after
                assert "no answer" in conn.state_detail
                await until(lambda: conn.state is ConnectionState.LIVE and store.last_seq == 2, "resumed")
                assert hub.hellos[1][1]["resume_from"] == 1
                assert applied == [1, 2]
            finally:
                await conn.close()

    asyncio.run(main())


def test_a_pong_queued_behind_frames_does_not_count_as_a_dead_link() -> None:
    """Frames arriving count as hearing from the hub: a console busy with a long catch-up, whose
    pong waits behind the hub's frames, keeps its link."""
    long_text = "井盖缺失" * 5000  # 60 KB a frame: the pong waits behind megabytes in the socket
    hub = FakeHub(events=[created(n, case(n, description=long_text)) for n in range(1, 201)])
    state_changes: list[ConnectionState] = []

    async def main() -> None:
        store = CaseStore()

        def slow(_event: StoreEvent) -> None:
            busy_until = time.perf_counter() + 0.005  # a slow apply (CPU, not a wait): 200 events take ~1 s
            while time.perf_counter() < busy_until:
                pass

        store.event_taps.append(slow)
        async with running(hub):
            # the ping leaves once the hub has written all 200 frames: its pong comes ~1 s later
            conn = FeedConnection(hub.url, "t", store, heartbeat_s=0.1, pong_timeout_s=0.2)
            conn.add_listener(lambda c: state_changes.append(c.state))
            await conn.start()
            try:
                await until(lambda: store.last_seq == 200, "all 200 events")
                assert ConnectionState.BACKOFF not in state_changes
                assert len(hub.hellos) == 1
            finally:
                await conn.close()

    asyncio.run(main())


def test_an_error_in_a_tap_is_logged_shown_and_the_feed_resumes_without_losing_an_event(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    """Against a real hub: a store tap raises on the second event. The feed logs it, shows it
    (state BACKOFF, `health().fault`), reconnects, resumes, and every event is applied once."""
    applied: list[int] = []
    seen: list[tuple[ConnectionState, str]] = []
    raised = False

    def recorder(event: StoreEvent) -> None:
        applied.append(event.seq)

    def faulty(event: StoreEvent) -> None:
        nonlocal raised
        if event.seq == 2 and not raised:
            raised = True
            raise ZeroDivisionError("boom in a tap")

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store = CaseStore()
            store.event_taps.extend([recorder, faulty])
            conn = FeedConnection(hub.url, hub.token, store, rng=random.Random(7))
            conn.add_listener(lambda c: seen.append((c.state, c.health().fault)))
            await conn.start()
            try:
                await until(lambda: conn.state is ConnectionState.LIVE, "live")
                for n in range(3):
                    result = await asyncio.wait_for(
                        conn.send_command("case.create", case_args(hub, description=f"case {n}")), WAIT_S)
                    assert result.ok, result.error
                await until(lambda: store.last_seq == 3 and conn.state is ConnectionState.LIVE, "all three, live")
                assert applied == [1, 2, 3]  # once each: the failed connection lost nothing, doubled nothing
                assert hub.hub.head_seq == 3
                assert conn.faults == 1 and conn.last_fault == "ZeroDivisionError: boom in a tap"
                assert (ConnectionState.BACKOFF, "ZeroDivisionError: boom in a tap") in seen
                assert conn.health().fault == ""  # caught up again: the banner no longer says it
            finally:
                await conn.close()

    with caplog.at_level(logging.ERROR, logger="backend_client.connection"):
        asyncio.run(main())
    failures = [r for r in caplog.records if "reconnecting" in r.getMessage()]
    assert failures and failures[0].exc_info is not None  # logged with its traceback


class ApplyFailsOnce:
    """A real store whose `apply` raises once, on `seq`, before it counts the event; all else is the store's.

    (A wrapper rather than a patched method: the store's classes may be compiled, `backend_client/store/native.py`.)"""

    def __init__(self, store: CaseStore, seq: int) -> None:
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_seq", seq)
        object.__setattr__(self, "failed", False)

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self._store, name, value)

    def apply(self, event: StoreEvent) -> ApplyResult:
        if not self.failed and event.seq == self._seq:
            object.__setattr__(self, "failed", True)
            raise KeyError("index out of step")
        return self._store.apply(event)


def test_an_error_in_the_store_before_it_counts_the_event_gets_the_event_again() -> None:
    """The store raises while applying seq 2 (before counting it): on resume the hub replays it."""
    hub = FakeHub(events=[created(1, case(1)), created(2, case(2)), created(3, case(3))])
    applied: list[int] = []

    async def main() -> None:
        store = CaseStore()
        store.event_taps.append(lambda event: applied.append(event.seq))
        failing = ApplyFailsOnce(store, 2)
        async with running(hub):
            conn = FeedConnection(hub.url, "t", failing, rng=Ceiling(), backoff_base_s=0.01)  # type: ignore[arg-type]
            await conn.start()
            try:
                await until(lambda: conn.state is ConnectionState.LIVE and store.last_seq == 3, "live at 3")
                assert failing.failed and applied == [1, 2, 3]
                assert [hello["resume_from"] for _, hello in hub.hellos] == [None, 1]
                assert conn.faults == 1 and "index out of step" in (conn.last_fault or "")
                assert [c.id for c in store.cases()] == [case(n).id for n in (1, 2, 3)]
            finally:
                await conn.close()

    asyncio.run(main())


def test_an_event_of_a_known_type_that_cannot_be_read_is_counted_shown_and_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """docs/protocol.md, Compatibility: count its seq, change nothing, log it, tell the operator;
    no resync (the hub would only send it again) and the events after it apply."""
    unreadable = json.dumps({"type": "case.updated", "seq": 2, "ts": "2026-11-24T00:00:00Z",
                             "data": {"id": case(1).id, "version": "two"}}).encode()
    hub = FakeHub(events=[created(1, case(1)), unreadable, created(3, case(3))])
    seen: list[KnownEvent | object] = []

    async def main() -> None:
        store = CaseStore()
        store.event_taps.append(seen.append)
        async with running(hub):
            conn = FeedConnection(hub.url, "t", store)
            await conn.start()
            try:
                await until(lambda: conn.state is ConnectionState.LIVE and store.last_seq == 3, "live at 3")
                assert len(hub.hellos) == 1  # no resync loop
                assert conn.unreadable is not None
                assert (conn.unreadable.count, conn.unreadable.last_type, conn.unreadable.last_seq) == (
                    1, "case.updated", 2)
                health = conn.health()
                assert health.condition is FeedCondition.LIVE and health.unreadable_events == 1
                assert store.get(case(1).id) == case(1)  # unchanged by what could not be read
                assert [getattr(event, "seq", None) for event in seen] == [1, 2, 3]
            finally:
                await conn.close()

    with caplog.at_level(logging.ERROR, logger="backend_client.connection"):
        asyncio.run(main())
    assert any("seq 2 (case.updated)" in r.getMessage() for r in caplog.records)


ANSWER_TIMEOUT_S = 0.3
"""Small, so a test sees a late answer chased in a fraction of a second (15 s in the console)."""


def _chasing(hub: FakeHub) -> FeedConnection:
    return FeedConnection(hub.url, "t", CaseStore(), heartbeat_s=0.05, answer_timeout_s=ANSWER_TIMEOUT_S,
                          backoff_base_s=0.01, rng=Ceiling())


def _live_against(hub: FakeHub, body: Callable[[FeedConnection], Awaitable[None]]) -> None:
    """Run `body` with a connection that chases late answers, live on `hub`."""
    async def main() -> None:
        async with running(hub):
            conn = _chasing(hub)
            await conn.start()
            try:
                await until(lambda: conn.state is ConnectionState.LIVE, "live")
                await body(conn)
            finally:
                await conn.close()

    asyncio.run(main())


def test_a_command_the_hub_does_not_answer_is_sent_again_on_the_same_link_and_shown_late() -> None:
    """The hub lost the first frame of a command (it answers only the second time it sees the id): the
    console sends it again after `answer_timeout_s`, without remaking the link, counts it as overdue
    while it waits, and the operator's action is answered once."""
    hub = FakeHub(events=[created(1, case(1))], answer_on=2)

    async def body(conn: FeedConnection) -> None:
        late: list[tuple[str, float, int, bool]] = []  # what the operator sees when it is found late
        mark = conn.commands.mark_overdue

        def marked(command_id: str) -> None:
            mark(command_id)
            late.append((command_id, time.monotonic(), conn.overdue_commands, conn.commands.overdue(command_id)))

        conn.commands.mark_overdue = marked  # type: ignore[method-assign]
        sent = time.monotonic()
        result = await asyncio.wait_for(conn.send_command("case.remind", {"id": "c1"}, command_id="k1"), WAIT_S)
        assert result.ok and hub.commands["k1"] == 2
        [(command_id, found_at, overdue, shown)] = late
        assert (command_id, overdue, shown) == ("k1", 1, True)
        assert found_at - sent >= ANSWER_TIMEOUT_S
        assert len(hub.hellos) == 1, "sent again on the same link, not after a reconnect"
        assert conn.overdue_commands == 0 and not conn.commands.overdue("k1") and conn.pending_commands == 0

    _live_against(hub, body)


def test_a_command_still_unanswered_after_a_resend_remakes_the_link_once_and_is_answered() -> None:
    """Answered only the third time: sent, sent again on the same link, still nothing; the console then
    drops the link, resumes, and sends it again after the new welcome, where the hub answers it."""
    hub = FakeHub(events=[created(1, case(1))], answer_on=3)

    async def body(conn: FeedConnection) -> None:
        result = await asyncio.wait_for(conn.send_command("case.remind", {"id": "c1"}), WAIT_S)
        assert result.ok
        assert len(hub.hellos) == 2, "one new link for the unanswered command"
        assert hub.hellos[1][1]["resume_from"] == 1
        assert conn.overdue_commands == 0
        await until(lambda: conn.state is ConnectionState.LIVE, "live again")

    _live_against(hub, body)


def test_a_hub_that_never_answers_costs_one_new_link_and_the_command_stays_overdue() -> None:
    """A hub that answers nothing (stuck on one command, say): the console remakes the link once for
    it, not on every round, and keeps the command overdue, on screen, with its link live."""
    hub = FakeHub(events=[created(1, case(1))], answer_on=0)

    async def body(conn: FeedConnection) -> None:
        waiting = asyncio.ensure_future(conn.send_command("case.remind", {"id": "c1"}, command_id="k9"))
        await until(lambda: hub.commands["k9"] == 3, "sent, sent again, sent after the new link")
        await until(lambda: conn.backoff.attempt == 0 and conn.state is ConnectionState.LIVE, "live")
        # as long as three more timeouts: a command that had not been given up would go out again
        deadline = time.monotonic() + 3 * ANSWER_TIMEOUT_S
        await until(lambda: time.monotonic() >= deadline, "three more timeouts")
        assert hub.commands["k9"] == 3 and len(hub.hellos) == 2
        assert conn.overdue_commands == 1 and not waiting.done()
        waiting.cancel()

    _live_against(hub, body)
