"""What the alerts panel says of its group rows (docs/alarms.md): a flood with its breakdown, an
emergency by name, a shelf with who, why and until when, and an escalated row as escalated."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from backend_client.alerts import DISCIPLINED
from protocol import (
    AlertKind,
    AlertShelf,
    AlertShelved,
    CaseStatus,
    Emergency,
    EmergencyLevel,
    EmergencyStatus,
    EmergencyType,
    Role,
    SlaLevel,
    SupervisionAction,
)
from tests.backend_client.test_alerts import Feed
from tests.console.test_main_window import FakeFeed
from tests.store.store_helpers import T0, case, created
from views.alerts_panel import AlertsPanel
from views.models.case_cells import CENTRE_ZONE

FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)


def desk(unit_id: str | None, cases: int = 60) -> Feed:
    feed = Feed(cases=cases, policy=DISCIPLINED)
    feed.book.set_desk(unit_id)
    return feed


def panel_of(qtbot: QtBot, feed: Feed, tmp_path: Path, now: datetime) -> AlertsPanel:
    panel = AlertsPanel(feed.book, FakeFeed(), settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat),  # type: ignore[arg-type]
                        now=lambda: now)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    return panel


def row_texts(panel: AlertsPanel) -> list[tuple[str, str]]:
    """(alert, state) of each top row, as the operator reads them."""
    model = panel.model
    return [(str(model.index(r, 1).data()), str(model.index(r, 3).data())) for r in range(model.rowCount())]


def test_a_flood_row_says_flood_and_breaks_its_alerts_down_by_key(qtbot: QtBot, tmp_path: Path) -> None:
    unit = desk("U1")
    at = T0
    for n in range(1, 16, 3):  # five rows in 10 minutes: the flood threshold
        unit.supervise(n, SupervisionAction.REMIND, at=at)
        unit.ack([n], AlertKind.SUPERVISION, "remind", at=at)
        at += timedelta(seconds=30)
    for i, n in enumerate(range(16, 60, 3)):
        unit.level(n, SlaLevel.RED, kind="step" if i % 2 else "overall", at=at, previous=SlaLevel.ORANGE)
        at += timedelta(seconds=10)
    panel = panel_of(qtbot, unit, tmp_path, at)
    assert row_texts(panel)[0] == ("Flood: 15 alerts — red (overall limit) 8, red (step limit) 7", "New")
    assert panel.model.rowCount(panel.model.index(0, 0)) == 15, "the flood opens into its cases"


def test_an_emergencys_alerts_are_one_row_named_by_the_emergency(qtbot: QtBot, tmp_path: Path) -> None:
    unit = desk("U1")
    unit.store.set_emergency_state([Emergency(
        id="em1", serial="EM2026-0003", type=EmergencyType.TYPHOON, level=EmergencyLevel.LEVEL_IV,
        title="台风“贝碧嘉”", status=EmergencyStatus.ACTIVE, declared_by="chief", declared_at=T0, updated_at=T0)],
        [], [], [])
    for n in (100, 103, 106):  # received inside its area while it was active
        unit.store.apply(created(next(unit.seq), case(n, status=CaseStatus.DISPATCHED, unit_id="U1",
                                                      emergency_id="em1")))
    unit.level(100, SlaLevel.RED, kind="step", previous=SlaLevel.ORANGE)
    unit.level(103, SlaLevel.RED, kind="step", previous=SlaLevel.ORANGE)
    unit.level(106, SlaLevel.RED, previous=SlaLevel.ORANGE)
    panel = panel_of(qtbot, unit, tmp_path, T0 + timedelta(minutes=1))
    assert row_texts(panel) == [
        ("Emergency EM2026-0003 台风“贝碧嘉”: 3 alerts — red (step limit) 2, red (overall limit) 1", "New")]


def test_a_shelf_row_says_who_shelved_why_and_until_when_greyed_and_silent(qtbot: QtBot, tmp_path: Path) -> None:
    unit = desk("U1")
    until = T0 + timedelta(hours=2)
    unit.store.apply(AlertShelved(seq=next(unit.seq), ts=T0, data=AlertShelf(
        kind=AlertKind.TIMER, key="step.red", unit_id="U1", by="zhou.min", role=Role.DUTY, at=T0, until=until,
        reason="暴雨，人员都在现场")))
    unit.level(1, SlaLevel.RED, kind="step", at=T0 + timedelta(minutes=5), previous=SlaLevel.ORANGE)
    unit.level(4, SlaLevel.RED, kind="step", at=T0 + timedelta(minutes=9), previous=SlaLevel.ORANGE)
    panel = panel_of(qtbot, unit, tmp_path, T0 + timedelta(minutes=10))
    shelf_until = until.astimezone(CENTRE_ZONE).strftime("%H:%M")
    assert row_texts(panel) == [(
        f"Shelved by zhou.min until {shelf_until} (red (step limit)): 暴雨，人员都在现场 — 2 alerts held",
        f"Shelved until {shelf_until}")]
    assert panel.model.index(0, 1).data(FOREGROUND) is not None, "greyed: nothing to do now"
    assert panel.summary.text() == "No unacknowledged alerts" and not panel.flashing


def test_a_critical_row_left_unacknowledged_reads_escalated(qtbot: QtBot, tmp_path: Path) -> None:
    unit = desk("U1")
    unit.level(1, SlaLevel.RED, kind="step", previous=SlaLevel.ORANGE)
    now = [T0 + timedelta(minutes=1)]
    panel = AlertsPanel(unit.book, FakeFeed(), settings=QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat),  # type: ignore[arg-type]
                        now=lambda: now[0])
    qtbot.addWidget(panel)
    panel.refresh()
    assert row_texts(panel)[0][1] == "New"
    for minutes in (2, 7, 17):  # re-sounded after 2, then 5, then 10 more minutes
        now[0] = T0 + timedelta(minutes=minutes)
        assert panel.renotify() == 1
    panel.refresh()
    assert row_texts(panel)[0] == ("MH2026-000001 turned red (step limit) in 莘庄镇",
                                   "Escalated: sounded 4 times, not acknowledged")
