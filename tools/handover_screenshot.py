"""Screenshot of a shift handover being taken over, offscreen, on made-up events.

    .venv/bin/python tools/handover_screenshot.py --lang en --out docs/screenshots/handover_en.png

The evening officer (wang.li) handed over with a note: two overdue cases, one awaiting
arbitration, an alert and a refused command. The incoming officer (zhang.qiang) has
acknowledged the first two; the take-over panel lies over the duty window, whose status bar
shows today's front-desk unit and the handover's state. No hub: the events go into the store.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.main_window import MainWindow  # noqa: E402
from protocol import (  # noqa: E402
    Case,
    CaseCreated,
    CaseFlag,
    CaseStatus,
    Channel,
    HandoverAck,
    HandoverItem,
    HandoverItemKind,
    HandoverItemRef,
    Role,
    RotaChanged,
    RotaDay,
    ShiftHandoverAcknowledged,
    SlaLevel,
    Unit,
    UnitChanged,
    UnitKind,
)
from protocol.events import Timer  # noqa: E402
from protocol.shift import Handover, ShiftHandedOver  # noqa: E402
from views.handover.panel import today_in_centre  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)
CASES = [  # serial, category (en, zh), street, unit, level, flags
    ("MH2026-004127", ("Waterlogged road", "道路积水"), "江川路街道", "区水务局", SlaLevel.RED, []),
    ("MH2026-004133", ("Broken street light", "路灯损坏"), "古美路街道", "区绿化市容局", SlaLevel.RED, []),
    ("MH2026-004150", ("Garbage piled up", "垃圾堆放"), "莘庄镇", "", SlaLevel.ORANGE, [CaseFlag.ARBITRATION]),
]


class DemoFeed:
    """What the window reads of a feed, set by hand (no hub in this picture)."""

    url = "ws://127.0.0.1:8765/feed"
    state_detail = ""
    role = Role.DUTY
    user = "zhang.qiang"
    last_event_monotonic = None
    server_skew_s = 0.0
    retry_at_monotonic = None
    welcome = None

    def __init__(self) -> None:
        from backend_client.session import ConnectionState

        self.state = ConnectionState.LIVE

    def add_listener(self, callback: object) -> None:
        pass

    def remove_listener(self, callback: object) -> None:
        pass


def make_case(n: int) -> Case:
    serial, (en, zh), street, unit, level, flags = CASES[n]
    start = NOW - timedelta(days=3)
    overall = Timer(started_at=start, due_at=NOW - timedelta(hours=2 - n), yellow_at=start + timedelta(hours=20),
                    orange_at=start + timedelta(hours=40))
    return Case(id=f"c{n}", serial=serial, version=4, status=CaseStatus.REGISTERED if flags else CaseStatus.HANDLING,
                received_at=start, updated_at=NOW - timedelta(hours=1), channel=Channel.HOTLINE_12345,
                category_code=f"0{n}001", category_zh=zh, category_en=en, street_code="310112001", street_name=street,
                address="", description="d", lon=121.38, lat=31.1, overall=overall, unit_id=f"U{n}" if unit else None,
                unit_name=unit or None, level=level, flags=flags, returns=2 if flags else 0)


def evening(store: CaseStore, language: str) -> None:
    seq = itertools.count(1)
    for n in range(len(CASES)):
        store.apply(CaseCreated(seq=next(seq), ts=NOW - timedelta(days=3), data=make_case(n)))
    store.apply(UnitChanged(seq=next(seq), ts=NOW - timedelta(days=30), data=Unit(
        id="M-GD", name="闵行燃气公司", kind=UnitKind.MEMBER, parent_id="MH")))
    store.apply(RotaChanged(seq=next(seq), ts=NOW - timedelta(days=1), data=RotaDay(
        date=today_in_centre(NOW), front_desk_unit_id="M-GD", staff=["王伟", "李娜", "张强"])))
    zh = language.startswith("zh")

    def text(n: int) -> str:
        serial, (en, cn), street, unit, _, _ = CASES[n]
        return " · ".join(p for p in (serial, cn if zh else en, street, unit) if p)

    at = NOW - timedelta(minutes=25)
    handover = Handover(
        id="H4212", by="wang.li", at=at, to="夜班 张强" if zh else "night shift, Zhang Qiang",
        note=("台风预警已发布，江川路积水点请每小时跟进" if zh
              else "Typhoon warning out: follow the Jiangchuan Rd flooding hourly"),
        open_by_status={"handling": 31, "registered": 6, "dispatched": 12}, red_case_ids=["c0", "c1"],
        items=[HandoverItem(kind=HandoverItemKind.RED_CASE, ref="c0", text=text(0)),
               HandoverItem(kind=HandoverItemKind.RED_CASE, ref="c1", text=text(1)),
               HandoverItem(kind=HandoverItemKind.ARBITRATION, ref="c2", text=text(2)),
               HandoverItem(kind=HandoverItemKind.ALERT, ref="supervision/supervise/c1",
                            text=("MH2026-004133 由 zhao.chief 督办：请今日办结" if zh
                                  else "MH2026-004133 supervised by zhao.chief: 请今日办结")),
               HandoverItem(kind=HandoverItemKind.REFUSED_COMMAND, ref="case.dispatch/c2",
                            text=("case.dispatch MH2026-004150：案件两次退单，待仲裁" if zh
                                  else "case.dispatch on MH2026-004150: case awaits arbitration (returned twice)"))])
    store.apply(ShiftHandedOver(seq=next(seq), ts=at, data=handover))
    store.apply(ShiftHandoverAcknowledged(seq=next(seq), ts=NOW - timedelta(minutes=8), data=HandoverAck(
        handover_id="H4212", items=[HandoverItemRef(kind=HandoverItemKind.RED_CASE, ref="c0"),
                                    HandoverItemRef(kind=HandoverItemKind.RED_CASE, ref="c1")],
        by="zhang.qiang", role=Role.DUTY, at=NOW - timedelta(minutes=8))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", default="1600x900")
    args = parser.parse_args(argv)
    prepare_application(args.lang)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    store = CaseStore()
    window = MainWindow(store, DemoFeed(), language=args.lang)  # type: ignore[arg-type]
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    for _ in range(2):  # the window sizes its docks once shown
        QApplication.processEvents()
    evening(store, args.lang)
    window.model.refresh()
    window.sidebar.refresh()
    window.status.refresh()
    window.handover.refresh()
    panel = window.handover.open_takeover()
    panel.resize(900, 420)
    item = panel.tree.topLevelItem(2)
    if item is not None:
        item.setSelected(True)
    for _ in range(3):  # the panel and the status bar lay out their texts
        QApplication.processEvents()
    image = window.grab().toImage()
    painter = QPainter(image)
    corner = QPoint((width - panel.width()) // 2, (height - panel.height()) // 3)
    painter.drawPixmap(corner, panel.grab())
    painter.setPen(QColor("#8a8f98"))  # offscreen windows have no frame: draw the dialog's edge
    painter.drawRect(corner.x() - 1, corner.y() - 1, panel.width() + 1, panel.height() + 1)
    painter.end()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(args.out)):
        raise SystemExit(f"could not write {args.out}")
    print(f"{args.out}: {image.width()}x{image.height()}, {panel.tree.topLevelItemCount()} items")
    window.handover.stop()
    window.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
