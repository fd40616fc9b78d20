"""Where a console's bytes go with ~120,000 cases: per case by field, the store's indexes, RSS.

    python bench/console_memory.py [--cases 100000] [--events 150000] [--seed 7]

The feed of `bench/console_ingest.py` (`bench/ingest_stream.StreamMaker`, same seed), sent as
the hub sends it: the snapshot as `snapshot.chunk` frames of 1,000 cases, then the events,
each frame decoded and applied through `FeedSession` as the console does. Frames are written to
a file first and read back one by one in a fresh process, so its RSS holds what a console holds
(the application, the store, the queue's model and view, the sorts of console_ingest's re-sort
used once), not the benchmark's frames. In the same run the same process again with the store's
compaction switched off (`backend_client/store/compact.py` replaced by identity): the baseline.

Per field: `sys.getsizeof` of each object a case reaches, each object counted once, at the
first field (in `Case` field order) that reaches it; shared objects therefore count once for
the whole store. Target: console RSS <= 400 MB. Prints a table, writes
bench/results/console_memory.json. `breakdown(store)` is also used by
`bench/console_ingest.py --memory-breakdown`.
"""

from __future__ import annotations

import argparse
import enum
import gc
import json
import os
import platform
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import msgspec  # noqa: E402

from backend_client.store import NATIVE  # noqa: E402
from backend_client.store.native import described  # noqa: E402
from protocol.events import Case  # noqa: E402

TARGET_RSS_MB = 400.0
CHUNK = 1000
RESORT_COLUMNS = ("received_at", "status", "serial", "street")
"""console_ingest's re-sort (its columns 1, 5, 0, 3), each used once and left: their keys and rows are kept."""


def rss_mb() -> float:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return round(int(fields["VmRSS"].split()[0]) / 1024, 1)


def _walk(obj: Any, seen: set[int], out: Counter[str], label: str) -> None:
    """Bytes of `obj` and what it holds, into `out[label]`; objects in `seen` are not counted again."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if item is None or isinstance(item, bool | enum.Enum) or (isinstance(item, int) and -5 <= item <= 256):
            continue  # singletons and cached small ints: no bytes of their own
        key = id(item)
        if key in seen:
            continue
        seen.add(key)
        out[label] += sys.getsizeof(item)
        if isinstance(item, msgspec.Struct):
            stack.extend(getattr(item, name) for name in item.__struct_fields__)
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())


def breakdown(store: Any) -> dict[str, Any]:
    """Bytes per case by field, and the store's indexes (each object counted once, cases first)."""
    cases = list(store.cases())
    n = max(len(cases), 1)
    seen: set[int] = set()
    fields: Counter[str] = Counter()
    for case in cases:
        seen.add(id(case))
        fields["(the Case struct)"] += sys.getsizeof(case)
        for name in Case.__struct_fields__:
            _walk(getattr(case, name), seen, fields, name)
    lists: set[int] = set()
    for case in cases:
        lists.update(id(obj) for obj in (case.history, case.flags, case.co_unit_ids) if gc.is_tracked(obj))
        lists.update(id(trace.photos) for trace in case.history if gc.is_tracked(trace.photos))
    tracked = len(lists)
    indexes: Counter[str] = Counter()
    rows = store._rows
    parts = [("cases by id (dict)", store._cases), ("sort keys by slot, current sort", store._keys),
             ("case slots (id -> slot, slot -> id)", [store._slot_of, store._slot_ids]),
             ("shown rows (keys and slots, chunked)", [rows._keys, rows._values, rows._maxes]),
             ("sort keys and rows of sorts left", [store._other_keys, store._other_rows]),
             ("queue masks", store._queues.mask_of),
             ("supervision records", store.supervision), ("unit statistics", store.units)]
    for label, obj in parts:
        _walk(obj, seen, indexes, label)
    total_cases = sum(fields.values())
    return {
        "cases": len(cases),
        "bytes_per_case": round(total_cases / n),
        "cases_mb": round(total_cases / 1e6, 1),
        "by_field_bytes_per_case": {name: round(size / n, 1) for name, size in fields.most_common() if size},
        "indexes_mb": {label: round(size / 1e6, 2) for label, size in indexes.most_common()},
        "gc_tracked_lists_per_case": round(tracked / n, 2),  # distinct lists the cyclic collector tracks
    }


# --- the measurement in a fresh process --------------------------------------------------------


def write_feed(path: Path, cases: int, events: int, seed: int) -> None:
    """The snapshot as chunk frames, then the events, length-prefixed, into `path`."""
    from bench.ingest_stream import StreamMaker
    from protocol import encode
    from protocol.messages import SnapshotBegin, SnapshotChunk, SnapshotEnd

    maker = StreamMaker(now=time.time(), seed=seed)
    snapshot = maker.open_cases(cases)
    with path.open("wb") as file:
        def put(frame: bytes) -> None:
            file.write(struct.pack("<I", len(frame)))
            file.write(frame)

        put(encode(SnapshotBegin(as_of_seq=0, total=len(snapshot))))
        for start in range(0, len(snapshot), CHUNK):
            put(encode(SnapshotChunk(items=snapshot[start:start + CHUNK])))
        put(encode(SnapshotEnd(as_of_seq=0)))
        del snapshot
        for event in maker.events(events):
            put(encode(event))


def console_process(path: Path, compact: bool) -> dict[str, Any]:
    """What runs in the fresh process: app, store, model, view; the feed read frame by frame."""
    from PySide6.QtWidgets import QApplication

    import backend_client.store.case_store as case_store
    from backend_client.session import FeedSession
    from backend_client.store import CaseStore
    from console.app import prepare_application
    from console.main_thread_gc import settle
    from protocol import decode_server
    from views.dispatch_queue import DispatchQueue
    from views.models.case_table_model import CaseTableModel

    if not compact:
        if NATIVE:  # compiled callers never look the functions up again: the patch would change nothing
            raise SystemExit("the baseline needs the store in Python (CC_PURE_PYTHON=1)")
        case_store.compact_case = lambda case: case  # type: ignore[assignment]
        case_store.compact_changes = lambda old, patch, changes: changes  # type: ignore[assignment]
    app = prepare_application("en")
    rss = {"application": rss_mb()}
    store = CaseStore()
    session = FeedSession(store, token="bench", client_name="bench")
    model = CaseTableModel(store, time.time)
    view = DispatchQueue(model)
    view.resize(1600, 900)
    view.show()
    with path.open("rb") as file:
        snapshot_done = False
        while header := file.read(4):
            message = decode_server(file.read(struct.unpack("<I", header)[0]))
            session.on_message(message)
            if not snapshot_done and type(message).__name__ == "SnapshotEnd":
                snapshot_done = True
                settle()  # as the console does once live
                model.refresh()
                QApplication.processEvents()
                rss["after_snapshot"] = rss_mb()
            elif store.last_seq % 2000 == 0:
                model.refresh()
                QApplication.processEvents()
    model.refresh()
    QApplication.processEvents()
    rss["after_stream"] = rss_mb()
    for column in RESORT_COLUMNS:
        store.set_sort(column)
        store.set_sort("urgency")
        model.refresh()
        QApplication.processEvents()
    rss["after_resorts"] = rss_mb()
    gc.collect()
    result = {"compact": compact, "rss_mb": rss, "store": breakdown(store)}
    view.close()
    del app
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("FEED", "COMPACT"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "console_memory.json")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(console_process(Path(args.child[0]), args.child[1] == "1")))
        return
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="cc-memory-bench-") as tmp:
        feed = Path(tmp) / "feed.bin"
        write_feed(feed, args.cases, args.events, args.seed)
        for name, flag in (("ours", "1"), ("baseline_without_compaction", "0")):
            # the baseline patches the store's functions, so it runs the store as Python
            env = os.environ if flag == "1" else {**os.environ, "CC_PURE_PYTHON": "1"}
            done = subprocess.run([sys.executable, __file__, "--child", str(feed), flag], capture_output=True,
                                  text=True, check=True, env=env)
            runs[name] = json.loads(done.stdout.strip().splitlines()[-1])
    ours, base = runs["ours"], runs["baseline_without_compaction"]
    result = {
        "benchmark": "console_memory",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": [round(v, 2) for v in os.getloadavg()]},
        "setup": {"cases": args.cases, "events": args.events, "seed": args.seed,
                  "feed": "snapshot.chunk frames of 1,000 cases, then the events; decoded and applied one by one "
                          "through FeedSession in a fresh process, CaseTableModel + DispatchQueue shown offscreen",
                  "resorts": list(RESORT_COLUMNS), "store": described(NATIVE),
                  "baseline_store": described(False)},
        "figures": {"rss_mb": {"value": ours["rss_mb"]["after_resorts"], "target": TARGET_RSS_MB, "unit": "MB",
                               "met": ours["rss_mb"]["after_resorts"] <= TARGET_RSS_MB,
                               "baseline_same_run": base["rss_mb"]["after_resorts"],
                               "cases": ours["store"]["cases"]}},
        **runs,
    }
    print(f"{'':34}{'ours':>12}{'baseline':>12}")
    for stage in ("application", "after_snapshot", "after_stream", "after_resorts"):
        print(f"RSS {stage:30}{ours['rss_mb'][stage]:>10} MB{base['rss_mb'][stage]:>10} MB")
    print(f"{'bytes per case':34}{ours['store']['bytes_per_case']:>12}{base['store']['bytes_per_case']:>12}")
    fields = base["store"]["by_field_bytes_per_case"]
    for name in fields:
        print(f"  {name:32}{ours['store']['by_field_bytes_per_case'].get(name, 0):>12}{fields[name]:>12}")
    for label, size in base["store"]["indexes_mb"].items():
        print(f"  {label:32}{ours['store']['indexes_mb'].get(label, 0):>9} MB{size:>9} MB")
    text = json.dumps(result, indent=2, ensure_ascii=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
