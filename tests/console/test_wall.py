"""The video wall offscreen: pages that rotate, pause and come back after a restart, takeovers that
end by themselves, the stale overlay against a hub that goes silent, and every tile with made-up values."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest
import qasync
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.feed_health import FeedCondition, FeedHealth
from backend_client.hub_process import HubProcess
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from hub.org.geography import shipped
from protocol import CaseCreated, LevelChange, SlaLevel, TimerLevelChanged
from tests.console.conftest import run, until_called, until_signal
from views.wall import figures_text as ft
from views.wall.layout import DEFAULT_LAYOUT, WallLayout, load_layout, parse_layout
from views.wall.sample import sample_cases, sample_figures
from views.wall.tiles import BacklogTile, IntakeTile, MapTile, RankingTile, RatesTile, TrendTile
from views.wall.wall_window import WallWindow, arcmin_cap_mm

NOW = datetime(2026, 12, 4, 7, 42, 10, tzinfo=UTC)
GEOGRAPHY = shipped()


class Clock:
    def __init__(self, at: datetime = NOW) -> None:
        self.t = at.timestamp()

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def live() -> FeedHealth:
    return FeedHealth(FeedCondition.LIVE, 0.5)


def filled_store(cases: int = 300) -> CaseStore:
    store = CaseStore()
    store.geography = GEOGRAPHY
    for seq, case in enumerate(sample_cases(cases, NOW, GEOGRAPHY), 1):
        store.apply(CaseCreated(seq=seq, ts=NOW - timedelta(hours=1), data=case))
    store.figures = sample_figures(NOW, GEOGRAPHY, seq=store.last_seq)
    store.figures_version += 1
    return store


def make_wall(qtbot: QtBot, tmp_path: Path, store: CaseStore, clock: Clock, layout: WallLayout | None = None,
              health=live) -> WallWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "wall.ini"), QSettings.Format.IniFormat)
    wall = WallWindow(store, layout or load_layout(), health, px_per_mm=0.5, settings=settings, now=clock)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    return wall


def test_text_is_sized_for_the_farthest_seat() -> None:
    assert arcmin_cap_mm(5.0) == pytest.approx(29.1, abs=0.1), "ISO 11064: ~29 mm capitals at 5 m"
    assert arcmin_cap_mm(10.0) == pytest.approx(2 * arcmin_cap_mm(5.0))


def test_pages_rotate_pause_and_come_back_where_they_were_after_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    clock = Clock()
    store = filled_store()
    wall = make_wall(qtbot, tmp_path, store, clock)
    dwell = [page.dwell_s for page in wall.wall_layout.pages]
    assert wall.index == 0 and "1 / 3" in wall.page_label.text()
    clock.advance(dwell[0] - 1)
    wall.tick()
    assert wall.index == 0, "not before its dwell"
    clock.advance(1)
    with qtbot.waitSignal(wall.page_changed) as changed:
        wall.tick()
    assert changed.args == [1] and wall.stack.currentWidget() is wall.pages[1]
    qtbot.keyClick(wall, Qt.Key.Key_Space)
    assert wall.paused and "paused" in wall.page_label.text()
    clock.advance(dwell[1] * 5)
    wall.tick()
    assert wall.index == 1, "paused: it stays"
    qtbot.keyClick(wall, Qt.Key.Key_Right)
    assert wall.index == 2
    qtbot.keyClick(wall, Qt.Key.Key_Right)
    assert wall.index == 0, "after the last page, the first"
    qtbot.keyClick(wall, Qt.Key.Key_Left)
    assert wall.index == 2
    wall.stop()
    again = make_wall(qtbot, tmp_path, store, clock)
    assert again.index == 2 and again.paused, "restarted: the same page, still paused"


def test_an_urgent_case_takes_the_wall_over_for_a_while_then_rotation_resumes(qtbot: QtBot, tmp_path: Path) -> None:
    clock = Clock()
    store = filled_store()
    wall = make_wall(qtbot, tmp_path, store, clock)
    wall.show_page(1)
    base = sample_cases(1, NOW, GEOGRAPHY, seed=99)[0]
    urgent = msgspec.structs.replace(base, id="u1", serial="MH2026999999", urgent=True)
    old = msgspec.structs.replace(base, id="u0", serial="MH2026999998", urgent=True)
    seq = store.last_seq
    store.apply(CaseCreated(seq=seq + 1, ts=NOW - timedelta(hours=2), data=old))
    assert wall.takeover is None, "an old event (a replay) is history, not news"
    with qtbot.waitSignal(wall.takeover_changed) as started:
        store.apply(CaseCreated(seq=seq + 2, ts=NOW, data=urgent))
    assert started.args == [True] and wall.stack.currentWidget() is wall.takeover_view
    shown = [text for text, _level in wall.takeover_view.lines]
    assert shown[0] == "URGENT CASE" and shown[1].startswith("MH2026999999")
    assert wall.page_label.text() == "URGENT CASE"
    clock.advance(wall.wall_layout.settings.takeover_s - 1)
    wall.tick()
    assert wall.takeover is not None and wall.index == 1, "it holds, and the page does not move under it"
    clock.advance(1)
    with qtbot.waitSignal(wall.takeover_changed) as ended:
        wall.tick()
    assert ended.args == [False] and wall.stack.currentWidget() is wall.pages[1]


def test_a_case_turning_red_in_a_watched_category_takes_over(qtbot: QtBot, tmp_path: Path) -> None:
    text = DEFAULT_LAYOUT.read_text(encoding="utf-8").replace("takeover_categories = []",
                                                               'takeover_categories = ["0101"]')
    clock = Clock()
    store = filled_store()
    wall = make_wall(qtbot, tmp_path, store, clock, parse_layout(text))
    case = next(iter(store.cases()))
    with qtbot.waitSignal(wall.takeover_changed):
        store.apply(TimerLevelChanged(seq=store.last_seq + 1, ts=NOW, data=LevelChange(
            case_id=case.id, kind="overall", level=SlaLevel.RED, previous=SlaLevel.ORANGE)))
    assert wall.takeover is not None and wall.takeover.reason == "CASE OVERDUE"


def test_a_surge_of_intake_takes_over_once(qtbot: QtBot, tmp_path: Path) -> None:
    text = DEFAULT_LAYOUT.read_text(encoding="utf-8").replace("surge_per_10min = 60", "surge_per_10min = 5")
    clock = Clock()
    store = filled_store(10)
    wall = make_wall(qtbot, tmp_path, store, clock, parse_layout(text))
    starts: list[bool] = []
    wall.takeover_changed.connect(starts.append)
    for n, case in enumerate(sample_cases(8, NOW, GEOGRAPHY, seed=5)):
        store.apply(CaseCreated(seq=store.last_seq + 1, ts=NOW, data=msgspec.structs.replace(case, id=f"n{n}")))
    assert starts == [True], "the sixth case in 10 minutes takes over, and the next ones do not again"
    assert wall.takeover is not None and "6 new cases in the last 10 minutes" in wall.takeover.lines[1][0]


def test_every_tile_shows_the_figures_it_is_given(qtbot: QtBot, tmp_path: Path) -> None:
    clock = Clock()
    store = filled_store()
    wall = make_wall(qtbot, tmp_path, store, clock)
    figures = store.figures
    assert figures is not None
    tiles = {}
    for index, page in enumerate(wall.pages):
        wall.show_page(index)
        for tile in page.tiles:
            tiles.setdefault(type(tile), tile)
    intake = tiles[IntakeTile]
    expected = ft.intake(figures)
    assert intake.headline.figures[0].value == f"{expected.today:,}"
    assert "vs same hour yesterday" in intake.headline.figures[0].reference
    assert sum(bar.count for bar in intake.channels.bars) == expected.today
    backlog = tiles[BacklogTile]
    assert [(b.level, b.count) for b in backlog.levels.bars] == [
        (level, figures.open_by_level[level]) for level in ("red", "orange", "yellow", "blue")]
    assert "31 overdue now" in backlog.levels.caption
    rates = tiles[RatesTile]
    assert rates.grid.figures[1].value == ft.percent(figures.month.closed_on_time / figures.month.closed)
    ranking = tiles[RankingTile]
    values = [float(row.value.rstrip(" %")) for row in ranking.table.rows]
    assert values == sorted(values, reverse=True) and len(values) == len(figures.units_month)
    assert "at least 5 closed cases" in ranking.table.rule
    trend = tiles[TrendTile]
    assert [s.name for s in trend.chart.series] == ["received", "closed", "received, day before"]
    assert list(trend.chart.series[0].values) == [ft.received(h) for _, h in ft.last_24(figures)]
    the_map = tiles[MapTile]
    assert the_map.map.credit.startswith("Boundary: Apache ECharts")
    image = wall.grab().toImage()
    colours = {image.pixelColor(x, y).rgb() for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)}
    assert len(colours) > 20, "a real picture, not a blank wall"


def test_a_bad_layout_is_refused_with_its_line_and_field() -> None:
    text = DEFAULT_LAYOUT.read_text(encoding="utf-8").replace('kind = "backlog"', 'kind = "backlogg"')
    with pytest.raises(ValueError, match=r"wall.toml:\d+: page\[1\]\.tile\[2\]\.kind: must be one of") as error:
        parse_layout(text, "wall.toml")
    line = text.splitlines()[error.value.line - 1]  # type: ignore[attr-defined]
    assert "backlogg" in line
    for broken, message in (
        ('[wall]\nlanguage = "fr"\n', r"<layout>:2: wall.language: must be one of en, zh_CN"),
        ("[wall]\nstale_after_s = -1\n[[page]]\ntitle='a'\n[[page.tile]]\nkind='map'\ncol=0\nrow=0\n",
         r"<layout>:2: wall.stale_after_s: must be a number"),
        ("[[page]]\ntitle = 'a'\ncolumns = 2\n[[page.tile]]\nkind = 'map'\ncol = 1\nrow = 0\ncolspan = 2\n",
         r"<layout>:\d+: page\[1\]\.tile\[1\]\.colspan: must be a whole number from 1 to 2|does not fit"),
        ("[[page]]\ntitle = 'a'\n", r"page\[1\]\.tile: a page needs at least one"),
        ("[[page]\n", r"<layout>:1: not valid TOML"),
        ("", r"the layout needs at least one \[\[page\]\]"),
    ):
        with pytest.raises(ValueError, match=message):
            parse_layout(broken)


def test_the_stale_overlay_covers_the_wall_while_the_hub_is_silent_and_clears_on_catch_up(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    text = DEFAULT_LAYOUT.read_text(encoding="utf-8").replace("stale_after_s = 30", "stale_after_s = 1")
    layout = parse_layout(text)

    async def main() -> None:
        async with HubProcess(f"sqlite:///{tmp_path / 'hub.db'}", simulate=True, rate=5.0, account="wall-1",
                              role="wall") as hub:
            assert hub.pid is not None
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store, heartbeat_s=0.2, silent_after_s=1.0)
            settings = QSettings(str(tmp_path / "wall.ini"), QSettings.Format.IniFormat)
            wall = WallWindow(store, layout, feed.health, px_per_mm=0.5, settings=settings)
            qtbot.addWidget(wall)
            wall.resize(1280, 720)
            wall.show()
            wall.timer.setInterval(100)
            maps = [t for page in wall.pages for t in page.tiles if isinstance(t, MapTile)]
            assert maps and all("Waiting for the district's map" in t.map.approximate_note for t in maps)
            await feed.start()
            frozen = False
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
                assert feed.role is not None and feed.role.value == "wall"
                await until_signal(wall.timer.timeout, lambda: store.figures is not None, "the hub's figures")
                await until_signal(wall.timer.timeout, lambda: "seq" in wall.as_of_label.text(), "data as of")
                assert not wall.overlay.isVisible()
                # the map is the hub's: every grid its figures can name, every street it places cases in
                if wall.takeover is not None:  # the simulator's urgent cases take the wall over now and then
                    wall.end_takeover()
                wall.show_page(0)
                tile = next(t for t in wall.pages[0].tiles if isinstance(t, MapTile))
                assert tile.geography is not None and store.geography is not None
                assert tile.geography.area_ids == {g.id for g in store.geography.grids} | {
                    s.code for s in store.geography.streets}
                assert len(store.geography.grids) == len(GEOGRAPHY.grids) and "Apache ECharts" in tile.map.credit
                os.kill(hub.pid, signal.SIGSTOP)
                frozen = True
                await until_signal(wall.stale_changed, lambda: wall.stale, "the stale overlay")
                assert wall.overlay.isVisible() and wall.overlay.text == "DATA NOT CURRENT"
                assert "ago" in wall.overlay.detail
                os.kill(hub.pid, signal.SIGCONT)
                frozen = False
                await until_signal(wall.stale_changed, lambda: not wall.stale, "the overlay gone")
                assert not wall.overlay.isVisible()
            finally:
                if frozen:
                    os.kill(hub.pid, signal.SIGCONT)
                wall.stop()
                wall.close()
                await feed.close()

    run(qloop, main())
