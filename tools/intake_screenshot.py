"""Screenshot of the intake desk with a call half taken and similar open cases beside it, offscreen.

    .venv/bin/python tools/intake_screenshot.py --lang zh_CN --out docs/screenshots/intake_zh_CN.png

A real hub (in this process, no simulator) holds three open cases about litter bins near
永德路 (one already dispatched) and one about noise; the duty window's intake dock is opened
(F2) and a call about a broken litter bin is typed: category by the pinyin `ljt`, placed by a
click on the map. The desk shows where the hub places it, the unit its rules suggest and why,
and the two similar cases with their merge keys.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from backend_client.connection import FeedConnection  # noqa: E402
from backend_client.session import ConnectionState  # noqa: E402
from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.main_window import MainWindow  # noqa: E402
from hub.embedded import EmbeddedHub  # noqa: E402

POINT = (121.4132, 31.0181)
EARLIER = [
    ("grid_patrol", "03005", "垃圾箱破损，箱盖缺失", "永德路 188 弄 门口", 0.0008, 0.0004, True),
    ("hotline_12345", "03005", "垃圾箱被车撞倒，垃圾外溢", "永德路 200 号", 0.0035, 0.0012, False),
    ("app", "06028", "夜间施工噪声扰民", "永德路 188 弄", 0.0, 0.0, False),
    ("hotline_12345", "03005", "垃圾箱异味", "昆阳路 1000 号", 0.03, 0.02, False),
]


async def until(condition: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit("the scene did not come together in time")
        await asyncio.sleep(0.05)


async def scene(args: argparse.Namespace, folder: Path) -> None:
    async with EmbeddedHub(f"sqlite:///{folder / 'hub.db'}", simulate=False, user="wang.li") as hub:
        store = CaseStore()
        feed = FeedConnection(hub.url, hub.token, store)
        window = MainWindow(store, feed, language=args.lang)
        window.resize(1600, 900)
        window.show()
        await feed.start()
        try:
            await until(lambda: feed.state is ConnectionState.LIVE and store.geography is not None)
            for channel, code, text, address, dlon, dlat, dispatch in EARLIER:
                created = await feed.send_command("case.create", {
                    "channel": channel, "category_code": code, "street_code": "310112001", "description": text,
                    "address": address, "lon": POINT[0] + dlon, "lat": POINT[1] + dlat,
                    "requester_phone": "139 1234 8765"})
                assert created.ok and created.result is not None, created.error
                if dispatch:
                    case_id = created.result["id"]
                    await feed.send_command("case.register", {"id": case_id})
                    await feed.send_command("case.dispatch", {"id": case_id, "unit_id": "B-LH"})
            await until(lambda: len(store) == len(EARLIER) and any(c.unit_id for c in store.cases()))
            dock = window.intake_dock
            dock.setFloating(True)
            dock.resize(*(int(v) for v in args.size.split("x")))
            dock.open_desk()
            desk = dock.desk
            await until(lambda: desk.catalog_from_hub)
            QTest.keyClicks(desk.fields.phone, "138 0013 5678")
            QTest.keyClicks(desk.fields.category.line, "ljt")
            QTest.keyClick(desk.fields.category.line, Qt.Key.Key_Return)
            desk.fields.address.setText("永德路 188 弄 3 号门")
            desk.fields.description.setPlainText("小区门口垃圾箱被撞坏，垃圾散落一地，来电人要求尽快清理")
            desk.place_at(*POINT)
            await until(lambda: desk.place is not None and desk.routing is not None and len(desk.similar) == 2)
            desk.fields.description.setFocus()
            for _ in range(4):
                await asyncio.sleep(0.05)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            image = dock.grab()
            if not image.save(str(args.out)):
                raise SystemExit(f"could not write {args.out}")
            print(f"{args.out}: {image.width()}x{image.height()}; similar: {[s.case.serial for s in desk.similar]}; "
                  f"suggested: {desk.routing.unit_name if desk.routing else None}")
        finally:
            window.stop()
            await feed.close()
            window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", default="1360x820")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cc-intake-shot-") as tmp:
        prepare_application(args.lang)
        qasync.run(scene(args, Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
