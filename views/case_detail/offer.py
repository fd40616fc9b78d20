"""Which actions the drill-down offers: exactly those the case's state and the operator's role allow.

Pure Python over the protocol's tables (`protocol.loop_rules` for the state, `PERMISSIONS`
and `SUPERVISION_ROLES` for the role), so the console never offers what the hub would refuse
for either reason. At the centre's desk the unit's own steps (sign for, start, report back,
return, ask for more time) are not offered; at a unit's desk (an account scoped to a unit) the
drill-down offers them: sign for (签收), return as not its own (退单) with the reason, start
handling and report back, each with its photos, and ask for more time (延期申请).
"""

from __future__ import annotations

from dataclasses import dataclass

from protocol.commands import SUPERVISION_ROLES, may_send
from protocol.enums import OPEN_STATUSES, Role, SupervisionAction
from protocol.events import Case
from protocol.loop_rules import state_refusal


@dataclass(frozen=True, slots=True)
class ActionSpec:
    key: str
    """What the operator picks: `register`, `designate`, `urge`, …"""
    command: str
    """The command it sends."""
    step: str | None
    """The loop step whose state rule applies (`protocol.loop_rules`); None for supervision."""
    supervision: SupervisionAction | None = None
    unit_step: bool = False
    """A step of the unit's own, offered only at a unit's desk."""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("sign", "case.sign", "sign", unit_step=True),
    ActionSpec("return", "case.return", "return", unit_step=True),
    ActionSpec("start", "case.start", "start", unit_step=True),
    ActionSpec("feedback", "case.feedback", "feedback", unit_step=True),
    ActionSpec("extension_request", "case.extension_request", "extension_request", unit_step=True),
    ActionSpec("register", "case.register", "register"),
    ActionSpec("merge", "case.merge", "merge"),
    ActionSpec("reject", "case.reject", "reject"),
    ActionSpec("dispatch", "case.dispatch", "dispatch"),
    ActionSpec("designate", "case.dispatch", "dispatch"),
    ActionSpec("arbitrate", "case.arbitrate", "arbitrate"),
    ActionSpec("transfer", "case.transfer", "transfer"),
    ActionSpec("verify", "case.verify", "verify"),
    ActionSpec("callback", "case.callback", "callback"),
    ActionSpec("extension_decide", "case.extension_decide", "extension_decide"),
    ActionSpec("pause", "case.pause", "pause"),
    ActionSpec("resume", "case.resume", "resume"),
    ActionSpec("escalate", "case.escalate", "escalate"),
    *(ActionSpec(a.value, "case.supervise", None, a) for a in SupervisionAction),
)
"""Every action of the drill-down, in the order its buttons stand."""

BY_KEY = {spec.key: spec for spec in ACTIONS}


def allowed(spec: ActionSpec, case: Case, role: Role | None, unit_desk: bool = False) -> bool:
    if role is None or not may_send(role, spec.command) or (spec.unit_step and not unit_desk):
        return False
    if spec.supervision is not None:
        # Supervision acts on what is still open (the hub's pooled form does the same).
        return case.status in OPEN_STATUSES and role in SUPERVISION_ROLES[spec.supervision]
    assert spec.step is not None
    return state_refusal(spec.step, case) is None


def offered(case: Case, role: Role | None, unit_desk: bool = False) -> list[ActionSpec]:
    """The actions to offer on `case` to a holder of `role` (none before the hub said who we are),
    at a unit's desk or the centre's."""
    return [spec for spec in ACTIONS if allowed(spec, case, role, unit_desk)]
