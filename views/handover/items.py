"""The open items a handover leaves, gathered on this console, and their words.

The hub lists the red cases and the cases awaiting arbitration itself (they are shown here as a
preview of what it will record); the unacknowledged alerts and the refused commands are known
only to this console, which sends them as `HandoverItemArgs`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from backend_client.alerts import AlertBook
from backend_client.command_tracker import CommandTracker
from backend_client.store import CaseStore
from protocol import OPEN_STATUSES, CaseFlag, HandoverItemKind, SlaLevel
from protocol.events import Case
from views.models import alert_texts

translate = QCoreApplication.translate
MAX_SENT = 200
"""Most items one `shift.handover` carries (`HANDOVER_ITEMS_MAX`)."""


@dataclass(frozen=True, slots=True)
class OpenItem:
    """One item as the form shows it, and whether this console sends it (the hub lists the others)."""

    kind: HandoverItemKind
    ref: str
    text: str
    sent: bool


def kind_text(kind: HandoverItemKind) -> str:
    texts = {
        HandoverItemKind.RED_CASE: translate("Handover", "Overdue case"),
        HandoverItemKind.ARBITRATION: translate("Handover", "Awaiting arbitration"),
        HandoverItemKind.ALERT: translate("Handover", "Unacknowledged alert"),
        HandoverItemKind.REFUSED_COMMAND: translate("Handover", "Refused command"),
    }
    return texts[kind]


def case_text(case: Case, language: str) -> str:
    """serial · category · street · unit, in the operator's language."""
    category = case.category_zh if language.startswith("zh") else case.category_en
    return " · ".join(p for p in (case.serial, category, case.street_name, case.unit_name or "") if p)


def gather(store: CaseStore, book: AlertBook | None, tracker: CommandTracker | None, language: str,
           scope: str | None = None) -> list[OpenItem]:
    """What is open now: red cases, arbitrations (most urgent first), then this console's own items."""
    cases = [c for c in store.cases() if c.status in OPEN_STATUSES and c.exercise_id is None
             and (scope is None or scope in (c.unit_id, *c.co_unit_ids))]
    red = sorted((c for c in cases if c.level is SlaLevel.RED and c.overall is not None),
                 key=lambda c: c.overall.due_at if c.overall else c.received_at)
    waiting = sorted((c for c in cases if CaseFlag.ARBITRATION in c.flags), key=lambda c: c.updated_at)
    items = [OpenItem(HandoverItemKind.RED_CASE, c.id, case_text(c, language), False) for c in red]
    items += [OpenItem(HandoverItemKind.ARBITRATION, c.id, case_text(c, language), False) for c in waiting]
    sent: list[OpenItem] = []
    if book is not None:
        for alert in sorted((a for a in book.alerts.values() if not a.acked), key=lambda a: (a.priority, a.raised_at)):
            first = min(alert.cases)
            sent.append(OpenItem(HandoverItemKind.ALERT, f"{alert.kind.value}/{alert.key}/{first}"[:128],
                                 alert_texts.title(alert)[:500], True))
    if tracker is not None:
        for case_id in sorted(tracker.refused_case_ids()):
            refusal = tracker.refusal(case_id)
            if refusal is None:
                continue
            case = store.get(case_id)
            serial = case.serial if case is not None else case_id
            text = translate("Handover", "{command} on {serial}: {message}").format(
                command=refusal.command, serial=serial, message=refusal.message)
            sent.append(OpenItem(HandoverItemKind.REFUSED_COMMAND, f"{refusal.command}/{case_id}"[:128], text[:500],
                                 True))
        for n, refusal in enumerate(tracker.unattached_refusals, start=1):
            text = translate("Handover", "{command}: {message}").format(command=refusal.command,
                                                                         message=refusal.message)
            sent.append(OpenItem(HandoverItemKind.REFUSED_COMMAND, f"{refusal.command}/{n}"[:128], text[:500], True))
    return items + sent[:MAX_SENT]


def sent_args(items: list[OpenItem]) -> list[dict[str, str]]:
    """The `items` argument of `shift.handover`: this console's own items."""
    return [{"kind": i.kind.value, "ref": i.ref, "text": i.text} for i in items if i.sent]
