"""Screenshot of the main window during an alert burst, offscreen, on made-up events.

    .venv/bin/python tools/alerts_screenshot.py --lang en --out docs/screenshots/alerts_burst_en.png

Hundreds of cases turn red at once (one grouped row), a few turn orange, a commander
supervises three cases, two cases are returned (one for the second time), and an earlier
alert is already acknowledged. No hub: the events go straight into the store.
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

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.main_window import MainWindow  # noqa: E402
from protocol import (  # noqa: E402
    AlertAck,
    AlertAcknowledged,
    AlertKind,
    Case,
    CaseCreated,
    CaseFlag,
    CasePatch,
    CaseStatus,
    CaseUpdated,
    Channel,
    LevelChange,
    Role,
    SlaLevel,
    Supervision,
    SupervisionAction,
    SupervisionRecorded,
    TimerLevelChanged,
    Trace,
)
from protocol.events import Timer  # noqa: E402

STREETS = [("310112102", "莘庄镇"), ("310112001", "江川路街道"), ("310112006", "古美路街道"),
           ("310112008", "新虹街道"), ("310112009", "浦锦街道"), ("310112103", "七宝镇"), ("310112106", "梅陇镇")]
CATEGORIES = [("Noise at night", "夜间施工噪音"), ("Illegal parking", "违章停车"), ("Garbage piled up", "垃圾堆放"),
              ("Broken street light", "路灯损坏"), ("Blocked drain", "下水道堵塞")]
NOW = datetime(2026, 11, 24, 1, 40, tzinfo=UTC)


class DemoFeed:
    """What the window reads of a feed, set by hand (no hub in this picture)."""

    url = "ws://127.0.0.1:8765/feed"
    state_detail = ""
    role = Role.DUTY
    user = "wang.li"
    last_event_monotonic = None
    server_skew_s = 0.0
    retry_at_monotonic = None

    def __init__(self) -> None:
        from backend_client.session import ConnectionState

        self.state = ConnectionState.LIVE

    def add_listener(self, callback: object) -> None:
        pass

    def remove_listener(self, callback: object) -> None:
        pass


def make_case(n: int) -> Case:
    street_code, street = STREETS[0] if n % 3 == 0 else STREETS[n % len(STREETS)]
    en, zh = CATEGORIES[n % len(CATEGORIES)]
    start = NOW - timedelta(hours=30)
    overall = Timer(started_at=start, due_at=NOW - timedelta(minutes=1), yellow_at=start + timedelta(hours=15),
                    orange_at=start + timedelta(hours=24))
    return Case(id=f"c{n:05d}", serial=f"MH2026-{n:06d}", version=3, status=CaseStatus.DISPATCHED,
                received_at=start, updated_at=start, channel=Channel.HOTLINE_12345, category_code=f"{n % 5:04d}",
                category_zh=zh, category_en=en, street_code=street_code, street_name=street, address="",
                description="d", lon=121.38, lat=31.1, overall=overall, unit_id=f"U{n % 4}",
                unit_name=f"{street}城运分中心", level=SlaLevel.ORANGE,
                history=(Trace(at=start, actor="wang.li", action="dispatch", status=CaseStatus.DISPATCHED,
                               unit_id=f"U{n % 4}"),))


def burst(store: CaseStore) -> None:
    seq = itertools.count(1)
    for n in range(1, 421):
        store.apply(CaseCreated(seq=next(seq), ts=NOW - timedelta(hours=30), data=make_case(n)))

    def level(n: int, lvl: SlaLevel, at: datetime, kind: str = "overall") -> None:
        previous = SlaLevel.ORANGE if lvl is SlaLevel.RED else SlaLevel.YELLOW
        store.apply(TimerLevelChanged(seq=next(seq), ts=at, data=LevelChange(
            case_id=f"c{n:05d}", kind=kind, level=lvl, previous=previous, unit_id=f"U{n % 4}")))

    for n in range(401, 406):  # an earlier red, acknowledged by a colleague
        level(n, SlaLevel.RED, NOW - timedelta(minutes=40))
    store.apply(AlertAcknowledged(seq=next(seq), ts=NOW - timedelta(minutes=35), data=AlertAck(
        case_ids=[f"c{n:05d}" for n in range(401, 406)], kind=AlertKind.TIMER, key="overall.red", by="li.na",
        role=Role.DUTY, at=NOW - timedelta(minutes=35), comment="已电话催办，单位称半小时内到场")))
    for n in range(1, 344):
        level(n, SlaLevel.RED, NOW + timedelta(milliseconds=n))
    for n in range(350, 362):
        level(n, SlaLevel.ORANGE, NOW - timedelta(minutes=3), kind="step")
    for n, action in ((370, SupervisionAction.SUPERVISE), (371, SupervisionAction.URGE)):
        store.apply(SupervisionRecorded(seq=next(seq), ts=NOW - timedelta(minutes=6), data=Supervision(
            case_id=f"c{n:05d}", unit_id=f"U{n % 4}", action=action, actor="zhao.chief", note="请今日办结")))
    for n, returns in ((380, 1), (381, 2)):
        trace = Trace(at=NOW, actor="green-desk", action="return", status=CaseStatus.REGISTERED,
                      note="不属本单位职责，应由市容所处理")
        patch = CasePatch(id=f"c{n:05d}", version=3 + returns, updated_at=NOW - timedelta(minutes=2 + n % 2),
                          status=CaseStatus.REGISTERED, unit_id=None, unit_name=None, returns=returns,
                          flags=[CaseFlag.ARBITRATION] if returns == 2 else [], trace=trace, actor="green-desk")
        store.apply(CaseUpdated(seq=next(seq), ts=NOW - timedelta(minutes=2 + n % 2), data=patch))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", default="1600x900")
    parser.add_argument("--expand", action="store_true", help="open the largest group")
    args = parser.parse_args(argv)
    prepare_application(args.lang)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    store = CaseStore()
    window = MainWindow(store, DemoFeed(), language=args.lang)  # type: ignore[arg-type]
    window.resize(*(int(v) for v in args.size.split("x")))
    window.alerts._now = lambda: NOW + timedelta(minutes=1)
    window.show()
    for _ in range(2):  # the window sizes its docks once shown
        QApplication.processEvents()
    burst(store)
    window.model.refresh()
    window.sidebar.refresh()
    window.status.refresh()
    window.alerts.refresh()
    if args.expand:
        window.alerts.tree.expand(window.alerts.model.index(0, 0))
    window.alerts.tree.setCurrentIndex(window.alerts.model.index(0, 0))
    for _ in range(2):  # the status bar lays out its new texts
        QApplication.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    image = window.grab()
    if not image.save(str(args.out)):
        raise SystemExit(f"could not write {args.out}")
    print(f"{args.out}: {image.width()}x{image.height()}, {window.alerts.model.rowCount()} alert rows")
    window.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
