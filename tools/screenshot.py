"""Screenshot of the console on a live demo feed, offscreen.

    .venv/bin/python tools/screenshot.py --lang zh_CN --out docs/screenshots/queue_zh_CN.png
    .venv/bin/python tools/screenshot.py --desk S310112001 --out docs/screenshots/unit_desk_en.png
    .venv/bin/python tools/screenshot.py --analysis --out docs/screenshots/analysis_en.png
    .venv/bin/python tools/screenshot.py --analysis --import resources/data/service_requests/nyc_311_sample.csv \
        --mapping resources/data/service_requests/nyc.toml --out nyc_hot_spots_en.png

Starts the demo's hub process with the simulator and the console's main window connected to it
(offscreen unless QT_QPA_PLATFORM says otherwise), waits until the feed is live and the
queue holds at least `--min-rows` cases, then saves a grab of the window.
Chinese is drawn with the font the console ships (resources/fonts). With `--desk UNIT` the
window is that unit's desk (an account scoped to it) and a commander has sent it a directive,
so its Orders panel is shown with what waits. With `--analysis` the hub runs without the simulator
on nine weeks of seeded cases with two planted surges (tools/analysis_screenshot.py), and the grab
is of the analysis view (Ctrl+Shift+A) with its first hot spot selected; with `--import FILE
--mapping MAP` as well, the hub serves that file imported (`python -m hub import`) instead.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402

from backend_client.connection import FeedConnection  # noqa: E402
from backend_client.hub_process import HubProcess  # noqa: E402
from backend_client.session import ConnectionState  # noqa: E402
from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.fonts import cjk_family  # noqa: E402
from console.main_window import MainWindow  # noqa: E402
from hub.auth import add_user  # noqa: E402
from protocol import Role  # noqa: E402

WAIT_S = 60.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--out", type=Path, required=True, help="PNG file to write")
    parser.add_argument("--min-rows", type=int, default=50, help="cases in the queue before the grab")
    parser.add_argument("--rate", type=float, default=20.0, help="simulator rate multiplier")
    parser.add_argument("--size", default="1440x860", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--desk", metavar="UNIT", help="show this unit's desk (e.g. S310112001) with a directive")
    parser.add_argument("--analysis", action="store_true", help="the analysis view over seeded weeks of cases")
    parser.add_argument("--tab", type=int, default=0,
                        help="with --analysis: 0 hot spots, 1 recurring, 2 trends, 3 units")
    parser.add_argument("--import", dest="import_file", type=Path, metavar="FILE",
                        help="with --analysis: a 311 file imported instead of the seeded weeks")
    parser.add_argument("--mapping", type=Path, help="with --import: its mapping file")
    return parser.parse_args(argv)


DIRECTIVES = {
    "en": "Heavy rain tonight: check the underpasses and low-lying lanes on your ground and report sandbags placed.",
    "zh_CN": "今夜有强降雨：请排查辖区下立交和低洼弄堂，报告已布放沙袋数量。",
}


async def desk_token(hub: HubProcess, db: str, unit: str, lang: str) -> str:
    """A desk account for `unit`, and a directive to it from a commander (the Orders panel's content)."""
    from sqlalchemy import create_engine

    engine = create_engine(db)
    token, commander = add_user(engine, "desk-shot", Role.DUTY, unit), add_user(engine, "cmd-shot", Role.COMMANDER)
    engine.dispose()
    feed = FeedConnection(hub.url, commander, CaseStore())
    await feed.start()
    try:
        async with asyncio.timeout(WAIT_S):
            while feed.state is not ConnectionState.LIVE:
                await asyncio.sleep(0.1)
        for text, minutes in ((DIRECTIVES[lang], 30),):
            result = await feed.send_command("directive.issue", {"text": text, "unit_ids": [unit],
                                                                 "ack_within_min": minutes,
                                                                 "report_fields": ["sandbags"]})
            if not result.ok:
                raise SystemExit(f"directive refused: {result.error}")
    finally:
        await feed.close()
    return token


async def shoot_analysis(args: argparse.Namespace) -> Path:
    """The analysis view over seeded weeks (no simulator: the picture is the same each time)."""
    from tools.analysis_screenshot import seed_demo

    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="cc-shot-") as scratch:
        db = f"sqlite:///{Path(scratch) / 'hub.db'}"
        if args.import_file is not None:
            if args.mapping is None:
                raise SystemExit("--import needs --mapping")
            subprocess.run([sys.executable, "-m", "hub", "import", str(args.import_file), "--mapping",
                            str(args.mapping), "--rejects", str(Path(scratch) / "rejects.csv"), "--no-progress",
                            "--db", str(Path(scratch) / "hub.db")], check=True, capture_output=True)
        async with HubProcess(db, simulate=False) as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            window = MainWindow(store, feed, language=args.lang)
            window.resize(width, height)
            window.show()
            await feed.start()
            try:
                async with asyncio.timeout(WAIT_S):
                    while feed.state is not ConnectionState.LIVE or store.geography is None:
                        await asyncio.sleep(0.1)  # a tool, not a test: polling is fine here
                if args.import_file is None:
                    categories = {c.code for c in (await _categories(feed))}
                    made = await seed_demo(feed, list(store.geography.grids), categories)
                else:  # live: the snapshot of every imported case is in
                    made = len(store.cases())
                view = window.analysis.open()
                view.resize(width, height)
                async with asyncio.timeout(WAIT_S):
                    while view.hot is None or view.recurring is None or view.trends is None:
                        await asyncio.sleep(0.1)
                view.tabs.setCurrentIndex(args.tab)
                await asyncio.sleep(0.3)
                image = view.grab()
                args.out.parent.mkdir(parents=True, exist_ok=True)
                if not image.save(str(args.out)):
                    raise SystemExit(f"could not write {args.out}")
                print(f"{args.out}: {image.width()}x{image.height()}, {made} cases, "
                      f"{len(view.hot.hotspots)} hot spots, font {cjk_family() or 'without CJK'}")
            finally:
                window.close()
                await feed.close()
    return Path(args.out)


async def _categories(feed: FeedConnection) -> list[Any]:
    from types import SimpleNamespace

    result = await feed.send_command("case.categories", {})
    return [SimpleNamespace(**c) for c in (result.result or {}).get("categories", [])]


async def shoot(args: argparse.Namespace) -> Path:
    if args.analysis:
        return await shoot_analysis(args)
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="cc-shot-") as scratch:
        db = f"sqlite:///{Path(scratch) / 'hub.db'}"
        async with HubProcess(db, simulate=True, rate=args.rate, seed=args.seed) as hub:
            store = CaseStore()
            token = await desk_token(hub, db, args.desk, args.lang) if args.desk else hub.token
            feed = FeedConnection(hub.url, token, store)
            window = MainWindow(store, feed, language=args.lang)
            window.resize(width, height)
            window.show()
            await feed.start()
            try:
                async with asyncio.timeout(WAIT_S):
                    while feed.state is not ConnectionState.LIVE or window.model.rowCount() < args.min_rows:
                        await asyncio.sleep(0.1)  # a tool, not a test: polling is fine here
                    await asyncio.sleep(1.2)  # one countdown tick and a fresh "last event" age
                if args.desk:
                    while window.orders.directives.rowCount() == 0 or args.desk not in store.org_units:
                        await asyncio.sleep(0.1)
                    window.orders.directives.selectRow(0)
                window.queue.selectRow(2)
                await asyncio.sleep(0.3)  # the case dock draws the case and refits its top
                if args.desk:
                    window.orders_dock.raise_()
                    await asyncio.sleep(1.1)  # the title names the unit at the next tick
                window.queue.scrollToTop()  # the selection follows its case: it may have moved meanwhile
                window.queue.selectRow(2)
                await asyncio.sleep(0.05)
                window.model.tick()
                window.status.refresh()
                image = window.grab()
                args.out.parent.mkdir(parents=True, exist_ok=True)
                if not image.save(str(args.out)):
                    raise SystemExit(f"could not write {args.out}")
                print(f"{args.out}: {image.width()}x{image.height()}, {window.model.rowCount()} cases, "
                      f"font {cjk_family() or 'without CJK'}")
            finally:
                window.close()
                await feed.close()
    return Path(args.out)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    prepare_application(args.lang)
    qasync.run(shoot(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
