"""Hot spots on an imported city with no history (the NYC sample: one evening): each cell is compared
with the area's average cell, and the hot spots are the cells a reader finds busiest in the file."""

from __future__ import annotations

import asyncio
import csv
import math
import uuid
from collections import Counter
from pathlib import Path

from hub.embedded import EmbeddedHub
from tests.hub.conftest import greet
from tests.hub.test_import import NYC, SAMPLES, _import, _rejects


def _cells_in_the_file(db: Path) -> Counter[str]:
    """Cases per 0.01° cell, recounted from the CSV itself less the rows the import rejected."""
    rejected = {r["source_id"] for r in _rejects(db)}
    counts: Counter[str] = Counter()
    with NYC.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["unique_key"] in rejected:
                continue
            x, y = math.floor(float(row["longitude"]) * 100), math.floor(float(row["latitude"]) * 100)
            counts[f"G{x:05d}-{y:04d}"] += 1
    return counts


def test_the_nyc_evening_has_hot_spots_where_the_file_has_most_cases(tmp_path: Path) -> None:
    db = tmp_path / "nyc.db"
    report = _import(NYC, SAMPLES / "nyc.toml", db)
    in_file = _cells_in_the_file(db)
    assert sum(in_file.values()) == report.created
    busiest = [cell for cell, _ in in_file.most_common()]

    async def scenario() -> None:
        async with EmbeddedHub(f"sqlite:///{db}", simulate=False) as hub:
            client, _ = await greet(hub)
            answer = await client.command("analysis.hotspots", {}, uuid.uuid4().hex)
            await client.ws.close()
        assert answer["ok"], answer
        result = answer["result"]
        assert result["baseline"] == "area" and result["history_cases"] == 0
        assert result["window_cases"] == report.created
        spots = result["hotspots"]
        assert spots, result
        mean = report.created / result["cells"]
        assert spots[0]["cell"] == busiest[0]  # the cell with the most cases comes first
        counts = [s["count"] for s in spots]
        assert counts == sorted(counts, reverse=True)
        for spot in spots:
            assert spot["count"] == in_file[spot["cell"]]  # a reader counting the file finds the same
            assert in_file[spot["cell"]] >= in_file[busiest[4]]  # among the five busiest cells
            assert spot["expected"] == round(mean, 2)
            assert len(spot["case_ids"]) == spot["count"]
            assert spot["reason_en"].startswith("No history: compared with the area's average cell.")
            assert f"{spot['count']} cases in the last 7 days where the area's" in spot["reason_en"]
            assert spot["reason_zh"].startswith("无历史数据：与区域内平均网格比较。")

    asyncio.run(scenario())
