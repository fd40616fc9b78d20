"""Translatable words of the drill-down: actions, trace steps, bases, flags, relations (context `CaseDetail`).

Marked with `QT_TRANSLATE_NOOP` so `pyside6-lupdate` collects them; `tr_text()` translates at
the time of the call, in the installed language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from protocol.enums import Basis, CaseFlag, CaseStatus, SupervisionAction
from protocol.events import Trace
from views.case_detail.related import Relation
from views.models.labels import QT_TRANSLATE_NOOP

ACTION: dict[str, str] = {
    "sign": QT_TRANSLATE_NOOP("CaseDetail", "Sign for"),
    "return": QT_TRANSLATE_NOOP("CaseDetail", "Return (not ours)"),
    "start": QT_TRANSLATE_NOOP("CaseDetail", "Start handling"),
    "feedback": QT_TRANSLATE_NOOP("CaseDetail", "Report back"),
    "extension_request": QT_TRANSLATE_NOOP("CaseDetail", "Ask for more time"),
    "register": QT_TRANSLATE_NOOP("CaseDetail", "Register"),
    "merge": QT_TRANSLATE_NOOP("CaseDetail", "Merge as duplicate"),
    "reject": QT_TRANSLATE_NOOP("CaseDetail", "Reject"),
    "dispatch": QT_TRANSLATE_NOOP("CaseDetail", "Dispatch"),
    "designate": QT_TRANSLATE_NOOP("CaseDetail", "Designate"),
    "arbitrate": QT_TRANSLATE_NOOP("CaseDetail", "Arbitrate"),
    "transfer": QT_TRANSLATE_NOOP("CaseDetail", "Transfer to 110"),
    "verify": QT_TRANSLATE_NOOP("CaseDetail", "Verify"),
    "callback": QT_TRANSLATE_NOOP("CaseDetail", "Call back"),
    "extension_decide": QT_TRANSLATE_NOOP("CaseDetail", "Decide extension"),
    "pause": QT_TRANSLATE_NOOP("CaseDetail", "Pause"),
    "resume": QT_TRANSLATE_NOOP("CaseDetail", "Resume"),
    "escalate": QT_TRANSLATE_NOOP("CaseDetail", "Escalate"),
    "remind": QT_TRANSLATE_NOOP("CaseDetail", "Remind"),
    "urge": QT_TRANSLATE_NOOP("CaseDetail", "Urge"),
    "supervise": QT_TRANSLATE_NOOP("CaseDetail", "Supervise"),
    "account": QT_TRANSLATE_NOOP("CaseDetail", "Hold to account"),
}
"""Button text of each action of `offer.ACTIONS`."""

STEP: dict[str, str] = {
    "register": QT_TRANSLATE_NOOP("CaseDetail", "Registered"),
    "reject": QT_TRANSLATE_NOOP("CaseDetail", "Rejected"),
    "merge": QT_TRANSLATE_NOOP("CaseDetail", "Merged as duplicate"),
    "dispatch": QT_TRANSLATE_NOOP("CaseDetail", "Dispatched"),
    "sign": QT_TRANSLATE_NOOP("CaseDetail", "Signed for"),
    "return": QT_TRANSLATE_NOOP("CaseDetail", "Returned"),
    "arbitrate": QT_TRANSLATE_NOOP("CaseDetail", "Arbitrated"),
    "start": QT_TRANSLATE_NOOP("CaseDetail", "Handling started"),
    "feedback": QT_TRANSLATE_NOOP("CaseDetail", "Feedback"),
    "verify_passed": QT_TRANSLATE_NOOP("CaseDetail", "Verified: passed"),
    "verify_failed": QT_TRANSLATE_NOOP("CaseDetail", "Verified: failed"),
    "callback_satisfied": QT_TRANSLATE_NOOP("CaseDetail", "Called back: satisfied"),
    "callback_unsatisfied": QT_TRANSLATE_NOOP("CaseDetail", "Called back: not satisfied"),
    "escalate": QT_TRANSLATE_NOOP("CaseDetail", "Escalated"),
    "transfer": QT_TRANSLATE_NOOP("CaseDetail", "Transferred to 110"),
    "pause": QT_TRANSLATE_NOOP("CaseDetail", "Paused"),
    "resume": QT_TRANSLATE_NOOP("CaseDetail", "Resumed"),
    "extension_request": QT_TRANSLATE_NOOP("CaseDetail", "Extension requested"),
    "extension_approved": QT_TRANSLATE_NOOP("CaseDetail", "Extension approved"),
    "extension_refused": QT_TRANSLATE_NOOP("CaseDetail", "Extension refused"),
    "received": QT_TRANSLATE_NOOP("CaseDetail", "Received"),
}
"""Timeline wording of each trace action (`Trace.action`)."""

BASIS: dict[Basis, str] = {
    Basis.LAW: QT_TRANSLATE_NOOP("CaseDetail", "by law (法定)"),
    Basis.AGREEMENT: QT_TRANSLATE_NOOP("CaseDetail", "by agreement (商定)"),
    Basis.DESIGNATION: QT_TRANSLATE_NOOP("CaseDetail", "designated by the centre (指定)"),
}

FLAG: dict[CaseFlag, str] = {
    CaseFlag.ARBITRATION: QT_TRANSLATE_NOOP("CaseDetail", "Awaiting arbitration"),
    CaseFlag.REOPENED: QT_TRANSLATE_NOOP("CaseDetail", "Reopened"),
    CaseFlag.ESCALATED: QT_TRANSLATE_NOOP("CaseDetail", "Escalated"),
    CaseFlag.TRANSFERRED_110: QT_TRANSLATE_NOOP("CaseDetail", "Transferred to 110"),
    CaseFlag.PAUSED: QT_TRANSLATE_NOOP("CaseDetail", "Paused"),
    CaseFlag.EXTENSION_REQUESTED: QT_TRANSLATE_NOOP("CaseDetail", "Extension requested"),
    CaseFlag.EXTENDED: QT_TRANSLATE_NOOP("CaseDetail", "Extended"),
    CaseFlag.VERIFY_FAILED: QT_TRANSLATE_NOOP("CaseDetail", "Verification failed once"),
}

SUPERVISION: dict[SupervisionAction, str] = {
    SupervisionAction.REMIND: QT_TRANSLATE_NOOP("CaseDetail", "Reminded"),
    SupervisionAction.URGE: QT_TRANSLATE_NOOP("CaseDetail", "Urged"),
    SupervisionAction.SUPERVISE: QT_TRANSLATE_NOOP("CaseDetail", "Supervised"),
    SupervisionAction.ACCOUNT: QT_TRANSLATE_NOOP("CaseDetail", "Held to account"),
}

RELATION: dict[Relation, str] = {
    Relation.MERGED: QT_TRANSLATE_NOOP("CaseDetail", "Merged"),
    Relation.SAME_ADDRESS: QT_TRANSLATE_NOOP("CaseDetail", "Same address"),
    Relation.SAME_GRID: QT_TRANSLATE_NOOP("CaseDetail", "Same grid"),
    Relation.SAME_COMMITTEE: QT_TRANSLATE_NOOP("CaseDetail", "Same committee"),
}


def tr_text(source: str) -> str:
    """Translate one of the source strings above (or any `CaseDetail` string)."""
    return QCoreApplication.translate("CaseDetail", source)


def step_text(trace: Trace, satisfied: bool | None = None) -> str:
    """What a trace did, in words; verify and call-back say which way they went.

    A call-back that reopened the case was unsatisfied; the one that ended it rated as the
    case's `satisfied` says (pass it).
    """
    action = trace.action
    if action == "verify":
        action = "verify_passed" if trace.status is CaseStatus.CLOSED else "verify_failed"
    elif action == "callback":
        happy = trace.status is CaseStatus.CALLED_BACK and satisfied is not False
        action = "callback_satisfied" if happy else "callback_unsatisfied"
    return tr_text(STEP.get(action, action))
