"""Shelve… on an alert row: shelve its key (or its whole kind) for this desk for a while, with a reason.

ISA-18.2 shelving (docs/alarms.md): a noisy alert makes no row and no sound on the officer's
desk until the shelf expires by itself, 5 minutes to 8 hours later. The dialog offers what the
selected row holds (its key, each key of a group row, or each whole kind), a duration and a
reason, which is required. Like every form it checks the arguments against `alert.shelve`'s
own Struct and emits `submitted`; the alerts panel sends it through the feed (the outbox keeps
it across a reconnect), the dialog reads "Sending…", closes on the hub's acceptance and shows
its refusal otherwise. Nothing is modal. The hub has no command to lift a shelf early: shelving
the same kind and key again replaces it (with a shorter time, it ends sooner).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from backend_client.alerts import Alert, Group
from protocol import AlertKind
from views.case_detail.style import muted
from views.emergency.dialogs import CommandDialog
from views.models import alert_texts

translate = QCoreApplication.translate

MINUTES = (5, 480)
"""What `alert.shelve` accepts (protocol/commands.py `AlertShelveArgs.minutes`)."""
DEFAULT_MINUTES = 60
REASON_MAX = 500


def shelve_choices(alert: Alert) -> list[tuple[str, AlertKind, str | None]]:
    """(what it reads, kind, key or None for the whole kind): the row's keys, most frequent first, then its kinds."""
    if alert.group is Group.SHELF and alert.shelf is not None:
        shelf = alert.shelf
        return [(alert_texts.shelved_what(shelf), shelf.kind, shelf.key)]
    counts = alert.counts if alert.group is not None else {alert.key: len(alert.cases)}
    kinds = {c.key: c.kind for c in alert.cases.values()}
    keys = sorted(counts, key=lambda k: -counts[k])
    choices: list[tuple[str, AlertKind, str | None]] = [
        (alert_texts.key_text(kinds.get(key, alert.kind), key), kinds.get(key, alert.kind), key) for key in keys]
    for kind in dict.fromkeys(kinds.get(key, alert.kind) for key in keys):
        choices.append((alert_texts.tr(alert_texts.KIND[kind]), kind, None))
    return choices


class ShelveDialog(CommandDialog):
    """Shelve an alert: what (a key or a whole kind), for how long (5–480 minutes), and why."""

    def __init__(self, alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__("alert.shelve", translate("ShelveDialog", "Shelve an alert"),
                         translate("ShelveDialog", "Shelve"), parent)
        self.alert = alert
        self.what_box = QComboBox()
        self.what_box.setObjectName("shelve.what")
        for label, kind, key in shelve_choices(alert):
            self.what_box.addItem(label, (kind.value, key))
        self.minutes_box = QSpinBox()
        self.minutes_box.setObjectName("shelve.minutes")
        self.minutes_box.setRange(*MINUTES)
        self.minutes_box.setSingleStep(15)
        self.minutes_box.setValue(DEFAULT_MINUTES)
        self.minutes_box.setSuffix(translate("ShelveDialog", " min"))
        self.reason_box = QLineEdit()
        self.reason_box.setObjectName("shelve.reason")
        self.reason_box.setMaxLength(REASON_MAX)
        self.reason_box.setPlaceholderText(translate("ShelveDialog", "e.g. rainstorm: every team is out on site"))
        hint = QLabel(translate("ShelveDialog", "For this desk only. Its alerts gather under one greyed row, "
                                                "without sound, until the shelf ends by itself."))
        hint.setWordWrap(True)
        muted(hint)
        self.fields.addRow(translate("ShelveDialog", "Alert"), self.what_box)
        self.fields.addRow(translate("ShelveDialog", "For"), self.minutes_box)
        self.fields.addRow(translate("ShelveDialog", "Reason"), self.reason_box)
        self.fields.addRow("", hint)
        self.reason_box.returnPressed.connect(self.submit)
        self.reason_box.setFocus()

    def collect(self) -> dict[str, Any]:
        reason = self.required(self.reason_box, translate("ShelveDialog", "Say why the alert is shelved."))
        kind, key = self.what_box.currentData()
        args: dict[str, Any] = {"kind": kind, "minutes": self.minutes_box.value(), "reason": reason}
        if key is not None:
            args["key"] = key
        return args
