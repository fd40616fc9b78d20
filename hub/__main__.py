"""Command line of the hub: `python -m hub serve|users|units|audit|backup|simulate|cap|import|replay|export`.

Setup problems (bad --db URL, port in use, unreadable token file, bad data files) end with
one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import signal
import ssl
import sys
import threading
from pathlib import Path

from hub import auth
from hub.errors import HubError

DEFAULT_DB = "hub.db"


def _add_db_option(parser: argparse.ArgumentParser, *, leaf: bool = False) -> None:
    """`--db` on a command and on each of its sub-commands, so it may stand before or after the action.

    A leaf's option has no default of its own (SUPPRESS), so it never overwrites a `--db`
    given before the action."""
    parser.add_argument("--db", default=argparse.SUPPRESS if leaf else DEFAULT_DB,
                        help="SQLAlchemy URL or SQLite file (default: hub.db)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hub", description="The command centre's hub.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the feed at ws://HOST:PORT/feed")
    serve.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL or SQLite file (default: hub.db)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--token-file", type=Path, help="accounts file: 'name role sha256' per line")
    serve.add_argument("--cert", type=Path, help="TLS certificate (PEM) for wss://")
    serve.add_argument("--key", type=Path, help="TLS private key (PEM)")
    serve.add_argument("--simulate", action="store_true", help="also run the request simulator")
    serve.add_argument("--rate", type=float, default=1.0, help="simulator rate multiplier")
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--backfill-hours", type=float, default=8.0, help="simulator: hours of history at start")
    serve.add_argument("--demo-account", metavar="NAME",
                       help="create (or re-key) account NAME and print 'token: ...' (the demo's console or wall)")
    serve.add_argument("--demo-role", default="duty", help="role of --demo-account: duty (default) or wall")
    serve.add_argument("--exit-on-stdin-eof", action="store_true",
                       help="stop when standard input closes (a parent process that started the hub is gone)")
    serve.add_argument("--auto-supervise", default="yellow=remind,orange=urge,red=supervise", metavar="RULES",
                       help="what the hub does by itself when a case's overall limit reaches a level: "
                            "LEVEL=ACTION,... (actions remind, urge, supervise, account) or 'off' "
                            "(default: %(default)s)")
    serve.add_argument("--cap-inbox", type=Path, metavar="DIR",
                       help="watch DIR for CAP 1.2 files (*.xml): each is received as a warning, then moved to "
                            "DIR/done/ or, refused, to DIR/rejected/ with NAME.reason.txt")
    serve.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                       help="let in browser clients of this origin, e.g. https://wall.example.org (repeatable); "
                            "clients that send no Origin (the console) are always let in")
    serve.add_argument("--max-connections-per-account", type=int, default=auth.MAX_CONNECTIONS_PER_ACCOUNT,
                       metavar="N", help="more connections of one account are closed with 4409 (0: no limit; "
                                         "default %(default)s)")
    serve.add_argument("--log-json", action="store_true", help="log one JSON object a line (for a log collector)")
    serve.add_argument("-v", "--verbose", action="store_true", help="also log who connects and leaves")

    users = sub.add_parser("users", help="manage accounts")
    _add_db_option(users)
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="create an account and print its new token")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="wall, duty, commander, admin or supervisor")
    add.add_argument("--token-file", type=Path, help="append to this token file instead of the database")
    add.add_argument("--unit", help="scope the account to a unit's desk, e.g. S310112001 (a street sub-centre)")
    rotate = users_sub.add_parser("rotate", help="give an account a new token (printed); the old one stops at once")
    rotate.add_argument("name")
    for leaf in (add, rotate):
        leaf.add_argument("--expires-in", type=float, default=auth.DEFAULT_TOKEN_DAYS, metavar="DAYS",
                          help="the token is refused after this many days (0: never; default %(default)s)")
    revoke = users_sub.add_parser("revoke", help="revoke an account's token")
    revoke.add_argument("name")
    listing = users_sub.add_parser("list", help="list accounts: name, role, active/expired/revoked, expiry")
    for leaf in (add, rotate, revoke, listing):
        _add_db_option(leaf, leaf=True)

    audit = sub.add_parser("audit", help="print the audit log (every command and its outcome), newest first")
    _add_db_option(audit)
    audit.add_argument("--limit", type=int, default=50)
    audit.add_argument("--before", type=int, help="only entries with an id below this (paging)")
    audit.add_argument("--verify", action="store_true",
                       help="check the audit log's hash chain instead: exit status 1 and the first broken row if a "
                            "row was altered or removed; prints the head hash to keep elsewhere")

    backup = sub.add_parser("backup", help="copy a SQLite log consistently while the hub runs (PostgreSQL: pg_dump)")
    _add_db_option(backup)
    backup.add_argument("out", type=Path, metavar="OUT", help="the copy, a new file; 'serve --db OUT' serves it")

    units = sub.add_parser("units", help="the organisation: import or export units (CSV)")
    _add_db_option(units)
    units_sub = units.add_subparsers(dest="action", required=True)
    imp = units_sub.add_parser("import", help="add or replace units from a CSV file (all rows or none)")
    imp.add_argument("file", type=Path, help="columns id,name,kind,parent_id[,street_code,committee_code,workers]")
    exp = units_sub.add_parser("export", help="write every unit as the hub holds it now to a CSV file")
    exp.add_argument("file", type=Path)
    exp.add_argument("--include-retired", action="store_true")
    for leaf in (imp, exp):
        _add_db_option(leaf, leaf=True)

    sim = sub.add_parser("simulate", help="send simulated requests to a running hub, or (--days) run whole days "
                                          "on a virtual clock into a new --db")
    sim.add_argument("--hub", default="ws://127.0.0.1:8765/feed")
    sim.add_argument("--token", help="token of a duty account (required without --days)")
    sim.add_argument("--days", type=float, help="simulate this many days on a virtual clock into --db (no hub needed)")
    sim.add_argument("--speed", default="max", help="with --days: 'max' (as fast as the hub commits) or N times "
                                                    "the wall clock (default max)")
    sim.add_argument("--start", default="2026-11-24", metavar="YYYY-MM-DD", help="with --days: the first day")
    sim.add_argument("--step-s", type=float, default=0.0, help="with --days: deadlines this close are worked "
                                                               "together (coarser, faster; default 0: exact)")
    _add_db_option(sim)
    sim.add_argument("--rate", type=float, default=1.0)
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--count", type=int, default=0, help="stop after this many requests (0: run on)")
    sim.add_argument("--burst", action="store_true", help="send as fast as the hub takes them (load test)")

    cap = sub.add_parser("cap", help="CAP 1.2 warnings into a running hub")
    cap_sub = cap.add_subparsers(dest="action", required=True)
    cap_import = cap_sub.add_parser("import", help="send CAP files to a running hub as warnings; one line per file, "
                                                   "exit status 1 if any was rejected")
    cap_import.add_argument("files", nargs="+", type=Path, metavar="FILE")
    cap_import.add_argument("--hub", default="ws://127.0.0.1:8765/feed")
    cap_import.add_argument("--token", required=True, help="token of a commander or admin account")
    _data_commands(sub)
    return parser


def _data_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`import`, `replay` and `export`: real service-request data in and out (docs/data-import.md)."""
    imp = sub.add_parser("import", help="service requests (311 CSV or Open311 GeoReport v2 JSON) into the log")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--mapping", type=Path, required=True, metavar="MAP.toml",
                     help="which column is which and how the source's words map to the hub's")
    _add_db_option(imp)
    imp.add_argument("--rejects", type=Path, metavar="CSV", help="where bad rows go (default: FILE.rejects.csv)")
    imp.add_argument("--centre-only", action="store_true",
                     help="set up the file's centre (units, streets, map) without importing its cases")
    imp.add_argument("--no-progress", action="store_true", help="no progress bar (default: one on a terminal)")

    replay = sub.add_parser("replay", help="play a file's requests into a running hub at their original pace, scaled")
    replay.add_argument("file", type=Path, metavar="FILE")
    replay.add_argument("--mapping", type=Path, required=True, metavar="MAP.toml")
    replay.add_argument("--speed", type=float, default=60.0, help="how many times faster than the data (default 60)")
    replay.add_argument("--hub", default="ws://127.0.0.1:8765/feed")
    replay.add_argument("--token", required=True, help="token of a duty account")
    replay.add_argument("--since", metavar="YYYY-MM-DD", help="only requests received on or after this day")
    replay.add_argument("--until", metavar="YYYY-MM-DD", help="only requests received on or before this day")
    replay.add_argument("--limit", type=int, default=0, help="only the first N requests (0: all)")

    export = sub.add_parser("export", help="cases (CSV, Open311 JSON) or KPIs (CSV) out of the log")
    export.add_argument("what", choices=("cases", "kpis"))
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument("--format", choices=("csv", "open311"), default="csv", help="cases: csv or open311")
    export.add_argument("--by", choices=("unit", "category"), default="unit", help="kpis: per unit or per category")
    _add_db_option(export)


def _import(args: argparse.Namespace) -> int:
    from hub.importing.cli import print_report, run_import

    report = asyncio.run(run_import(args.file, args.mapping, args.db, args.rejects,
                                    show_progress=False if args.no_progress else None,
                                    centre_only=args.centre_only))
    if args.centre_only:
        print(f"{args.file.name}: centre set up from {report.rows} rows ({len(report.rejects)} rejected); "
              "no case imported")
        return 0
    print_report(report, args.file)
    return 1 if report.failed_batches else 0


def _export(args: argparse.Namespace) -> int:
    from hub.db import database, log_store
    from hub.importing import exports

    if "://" not in args.db and not Path(args.db).exists():
        raise HubError(f"--db: {args.db} does not exist")
    engine = database.open_engine(args.db)
    database.prepare(engine)
    cases = list(log_store.load_state(engine).cases.values())
    engine.dispose()
    if args.what == "kpis":
        rows = exports.write_kpis(args.file, cases, args.by)
        print(f"exported the KPIs of {rows} {'units' if args.by == 'unit' else 'categories'} to {args.file}")
    elif args.format == "open311":
        print(f"exported {exports.write_open311(args.file, cases)} cases (Open311 GeoReport v2) to {args.file}")
    else:
        print(f"exported {exports.write_cases_csv(args.file, cases)} cases to {args.file}")
    return 0


def _users(args: argparse.Namespace) -> int:
    from hub.db import database

    if args.action == "add":
        role = auth.parse_role(args.role)
        if args.token_file is not None:
            auth.check_name(args.name)
            token = auth.new_token()
            try:
                with args.token_file.open("a", encoding="utf-8") as out:
                    out.write(auth.TokenFile.line_for(args.name, role, token))
            except OSError as exc:
                raise HubError(f"--token-file: cannot write {args.token_file}: {exc.strerror}") from None
            print(token)
            return 0
    engine = database.open_engine(args.db)
    database.prepare(engine)
    if args.action == "add":
        print(auth.add_user(engine, args.name, role, args.unit, auth.expiry_after(args.expires_in)))
    elif args.action == "rotate":
        print(auth.rotate_user(engine, args.name, auth.expiry_after(args.expires_in)))
    elif args.action == "revoke":
        if not auth.revoke_user(engine, args.name):
            raise HubError(f"no active account named {args.name!r}")
    else:
        for user in auth.list_users(engine):
            expiry = user.expires_at.isoformat(timespec="seconds") if user.expires_at is not None else "never"
            print(f"{user.name}\t{user.role}\t{user.status}\t{expiry}")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from hub.db import database, log_store

    if "://" not in args.db and not Path(args.db).exists():
        raise HubError(f"--db: {args.db} does not exist")
    engine = database.open_engine(args.db)
    database.prepare(engine)
    if args.verify:
        from hub.db import audit_chain

        verdict = audit_chain.verify(engine)
        engine.dispose()
        if not verdict.intact:
            print(f"audit row {verdict.broken_id} {verdict.problem} (the {verdict.rows - 1} rows before it hold)")
            return 1
        print(f"audit chain intact: {verdict.rows} rows, head hash {verdict.head}")
        return 0
    for row in log_store.read_audit(engine, max(1, min(args.limit, 10_000)), args.before):
        outcome = "ok" if row["ok"] else f"refused:{row['error_code']}"
        print(f"{row['id']}\t{row['ts']}\t{row['user']}({row['role']})\t{row['name']}\t{outcome}\t{row['args']}")
    return 0


def _stop_on_eof(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    sys.stdin.buffer.read()  # returns when the parent closes our stdin or dies
    loop.call_soon_threadsafe(stop.set)


def _ssl(args: argparse.Namespace) -> ssl.SSLContext | None:
    if args.cert is None and args.key is None:
        return None
    if args.cert is None or args.key is None:
        raise HubError("--cert and --key go together")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(args.cert, args.key)
    except (OSError, ssl.SSLError) as exc:
        raise HubError(f"--cert/--key: {exc}") from None
    return context


async def _serve(args: argparse.Namespace) -> int:
    from hub.collector import freeze_long_lived
    from hub.core import Hub
    from hub.engine.supervision import parse_automatic
    from hub.server import ServerOptions, bound_port, start_server
    from hub.simulation import SimulationDriver

    ssl_context = _ssl(args)
    try:
        automatic = parse_automatic(args.auto_supervise)
    except ValueError as exc:
        raise HubError(f"--auto-supervise: {exc}") from None
    hub = Hub(args.db, token_file=args.token_file, auto_supervision=automatic, cap_inbox=args.cap_inbox)
    await hub.open()
    freeze_long_lived()  # this process is the hub's: its loaded state is never walked by a collection again
    if args.demo_account:
        role = auth.parse_role(args.demo_role)
        print(f"token: {auth.add_user(hub.engine, args.demo_account, role)}", flush=True)
    try:
        try:
            options = ServerOptions(tuple(args.allow_origin), max(0, args.max_connections_per_account))
            server_cm = start_server(hub, args.host, args.port, ssl_context, options)
            server = await server_cm.__aenter__()
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise HubError(f"--port: {args.host}:{args.port} is already in use") from None
            raise HubError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
        scheme = "wss" if ssl_context else "ws"
        port = bound_port(server)
        print(f"hub serving {scheme}://{args.host}:{port}/feed (log {hub.log_id}, seq {hub.head_seq})", flush=True)
        if hub.inbox is not None:
            print(f"watching {hub.inbox.folder} for CAP files", flush=True)
        driver = (SimulationDriver(hub, seed=args.seed, rate=args.rate, backfill_hours=args.backfill_hours)
                  if args.simulate else None)
        if driver is not None:
            driver.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        if args.exit_on_stdin_eof:
            threading.Thread(target=_stop_on_eof, args=(loop, stop), daemon=True).start()
        await stop.wait()
        if driver is not None:
            await driver.stop()
        await server_cm.__aexit__(None, None, None)
    finally:
        await hub.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from hub.ops import logs

    logs.configure(verbose=getattr(args, "verbose", False), as_json=getattr(args, "log_json", False))
    try:
        if args.command == "users":
            return _users(args)
        if args.command == "serve":
            return asyncio.run(_serve(args))
        if args.command == "audit":
            return _audit(args)
        if args.command == "backup":
            from hub.ops.backup import backup

            copied = backup(args.db, args.out)
            print(f"backed up {args.db} to {args.out}: log {copied.log_id} at seq {copied.head_seq}, "
                  f"{copied.cases} cases, {copied.audit_rows} audit rows, {copied.size} bytes")
            return 0
        if args.command == "units":
            from hub.org.cli import units_command

            return asyncio.run(units_command(args.db, args.action, args.file, getattr(args, "include_retired", False)))
        if args.command == "cap":
            from hub.emergency.cap_cli import import_files

            return asyncio.run(import_files(args.hub, args.token, args.files))
        if args.command == "import":
            return _import(args)
        if args.command == "export":
            return _export(args)
        if args.command == "replay":
            from hub.importing.replay import run_replay

            return asyncio.run(run_replay(args.file, args.mapping, args.hub, args.token, args.speed,
                                          args.since, args.until, args.limit))
        if args.days is not None:
            from datetime import date

            from hub.simulate_day import parse_speed, simulate_days

            try:
                start = date.fromisoformat(args.start)
            except ValueError:
                raise HubError(f"--start: {args.start!r} is not YYYY-MM-DD") from None
            return asyncio.run(simulate_days(args.db, days=args.days, speed=parse_speed(args.speed), seed=args.seed,
                                             rate=args.rate, start=start, step_s=args.step_s))
        if not args.token:
            raise HubError("simulate: --token is required (or --days to simulate into --db on a virtual clock)")
        from hub.simulation import run_remote

        return asyncio.run(run_remote(args.hub, args.token, rate=args.rate, seed=args.seed, count=args.count,
                                      burst=args.burst))
    except HubError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
