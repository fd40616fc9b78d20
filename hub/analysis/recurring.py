"""Recurring problems: the same category at the same place, again and again, ranked.

A place is a grid (0.01° cell, see columns.py) or an address (its text, spaces removed and case
folded; cases with no address are left out). A pair recurs when it has at least `min_count` cases
in the period, received on at least two different days (one afternoon's duplicates are not a
recurring problem). Ranked by cases, then by the number of days, then by the latest case.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from hub.analysis.columns import CaseColumns, cell_id, cell_ring, iso, key_xy

MAX_CASE_IDS = 100


def _place_key(address: str) -> str:
    return "".join(address.split()).casefold()


def find(cols: CaseColumns, start: float, end: float, *, by_address: bool, category: int | None = None,
         min_count: int = 3, limit: int = 50) -> dict[str, object]:
    chosen = (cols.t >= start) & (cols.t < end)
    if category is not None:
        chosen &= cols.category == category
    rows = np.flatnonzero(chosen)
    groups: dict[tuple[int, object], list[int]] = defaultdict(list)
    if by_address:
        for r in rows.tolist():
            key = _place_key(cols.addresses[r])
            if key:
                groups[(int(cols.category[r]), key)].append(r)
    else:
        for r, c, k in zip(rows.tolist(), cols.category[rows].tolist(), cols.key[rows].tolist(), strict=True):
            groups[(c, k)].append(r)
    items = []
    for (category_n, place), members in groups.items():
        if len(members) < min_count:
            continue
        t = cols.t[members]
        day_numbers = np.unique(np.floor(t / 86400))
        if len(day_numbers) < 2:
            continue
        items.append((len(members), len(day_numbers), float(t.max()), category_n, place, members))
    items.sort(key=lambda item: (-item[0], -item[1], -item[2]))
    answer = []
    for count, n_days, latest, category_n, place, members in items[:limit]:
        order = sorted(members, key=lambda r: -cols.t[r])
        streets: dict[int, int] = defaultdict(int)
        for r in order:
            streets[int(cols.street[r])] += 1
        street = max(streets, key=lambda s: streets[s])
        item: dict[str, object] = {
            "category_code": cols.categories.codes[category_n], "category_zh": cols.categories.names[category_n][0],
            "category_en": cols.categories.names[category_n][1], "count": count, "days": n_days,
            "open": int(cols.open[order].sum()), "first": iso(float(cols.t[order[-1]])), "last": iso(latest),
            "street_code": cols.streets.codes[street], "street_name": cols.streets.names[street][0],
            "case_ids": [cols.ids[r] for r in order[:MAX_CASE_IDS]],
        }
        if by_address:
            item["place"] = cols.addresses[order[0]]
            item["cell"] = None
            item["ring"] = None
        else:
            x, y = key_xy(int(place))  # type: ignore[call-overload]
            item["place"] = cell_id(x, y)
            item["cell"] = cell_id(x, y)
            item["ring"] = cell_ring(x, y)
        answer.append(item)
    return {"pairs": len(items), "items": answer}
