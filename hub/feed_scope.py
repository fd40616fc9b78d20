"""What the feed gives an account scoped to a unit: its own cases, and of the others nothing but `seq`.

The hub, not the console, keeps a unit's desk to its scope (docs/protocol.md, "Accounts scoped
to a unit"). Each such connection has a `ScopedFeed` that rewrites the frames it is sent, one
for one, so `seq` stays gapless:

* the snapshot holds only the cases in scope, and only the desk's own shift handovers;
* an event about a case the desk does not hold becomes `event.withheld` (its `seq` and `ts`);
* the event that brings a case into the scope (a dispatch to the unit) becomes
  `case.entered_scope` with the whole case as the hub holds it now, and the events of that
  case already folded into it are withheld (a level change replayed after a newer state would
  turn it back);
* the event that takes a held case out of the scope (a return, a transfer) becomes
  `case.left_scope` with only the case's id;
* an alert acknowledgement keeps only the held cases' ids; events that are no case's
  (statistics, organisation, rota, the joint response) pass unchanged.

`CommitFrames` decodes a commit's frames once, however many scoped desks read them, and only
the frames of the event types that can name a case (found by their first bytes). Everything
runs on the event loop without an `await`, against the writer's in-memory cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import msgspec

from hub.org.chart import OrgChart
from protocol import (
    AlertAcknowledged,
    Case,
    CaseCreated,
    CaseEnteredScope,
    CaseLeftScope,
    CaseRef,
    CaseUpdated,
    EventWithheld,
    Handover,
    ShiftHandedOver,
    ShiftHandoverAcknowledged,
    SupervisionRecorded,
    TimerLevelChanged,
    Withheld,
    encode,
)

_CaseEvent = (CaseCreated | CaseUpdated | TimerLevelChanged | SupervisionRecorded | AlertAcknowledged
              | ShiftHandedOver | ShiftHandoverAcknowledged)
_decode = msgspec.json.Decoder(_CaseEvent).decode
_PREFIXES = tuple(b'{"type":"' + name.encode() + b'"' for name in (
    "case.created", "case.updated", "timer.level_changed", "supervision.recorded", "alert.acknowledged",
    "shift.handed_over", "shift.handover_acknowledged"))
"""Frames start with their type (the encoder writes the tag first): only these can name a case."""
_WITHHELD = Withheld()

Owners = tuple[str | None, tuple[str, ...]]
"""A case's handling unit and co-units, as the desk holds them."""


class CommitFrames:
    """The frames of one commit (or one catch-up batch), decoded once for every scoped desk."""

    __slots__ = ("_events", "_withheld", "frames")

    def __init__(self, frames: list[bytes]) -> None:
        self.frames = frames
        self._events: dict[int, _CaseEvent | None] = {}
        self._withheld: dict[int, bytes] = {}

    def event(self, index: int) -> _CaseEvent | None:
        """The event of frame `index` when it may name a case; None for every other frame."""
        if index not in self._events:
            frame = self.frames[index]
            event: _CaseEvent | None = None
            if frame.startswith(_PREFIXES):
                try:
                    event = _decode(frame)
                except msgspec.DecodeError:  # cannot happen with frames the hub wrote; pass it on unread
                    event = None
            self._events[index] = event
        return self._events[index]

    def withheld(self, index: int, event: _CaseEvent) -> bytes:
        frame = self._withheld.get(index)
        if frame is None:
            frame = self._withheld[index] = encode(EventWithheld(seq=event.seq, ts=event.ts, data=_WITHHELD))
        return frame


class ScopedFeed:
    """The filter of one connection of an account scoped to `unit_id`."""

    def __init__(self, unit_id: str, org: OrgChart, cases: Mapping[str, Case], head: Callable[[], int]) -> None:
        self.unit_id = unit_id
        self._org = org
        self._cases = cases
        self._head = head
        self._held: dict[str, Owners] = {}
        """The cases the client holds, with their owners as of the last frame it got about them."""
        self._covered: dict[str, int] = {}
        """Cases sent whole by `case.entered_scope`: the `seq` their state already includes."""
        self._handovers: set[str] = set()
        """Ids of the desk's own handovers the client was given (their acknowledgements pass)."""

    # --- the snapshot ---------------------------------------------------------------------

    def snapshot(self, cases: Iterable[Case]) -> list[Case]:
        """The cases of a snapshot the client may hold; from now on they are the ones it holds."""
        mine = [case for case in cases if self._org.in_scope(self.unit_id, case)]
        self._held = {case.id: (case.unit_id, tuple(case.co_unit_ids)) for case in mine}
        self._covered = {}
        return mine

    def handovers(self, handovers: Iterable[Handover]) -> list[Handover]:
        """The desk's own latest handover, of those a snapshot lists."""
        mine = [h for h in handovers if h.unit_id == self.unit_id]
        self._handovers = {h.id for h in mine}
        return mine

    # --- events ---------------------------------------------------------------------------

    def frames(self, commit: CommitFrames) -> list[bytes]:
        """The commit's frames as this client receives them: as many, with the same `seq`s."""
        out = []
        for index, frame in enumerate(commit.frames):
            event = commit.event(index)
            out.append(frame if event is None else self._one(commit, index, frame, event))
        return out

    def _one(self, commit: CommitFrames, index: int, frame: bytes, event: _CaseEvent) -> bytes:
        if isinstance(event, CaseUpdated):
            return self._patch(commit, index, frame, event)
        if isinstance(event, CaseCreated):
            case = event.data
            if not self._org.in_scope(self.unit_id, case):
                return commit.withheld(index, event)
            self._held[case.id] = (case.unit_id, tuple(case.co_unit_ids))
            return frame
        if isinstance(event, TimerLevelChanged):
            case_id = event.data.case_id
            held = case_id in self._held and self._covered.get(case_id, 0) < event.seq
            return frame if held else commit.withheld(index, event)
        if isinstance(event, SupervisionRecorded):
            return frame if event.data.case_id in self._held else commit.withheld(index, event)
        if isinstance(event, AlertAcknowledged):
            ids = [case_id for case_id in event.data.case_ids if case_id in self._held]
            if not ids:
                return commit.withheld(index, event)
            if len(ids) == len(event.data.case_ids):
                return frame
            return encode(msgspec.structs.replace(event, data=msgspec.structs.replace(event.data, case_ids=ids)))
        if isinstance(event, ShiftHandedOver):
            if event.data.unit_id != self.unit_id:
                return commit.withheld(index, event)
            self._handovers.add(event.data.id or f"H{event.seq}")
            return frame
        # ShiftHandoverAcknowledged
        return frame if event.data.handover_id in self._handovers else commit.withheld(index, event)

    def _patch(self, commit: CommitFrames, index: int, frame: bytes, event: CaseUpdated) -> bytes:
        patch = event.data
        case_id = patch.id
        if self._covered.get(case_id, 0) >= event.seq:
            return commit.withheld(index, event)  # already in the whole case the client was sent
        before = self._held.get(case_id)
        moved = patch.unit_id is not msgspec.UNSET or patch.co_unit_ids is not msgspec.UNSET
        if not moved:  # the owners did not change, nor did the scope
            return frame if before is not None else commit.withheld(index, event)
        unit_id = patch.unit_id if patch.unit_id is not msgspec.UNSET else (before[0] if before else None)
        co_ids = tuple(patch.co_unit_ids) if patch.co_unit_ids is not msgspec.UNSET else (before[1] if before else ())
        now = self._cases.get(case_id)
        inside = now is not None and self._org.in_scope(
            self.unit_id, msgspec.structs.replace(now, unit_id=unit_id, co_unit_ids=list(co_ids)))
        if before is not None and inside:
            self._held[case_id] = (unit_id, co_ids)
            return frame
        if before is not None:
            del self._held[case_id]
            self._covered.pop(case_id, None)
            return encode(CaseLeftScope(seq=event.seq, ts=event.ts, data=CaseRef(id=case_id)))
        if not inside or now is None or not self._org.in_scope(self.unit_id, now):
            return commit.withheld(index, event)  # out of scope, or in and out again since: nothing to show
        self._held[case_id] = (now.unit_id, tuple(now.co_unit_ids))
        self._covered[case_id] = self._head()
        return encode(CaseEnteredScope(seq=event.seq, ts=event.ts, data=now))
