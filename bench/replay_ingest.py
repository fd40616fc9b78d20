"""Replay at 60x into a running hub while a real console follows: does it stay within its ingest targets?

    python bench/replay_ingest.py [--speed 60] [--hours 6] [--copies 1] [--limit 0] [--out PATH]

* the data: the shipped NYC sample (New Year's Eve 2019, 18:52-23:59; resources/data/service_requests/),
  `--copies N` times (each row again with a new id: a city N times as busy), its centre set up with
  `python -m hub import … --centre-only` in a new SQLite file;
* the hub: `python -m hub serve` in its own process (backend_client.hub_process.HubProcess), no simulator;
* the replay: `python -m hub replay FILE --mapping nyc.toml --speed 60` in its own process, as documented
  (docs/data-import.md), sending each request's steps at their original times scaled; stopped with `q`
  after `--hours` of data time (6: every request of the evening and the closures of that night; the
  sample's closures go on for days and a few for years, which at 60x would take weeks);
* the console, in this process: the duty window (console.main_window.MainWindow, offscreen, 1600x900, in the
  application's own look) over a `CaseStore` fed by a real `FeedConnection` on a qasync loop, as `main.py`
  runs it; each event's arrival in the store is logged (its `seq`, the hub's commit stamp `ts`, the wall
  clock), and each drain of the window's 100 ms timer with the store's `seq` then; a 1 ms QTimer probes
  the GUI thread's stalls (its lateness);
* the same-run baseline: a bare WebSocket subscriber in a third process (hello, then read; no store, no Qt)
  on the same hub during the same replay: the lag the feed itself has, which the console's adds to.

Figures, each against a target (the first two are bench/console_ingest.py's ingest targets):

* ingest: the console's client path (decode, FeedSession, CaseStore, 100 ms drains into the queue and its
  paints: console_ingest's `Ours`) over the replay's own frames, offered as fast as taken: events/s
  (>= 20,000 events/s), so the headroom over what the replay offers is seen;
* longest stall of the GUI thread during the replay (<= 50 ms);
* lag, commit (event `ts`) to the console's store, p99 (<= 100 ms: within one drain interval) and to the
  queue's model (the drain after it), p99 (<= 200 ms: two drain intervals), beside the bare subscriber's;
* kept up: every event of the replay in the console's store (none dropped, no resync), and the rates
  offered and taken (mean and busiest second).

Prints a table and writes JSON to bench/results/replay_ingest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import msgspec  # noqa: E402

SAMPLES = ROOT / "resources" / "data" / "service_requests"
NYC, MAPPING = SAMPLES / "nyc_311_sample.csv", SAMPLES / "nyc.toml"
LAG_TARGETS_MS = {"lag_to_store_p99_ms": 100.0, "lag_to_queue_p99_ms": 200.0}
SETTLE_S = 2.0
"""After the replay ends, the feed is quiet this long before the bench stops listening."""


class _Stamp(msgspec.Struct):
    type: str = ""
    seq: int | None = None
    ts: str | None = None


_stamp = msgspec.json.Decoder(_Stamp)


# --- the baseline: a bare subscriber in its own process --------------------------------------


async def _subscribe(url: str, token: str, out: Path) -> None:
    """Hello from seq 0, then read every frame with its arrival time until stdin closes; write them to `out`."""
    from websockets.asyncio.client import connect

    from protocol import PROTOCOL_VERSION, Hello, encode

    got: list[tuple[float, bytes]] = []
    async with connect(url, subprotocols=[PROTOCOL_VERSION], max_size=None) as ws:  # type: ignore[list-item]
        await ws.send(encode(Hello(token=token, client="bench-bare-subscriber", resume_from=0)), text=True)

        async def read() -> None:
            async for frame in ws:
                got.append((time.time(), frame if isinstance(frame, bytes) else frame.encode()))

        reader = asyncio.ensure_future(read())
        print("subscribed", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        reader.cancel()
    out.write_bytes(msgspec.msgpack.encode(got))


# --- the console -----------------------------------------------------------------------------


def _source(folder: Path, copies: int) -> Path:
    if copies <= 1:
        return NYC
    target = folder / f"nyc_x{copies}.csv"
    with NYC.open(encoding="utf-8", newline="") as handle, target.open("w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(handle)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        rows = list(reader)
        for copy in range(copies):
            for row in rows:
                writer.writerow({**row, "unique_key": row["unique_key"] + (f"{copy:02d}" if copy else "")})
    return target


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0, "n": 0}
    ordered = sorted(values)
    return {"p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
            "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
            "n": len(ordered)}


def _rates(times: list[float]) -> dict[str, float]:
    if len(times) < 2:
        return {"mean_events_per_s": 0.0, "busiest_second_events": len(times)}
    seconds = Counter(int(t) for t in times)
    return {"mean_events_per_s": round(len(times) / max(times[-1] - times[0], 1e-9), 1),
            "busiest_second_events": max(seconds.values())}


def _figure(value: float, target: float, unit: str, higher_is_better: bool = False, **extra: Any) -> dict[str, Any]:
    return {"value": value, "target": target, "unit": unit,
            "met": value >= target if higher_is_better else value <= target, **extra}


async def _follow(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from PySide6.QtCore import QSettings, Qt, QTimer

    from backend_client.connection import FeedConnection
    from backend_client.hub_process import HubProcess
    from backend_client.session import ConnectionState
    from backend_client.store import CaseStore
    from console.main_window import MainWindow

    source = _source(folder, args.copies)
    db = folder / "nyc.db"
    setup = subprocess.run([sys.executable, "-m", "hub", "import", str(source), "--mapping", str(MAPPING),
                            "--centre-only", "--rejects", str(folder / "rejects.csv"), "--no-progress",
                            "--db", str(db)],
                           cwd=ROOT, capture_output=True, text=True)
    if setup.returncode:
        raise SystemExit(f"setting up the centre failed: {setup.stderr.strip()}")
    arrivals: list[tuple[int, float, float]] = []  # seq, commit ts, arrival in the store

    def arrived(event: Any) -> None:  # a tap, run once the store has applied the event
        arrivals.append((event.seq, event.ts.timestamp(), time.time()))

    async with HubProcess(f"sqlite:///{db}", simulate=False) as hub:
        loop = asyncio.get_running_loop()
        frames_file = folder / "bare.msgpack"
        bare = subprocess.Popen([sys.executable, __file__, "--subscriber", hub.url, hub.token, str(frames_file)],
                                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert bare.stdout is not None and bare.stdin is not None
        line = await loop.run_in_executor(None, bare.stdout.readline)
        assert line.strip() == b"subscribed", line
        store = CaseStore()  # compiled where built (backend_client/store/native.py): taps, not a subclass
        store.event_taps.append(arrived)
        feed = FeedConnection(hub.url, hub.token, store)
        window = MainWindow(store, feed, language="en",
                            settings=QSettings(str(folder / "console.ini"), QSettings.Format.IniFormat))
        window.resize(1600, 900)
        window.show()
        await feed.start()
        while feed.state is not ConnectionState.LIVE:
            await asyncio.sleep(0.05)
        first_seq = store.last_seq
        left_live: list[str] = []  # the feed leaving LIVE during the replay (a resync, a reconnect)
        feed.add_listener(lambda f: left_live.append(str(f.state)) if f.state is not ConnectionState.LIVE else None)
        drains: list[tuple[float, int]] = []
        window._drain_timer.timeout.connect(lambda: drains.append((time.time(), store.last_seq)))  # at each drain
        fired: array[float] = array("d")
        probe = QTimer(interval=1, timerType=Qt.TimerType.PreciseTimer)
        probe.timeout.connect(lambda: fired.append(time.perf_counter()))
        command = [sys.executable, "-m", "hub", "replay", str(source), "--mapping", str(MAPPING),
                   "--speed", str(args.speed), "--hub", hub.url, "--token", hub.token]
        if args.limit:
            command += ["--limit", str(args.limit)]
        probe_start = time.perf_counter()
        probe.start()
        started = time.time()
        replay = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        assert replay.stdin is not None and replay.stdout is not None
        banner = await loop.run_in_executor(None, replay.stdout.readline)  # printed when the pacer starts
        playing = time.time()
        print(banner.strip(), flush=True)
        print(f"playing {args.hours:g} h of data time at x{args.speed:g}: {args.hours * 60 / args.speed:.1f} min",
              flush=True)
        while replay.poll() is None and time.time() - playing < args.hours * 3600 / args.speed:
            await asyncio.sleep(0.25)
        if replay.poll() is None:
            replay.stdin.write("q\n")  # the documented way to stop it
            replay.stdin.flush()
        while replay.poll() is None:
            await asyncio.sleep(0.1)
        replay_s = time.time() - started
        quiet_since, seen = time.time(), store.last_seq
        while time.time() - quiet_since < SETTLE_S:
            await asyncio.sleep(0.1)
            if store.last_seq != seen:
                quiet_since, seen = time.time(), store.last_seq
        probe_end = time.perf_counter()
        probe.stop()
        out, err = replay.communicate()
        out = banner + out
        bare.stdin.close()
        await loop.run_in_executor(None, bare.wait)
        window.stop()
        await feed.close()
        cases = len(store)
        resyncs = len([s for s in left_live if "STOPPED" not in s and "stopped" not in s])
        window.close()
    from bench.console_ingest import lateness

    stall = lateness(fired, probe_start, probe_end, [])
    bare_rows = msgspec.msgpack.decode(frames_file.read_bytes(), type=list[tuple[float, bytes]])
    bare_lag, bare_times, events = [], [], []
    for at, frame in bare_rows:
        stamp = _stamp.decode(frame)
        if stamp.seq is None or stamp.ts is None:
            continue
        events.append(frame)
        if stamp.seq > first_seq:
            bare_lag.append(at - datetime.fromisoformat(stamp.ts).timestamp())
            bare_times.append(at)
    last_seq = max((s for s, _ts, _at in arrivals), default=first_seq)
    live = [(s, ts, at) for s, ts, at in arrivals if s > first_seq]
    store_lag = [at - ts for _s, ts, at in live]
    queue_lag = []
    d = 0
    for s, ts, _at in sorted(live):
        while d < len(drains) and drains[d][1] < s:
            d += 1
        if d < len(drains):
            queue_lag.append(drains[d][0] - ts)
    return {"source": source.name, "copies": args.copies, "speed": args.speed, "hours": args.hours,
            "replay_s": round(replay_s, 1),
            "replay_output": (out.strip().splitlines() or [""])[-1], "replay_exit": replay.returncode,
            "replay_errors": err.strip().splitlines()[-3:], "cases_in_store": cases,
            "events_replayed": len(live), "bare_events": len(bare_times), "store_last_seq": last_seq,
            "bare_last_seq": max((_stamp.decode(f).seq or 0 for f in events), default=0),
            "resyncs": resyncs, "stall": stall, "store_lag": _percentiles(store_lag),
            "queue_lag": _percentiles(queue_lag), "bare_lag": _percentiles(bare_lag),
            "offered": _rates(bare_times), "taken": _rates([at for _s, _ts, at in live]),
            "frames": events}


def _capacity(app: Any, frames: list[bytes]) -> dict[str, Any]:
    """console_ingest's client path over the replay's frames, as fast as taken."""
    from bench.console_ingest import Ours, ingest

    ours = Ours(app, [])
    try:
        result = ingest(app, ours, frames, None, cap_s=120.0)
        result["store_last_seq"] = ours.store.last_seq
        result["cases_in_store"] = len(ours.store)
        return result
    finally:
        ours.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed", type=float, default=60.0, help="replay speed (default 60)")
    parser.add_argument("--copies", type=int, default=1, help="the sample this many times, each with new ids")
    parser.add_argument("--limit", type=int, default=0, help="only the first N requests (0: all)")
    parser.add_argument("--hours", type=float, default=6.0,
                        help="hours of data time to play from the first request (default 6: the evening and the "
                             "night's closures; the sample's last closures are years later), then q")
    parser.add_argument("--subscriber", nargs=3, metavar=("URL", "TOKEN", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "replay_ingest.json")
    args = parser.parse_args()
    if args.subscriber:
        url, token, out = args.subscriber
        asyncio.run(_subscribe(url, token, Path(out)))
        return 0

    import qasync

    from bench.console_ingest import TARGETS
    from console.app import prepare_application

    app = prepare_application("en")  # the console's look, fonts and GUI-thread garbage collector
    with tempfile.TemporaryDirectory(prefix="cc-bench-replay-") as name:
        live = qasync.run(_follow(args, Path(name)))
    frames = live.pop("frames")
    capacity = _capacity(app, frames)
    kept_up = (live["store_last_seq"] == live["bare_last_seq"] and not live["resyncs"]
               and live["replay_exit"] == 0)
    figures = {
        "ingest_events_per_s": _figure(capacity["events_per_s"] if capacity["completed"] else 0,
                                       TARGETS["ingest_events_per_s"], "events/s (the replay's frames, as fast as "
                                       "taken)", higher_is_better=True, events=capacity["events"]),
        "longest_stall_ms": _figure(live["stall"]["longest_ms"], TARGETS["longest_stall_ms"],
                                    "ms (GUI thread, during the replay)", p99_ms=live["stall"]["p99_ms"]),
        "lag_to_store_p99_ms": _figure(live["store_lag"]["p99_ms"], LAG_TARGETS_MS["lag_to_store_p99_ms"],
                                       "ms (commit to the console's store)",
                                       baseline_p99_ms=live["bare_lag"]["p99_ms"]),
        "lag_to_queue_p99_ms": _figure(live["queue_lag"]["p99_ms"], LAG_TARGETS_MS["lag_to_queue_p99_ms"],
                                       "ms (commit to the queue's model, at the next 100 ms drain)"),
    }
    result = {
        "bench": "replay_ingest",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "replay": {k: live[k] for k in ("source", "copies", "speed", "hours", "replay_s", "replay_output",
                                        "replay_exit", "replay_errors", "events_replayed", "cases_in_store")},
        "kept_up": {"ok": kept_up, "store_last_seq": live["store_last_seq"], "hub_last_seq": live["bare_last_seq"],
                    "resyncs": live["resyncs"], "offered": live["offered"], "taken": live["taken"]},
        "figures": figures,
        "lag": {"console_store": live["store_lag"], "console_queue": live["queue_lag"]},
        "stall": live["stall"],
        "capacity": capacity,
        "baseline": {"what": "a bare WebSocket subscriber (hello, read; no store, no Qt) in its own process, "
                             "same hub, same replay, at the same time", "lag": live["bare_lag"]},
    }
    rows = [
        ("console ingest (events/s)", figures["ingest_events_per_s"]),
        ("longest stall (ms)", figures["longest_stall_ms"]),
        ("lag to store p99 (ms)", figures["lag_to_store_p99_ms"]),
        ("lag to queue p99 (ms)", figures["lag_to_queue_p99_ms"]),
    ]
    print(f"{'figure':<30}{'value':>12}{'target':>10}  met")
    for label, fig in rows:
        print(f"{label:<30}{fig['value']:>12}{fig['target']:>10}  {fig['met']}")
    bl, cl = live["bare_lag"], live["store_lag"]
    print(f"{'lag p50/p99/max (ms)':<30} console store {cl['p50_ms']}/{cl['p99_ms']}/{cl['max_ms']}, "
          f"baseline bare subscriber {bl['p50_ms']}/{bl['p99_ms']}/{bl['max_ms']}")
    print(f"{'replay':<30} {live['replay_output']} in {live['replay_s']} s; events offered "
          f"{live['offered']['mean_events_per_s']}/s (busiest second {live['offered']['busiest_second_events']}), "
          f"taken {live['taken']['mean_events_per_s']}/s")
    print(f"{'kept up':<30} {kept_up} (store seq {live['store_last_seq']}, hub seq {live['bare_last_seq']}, "
          f"{live['cases_in_store']} cases)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written {args.out}")
    return 0 if kept_up and all(f["met"] for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
