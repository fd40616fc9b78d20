"""The client's decisions with no sockets and no clock (sans-I/O)."""

from __future__ import annotations

import json
import logging
import random
import tracemalloc
from datetime import UTC, datetime

import pytest

from backend_client.session import Backoff, FeedSession, Reconnect, Resync, Stop
from backend_client.store import CaseStore
from protocol import (
    LIMITS,
    Case,
    CaseCreated,
    CaseStatus,
    Channel,
    CommandResult,
    Error,
    ErrorCode,
    GenericEvent,
    ReplayMode,
    Role,
    SnapshotBegin,
    SnapshotChunk,
    SnapshotEnd,
    Welcome,
)

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def case(n: int) -> Case:
    return Case(
        id=f"id{n}", serial=f"MH2026-{n:06d}", version=1, status=CaseStatus.RECEIVED, received_at=NOW,
        updated_at=NOW, channel=Channel.APP, category_code="0501", category_zh="噪音", category_en="Noise",
        street_code="310112001", street_name="江川路街道", address="", description="d", lon=121.4, lat=31.0,
    )


def welcome(head: int, mode: ReplayMode = ReplayMode.SNAPSHOT, log_id: str = "log-a") -> Welcome:
    return Welcome(role=Role.DUTY, user="u", server_time=NOW, head_seq=head, mode=mode, log_id=log_id,
                   hub="t", limits=LIMITS)


def session() -> FeedSession:
    return FeedSession(CaseStore(), "tok", "tests/1", Backoff(rng=random.Random(1)))


def test_first_hello_asks_for_a_snapshot_and_later_ones_resume() -> None:
    s = session()
    assert json.loads(s.hello())["resume_from"] is None
    s.on_message(welcome(2))
    s.on_message(SnapshotBegin(as_of_seq=2, total=1))
    s.on_message(SnapshotChunk(items=[case(1)]))
    s.on_message(SnapshotEnd(as_of_seq=2))
    hello = json.loads(s.hello())
    assert hello["resume_from"] == 2
    assert hello["log_id"] == "log-a"
    assert s.caught_up


def test_events_apply_in_order_duplicates_are_ignored_and_a_gap_resyncs() -> None:
    s = session()
    s.on_message(welcome(0))
    s.on_message(SnapshotBegin(as_of_seq=0, total=0))
    s.on_message(SnapshotEnd(as_of_seq=0))
    assert s.on_message(CaseCreated(seq=1, ts=NOW, data=case(1))) is None
    assert s.on_message(CaseCreated(seq=1, ts=NOW, data=case(1))) is None
    assert len(s.store) == 1
    gap = s.on_message(CaseCreated(seq=3, ts=NOW, data=case(3)))
    assert isinstance(gap, Resync)
    assert s.store.last_seq == 1
    assert json.loads(s.hello())["resume_from"] == 1


def test_unknown_event_types_still_count_for_seq() -> None:
    s = session()
    s.on_message(welcome(0))
    s.on_message(SnapshotBegin(as_of_seq=0, total=0))
    s.on_message(SnapshotEnd(as_of_seq=0))
    assert s.on_message(GenericEvent(type="zone.flooded", seq=1, ts=NOW)) is None
    assert s.on_message(CaseCreated(seq=2, ts=NOW, data=case(2))) is None
    assert s.store.last_seq == 2


def test_auth_and_protocol_refusals_stop_everything_else_backs_off_with_jitter() -> None:
    s = session()
    assert isinstance(s.on_close(4401, "unknown or revoked token"), Stop)
    assert isinstance(s.on_close(4400, "first frame must be a hello"), Stop)
    delays = []
    for code in (1006, 1011, 4408, 4429, 4503, None, None, None, None, None, None, None, None):
        decision = s.on_close(code, "")
        assert isinstance(decision, Reconnect)
        delays.append(decision.delay_s)
    assert all(0 <= d <= 30 for d in delays)
    assert max(delays[-4:]) > 1.0  # the ceiling grew
    s.on_message(welcome(0))
    assert s.backoff.attempt > 0, "a welcome alone does not reset the backoff: the connection does, once caught up"


def test_backoff_ceiling_doubles_to_the_cap() -> None:
    backoff = Backoff(base_s=0.5, cap_s=4.0, rng=random.Random(3))
    ceilings = []
    for _ in range(6):
        ceilings.append(min(backoff.cap_s, backoff.base_s * 2**backoff.attempt))
        backoff.next_delay()
    assert ceilings == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_answers_are_not_hoarded_by_a_long_running_session(caplog: pytest.LogCaptureFixture) -> None:
    """A console on duty for days gets thousands of answers, some of them whole photos: the session
    keeps none (the connection hands each to its one waiting command), and a hub `error` is logged."""
    s = session()
    s.on_message(welcome(0))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(300):  # 30 MB of answers if any were kept
            s.on_message(CommandResult(id=f"photo-{n}", ok=True, result={"id": f"p{n}", "data": f"{n:x}" * 25_000}))
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 1_000_000, f"{kept} bytes kept after 300 answers"
    with caplog.at_level(logging.WARNING, logger="backend_client.session"):
        s.on_message(Error(code=ErrorCode.BAD_MESSAGE, message="frame is not JSON"))
    assert s.errors == 1 and s.last_error is not None and "frame is not JSON" in caplog.text
