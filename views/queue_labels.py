"""Names and explanations of the built-in queues, translatable (context `Queues`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from backend_client.store import Queue
from views.models.labels import QT_TRANSLATE_NOOP

NAMES: dict[Queue, str] = {
    Queue.TO_REGISTER: QT_TRANSLATE_NOOP("Queues", "To register"),
    Queue.TO_DISPATCH: QT_TRANSLATE_NOOP("Queues", "To dispatch"),
    Queue.RETURNED: QT_TRANSLATE_NOOP("Queues", "Returned / to arbitrate"),
    Queue.TO_SIGN: QT_TRANSLATE_NOOP("Queues", "To sign for"),
    Queue.IN_HANDLING: QT_TRANSLATE_NOOP("Queues", "Being handled"),
    Queue.TO_VERIFY: QT_TRANSLATE_NOOP("Queues", "To verify"),
    Queue.CALL_BACK: QT_TRANSLATE_NOOP("Queues", "Call-back due"),
    Queue.OVERDUE: QT_TRANSLATE_NOOP("Queues", "Overdue"),
    Queue.MINE: QT_TRANSLATE_NOOP("Queues", "My unit's"),
    Queue.ALL_OPEN: QT_TRANSLATE_NOOP("Queues", "All open"),
}

EXPLAINED: dict[Queue, str] = {
    Queue.TO_REGISTER: QT_TRANSLATE_NOOP("Queues", "Received, not yet registered"),
    Queue.TO_DISPATCH: QT_TRANSLATE_NOOP(
        "Queues", "Registered, not yet dispatched (a case returned once is here again)"),
    Queue.RETURNED: QT_TRANSLATE_NOOP(
        "Queues", "Returned by a unit: to dispatch again, or to arbitrate after two returns"),
    Queue.TO_SIGN: QT_TRANSLATE_NOOP("Queues", "Dispatched, the unit has not signed for it yet"),
    Queue.IN_HANDLING: QT_TRANSLATE_NOOP("Queues", "Signed for or being handled by the unit, no feedback yet"),
    Queue.TO_VERIFY: QT_TRANSLATE_NOOP("Queues", "The unit gave feedback: verify and close"),
    Queue.CALL_BACK: QT_TRANSLATE_NOOP("Queues", "Closed, the requester not yet called back"),
    Queue.OVERDUE: QT_TRANSLATE_NOOP("Queues", "Red: the step or the overall time limit has passed"),
    Queue.MINE: QT_TRANSLATE_NOOP("Queues", "Cases of your unit and the units under it, or on its ground"),
    Queue.ALL_OPEN: QT_TRANSLATE_NOOP("Queues", "Every case from receipt to verification"),
}


def queue_text(queue: Queue) -> str:
    return QCoreApplication.translate("Queues", NAMES[queue])


def queue_explained(queue: Queue) -> str:
    return QCoreApplication.translate("Queues", EXPLAINED[queue])
