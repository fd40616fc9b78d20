"""`alert.ack` and `alert.shelve`: an operator acknowledges an alert, or shelves a noisy one for a while.

An acknowledgement changes no case. It is one `alert.acknowledged` event (every console marks
the alert acknowledged for everyone) and, like every command, one row of the audit log.
A shelf is one `alert.shelved` event naming the desk (the account's unit, or the centre), who,
why and until when: the desks it is for raise no row for that alert until then, when it expires
by itself. The audit log has the command; the event log has the shelf (docs/alarms.md).
`ShelfBook` holds the shelves in force, which `snapshot.end` gives a console that opens later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from hub.engine.batch import Batch, Outcome
from hub.engine.loop import Refusal
from hub.engine.org_port import OrgPort
from protocol import (
    AlertAck,
    AlertAckArgs,
    AlertAcknowledged,
    AlertKind,
    AlertShelf,
    AlertShelveArgs,
    AlertShelved,
    ErrorCode,
    Role,
    SlaLevel,
    SupervisionAction,
)
from protocol.codec import decode_server
from protocol.events import KnownEvent

_LEVELS = "|".join(level.value for level in SlaLevel if level is not SlaLevel.BLUE)
KEY_PATTERNS: dict[AlertKind, re.Pattern[str]] = {
    AlertKind.TIMER: re.compile(rf"(overall|step)\.({_LEVELS})|overall\.red\.held|unit\.red\.[0-9A-Za-z_-]+"),
    AlertKind.SUPERVISION: re.compile("|".join(action.value for action in SupervisionAction)),
    AlertKind.RETURNED: re.compile(r"return\.[1-9][0-9]{0,3}"),
}
"""The key that names an alert of each kind: which timer reached which level (or, for the centre, a
case red too long, `overall.red.held`, or a unit with many red cases, `unit.red.UNIT`), which
supervision action, which return of the case (its `returns` count after it)."""
KEY_FORMS: dict[AlertKind, str] = {
    AlertKind.TIMER: "overall.LEVEL or step.LEVEL, LEVEL one of " + _LEVELS.replace("|", ", ")
                     + "; overall.red.held; or unit.red.UNIT",
    AlertKind.SUPERVISION: "one of " + ", ".join(action.value for action in SupervisionAction),
    AlertKind.RETURNED: "return.N, N the case's count of returns after it (1, 2, …)",
}


def acknowledge(batch: Batch, args: AlertAckArgs, name: str, role: Role, scope: str | None,
                org: OrgPort) -> Outcome:
    """Validate every named case, then record one `alert.acknowledged`; raises `Refusal`."""
    if KEY_PATTERNS[args.kind].fullmatch(args.key) is None:
        raise Refusal(ErrorCode.INVALID_ARGS, f"`args.key` {args.key!r} does not name a {args.kind.value} alert: "
                                              f"expected {KEY_FORMS[args.kind]}")
    seen: set[str] = set()
    for case_id in args.case_ids:
        if case_id in seen:
            raise Refusal(ErrorCode.INVALID_ARGS, f"`args.case_ids` names case {case_id!r} twice")
        seen.add(case_id)
        case = batch.case(case_id)
        if case is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no case {case_id!r}")
        if scope is not None and not org.in_scope(scope, case):
            raise Refusal(ErrorCode.FORBIDDEN, f"case {case.serial} is outside this account's unit {scope}")
    data = AlertAck(case_ids=list(args.case_ids), kind=args.kind, key=args.key, by=name, role=role, at=batch.now,
                    comment=args.comment)
    event = AlertAcknowledged(seq=batch.take_seq(), ts=batch.now, data=data)
    return Outcome(result={"count": len(args.case_ids), "seq": event.seq}, events=[event])


def shelve(batch: Batch, args: AlertShelveArgs, name: str, role: Role, scope: str | None) -> Outcome:
    """Record one `alert.shelved` for the caller's desk; raises `Refusal` on a key that names no alert."""
    if args.key is not None and KEY_PATTERNS[args.kind].fullmatch(args.key) is None:
        raise Refusal(ErrorCode.INVALID_ARGS, f"`args.key` {args.key!r} does not name a {args.kind.value} alert: "
                                              f"expected {KEY_FORMS[args.kind]}")
    reason = args.reason.strip()
    if not reason:
        raise Refusal(ErrorCode.INVALID_ARGS, "`args.reason` says why the alert is shelved: it may not be blank")
    until = batch.now + timedelta(minutes=args.minutes)
    data = AlertShelf(kind=args.kind, key=args.key, unit_id=scope, by=name, role=role, at=batch.now, until=until,
                      reason=reason)
    event = AlertShelved(seq=batch.take_seq(), ts=batch.now, data=data)
    return Outcome(result={"until": until.isoformat(), "seq": event.seq}, events=[event])


SHELF_MAX = timedelta(minutes=480)
"""The longest shelf `alert.shelve` accepts: the log is read this far back at start (`ShelfBook`)."""


class ShelfBook:
    """The shelves in force: the latest `alert.shelved` of each desk, kind and key, until it expires."""

    def __init__(self) -> None:
        self._latest: dict[tuple[str | None, AlertKind, str | None], AlertShelf] = {}

    def fold(self, frames: Iterable[bytes] = (), events: Iterable[KnownEvent] = ()) -> None:
        """Take shelves from frames (the log at start) and events (each commit), in order."""
        decoded = [decode_server(f) for f in frames if f.startswith(b'{"type":"alert.shelved"')]
        for event in [*decoded, *events]:
            if isinstance(event, AlertShelved):
                data = event.data
                key = (data.unit_id, data.kind, data.key)
                self._latest.pop(key, None)  # a replaced shelf moves to the end: the dict is in log order
                self._latest[key] = data

    def active(self, now: datetime) -> list[AlertShelf]:
        """Every shelf not yet expired at `now`, in the order recorded (the expired ones are forgotten)."""
        self._latest = {k: s for k, s in self._latest.items() if s.until > now}
        return list(self._latest.values())
