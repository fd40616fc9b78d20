"""Screenshot of the supervision desk (监督) after two simulated days, offscreen.

    .venv/bin/python tools/supervision_screenshot.py --lang zh_CN --out docs/screenshots/supervision_zh_CN.png

A real hub in this process on a virtual clock, its simulator having played the last two days
(cases received, dispatched, returned, late, reopened; the hub's automatic supervision on the
way). A supervisor's desk (the real `SupervisionWindow`) connects, urges the worst case,
supervises the next with a note and holds the worst unit's orange-and-red pool to account, all
through the desk's own forms; a form to supervise a case returned twice is left open with its
note typed. The picture shows what came over the feed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from backend_client.connection import FeedConnection  # noqa: E402
from backend_client.session import ConnectionState  # noqa: E402
from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.supervision_window import SupervisionWindow  # noqa: E402
from hub.embedded import EmbeddedHub  # noqa: E402
from protocol import Role, SupervisionAction  # noqa: E402
from views.supervision.desk_panel import SupervisionPanel  # noqa: E402
from views.supervision.ladder_form import LadderForm  # noqa: E402

NOW = datetime(2026, 11, 26, 7, 10, tzinfo=UTC)  # Thursday 15:10 at the centre
NOTES = {
    "en": ("Send someone today and report back by 18:00.", "Formal supervision: on site by 10:00 tomorrow, "
           "written report to the centre.", "Three returns this week: the deputy director explains at "
           "Friday's meeting.", "Returned twice: the lead unit settles it with the street by noon tomorrow."),
    "zh_CN": ("请今天派员到场，18:00前反馈。", "督办：明日10:00前到场处置，书面报告中心。",
              "本周退单三次，请分管副局长在周五例会上说明。", "两次退单：牵头单位明日中午前与街道协商处置。"),
}


async def until(condition: Callable[[], bool], seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the scene did not come together in time")
        await asyncio.sleep(0.05)


async def act(panel: SupervisionPanel, form: LadderForm | None, note: str) -> None:
    assert form is not None
    before = panel.record_model.rowCount()
    form.note.setPlainText(note)
    assert form.submit(), form.message.text()
    await until(lambda: panel.form is None and panel.record_model.rowCount() > before)


async def scene(args: argparse.Namespace, folder: Path) -> None:
    urge, supervise, account, open_note = NOTES[args.lang]
    async with EmbeddedHub(f"sqlite:///{folder / 'hub.db'}", simulate=True, backfill_hours=args.hours, rate=0.01,
                           seed=args.seed, clock=lambda: NOW, user="li.jiandu", role=Role.SUPERVISOR) as hub:
        store = CaseStore()
        feed = FeedConnection(hub.url, hub.token, store)
        window = SupervisionWindow(store, feed, language=args.lang,
                                   settings=QSettings(str(folder / "desk.ini"), QSettings.Format.IniFormat))
        window.resize(*(int(v) for v in args.size.split("x")))
        window.show()
        await feed.start()
        timekeeper = hub.hub.timekeeper
        assert timekeeper is not None
        await until(lambda: feed.state is ConnectionState.LIVE)
        quiet_since, head = time.monotonic(), -1
        while time.monotonic() - quiet_since < 1.0:  # the backfill and every level it reached, on the desk
            if hub.hub.head_seq != head or timekeeper.checked_up_to != NOW or store.last_seq < head:
                quiet_since, head = time.monotonic(), hub.hub.head_seq
            await asyncio.sleep(0.05)
        panel = window.panel
        panel.redraw(force=True)
        rows = [panel.cases_model.item(r) for r in range(panel.cases_model.rowCount())]
        if len(rows) < 3 or panel.units_model.rowCount() == 0:
            raise SystemExit(f"only {len(rows)} cases at risk: try more --hours")
        panel.select_case(rows[0].case.id)
        await act(panel, panel.open_form(SupervisionAction.URGE, "case"), urge)
        panel.select_case(rows[1].case.id)
        await act(panel, panel.open_form(SupervisionAction.SUPERVISE, "case"), supervise)
        panel.select_unit(panel.units_model.item(0).unit_id)
        await act(panel, panel.open_form(SupervisionAction.ACCOUNT, "pool"), account)
        rows = [panel.cases_model.item(r) for r in range(panel.cases_model.rowCount())]
        returned = next((r for r in rows if "returned" in r.reasons), rows[-1])
        panel.select_case(returned.case.id)
        form = panel.open_form(SupervisionAction.SUPERVISE, "case")
        assert form is not None
        form.note.setPlainText(open_note)
        panel.select_case(rows[0].case.id)
        window._refresh()
        await asyncio.sleep(0.3)
        window.grab().save(args.out)
        window.close()
        await feed.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--size", default="1600x900")
    parser.add_argument("--hours", type=float, default=48.0, help="hours of simulated history before the picture")
    parser.add_argument("--seed", type=int, default=3, help="the simulator's seed")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "supervision_en.png"))
    args = parser.parse_args()
    prepare_application(args.lang)
    with tempfile.TemporaryDirectory(prefix="cc-supervision-shot-") as folder:
        qasync.run(scene(args, Path(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
