"""Screenshots of every page of the video wall with made-up figures, offscreen.

    .venv/bin/python tools/wall_gallery.py --lang zh_CN --size 3840x2160 --out-dir docs/screenshots --scale 0.5

Writes wall_<page>_<lang>.png for each page of the layout (default: the shipped one), scaled by
`--scale` for the docs; the figures and cases are `views/wall/sample.py`'s, not a live feed.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402

from backend_client.feed_health import FeedCondition, FeedHealth  # noqa: E402
from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.workstation import Appearance  # noqa: E402
from hub.org.geography import shipped  # noqa: E402
from protocol import CaseCreated  # noqa: E402
from views.wall.layout import DEFAULT_LAYOUT, load_layout  # noqa: E402
from views.wall.sample import sample_cases, sample_figures  # noqa: E402
from views.wall.wall_window import WallWindow  # noqa: E402

NOW = datetime(2026, 12, 4, 7, 42, 10, tzinfo=UTC)  # 15:42 in Shanghai, a Friday


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--size", default="3840x2160")
    parser.add_argument("--layout", type=Path, default=DEFAULT_LAYOUT)
    parser.add_argument("--out-dir", type=Path, default=Path("screenshots-tmp"))
    parser.add_argument("--scale", type=float, default=0.5, help="scale of the written PNGs")
    parser.add_argument("--stale", action="store_true", help="also grab the stale overlay")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    prepare_application(Appearance(language=args.lang, theme="dark"))
    layout = load_layout(args.layout)
    store = CaseStore()
    store.geography = shipped()  # the hub's map, as it would send it
    for seq, case in enumerate(sample_cases(2_000, NOW, store.geography), 1):
        store.apply(CaseCreated(seq=seq, ts=NOW, data=case))
    store.figures = sample_figures(NOW, store.geography, seq=store.last_seq)
    store.figures_version += 1
    condition = [FeedCondition.LIVE]
    settings = QSettings(str(args.out_dir / "wall-gallery.ini"), QSettings.Format.IniFormat)
    window = WallWindow(store, layout, lambda: FeedHealth(condition[0], 240.0 if condition[0] is not
                                                          FeedCondition.LIVE else 0.4),
                        centre=None or "", px_per_mm=width / layout.settings.width_mm if layout.settings.width_mm
                        else 1.0, settings=settings, now=NOW.timestamp)
    window.resize(width, height)
    window.show()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    names = ["overview", "intake", "rankings", "page4", "page5", "page6"]
    for index in range(len(layout.pages)):
        window.show_page(index)
        window.tick()
        _save(window, args.out_dir / f"wall_{names[index]}_{args.lang}.png", args.scale)
    if args.stale:
        condition[0] = FeedCondition.DOWN
        window.tick()
        _save(window, args.out_dir / f"wall_stale_{args.lang}.png", args.scale)
    window.stop()
    return 0


def _save(window: WallWindow, path: Path, scale: float) -> None:
    image = window.grab().toImage()
    if scale != 1.0:
        image = image.scaledToWidth(round(image.width() * scale), Qt.TransformationMode.SmoothTransformation)
    image.save(str(path))
    print(path)


if __name__ == "__main__":
    sys.exit(main())
