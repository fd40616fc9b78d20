"""Screenshot of the main window with the hub down and the operator's actions waiting, offscreen.

    .venv/bin/python tools/outbox_screenshot.py --lang zh_CN --out docs/screenshots/outbox_down_zh_CN.png

A real hub (child process, simulator on, a few hours of backfill) fills the queue; one
command is refused while it runs (a stale version); then the hub stops and the operator
gives two more, which wait in the outbox. The banner's age is set back to 2 min 13 s so the
picture shows a realistic outage without waiting for one.
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

from backend_client.connection import FeedConnection  # noqa: E402
from backend_client.hub_process import HubProcess  # noqa: E402
from backend_client.outbox import Outbox  # noqa: E402
from backend_client.session import ConnectionState  # noqa: E402
from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.main_window import MainWindow  # noqa: E402
from hub import auth  # noqa: E402
from hub.db import database  # noqa: E402
from protocol import CaseStatus, Role  # noqa: E402

BIN = Path(sys.executable).parent


async def until(condition: object, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit("the scene did not come together in time")
        await asyncio.sleep(0.05)


async def scene(args: argparse.Namespace, folder: Path) -> None:
    db = f"sqlite:///{folder / 'hub.db'}"
    engine = database.open_engine(db)
    database.prepare(engine)
    token = auth.add_user(engine, "wang.li", Role.DUTY)
    engine.dispose()
    hub = HubProcess(db, simulate=True, rate=1.0, seed=5, backfill_hours=3.0)
    await hub.__aenter__()
    store = CaseStore()
    feed = FeedConnection(hub.url, token, store, outbox=Outbox(folder / "outbox.sqlite"))
    window = MainWindow(store, feed, language=args.lang)
    window.resize(*(int(v) for v in args.size.split("x")))
    window.show()
    await feed.start()
    waiting: list[asyncio.Future[object]] = []
    try:
        await until(lambda: feed.state is ConnectionState.LIVE and window.model.rowCount() >= 40)
        window.model.refresh()
        refused = store.get(window.model.case_id(4))
        assert refused is not None
        await feed.send_command("case.register", {"id": refused.id, "version": refused.version - 1})  # stale view
        await hub.__aexit__(None, None, None)
        await until(lambda: feed.state is not ConnectionState.LIVE)
        window.model.refresh()  # the order is still from here on: pick the refused case's neighbours
        row = window.model.row_of(refused.id)
        ids = [window.model.case_id(r) for r in (row - 2, row + 1)]
        for case_id in ids:
            case = store.get(case_id)
            assert case is not None
            if case.status is CaseStatus.RECEIVED:
                command = ("case.register", {"id": case_id, "version": case.version})
            else:
                command = ("case.supervise", {"action": "urge", "ids": [case_id], "note": "请尽快到场"})
            waiting.append(asyncio.ensure_future(feed.send_command(*command)))
        await until(lambda: len(feed.commands.pending()) == 2)
        feed._fresh_since = time.monotonic() - 133  # a 2 min 13 s outage, without waiting for one
        window.model.refresh()
        window._tick()
        window.queue.selectRow(row + 3)
        window.queue.scrollTo(window.model.index(max(0, row - 4), 0), window.queue.ScrollHint.PositionAtTop)
        for _ in range(3):
            await asyncio.sleep(0.05)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        image = window.grab()
        if not image.save(str(args.out)):
            raise SystemExit(f"could not write {args.out}")
        print(f"{args.out}: {image.width()}x{image.height()}; banner: {window.banner.text()}")
        print([(c.name, c.case_id) for c in feed.commands.pending()], list(feed._pending))
        for case_id in (refused.id, *ids):
            index = window.model.index(window.model.row_of(case_id), 5)
            print(f"row {index.row()}: {index.data()!r} — {index.data(3)}")
    finally:
        window.stop()
        await feed.close()
        for future in waiting:
            future.cancel()
        window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", default="1600x900")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cc-outbox-shot-") as tmp:
        folder = Path(tmp)
        prepare_application(args.lang)
        qasync.run(scene(args, folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
