"""`python -m hub.simulator --hours 1 --seed 1`: print simulated requests as JSON lines.

For eyeballing the stream and feeding other tools; sending to a hub is `python -m hub simulate`.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta

import msgspec

from hub.directory import Directory, DirectoryError
from hub.simulator.generator import Simulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.simulator", description=__doc__)
    parser.add_argument("--hours", type=float, default=1.0, help="length of the window (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=1.0, help="multiplier of ~3,000 requests a day")
    parser.add_argument("--start", type=datetime.fromisoformat, default=None,
                        help="ISO time with zone, e.g. 2026-03-02T08:00+08:00 (default: this hour)")
    parser.add_argument("--steps", action="store_true", help="add each case's planned steps")
    args = parser.parse_args(argv)
    start = args.start or datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if start.tzinfo is None:
        parser.error("--start needs a time zone, e.g. +08:00 or Z")
    if args.rate <= 0 or args.hours < 0:
        parser.error("--rate must be positive and --hours not negative")
    try:
        simulator = Simulator(Directory.load(), seed=args.seed, rate=args.rate)
    except DirectoryError as exc:
        print(f"hub.simulator: {exc}", file=sys.stderr)
        return 2
    encoder = msgspec.json.Encoder()
    out = sys.stdout.buffer
    try:
        for number, (moment, case) in enumerate(simulator.arrivals(start, start + timedelta(hours=args.hours))):
            line: dict[str, object] = {"at": moment, "args": case}
            if args.steps:
                line["steps"] = simulator.next_steps(moment, number, case.category_code, case.urgent)
            out.write(encoder.encode(line) + b"\n")
        out.flush()
    except BrokenPipeError:  # `| head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
