"""One rung of the supervision ladder as an inline form: on one case, or on a unit's whole pool.

    form = LadderForm(SupervisionAction.URGE, CaseTarget(case))
    form = LadderForm(SupervisionAction.SUPERVISE, PoolTarget(unit_id, unit_name, count_at))
    form.submitted.connect(send)        # ("case.supervise", args), args checked as the hub checks them

Nothing modal: the form sits in the desk under the tables, Ctrl+Enter sends, Esc cancels. It
checks what was typed (the note of formal supervision and of holding to account is required: it
weighs on the unit's ranking and must say why, as in the drill-down), that a pool reaches at
least one case, and the whole argument set against `CaseSuperviseArgs`, before it emits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from protocol.commands import CaseSuperviseArgs
from protocol.enums import SlaLevel, SupervisionAction
from protocol.events import Case
from views.case_detail.form_base import FormError, NoteBox, SendingForm, text_limit
from views.case_detail.style import muted, tint
from views.case_detail.texts import ACTION, tr_text

translate = QCoreApplication.translate
FORMAL = frozenset({SupervisionAction.SUPERVISE, SupervisionAction.ACCOUNT})


@dataclass(frozen=True)
class CaseTarget:
    case: Case


@dataclass(frozen=True)
class PoolTarget:
    unit_id: str
    unit_name: str
    count_at: Callable[[SlaLevel | None], int]
    """How many open cases of the unit are at this level or above (what the hub will reach)."""


def floors() -> list[tuple[str, SlaLevel | None]]:
    return [(translate("Supervision", "Orange or red (at risk)"), SlaLevel.ORANGE),
            (translate("Supervision", "Red only (overdue)"), SlaLevel.RED),
            (translate("Supervision", "Yellow, orange or red"), SlaLevel.YELLOW),
            (translate("Supervision", "Every open case"), None)]


class LadderForm(QFrame, SendingForm):
    """Signals: `submitted(str, object)` with the command and its args; `cancelled()`."""

    submitted = Signal(str, object)
    cancelled = Signal()

    def __init__(self, action: SupervisionAction, target: CaseTarget | PoolTarget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"ladder.{action.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.action, self.target = action, target
        self.sending = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        title = QLabel(self)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        outer.addWidget(title)
        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(fields)
        self.floor: QComboBox | None = None
        self.reach = QLabel(self)
        self.reach.setObjectName("ladder.reach")
        muted(self.reach)
        if isinstance(target, CaseTarget):
            case = target.case
            title.setText(f"{tr_text(ACTION[action.value])} · {case.serial}")
            self.reach.setText(translate("Supervision", "Against %1").replace(
                "%1", case.unit_name or translate("Supervision", "no unit yet")))
            fields.addRow(translate("Supervision", "Unit"), self.reach)
        else:
            title.setText(translate("Supervision", "%1 · the pool of %2").replace("%1", tr_text(ACTION[action.value]))
                          .replace("%2", target.unit_name))
            self.floor = QComboBox(self)
            self.floor.setObjectName("ladder.floor")
            for text, level in floors():
                self.floor.addItem(text, level.value if level is not None else None)
            self.floor.currentIndexChanged.connect(self._count)
            fields.addRow(translate("Supervision", "Cases"), self.floor)
            fields.addRow("", self.reach)
            self._count()
        formal = action in FORMAL
        self.note = NoteBox(text_limit("case.supervise", "note"),
                            translate("Supervision", "Required: what is expected, by when") if formal
                            else translate("Supervision", "Optional"), self)
        self.note.setObjectName("ladder.note")
        note_row = QVBoxLayout()
        note_row.setSpacing(0)
        note_row.addWidget(self.note)
        note_row.addWidget(self.note.counter, 0, Qt.AlignmentFlag.AlignRight)
        fields.addRow(translate("Supervision", "Note"), note_row)
        self.message = QLabel(self)
        self.message.setObjectName("ladder.message")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(translate("Supervision", "Cancel"), self)
        self.send_button = QPushButton(tr_text(ACTION[action.value]), self)
        self.send_button.setDefault(True)
        self.send_button.setToolTip(translate("Supervision", "Send to the hub (Ctrl+Enter)"))
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        outer.addLayout(buttons)
        self.send_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancelled.emit,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def min_level(self) -> SlaLevel | None:
        data = self.floor.currentData() if self.floor is not None else None
        return SlaLevel(data) if data else None

    def _count(self) -> None:
        if not isinstance(self.target, PoolTarget):
            return
        count = self.target.count_at(self.min_level())
        self.reach.setText(translate("Supervision", "%1 open cases in the pool now").replace("%1", str(count)))
        tint(self.reach, "text.muted" if count else "danger")

    def arguments(self) -> dict[str, Any]:
        """The command's args; raises FormError (translated) for what must be fixed first."""
        note = self.note.value()
        if len(note) > self.note.limit:
            raise FormError(translate("Supervision", "Too long: %1 characters, at most %2.")
                            .replace("%1", str(len(note))).replace("%2", str(self.note.limit)))
        if self.action in FORMAL and not note:
            raise FormError(translate("Supervision", "Formal supervision and holding to account need a note."))
        args: dict[str, Any] = {"action": self.action.value}
        if isinstance(self.target, CaseTarget):
            args["ids"] = [self.target.case.id]
        else:
            if self.target.count_at(self.min_level()) == 0:
                raise FormError(translate("Supervision", "No open case of this unit at this level: nothing to "
                                                         "supervise."))
            args["unit_id"] = self.target.unit_id
            level = self.min_level()
            if level is not None:
                args["min_level"] = level.value
        if note:
            args["note"] = note
        try:
            msgspec.convert(args, CaseSuperviseArgs)
        except msgspec.ValidationError as exc:  # the protocol's own check, as the hub runs it
            raise FormError(translate("Supervision", "Not valid: %1").replace("%1", str(exc))) from None
        return args

    def submit(self) -> bool:
        """Validate and emit `submitted`; False (and why, on the form) when something must be fixed."""
        if self.sending:
            return False
        try:
            args = self.arguments()
        except FormError as exc:
            self.show_message(str(exc), error=True)
            return False
        self.set_sending(True)
        self.submitted.emit("case.supervise", args)
        return True

