"""Screenshots of the disciplined alert rows (docs/alarms.md), offscreen, on made-up events.

    .venv/bin/python tools/alarm_discipline_screenshot.py --scene flood --lang en \\
        --out docs/screenshots/alerts_flood_en.png
    .venv/bin/python tools/alarm_discipline_screenshot.py --scene shelved --lang en \\
        --out docs/screenshots/alerts_shelved_en.png

A unit's desk (unit U1) under the console's rules. `flood`: five rows in ten minutes, then two
dozen alerts that join one flood row, opened into its cases. `shelved`: the desk shelved the step
limit's red an hour ago (who, why, until when); the reds since are one greyed shelf row, opened,
while an overall-limit red still alerts on top. No hub: the events go straight into the store.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backend_client.alerts import DISCIPLINED, AlertBook  # noqa: E402
from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.main_window import MainWindow  # noqa: E402
from protocol import (  # noqa: E402
    AlertAck,
    AlertAcknowledged,
    AlertKind,
    AlertShelf,
    AlertShelved,
    CaseCreated,
    LevelChange,
    Role,
    SlaLevel,
    Supervision,
    SupervisionAction,
    SupervisionRecorded,
    TimerLevelChanged,
)
from tools.alerts_screenshot import NOW, DemoFeed, make_case  # noqa: E402

DESK = "U1"
MINE = [n for n in range(1, 161) if n % 4 == 1]
"""The cases of the desk's unit (make_case gives case n to unit U{n % 4})."""


class Events:
    def __init__(self, store: CaseStore) -> None:
        self.store = store
        self.seq = itertools.count(1)
        for n in range(1, 161):
            store.apply(CaseCreated(seq=next(self.seq), ts=NOW - timedelta(hours=30), data=make_case(n)))

    def red(self, n: int, at: datetime, kind: str = "step") -> None:
        self.store.apply(TimerLevelChanged(seq=next(self.seq), ts=at, data=LevelChange(
            case_id=f"c{n:05d}", kind=kind, level=SlaLevel.RED, previous=SlaLevel.ORANGE, unit_id=DESK)))

    def supervise(self, n: int, action: SupervisionAction, at: datetime) -> None:
        self.store.apply(SupervisionRecorded(seq=next(self.seq), ts=at, data=Supervision(
            case_id=f"c{n:05d}", unit_id=DESK, action=action, actor="zhao.chief", note="请今日办结")))

    def ack(self, n: int, kind: AlertKind, key: str, at: datetime) -> None:
        self.store.apply(AlertAcknowledged(seq=next(self.seq), ts=at, data=AlertAck(
            case_ids=[f"c{n:05d}"], kind=kind, key=key, by="wang.li", role=Role.DUTY, at=at, comment="已电话催办")))


def flood(events: Events) -> None:
    at = NOW - timedelta(minutes=9)
    for n in MINE[:5]:  # five rows in ten minutes, each acknowledged: the flood threshold
        events.supervise(n, SupervisionAction.REMIND, at)
        events.ack(n, AlertKind.SUPERVISION, "remind", at + timedelta(seconds=40))
        at += timedelta(seconds=50)
    for i, n in enumerate(MINE[5:29]):
        if i % 8 == 7:
            events.supervise(n, SupervisionAction.URGE, at)
        else:
            events.red(n, at, kind="overall" if i % 3 == 0 else "step")
        at += timedelta(seconds=12)


def shelved(events: Events) -> None:
    at = NOW - timedelta(minutes=50)
    events.store.apply(AlertShelved(seq=next(events.seq), ts=at, data=AlertShelf(
        kind=AlertKind.TIMER, key="step.red", unit_id=DESK, by="zhou.min", role=Role.DUTY, at=at,
        until=at + timedelta(minutes=120), reason="暴雨积水，全街道人员在现场，签收顺延")))
    for n in MINE[:9]:
        at += timedelta(minutes=5)
        events.red(n, at)
    events.red(MINE[12], NOW - timedelta(minutes=2), kind="overall")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scene", choices=["flood", "shelved"], required=True)
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", default="1600x900")
    args = parser.parse_args(argv)
    prepare_application(args.lang)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    store = CaseStore()
    book = AlertBook(store, policy=DISCIPLINED)
    book.set_desk(DESK)
    window = MainWindow(store, DemoFeed(), language=args.lang, alert_book=book)  # type: ignore[arg-type]
    window.resize(*(int(v) for v in args.size.split("x")))
    window.alerts._now = lambda: NOW + timedelta(minutes=1)
    window.show()
    for _ in range(2):  # the window sizes its docks once shown
        QApplication.processEvents()
    height = window.height()  # the alerts are the subject: give them half the height
    window.resizeDocks([window._queue_dock, window.alerts], [height // 2, height // 2], Qt.Orientation.Vertical)
    events = Events(store)
    (flood if args.scene == "flood" else shelved)(events)
    window.model.refresh()
    window.sidebar.refresh()
    window.status.refresh()
    window.alerts.refresh()
    model, tree = window.alerts.model, window.alerts.tree
    group = next(r for r in range(model.rowCount()) if model.rowCount(model.index(r, 0)) > 1)
    tree.expand(model.index(group, 0))
    tree.setCurrentIndex(model.index(group, 0))
    for _ in range(2):  # the status bar lays out its new texts
        QApplication.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    image = window.grab()
    if not image.save(str(args.out)):
        raise SystemExit(f"could not write {args.out}")
    print(f"{args.out}: {image.width()}x{image.height()}, {model.rowCount()} alert rows")
    window.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
