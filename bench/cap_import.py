"""CAP warnings in: 100 CAP files parsed and validated, against the target "100 CAP files <= 2 s".

    python bench/cap_import.py [--files 100] [--runs 20]

* ours: `hub.emergency.cap.parse_cap` (defusedxml with DTDs forbidden, every CAP 1.2 check,
  the info block chosen, areas converted) then `signal_of` on each of N files: the eight
  composed Shanghai signals (resources/cap/) and the eight agencies' samples (tests/data/cap/),
  repeated in turn to N. The bytes are read once before timing: this is the **parsing part
  only**, not the file reads, the hub's storage of each warning, or the watched folder.
* baseline (same run, same bytes): the stdlib's `xml.etree.ElementTree.fromstring` alone, with
  no safety checks and no validation: the floor of any XML parse.
Each run times all N files; the figure is the median run (the slowest is printed beside it).
Prints a table and writes JSON to bench/results/cap_import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import xml.etree.ElementTree as stdlib_et
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.emergency.cap import parse_cap, signal_of  # noqa: E402

TARGETS = {"files_100_s": 2.0}


def figure(value: float | None, target: float, unit: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "target": target, "unit": unit, "met": None if value is None else value <= target,
            **extra}


def load(count: int) -> list[tuple[str, bytes]]:
    paths = sorted((ROOT / "resources" / "cap").glob("*.cap.xml")) + sorted((ROOT / "tests" / "data" / "cap")
                                                                            .glob("*.xml"))
    files = [(p.name, p.read_bytes()) for p in paths]
    return [files[i % len(files)] for i in range(count)]


def timed(runs: int, job: Callable[[], object]) -> list[float]:
    job()  # warm: imports, regex compilation
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "cap_import.json")
    args = parser.parse_args()
    files = load(args.files)
    signals = 0

    def ours() -> None:
        nonlocal signals
        signals = sum(signal_of(parse_cap(data, name)) is not None for name, data in files)

    def baseline() -> None:
        for _, data in files:
            stdlib_et.fromstring(data)

    ours_s = timed(args.runs, ours)
    base_s = timed(args.runs, baseline)
    median, base_median = statistics.median(ours_s), statistics.median(base_s)
    scale = 100 / args.files  # the target is for 100 files
    figures = {
        "files_100_s": figure(round(median * scale, 4), TARGETS["files_100_s"], "s",
                              baseline=round(base_median * scale, 4), slowest_run=round(max(ours_s) * scale, 4)),
    }
    result: dict[str, Any] = {
        "benchmark": "cap_import",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_start": [round(v, 2) for v in os.getloadavg()]},
        "setup": {"files": args.files, "runs": args.runs, "distinct_files": len(set(n for n, _ in files)),
                  "bytes_per_run": sum(len(d) for _, d in files), "signals_per_run": signals,
                  "measured": "parsing part only: parse_cap + signal_of on bytes already in memory (no file "
                              "reads, no storage in the hub, no watched folder)"},
        "targets": TARGETS,
        "figures": figures,
        "met": all(f["met"] for f in figures.values() if f["met"] is not None),
        "ours": {"median_s": round(median, 4), "min_s": round(min(ours_s), 4), "max_s": round(max(ours_s), 4),
                 "per_file_ms": round(median / args.files * 1e3, 3)},
        "baseline": {"what": "xml.etree.ElementTree.fromstring of the same bytes: no defusing, no validation",
                     "median_s": round(base_median, 4), "per_file_ms": round(base_median / args.files * 1e3, 3)},
        "ratio_ours_to_baseline": round(median / base_median, 2) if base_median else None,
    }
    print(f"CAP import, parsing part only (parse_cap + signal_of, bytes in memory): {args.files} files, "
          f"{args.runs} runs")
    print(f"{'figure':14s} {'ours':>9s} {'target':>7s} {'met':>5s} {'baseline':>9s} {'ratio':>6s}")
    for name, f in figures.items():
        print(f"{name:14s} {f['value']:>9} {f['target']:>7} {f['met']!s:>5s} {f['baseline']:>9} "
              f"{result['ratio_ours_to_baseline']!s:>6s}")
    print(f"per file: ours {result['ours']['per_file_ms']} ms, stdlib parse alone "
          f"{result['baseline']['per_file_ms']} ms; {signals} of {args.files} files suggest a plan")
    text = json.dumps(result, indent=2, ensure_ascii=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
