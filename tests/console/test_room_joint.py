"""The emergency room's map and joint response on a real hub: the area and the cases inside it,
the lead and co-units, the units sitting in, the resources; and a task past its deadline reads overdue."""

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
            made["later"] = (await command(feed, "case.create", case_fields(  # received inside, during it
                street_code=inside_street.code, lon=inside_street.seed[0] + 0.001, lat=inside_street.seed[1],
                address=inside_street.name)))["id"]
            panel.tabs.setCurrentWidget(panel.map_tab)
            tab = panel.map_tab
            await until_signal(panel._tick.timeout, lambda: panel.current_emergency() is not None
                               and tab.shapes is not None and len(tab.map.points) == 2, "the area's cases on the map")
            emergency = panel.current_emergency()
            assert emergency is not None and emergency.id == declared.get("id", declared.get("emergency_id"))
            serials = {store.get(case_id).serial: name for name, case_id in made.items()}  # type: ignore[union-attr]
            drawn = {p.label for p in tab.map.points}
            assert {serials[s] for s in drawn} == {"inside", "later"}, "only the cases inside the area are drawn"
            assert {c.id for c in tab.inside} == {made["inside"], made["later"]}
            point = next(p for p in tab.map.points if serials[p.label] == "inside")
            assert point.level == "blue" and (point.lon, point.lat) == tuple(inside_street.seed)
            assert tab.shapes is not None and not tab.shapes.whole_district and len(tab.shapes.rings) == 1
            grids = {g.id: g.street_code for g in store.geography.grids}
            assert tab.shapes.grid_ids and {grids[g] for g in tab.shapes.grid_ids} == {inside_street.code}
            assert tab.map.cell_count == len(tab.shapes.grid_ids)
            legend = [e.symbol for e in tab.map.legend]
            assert legend[:2] == ["area", "cell"] and {"blue", "yellow", "orange", "red"} <= set(legend)
            assert store.geography.boundary_source in tab.map.caption, "the map credits its boundary's source"
            assert tab.counts.text().startswith("2 open cases inside the area (■ red 0 · ▲ orange 0")
            assert "1 cases linked to the response" in tab.counts.text(), "only the one received during it"

    run(qloop, main())


def test_the_commander_assigns_checks_units_in_and_out_and_keeps_the_resources_from_the_joint_response_tab(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QAbstractItemModelTester
    from shiboken6 import isValid

    from views.emergency.joint_dialogs import AssignDialog, CheckInDialog, ResourceDialog

    async def main() -> None:
        async with room(tmp_path, qtbot) as (_hub, feed, panel):
            store = panel.store
            assert store.geography is not None
            street = sorted(store.geography.streets, key=lambda s: s.code)[0]
            await command(feed, "emergency.declare", {
                "type": "typhoon", "level": "II", "title": "Typhoon Bebinca", "activate_plan": False,
                "area": {"street_codes": [street.code]}})
            tab = panel.joint_tab
            testers = [QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
                       for m in (tab.sitting_model, tab.resource_model)]
            panel.tabs.setCurrentWidget(tab)
            await until_signal(panel._tick.timeout, lambda: tab.emergency is not None and bool(tab.units)
                               and tab.assign_button.isEnabled(), "the emergency and the organisation in the tab")
            emergency = tab.emergency
            assert emergency is not None and "not assigned" in tab.lead.text()
            bureaus = [u for u in tab.units if u.kind.value == "bureau"][:3]
            lead, co = bureaus[0], bureaus[1:]

            assign = tab.open_assign()
            assert isinstance(assign, AssignDialog) and assign.isVisible()
            assert not assign.submit() and "lead unit" in assign.message.text(), "a lead is required"
            assert assign.picker.set_lead(lead.id)
            assign.picker.check_co_unit(lead.id)
            assert not assign.submit() and "cannot also be a co-unit" in assign.message.text()
            assign.picker.check_co_unit(lead.id, False)
            for unit in co:
                assign.picker.check_co_unit(unit.id)
            assert assign.submit()
            await until_signal(panel._tick.timeout, lambda: lead.name in tab.lead.text(), "the lead from the feed")
            assert all(unit.name in tab.lead.text() for unit in co) and "Co-units (2)" in tab.lead.text()
            assert not isValid(assign), "the form closes once the hub accepted"

            check_in = tab.open_check_in()
            assert isinstance(check_in, CheckInDialog)
            check_in.unit_box.setCurrentIndex(check_in.unit_box.findData(lead.id))
            assert not check_in.submit() and "who sits in" in check_in.message.text()
            check_in.person_box.setText("王强 副局长")
            assert check_in.submit()
            await until_signal(panel._tick.timeout, lambda: tab.sitting_model.rowCount() == 1, "the unit sitting in")
            assert tab.sitting_model.data(tab.sitting_model.index(0, 1)) == "王强 副局长"
            assert "sitting in at the centre: 1" in tab.sitting_label.text()
            tab.sitting_view.selectRow(0)
            assert tab.check_out_button.isEnabled() and tab.check_out()
            await until_signal(panel._tick.timeout, lambda: "centre: 0" in tab.sitting_label.text(), "checked out")
            assert tab.sitting_model.rowCount() == 1, "the unit that left stays on the list, muted"
            assert tab.sitting_model.data(tab.sitting_model.index(0, 4)) != "sitting in"

            add = tab.open_resource(None)
            assert isinstance(add, ResourceDialog)
            assert not add.submit() and "Name the resource" in add.message.text()
            add.kind_box.setCurrentIndex(add.kind_box.findData("pump"))
            add.name_box.setText("大型移动泵车")
            add.quantity_box.setValue(4)
            add.unit_box.setCurrentIndex(add.unit_box.findData(lead.id))
            add.status_box.setCurrentIndex(add.status_box.findData("en_route"))
            add.position_box.setText("0, 0")
            assert not add.submit() and "outside the district" in add.message.text()
            add.street_box.setCurrentIndex(1)  # the first street's centre, and its name as the place
            assert add.place_box.text() == sorted(store.geography.streets, key=lambda s: s.code)[0].name
            assert add.submit()
            await until_signal(panel._tick.timeout, lambda: tab.resource_model.rowCount() == 1, "the resource")
            row = [tab.resource_model.data(tab.resource_model.index(0, c)) for c in range(7)]
            assert row[:5] == ["Pumps", "大型移动泵车", "4", lead.name, "on the way"]
            panel.tabs.setCurrentWidget(panel.map_tab)
            await until_signal(panel._tick.timeout, lambda: len(panel.map_tab.map.markers) == 1, "the pump on the map")
            assert panel.map_tab.map.markers[0].text == "大型移动泵车 ×4"
            assert "1 of 1 resources placed on the map" in panel.map_tab.counts.text()

            panel.tabs.setCurrentWidget(tab)
            tab.resource_view.setFocus()
            tab.resource_view.selectRow(0)
            qtbot.keyClick(tab.resource_view, Qt.Key.Key_Return)  # Enter edits the selected resource
            edit = tab.dialog
            assert isinstance(edit, ResourceDialog) and edit.resource is not None
            assert edit.name_box.text() == "大型移动泵车" and edit.quantity_box.value() == 4
            edit.status_box.setCurrentIndex(edit.status_box.findData("deployed"))
            edit.quantity_box.setValue(6)
            assert edit.submit()
            await until_signal(panel._tick.timeout, lambda: tab.resource_model.data(
                tab.resource_model.index(0, 4)) == "deployed", "the change from the feed")
            assert tab.resource_model.data(tab.resource_model.index(0, 2)) == "6"
            assert len(store.resources) == 1, "an edit replaces the resource, it does not add one"
            tab.resource_view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
            assert "Assigned" in panel.history.toPlainText() or "assigned" in panel.history.toPlainText()
            del testers

    run(qloop, main())
