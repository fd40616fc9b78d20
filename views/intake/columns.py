"""The intake desk's two columns: the call being taken (left) and what the hub will do with it (right)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from views.case_detail.style import muted
from views.intake.form import IntakeFields
from views.intake.intake_map import IntakeMap
from views.intake.similar_list import SimilarList

translate = QCoreApplication.translate


class CallColumn(QWidget):
    """The call: when it started, its fields, where it is placed, the buttons and the hub's last answer."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        self.header = QLabel(self)
        self.header.setObjectName("intake.header")
        column.addWidget(self.header)
        self.fields = IntakeFields(language, self)
        column.addWidget(self.fields)
        self.where = QLabel(self)
        self.where.setObjectName("intake.where")
        self.where.setWordWrap(True)
        self.fields.layout_.insertRow(4, translate("IntakeDesk", "Place"), self.where)
        self.message = QLabel(self)
        self.message.setObjectName("intake.message")
        self.message.setWordWrap(True)
        self.message.hide()
        column.addWidget(self.message)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(translate("IntakeDesk", "&New call"), self)
        self.new_button.setToolTip(translate("IntakeDesk", "Clear the form for the next call"))
        self.create_button = QPushButton(translate("IntakeDesk", "Create (Ctrl+Enter)"), self)
        self.create_button.setObjectName("intake.create")
        self.dispatch_button = QPushButton(translate("IntakeDesk", "Create and dispatch (Ctrl+Shift+Enter)"), self)
        self.dispatch_button.setObjectName("intake.dispatch")
        self.dispatch_button.setDefault(True)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.dispatch_button)
        column.addLayout(buttons)
        self.result = QLabel(self)
        self.result.setObjectName("intake.result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        muted(self.result)
        column.addWidget(self.result)
        column.addStretch(1)


class HubColumn(QWidget):
    """What the hub will do: the suggested unit and why, the open cases that look like the call, the map."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        side = QVBoxLayout(self)
        side.setContentsMargins(8, 6, 8, 6)
        self.suggestion = QLabel(self)
        self.suggestion.setObjectName("intake.suggestion")
        self.suggestion.setWordWrap(True)
        self.suggestion.setTextFormat(Qt.TextFormat.PlainText)
        side.addWidget(self.suggestion)
        self.similar_list = SimilarList(language, self)
        side.addWidget(self.similar_list)
        self.map = IntakeMap(self)
        side.addWidget(self.map, 1)
