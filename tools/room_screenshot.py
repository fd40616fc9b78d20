"""Screenshots of the emergency room on a typhoon night, offscreen, and of the wall's response takeover.

    .venv/bin/python tools/room_screenshot.py --lang zh_CN --out-dir docs/screenshots

A real hub in this process on a virtual clock, with the simulator playing the units: the
shipped CAP file of Shanghai's orange typhoon signal comes in and a commander confirms it,
which declares a level II typhoon response (its plan gives every unit its tasks); he sends a
directive to all units with a report every 2 hours, and 25 minutes later one to the street
sub-centres; the clock then runs 40 minutes, each simulated unit acknowledging, reporting or
staying silent as it planned. The room (the real `RoomWindow`) shows what came over the feed.
The commander names the lead and co-units, four units check in at the centre (one leaves again),
and the response's pumps, teams, sandbags and trucks are registered with their places; the first
typhoon calls come in inside the area. Writes room_acks_LANG.png, room_tasks_LANG.png,
room_map_LANG.png, room_joint_LANG.png and wall_emergency_LANG.png.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402

from backend_client.connection import FeedConnection  # noqa: E402
from backend_client.session import ConnectionState  # noqa: E402
from backend_client.store import CaseStore  # noqa: E402
from console.app import prepare_application  # noqa: E402
from console.room_window import RoomWindow  # noqa: E402
from hub.embedded import EmbeddedHub  # noqa: E402
from protocol import Role  # noqa: E402
from views.feed_tasks import fetch_org_units  # noqa: E402
from views.wall.layout import load_layout  # noqa: E402
from views.wall.wall_window import Takeover, WallWindow  # noqa: E402

NOW = datetime(2026, 9, 16, 11, 30, tzinfo=UTC)  # 19:30 in Shanghai: the typhoon comes ashore tonight
TEXTS = {
    "en": ("Typhoon Bebinca: level II response", "Enter the typhoon response now: leaders at their posts, "
           "check low-lying areas and report people moved every 2 hours.",
           "Secure billboards, scaffolding and site cranes in your area before 21:00."),
    "zh_CN": ("台风“贝碧嘉”Ⅱ级应急响应", "各单位立即进入防台状态，领导在岗带班，排查低洼地区，每2小时报告转移人数。",
              "21:00前完成辖区户外广告牌、脚手架和工地塔吊的加固或拆除。"),
}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the scene did not come together in time")
        await asyncio.sleep(0.05)


async def play_until(hub: EmbeddedHub, clock: Clock, end: datetime) -> None:
    """Move the virtual clock from one planned answer of a unit to the next, up to `end`."""
    assert hub.driver is not None
    responders = hub.driver.responders
    while (due := responders.next_due()) is not None and due <= end:
        clock.now = max(clock.now, due)
        responders.poke()
        await responders.caught_up(clock.now)
    clock.now = end
    responders.poke()
    await responders.caught_up(end)


JOINT = {
    # lead, co-units; who sits in (unit, person; the last one has left again)
    "units": ("区应急管理局", ["区水务局", "区消防救援支队", "区城管执法局", "区绿化和市容管理局",
                              "公安闵行分局交警支队"]),
    "en": {"people": [("区水务局", "Li Ming, deputy director"), ("区消防救援支队", "Chen Gang, chief of staff"),
                      ("国网闵行供电公司", "Zhao Min, dispatch head"), ("区交通委员会", "Sun Lei, duty officer")],
           "resources": [  # kind, name, quantity, unit, status, place, street (its centre on the map) or None
               ("pump", "Large mobile pump trucks", 4, "区水务局", "deployed", "Xinzhuang interchange underpass",
                "莘庄镇"),
               ("team", "Drainage rescue team", 36, "区水务局", "en_route", "Qibao old town low-lying lanes",
                "七宝镇"),
               ("team", "Fire and rescue squad", 24, "区消防救援支队", "standby", "Jiangchuan station", "江川路街道"),
               ("sandbags", "Sandbags", 12000, "区应急管理局", "deployed", "Pujin riverside embankment", "浦锦街道"),
               ("vehicle", "Tree-clearing trucks", 6, "区绿化和市容管理局", "standby", "Depot, Gumei Road", None)]},
    "zh_CN": {"people": [("区水务局", "李明 副局长"), ("区消防救援支队", "陈刚 参谋长"),
                         ("国网闵行供电公司", "赵敏 调度主任"), ("区交通委员会", "孙磊 值班员")],
              "resources": [
                  ("pump", "大型移动泵车", 4, "区水务局", "deployed", "莘庄立交下穿通道", "莘庄镇"),
                  ("team", "排水抢险队", 36, "区水务局", "en_route", "七宝老街低洼弄堂", "七宝镇"),
                  ("team", "消防救援中队", 24, "区消防救援支队", "standby", "江川路消防站", "江川路街道"),
                  ("sandbags", "沙袋", 12000, "区应急管理局", "deployed", "浦锦黄浦江堤岸", "浦锦街道"),
                  ("vehicle", "倒伏树木清障车", 6, "区绿化和市容管理局", "standby", "古美路车场", None)]},
}


async def joint_response(feed: FeedConnection, store: CaseStore, emergency_id: str, lang: str,
                         command: Callable[[str, dict[str, Any]], Any]) -> None:
    """The response's lead and co-units, the units sitting in at the centre, its resources, and the
    first cases received inside its area (linked to it by the hub)."""
    await fetch_org_units(feed, store)
    ids = {u.name: u.id for u in store.org_units.values()}
    lead, co = JOINT["units"]
    await command("emergency.assign", {"id": emergency_id, "lead_unit_id": ids[lead],
                                       "co_unit_ids": sorted(ids[n] for n in co)})
    texts = JOINT[lang]
    for unit, person in texts["people"]:
        await command("emergency.check_in", {"id": emergency_id, "unit_id": ids[unit], "person": person})
    await command("emergency.check_out", {"id": emergency_id, "unit_id": ids[texts["people"][-1][0]]})
    assert store.geography is not None
    seeds = {s.name: s.seed for s in store.geography.streets}
    for n, (kind, name, quantity, unit, status, place, street) in enumerate(texts["resources"]):
        where = seeds.get(street) if street else None
        await command("resource.set", {"emergency_id": emergency_id, "kind": kind, "name": name,
                                       "quantity": quantity, "unit_id": ids[unit], "status": status, "place": place,
                                       "lon": where[0] + 0.004 * (n % 2) if where else None,
                                       "lat": where[1] - 0.003 * (n % 3) if where else None})
    for n, street in enumerate(sorted(store.geography.streets, key=lambda s: s.code)[:8]):
        category = ("04002", "07003", "01001")[n % 3]  # trees down, billboards, manholes: a typhoon's first calls
        await command("case.create", {"channel": "hotline_12345", "category_code": category,
                                      "street_code": street.code, "description": "台风影响 " + street.name,
                                      "lon": street.seed[0] + 0.002, "lat": street.seed[1] + 0.002})


async def scene(args: argparse.Namespace, folder: Path) -> None:
    clock = Clock(NOW)
    title, first, second = TEXTS[args.lang]
    async with EmbeddedHub(f"sqlite:///{folder / 'hub.db'}", simulate=True, backfill_hours=args.backfill_hours,
                           rate=0.01, seed=args.seed,
                           clock=clock, user="zhang.wei", role=Role.COMMANDER) as hub:
        store = CaseStore()
        feed = FeedConnection(hub.url, hub.token, store)
        window = RoomWindow(store, feed, language=args.lang,
                            settings=QSettings(str(folder / "room.ini"), QSettings.Format.IniFormat))
        window.panel.now = clock  # the hub's virtual time, not the skew measured once at welcome
        window.resize(*(int(v) for v in args.size.split("x")))
        window.show()
        await feed.start()
        await until(lambda: feed.state is ConnectionState.LIVE)

        async def command(name: str, payload: dict[str, Any]) -> dict[str, Any]:
            result = await feed.send_command(name, payload)
            assert result.ok and result.result is not None, result
            return result.result

        cap = ROOT / "resources" / "cap"
        received = await command("warning.receive", {
            "xml": (cap / "shanghai_minhang_typhoon_orange.cap.xml").read_text(encoding="utf-8"),
            "file_name": "shanghai_minhang_typhoon_orange.cap.xml"})
        declared = await command("warning.confirm", {"id": received["id"], "title": title})
        declared["id"] = declared["emergency_id"]
        await command("directive.issue", {"text": first, "emergency_id": declared["id"], "ack_within_min": 15,
                                          "report_every_h": 2, "report_fields": ["people_evacuated", "teams_ready"]})
        await joint_response(feed, store, declared["id"], args.lang, command)
        await play_until(hub, clock, NOW + timedelta(minutes=25))
        await command("directive.issue", {"text": second, "emergency_id": declared["id"], "ack_within_min": 30,
                                          "unit_kind": "street_centre"})
        await play_until(hub, clock, NOW + timedelta(minutes=args.minutes - 5))
        await command("warning.receive", {  # the next signal comes in: it waits for the commander
            "xml": (cap / "shanghai_minhang_rainstorm_yellow.cap.xml").read_text(encoding="utf-8"),
            "file_name": "shanghai_minhang_rainstorm_yellow.cap.xml"})
        await play_until(hub, clock, NOW + timedelta(minutes=args.minutes))
        await until(lambda: store.last_seq >= hub.hub.head_seq)
        window.panel.redraw(force=True)
        window._refresh()
        panel = window.panel
        reporting = next((i for i, unit in enumerate(panel.ack_model.row_ids())
                          if (r := store.receipts.get(f"{panel.ack_model.column_ids()[0]}/{unit}")) and r.reports), 0)
        panel.ack_view.setCurrentIndex(panel.ack_model.index(reporting, 0))
        panel.warnings.setCurrentRow(0)
        await asyncio.sleep(0.3)
        out = Path(args.out_dir)
        window.grab().save(str(out / f"room_acks_{args.lang}.png"))
        window.panel.tabs.setCurrentIndex(1)
        await asyncio.sleep(0.3)
        window.grab().save(str(out / f"room_tasks_{args.lang}.png"))
        window.panel.tabs.setCurrentWidget(window.panel.map_tab)
        await asyncio.sleep(0.3)
        window.grab().save(str(out / f"room_map_{args.lang}.png"))
        window.panel.tabs.setCurrentWidget(window.panel.joint_tab)
        window.panel.joint_tab.resource_view.selectRow(0)
        await asyncio.sleep(0.3)
        window.grab().save(str(out / f"room_joint_{args.lang}.png"))

        layout = load_layout()
        wall = WallWindow(store, layout, feed.health, px_per_mm=3840 / (layout.settings.width_mm or 3840),
                          settings=QSettings(str(folder / "wall.ini"), QSettings.Format.IniFormat),
                          now=lambda: clock.now.timestamp())
        wall.resize(3840, 2160)
        wall.show()
        first_id = sorted(store.directives)[0]
        wall.start_takeover(Takeover("EMERGENCY RESPONSE", (), emergency=True, directive_id=first_id))
        wall.tick()
        await asyncio.sleep(0.3)
        image = wall.grab().toImage().scaledToWidth(round(3840 * args.wall_scale),
                                                    Qt.TransformationMode.SmoothTransformation)
        image.save(str(out / f"wall_emergency_{args.lang}.png"))
        wall.stop()
        wall.close()
        window.close()
        await feed.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["en", "zh_CN"], default="en")
    parser.add_argument("--size", default="1600x900")
    parser.add_argument("--wall-scale", type=float, default=0.5, help="the wall's 3840×2160 scaled by this")
    parser.add_argument("--seed", type=int, default=11, help="the simulated units' seed")
    parser.add_argument("--minutes", type=float, default=150, help="how long the night runs before the pictures")
    parser.add_argument("--backfill-hours", type=float, default=6,
                        help="hours of the centre's cases before the night starts (open ones show on the map)")
    parser.add_argument("--out-dir", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    prepare_application(args.lang)
    with tempfile.TemporaryDirectory(prefix="cc-room-shot-") as folder:
        qasync.run(scene(args, Path(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
