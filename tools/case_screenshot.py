"""Screenshot of the drill-down of one case with a long history, against a real hub, offscreen.

    .venv/bin/python tools/case_screenshot.py --lang zh_CN --out docs/screenshots/case_history_zh_CN.png

An in-process hub (no simulator, its clock under this script's control) and the console's
drill-down panel on it: one noise complaint is taken the long way round through the panel's
own forms (returned twice, designated, arbitrated, paused, an extension refused then approved,
urged, verification failed, the requester not satisfied, reopened, closed, called back), as the
test `test_a_long_story_through_the_drill_down_reaches_the_hub_step_by_step` does. Then the
panel is grabbed with its 23-step timeline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402

from console.app import prepare_application  # noqa: E402
from hub.embedded import EmbeddedHub  # noqa: E402
from tests.console.case_detail_helpers import advance_hub, clock_at, drive_long_history, opened_panel  # noqa: E402


class _NoBot:
    """What `opened_panel` asks of pytest-qt's qtbot: keeping the widget (nothing to do here)."""

    def addWidget(self, _widget: object) -> None:
        pass


async def shoot(args: argparse.Namespace) -> None:
    width, height = (int(v) for v in args.size.lower().split("x"))
    now, clock = clock_at(datetime(2026, 11, 24, 1, 40, tzinfo=UTC))  # 09:40 in Shanghai, a Tuesday
    with tempfile.TemporaryDirectory(prefix="cc-case-shot-") as scratch:
        async with EmbeddedHub(f"sqlite:///{Path(scratch) / 'hub.db'}", simulate=False, clock=clock) as hub, \
                opened_panel(hub, _NoBot(), language=args.lang) as (feed, panel):  # type: ignore[arg-type]
            panel.resize(width, height)
            await drive_long_history(hub, feed, panel, lambda minutes: advance_hub(hub, now, minutes))
            panel.tabs.setCurrentIndex(0)
            panel.refresh()
            for _ in range(3):  # let the layout settle (the top refits after each change)
                await asyncio.sleep(0.05)
            image = panel.grab()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(args.out)):
                raise SystemExit(f"could not write {args.out}")
            print(f"{args.out}: {image.width()}x{image.height()}, {panel.timeline_model.rowCount()} steps")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--out", type=Path, required=True, help="PNG file to write")
    parser.add_argument("--size", default="760x1000", help="panel size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    prepare_application(args.lang)
    qasync.run(shoot(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
