"""The supervisor's alarm figures: lines per officer per 10 minutes, windows in flood, alerts left
unacknowledged over 30 minutes and the most frequent alerts, as the supervision desk shows them."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from protocol import AlertKind, Role
from tests.backend_client.test_alerts import Feed
from tests.store.store_helpers import T0
from views.supervision.alarm_tile import AlarmTile
from views.supervision.desk_panel import SupervisionPanel


class Desk:
    role = Role.SUPERVISOR

    async def send_command(self, name: str, args: object, *, command_id: str | None = None) -> object:
        raise ConnectionError("offline")


def test_the_tile_shows_the_centres_alarm_load_since_the_desk_opened(qtbot: QtBot) -> None:
    feed = Feed(cases=40)
    now = [T0]
    tile = AlarmTile(feed.store, now=lambda: now[0])
    qtbot.addWidget(tile)
    assert tile.bad_actors.item(0).text() == "No alerts yet"
    for i, n in enumerate((3, 6, 9)):  # three cases returned a second time: the centre arbitrates
        feed.ret(n, returns=2, at=T0 + timedelta(minutes=15 * i))
        if i:
            feed.ack([n], AlertKind.RETURNED, "return.2", at=T0 + timedelta(minutes=15 * i + 2))
    now[0] = T0 + timedelta(hours=1)
    tile.refresh()
    assert tile.rate.text() == "0.5 (target ≤ 1, manageable ≤ 2)", "3 lines in six 10-minute windows"
    assert tile.flood.text() == "0 % (target < 1 %)"
    assert tile.stale.text() == "1", "the first, left unacknowledged for an hour"
    assert tile.bad_actors.item(0).text() == "3 × returned again · green-desk"
    at = T0 + timedelta(hours=1)
    for n in range(10, 40):  # 30 more in 8 minutes, each acknowledged at once
        feed.ret(n, returns=2, at=at)
        feed.ack([n], AlertKind.RETURNED, "return.2", at=at)
        at += timedelta(seconds=15)
    now[0] = T0 + timedelta(hours=2)
    tile.refresh()
    assert tile.bad_actors.item(0).text() == "33 × returned again · green-desk"
    assert tile.rate.text().startswith("0.8 "), "9 lines in two hours: the 30 came as 5 rows and one flood row"
    tile.stop()


def test_the_supervision_desk_shows_the_tile_beside_the_units(qtbot: QtBot) -> None:
    feed = Feed(cases=3)
    panel = SupervisionPanel(feed.store, Desk())  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.show()
    assert panel.alarms.isVisible() and panel.alarms.title.text().startswith("Alarm load of the centre's duty desk")
    panel.stop()
    assert not panel.alarms.timer.isActive()
