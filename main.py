"""The console.

    python main.py                       demo: embedded hub + simulator + console
    python main.py --hub URL --token T   a workstation connected to a running hub
    python main.py --lang zh_CN          Simplified Chinese
"""

from __future__ import annotations

import argparse
import sys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="Command-centre console.")
    parser.add_argument("--hub", dest="hub_url", help="feed URL, e.g. ws://127.0.0.1:8765/feed")
    parser.add_argument("--token", help="access token for --hub (python -m hub users add ...)")
    parser.add_argument("--lang", choices=["en", "zh_CN"],
                        help="language of the console (default: the one chosen last in View > Language, else en)")
    parser.add_argument("--db", help="demo only: the embedded hub's database (default: a temporary file)")
    parser.add_argument("--rate", type=float, default=20.0, help="demo only: simulator rate multiplier")
    parser.add_argument("--data-dir", help="folder for this workstation's outbox and snapshot cache "
                        "(default: the per-user application data folder)")
    args = parser.parse_args(argv)
    if args.hub_url and not args.token:
        parser.error("--hub needs --token")
    if args.token and not args.hub_url:
        parser.error("--token goes with --hub")
    if args.rate <= 0:
        parser.error("--rate must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from console.preflight import missing_for_window

    problem = missing_for_window()
    if problem:
        print(f"console: {problem}", file=sys.stderr)
        return 2
    from console.app import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
