"""Cases received inside an active emergency's area are linked to it (`Case.emergency_id`).

Runs inside `case.create`'s job for every case, so it must cost nothing when no emergency is
active and little when a few are: the book keeps the active ids, an area's polygon is indexed
once per emergency, and streets and grids are set lookups.
"""

from __future__ import annotations

import msgspec

from hub.directory.geometry import EdgeIndex
from hub.emergency.book import EmergencyBook
from hub.engine.batch import Batch
from protocol import EMERGENCY_LEVEL_ORDER, Case, Emergency, EmergencyArea, EmergencyChanged, EmergencyStatus
from protocol.events import KnownEvent

replace = msgspec.structs.replace


class _Area:
    """An emergency's area prepared for point tests."""

    def __init__(self, area: EmergencyArea) -> None:
        self.source = area
        self.everywhere = not (area.street_codes or area.grid_ids or area.polygon)
        self.streets = frozenset(area.street_codes)
        self.grids = frozenset(area.grid_ids)
        self.polygon = (EdgeIndex.build([[[(p[0], p[1]) for p in area.polygon]]])
                        if len(area.polygon) >= 3 else None)

    def contains(self, case: Case) -> bool:
        return (self.everywhere or case.street_code in self.streets
                or (case.grid_id is not None and case.grid_id in self.grids)
                or (self.polygon is not None and self.polygon.contains(case.lon, case.lat)))


class CaseLinker:
    """`link(batch, case)`: the case with its emergency, and the emergency's `emergency.changed`."""

    def __init__(self, book: EmergencyBook) -> None:
        self.book = book
        self._areas: dict[str, _Area] = {}

    def link(self, batch: Batch, case: Case) -> tuple[Case, list[KnownEvent]]:
        candidates = self.book.active_candidates(batch)
        if not candidates:
            return case, []
        drill = case.exercise_id is not None
        best: Emergency | None = None
        for emergency_id in candidates:
            emergency = self.book.get(batch, Emergency, emergency_id)
            if (emergency is None or emergency.status is not EmergencyStatus.ACTIVE or emergency.exercise != drill
                    or not self._area(emergency).contains(case)):
                continue
            if best is None or _rank(emergency) > _rank(best):
                best = emergency
        if best is None:
            return case, []
        emergency = replace(best, case_count=best.case_count + 1, updated_at=batch.now)
        self.book.put(batch, emergency.id, emergency)
        return (replace(case, emergency_id=emergency.id),
                [EmergencyChanged(seq=batch.take_seq(), ts=batch.now, data=emergency)])

    def _area(self, emergency: Emergency) -> _Area:
        area = self._areas.get(emergency.id)
        if area is None or area.source is not emergency.area:  # an area never changes: compared once per copy
            if area is None or area.source != emergency.area:
                area = _Area(emergency.area)
            area.source = emergency.area
            self._areas[emergency.id] = area
        return area


def _rank(emergency: Emergency) -> tuple[int, object, str]:
    """The most severe first, then the latest declared (then the id, so the choice is stable)."""
    return EMERGENCY_LEVEL_ORDER.index(emergency.level), emergency.declared_at, emergency.id
