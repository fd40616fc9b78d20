"""The joint response in the hub: a plan activation creating ~2,000 tasks, against "≤ 1 s".

A real hub (embedded, SQLite file, WAL FULL) on a loopback port; a commander's client sends
`emergency.declare` with a plan whose tasks reach every committee three times and every street
centre twice (596 × 3 + 14 × 2 = 1,816 tasks on the shipped organisation, plus the bureaus'),
and the time is taken from sending the command to receiving its `command.result` (after the
commit and the fan-out of every `task.changed`).

* baseline (same run): `emergency.declare` of the same emergency with `activate_plan: false`,
  i.e. the command round trip with one event instead of two thousand.
* also: `directive.issue` to every active committee (596 receipts), and its baseline, an issue
  to one unit.

Prints a table and writes JSON to bench/results/emergency.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub.embedded import EmbeddedHub  # noqa: E402
from protocol import Role  # noqa: E402
from tests.hub.conftest import RawClient, greet  # noqa: E402

TARGETS = {"activation_s": 1.0}
PLAN = """id = "bench-typhoon-I"
type = "typhoon"
level = "I"
title_en = "Bench plan"
title_zh = "基准预案"
""" + "".join(f"""
[[task]]
id = "committee-{n}"
title_en = "Committee task {n}"
title_zh = "居村委任务{n}"
unit_kind = "committee"
within_min = {60 * (n + 1)}
""" for n in range(3)) + "".join(f"""
[[task]]
id = "street-{n}"
title_en = "Street task {n}"
title_zh = "街镇任务{n}"
unit_kind = "street_centre"
within_min = 120
report = ["people_evacuated"]
""" for n in range(2)) + """
[[task]]
id = "command-post"
title_en = "Open the command post"
title_zh = "开设指挥部"
unit_id = "B-SW"
within_min = 30
"""


async def timed(client: RawClient, name: str, args: dict[str, Any], command_id: str) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    answer = await client.command(name, args, command_id)
    elapsed = time.perf_counter() - start
    assert answer["ok"], answer
    return elapsed, answer["result"]


async def run(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        plans = Path(folder) / "plans"
        plans.mkdir()
        (plans / "bench.toml").write_text(PLAN, encoding="utf-8")
        async with EmbeddedHub(f"sqlite:///{folder}/hub.db", simulate=False, plans_dir=plans) as hub:
            client, _ = await greet(hub, token=hub.add_user("bench.commander", Role.COMMANDER))
            await client.recv_until(lambda f: f["type"] == "snapshot.end")
            ours, base, issue, issue_base = [], [], [], []
            tasks = receipts = 0
            for n in range(runs):
                args = {"type": "typhoon", "level": "I", "title": f"bench {n}"}
                elapsed, result = await timed(client, "emergency.declare", args, f"a{n}")
                ours.append(elapsed)
                tasks = result["tasks"]
                elapsed, _ = await timed(client, "emergency.declare", {**args, "activate_plan": False}, f"b{n}")
                base.append(elapsed)
                elapsed, result = await timed(client, "directive.issue", {"text": "到岗", "unit_kind": "committee"},
                                              f"c{n}")
                issue.append(elapsed)
                receipts = result["recipients"]
                elapsed, _ = await timed(client, "directive.issue", {"text": "到岗", "unit_ids": ["B-SW"]}, f"d{n}")
                issue_base.append(elapsed)
    activation = statistics.median(ours)
    return {
        "bench": "emergency",
        "machine": f"{sys.platform}, Python {sys.version.split()[0]}",
        "targets": TARGETS,
        "figures": {
            "activation_s": {"value": round(activation, 4), "target": TARGETS["activation_s"],
                             "met": activation <= TARGETS["activation_s"], "tasks": tasks,
                             "slowest": round(max(ours), 4), "baseline": round(statistics.median(base), 4)},
            "directive_issue_s": {"value": round(statistics.median(issue), 4), "target": None, "receipts": receipts,
                                  "baseline": round(statistics.median(issue_base), 4)},
        },
        "baseline": {"what": "the same command with one event: emergency.declare without its plan, "
                             "directive.issue to one unit"},
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "emergency.json")
    args = parser.parse_args()
    result = asyncio.run(run(args.runs))
    print(f"{'figure':18s} {'median':>8s} {'target':>7s} {'met':>5s} {'baseline':>9s}  detail")
    for name, f in result["figures"].items():
        detail = f"{f.get('tasks', f.get('receipts'))} events"
        print(f"{name:18s} {f['value']:>8} {f['target']!s:>7s} {f.get('met', '')!s:>5s} {f['baseline']:>9}  {detail}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
