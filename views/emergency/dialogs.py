"""The commander's forms: declare, change level, close, issue a directive. They validate; the room sends.

Each is a non-modal dialog opened with `open()` (never `exec()`: no nested event loop under
qasync). It checks what the commander typed, then the whole argument set against the
command's Struct exactly as the hub will, and emits `submitted(command, args)`. The room
sends it; the dialog shows "Sending…", closes on the hub's acceptance, or shows the hub's
refusal in its own words and stays open to correct.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from protocol.commands import COMMAND_ARGS
from protocol.emergency import CapWarning, Emergency
from protocol.enums import EMERGENCY_LEVEL_ORDER, EmergencyLevel, EmergencyType, UnitKind
from protocol.events import Unit
from views.case_detail.form_base import SendingForm
from views.case_detail.style import muted, tint
from views.case_detail.unit_picker import ordered_units
from views.emergency.texts import level_text, type_text

translate = QCoreApplication.translate

ALL_UNITS_KINDS = frozenset({UnitKind.BUREAU, UnitKind.MEMBER, UnitKind.STREET_CENTRE, UnitKind.POLICE})
"""What the hub means by "all units" in a directive (hub/emergency/commands.py; a test compares them)."""
PREVIEW_NAMES = 6

DIRECTIVE_KINDS = (UnitKind.BUREAU, UnitKind.MEMBER, UnitKind.STREET_CENTRE, UnitKind.COMMITTEE, UnitKind.POLICE)
"""The kinds a directive may go to as a group."""


def _kind_text(kind: UnitKind) -> str:
    return {
        UnitKind.BUREAU: translate("EmergencyDialogs", "Bureaus"),
        UnitKind.MEMBER: translate("EmergencyDialogs", "Member units"),
        UnitKind.STREET_CENTRE: translate("EmergencyDialogs", "Street sub-centres"),
        UnitKind.COMMITTEE: translate("EmergencyDialogs", "Neighbourhood committees"),
        UnitKind.POLICE: translate("EmergencyDialogs", "Police"),
    }[kind]


def _templates() -> list[tuple[str, str]]:
    """(name, text) of the directives a command post sends most."""
    return [
        (translate("EmergencyDialogs", "Free text"), ""),
        (translate("EmergencyDialogs", "On duty"),
         translate("EmergencyDialogs", "Enter the emergency response now: leaders on duty at their posts, "
                                       "24-hour watch, report your duty roster within 30 minutes.")),
        (translate("EmergencyDialogs", "Check low-lying areas"),
         translate("EmergencyDialogs", "Check every low-lying area, underpass and basement in your area, "
                                       "move people at risk to shelters and report head counts every 2 hours.")),
        (translate("EmergencyDialogs", "Secure outdoor objects"),
         translate("EmergencyDialogs", "Secure or take down billboards, scaffolding, street trees at risk and "
                                       "construction-site cranes; report what was secured.")),
        (translate("EmergencyDialogs", "Stand down"),
         translate("EmergencyDialogs", "The response is lowered: keep a reduced watch and report damage and "
                                       "remaining work by 18:00.")),
    ]


def recipients_of(units: Iterable[Unit], *, unit_ids: list[str], kind: UnitKind | None) -> list[Unit]:
    """The units a directive will reach, by the hub's rule: chosen ones, a kind, or all units."""
    active = [u for u in units if u.active]
    if unit_ids:
        wanted = set(unit_ids)
        return [u for u in active if u.id in wanted]
    if kind is not None:
        return [u for u in active if u.kind is kind]
    return [u for u in active if u.kind in ALL_UNITS_KINDS]


class CommandDialog(QDialog, SendingForm):
    """Signals: `submitted(str, object)` with the command and its arguments."""

    ERROR_MARK = "⚠ "

    submitted = Signal(str, object)

    def __init__(self, command: str, title: str, send_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.command = command
        self.setObjectName(f"dialog.{command}")
        self.setWindowTitle(title)
        self.setModal(False)
        self.sending = False
        outer = QVBoxLayout(self)
        self.fields = QFormLayout()
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.fields)
        self.message = QLabel(self)
        self.message.setObjectName("dialog.message")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(translate("EmergencyDialogs", "Cancel"), self)
        self.send_button = QPushButton(send_text, self)
        self.send_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        outer.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.send_button.clicked.connect(self.submit)

    def collect(self) -> dict[str, Any]:
        """The command's arguments; raise ValueError with a translated message to refuse."""
        raise NotImplementedError

    def arguments(self) -> dict[str, Any]:
        args = self.collect()
        try:
            msgspec.convert(args, COMMAND_ARGS[self.command])
        except msgspec.ValidationError as exc:
            raise ValueError(translate("EmergencyDialogs", "Not valid: %1").replace("%1", str(exc))) from None
        return args

    def submit(self) -> bool:
        if self.sending:
            return False
        try:
            args = self.arguments()
        except ValueError as exc:
            self.show_message(str(exc), error=True)
            return False
        self.set_sending(True)
        self.submitted.emit(self.command, args)
        return True


    @staticmethod
    def required(box: QLineEdit | QPlainTextEdit, message: str) -> str:
        value = (box.text() if isinstance(box, QLineEdit) else box.toPlainText()).strip()
        if not value:
            box.setFocus()
            raise ValueError(message)
        return value


def _level_combo(levels: Iterable[EmergencyLevel], current: EmergencyLevel | None = None) -> QComboBox:
    combo = QComboBox()
    for level in levels:
        combo.addItem(level_text(level), level.value)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current.value)))
    return combo


class DeclareDialog(CommandDialog):
    """Declare an emergency (启动应急响应): type, level, title, the streets it covers, drill or real."""

    def __init__(self, streets: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__("emergency.declare", translate("EmergencyDialogs", "Declare an emergency"),
                         translate("EmergencyDialogs", "Declare"), parent)
        self.type_box = QComboBox()
        for kind in EmergencyType:
            self.type_box.addItem(type_text(kind), kind.value)
        self.level_box = _level_combo(EMERGENCY_LEVEL_ORDER, EmergencyLevel.LEVEL_IV)
        self.title_box = QLineEdit()
        self.title_box.setPlaceholderText(translate("EmergencyDialogs", "e.g. Typhoon In-fa, level II response"))
        self.streets = QListWidget()
        self.streets.setObjectName("declare.streets")
        for code, name in streets:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.streets.addItem(item)
        self.streets.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        self.plan_box = QCheckBox(translate("EmergencyDialogs", "Activate the response plan for this type and level"))
        self.plan_box.setChecked(True)
        self.exercise_box = QCheckBox(translate("EmergencyDialogs", "Drill (演练): kept apart from real responses"))
        self.note_box = QLineEdit()
        self.fields.addRow(translate("EmergencyDialogs", "Type"), self.type_box)
        self.fields.addRow(translate("EmergencyDialogs", "Level"), self.level_box)
        self.fields.addRow(translate("EmergencyDialogs", "Title"), self.title_box)
        area_hint = QLabel(translate("EmergencyDialogs", "None ticked: the whole district."))
        muted(area_hint)
        self.fields.addRow(translate("EmergencyDialogs", "Streets"), self.streets)
        self.fields.addRow("", area_hint)
        self.fields.addRow("", self.plan_box)
        self.fields.addRow("", self.exercise_box)
        self.fields.addRow(translate("EmergencyDialogs", "Note"), self.note_box)
        self.title_box.setFocus()

    def collect(self) -> dict[str, Any]:
        title = self.required(self.title_box, translate("EmergencyDialogs", "Give the emergency a title."))
        codes = [self.streets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.streets.count())
                 if self.streets.item(i).checkState() is Qt.CheckState.Checked]
        args: dict[str, Any] = {"type": self.type_box.currentData(), "level": self.level_box.currentData(),
                                "title": title, "activate_plan": self.plan_box.isChecked(),
                                "exercise": self.exercise_box.isChecked()}
        if codes:
            args["area"] = {"street_codes": codes}
        if self.note_box.text().strip():
            args["note"] = self.note_box.text().strip()
        return args


class LevelDialog(CommandDialog):
    """Escalate or de-escalate an emergency, with the reason (escalation activates the new level's plan)."""

    def __init__(self, emergency: Emergency, parent: QWidget | None = None) -> None:
        super().__init__("emergency.set_level", translate("EmergencyDialogs", "Change the level of %1")
                         .replace("%1", emergency.serial), translate("EmergencyDialogs", "Change level"), parent)
        self.emergency = emergency
        others = [lv for lv in EMERGENCY_LEVEL_ORDER if lv is not emergency.level]
        higher = [lv for lv in others if EMERGENCY_LEVEL_ORDER.index(lv) > EMERGENCY_LEVEL_ORDER.index(emergency.level)]
        self.level_box = _level_combo(others, higher[0] if higher else None)
        self.reason_box = QLineEdit()
        now = QLabel(level_text(emergency.level))
        self.fields.addRow(translate("EmergencyDialogs", "Now"), now)
        self.fields.addRow(translate("EmergencyDialogs", "New level"), self.level_box)
        self.fields.addRow(translate("EmergencyDialogs", "Reason"), self.reason_box)
        self.reason_box.setFocus()

    def collect(self) -> dict[str, Any]:
        reason = self.required(self.reason_box, translate("EmergencyDialogs", "Say why the level changes."))
        return {"id": self.emergency.id, "level": self.level_box.currentData(), "reason": reason}


class CloseDialog(CommandDialog):
    """End a response (响应终止), with the reason."""

    def __init__(self, emergency: Emergency, parent: QWidget | None = None) -> None:
        super().__init__("emergency.close", translate("EmergencyDialogs", "Close %1").replace("%1", emergency.serial),
                         translate("EmergencyDialogs", "Close the response"), parent)
        self.emergency = emergency
        self.reason_box = QLineEdit()
        self.reason_box.setPlaceholderText(translate("EmergencyDialogs", "e.g. Warning lifted at 16:00"))
        self.fields.addRow(translate("EmergencyDialogs", "Reason"), self.reason_box)
        self.reason_box.setFocus()

    def collect(self) -> dict[str, Any]:
        reason = self.required(self.reason_box, translate("EmergencyDialogs", "Say why the response ends."))
        return {"id": self.emergency.id, "reason": reason}


class DirectiveDialog(CommandDialog):
    """Compose a directive (指令): text from a template, recipients with a preview, deadline, reports."""

    def __init__(self, units: Iterable[Unit], emergency: Emergency | None, parent: QWidget | None = None) -> None:
        super().__init__("directive.issue", translate("EmergencyDialogs", "Issue a directive"),
                         translate("EmergencyDialogs", "Issue"), parent)
        self.units = ordered_units(units)
        self.emergency = emergency
        self.template_box = QComboBox()
        for name, text in _templates():
            self.template_box.addItem(name, text)
        self.text_box = QPlainTextEdit()
        self.text_box.setTabChangesFocus(True)
        self.text_box.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.template_box.currentIndexChanged.connect(self._use_template)
        self.all_button = QRadioButton(translate("EmergencyDialogs", "All units"))
        self.kind_button = QRadioButton(translate("EmergencyDialogs", "Every unit of a kind"))
        self.chosen_button = QRadioButton(translate("EmergencyDialogs", "Chosen units"))
        self.all_button.setChecked(True)
        self._who = QButtonGroup(self)
        for button in (self.all_button, self.kind_button, self.chosen_button):
            self._who.addButton(button)
        self.kind_box = QComboBox()
        for kind in DIRECTIVE_KINDS:
            self.kind_box.addItem(_kind_text(kind), kind.value)
        self.unit_list = QListWidget()
        self.unit_list.setObjectName("directive.units")
        for unit in self.units:
            if unit.kind in (UnitKind.GRID,):
                continue
            item = QListWidgetItem(unit.name)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.unit_list.addItem(item)
        self.unit_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self.ack_box = QSpinBox()
        self.ack_box.setRange(1, 1440)
        self.ack_box.setValue(30)
        self.ack_box.setSuffix(translate("EmergencyDialogs", " min"))
        self.report_box = QDoubleSpinBox()
        self.report_box.setRange(0, 72)
        self.report_box.setSingleStep(0.5)
        self.report_box.setValue(0)
        self.report_box.setSpecialValueText(translate("EmergencyDialogs", "no reports"))
        self.report_box.setSuffix(translate("EmergencyDialogs", " h"))
        self.fields_box = QLineEdit()
        self.fields_box.setPlaceholderText("people_evacuated, teams_deployed")
        self.preview = QLabel()
        self.preview.setObjectName("directive.preview")
        self.preview.setWordWrap(True)
        who = QVBoxLayout()
        for button in (self.all_button, self.kind_button):
            who.addWidget(button)
        who.addWidget(self.kind_box)
        who.addWidget(self.chosen_button)
        who.addWidget(self.unit_list)
        if emergency is not None:
            self.fields.addRow(translate("EmergencyDialogs", "Emergency"),
                               QLabel(f"{emergency.serial} · {emergency.title}"))
        self.fields.addRow(translate("EmergencyDialogs", "Template"), self.template_box)
        self.fields.addRow(translate("EmergencyDialogs", "Text"), self.text_box)
        self.fields.addRow(translate("EmergencyDialogs", "To"), who)
        self.fields.addRow(translate("EmergencyDialogs", "Acknowledge within"), self.ack_box)
        self.fields.addRow(translate("EmergencyDialogs", "Report every"), self.report_box)
        self.fields.addRow(translate("EmergencyDialogs", "Report figures"), self.fields_box)
        self.fields.addRow(translate("EmergencyDialogs", "Recipients"), self.preview)
        for button in (self.all_button, self.kind_button, self.chosen_button):
            button.toggled.connect(self._update_preview)
        self.kind_box.currentIndexChanged.connect(self._update_preview)
        self.unit_list.itemChanged.connect(self._update_preview)
        self._update_preview()
        self.text_box.setFocus()

    def _use_template(self, index: int) -> None:
        text = self.template_box.itemData(index)
        if text:
            self.text_box.setPlainText(text)

    def chosen_ids(self) -> list[str]:
        return [self.unit_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.unit_list.count())
                if self.unit_list.item(i).checkState() is Qt.CheckState.Checked]

    def _kind(self) -> UnitKind | None:
        return UnitKind(self.kind_box.currentData()) if self.kind_button.isChecked() else None

    def recipients(self) -> list[Unit]:
        chosen = self.chosen_ids() if self.chosen_button.isChecked() else []
        if self.chosen_button.isChecked() and not chosen:
            return []
        return recipients_of(self.units, unit_ids=chosen, kind=self._kind())

    def _update_preview(self, *_args: object) -> None:
        self.kind_box.setEnabled(self.kind_button.isChecked())
        self.unit_list.setEnabled(self.chosen_button.isChecked())
        units = self.recipients()
        if not units:
            self.preview.setText(translate("EmergencyDialogs", "No unit: choose at least one."))
            tint(self.preview, "danger")
            return
        names = "、".join(u.name for u in units[:PREVIEW_NAMES])
        more = len(units) - PREVIEW_NAMES
        text = translate("EmergencyDialogs", "Units: %1 · ").replace("%1", str(len(units))) + names
        if more > 0:
            text += translate("EmergencyDialogs", " and %1 more").replace("%1", str(more))
        self.preview.setText(text)
        tint(self.preview, "text")

    def collect(self) -> dict[str, Any]:
        text = self.required(self.text_box, translate("EmergencyDialogs", "Write the directive's text."))
        if not self.recipients():
            raise ValueError(translate("EmergencyDialogs", "No unit would receive it: choose at least one."))
        args: dict[str, Any] = {"text": text, "ack_within_min": self.ack_box.value()}
        if self.chosen_button.isChecked():
            args["unit_ids"] = self.chosen_ids()
        elif self.kind_button.isChecked():
            args["unit_kind"] = self.kind_box.currentData()
        if self.emergency is not None:
            args["emergency_id"] = self.emergency.id
        if self.report_box.value() > 0:
            args["report_every_h"] = max(0.25, self.report_box.value())
            fields = [f.strip() for f in self.fields_box.text().replace("，", ",").split(",") if f.strip()]
            if fields:
                args["report_fields"] = fields
        return args


class ConfirmWarningDialog(CommandDialog):
    """Confirm a CAP warning's suggested response: the emergency is declared and its plan activated."""

    def __init__(self, warning: CapWarning, parent: QWidget | None = None) -> None:
        super().__init__("warning.confirm",
                         translate("EmergencyDialogs", "Confirm warning %1").replace("%1", warning.id),
                         translate("EmergencyDialogs", "Declare and activate"), parent)
        self.warning = warning
        self.fields.addRow(translate("EmergencyDialogs", "Warning"), QLabel(warning.headline or warning.event))
        reason = QLabel(warning.signal.reason if warning.signal is not None
                        else translate("EmergencyDialogs", "No signal read: choose the type and level."))
        reason.setWordWrap(True)
        muted(reason)
        self.fields.addRow(translate("EmergencyDialogs", "Signal"), reason)
        self.type_box = QComboBox()
        for kind in EmergencyType:
            self.type_box.addItem(type_text(kind), kind.value)
        self.level_box = _level_combo(EMERGENCY_LEVEL_ORDER, warning.signal.level if warning.signal else None)
        if warning.signal is not None:
            self.type_box.setCurrentIndex(max(0, self.type_box.findData(warning.signal.type.value)))
        plan = QLabel(warning.suggested_plan_id or translate("EmergencyDialogs", "no plan for this type and level"))
        self.title_box = QLineEdit((warning.headline or warning.event)[:120])
        self.exercise_box = QCheckBox(translate("EmergencyDialogs", "Drill (演练): kept apart from real responses"))
        self.exercise_box.setChecked(warning.msg_type == "Exercise")
        self.note_box = QLineEdit()
        self.fields.addRow(translate("EmergencyDialogs", "Suggested plan"), plan)
        self.fields.addRow(translate("EmergencyDialogs", "Type"), self.type_box)
        self.fields.addRow(translate("EmergencyDialogs", "Level"), self.level_box)
        self.fields.addRow(translate("EmergencyDialogs", "Title"), self.title_box)
        self.fields.addRow("", self.exercise_box)
        self.fields.addRow(translate("EmergencyDialogs", "Note"), self.note_box)

    def collect(self) -> dict[str, Any]:
        title = self.required(self.title_box, translate("EmergencyDialogs", "Give the emergency a title."))
        args: dict[str, Any] = {"id": self.warning.id, "title": title, "type": self.type_box.currentData(),
                                "level": self.level_box.currentData(), "exercise": self.exercise_box.isChecked()}
        if self.note_box.text().strip():
            args["note"] = self.note_box.text().strip()
        return args


class DismissWarningDialog(CommandDialog):
    """Decide that a warning needs no response, with the reason (recorded on the warning)."""

    def __init__(self, warning: CapWarning, parent: QWidget | None = None) -> None:
        super().__init__("warning.dismiss",
                         translate("EmergencyDialogs", "Dismiss warning %1").replace("%1", warning.id),
                         translate("EmergencyDialogs", "Dismiss"), parent)
        self.warning = warning
        self.fields.addRow(translate("EmergencyDialogs", "Warning"), QLabel(warning.headline or warning.event))
        self.reason_box = QLineEdit()
        self.reason_box.setPlaceholderText(translate("EmergencyDialogs", "e.g. Outside our district"))
        self.fields.addRow(translate("EmergencyDialogs", "Reason"), self.reason_box)

    def collect(self) -> dict[str, Any]:
        reason = self.required(self.reason_box, translate("EmergencyDialogs", "Say why no response is needed."))
        return {"id": self.warning.id, "reason": reason}
