"""The intake form's fields and their check: what the operator typed becomes `case.create`'s arguments.

The form checks what a person can fix (a category chosen, the call placed, what was reported,
a phone number that is one) with a message in the operator's words, then the whole argument
set against `CaseCreateArgs`, as the hub will. It sends nothing itself.

The requester's phone is typed by whoever takes the call; a role that may not see phone
numbers (`views.case_detail.privacy`) sees it starred once the field is left.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from protocol.commands import CaseCreateArgs
from protocol.enums import Channel, Role
from views.case_detail.form_base import FormError, NoteBox, text_limit
from views.case_detail.privacy import may_see_phone
from views.intake.category_picker import CategoryPicker
from views.intake.place import Place
from views.models.labels import channel_text

translate = QCoreApplication.translate


class IntakeFields(QWidget):
    """Channel, phone, category, address, description, urgent: the call as typed."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.channel = QComboBox(self)
        self.channel.setObjectName("intake.channel")
        for channel in Channel:
            self.channel.addItem(channel_text(channel), channel.value)
        self.phone = QLineEdit(self)
        self.phone.setObjectName("intake.phone")
        self.phone.setPlaceholderText(translate("IntakeForm", "The caller's number, e.g. 138 0013 5678"))
        self.category = CategoryPicker(language, self)
        self.address = QLineEdit(self)
        self.address.setObjectName("intake.address")
        self.address.setPlaceholderText(translate("IntakeForm", "Street, number, landmark; a known address places "
                                                  "the call, or click the map"))
        self.description = NoteBox(text_limit("case.create", "description"),
                                   translate("IntakeForm", "What the caller reports"), self)
        self.description.setObjectName("intake.description")
        self.urgent = QCheckBox(translate("IntakeForm", "&Urgent"), self)
        self.urgent.setObjectName("intake.urgent")
        self.layout_.addRow(translate("IntakeForm", "Channe&l"), self.channel)
        self.layout_.addRow(translate("IntakeForm", "&Phone"), self.phone)
        self.layout_.addRow(translate("IntakeForm", "&Category"), self.category)
        self.layout_.addRow(translate("IntakeForm", "&Address"), self.address)
        what = QVBoxLayout()
        what.setSpacing(0)
        what.addWidget(self.description)
        what.addWidget(self.description.counter, 0, Qt.AlignmentFlag.AlignRight)
        self.layout_.addRow(translate("IntakeForm", "&What"), what)
        self.layout_.addRow("", self.urgent)
        buddies: list[tuple[QWidget | QVBoxLayout, QWidget]] = [
            (self.channel, self.channel), (self.phone, self.phone), (self.category, self.category.line),
            (self.address, self.address), (what, self.description)]
        for field, focus in buddies:  # Alt+letter of a label goes to its field
            label = self.layout_.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(focus)

    def set_role(self, role: Role | None) -> None:
        """A role that may not see phone numbers types one and then sees it starred."""
        self.phone.setEchoMode(QLineEdit.EchoMode.Normal if may_see_phone(role)
                               else QLineEdit.EchoMode.PasswordEchoOnEdit)

    def blank(self) -> bool:
        return not (self.phone.text().strip() or self.category.line.text().strip() or self.address.text().strip()
                    or self.description.value())

    def clear(self) -> None:
        self.channel.setCurrentIndex(0)
        self.phone.clear()
        self.category.clear()
        self.address.clear()
        self.description.clear()
        self.urgent.setChecked(False)

    def arguments(self, place: Place | None, received_at: datetime | None) -> dict[str, Any]:
        """`case.create`'s arguments, or FormError with what to fix (the first thing, in the form's order)."""
        code = self.category.code
        if code is None:
            raise FormError(translate("IntakeForm", "Choose a category: type its name, code or pinyin initials, "
                                      "then Enter."))
        if place is None:
            raise FormError(translate("IntakeForm", "Place the call: click the map where it is, or pick a known "
                                      "address."))
        description = NoteBox.value(self.description)
        if not description:
            raise FormError(translate("IntakeForm", "Say what the caller reports."))
        if len(description) > self.description.limit:
            raise FormError(translate("IntakeForm", "The description is too long: %1 characters, at most %2.")
                            .replace("%1", str(len(description))).replace("%2", str(self.description.limit)))
        phone = self.phone.text().strip() or None
        args: dict[str, Any] = {
            "channel": str(self.channel.currentData()), "category_code": code, "street_code": place.street_code,
            "description": description, "address": self.address.text().strip(), "lon": round(place.lon, 6),
            "lat": round(place.lat, 6), "urgent": self.urgent.isChecked(),
        }
        if phone is not None:
            args["requester_phone"] = phone
        if place.from_hub:  # placed by the console alone: the hub fills committee and grid from the point
            if place.committee_code:
                args["committee_code"] = place.committee_code
            if place.grid_id:
                args["grid_id"] = place.grid_id
        if received_at is not None:
            args["received_at"] = received_at.isoformat()
        try:
            msgspec.convert(args, CaseCreateArgs)
        except msgspec.ValidationError as exc:
            if "requester_phone" in str(exc):
                raise FormError(translate("IntakeForm", "The phone number is not one: 5 to 20 digits, spaces or "
                                          "dashes, an optional + first.")) from None
            raise FormError(translate("IntakeForm", "Not valid: %1").replace("%1", str(exc))) from None
        return args
