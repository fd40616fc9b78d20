"""The video wall through an accelerated day: its memory (RSS) after warm-up, and its CPU.

    python bench/wall_soak.py [--minutes 10 | --quick] [--rate 50] [--warmup 0.2 | --warmup-minutes N]
                              [--sample-s 5] [--size 3840x2160] [--dwell-s S] [--takeover-s S]
                              [--trace] [--no-baseline] [--out PATH]

The demo's hub runs with the simulator at `--rate` (50×), as `main.py --wall` starts it
(`backend_client.hub_process.HubProcess`, a child process, with a `wall` account), so the wall's
process holds no hub. The wall is the real one: `console.wall_app.run_wall` with the arguments
`main.py --wall --hub URL --token TOKEN --windowed 3840x2160` parses, in a child process, offscreen
(QT_QPA_PLATFORM=offscreen; its QSettings in a scratch folder), pages rotating on the shipped
layout, takeovers, the map. Every `--sample-s` seconds that process reads its own resident set
(VmRSS) and CPU time.

* warm-up: the first `--warmup` share of the run (20 %), or the first `--warmup-minutes`, and
  then until every page has been shown twice (at most half the run): it takes the snapshot and
  fills the store; a page's first showing builds it (~20 MB for the trend page), its second brings
  its paint buffers to their size. Takeovers (an urgent case holds the wall for 20 s, and at 50×
  they are frequent) slow the rotation, so with the defaults the warm-up runs 4–6 minutes. The
  growth after the plain 20 % is in the JSON too (`rss_growth_percent_after_fixed_warmup`).
  `--dwell-s` and `--takeover-s` run the shipped layout with every page's dwell and the takeover's
  hold set to those seconds (a copy in the scratch folder, passed with `--layout`): at 50× urgent
  cases come every minute or so and each holds the wall for 20 s, so in a short run the pages
  hardly rotate (7 minutes with the defaults: no page change at all); `--dwell-s 10 --takeover-s 5`
  shows every page a dozen times in 7 minutes, so what a showing leaks adds up where it shows;
* RSS growth: (RSS at the end − RSS at the end of warm-up) / RSS at the end of warm-up; the peak
  (VmHWM) and a straight-line fit over the samples after warm-up (MB per minute) beside it;
* CPU: the process's CPU time over wall time after warm-up, in % of one core: the 1 Hz tick of
  the wall plus the feed at 50× (every event decoded and applied to the store);
* what it drew: page rotations, takeovers, frames of the window (its update requests) and frames
  of the maps, cases in the store, the last seq.

Baseline, the same run: a second child connected to the same hub at the same time with the same
account, holding the same `FeedConnection` and `CaseStore` and no wall window. Its growth is the
store's (it grows with the cases, as expected); the wall's own growth and CPU are the wall
process's minus the baseline's (in MB, as a share of the wall's RSS at warm-up end). The hub's
own RSS and CPU are reported too (read from /proc by the parent).

`--trace` starts tracemalloc in both children at the end of warm-up and prints, at the end, the
top 10 places (file:line) that allocated the Python memory still alive, and the same grouped by
the innermost frame of the project's own code; Qt's own (C++) memory is not seen by it, and
tracing slows every allocation, so the RSS and CPU of a traced run are not the figures.

Targets: RSS growth after warm-up <= 5 %; CPU <= 15 % of one core. The machine the figures come
from has 2 cores, shared with other work (the load averages at start and end are in the JSON).
Prints a table and writes JSON to bench/results/wall_soak.json.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.proc_stats import proc_cpu_s, proc_status, slope_mb_per_min  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGETS = {"rss_growth_percent": 5.0, "cpu_percent": 15.0}
ACCOUNT = "wall-soak"
QUICK_MINUTES = 1.0
CLOSE_S = 60.0
"""How long a child may take, after its run, to write its figures and close."""


def figure(value: float | None, target: float, unit: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "target": target, "unit": unit, "met": None if value is None else value <= target,
            **extra}


def own_frame(filename: str) -> bool:
    path = Path(filename)
    return path.is_relative_to(ROOT) and ".venv" not in path.parts and path.parts[-2:] != ("bench", "wall_soak.py")


def memory_diff(start: tracemalloc.Snapshot, end: tracemalloc.Snapshot, top: int = 10) -> dict[str, Any]:
    """Where the Python memory allocated after warm-up and still alive at the end was allocated."""
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__),
              tracemalloc.Filter(False, "<frozen importlib._bootstrap>")]
    start, end = start.filter_traces(ignore), end.filter_traces(ignore)
    by_line = end.compare_to(start, "lineno")
    by_own: Counter[str] = Counter()
    blocks: Counter[str] = Counter()
    for stat in end.compare_to(start, "traceback"):
        own = [f for f in stat.traceback if own_frame(f.filename)]  # oldest first: the last is the innermost
        key = (f"{Path(own[-1].filename).relative_to(ROOT).as_posix()}:{own[-1].lineno}" if own
               else "(no frame of the project)")
        by_own[key] += stat.size_diff
        blocks[key] += stat.count_diff
    return {
        "python_kb_growth": round(sum(s.size_diff for s in by_line) / 1024, 1),
        "top_lines": [{"where": f"{s.traceback[0].filename}:{s.traceback[0].lineno}",
                       "kb": round(s.size_diff / 1024, 1), "blocks": s.count_diff} for s in by_line[:top]],
        "top_project_frames": [{"where": where, "kb": round(size / 1024, 1), "blocks": blocks[where]}
                               for where, size in by_own.most_common(top)],
    }


def summarise(what: str, samples: list[dict[str, Any]], warmup_s: float) -> dict[str, Any]:
    """The figures of one process from its samples: growth after warm-up, CPU, what it drew."""
    end = samples[-1]
    warm = next((s for s in samples if s["t_s"] >= warmup_s), end)
    after = [s for s in samples if s["t_s"] >= warm["t_s"]]
    span = end["t_s"] - warm["t_s"]
    return {
        "what": what,
        "warmup_end": warm, "end": end,
        "rss_growth_mb": round(end["rss_mb"] - warm["rss_mb"], 1),
        "rss_growth_percent": round(100 * (end["rss_mb"] - warm["rss_mb"]) / warm["rss_mb"], 2),
        "rss_peak_mb": end["peak_mb"],
        "rss_max_sampled_after_warmup_mb": max(s["rss_mb"] for s in after),
        "rss_slope_after_warmup_mb_per_min": slope_mb_per_min(after),
        "cpu_percent_after_warmup": round(100 * (end["cpu_s"] - warm["cpu_s"]) / span, 2) if span else None,
        "cpu_percent_whole_run": round(100 * end["cpu_s"] / end["t_s"], 2) if end["t_s"] else None,
        "after_warmup": {key: end.get(key, 0) - warm.get(key, 0)
                         for key in ("page_changes", "takeovers", "window_frames", "map_frames", "cases", "last_seq")},
        "whole_run": {key: end.get(key, 0) for key in ("page_changes", "takeovers", "window_frames", "map_frames")},
        "samples": samples,
    }


class Probe:
    """Samples this process every `sample_s` seconds; at the end writes its figures and calls `finish`."""

    def __init__(self, opts: argparse.Namespace, finish: Callable[[], None]) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.opts = opts
        self.finish = finish
        self.window: Any = None
        self.store: Any = None
        self.started: float | None = None
        self.cpu0 = 0.0
        self.samples: list[dict[str, Any]] = []
        self.warm: dict[str, Any] | None = None
        self.page_shows: Counter[int] = Counter()
        self.pages = 0
        self.trace_start: tracemalloc.Snapshot | None = None
        self.counts: Counter[str] = Counter()
        counts = self.counts

        class Frames(QObject):
            def __init__(self, kind: str, event_type: QEvent.Type) -> None:
                super().__init__()
                self.kind, self.event_type = kind, event_type

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == self.event_type:
                    counts[self.kind] += 1
                return False

        self._frames = Frames("window_frames", QEvent.Type.UpdateRequest)
        self._map_frames = Frames("map_frames", QEvent.Type.Paint)
        self.timer = QTimer(interval=250)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def attach_store(self, store: Any) -> None:
        self.store = store

    def _find(self) -> bool:
        """The wall: its window once `run_wall` has built it (its store with it)."""
        if self.opts.child == "feed":
            return self.store is not None
        from PySide6.QtWidgets import QApplication

        from views.wall.tiles import MapTile
        from views.wall.wall_window import WallWindow

        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, WallWindow)), None)
        if window is None or not window.isVisible():
            return False
        self.window, self.store = window, window.store
        self.pages, self.page_shows[window.index] = len(window.pages), 1
        window.page_changed.connect(self._page_changed)
        window.takeover_changed.connect(lambda on: self.counts.update(["takeovers"] if on else []))
        window.installEventFilter(self._frames)
        for page in window.pages:
            for tile in page.tiles:
                if isinstance(tile, MapTile):
                    tile.map._view.viewport().installEventFilter(self._map_frames)
        return True

    def _page_changed(self, index: int) -> None:
        self.counts["page_changes"] += 1
        self.page_shows[index] += 1

    def _settled(self, t: float) -> bool:
        """Warm-up over: its time is up and every page has been shown twice (a page's first showing builds
        it, its second brings its paint buffers to their size), or half the run has gone."""
        if t < self.opts.warmup_s:
            return False
        shown_twice = all(self.page_shows[i] >= 2 for i in range(self.pages))
        return self.opts.child == "feed" or shown_twice or t >= self.opts.seconds / 2

    def _poll(self) -> None:
        now = time.monotonic()
        if self.started is None:
            if not self._find():
                return
            self.started, self.cpu0 = now, time.process_time()
            self.timer.setInterval(int(self.opts.sample_s * 1000))
        t = now - self.started
        sample = self._sample(t)
        self.samples.append(sample)
        with open(f"{self.opts.result}.samples", "a", encoding="utf-8") as partial:  # what a crash leaves
            partial.write(json.dumps(sample) + "\n")
        if self.warm is None and self._settled(t):
            self.warm = sample
            if self.opts.trace:
                tracemalloc.start(16)
                self.trace_start = tracemalloc.take_snapshot()
        if t >= self.opts.seconds:
            self.timer.stop()
            self._report()
            self.finish()

    def _sample(self, t: float) -> dict[str, Any]:
        status = proc_status()
        store = self.store
        return {"t_s": round(t, 1), "rss_mb": round(status["rss_mb"], 1), "peak_mb": round(status["peak_mb"], 1),
                "cpu_s": round(time.process_time() - self.cpu0, 2),
                "cases": len(store) if store is not None else 0,
                "last_seq": store.last_seq if store is not None else 0, **self.counts}

    def _report(self) -> None:
        result = summarise(self.opts.child, self.samples, self.warm["t_s"] if self.warm else self.opts.warmup_s)
        result["rss_growth_percent_after_fixed_warmup"] = summarise(
            self.opts.child, self.samples, self.opts.warmup_s)["rss_growth_percent"]
        result["page_shows"] = {str(i): n for i, n in sorted(self.page_shows.items())}
        if self.trace_start is not None:
            result["tracemalloc"] = memory_diff(self.trace_start, tracemalloc.take_snapshot())
            tracemalloc.stop()
        Path(self.opts.result).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def child_wall(opts: argparse.Namespace) -> int:
    """The wall exactly as `main.py --wall --hub URL --token TOKEN --windowed WxH [--layout FILE]` runs it."""
    from PySide6.QtWidgets import QApplication

    from console.wall_app import run_wall
    from main import parse_args

    QApplication(sys.argv[:1])  # run_wall takes the existing one: the probe's timer lives in it
    probe = Probe(opts, finish=lambda: probe.window.close())  # the wall's own way out: its window closed
    # `--token=T`: a token may start with "-" (argparse would take `--token -x…` for a missing value)
    args = parse_args(["--wall", "--hub", opts.hub, f"--token={opts.token}", "--windowed", opts.size,
                       *(["--layout", opts.layout] if opts.layout else [])])
    return run_wall(args)


def child_feed(opts: argparse.Namespace) -> int:
    """The baseline: the wall's feed and store (as `serve_wall` makes them), no window."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from backend_client.connection import FeedConnection
    from backend_client.store import CaseStore
    from console.main_thread_gc import install as install_main_thread_gc
    from console.wall_app import CLIENT_NAME

    app = QApplication(sys.argv[:1])
    install_main_thread_gc(app)  # the same collector as the wall's

    async def serve() -> int:
        done = asyncio.Event()
        probe = Probe(opts, finish=done.set)
        store = CaseStore()
        feed = FeedConnection(opts.hub, opts.token, store, client_name=CLIENT_NAME)
        probe.attach_store(store)
        await feed.start()
        await done.wait()
        await feed.close()
        return 0

    status: int = qasync.run(serve())
    return status


# --- the parent: hub, children, figures ----------------------------------------------------


def soak_layout(dwell_s: float | None, takeover_s: float | None, scratch: Path) -> Path | None:
    """The shipped layout with every page's dwell and the takeover's hold replaced; None: the shipped one."""
    from views.wall.layout import DEFAULT_LAYOUT, load_layout

    if dwell_s is None and takeover_s is None:
        return None
    text = DEFAULT_LAYOUT.read_text(encoding="utf-8")
    if dwell_s is not None:
        text = re.sub(r"(?m)^(\s*dwell_s\s*=\s*)[0-9.]+", rf"\g<1>{dwell_s:g}", text)
    if takeover_s is not None:
        text = re.sub(r"(?m)^(\s*takeover_s\s*=\s*)[0-9.]+", rf"\g<1>{takeover_s:g}", text)
    path = scratch / "soak-layout.toml"
    path.write_text(text, encoding="utf-8")
    load_layout(path)  # a bad value is refused here, not in the child
    return path


async def soak(args: argparse.Namespace, seconds: float, warmup_s: float, scratch: Path) -> dict[str, Any]:
    from backend_client.hub_process import HubProcess

    db = f"sqlite:///{scratch / 'soak-hub.db'}"
    async with HubProcess(db, simulate=True, rate=args.rate, account=ACCOUNT, role="wall") as hub:
        assert hub.pid is not None
        hub_cpu0, hub_start = proc_cpu_s(hub.pid), time.monotonic()
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(scratch / "config"))
        kinds = ["wall"] + ([] if args.no_baseline else ["feed"])
        children, logs = {}, []
        for kind in kinds:
            command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--hub", hub.url,
                       f"--token={hub.token}", "--seconds", str(seconds), "--warmup-s", str(warmup_s),
                       "--sample-s", str(args.sample_s), "--size", args.size,
                       "--result", str(scratch / f"{kind}.json")] + (["--trace"] if args.trace else []) \
                + (["--layout", str(args.layout)] if args.layout else [])
            log = (scratch / f"{kind}.log").open("wb")
            logs.append(log)
            children[kind] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        hub_samples = []
        deadline = time.monotonic() + seconds + START_S + CLOSE_S
        while any(p.poll() is None for p in children.values()) and time.monotonic() < deadline:
            status = proc_status(hub.pid)
            hub_samples.append({"t_s": round(time.monotonic() - hub_start, 1), "rss_mb": round(status["rss_mb"], 1),
                                "cpu_s": round(proc_cpu_s(hub.pid) - hub_cpu0, 2)})
            await asyncio.sleep(args.sample_s)
        for child in children.values():
            if child.poll() is None:
                child.kill()
            child.wait()
        for log in logs:
            log.close()
    out: dict[str, Any] = {}
    for kind, child in children.items():
        result = scratch / f"{kind}.json"
        if result.exists():
            out[kind] = json.loads(result.read_text(encoding="utf-8"))
        else:  # it died before its end: what its samples say, and its log's last lines (faulthandler's stacks)
            partial = scratch / f"{kind}.json.samples"
            lines = partial.read_text(encoding="utf-8").splitlines() if partial.exists() else []
            if not lines:
                raise SystemExit(f"the {kind} child ended (exit {child.returncode}) before its first sample:\n"
                                 + (scratch / f"{kind}.log").read_text(errors="replace")[-4000:])
            out[kind] = summarise(kind, [json.loads(line) for line in lines], warmup_s)
            out[kind]["died"] = {"after_s": out[kind]["end"]["t_s"], "exit_status": child.returncode,
                                 "log_tail": (scratch / f"{kind}.log").read_text(errors="replace").splitlines()[-60:]}
            print(f"the {kind} child died after ~{out[kind]['end']['t_s']} s (exit {child.returncode}); "
                  "its log's end:\n  " + "\n  ".join(out[kind]["died"]["log_tail"]), file=sys.stderr)
        out[kind]["exit_status"] = child.returncode
        if child.returncode != 0 and "died" not in out[kind]:  # after its figures: how it closed
            out[kind]["log_tail"] = (scratch / f"{kind}.log").read_text(errors="replace").splitlines()[-40:]
    last = hub_samples[-1] if hub_samples else {"t_s": 0, "rss_mb": None, "cpu_s": 0}
    out["hub"] = {"rss_mb_first": hub_samples[0]["rss_mb"] if hub_samples else None, "rss_mb_last": last["rss_mb"],
                  "cpu_percent": round(100 * last["cpu_s"] / last["t_s"], 2) if last["t_s"] else None,
                  "samples": len(hub_samples)}
    return out


START_S = 120.0
"""Time a child may take to import Qt, connect and take its snapshot before its clock starts."""


def print_table(figures: dict[str, dict[str, Any]], wall: dict[str, Any], feed: dict[str, Any] | None) -> None:
    print(f"{'figure':34s} {'wall':>10s} {'target':>7s} {'met':>5s} {'baseline':>9s} {'wall own':>9s}")
    for name, f in figures.items():
        print(f"{name:34s} {f['value']!s:>10s} {f['target']!s:>7s} {f['met']!s:>5s} {f.get('baseline')!s:>9s} "
              f"{f.get('wall_own')!s:>9s}")
    rows = [("RSS at warm-up end (MB)", lambda r: r["warmup_end"]["rss_mb"]),
            ("RSS at the end (MB)", lambda r: r["end"]["rss_mb"]),
            ("RSS peak, VmHWM (MB)", lambda r: r["rss_peak_mb"]),
            ("RSS slope after warm-up (MB/min)", lambda r: r["rss_slope_after_warmup_mb_per_min"]),
            ("cases in the store at the end", lambda r: r["end"]["cases"]),
            ("last seq at the end", lambda r: r["end"]["last_seq"])]
    for label, get in rows:
        print(f"{label:34s} {get(wall)!s:>10s} {'':>7s} {'':>5s} {(get(feed) if feed else None)!s:>9s}")
    done = wall["whole_run"]
    print(f"wall drew: {done['page_changes']} page changes, {done['takeovers']} takeovers, "
          f"{done['window_frames']} window frames, {done['map_frames']} map frames")
    for kind, result in (("wall", wall), ("baseline (feed + store)", feed)):
        trace = result and result.get("tracemalloc")
        if trace:
            print(f"\n{kind}: Python memory allocated after warm-up and alive at the end: "
                  f"{trace['python_kb_growth']} KB; top places:")
            for row in trace["top_lines"]:
                print(f"  {row['kb']:>9} KB {row['blocks']:>7} blocks  {row['where']}")
            print("  by the innermost frame of the project:")
            for row in trace["top_project_frames"]:
                print(f"  {row['kb']:>9} KB {row['blocks']:>7} blocks  {row['where']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the run, warm-up included")
    parser.add_argument("--quick", action="store_true", help=f"a {QUICK_MINUTES:g}-minute run, to try it")
    parser.add_argument("--rate", type=float, default=50.0, help="the simulator's rate multiplier")
    parser.add_argument("--warmup", type=float, default=0.2, help="warm-up as a share of the run")
    parser.add_argument("--warmup-minutes", type=float, help="warm-up in minutes (instead of --warmup)")
    parser.add_argument("--sample-s", type=float, default=5.0)
    parser.add_argument("--size", default="3840x2160", help="the wall's window, WxH")
    parser.add_argument("--dwell-s", type=float, help="every page's dwell, seconds (3 to 3600; default: the layout's)")
    parser.add_argument("--takeover-s", type=float, help="how long a takeover holds the wall (default: the layout's)")
    parser.add_argument("--trace", action="store_true", help="tracemalloc after warm-up: where the memory goes")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "wall_soak.json")
    # a child's own arguments (the parent passes them)
    parser.add_argument("--child", choices=["wall", "feed"], help=argparse.SUPPRESS)
    parser.add_argument("--hub", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--warmup-s", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--layout", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        faulthandler.enable(all_threads=True)  # a crash leaves its Python stacks in the child's log
    if args.child == "wall":
        return child_wall(args)
    if args.child == "feed":
        return child_feed(args)

    minutes = QUICK_MINUTES if args.quick else args.minutes
    seconds = minutes * 60
    warmup_s = args.warmup_minutes * 60 if args.warmup_minutes is not None else args.warmup * seconds
    if not 0 < warmup_s < seconds:
        parser.error("the warm-up must be shorter than the run")
    if args.sample_s > min(warmup_s, seconds - warmup_s) / 2:
        args.sample_s = max(0.5, min(warmup_s, seconds - warmup_s) / 4)
    from views.wall.layout import DEFAULT_LAYOUT, load_layout

    scratch_dir = tempfile.TemporaryDirectory(prefix="cc-wall-soak-")
    args.layout = soak_layout(args.dwell_s, args.takeover_s, Path(scratch_dir.name))
    layout = load_layout(args.layout or DEFAULT_LAYOUT)
    rotation_s = sum(page.dwell_s for page in layout.pages)
    if warmup_s < rotation_s:
        print(f"note: the warm-up ({warmup_s:.0f} s) is shorter than one rotation of the pages ({rotation_s:g} s): "
              "pages first shown after it count as growth (a try-out, not the figure)", file=sys.stderr)
    load_start = os.getloadavg()
    started = time.monotonic()
    with scratch_dir as scratch:
        runs = asyncio.run(soak(args, seconds, warmup_s, Path(scratch)))
    wall, feed = runs["wall"], runs.get("feed")
    if feed is not None:  # the baseline over the same stretch as the wall's (its warm-up may have run longer)
        feed = {**feed, **summarise("feed", feed["samples"], wall["warmup_end"]["t_s"])}

    def own(key: str) -> float | None:
        if feed is None:
            return None
        if key == "rss_growth_percent":
            return round(100 * (wall["rss_growth_mb"] - feed["rss_growth_mb"]) / wall["warmup_end"]["rss_mb"], 2)
        return round(wall[key] - feed[key], 2)

    figures = {
        "rss_growth_percent": figure(wall["rss_growth_percent"], TARGETS["rss_growth_percent"], "%",
                                     baseline=feed and feed["rss_growth_percent"],
                                     wall_own=own("rss_growth_percent")),
        "cpu_percent_after_warmup": figure(wall["cpu_percent_after_warmup"], TARGETS["cpu_percent"],
                                           "% of one core", baseline=feed and feed["cpu_percent_after_warmup"],
                                           wall_own=own("cpu_percent_after_warmup")),
    }
    import PySide6
    from PySide6.QtCore import qVersion

    result: dict[str, Any] = {
        "benchmark": "wall_soak",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "pyside6": PySide6.__version__, "qt": qVersion(), "qpa": "offscreen",
                    "load_average_at_start": [round(v, 2) for v in load_start],
                    "load_average_at_end": [round(v, 2) for v in os.getloadavg()],
                    "note": "2 cores shared by the hub, the wall, the baseline and any other work on the machine "
                            "(other test runs included); CPU figures are each process's own CPU time"},
        "setup": {"minutes": minutes, "simulator_rate": args.rate,
                  "simulated_hours": round(minutes * args.rate / 60, 1),
                  "warmup_s": round(warmup_s, 1), "one_rotation_s": rotation_s,
                  "warmup_covers_a_rotation": warmup_s >= rotation_s, "sample_s": args.sample_s, "size": args.size,
                  "layout": "resources/wall/default.toml" + (
                      f", every page's dwell {layout.pages[0].dwell_s:g} s, takeovers held "
                      f"{layout.settings.takeover_s:g} s" if args.layout else ""), "trace": args.trace,
                  "wall": "console.wall_app.run_wall(main.parse_args(['--wall', '--hub', URL, '--token', TOKEN, "
                          f"'--windowed', '{args.size}'])), offscreen",
                  "hub": "backend_client.hub_process.HubProcess(simulate=True, rate, role='wall'): the demo's hub"},
        "targets": TARGETS,
        "figures": figures,
        "met": all(f["met"] for f in figures.values() if f["met"] is not None) and "died" not in wall,
        "wall": wall,
        "hub": runs["hub"],
        "run_s": round(time.monotonic() - started, 1),
    }
    if feed is not None:
        result["baseline"] = {"what": "the same FeedConnection and CaseStore, connected to the same hub at the "
                                      "same time, without the wall window", **feed}
        result["wall_own"] = {
            "rss_growth_mb": round(wall["rss_growth_mb"] - feed["rss_growth_mb"], 1),
            "rss_growth_percent": own("rss_growth_percent"),
            "cpu_percent_after_warmup": own("cpu_percent_after_warmup"),
            "note": "the wall process minus the baseline's: what the window, its pages and its maps add",
        }
    if args.trace:
        result["note"] = "traced run: tracemalloc inflates RSS and CPU; use an untraced run for the figures"
    print(f"wall soak: {minutes:g} min at {args.size}, simulator x{args.rate:g} "
          f"(~{minutes * args.rate / 60:.1f} simulated hours), warm-up {warmup_s:.0f} s")
    print_table(figures, wall, feed)
    print(f"hub: RSS {runs['hub']['rss_mb_first']} -> {runs['hub']['rss_mb_last']} MB, "
          f"CPU {runs['hub']['cpu_percent']} % of one core")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
