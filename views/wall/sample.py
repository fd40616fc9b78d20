"""Made-up figures and cases for the wall's gallery, its tests and its screenshots (deterministic).

They look like a district's afternoon: intake rising to a mid-morning peak, a few units behind.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF

from protocol import Channel, SlaLevel
from protocol.enums import CaseStatus
from protocol.events import Case
from protocol.messages import AreaFigures, Figures, Geography, GridFigures, HourFigures, Totals
from views.wall.geography import map_geography

ZONE = "Asia/Shanghai"
UNITS = ("区城管执法局", "区绿化市容局", "区建管委", "区房管局", "区生态环境局", "区交警支队", "区水务局",
         "区市场监管局", "莘庄镇城运分中心", "七宝镇城运分中心", "江川路街道城运分中心", "浦江镇城运分中心")
HOURLY = (2, 1, 1, 1, 2, 4, 9, 18, 30, 34, 31, 27, 22, 25, 28, 26, 23, 20, 16, 13, 10, 7, 5, 3)


def sample_figures(now: datetime, geography: Geography, *, seq: int = 48_211, seed: int = 7) -> Figures:
    """Figures over the streets and grids of `geography` (the hub's map)."""
    rng = random.Random(seed)
    zone = ZoneInfo(ZONE)
    local_now = now.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    hours: list[HourFigures] = []
    overdue = 30
    for back in range(191, -1, -1):
        start = local_now - timedelta(hours=back)
        base = HOURLY[start.hour] * (1.1 if start.weekday() < 5 else 0.7)
        total = max(0, round(base * rng.uniform(0.8, 1.2)))
        split = {c.value: 0 for c in Channel}
        for _ in range(total):
            split[rng.choices([c.value for c in Channel], weights=(50, 8, 25, 5, 10, 2))[0]] += 1
        closed = max(0, round(base * rng.uniform(0.7, 1.1)))
        overdue = max(5, overdue + rng.randint(-3, 4))
        hours.append(HourFigures(start=start.astimezone(UTC), received_by_channel=split, closed=closed,
                                 closed_on_time=round(closed * rng.uniform(0.82, 0.97)), overdue=overdue))
    units = []
    for n, name in enumerate(UNITS):
        closed = rng.randint(20, 160)
        rated = rng.randint(5, closed)
        units.append(AreaFigures(id=f"U{n:02d}", name=name, received=closed + rng.randint(0, 40), closed=closed,
                                 closed_on_time=round(closed * rng.uniform(0.7, 0.99)), returned=rng.randint(0, 9),
                                 rated=rated, satisfied=round(rated * rng.uniform(0.75, 0.99)),
                                 open_now=rng.randint(3, 60), overdue_now=rng.randint(0, 12)))
    areas = map_geography(geography).areas
    streets = []
    grids = []
    for area in areas:
        if area.kind == "street":
            closed = rng.randint(40, 300)
            rated = rng.randint(10, closed)
            streets.append(AreaFigures(id=area.id, name=area.name, received=closed + rng.randint(0, 60),
                                       closed=closed, closed_on_time=round(closed * rng.uniform(0.75, 0.98)),
                                       returned=rng.randint(0, 15), rated=rated,
                                       satisfied=round(rated * rng.uniform(0.8, 0.98)),
                                       open_now=rng.randint(10, 120), overdue_now=rng.randint(0, 20)))
        elif rng.random() < 0.55:
            open_now = rng.choice((1, 1, 2, 2, 3, 4, 6, 9, 14))
            grids.append(GridFigures(grid_id=area.id, street_code="", open=open_now,
                                     overdue=rng.choice((0, 0, 0, 1, 2)) if open_now > 2 else 0))
    today_hours = [h for h in hours if h.start.astimezone(zone).date() == local_now.date()]
    received_today = sum(sum(h.received_by_channel.values()) for h in today_hours)
    closed_today = sum(h.closed for h in today_hours)
    open_by_level = {"blue": 612, "yellow": 143, "orange": 57, "red": 31}
    open_by_status = {CaseStatus.RECEIVED.value: 18, CaseStatus.REGISTERED.value: 9, CaseStatus.DISPATCHED.value: 41,
                      CaseStatus.SIGNED.value: 96, CaseStatus.HANDLING.value: 512, CaseStatus.FEEDBACK.value: 104,
                      CaseStatus.VERIFIED.value: 63}
    return Figures(
        as_of_seq=seq, as_of=now, zone=ZONE, open_by_level=open_by_level, open_by_status=open_by_status,
        overdue_now=open_by_level["red"], hours=hours,
        today=Totals(received=received_today, closed=closed_today, closed_on_time=round(closed_today * 0.91),
                     returned=4, rated=61, satisfied=57),
        month=Totals(received=9_812, closed=9_104, closed_on_time=8_377, returned=133, rated=2_417, satisfied=2_288),
        units_month=units, streets_month=streets, grids=grids)


def sample_cases(count: int, now: datetime, geography: Geography, *, seed: int = 11) -> list[Case]:
    """Open cases scattered over the district's grid cells, mostly blue, a few red."""
    rng = random.Random(seed)
    held = map_geography(geography)
    cells = [a for a in held.areas if a.kind == "grid"]
    district = QPainterPath()
    district.setFillRule(Qt.FillRule.OddEvenFill)
    for outline in held.boundary:
        district.addPolygon(QPolygonF([QPointF(x, y) for x, y in outline]))
        district.closeSubpath()
    levels = [SlaLevel.BLUE] * 70 + [SlaLevel.YELLOW] * 17 + [SlaLevel.ORANGE] * 8 + [SlaLevel.RED] * 5
    cases = []
    for n in range(count):
        # a cell on the edge reaches outside the district: a case is placed in its part inside
        for _try in range(50):
            ring = rng.choice(cells).rings[0]
            lon = min(p[0] for p in ring) + rng.random() * (max(p[0] for p in ring) - min(p[0] for p in ring))
            lat = min(p[1] for p in ring) + rng.random() * (max(p[1] for p in ring) - min(p[1] for p in ring))
            if district.contains(QPointF(lon, lat)):
                break
        cases.append(Case(id=f"s{n:06d}", serial=f"MH2026{n:06d}", version=1, status=CaseStatus.HANDLING,
                          received_at=now - timedelta(hours=rng.uniform(0.1, 30)), updated_at=now,
                          channel=Channel.HOTLINE_12345, category_code="0101", category_zh="占道经营",
                          category_en="Street trading", street_code="310112001", street_name="江川路街道",
                          address="测试路 1 号", description="", lon=lon, lat=lat, level=rng.choice(levels)))
    return cases
