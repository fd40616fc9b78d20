"""An inline action form: fields, a message line, Send and Cancel. It validates; it never sends.

A form checks what the operator typed (a reason that is required, a note within the
protocol's length) and then the whole argument set against the command's own Struct, exactly
as the hub will, before it emits `submitted(command, args)`. The panel sends; the form shows
"Sending…" and then the hub's refusal, in the hub's words, if there is one. Nothing is modal:
Ctrl+Enter sends, Esc cancels.
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backend_client.connection import ANSWER_TIMEOUT_S
from protocol.commands import COMMAND_ARGS
from protocol.events import Case
from views.case_detail.offer import ActionSpec
from views.case_detail.style import muted, tint
from views.case_detail.texts import ACTION, tr_text

translate = QCoreApplication.translate


class FormError(Exception):
    """What the operator must fix before the form can send (already translated)."""


def text_limit(command: str, field: str) -> int:
    """The longest text the command's Struct accepts in `field` (the hub enforces the same)."""
    info = msgspec.inspect.type_info(COMMAND_ARGS[command])
    assert isinstance(info, msgspec.inspect.StructType)
    for f in info.fields:
        if f.name == field:
            kind = f.type
            if isinstance(kind, msgspec.inspect.StrType) and kind.max_length is not None:
                return kind.max_length
    raise KeyError(f"{command}.{field} has no length limit")


class NoteBox(QPlainTextEdit):
    """A few lines of text with a character counter against its limit."""

    def __init__(self, limit: int, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.counter = QLabel(self)
        muted(self.counter)
        self.textChanged.connect(self._count)
        self._count()

    def _count(self) -> None:
        used = len(self.toPlainText())
        self.counter.setText(f"{used}/{self.limit}")
        tint(self.counter, "danger" if used > self.limit else "text.muted")

    def value(self) -> str:
        return self.toPlainText().strip()


class SendingForm:
    """The sending half of a form that sends one command: the button held while the hub answers, and
    the form's one message line (progress, or the hub's refusal, the form left open to correct).

    Mixed into the case drill-down's forms, the supervision ladder and the emergency dialogs, which
    each own `sending`, `send_button` and `message`."""

    ERROR_MARK = "✕ "
    sending: bool
    _sent_round = 0
    """Counts the sends, so that a late notice is shown only for the send still waiting."""
    send_button: QPushButton
    message: QLabel

    def set_sending(self, sending: bool) -> None:
        self.sending = sending
        self.send_button.setEnabled(not sending)
        if sending:
            self.show_message(translate("ActionForm", "Sending…"), error=False)
            self._sent_round += 1
            QTimer.singleShot(int(ANSWER_TIMEOUT_S * 1000), self.send_button,
                              functools.partial(self._still_unanswered, self._sent_round))

    def _still_unanswered(self, sent_round: int) -> None:
        """No answer yet, `ANSWER_TIMEOUT_S` after Send: say so, and that nothing is lost or done twice."""
        if self.sending and sent_round == self._sent_round:
            self.show_message(translate(
                "ActionForm", "No answer from the hub for %1 s: the action is kept and sent again; the hub applies "
                "it only once. You may close this form.").replace("%1", f"{ANSWER_TIMEOUT_S:g}"), error=False)
            tint(self.message, "warn")

    def show_refusal(self, message: str) -> None:
        """The hub said no: its words, on the form, which stays open to correct and send again."""
        self.set_sending(False)
        self.show_message(translate("ActionForm", "Refused by the hub: %1").replace("%1", message), error=True)

    def show_message(self, text: str, *, error: bool) -> None:
        self.message.setText((self.ERROR_MARK if error else "") + text)
        tint(self.message, "danger" if error else "text.muted")
        self.message.setVisible(bool(text))


class ActionForm(QFrame, SendingForm):
    """Signals: `submitted(str, object)` with the command and its args; `cancelled()`."""

    submitted = Signal(str, object)
    cancelled = Signal()

    def __init__(self, spec: ActionSpec, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"form.{spec.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.spec = spec
        self.case_id, self.serial = case.id, case.serial
        self.version = case.version
        """The version shown when the form opened: if someone acts first, the hub says so (conflict)."""
        self.sending = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        outer.setSpacing(4)
        title = QLabel(f"{tr_text(ACTION[spec.key])} · {case.serial}", self)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        outer.addWidget(title)
        self.fields = QFormLayout()
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.fields)
        self.message = QLabel(self)
        self.message.setObjectName("form.message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(translate("ActionForm", "Cancel"), self)
        self.send_button = QPushButton(tr_text(ACTION[spec.key]), self)
        self.send_button.setDefault(True)
        self.send_button.setToolTip(translate("ActionForm", "Send to the hub (Ctrl+Enter)"))
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        outer.addLayout(buttons)
        self.send_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.cancelled.emit,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    # --- for subclasses ------------------------------------------------------------------

    def note_box(self, field: str, label: str, placeholder: str) -> NoteBox:
        box = NoteBox(text_limit(self.spec.command, field), placeholder, self)
        row = QVBoxLayout()
        row.setSpacing(0)
        row.addWidget(box)
        row.addWidget(box.counter, 0, Qt.AlignmentFlag.AlignRight)
        self.fields.addRow(label, row)
        return box

    def collect(self) -> dict[str, Any]:
        """The command's arguments beyond `id` and `version`; raise FormError to refuse."""
        return {}

    @staticmethod
    def checked_text(box: NoteBox, required: str | None) -> str:
        """The box's text, refused when it is over its limit, or empty while `required` (the message)."""
        value = box.value()
        if len(value) > box.limit:
            raise FormError(
                translate("ActionForm", "Too long: %1 characters, at most %2.")
                .replace("%1", str(len(value)))
                .replace("%2", str(box.limit))
            )
        if required is not None and not value:
            raise FormError(required)
        return value

    # --- the form's life ------------------------------------------------------------------

    def arguments(self) -> dict[str, Any]:
        args = self.collect()
        if self.spec.supervision is None:
            args = {"id": self.case_id, "version": self.version, **args}
        try:
            msgspec.convert(args, COMMAND_ARGS[self.spec.command])
        except msgspec.ValidationError as exc:  # the protocol's own check, as the hub runs it
            raise FormError(translate("ActionForm", "Not valid: %1").replace("%1", str(exc))) from None
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
        self.submitted.emit(self.spec.command, args)
        return True

