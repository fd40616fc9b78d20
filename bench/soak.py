"""The hub soak: an accelerated day at 50× with 50 consoles behind a fault proxy; RSS, reconnects, exactly-once.

    python bench/soak.py [--hours 24 | --quick] [--rate 50] [--consoles 50] [--procs 5]
                         [--cut-every-s 120] [--command-every-s 10] [--result-drop 0.3]
                         [--arrivals 1] [--start-hour 8] [--warmup 0.2] [--sample-s 5] [--out PATH]

All on loopback, headless (no Qt), every part in its own process:

* **the hub**: a child process serving the feed (`hub.embedded.EmbeddedHub`, the server of
  `python -m hub serve`) on a virtual clock (`hub.virtual_clock`) that runs `--rate` (50) times the
  wall clock, with the simulator: its arrivals (`--arrivals` times the centre's ~3,000 requests a
  day, on the daily curve), the planned steps of every case, the timers, the automatic supervision
  and the responders, from `--start-hour` (08:00, Shanghai) on Tuesday 24 November 2026, after 8
  hours of back-fill. `python -m hub serve --simulate --rate 50` (what `main.py` and
  `bench/wall_soak.py` start) is not that: there the hub's clock is the wall clock and `--rate`
  multiplies the arrivals only, so 29 minutes bring a day's requests but 29 minutes of timers and
  case steps (nothing closes). Here the hours are the hub's own: `hours simulated` is the span of
  its clock (and of the events' `ts`). It is started as `HubProcess` starts the demo's hub (a child
  that prints its URL, stops when its stdin closes), makes one duty account per console (each
  workstation its own account, as docs/operations.md says) and moves its clock only once every
  console is live.
* **the consoles**: `--consoles` (50), each a `FeedConnection` with its own `CaseStore` and its own
  `Outbox` (a SQLite file), spread over `--procs` (5) child processes, one asyncio loop each, so
  that each process's resident set (VmRSS) can be read; per console = process RSS / consoles in it.
* **the faults**: every console connects through its own `FaultProxy` (tests/backend_client/
  fault_proxy.py, run here in the parent process, so its memory is no console's). Each console's
  link is struck on average every `--cut-every-s` seconds of real time (exponential intervals):
  70 % a cut (both sides closed), 15 % a stall (nothing flows, nothing closes: the console's own
  ping timeout must find it) and 15 % half-open (the hub's side closed, the console's silent). And
  a `command.result` on its way to a console is dropped with the link with probability
  `--result-drop`: the command was applied, the answer lost, the outbox sends it again on
  reconnect with the same id.
* **the commands**: on average every `--command-every-s` seconds of real time a random console
  gives a command, through `FeedConnection.send_command` and its outbox, that leaves a countable
  trace with a unique token: `case.create` (the token in the description; the case's place and
  category copied from a case of the store) or `case.supervise` `remind` on an open case with a
  unit (the token in the note: one `supervision.recorded`).

Warm-up: the first `--warmup` share (20 %) of the run (from the moment the clock starts). At the
end of the simulated hours the faults stop, the consoles stop giving commands and wait for every
answer, then every console catches up to the hub's head; a fresh process of consoles (as many as
the largest soaked one) connects then, takes a snapshot and serves as the same-run baseline of
memory (what the same stores take without the day behind them; it and the soaked processes are
read again after `gc.collect()` and `malloc_trim(0)`, so that neither counts garbage or free heap).
The hub is stopped, and its database is read to verify:

* every console's store equals the hub's: the same last `seq`, the same case ids and versions
  (the hub's `cases` table);
* each command given was applied exactly once: its token is in exactly one `case.created` or
  `supervision.recorded` event of the log, and (for a created case) in exactly one case of every
  console's store; a refusal (the answer `ok: false`, nothing in the log) is counted apart; a
  command never answered, or answered ok with nothing in the log, is lost;
* no `seq` gap: the log's seqs are 1..head without a hole; the consoles' resyncs (a gap seen on the
  wire) are counted.

Figures (target beside value): RSS growth after warm-up of the hub and of each console process,
(RSS at the end − RSS at warm-up end) / RSS at warm-up end, <= 5 %; the stores grow with the
cases (closed cases stay in the replica, as in bench/wall_soak.py), so the case count at both
instants is beside it, and so is the excess of the soaked processes over the fresh one (same
consoles, same cases, no day behind them), <= 5 % too: what the day left behind. Commands applied
exactly once: 100 %; lost: 0. Also: events (head
`seq` at the start and at the end), hours simulated, wall time and the achieved speed, reconnects
(welcomes after the first, per console and in all, replay or snapshot), faults struck, dead links
found by ping timeout, the consoles' own failures (`conn.faults`) and unreadable events. The
machine's cores and load averages are in the JSON (on 2 cores the hub, 5 console processes and
the proxies share them). Prints a table and writes JSON to bench/results/soak.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import json
import logging
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.proc_stats import proc_cpu_s, proc_status, slope_mb_per_min  # noqa: E402

TARGETS = {"rss_growth_percent": 5.0, "applied_exactly_once_percent": 100.0, "commands_lost": 0}
ZONE = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 11, 24)
"""A Tuesday, a working day (the limits count working hours), as `hub simulate --days` starts."""
QUICK = {"hours": 0.25, "consoles": 6, "procs": 2, "cut_every_s": 6.0, "command_every_s": 0.7, "sample_s": 1.0}
START_S = 180.0
"""How long the hub and the consoles may take to start and to be live before the clock moves."""
SETTLE_S = 180.0
"""How long, after the simulated hours, every command may take to be answered and every console to catch up."""
TOKEN = re.compile(rb"soak-\d+-\d+-[0-9a-f]{8}")
FAULT_KINDS: dict[str, float] = {"cut": 0.70, "stall": 0.15, "half_open": 0.15}
"""What strikes a console's link, and how often."""


def figure(value: float | None, target: float, unit: str, *, at_least: bool = False, **extra: Any) -> dict[str, Any]:
    met = None if value is None else (value >= target if at_least else value <= target)
    return {"value": value, "target": target, "unit": unit, "met": met, **extra}


def growth(start: float | None, end: float | None) -> float | None:
    return None if not start or end is None else round(100 * (end - start) / start, 2)


# --- the hub child ---------------------------------------------------------------------------


def stdin_lines(loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str | None]:
    """This process's stdin, line by line (None at EOF: the parent is gone or done)."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line.strip())
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, daemon=True).start()
    return queue


async def child_hub(opts: argparse.Namespace) -> int:
    """The hub on a virtual clock; prints its URL, waits for `go`, runs `--hours` at `--rate`, serves until EOF."""
    from hub.embedded import EmbeddedHub
    from hub.ops import logs
    from hub.virtual_clock import ClockDriver, VirtualClock
    from protocol import Role

    logs.configure()  # warnings and errors, as `python -m hub serve` logs them
    begin = DAY.replace(hour=opts.start_hour, tzinfo=ZONE).astimezone(UTC)
    clock = VirtualClock(begin)
    control = stdin_lines(asyncio.get_running_loop())
    async with EmbeddedHub(opts.db, simulate=True, rate=opts.arrivals, seed=opts.seed, clock=clock,
                           backfill_hours=opts.backfill_hours, make_account=False) as embedded:
        hub, sim = embedded.hub, embedded.driver
        assert sim is not None
        ticker = ClockDriver(hub, clock, sim.loops, min_step=timedelta(seconds=opts.step_s))
        await ticker.settle()  # the back-fill is in before anyone connects
        tokens = {f"soak-{n:02d}": embedded.add_user(f"soak-{n:02d}", Role.DUTY) for n in range(opts.accounts)}
        secret = Path(opts.tokens)
        secret.touch(mode=0o600)
        secret.write_text(json.dumps(tokens), encoding="utf-8")
        print(f"hub serving {embedded.url} (log {hub.log_id}, seq {hub.head_seq}, clock {begin.isoformat()})",
              flush=True)
        while (line := await control.get()) != "go":
            if line is None:
                return 0
        wall = time.monotonic()
        end = begin + timedelta(hours=opts.hours)
        shown = 0

        async def each(now: datetime) -> None:  # keep the clock `rate` times the wall clock
            nonlocal shown
            ahead = (now - begin).total_seconds() / opts.rate - (time.monotonic() - wall)
            if ahead > 0:
                await asyncio.sleep(ahead)
            quarter = int((now - begin) / timedelta(minutes=15))
            if quarter > shown:
                shown = quarter
                print(f"clock {now.astimezone(ZONE):%H:%M} seq {hub.head_seq} wall {time.monotonic() - wall:.1f}",
                      flush=True)

        head_at_go = hub.head_seq
        await ticker.run_until(end, each=each)
        print(f"clock done seq {hub.head_seq} from {head_at_go} at {clock.now.isoformat()} "
              f"wall {time.monotonic() - wall:.1f}", flush=True)
        while await control.get() is not None:
            pass
    return 0


# --- a console child -------------------------------------------------------------------------


def emit(message: dict[str, Any]) -> None:
    print(json.dumps(message), flush=True)


@dataclass
class Given:
    token: str
    name: str
    console: str
    case_id: str | None
    given_at: float
    ok: bool | None = None
    code: str | None = None
    message: str | None = None
    answered_at: float | None = None


@dataclass
class Console:
    name: str
    conn: Any
    store: Any
    outbox: Any
    welcomes: int = 0
    modes: Counter[str] = field(default_factory=Counter)
    resyncs: int = 0
    dead_links: int = 0
    last_state: str = "connecting"

    def on_state(self, conn: Any) -> None:
        state, detail = conn.state.value, conn.state_detail
        if state in ("syncing", "live") and self.last_state == "connecting":  # only a welcome does that
            self.welcomes += 1
            if conn.welcome is not None:
                self.modes[conn.welcome.mode.value] += 1
        if state == "backoff" and detail.startswith("resync:"):
            self.resyncs += 1
        if state == "backoff" and "no answer from the hub" in detail:
            self.dead_links += 1
        self.last_state = state


async def until(condition: Callable[[], bool], every_s: float = 0.1) -> None:
    while not condition():
        await asyncio.sleep(every_s)


async def child_consoles(opts: argparse.Namespace) -> int:
    """`--spec` names the consoles (URL, token, outbox); the parent drives them with lines on stdin."""
    from backend_client.connection import FeedConnection
    from backend_client.outbox import Outbox
    from backend_client.store import CaseStore
    from protocol import OPEN_STATUSES

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    spec = json.loads(Path(opts.spec).read_text(encoding="utf-8"))
    rng = random.Random(spec["seed"])
    consoles: list[Console] = []
    for entry in spec["consoles"]:
        store = CaseStore()
        outbox = Outbox(Path(entry["outbox"]))
        conn = FeedConnection(entry["url"], entry["token"], store, client_name="cc-soak/1", outbox=outbox,
                              rng=random.Random(f"{spec['seed']}:{entry['name']}"))
        console = Console(entry["name"], conn, store, outbox)
        conn.add_listener(console.on_state)
        consoles.append(console)
        await conn.start()
    control = stdin_lines(asyncio.get_running_loop())
    given: list[Given] = []
    tasks: set[asyncio.Task[None]] = set()
    started = time.monotonic()

    def all_live() -> bool:
        return all(c.conn.state.value == "live" for c in consoles)

    async def give() -> None:
        console = rng.choice(consoles)
        token = f"soak-{spec['proc']}-{len(given)}-{uuid.uuid4().hex[:8]}"
        cases = list(console.store.cases())
        open_cases = [c for c in cases if c.status in OPEN_STATUSES and c.unit_id is not None]
        if open_cases and rng.random() < 0.5:
            case = rng.choice(open_cases)
            name, case_id = "case.supervise", case.id
            args: dict[str, Any] = {"action": "remind", "ids": [case.id], "note": f"soak {token}"}
        elif cases:
            model = rng.choice(cases)
            name, case_id = "case.create", None
            args = {"channel": "hotline_12345", "category_code": model.category_code,
                    "street_code": model.street_code, "description": f"soak {token}: a request of the soak",
                    "lon": model.lon, "lat": model.lat}
        else:
            return
        record = Given(token, name, console.name, case_id, round(time.monotonic() - started, 2))
        given.append(record)
        result = await console.conn.send_command(name, args)
        record.ok, record.answered_at = result.ok, round(time.monotonic() - started, 2)
        if result.error is not None:
            record.code, record.message = str(result.error.code), result.error.message
        elif name == "case.create" and result.result is not None:
            record.case_id = str(result.result.get("id"))

    async def commander(interval_s: float) -> None:
        while True:
            await asyncio.sleep(rng.expovariate(1 / interval_s))
            task = asyncio.get_running_loop().create_task(give())
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    async def status() -> None:
        while True:
            emit({"status": {"child_s": round(time.monotonic() - started, 1),
                             "cases": max(len(c.store) for c in consoles),
                             "last_seq": min(c.store.last_seq for c in consoles),
                             "live": sum(c.conn.state.value == "live" for c in consoles),
                             "welcomes": sum(c.welcomes for c in consoles), "given": len(given),
                             "pending": sum(c.conn.pending_commands for c in consoles)}})
            await asyncio.sleep(spec["sample_s"])

    await until(all_live)
    emit({"ready": len(consoles), "cases": max(len(c.store) for c in consoles)})
    loop = asyncio.get_running_loop()
    reporter = loop.create_task(status())
    orders: asyncio.Task[None] | None = None
    while (line := await control.get()) is not None:
        if line == "go" and spec["command_every_s"] > 0:
            orders = loop.create_task(commander(spec["command_every_s"]))
        elif line == "stop":
            if orders is not None:
                orders.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)  # each ends with its answer
            emit({"settled": len(given), "pending": sum(c.conn.pending_commands for c in consoles)})
        elif line.startswith("catch-up "):
            target = int(line.split()[1])
            await until(lambda: all_live() and all(c.store.last_seq >= target for c in consoles))  # noqa: B023
            folder = Path(spec["report"])
            rows = []
            for c in consoles:
                cases = {case.id: case.version for case in c.store.cases()}
                soak = {case.id: case.description for case in c.store.cases() if case.description.startswith("soak ")}
                (folder / f"{c.name}.cases.json").write_text(json.dumps({"cases": cases, "soak": soak}),
                                                           encoding="utf-8")
                unreadable = c.conn.unreadable
                rows.append({"name": c.name, "state": c.conn.state.value, "last_seq": c.store.last_seq,
                             "cases": len(c.store), "welcomes": c.welcomes, "modes": dict(c.modes),
                             "resyncs": c.resyncs, "dead_links": c.dead_links, "faults": c.conn.faults,
                             "last_fault": c.conn.last_fault, "unreadable": unreadable.count if unreadable else 0,
                             "outbox_left": len(c.outbox), "pending": c.conn.pending_commands,
                             "outbox_problem": c.outbox.problem})
            report = folder / f"proc-{spec['proc']}.json"
            report.write_text(json.dumps({"consoles": rows, "given": [vars(g) for g in given]}), encoding="utf-8")
            emit({"report": str(report)})
        elif line == "trim":  # for the comparison with the fresh process: garbage and free heap out of the RSS
            gc.collect()
            with contextlib.suppress(OSError, AttributeError):
                ctypes.CDLL("libc.so.6").malloc_trim(0)
            emit({"trimmed": True})
    reporter.cancel()
    for c in consoles:
        await c.conn.close()
        c.outbox.close()
    return 0


# --- the parent: children, proxies, faults, samples ------------------------------------------


class Child:
    """A child process: lines on its stdin, lines from its stdout (JSON `status` lines kept apart), log to a file."""

    def __init__(self, name: str, command: list[str], log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._log, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.status: dict[str, Any] = {}
        self.samples: list[dict[str, Any]] = []
        self.cpu0 = 0.0
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout, loop), daemon=True).start()

    def _read(self, stream: IO[bytes], loop: asyncio.AbstractEventLoop) -> None:
        for raw in stream:
            loop.call_soon_threadsafe(self._line, raw.decode(errors="replace").rstrip("\n"))
        loop.call_soon_threadsafe(self._lines.put_nowait, None)

    def _line(self, line: str) -> None:
        if line.startswith('{"status"'):
            self.status = json.loads(line)["status"]
        else:
            self._lines.put_nowait(line)

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.write(f"{line}\n".encode())
            self.proc.stdin.flush()

    async def expect(self, pattern: str, timeout_s: float) -> re.Match[str]:
        """The next line matching `pattern` (others are passed over); fails if the child ends first."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                line = await asyncio.wait_for(self._lines.get(), max(0.001, deadline - time.monotonic()))
            except TimeoutError:
                raise SystemExit(f"{self.name}: no line matching {pattern!r} in {timeout_s:g} s; its log's end:\n"
                                 + self.log_tail()) from None
            if line is None:
                raise SystemExit(f"{self.name} ended (exit {self.proc.wait()}) before {pattern!r}; its log's end:\n"
                                 + self.log_tail())
            if match := re.search(pattern, line):
                return match

    async def message(self, key: str, timeout_s: float) -> dict[str, Any]:
        match = await self.expect(rf'^\{{"{key}"', timeout_s)
        message: dict[str, Any] = json.loads(match.string)
        return message

    def sample(self, t: float, **extra: Any) -> dict[str, Any] | None:
        try:
            status, cpu = proc_status(self.proc.pid), proc_cpu_s(self.proc.pid)
        except (FileNotFoundError, ProcessLookupError):
            return None
        sample = {"t_s": round(t, 1), "rss_mb": round(status["rss_mb"], 1), "peak_mb": round(status["peak_mb"], 1),
                  "cpu_s": round(cpu - self.cpu0, 2), **extra}
        self.samples.append(sample)
        return sample

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    async def stop(self, timeout_s: float = 30.0) -> int:
        if self.proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        loop = asyncio.get_running_loop()
        try:
            status = await loop.run_in_executor(None, self.proc.wait, timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = await loop.run_in_executor(None, self.proc.wait)
        self._log.close()
        return int(status)


@dataclass
class Faults:
    """Strikes each console's proxy at random while `on`; counts what it did."""

    rng: random.Random
    mean_s: float
    result_drop: float
    on: bool = True
    struck: Counter[str] = field(default_factory=Counter)

    def arm_result_drop(self, proxy: Any) -> None:
        from tests.backend_client.fault_proxy import DOWN, Fault

        if self.result_drop <= 0:
            return

        def match(chunk: bytes) -> bool:
            return self.on and b'"command.result"' in chunk and self.rng.random() < self.result_drop

        def fired() -> None:
            self.struck["result_dropped"] += 1
            self.arm_result_drop(proxy)  # the next answer on this console's links may go too

        proxy.arm(DOWN, match, Fault.DROP, on_fire=fired)

    async def strike(self, proxy: Any) -> None:
        kinds, weights = list(FAULT_KINDS), list(FAULT_KINDS.values())
        while True:
            await asyncio.sleep(self.rng.expovariate(1 / self.mean_s))
            if not self.on:
                return
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "cut":
                proxy.cut()  # also ends links a stall or a half-open left behind
            elif kind == "stall":
                proxy.stall()
            else:
                proxy.half_open()
            self.struck[kind] += 1


def log_lines(path: Path) -> dict[str, Any]:
    """A child's log: its warnings and errors counted by where they come from, and the first few."""
    counts: Counter[str] = Counter()
    first: list[str] = []
    for line in path.read_text(errors="replace").splitlines():
        found = re.search(r" (WARNING|ERROR|CRITICAL) ([\w.]+)", line)
        if found is None:
            if line.startswith("Traceback"):
                counts["traceback"] += 1
            continue
        counts[f"{found.group(1)} {found.group(2)}"] += 1
        if len(first) < 5:
            first.append(line[:300])
    return {"counts": dict(counts), "first": first}


def head_seq(url: str) -> int:
    """The hub's head `seq`, from its `/healthz`."""
    health = url.replace("ws://", "http://", 1).rsplit("/", 1)[0] + "/healthz"
    with urllib.request.urlopen(health, timeout=10) as answer:
        return int(json.loads(answer.read())["head_seq"])


def process_summary(samples: list[dict[str, Any]], warm_t: float, end_t: float) -> dict[str, Any]:
    """RSS at warm-up end and at the end of the simulated hours, growth, slope, CPU over the run."""
    run = [s for s in samples if s["t_s"] >= 0]
    if not run:
        return {"samples": samples}
    warm = next((s for s in run if s["t_s"] >= warm_t), run[-1])
    end = [s for s in run if s["t_s"] <= end_t][-1] if any(s["t_s"] <= end_t for s in run) else run[-1]
    after = [s for s in run if warm["t_s"] <= s["t_s"] <= end["t_s"]]
    span = end["t_s"] - run[0]["t_s"]
    return {"warmup_end": warm, "end": end,
            "rss_growth_mb": round(end["rss_mb"] - warm["rss_mb"], 1),
            "rss_growth_percent": growth(warm["rss_mb"], end["rss_mb"]),
            "rss_peak_mb": end["peak_mb"],
            "rss_slope_after_warmup_mb_per_min": slope_mb_per_min(after),
            "cpu_percent_over_run": round(100 * (end["cpu_s"] - run[0]["cpu_s"]) / span, 1) if span else None,
            "samples": samples}


def read_log(db: Path, head_at_go: int) -> dict[str, Any]:
    """What the hub's database holds: seqs, the clock's span, cases and versions, the soak's tokens."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        count, first, last = conn.execute("SELECT COUNT(*), MIN(seq), MAX(seq) FROM events").fetchone()
        ts = dict(conn.execute("SELECT 'first', MIN(ts) FROM events WHERE seq > ? UNION ALL "
                               "SELECT 'last', MAX(ts) FROM events WHERE seq > ?", (head_at_go, head_at_go)).fetchall())
        cases = {str(i): int(v) for i, v in conn.execute("SELECT id, version FROM cases")}
        tokens: dict[str, Counter[str]] = {"case.created": Counter(), "supervision.recorded": Counter()}
        for kind, frame in conn.execute("SELECT type, frame FROM events WHERE type IN "
                                        "('case.created', 'supervision.recorded') AND seq > ?", (head_at_go,)):
            for token in TOKEN.findall(bytes(frame)):
                tokens[kind][token.decode()] += 1
        commands = conn.execute("SELECT COUNT(*), SUM(ok) FROM commands WHERE user LIKE 'soak-%'").fetchone()
    def utc(stamp: str | None) -> str | None:  # SQLite holds the hub's UTC instants without their zone
        return None if stamp is None else datetime.fromisoformat(stamp).replace(tzinfo=UTC).isoformat()

    return {"events": count, "first_seq": first, "last_seq": last,
            "contiguous": count == (last or 0) and (first == 1 or count == 0),
            "first_ts_of_run": utc(ts.get("first")), "last_ts_of_run": utc(ts.get("last")), "cases": cases,
            "tokens": tokens,
            "commands_stored": commands[0], "commands_stored_ok": commands[1]}


async def soak(args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    from tests.backend_client.fault_proxy import FaultProxy

    run_s = args.hours * 3600 / args.rate
    warm_t = args.warmup * run_s
    me = str(Path(__file__).resolve())
    db = scratch / "soak-hub.db"
    hub = Child("hub", [sys.executable, me, "--child", "hub", "--db", f"sqlite:///{db}", "--tokens",
                        str(scratch / "tokens.json"), "--accounts", str(args.consoles + 1), "--hours", str(args.hours),
                        "--rate", str(args.rate), "--arrivals", str(args.arrivals), "--seed", str(args.seed),
                        "--start-hour", str(args.start_hour), "--backfill-hours", str(args.backfill_hours),
                        "--step-s", str(args.step_s)], scratch / "hub.log")
    children: list[Child] = []
    fresh: Child | None = None
    try:
        banner = await hub.expect(r"^hub serving (ws://127\.0\.0\.1:(\d+)/feed) \(log (\w+), seq (\d+)", START_S)
        url, port, head_at_start = banner.group(1), int(banner.group(2)), int(banner.group(4))
        tokens: dict[str, str] = json.loads((scratch / "tokens.json").read_text(encoding="utf-8"))
        names = sorted(tokens)
        faults = Faults(random.Random(f"faults:{args.seed}"), args.cut_every_s, args.result_drop)
        async with contextlib.AsyncExitStack() as stack:
            proxies = [await stack.enter_async_context(FaultProxy(port)) for _ in range(args.consoles)]
            sizes = [args.consoles // args.procs + (1 if p < args.consoles % args.procs else 0)
                     for p in range(args.procs)]
            first = 0
            for p, size in enumerate(sizes):
                spec = {"proc": p, "seed": f"{args.seed}:{p}", "sample_s": args.sample_s, "report": str(scratch),
                        "command_every_s": args.command_every_s * args.consoles / size if args.command_every_s else 0,
                        "consoles": [{"name": names[i], "url": proxies[i].url("/feed"), "token": tokens[names[i]],
                                      "outbox": str(scratch / f"{names[i]}.outbox.sqlite")}
                                     for i in range(first, first + size)]}
                first += size
                (scratch / f"proc-{p}.spec.json").write_text(json.dumps(spec), encoding="utf-8")
                children.append(Child(f"consoles-{p}", [sys.executable, me, "--child", "consoles", "--spec",
                                                        str(scratch / f"proc-{p}.spec.json")],
                                      scratch / f"consoles-{p}.log"))
            ready = [await child.message("ready", START_S) for child in children]
            print(f"hub at seq {head_at_start}; {args.consoles} consoles in {args.procs} processes live "
                  f"({ready[0]['cases']} cases each); the clock starts", file=sys.stderr)
            for child in (hub, *children):
                child.cpu0 = proc_cpu_s(child.proc.pid)
                child.sample(-1.0, **child.status)  # before the clock moves
            load_at_go = os.getloadavg()
            go = time.monotonic()
            hub.send("go")
            for child in children:
                child.send("go")
            strikers = [asyncio.get_running_loop().create_task(faults.strike(proxy)) for proxy in proxies]
            for proxy in proxies:
                faults.arm_result_drop(proxy)
            clock_done = asyncio.get_running_loop().create_task(
                hub.expect(r"^clock done seq (\d+) from (\d+) at (\S+) wall ([\d.]+)", run_s * 6 + START_S))
            while not clock_done.done():
                t = time.monotonic() - go
                hub.sample(t)
                for child in children:
                    child.sample(t, **child.status)
                await asyncio.wait((clock_done,), timeout=args.sample_s)
            done = clock_done.result()
            end_t = time.monotonic() - go
            hub.sample(end_t)
            for child in children:
                child.sample(end_t, **child.status)
            load_at_end = os.getloadavg()
            faults.on = False
            for striker in strikers:
                striker.cancel()
            print(f"simulated hours done in {end_t:.0f} s (seq {done.group(2)} -> {done.group(1)}); "
                  "faults stopped, settling", file=sys.stderr)
            for child in children:
                child.send("stop")
            settled = [await child.message("settled", SETTLE_S) for child in children]
            head = await asyncio.get_running_loop().run_in_executor(None, head_seq, url)
            for child in children:
                child.send(f"catch-up {head}")
            reports = [json.loads(Path((await child.message("report", SETTLE_S))["report"]).read_text())
                       for child in children]
            settle_s = time.monotonic() - go - end_t
            # the baseline: as many consoles as the largest soaked process, fresh, on the final state
            fresh_spec = {"proc": "fresh", "seed": f"{args.seed}:fresh", "sample_s": args.sample_s,
                          "report": str(scratch / "fresh"), "command_every_s": 0,
                          "consoles": [{"name": f"fresh-{i}", "url": url, "token": tokens[names[-1]],
                                        "outbox": str(scratch / f"fresh-{i}.outbox.sqlite")}
                                       for i in range(max(sizes))]}
            (scratch / "fresh").mkdir()
            (scratch / "fresh.spec.json").write_text(json.dumps(fresh_spec), encoding="utf-8")
            baseline = fresh = Child("fresh", [sys.executable, me, "--child", "consoles", "--spec",
                                               str(scratch / "fresh.spec.json")], scratch / "fresh.log")
            await baseline.message("ready", START_S)
            baseline.send(f"catch-up {head}")
            fresh_report = json.loads(Path((await baseline.message("report", SETTLE_S))["report"]).read_text())
            final = [child.sample(time.monotonic() - go) for child in children]
            fresh_sample = baseline.sample(0.0)
            for child in (*children, baseline):
                child.send("trim")
            for child in (*children, baseline):
                await child.message("trimmed", SETTLE_S)
            trimmed = [child.sample(time.monotonic() - go) for child in children]
            fresh_trimmed = baseline.sample(0.0)
        statuses = {child.name: await child.stop() for child in (*children, baseline)}
        statuses["hub"] = await hub.stop()
    finally:
        for child in (*children, *([fresh] if fresh else []), hub):
            if child.proc.poll() is None:
                child.proc.kill()
                child.proc.wait()
    log = read_log(db, int(done.group(2)))
    logs = {child.name: log_lines(child.log_path) for child in (hub, *children, baseline)}
    return {"logs": logs, "url": url, "head_at_start": head_at_start, "head_at_go": int(done.group(2)),
            "head_at_clock_end": int(done.group(1)), "head_final": head, "clock_end": done.group(3),
            "hub_clock_wall_s": float(done.group(4)), "end_t": end_t, "warm_t": warm_t, "settle_s": settle_s,
            "hub": hub, "children": children, "sizes": sizes, "fresh": fresh_sample, "fresh_report": fresh_report,
            "fresh_trimmed": fresh_trimmed, "trimmed": trimmed, "final": final, "settled": settled,
            "reports": reports, "faults": faults, "log": log,
            "exit_statuses": statuses, "load_at_go": load_at_go, "load_at_end": load_at_end,
            "proxies_accepted": sum(p.accepted for p in proxies)}


# --- the verdict -------------------------------------------------------------------------------


def verify(run: dict[str, Any], scratch: Path) -> dict[str, Any]:
    """Stores against the hub's log; every command given against the log and the stores."""
    log = run["log"]
    hub_cases: dict[str, int] = log["cases"]
    consoles = [row for report in run["reports"] for row in report["consoles"]]
    given = [g for report in run["reports"] for g in report["given"]]
    disagree: list[dict[str, Any]] = []
    created_in_store: dict[str, Counter[str]] = {}
    for row in consoles + run["fresh_report"]["consoles"]:
        folder = scratch / "fresh" if row["name"].startswith("fresh-") else scratch
        held = json.loads((folder / f"{row['name']}.cases.json").read_text(encoding="utf-8"))
        cases: dict[str, int] = held["cases"]
        created_in_store[row["name"]] = Counter(t.decode() for d in held["soak"].values()
                                                for t in TOKEN.findall(d.encode()))
        if row["last_seq"] != run["head_final"] or cases != hub_cases:
            disagree.append({"console": row["name"], "last_seq": row["last_seq"], "cases": len(cases),
                             "missing": len(hub_cases.keys() - cases.keys()),
                             "extra": len(cases.keys() - hub_cases.keys()),
                             "other_version": sum(1 for k, v in cases.items() if k in hub_cases and hub_cases[k] != v)})
    outcome: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    problems: list[dict[str, Any]] = []
    for g in given:
        kind = "case.created" if g["name"] == "case.create" else "supervision.recorded"
        in_log = log["tokens"][kind][g["token"]]
        in_stores = [created_in_store[row["name"]][g["token"]] for row in consoles] if kind == "case.created" else []
        if g["ok"] is None:
            verdict = "unanswered"
        elif g["ok"] is False:
            verdict = "refused" if in_log == 0 else "refused_but_applied"
            refused[g["code"] or "?"] += 1
        elif in_log == 0:
            verdict = "lost"
        elif in_log > 1:
            verdict = "applied_twice"
        elif in_stores and any(n != 1 for n in in_stores):
            verdict = "not_once_in_a_store"
        else:
            verdict = "exactly_once"
        outcome[verdict] += 1
        if verdict not in ("exactly_once", "refused"):
            problems.append({**g, "verdict": verdict, "in_log": in_log, "in_stores": in_stores})
    accepted = len(given) - outcome["refused"]
    return {
        "stores_agree_with_hub": not disagree, "disagreeing_consoles": disagree,
        "log_seq_contiguous": log["contiguous"],
        "commands": {"given": len(given), "answered": sum(1 for g in given if g["ok"] is not None),
                     "answered_ok": sum(1 for g in given if g["ok"]), "refused": outcome["refused"],
                     "refused_by_code": dict(refused),
                     "by_name": dict(Counter(g["name"] for g in given)),
                     "applied_exactly_once": outcome["exactly_once"],
                     "applied_exactly_once_percent": round(100 * outcome["exactly_once"] / accepted, 2)
                     if accepted else None,
                     "applied_twice": outcome["applied_twice"] + outcome["not_once_in_a_store"],
                     "lost": outcome["lost"] + outcome["unanswered"],
                     "outcomes": dict(outcome), "problems": problems,
                     "stored_by_hub_for_soak_accounts": log["commands_stored"]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours (on the hub's virtual clock)")
    parser.add_argument("--rate", type=float, default=50.0, help="the hub's clock, times the wall clock")
    parser.add_argument("--consoles", type=int, default=50)
    parser.add_argument("--procs", type=int, default=5, help="console processes (the consoles spread over them)")
    parser.add_argument("--cut-every-s", type=float, default=120.0,
                        help="mean real seconds between faults on each console's link")
    parser.add_argument("--command-every-s", type=float, default=10.0,
                        help="mean real seconds between commands (of all consoles together; 0: none)")
    parser.add_argument("--result-drop", type=float, default=0.3,
                        help="chance that a command.result is dropped with its link on the way to the console")
    parser.add_argument("--arrivals", type=float, default=1.0, help="simulator: times ~3,000 requests a day")
    parser.add_argument("--start-hour", type=int, default=8, help="the clock's start, local hour (Shanghai)")
    parser.add_argument("--backfill-hours", type=float, default=8.0)
    parser.add_argument("--step-s", type=float, default=0.0, help="clock deadlines this close are worked together")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=0.2, help="warm-up as a share of the run")
    parser.add_argument("--sample-s", type=float, default=5.0)
    parser.add_argument("--quick", action="store_true",
                        help="a try: 0.25 simulated hours (18 s at 50x), 6 consoles in 2 processes, frequent faults")
    parser.add_argument("--scratch", type=Path, help="keep the databases, logs and reports in this new folder")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "soak.json")
    # a child's own arguments (the parent passes them)
    parser.add_argument("--child", choices=["hub", "consoles"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--tokens", help=argparse.SUPPRESS)
    parser.add_argument("--accounts", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "hub":
        return asyncio.run(child_hub(args))
    if args.child == "consoles":
        return asyncio.run(child_consoles(args))
    if args.quick:
        for key, value in QUICK.items():  # what the command line did not set
            if getattr(args, key) == parser.get_default(key):
                setattr(args, key, value)
    if not 1 <= args.procs <= args.consoles:
        parser.error("--procs: between 1 and --consoles")
    if args.hours <= 0 or args.rate <= 0 or args.cut_every_s <= 0:
        parser.error("--hours, --rate and --cut-every-s must be above 0")

    started = time.monotonic()
    load_start = os.getloadavg()
    if args.scratch is not None:
        args.scratch.mkdir(parents=True)
        holder: contextlib.AbstractContextManager[str] = contextlib.nullcontext(str(args.scratch))
    else:
        holder = tempfile.TemporaryDirectory(prefix="cc-soak-")
    with holder as folder:
        scratch = Path(folder)
        run = asyncio.run(soak(args, scratch))
        verdict = verify(run, scratch)
    result = report(args, run, verdict, load_start, time.monotonic() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


def report(args: argparse.Namespace, run: dict[str, Any], verdict: dict[str, Any], load_start: tuple[float, ...],
           total_s: float) -> dict[str, Any]:
    hub: Child = run["hub"]
    hub_figures = process_summary(hub.samples, run["warm_t"], run["end_t"])
    procs = []
    for child, size, final, trimmed in zip(run["children"], run["sizes"], run["final"], run["trimmed"], strict=True):
        summary = process_summary(child.samples, run["warm_t"], run["end_t"])
        per = {k: round(summary[k]["rss_mb"] / size, 1) for k in ("warmup_end", "end")}
        procs.append({"process": child.name, "consoles": size, **summary,
                      "rss_per_console_mb": per,
                      "cases_at_warmup_end": summary["warmup_end"].get("cases"),
                      "cases_at_end": summary["end"].get("cases"),
                      "rss_after_catch_up_mb": final["rss_mb"] if final else None,
                      "rss_after_catch_up_and_trim_mb": trimmed["rss_mb"] if trimmed else None})
    fresh, fresh_trimmed = run["fresh"], run["fresh_trimmed"]
    size = max(run["sizes"])
    alike = [p["rss_after_catch_up_and_trim_mb"] for p in procs
             if p["consoles"] == size and p["rss_after_catch_up_and_trim_mb"] is not None]
    soaked_mb = round(sum(alike) / len(alike), 1) if alike else None
    over_fresh = growth(fresh_trimmed["rss_mb"], soaked_mb) if fresh_trimmed else None
    consoles = [row for r in run["reports"] for row in r["consoles"]]
    reconnects = sum(max(0, row["welcomes"] - 1) for row in consoles)
    modes: Counter[str] = Counter()
    for row in consoles:
        modes.update(row["modes"])
    log = run["log"]
    begin = DAY.replace(hour=args.start_hour, tzinfo=ZONE).astimezone(UTC)
    clock_end = datetime.fromisoformat(run["clock_end"])
    hours = (clock_end - begin).total_seconds() / 3600
    worst_console = max((p["rss_growth_percent"] or 0.0) for p in procs)
    commands = verdict["commands"]
    figures = {
        "hub_rss_growth_percent": figure(hub_figures.get("rss_growth_percent"), TARGETS["rss_growth_percent"], "%",
                                         cases_at_warmup_end=procs[0]["cases_at_warmup_end"],
                                         cases_at_end=procs[0]["cases_at_end"]),
        "console_rss_growth_percent_worst_process": figure(
            worst_console, TARGETS["rss_growth_percent"], "%", cases_at_warmup_end=procs[0]["cases_at_warmup_end"],
            cases_at_end=procs[0]["cases_at_end"]),
        "console_rss_soaked_over_fresh_percent": figure(over_fresh, TARGETS["rss_growth_percent"], "%",
                                                        cases=len(log["cases"])),
        "applied_exactly_once_percent": figure(commands["applied_exactly_once_percent"],
                                               TARGETS["applied_exactly_once_percent"], "%", at_least=True),
        "commands_lost": figure(commands["lost"], TARGETS["commands_lost"], "commands"),
    }
    checks = {"stores_agree_with_hub": verdict["stores_agree_with_hub"],
              "log_seq_contiguous": verdict["log_seq_contiguous"],
              "applied_twice": commands["applied_twice"] == 0,
              "children_exited_cleanly": all(v == 0 for v in run["exit_statuses"].values())}
    faults: Faults = run["faults"]
    result: dict[str, Any] = {
        "benchmark": "soak",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_start": [round(v, 2) for v in load_start],
                    "load_average_at_clock_start": [round(v, 2) for v in run["load_at_go"]],
                    "load_average_at_clock_end": [round(v, 2) for v in run["load_at_end"]],
                    "note": "the hub, the console processes and the parent (its fault proxies) share the cores "
                            "with any other work on the machine"},
        "setup": {"hours": args.hours, "rate": args.rate, "consoles": args.consoles, "procs": args.procs,
                  "cut_every_s": args.cut_every_s, "command_every_s": args.command_every_s,
                  "result_drop": args.result_drop, "arrivals": args.arrivals, "seed": args.seed,
                  "clock_start": begin.isoformat(), "backfill_hours": args.backfill_hours, "step_s": args.step_s,
                  "warmup_share": args.warmup, "warmup_s": round(run["warm_t"], 1), "sample_s": args.sample_s,
                  "fault_kinds": FAULT_KINDS,
                  "hub": "hub.embedded.EmbeddedHub(simulate=True, clock=VirtualClock) in a child process, the clock "
                         "moved by hub.virtual_clock.ClockDriver at `rate` times the wall clock",
                  "console": "FeedConnection + CaseStore + Outbox (SQLite file) each; per console figures are "
                             "process RSS / consoles in it"},
        "targets": TARGETS,
        "figures": figures,
        "checks": checks,
        "met": all(f["met"] for f in figures.values() if f["met"] is not None) and all(checks.values()),
        "events": {"head_seq_at_hub_start": run["head_at_start"], "head_seq_at_clock_start": run["head_at_go"],
                   "head_seq_at_clock_end": run["head_at_clock_end"], "head_seq_final": run["head_final"],
                   "events_during_run": run["head_final"] - run["head_at_go"],
                   "log": {k: log[k] for k in ("events", "first_seq", "last_seq", "contiguous", "first_ts_of_run",
                                               "last_ts_of_run")}},
        "time": {"hours_simulated": round(hours, 3), "clock_start": begin.isoformat(), "clock_end": run["clock_end"],
                 "wall_s_of_simulated_hours": round(run["end_t"], 1), "hub_clock_wall_s": run["hub_clock_wall_s"],
                 "achieved_rate": round(hours * 3600 / run["end_t"], 1) if run["end_t"] else None,
                 "settle_s": round(run["settle_s"], 1), "total_s": round(total_s, 1)},
        "hub": {"cases_at_end": len(log["cases"]), **hub_figures},
        "console_processes": procs,
        "fresh_baseline": {"what": f"{size} consoles in a new process, connected after the soak, caught up by "
                                   "snapshot: the same stores without the day behind them; compared after "
                                   "gc.collect() and malloc_trim(0) in it and in the soaked processes of as many "
                                   "consoles (their mean)",
                           "rss_after_catch_up_mb": fresh["rss_mb"] if fresh else None,
                           "rss_after_trim_mb": fresh_trimmed["rss_mb"] if fresh_trimmed else None,
                           "rss_per_console_after_trim_mb": round(fresh_trimmed["rss_mb"] / size, 1)
                           if fresh_trimmed else None,
                           "soaked_processes_after_trim_mb": soaked_mb,
                           "soaked_over_fresh_percent": over_fresh},
        "reconnects": {"total": reconnects, "welcomes": sum(row["welcomes"] for row in consoles),
                       "by_mode": dict(modes), "per_console_min": min(row["welcomes"] - 1 for row in consoles),
                       "per_console_max": max(row["welcomes"] - 1 for row in consoles),
                       "dead_links_found_by_ping_timeout": sum(row["dead_links"] for row in consoles),
                       "resyncs_seq_gap": sum(row["resyncs"] for row in consoles),
                       "proxy_connections_accepted": run["proxies_accepted"]},
        "faults_struck": dict(faults.struck),
        "consoles": {"feed_faults": sum(row["faults"] for row in consoles),
                     "last_faults": sorted({row["last_fault"] for row in consoles if row["last_fault"]}),
                     "unreadable_events": sum(row["unreadable"] for row in consoles),
                     "outbox_rows_left": sum(row["outbox_left"] for row in consoles),
                     "outbox_problems": sorted({row["outbox_problem"] for row in consoles if row["outbox_problem"]}),
                     "per_console": consoles},
        "verification": verdict,
        "exit_statuses": run["exit_statuses"],
        "logs": run["logs"],
    }
    print_table(result)
    return result


def print_table(result: dict[str, Any]) -> None:
    t, ev, rc, cmd = result["time"], result["events"], result["reconnects"], result["verification"]["commands"]
    print(f"soak: {t['hours_simulated']:g} simulated hours from {t['clock_start']} in "
          f"{t['wall_s_of_simulated_hours']:g} s (x{t['achieved_rate']}), {result['setup']['consoles']} consoles in "
          f"{result['setup']['procs']} processes; the events' ts span {ev['log']['first_ts_of_run']} to "
          f"{ev['log']['last_ts_of_run']}")
    print(f"{'figure':42s} {'value':>10s} {'target':>8s} {'met':>6s}")
    for name, f in result["figures"].items():
        print(f"{name:42s} {f['value']!s:>10s} {f['target']!s:>8s} {f['met']!s:>6s}")
    for name, ok in result["checks"].items():
        print(f"{name:42s} {ok!s:>10s}")
    hub = result["hub"]
    print(f"events: seq {ev['head_seq_at_clock_start']} -> {ev['head_seq_final']} "
          f"({ev['events_during_run']} in the run); cases {hub['cases_at_end']}")
    print(f"hub RSS: {hub['warmup_end']['rss_mb']} MB at warm-up end -> {hub['end']['rss_mb']} MB "
          f"({hub['rss_growth_percent']} %), CPU {hub['cpu_percent_over_run']} % of one core")
    for p in result["console_processes"]:
        print(f"{p['process']} ({p['consoles']} consoles): {p['warmup_end']['rss_mb']} -> {p['end']['rss_mb']} MB "
              f"({p['rss_growth_percent']} %; per console {p['rss_per_console_mb']['warmup_end']} -> "
              f"{p['rss_per_console_mb']['end']} MB; cases {p['cases_at_warmup_end']} -> {p['cases_at_end']}), "
              f"CPU {p['cpu_percent_over_run']} %")
    fb = result["fresh_baseline"]
    print(f"fresh baseline after gc and trim: {fb['rss_after_trim_mb']} MB vs soaked "
          f"{fb['soaked_processes_after_trim_mb']} MB ({fb['soaked_over_fresh_percent']} %); before the trim: "
          f"fresh {fb['rss_after_catch_up_mb']} MB")
    print(f"reconnects {rc['total']} ({rc['by_mode']}; per console {rc['per_console_min']}..{rc['per_console_max']}), "
          f"dead links found by ping timeout {rc['dead_links_found_by_ping_timeout']}, "
          f"resyncs {rc['resyncs_seq_gap']}; "
          f"faults struck {result['faults_struck']}")
    print(f"commands: given {cmd['given']}, answered {cmd['answered']} (ok {cmd['answered_ok']}, refused "
          f"{cmd['refused']} {cmd['refused_by_code']}), exactly once {cmd['applied_exactly_once']}, twice "
          f"{cmd['applied_twice']}, lost {cmd['lost']}")
    c = result["consoles"]
    print(f"feed faults {c['feed_faults']}, unreadable events {c['unreadable_events']}, "
          f"outbox rows left {c['outbox_rows_left']}; met: {result['met']}")
    for name, seen in result["logs"].items():
        if seen["counts"]:
            print(f"{name} logged: {seen['counts']}")


if __name__ == "__main__":
    sys.exit(main())
