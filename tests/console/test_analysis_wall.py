"""The wall's hot-spot tile on a real hub with a wall account: it asks `analysis.hotspots` (the one
question a wall may send), shows the planted surge's grid on its map and in its list, and asks
again only after `ASK_EVERY_S`; a layout names the tile by kind `hotspots`."""

from __future__ import annotations

from pathlib import Path

import qasync
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from protocol import Role
from tests.console.conftest import run, until_called, until_signal
from tests.hub.analysis_seed import seed
from views.wall.hotspots_tile import ASK_EVERY_S, HotspotsTile
from views.wall.layout import parse_layout
from views.wall.wall_window import WallWindow

LAYOUT = """
[wall]
language = "en"
[[page]]
title = "Hot spots"
columns = 2
rows = 1
  [[page.tile]]
  kind = "hotspots"
  col = 0
  row = 0
  colspan = 2
"""


def test_the_wall_tile_shows_the_surge_and_asks_again_only_after_its_interval(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            field = await seed(hub, surge=25)
            assert field.surge_grid is not None
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.add_user("wall-1", Role.WALL), store)
            asked: list[str] = []

            async def ask(name: str, args: dict[str, object]):  # type: ignore[no-untyped-def]
                asked.append(name)
                return await feed.send_command(name, args)

            wall = WallWindow(store, parse_layout(LAYOUT), feed.health, px_per_mm=0.5,
                              settings=QSettings(str(tmp_path / "wall.ini"), QSettings.Format.IniFormat), ask=ask)
            qtbot.addWidget(wall)
            wall.resize(1920, 1080)
            wall.show()
            tile = wall.pages[0].tiles[0]
            assert isinstance(tile, HotspotsTile)
            clock = [tile.asked_at if tile.asked_at is not None else 0.0]  # it asked when the page was first shown
            tile._now = lambda: clock[0]
            await feed.start()
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
                wall.timer.setInterval(100)
                await until_signal(wall.timer.timeout, lambda: tile.hot is not None, "the hub's hot spots")
                assert tile.hot is not None
                assert [s.cell for s in tile.hot.hotspots] == [field.surge_grid.id]
                assert tile.list.rows[0].name.endswith(field.surge_grid.id)
                assert set(tile.shown_on_map) == {field.surge_grid.id} and not tile.map.unknown_ids
                assert asked == ["analysis.hotspots"]
                tile.refresh(store.figures, store)  # within the interval: no new question
                assert asked == ["analysis.hotspots"]
                first_asked = clock[0]
                clock[0] = first_asked + ASK_EVERY_S - 1.0  # a second short of it: still none
                tile.refresh(store.figures, store)
                assert asked == ["analysis.hotspots"]
                first = tile.hot
                # A second past it, not exactly at it: (t + 300) - t is below 300 for some clock values t
                # of the monotonic clock (floating point), and the tile would rightly not ask yet.
                clock[0] = first_asked + ASK_EVERY_S + 1.0
                tile.refresh(store.figures, store)
                await until_signal(wall.timer.timeout, lambda: tile.hot is not first, "the hot spots asked again")
                assert asked == ["analysis.hotspots", "analysis.hotspots"]
            finally:
                wall.stop()
                await feed.close()

    run(qloop, main())
