"""The client keeps the hub's latest `figures` in its store, beside the cases, without counting a seq."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState, FeedSession
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from protocol import LIMITS, Figures, Role, decode_server
from tests.hub.conftest import WAIT_S, case_args

NOW = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for `condition` on the event loop; fail with `what` after WAIT_S."""
    try:
        async with asyncio.timeout(WAIT_S):
            while not condition():
                await asyncio.sleep(0.005)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None


def test_a_feed_connection_ends_with_the_hubs_figures(tmp_path: Path) -> None:
    limits = msgspec.structs.replace(LIMITS, figures_interval_s=0.02)

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, limits=limits,
                               clock=lambda: NOW) as hub:
            token = hub.add_user("wall-1", Role.WALL)
            store = CaseStore()
            wall = FeedConnection(hub.url, token, store, client_name="cc-wall/test")
            await wall.start()
            await until(lambda: conn_live(wall) and store.figures is not None, "the first figures")
            assert store.figures is not None and store.figures.as_of_seq == 0 and store.figures.overdue_now == 0
            first_version = store.figures_version

            desk_store = CaseStore()
            desk = FeedConnection(hub.url, hub.token, desk_store)
            await desk.start()
            await until(lambda: conn_live(desk), "the desk live")
            for channel in ("hotline_12345", "app", "app"):
                result = await desk.send_command("case.create", case_args(hub, channel=channel))
                assert result.ok, result.error

            def current() -> bool:
                return store.figures is not None and store.figures.as_of_seq == hub.hub.head_seq == store.last_seq

            await until(current, "figures as of the hub's head")
            assert store.figures_version > first_version
            hubs = decode_server(hub.hub.figures_frame())
            assert isinstance(hubs, Figures)
            assert store.figures == hubs
            assert store.figures.today.received == 3
            assert store.figures.hours[-1].received_by_channel["app"] == 2
            assert store.last_seq == hub.hub.head_seq  # figures carry no seq: nothing skipped, no resync
            await desk.close()
            await wall.close()

    asyncio.run(main())


def conn_live(conn: FeedConnection) -> bool:
    return conn.state is ConnectionState.LIVE


def test_figures_are_kept_and_counted_but_never_touch_the_seq() -> None:
    store = CaseStore()
    session = FeedSession(store, "t", "tests")
    frame = (b'{"type":"figures","as_of_seq":7,"as_of":"2026-11-24T02:30:00Z","zone":"Asia/Shanghai",'
             b'"open_by_level":{"blue":0,"yellow":0,"orange":0,"red":0},"open_by_status":{},"overdue_now":0,'
             b'"hours":[],"today":{"received":0,"closed":0,"closed_on_time":0,"returned":0,"rated":0,"satisfied":0},'
             b'"month":{"received":0,"closed":0,"closed_on_time":0,"returned":0,"rated":0,"satisfied":0},'
             b'"units_month":[],"streets_month":[],"grids":[]}')
    message = decode_server(frame)
    assert isinstance(message, Figures)
    assert session.on_message(message) is None
    assert session.on_message(message) is None
    assert store.figures == message and store.figures_version == 2 and store.last_seq == 0
    store.reset()
    assert store.figures is None and store.figures_version == 2
