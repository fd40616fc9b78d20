"""`alert.ack`: an operator acknowledges an alert; the hub records who, when and with what comment.

An acknowledgement changes no case. It is one `alert.acknowledged` event (every console marks
the alert acknowledged for everyone) and, like every command, one row of the audit log.
"""

from __future__ import annotations

import re

from hub.engine.batch import Batch, Outcome
from hub.engine.loop import Refusal
from hub.engine.org_port import OrgPort
from protocol import AlertAck, AlertAckArgs, AlertAcknowledged, AlertKind, ErrorCode, Role, SlaLevel, SupervisionAction

_LEVELS = "|".join(level.value for level in SlaLevel if level is not SlaLevel.BLUE)
KEY_PATTERNS: dict[AlertKind, re.Pattern[str]] = {
    AlertKind.TIMER: re.compile(rf"(overall|step)\.({_LEVELS})"),
    AlertKind.SUPERVISION: re.compile("|".join(action.value for action in SupervisionAction)),
    AlertKind.RETURNED: re.compile(r"return\.[1-9][0-9]{0,3}"),
}
"""The key that names an alert of each kind: which timer reached which level, which supervision
action, which return of the case (its `returns` count after it)."""
KEY_FORMS: dict[AlertKind, str] = {
    AlertKind.TIMER: "overall.LEVEL or step.LEVEL, LEVEL one of " + _LEVELS.replace("|", ", "),
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
