"""Which step of the closed loop a case allows as it stands: one table for the hub and the consoles.

The hub refuses a step with `illegal_state` and the message `state_refusal` gives; a console
offers exactly the steps for which it gives none. Only the case's own state counts here (its
status, whether it is paused, awaits arbitration, has an extension pending); what depends on a
command's arguments or on the organisation (the merge target, whether there is a loop above to
escalate to) stays the hub's to check.

>>> sorted(s.value for s in ALLOWED["verify"]), "escalate" in ALLOWED
(['feedback'], True)
"""

from __future__ import annotations

from protocol.enums import OPEN_STATUSES, CaseFlag, CaseStatus
from protocol.events import Case

S = CaseStatus
ALLOWED: dict[str, frozenset[CaseStatus]] = {
    "register": frozenset({S.RECEIVED}),
    "reject": frozenset({S.RECEIVED}),
    "merge": frozenset({S.RECEIVED, S.REGISTERED}),
    "dispatch": frozenset({S.REGISTERED}),
    "sign": frozenset({S.DISPATCHED}),
    "return": frozenset({S.DISPATCHED}),
    "arbitrate": frozenset({S.REGISTERED}),
    "start": frozenset({S.SIGNED}),
    "feedback": frozenset({S.SIGNED, S.HANDLING}),
    "verify": frozenset({S.FEEDBACK}),
    "callback": frozenset({S.CLOSED}),
    "escalate": OPEN_STATUSES,
    "transfer": frozenset({S.RECEIVED, S.REGISTERED}),
    "pause": OPEN_STATUSES,
    "resume": OPEN_STATUSES,
    "extension_request": frozenset({S.SIGNED, S.HANDLING}),
    "extension_decide": frozenset({S.SIGNED, S.HANDLING, S.FEEDBACK}),
}
"""Statuses from which each step (a `case.` command's name without the prefix) may be taken."""

RETURNS_BEFORE_ARBITRATION = 2
"""Returns (退单) after which the centre must arbitrate instead of dispatching again."""


def state_refusal(step: str, case: Case) -> str | None:
    """Why `step` cannot be taken on `case` now, in the hub's words; None when the state allows it."""
    allowed = ALLOWED[step]
    if case.status not in allowed:
        names = ", ".join(sorted(s.value for s in allowed))
        return f"cannot {step} case {case.serial} while {case.status.value} (allowed from: {names})"
    arbitration = CaseFlag.ARBITRATION in case.flags
    if step == "dispatch" and arbitration:
        return f"case {case.serial} was returned {case.returns} times: arbitrate it (case.arbitrate)"
    if step == "arbitrate" and not arbitration:
        return f"case {case.serial} awaits no arbitration: dispatch it"
    if step == "pause" and case.paused_at is not None:
        return f"case {case.serial} is already paused"
    if step == "resume" and case.paused_at is None:
        return f"case {case.serial} is not paused"
    if step == "extension_request" and case.extension_hours is not None:
        return f"case {case.serial} already has an extension request pending"
    if step == "extension_decide" and case.extension_hours is None:
        return f"case {case.serial} has no extension request"
    return None


def open_steps(case: Case) -> list[str]:
    """The steps `case` allows now, in the order of `ALLOWED`."""
    return [step for step in ALLOWED if state_refusal(step, case) is None]
