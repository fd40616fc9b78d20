"""Small builders for store tests: cases, events and a replica that applies drained batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend_client.store import CaseStore, StoreBatch
from protocol import Case, CaseCreated, CasePatch, CaseStatus, CaseUpdated, Channel
from protocol.events import Timer

T0 = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def timer(due_h: float) -> Timer:
    due = T0 + timedelta(hours=due_h)
    span = due - T0
    return Timer(started_at=T0, due_at=due, yellow_at=T0 + span / 2, orange_at=T0 + span * 0.8)


def case(
    n: int, *, status: CaseStatus = CaseStatus.RECEIVED, due_h: float | None = 24.0, **fields: object
) -> Case:
    values: dict[str, object] = dict(
        id=f"id{n:05d}", serial=f"MH2026-{n:06d}", version=1, status=status,
        received_at=T0 + timedelta(minutes=n), updated_at=T0, channel=Channel.HOTLINE_12345,
        category_code=f"{n % 7:04d}", category_zh="噪音", category_en="Noise",
        street_code=f"3101120{n % 13:02d}", street_name="江川路街道", address="", description="d",
        lon=121.4, lat=31.0, overall=timer(due_h) if due_h is not None else None,
    )
    values.update(fields)
    return Case(**values)  # type: ignore[arg-type]


def created(seq: int, data: Case) -> CaseCreated:
    return CaseCreated(seq=seq, ts=T0, data=data)


def updated(seq: int, case_id: str, version: int = 2, **fields: object) -> CaseUpdated:
    patch = CasePatch(id=case_id, version=version, updated_at=T0 + timedelta(seconds=seq), **fields)  # type: ignore[arg-type]
    return CaseUpdated(seq=seq, ts=T0, data=patch)


def full_sort(store: CaseStore) -> list[str]:
    """The order a full sort of every case gives: what the incremental order must equal."""
    from backend_client.store import SORT_KEYS

    key = SORT_KEYS[store.sort_column]
    ordered = [c.id for c in sorted((store.get(i) for i in store.order), key=key)]  # type: ignore[arg-type, return-value]
    return ordered[::-1] if store.descending else ordered


class Replica:
    """Applies drained batches to its own id list exactly as the Qt model does."""

    def __init__(self, store: CaseStore) -> None:
        self.store = store
        store.drain()  # the replica starts from the current state: pending changes are in it
        self.ids: list[str] = store.ids_in_order()
        self.changed: set[str] = set()

    def apply(self, batch: StoreBatch) -> None:
        if batch.reset:
            self.ids = self.store.ids_in_order()
            return
        if batch.moved:
            self.ids.extend(self.store.id_at(row) for row in batch.inserted)
            assert sorted(self.ids) == sorted(self.store.ids_in_order()), "layout change keeps the row count"
            self.ids = self.store.ids_in_order()
        else:
            for start, count in batch.inserted_runs():
                self.ids[start:start] = [self.store.id_at(row) for row in range(start, start + count)]
        self.changed |= batch.changed_ids
