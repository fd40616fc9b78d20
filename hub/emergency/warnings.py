"""CAP 1.2 warnings in: receive (parse, keep, suggest a plan), confirm (declare) or dismiss.

`receive` parses with `hub.emergency.cap.parse_cap`, which either returns a whole, valid alert
or raises; a refused file leaves nothing behind (the job writes only after the parse). A
message already received (same sender and identifier) is answered with the warning made of it.
A Cancel dismisses the warnings it references that nobody has decided yet.

`confirm` declares the emergency through `EmergencyCommands.declare` (same checks, same events,
the plan for the type and level activated) and records the decision on the warning in the
same commit.
"""

from __future__ import annotations

import math
from datetime import UTC

import msgspec

from hub.emergency.book import EmergencyBook
from hub.emergency.cap import CapAlert, CapError, CapInfo, parse_cap, signal_of
from hub.emergency.commands import EmergencyCommands
from hub.emergency.plans import PlanBook
from hub.engine.batch import Batch, Outcome
from hub.engine.cases import CENTRE_ZONE
from hub.engine.loop import Refusal
from protocol import (
    CapWarning,
    EmergencyArea,
    EmergencyDeclareArgs,
    ErrorCode,
    WarningChanged,
    WarningConfirmArgs,
    WarningDismissArgs,
    WarningReceiveArgs,
    WarningSignal,
    WarningStatus,
)
from protocol.events import KnownEvent

DESCRIPTION_CHARS = 1000
TEXT_CHARS = 500
CIRCLE_POINTS = 24
"""A CAP circle becomes a ring of this many points (and the first again)."""
KM_PER_DEGREE = 111.32

replace = msgspec.structs.replace


class WarningCommands:
    def __init__(self, book: EmergencyBook, plans: PlanBook, emergencies: EmergencyCommands) -> None:
        self.book, self.plans, self.emergencies = book, plans, emergencies

    def receive(self, batch: Batch, args: WarningReceiveArgs, actor: str) -> Outcome:
        try:
            alert = parse_cap(args.xml.encode("utf-8"), args.file_name)
        except CapError as exc:
            raise Refusal(ErrorCode.INVALID_ARGS, str(exc)) from None
        held = self.book.warning_of(batch, alert.sender, alert.identifier)
        if held is not None:
            return Outcome(result={**_summary(held), "duplicate": True})
        year = batch.now.astimezone(CENTRE_ZONE).year
        serial = f"WN{year}-{batch.bump_counter(f'warning:{year}'):04d}"
        warning = make_warning(alert, serial, self.plans, actor, batch)
        self.book.put_warning(batch, warning)
        events: list[KnownEvent] = [WarningChanged(seq=batch.take_seq(), ts=batch.now, data=warning)]
        cancelled = self._cancel_referenced(batch, alert, serial, actor) if alert.msg_type == "Cancel" else []
        events += cancelled
        return Outcome(result={**_summary(warning), "duplicate": False,
                               "cancelled": [e.data.id for e in cancelled]}, events=events)

    def _cancel_referenced(self, batch: Batch, alert: CapAlert, by: str, actor: str) -> list[WarningChanged]:
        """A Cancel dismisses the warnings it references (`sender,identifier,sent` …) still undecided."""
        out = []
        for reference in alert.references.split():
            sender, _, rest = reference.partition(",")
            identifier = rest.partition(",")[0]
            warning = self.book.warning_of(batch, sender, identifier)
            if warning is None or warning.status is not WarningStatus.RECEIVED:
                continue
            warning = replace(warning, status=WarningStatus.DISMISSED, decided_by=actor, decided_at=batch.now,
                              updated_at=batch.now, note=f"cancelled by {by} (CAP {alert.identifier})")
            self.book.put_warning(batch, warning)
            out.append(WarningChanged(seq=batch.take_seq(), ts=batch.now, data=warning))
        return out

    def confirm(self, batch: Batch, args: WarningConfirmArgs, actor: str) -> Outcome:
        warning = self._undecided(batch, args.id)
        signal = warning.signal
        kind = args.type or (signal.type if signal else None)
        level = args.level or (signal.level if signal else None)
        if kind is None or level is None:
            raise Refusal(ErrorCode.INVALID_ARGS, f"{warning.id} suggests no response: give type and level")
        title = args.title or (warning.headline or warning.event or f"CAP {warning.identifier}")[:100]
        note = args.note or f"CAP warning {warning.id}: {warning.headline or warning.event}"[:2000]
        declared = self.emergencies.declare(batch, EmergencyDeclareArgs(
            type=kind, level=level, title=title, area=warning.area, exercise=args.exercise or warning.exercise,
            note=note), actor)
        assert declared.result is not None
        emergency_id = str(declared.result["id"])
        warning = replace(warning, status=WarningStatus.CONFIRMED, decided_by=actor, decided_at=batch.now,
                          updated_at=batch.now, note=args.note, emergency_id=emergency_id)
        self.book.put_warning(batch, warning)
        events = [*declared.events, WarningChanged(seq=batch.take_seq(), ts=batch.now, data=warning)]
        return Outcome(result={**declared.result, "id": warning.id, "emergency_id": emergency_id}, events=events)

    def dismiss(self, batch: Batch, args: WarningDismissArgs, actor: str) -> Outcome:
        warning = self._undecided(batch, args.id)
        warning = replace(warning, status=WarningStatus.DISMISSED, decided_by=actor, decided_at=batch.now,
                          updated_at=batch.now, note=args.reason)
        self.book.put_warning(batch, warning)
        return Outcome(result={"id": warning.id, "status": warning.status.value},
                       events=[WarningChanged(seq=batch.take_seq(), ts=batch.now, data=warning)])

    def _undecided(self, batch: Batch, warning_id: str) -> CapWarning:
        warning = self.book.get(batch, CapWarning, warning_id)
        if warning is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no warning {warning_id!r}")
        if warning.status is not WarningStatus.RECEIVED:
            raise Refusal(ErrorCode.ILLEGAL_STATE, f"{warning.id} was already {warning.status.value} by "
                                                   f"{warning.decided_by}")
        return warning


def make_warning(alert: CapAlert, warning_id: str, plans: PlanBook, actor: str, batch: Batch) -> CapWarning:
    """The record of a parsed alert, with the plan its signal suggests (if the hub keeps one)."""
    found = signal_of(alert)
    signal = None if found is None else WarningSignal(type=found.type, level=found.level, reason=found.reason)
    plan = None if found is None else plans.for_(found.type, found.level)
    info = alert.info
    area, area_desc = area_of(info)
    return CapWarning(
        id=warning_id, identifier=alert.identifier, sender=alert.sender, sent=alert.sent.astimezone(UTC),
        msg_type=alert.msg_type,
        status=WarningStatus.RECEIVED, received_by=actor, received_at=batch.now, updated_at=batch.now,
        event=info.event[:TEXT_CHARS] if info else "", headline=info.headline[:TEXT_CHARS] if info else "",
        description=info.description[:DESCRIPTION_CHARS] if info else "",
        severity=info.severity if info else "", urgency=info.urgency if info else "",
        certainty=info.certainty if info else "", language=info.language if info else "",
        sender_name=info.sender_name[:TEXT_CHARS] if info else "",
        expires=info.expires.astimezone(UTC) if info and info.expires else None,
        area=area, area_desc=area_desc, signal=signal, suggested_plan_id=plan.id if plan else None,
        source=alert.source[:255], exercise=alert.status == "Exercise", composed=alert.composed,
    )


def area_of(info: CapInfo | None) -> tuple[EmergencyArea, str]:
    """The first polygon of the warning's areas (else its first circle, as a ring), and their names."""
    if info is None:
        return EmergencyArea(), ""
    desc = "; ".join(a.desc for a in info.areas)[:TEXT_CHARS]
    for area in info.areas:
        if area.polygons:
            return EmergencyArea(polygon=[[lon, lat] for lon, lat in area.polygons[0]]), desc
    for area in info.areas:
        for lon, lat, radius_km in area.circles:
            if radius_km > 0:
                return EmergencyArea(polygon=circle_ring(lon, lat, radius_km)), desc
    return EmergencyArea(), desc


def circle_ring(lon: float, lat: float, radius_km: float) -> list[list[float]]:
    """A closed ring of `CIRCLE_POINTS` points around (lon, lat), in degrees, kept in range."""
    d_lat = radius_km / KM_PER_DEGREE
    d_lon = d_lat / max(math.cos(math.radians(lat)), 0.01)
    ring = []
    for i in range(CIRCLE_POINTS):
        angle = 2 * math.pi * i / CIRCLE_POINTS
        ring.append([round(min(180.0, max(-180.0, lon + d_lon * math.cos(angle))), 6),
                     round(min(90.0, max(-90.0, lat + d_lat * math.sin(angle))), 6)])
    return [*ring, ring[0]]


def _summary(warning: CapWarning) -> dict[str, object]:
    signal = warning.signal
    return {"id": warning.id, "status": warning.status.value, "suggested_plan_id": warning.suggested_plan_id,
            "type": signal.type.value if signal else None, "level": signal.level.value if signal else None}
