"""The emergency room's map on a real hub (the area and the cases inside it), and a task past its
deadline that reads overdue."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.room_window import RoomWindow
from hub.embedded import EmbeddedHub
from protocol.emergency import EmergencyTask
from protocol.enums import Role, TaskStatus
from protocol.events import Timer
from tests.console.case_detail_helpers import case_fields
from tests.console.conftest import run, until_called, until_signal
from views.emergency.matrices import task_cell
from views.emergency.room_panel import EmergencyRoomPanel

T0 = datetime(2026, 9, 16, 11, 30, tzinfo=UTC)


def _task(status: TaskStatus, due_in_min: float, now: datetime) -> EmergencyTask:
    due = now + timedelta(minutes=due_in_min)
    timer = Timer(started_at=due - timedelta(hours=1), yellow_at=due - timedelta(minutes=30),
                  orange_at=due - timedelta(minutes=12), due_at=due)
    return EmergencyTask(id="T1", emergency_id="EM1", plan_id="typhoon-II", task_key="check", unit_id="U1",
                         unit_name="江川路街道", title_en="Check low-lying areas", title_zh="排查低洼地区",
                         timer=timer, status=status, updated_at=now)


def test_a_task_past_its_deadline_and_not_done_reads_overdue_first_with_the_red_square() -> None:
    cell = task_cell(_task(TaskStatus.IN_PROGRESS, -40, T0), T0)
    assert cell.state == "overdue"
    assert cell.text.startswith("overdue 40 min"), "the verdict first: a narrow column cuts the status, not it"
    assert "in progress" in cell.text
    assert (cell.shape, cell.tone) == ("red", "sla.red"), "the red level's square with '!', not colour alone"
    assert task_cell(_task(TaskStatus.ASSIGNED, 0, T0), T0).state == "overdue", "due now is overdue"
    soon = task_cell(_task(TaskStatus.ACKNOWLEDGED, 5, T0), T0)
    assert soon.state == "acknowledged" and "5 min left" in soon.text and soon.shape == "orange"
    assert task_cell(_task(TaskStatus.DONE, -40, T0), T0).state == "done"


@contextlib.asynccontextmanager
async def room(tmp_path: Path, qtbot: QtBot) -> AsyncIterator[tuple[EmbeddedHub, FeedConnection, EmergencyRoomPanel]]:
    """A real hub (no simulator) with a commander's room connected to it, live, the district's map in."""
    async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, user="zhang.wei",
                           role=Role.COMMANDER) as hub:
        store = CaseStore()
        feed = FeedConnection(hub.url, hub.token, store)
        window = RoomWindow(store, feed, settings=QSettings(str(tmp_path / "room.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        await feed.start()
        try:
            await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE
                               and store.geography is not None, "live, with the district's map")
            yield hub, feed, window.panel
        finally:
            window.close()
            await feed.close()


async def command(feed: FeedConnection, name: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await feed.send_command(name, args)
    assert result.ok and result.result is not None, result
    return result.result


def test_the_map_shows_the_emergencys_area_and_the_open_cases_inside_it_not_those_outside(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with room(tmp_path, qtbot) as (_hub, feed, panel):
            store = panel.store
            assert store.geography is not None
            inside_street, outside_street = sorted(store.geography.streets, key=lambda s: s.code)[:2]
            made: dict[str, str] = {}
            for name, street in (("inside", inside_street), ("outside", outside_street)):
                created = await command(feed, "case.create", case_fields(
                    street_code=street.code, lon=street.seed[0], lat=street.seed[1], address=street.name))
                made[name] = created["id"]
            declared = await command(feed, "emergency.declare", {
                "type": "rainstorm", "level": "III", "title": "Rainstorm over one street",
                "area": {"street_codes": [inside_street.code]}, "activate_plan": False})
            panel.tabs.setCurrentWidget(panel.map_tab)
            tab = panel.map_tab
            await until_signal(panel._tick.timeout, lambda: panel.current_emergency() is not None
                               and tab.shapes is not None and len(tab.map.points) >= 1, "the area's case on the map")
            emergency = panel.current_emergency()
            assert emergency is not None and emergency.id == declared.get("id", declared.get("emergency_id"))
            serials = {store.get(case_id).serial: name for name, case_id in made.items()}  # type: ignore[union-attr]
            drawn = {p.label for p in tab.map.points}
            assert {serials[s] for s in drawn} == {"inside"}, "only the case inside the area is drawn"
            assert {c.id for c in tab.inside} == {made["inside"]}
            point = tab.map.points[0]
            assert point.level == "blue" and (point.lon, point.lat) == tuple(inside_street.seed)
            assert tab.shapes is not None and not tab.shapes.whole_district and len(tab.shapes.rings) == 1
            grids = {g.id: g.street_code for g in store.geography.grids}
            assert tab.shapes.grid_ids and {grids[g] for g in tab.shapes.grid_ids} == {inside_street.code}
            assert tab.map.cell_count == len(tab.shapes.grid_ids)
            legend = [e.symbol for e in tab.map.legend]
            assert legend[:2] == ["area", "cell"] and {"blue", "yellow", "orange", "red"} <= set(legend)
            assert store.geography.boundary_source in tab.map.caption, "the map credits its boundary's source"
            assert tab.counts.text().startswith("1 open cases inside the area (■ red 0 · ▲ orange 0")

    run(qloop, main())

