"""The last known state on the workstation's disk, so a restart shows the queue at once.

    cache = SnapshotCache(folder / "snapshot.sqlite")
    info = cache.load_into(store, defer_history=True)  # at start: the queue is full at once
    if info: feed.mark_cached(info.as_of)               # stale until the feed has caught up
    await cache.restore_history(store)                  # the histories, before any event
    keeper = CacheKeeper(cache, store, as_of=...)       # backend_client/cache_keeper.py

The store's cases, unit statistics, organisation, supervision records, duty rota and latest shift
handovers are written with
the `seq` and `log_id` they are current at, as msgspec (msgpack) blobs of `CHUNK_CASES`
cases, in one transaction. The connection then says `hello {resume_from: seq, log_id}`, and
the hub replays what was missed, or sends a snapshot when the seq is too old or the log
is another one (docs/protocol.md, "Catching up"). A cache written by a console whose `Case`
differs is ignored (its schema tag differs); an unreadable file is moved aside.

Each chunk keeps the cases without their histories in one blob and the histories in
another: the queue needs none of the history, and decoding it is about a third of the
work, so a start can show the queue first and restore the histories a moment later
(measured in bench/console_cache.py). Saving runs on a worker thread; encoding goes chunk
by chunk so the UI thread gets the GIL back between chunks. The cache is a separate file
from the outbox: writing 100,000 cases must never hold the lock a command's commit waits for.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import logging
import sqlite3
import sys
import threading
import time
from array import array
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path
from queue import SimpleQueue
from typing import Annotated, Any, NamedTuple

import msgspec
from msgspec.structs import force_setattr, replace

from backend_client.local_db import LocalDb, describe_error, move_aside, open_local
from backend_client.store import DEFAULT_SORT, CaseStore, UnitScope
from backend_client.store.compact import EMPTY, drain, share_instants, shared_flags, shared_routing
from backend_client.store.prepared import MASK_TYPE, Prepared, code_tag, prepare, scope_tag
from protocol.emergency import CapWarning, Directive, Emergency, EmergencyTask, Receipt, Resource
from protocol.enums import CaseFlag
from protocol.events import Case, RotaDay, Routing, Supervision, Trace, Unit, UnitStats
from protocol.shift import Handover

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CHUNK_CASES = 1000
"""Cases per blob: small enough that encoding one chunk holds the GIL only a few ms, and that a load's
passes over a chunk's cases (setting back their names) find them still in the CPU's cache: 100,000
cases unpacked in 362 ms by chunks of 1,000, 425 ms by chunks of 5,000 (in one process, here)."""

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS snapshot (id INTEGER NOT NULL, schema_tag VARCHAR(64) NOT NULL,"
    " log_id VARCHAR(64) NOT NULL, last_seq INTEGER NOT NULL, as_of FLOAT NOT NULL, written_at FLOAT NOT NULL,"
    " hub_url TEXT NOT NULL, case_count INTEGER NOT NULL, extras BLOB NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE IF NOT EXISTS snapshot_cases (chunk INTEGER NOT NULL, cases BLOB NOT NULL,"
    " histories BLOB NOT NULL, PRIMARY KEY (chunk))",
    "CREATE TABLE IF NOT EXISTS snapshot_prepared (id INTEGER NOT NULL, written_at FLOAT NOT NULL,"
    " prepared BLOB NOT NULL, PRIMARY KEY (id))",
)
"""Format 1's tables, as SQLAlchemy made them before (caches of earlier builds open as they are).
`snapshot`: one row, the state's `schema_tag`, `log_id`, `last_seq`, `as_of` (epoch seconds when the
data was last known current), `written_at`, `hub_url`, `case_count` and `extras` (msgpack of
`_Extras`); `snapshot_cases`: per chunk, `cases` (msgpack of a `_Chunk`: its cases without their
histories, what they share held once) and `histories` (msgpack array of their histories, same order);
`snapshot_prepared` (added later in format 1: a file without it gains it empty): one row, the cases' queue
masks and opening-sort keys (msgpack of `_Prepared`) and the `written_at` of the save that made them,
which a load checks against `snapshot`'s (a build that does not know the table leaves an older row)."""


class _Prepared(msgspec.Struct, array_like=True, gc=False):
    """`backend_client.store.prepared.Prepared` as saved: the masks as `array(MASK_TYPE)` bytes."""

    code: str
    scope: str
    sort: str
    masks: bytes
    keys: list[str]
    ids: list[str] = []
    """The cases' ids in order (none from earlier builds): a start paints from them before decoding."""


class _Extras(msgspec.Struct, frozen=True):
    units: list[UnitStats] = []
    org_units: list[Unit] = []
    supervision: dict[str, list[Supervision]] = {}
    emergencies: list[Emergency] = []
    """The joint response: a console resuming from its cache by replay gets only what came after."""
    tasks: list[EmergencyTask] = []
    directives: list[Directive] = []
    receipts: list[Receipt] = []
    warnings: list[CapWarning] = []
    resources: list[Resource] = []
    rota: list[RotaDay] = []
    """The shift book: a console restarted while the hub is away still shows today's front desk and
    the latest handover (and takes what changed since from the replay)."""
    handovers: list[Handover] = []


_NAMES = ("category_code", "category_zh", "category_en", "street_code", "street_name", "committee_code",
          "committee_name", "grid_id", "unit_id", "unit_name", "exercise_id", "emergency_id")
"""Case fields of a small vocabulary (the names and codes `compact_case` interns), held once per chunk."""
_BLANK: dict[str, str | None] = {
    field.name: "" if field.required else None for field in msgspec.structs.fields(Case) if field.name in _NAMES}
"""What a stored case holds in place of its names (the least to decode)."""
_NAME_GETTERS = tuple(map(attrgetter, _NAMES))
_ROUTING, _FLAGS, _CO_UNITS, _ID = map(attrgetter, ("routing", "flags", "co_unit_ids", "id"))


class _Chunk(msgspec.Struct, array_like=True, gc=False):
    """Up to `CHUNK_CASES` cases as stored: what repeats across them is held once and referred to.

    Each case is stored with an empty history and with its names, routing, flags and co-units
    blank; `names`, `routings`, `flag_sets` and `unit_sets` hold the distinct values, and `refs`
    one index per case for each of `_NAMES`, then the routing, the flags and the co-units (no
    index at all where every case keeps the blank value: an unused name, no routing). A load
    sets them back with `map` over C functions: decoding a name again for every case and then
    interning it (`compact_case`) was about half of a cold start's decoding.
    """

    cases: list[Case]
    names: list[str | None]
    routings: list[Routing | None]
    flag_sets: list[list[CaseFlag]]
    unit_sets: list[list[str]]
    refs: list[list[Annotated[int, msgspec.Meta(ge=0)]]]


class _Index(dict[Any, int]):
    """Distinct values in the order first met, each with its place."""

    def __missing__(self, key: Any) -> int:
        place = self[key] = len(self)
        return place


def _pack(cases: list[Case]) -> bytes:
    """A chunk of cases as `_Chunk` msgpack (the histories are stored apart)."""
    names, routings, flag_sets, unit_sets = _Index(), _Index(), _Index(), _Index()
    refs: list[list[int]] = []
    for name, get in zip(_NAMES, _NAME_GETTERS, strict=True):
        values = list(map(get, cases))
        refs.append([] if values.count(_BLANK[name]) == len(values) else list(map(names.__getitem__, values)))
    found = list(map(_ROUTING, cases))
    refs.append([] if found.count(None) == len(found) else list(map(routings.__getitem__, found)))
    refs.append(list(map(flag_sets.__getitem__, map(tuple, map(_FLAGS, cases)))))
    refs.append(list(map(unit_sets.__getitem__, map(tuple, map(_CO_UNITS, cases)))))
    stored = [replace(case, history=(), routing=None, flags=EMPTY, co_unit_ids=EMPTY, **_BLANK) for case in cases]
    return _encoder.encode(_Chunk(stored, list(names), list(routings), [list(f) for f in flag_sets],
                                  [list(u) for u in unit_sets], refs))


def _unpack(blob: bytes) -> list[Case]:
    """The cases of a `_Chunk`, as `compact_case` would leave them (names interned, equal routings one
    object, shared flag lists and `EMPTY`), with an empty history each, set in place with no Python
    frame per case. A case's equal instants are made one object later (`share_instants`): only
    memory hangs on it, and a start does it after the first paint, with the histories."""
    chunk = _decode_chunk(blob)
    cases = chunk.cases
    if len(chunk.refs) != len(_NAMES) + 3 or any(len(refs) not in (0, len(cases)) for refs in chunk.refs):
        raise ValueError("a chunk's references do not match its cases")
    intern = sys.intern
    names = [None if name is None else intern(name) for name in chunk.names]
    tables: list[list[Any]] = [names] * len(_NAMES)
    tables.append([shared_routing(routing) for routing in chunk.routings])
    tables.append([shared_flags(flags) for flags in chunk.flag_sets])
    tables.append([[intern(unit) for unit in units] if units else EMPTY for units in chunk.unit_sets])
    for name, table, refs in zip((*_NAMES, "routing", "flags", "co_unit_ids"), tables, chunk.refs, strict=True):
        if refs:  # none: every case holds the blank value (an unused name, no routing)
            drain(map(force_setattr, cases, repeat(name), map(table.__getitem__, refs)))
    drain(map(force_setattr, cases, repeat("id"), map(intern, map(_ID, cases))))
    drain(map(force_setattr, cases, repeat("history"), repeat(())))
    return cases


@cache
def schema_tag() -> str:
    """A fingerprint of what a cache holds: a console whose `Case` changed ignores older caches."""
    schema = msgspec.json.encode(msgspec.json.schema_components((_Chunk, list[tuple[Trace, ...]], _Extras)))
    return hashlib.sha256(schema).hexdigest()[:32]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic GC while decoding: 100,000 cases make millions of objects, and the collector
    would rescan them all again and again (measured: decoding took 4x as long with it on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_encoder = msgspec.msgpack.Encoder()
_decode_chunk = msgspec.msgpack.Decoder(_Chunk).decode
_decode_histories = msgspec.msgpack.Decoder(list[tuple[Trace, ...]]).decode
_decode_extras = msgspec.msgpack.Decoder(_Extras).decode
_decode_prepared = msgspec.msgpack.Decoder(_Prepared).decode


@dataclass(frozen=True)
class CachedState:
    log_id: str
    last_seq: int
    as_of: float
    """Epoch seconds when this state was last known current (not when it was written)."""
    cases: list[Case]
    hub_url: str = ""
    units: list[UnitStats] = field(default_factory=list)
    org_units: list[Unit] = field(default_factory=list)
    supervision: dict[str, list[Supervision]] = field(default_factory=dict)
    emergencies: list[Emergency] = field(default_factory=list)
    tasks: list[EmergencyTask] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    warnings: list[CapWarning] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    rota: list[RotaDay] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    scope: UnitScope | None = None
    """The store's scope: the saved queue masks are made for it (a load under another makes them again)."""


@dataclass(frozen=True)
class CacheInfo:
    """What `load_into` put in the store."""

    log_id: str
    last_seq: int
    as_of: float
    cases: int
    hub_url: str
    prepared: bool = False
    """Whether the store took the saved queue masks and keys (else it made them)."""


def capture(store: CaseStore, *, as_of: float | None = None, hub_url: str = "") -> CachedState | None:
    """The store's state now, by reference (cases are immutable): cheap, on the store's thread.

    None while the store holds nothing from a hub (no `log_id`).
    """
    if store.log_id is None:
        return None
    cases = list(store.cases())  # every case held, not only those the queue's filter shows
    return CachedState(
        log_id=store.log_id, last_seq=store.last_seq, as_of=time.time() if as_of is None else as_of,
        cases=cases, hub_url=hub_url, units=list(store.units.values()), org_units=list(store.org_units.values()),
        supervision={case_id: list(records) for case_id, records in store.supervision.items()},
        emergencies=list(store.emergencies.values()), tasks=list(store.tasks.values()),
        directives=list(store.directives.values()), receipts=list(store.receipts.values()),
        warnings=list(store.warnings.values()), resources=list(store.resources.values()),
        rota=list(store.shift.rota.values()), handovers=list(store.shift.handovers.values()),
        scope=store.scope,
    )


@dataclass(frozen=True)
class _Meta:
    schema_tag: str
    log_id: str
    last_seq: int
    as_of: float
    hub_url: str
    case_count: int
    extras: bytes
    written_at: float
    prepared: bytes | None = None
    """The `snapshot_prepared` blob when it was written by the same save, else None."""


_META_SQL = (f"SELECT {', '.join(name for name in _Meta.__dataclass_fields__ if name != 'prepared')},"
             " (SELECT prepared FROM snapshot_prepared WHERE snapshot_prepared.written_at = snapshot.written_at)"
             " FROM snapshot")
_CASES_DONE = object()


class _Read(NamedTuple):
    """What `SnapshotCache._read` found."""

    state: CachedState
    """The saved state; its `cases` empty where `pending`."""
    histories: Future[list[bytes]]
    """The history blobs, left undecoded (read on after the cases)."""
    prepared: Prepared | None
    """The saved masks and keys (None when there are none from the same save, or unreadable)."""
    pending: bool = False
    """The store given to `_read` took the cases itself (`CaseStore.load_pending`), most still undecoded."""


class _ChunkReader:
    """The saved state's blobs, in one read transaction, read by a thread of its own.

    SQLite copies a blob without holding the GIL (`sqlite3.Blob.read`), so the next chunk's
    cases are read while this one is decoded, and the histories after the last chunk while the
    window is built (`histories`). A file that could not be opened (the cache kept in memory)
    is read at once, on the calling thread.
    """

    def __init__(self) -> None:
        self._items: SimpleQueue[object] = SimpleQueue()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.histories: Future[list[bytes]] = Future()

    @classmethod
    def of_file(cls, path: Path) -> _ChunkReader:
        reader = cls()
        reader._thread = threading.Thread(target=reader._read_file, args=(path,), name="snapshot-cache-read",
                                          daemon=True)
        reader._thread.start()
        return reader

    @classmethod
    def of_db(cls, db: LocalDb) -> _ChunkReader:
        reader = cls()
        with db.read() as conn:
            meta = conn.execute(_META_SQL).fetchone()
            reader._items.put(None if meta is None else _Meta(*meta))
            rows = conn.execute("SELECT cases, histories FROM snapshot_cases ORDER BY chunk").fetchall() \
                if meta is not None else []
        for cases, _ in rows:
            reader._items.put(cases)
        reader._items.put(_CASES_DONE)
        reader.histories.set_result([histories for _, histories in rows])
        return reader

    def _read_file(self, path: Path) -> None:
        cases_done = False
        try:
            db = sqlite3.connect(path, isolation_level=None)
            try:
                db.execute("PRAGMA busy_timeout=2000")
                db.execute("BEGIN")  # one snapshot of the file: a save meanwhile is not seen half-way
                row = db.execute(_META_SQL).fetchone()
                self._items.put(None if row is None else _Meta(*row))
                if row is None:
                    return
                chunks = [chunk for (chunk,) in db.execute("SELECT chunk FROM snapshot_cases ORDER BY chunk")]
                for chunk in chunks:
                    if self._stopped.is_set():
                        return
                    with db.blobopen("snapshot_cases", "cases", chunk, readonly=True) as blob:
                        self._items.put(blob.read())
                self._items.put(_CASES_DONE)
                cases_done = True
                histories = []
                for chunk in chunks:
                    if self._stopped.is_set():
                        return
                    with db.blobopen("snapshot_cases", "histories", chunk, readonly=True) as blob:
                        histories.append(blob.read())
                self.histories.set_result(histories)
            finally:
                db.close()
        except BaseException as exc:  # handed over: the loading thread must never wait for a chunk in vain
            if not cases_done:
                self._items.put(exc)
            if not self.histories.done():
                self.histories.set_exception(exc)
        finally:
            if not self.histories.done():  # stopped: nothing to restore
                self.histories.set_result([])

    def _next(self) -> object:
        item = self._items.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def meta(self) -> _Meta | None:
        item = self._next()
        assert item is None or isinstance(item, _Meta)
        return item

    def cases(self) -> Iterator[bytes]:
        """Each chunk's cases blob, in order, as soon as it has been read."""
        while (item := self._next()) is not _CASES_DONE:
            assert isinstance(item, bytes)
            yield item

    def stop(self) -> None:
        """Read no further (and let go of the file)."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()


class SnapshotCache:
    """One SQLite file holding the last saved state (or nothing)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._db: LocalDb = open_local(path, SCHEMA, FORMAT_VERSION, what="snapshot cache",
                                       synchronous="NORMAL", check=False)
        self.problem: str | None = self._db.problem
        """What went wrong with the file, in words (also logged); None while all is well."""
        self._deferred: Future[list[bytes]] | None = None
        self._deferred_ids: list[str] = []
        self._deferred_at: tuple[str | None, int] = (None, 0)

    def save(self, state: CachedState) -> None:
        """Replace the saved state in one transaction (call it off the UI thread).

        With the cases go their queue masks and keys under the opening sort, made here chunk by chunk
        (`prepared.prepare`), so that a start need not make them."""
        extras = _encoder.encode(_Extras(state.units, state.org_units, state.supervision, state.emergencies,
                                         state.tasks, state.directives, state.receipts, state.warnings,
                                         state.resources, state.rota, state.handovers))
        rows = []
        masks: array[int] = array(MASK_TYPE)
        keys: list[str] = []
        for chunk, start in enumerate(range(0, len(state.cases), CHUNK_CASES)):
            cases = state.cases[start:start + CHUNK_CASES]
            rows.append((chunk, _pack(cases), _encoder.encode([case.history for case in cases])))
            time.sleep(0)  # let the UI thread have the GIL between chunks
            prepare(cases, state.scope, DEFAULT_SORT, masks, keys)
            time.sleep(0)
        prepared = _encoder.encode(_Prepared(code_tag(), scope_tag(state.scope), DEFAULT_SORT, masks.tobytes(), keys,
                                             [case.id for case in state.cases]))
        written_at = time.time()
        meta = (1, schema_tag(), state.log_id, state.last_seq, state.as_of, written_at, state.hub_url,
                len(state.cases), extras)
        try:
            with self._db.write() as conn:
                conn.execute("DELETE FROM snapshot_cases")
                conn.execute("DELETE FROM snapshot")
                conn.execute("DELETE FROM snapshot_prepared")
                conn.executemany("INSERT INTO snapshot_cases (chunk, cases, histories) VALUES (?, ?, ?)", rows)
                conn.execute("INSERT INTO snapshot (id, schema_tag, log_id, last_seq, as_of, written_at, hub_url,"
                             " case_count, extras) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", meta)
                conn.execute("INSERT INTO snapshot_prepared (id, written_at, prepared) VALUES (1, ?, ?)",
                             (written_at, prepared))
        except sqlite3.Error as exc:
            self.problem = f"the snapshot cache could not be written ({describe_error(exc)})"
            log.error("%s", self.problem)

    def position(self) -> tuple[str | None, int]:
        """(log_id, last_seq) of the state on disk; (None, 0) when there is none or it cannot be read."""
        try:
            with self._db.read() as conn:
                row = conn.execute("SELECT log_id, last_seq FROM snapshot").fetchone()
        except sqlite3.Error:
            return (None, 0)
        return (None, 0) if row is None else (row[0], row[1])

    def load(self) -> CachedState | None:
        """The saved state, histories included; None when there is none, it is from another
        console build, or it cannot be read (then the file is set aside)."""
        read = self._read(with_history=True)
        return None if read is None else read[0]

    def load_into(self, store: CaseStore, *, defer_history: bool = False) -> CacheInfo | None:
        """Fill an empty store with the saved state, in one swap (the model sees one reset).

        With `defer_history` the cases come without their histories (the queue shows none of
        it): `restore_history` adds them, and must finish before the store takes any event.
        The saved queue masks and keys are taken when they fit the store (its scope and sort,
        this build's code), else the store makes them (logged). Where they were saved with the
        cases' ids and the store shows a queue alone, a deferred load decodes only the cases of
        the opening rows' chunks before it returns (`CaseStore.load_pending`): the rest when the
        store is first read past them, or `CaseStore.finish_load` (the console calls it right
        after the first paint; `restore_history` does too).
        """
        read = self._read(with_history=not defer_history, into=store if defer_history else None)
        if read is None:
            return None
        state, histories, prepared, pending = read
        self._deferred = histories if defer_history else None
        if pending:  # the store holds the cases already, most of them still to be decoded
            taken, count = store.loading, len(store)
        else:
            taken, count = _swap_in(store, state.cases, state.last_seq, prepared), len(state.cases)
            if not taken and prepared is not None:
                log.info("the snapshot cache's queue masks and keys do not fit this console (another build or"
                         " scope): made again")
        store.log_id = state.log_id
        store.units = {unit.unit_id: unit for unit in state.units}
        store.org_units = {unit.id: unit for unit in state.org_units}
        store.supervision = {case_id: list(records) for case_id, records in state.supervision.items()}
        store.set_emergency_state(state.emergencies, state.tasks, state.directives, state.receipts, state.warnings,
                                  state.resources)
        store.shift.set_snapshot(state.rota, state.handovers)
        self._deferred_at = (state.log_id, state.last_seq)
        return CacheInfo(state.log_id, state.last_seq, state.as_of, count, state.hub_url, taken)

    async def restore_history(self, store: CaseStore) -> bool:
        """Decode the histories `load_into(defer_history=True)` left out, one chunk per turn of the
        loop (the window stays responsive), then give the held cases their histories (one model reset;
        no queue mask, key or row is made again: none of them reads a history).

        False when there was nothing to restore, or the store moved on meanwhile (then its
        cases keep empty histories until the hub sends them again).
        """
        deferred, self._deferred = self._deferred, None
        if deferred is None:
            return False
        store.finish_load()  # the cases a start left undecoded (nothing when none)
        histories: list[tuple[Trace, ...]] = []
        try:
            for blob in await asyncio.wrap_future(deferred):  # read meanwhile, off the GIL
                with gc_paused():
                    histories.extend(_decode_histories(blob))
                await asyncio.sleep(0)
        except (msgspec.DecodeError, sqlite3.Error) as exc:
            log.error("the cached histories could not be read (%s)", exc)
            return False
        if (store.log_id, store.last_seq) != self._deferred_at or len(histories) != len(self._deferred_ids):
            log.warning("the store moved on before the cached histories were restored: not restored")
            return False
        with gc_paused():  # the histories only: no mask, key or row is made again
            share_instants(store.set_histories(self._deferred_ids, histories))  # left from the first paint
        return True

    def _read(self, *, with_history: bool, into: CaseStore | None = None) -> _Read | None:
        """Read and decode (see `_Read`). With `into` (and no histories), the cases go straight into that
        store by `CaseStore.load_pending` where the saved masks and keys allow it."""
        reader: _ChunkReader | None = None
        try:
            reader = (_ChunkReader.of_file(self._path) if self._db.path is not None
                      else _ChunkReader.of_db(self._db))
            meta = reader.meta()
            if meta is None:
                return None
            if meta.schema_tag != schema_tag():
                reader.stop()
                log.info("the snapshot cache was written by another console build: not used")
                return None
            extras = _decode_extras(meta.extras)
            prepared = _prepared(meta.prepared) if into is not None else None
            chunks: Iterable[bytes] = reader.cases()
            if into is not None and prepared is not None and prepared.ids is not None:
                if len(prepared.ids) != meta.case_count:
                    raise ValueError(f"{len(prepared.ids)} ids where {meta.case_count} cases were written")
                if self._load_pending(into, reader, prepared, prepared.ids, meta.last_seq):
                    self._deferred_ids = prepared.ids
                    return _Read(_state(meta, extras, []), reader.histories, prepared, pending=True)
            cases: list[Case] = []
            with gc_paused():
                for blob in chunks:
                    cases.extend(_unpack(blob))
                if with_history:
                    share_instants(cases)
                    histories = [_decode_histories(blob) for blob in reader.histories.result()]
                    cases = [replace(case, history=history)
                             for case, history in zip(cases, chain.from_iterable(histories), strict=True)]
        except (sqlite3.Error, msgspec.DecodeError, ValueError, IndexError) as exc:
            if reader is not None:
                reader.stop()
            self._set_aside(describe_error(exc))
            return None
        if len(cases) != meta.case_count:
            reader.stop()
            self._set_aside(f"{len(cases)} cases where {meta.case_count} were written")
            return None
        self._deferred_ids = [case.id for case in cases] if not with_history else []
        if into is None:
            prepared = _prepared(meta.prepared)
        return _Read(_state(meta, extras, cases), reader.histories, prepared)

    def _load_pending(self, store: CaseStore, reader: _ChunkReader, prepared: Prepared, ids: list[str],
                      seq: int) -> bool:
        """`store.load_pending` from the chunks as they are read: those of the opening rows decoded now, the
        rest when the store first needs them (right after the first paint). Cases that cannot be decoded
        then set the file aside (the store empties itself); now, they raise (the store emptied here)."""
        source = reader.cases()
        blobs: list[bytes] = []
        done: dict[int, list[Case]] = {}
        lazy = False

        def blob(chunk: int) -> bytes:
            for more in source:  # read up to it (the reader thread reads on meanwhile)
                blobs.append(more)
                if len(blobs) > chunk:
                    break
            if len(blobs) <= chunk:
                raise ValueError(f"no chunk {chunk} where {len(ids)} cases were written")
            return blobs[chunk]

        def decode(slots: list[int]) -> dict[int, Case]:
            decoded: dict[int, Case] = {}
            with gc_paused():
                for chunk in sorted({slot // CHUNK_CASES for slot in slots}):
                    cases = done[chunk] = _unpack(blob(chunk))
                    decoded.update(enumerate(cases, chunk * CHUNK_CASES))
            return decoded

        def rest() -> list[Case]:
            cases: list[Case] = []
            try:
                with gc_paused():
                    for chunk, data in enumerate(chain(blobs, source)):
                        cases.extend(done.pop(chunk, []) or _unpack(data))
                if len(cases) != len(ids):
                    raise ValueError(f"{len(cases)} cases where {len(ids)} were written")
            except (sqlite3.Error, msgspec.DecodeError, ValueError, IndexError) as exc:
                if lazy:  # after the first paint: nothing else will set the file aside
                    reader.stop()
                    self._set_aside(describe_error(exc))
                raise
            finally:
                blobs.clear()
                done.clear()
            return cases

        try:
            taken = store.load_pending(ids, decode, rest, seq, prepared)
        except (sqlite3.Error, msgspec.DecodeError, ValueError, IndexError):
            store.reset()
            raise
        lazy = True
        return taken

    def _set_aside(self, reason: str) -> None:
        self._db.close()
        moved = None
        with contextlib.suppress(OSError):
            moved = move_aside(self._path) if self._path.exists() else None
        self.problem = f"the snapshot cache {self._path} could not be read ({reason})"
        if moved is not None:
            self.problem += f"; it was moved to {moved.name}"
        log.error("%s", self.problem)
        self._db = open_local(self._path, SCHEMA, FORMAT_VERSION, what="snapshot cache",
                              synchronous="NORMAL", check=False)

    def close(self) -> None:
        self._db.close()


def _prepared(blob: bytes | None) -> Prepared | None:
    if blob is None:
        log.info("the snapshot cache holds no queue masks and keys of its last save: made at load")
        return None
    try:
        saved = _decode_prepared(blob)
        masks = array(MASK_TYPE, saved.masks)
    except (msgspec.DecodeError, ValueError) as exc:
        log.warning("the snapshot cache's queue masks and keys could not be read (%s): made at load", exc)
        return None
    return Prepared(saved.code, saved.scope, saved.sort, masks, saved.keys, saved.ids or None)


def _state(meta: _Meta, extras: _Extras, cases: list[Case]) -> CachedState:
    return CachedState(meta.log_id, meta.last_seq, meta.as_of, cases, meta.hub_url, extras.units, extras.org_units,
                       extras.supervision, extras.emergencies, extras.tasks, extras.directives, extras.receipts,
                       extras.warnings, extras.resources, extras.rota, extras.handovers)


def _swap_in(store: CaseStore, cases: list[Case], seq: int, prepared: Prepared | None) -> bool:
    with gc_paused():  # a load makes 100,000 keys: the same reason as in `_read`
        return store.load(cases, seq, prepared, compacted=True)  # as `_unpack` leaves them
