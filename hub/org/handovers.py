"""The shift handovers the hub holds: the latest of each desk, with its acknowledgements applied.

Folded from the log like the organisation chart (at start from the org index, after each commit
from the new events, its own and those another hub wrote), so a restart shows the same record.
An older handover of a desk is in the log; only the latest is kept here, and only it can be
acknowledged: the one the incoming officer has in front of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import msgspec

from hub.engine.batch import Batch, Outcome
from hub.org.chart import OrgChart
from protocol import (
    OPEN_STATUSES,
    Case,
    CaseFlag,
    ErrorCode,
    Role,
    ShiftHandoverAckArgs,
    ShiftHandoverArgs,
    SlaLevel,
    decode_server,
)
from protocol.events import KnownEvent
from protocol.shift import (
    Handover,
    HandoverAck,
    HandoverItem,
    HandoverItemKind,
    HandoverItemRef,
    ShiftHandedOver,
    ShiftHandoverAcknowledged,
    acknowledged,
)

_PREFIXES = (b'{"type":"shift.handed_over"', b'{"type":"shift.handover_acknowledged"')
"""Frames start with their type (the encoder writes the tag first): a cheap filter before decoding."""
CENTRE = ""
"""The desk key of the centre's duty shift (a unit desk's key is its unit id)."""
HANDOVER_CASES = 200
"""Most red cases, and most cases awaiting arbitration, one handover lists (the most urgent first)."""
HUB_KINDS = frozenset({HandoverItemKind.RED_CASE, HandoverItemKind.ARBITRATION})
"""The items the hub lists itself; a console sends the others."""
RECORD = "handover"
"""`batch.records` kind of a handover written in the current transaction, keyed by its desk."""


def desk_of(handover: Handover) -> str:
    return handover.unit_id or CENTRE


class HandoverBook:
    def __init__(self) -> None:
        self.latest: dict[str, Handover] = {}
        """The latest handover of each desk, by `desk_of`."""

    def by_id(self, handover_id: str) -> Handover | None:
        return next((h for h in self.latest.values() if h.id == handover_id), None)

    def fold(self, frames: Iterable[bytes], events: Iterable[KnownEvent] = ()) -> None:
        """Take handovers and acknowledgements from frames and events, in order (idempotent by seq)."""
        decoded = [decode_server(f) for f in frames if f.startswith(_PREFIXES)]
        for event in [*decoded, *events]:
            if isinstance(event, ShiftHandedOver):
                data = event.data if event.data.id else _with_id(event)
                held = self.latest.get(desk_of(data))
                if held is None or held.id != data.id:
                    self.latest = {**self.latest, desk_of(data): data}
            elif isinstance(event, ShiftHandoverAcknowledged):
                held = self.by_id(event.data.handover_id)
                if held is not None:
                    self.latest = {**self.latest, desk_of(held): acknowledged(held, event.data)}


def _with_id(event: ShiftHandedOver) -> Handover:
    """A handover recorded before ids existed gets the id it would have had."""
    return msgspec.structs.replace(event.data, id=handover_id(event.seq))


def handover_id(seq: int) -> str:
    """>>> handover_id(1055)
    'H1055'
    """
    return f"H{seq}"


class HandoverCommands:
    """`shift.handover` and `shift.handover_ack`, run inside the writer's transaction.

    A later job of the same transaction reads what an earlier one wrote through `batch.records`;
    the book takes the events after the commit.
    """

    def __init__(self, chart: OrgChart) -> None:
        self.chart = chart
        self.book = HandoverBook()

    def handover(self, batch: Batch, args: ShiftHandoverArgs, actor: str, scope: str | None = None) -> Outcome:
        """Drill cases (`exercise_id`) are not the shift's work; a unit's desk hands over its own cases."""
        for item in args.items:
            if item.kind in HUB_KINDS:
                return Outcome.refuse(ErrorCode.INVALID_ARGS, f"items: the hub lists {item.kind.value} items itself; "
                                                              "send only alert and refused_command items")
        open_cases = [c for c in merged_cases(batch).values()
                      if c.status in OPEN_STATUSES and c.exercise_id is None
                      and (scope is None or self.chart.in_scope(scope, c))]
        by_status = Counter(c.status.value for c in open_cases)
        red = sorted((c for c in open_cases if c.level is SlaLevel.RED and c.overall is not None),
                     key=lambda c: c.overall.due_at if c.overall else batch.now)[:HANDOVER_CASES]
        waiting = sorted((c for c in open_cases if CaseFlag.ARBITRATION in c.flags),
                         key=lambda c: c.updated_at)[:HANDOVER_CASES]
        items = [HandoverItem(kind=HandoverItemKind.RED_CASE, ref=c.id, text=case_text(c)) for c in red]
        items += [HandoverItem(kind=HandoverItemKind.ARBITRATION, ref=c.id, text=case_text(c)) for c in waiting]
        seen = {(i.kind, i.ref) for i in items}
        for sent in args.items:
            if (sent.kind, sent.ref) not in seen:
                seen.add((sent.kind, sent.ref))
                items.append(HandoverItem(kind=sent.kind, ref=sent.ref, text=sent.text))
        seq = batch.take_seq()
        data = Handover(id=handover_id(seq), by=actor, at=batch.now, open_by_status=dict(sorted(by_status.items())),
                        red_case_ids=[c.id for c in red], to=args.to, note=args.note, unit_id=scope, items=items)
        batch.records[(RECORD, desk_of(data))] = data
        return Outcome(result={"id": data.id, "open": len(open_cases), "red": len(red), "items": len(items),
                               "seq": seq}, events=[ShiftHandedOver(seq=seq, ts=batch.now, data=data)])

    def acknowledge(self, batch: Batch, args: ShiftHandoverAckArgs, actor: str, role: Role,
                    scope: str | None = None) -> Outcome:
        if not args.all and not args.items:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, "name the items to acknowledge, or give all: true")
        handover = self._current(batch, args.id)
        if handover is None:
            return Outcome.refuse(ErrorCode.NOT_FOUND, f"{args.id!r} is not the latest handover of a desk "
                                                       "(only that one is acknowledged)")
        if scope is not None and handover.unit_id != scope:
            return Outcome.refuse(ErrorCode.FORBIDDEN, f"handover {handover.id} is not your unit's")
        if handover.by == actor:
            return Outcome.refuse(ErrorCode.ILLEGAL_STATE, f"you handed over {handover.id}: the incoming officer "
                                                           "acknowledges it")
        kinds = {(i.kind, i.ref) for i in handover.items}
        for ref in args.items:
            if (ref.kind, ref.ref) not in kinds:
                return Outcome.refuse(ErrorCode.INVALID_ARGS,
                                      f"handover {handover.id} has no {ref.kind.value} item {ref.ref!r}")
        wanted = {(r.kind, r.ref) for r in args.items}
        still_open = [i for i in handover.items if i.acknowledged_by is None]
        named = still_open if args.all else [i for i in still_open if (i.kind, i.ref) in wanted]
        if not named and (not args.all or handover.acknowledged_by is not None):
            who = handover.acknowledged_by or next((i.acknowledged_by for i in handover.items
                                                    if (i.kind, i.ref) in wanted and i.acknowledged_by), "")
            return Outcome.refuse(ErrorCode.ILLEGAL_STATE, f"already acknowledged (by {who})")
        remaining = len(still_open) - len(named)
        seq = batch.take_seq()
        ack = HandoverAck(handover_id=handover.id, items=[HandoverItemRef(kind=i.kind, ref=i.ref) for i in named],
                          by=actor, role=role, at=batch.now, complete=remaining == 0, note=args.note)
        batch.records[(RECORD, desk_of(handover))] = acknowledged(handover, ack)
        return Outcome(result={"acknowledged": len(named), "remaining": remaining, "seq": seq},
                       events=[ShiftHandoverAcknowledged(seq=seq, ts=batch.now, data=ack)])

    def _current(self, batch: Batch, handover_id: str) -> Handover | None:
        written = [h for (kind, _), h in batch.records.items() if kind == RECORD and isinstance(h, Handover)]
        latest = {**self.book.latest, **{desk_of(h): h for h in written}}
        return next((h for h in latest.values() if h.id == handover_id), None)


def case_text(case: Case) -> str:
    """The case in the hub's words: serial · category · street · unit."""
    return " · ".join(part for part in (case.serial, case.category_zh, case.street_name, case.unit_name or "") if part)


def merged_cases(batch: Batch) -> dict[str, Case]:
    return {**batch.cases, **batch.synced, **batch.changed}
