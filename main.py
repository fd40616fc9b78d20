"""The console.

    python main.py                       demo: embedded hub + simulator + console
    python main.py --hub URL --token T   a workstation connected to a running hub
    python main.py --lang zh_CN          Simplified Chinese
    python main.py --room                the commanders' emergency room (demo hub + simulator, or --hub/--token)
    python main.py --supervision         the supervision desk (demo hub + simulator, or --hub/--token of a supervisor)
    python main.py --wall                the video wall (demo hub + simulator, or --hub/--token of a wall account)
"""

from __future__ import annotations

import argparse
import sys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="Command-centre console.")
    parser.add_argument("--hub", dest="hub_url", help="feed URL, e.g. ws://127.0.0.1:8765/feed")
    parser.add_argument("--token", help="access token for --hub (python -m hub users add ...)")
    parser.add_argument("--lang", choices=["en", "zh_CN"],
                        help="language of the console (default: the one chosen last in View > Language, else en; "
                             "the wall: its layout's language)")
    parser.add_argument("--db", help="demo only: the embedded hub's database (default: a temporary file)")
    parser.add_argument("--rate", type=float, default=20.0, help="demo only: simulator rate multiplier")
    parser.add_argument("--data-dir", help="folder for this workstation's outbox and snapshot cache "
                        "(default: the per-user application data folder)")
    parser.add_argument("--room", action="store_true",
                        help="the commanders' emergency room: emergencies, directives, acknowledgement matrix")
    parser.add_argument("--supervision", action="store_true",
                        help="the supervision desk: cases at risk, units ranked, remind/urge/supervise/hold to account")
    wall = parser.add_argument_group("video wall")
    wall.add_argument("--wall", action="store_true", help="run as the video wall: read-only, full screen, pages")
    where = wall.add_mutually_exclusive_group()
    where.add_argument("--screen", type=int, metavar="N", help="full screen on screen N (0: the first)")
    where.add_argument("--span", action="store_true", help="span every screen (a wall controller's desktop)")
    where.add_argument("--windowed", metavar="WxH", help="in a window of this size (for a try-out)")
    wall.add_argument("--layout", metavar="FILE", help="the wall's layout (TOML; default: the shipped one)")
    wall.add_argument("--watchdog", action="store_true",
                      help="restart the wall whenever it exits abnormally (crash, kill)")
    args = parser.parse_args(argv)
    if args.hub_url and not args.token:
        parser.error("--hub needs --token")
    if args.token and not args.hub_url:
        parser.error("--token goes with --hub")
    if args.rate <= 0:
        parser.error("--rate must be positive")
    wall_only = [flag for flag, given in (("--screen", args.screen is not None), ("--span", args.span),
                                          ("--windowed", args.windowed), ("--layout", args.layout),
                                          ("--watchdog", args.watchdog)) if given]
    if args.room and args.wall:
        parser.error("--room and --wall are different screens: choose one")
    if args.supervision and (args.room or args.wall):
        parser.error(f"--supervision and {'--room' if args.room else '--wall'} are different screens: choose one")
    if wall_only and not args.wall:
        parser.error(f"{wall_only[0]} goes with --wall")
    if args.windowed and not _is_size(args.windowed):
        parser.error("--windowed takes WIDTHxHEIGHT, e.g. 1920x1080")
    return args


def _is_size(text: str) -> bool:
    parts = text.lower().split("x")
    return len(parts) == 2 and all(p.isdigit() and int(p) > 0 for p in parts)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.watchdog:
        from console.wall_watchdog import watch

        return watch(sys.argv[1:] if argv is None else argv)
    from console.preflight import missing_for_window

    problem = missing_for_window()
    if problem:
        print(f"console: {problem}", file=sys.stderr)
        return 2
    if args.wall:
        from console.wall_app import run_wall

        return run_wall(args)
    from console.app import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
