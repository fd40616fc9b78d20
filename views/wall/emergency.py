"""The joint response on the wall: a header line while it is on, and a takeover with the ack board.

When an emergency is declared or escalated, or a directive is issued, the wall gives itself
over to it for the layout's `takeover_s`: the response and its level, the directive, how many
units acknowledged, and the board of every recipient, the missing first, filling live as the
acknowledgements arrive. Rotation then resumes; the header keeps the response in view.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from backend_client.store import CaseStore
from protocol.emergency import Directive, DirectiveChanged, Emergency, EmergencyChanged
from protocol.enums import EmergencyStatus
from views.emergency.matrices import ack_cell, active_emergencies, count_acks, directives_of, receipts_of
from views.emergency.texts import LEVEL_SHAPE, level_colour, level_text, type_text
from widgets.ack_board import AckBoard, Cell
from widgets.wall_tiles import Message

translate = QCoreApplication.translate

_ORDER = {"missing": 0, "late": 1, "waiting": 2, "acknowledged": 3}


def active_emergency(store: CaseStore) -> Emergency | None:
    """The response to show: a real one before a drill, the highest level, the oldest."""
    active = active_emergencies(store)
    return active[0] if active else None


def header_text(store: CaseStore) -> tuple[str, str] | None:
    """("▲ Typhoon · Level II (orange) · EM2026-0001", "orange") while a response is on."""
    emergency = active_emergency(store)
    if emergency is None:
        return None
    colour = level_colour(emergency.level)
    drill = translate("Emergency", "DRILL") + " · " if emergency.exercise else ""
    return (f"{LEVEL_SHAPE[colour]} {drill}{type_text(emergency.type)} · {level_text(emergency.level)} · "
            f"{emergency.serial}", colour)


def takeover_reason(event: object) -> tuple[str, str | None] | None:
    """(reason, directive id) when an event should take the wall over, else None."""
    if isinstance(event, EmergencyChanged):
        last = event.data.history[-1].action if event.data.history else ""
        if event.data.status is EmergencyStatus.ACTIVE and last in ("declare", "escalate"):
            return translate("Wall", "EMERGENCY RESPONSE"), None
    if isinstance(event, DirectiveChanged) and event.data.emergency_id is not None and not event.data.reminders:
        return translate("Wall", "DIRECTIVE ISSUED"), event.data.id
    return None


def board(store: CaseStore, emergency: Emergency | None, directive_id: str | None, now: datetime
          ) -> tuple[list[tuple[str, str | None]], list[Cell]]:
    """The takeover's lines and the board's cells (the missing first) for the response and a directive."""
    lines: list[tuple[str, str | None]] = []
    if emergency is not None:
        colour = level_colour(emergency.level)
        drill = translate("Emergency", "DRILL") + " · " if emergency.exercise else ""
        lines.append((f"{drill}{type_text(emergency.type)} · {level_text(emergency.level)}", colour))
        lines.append((f"{emergency.serial} · {emergency.title}", None))
    directive: Directive | None = store.directives.get(directive_id) if directive_id else None
    if directive is None and emergency is not None:
        directives = directives_of(store, emergency.id)
        directive = directives[-1] if directives else None
    if directive is None:
        return lines, []
    text = directive.text if len(directive.text) <= 60 else directive.text[:59] + "…"
    lines.append((f"{directive.serial}: {text}", None))
    count = count_acks(store, directive, now)
    lines.append((translate("Wall", "Acknowledged {a} of {n} · late {l} · missing {m}").format(
        a=count.acknowledged, n=count.recipients, l=count.late, m=count.missing), "red" if count.missing else None))
    cells = sorted(((r.unit_name, ack_cell(directive, r, now)) for r in receipts_of(store, directive)),
                   key=lambda item: (_ORDER.get(item[1].state, 9), item[0]))
    return lines, [(name, cell.shape, cell.tone) for name, cell in cells]


class EmergencyView(QWidget):
    """The takeover page of a response: its lines on top, the acknowledgement board below."""

    def __init__(self, cap_px: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = Message(cap_px, scale=1.4)
        self.board = AckBoard(cap_px, scale=0.8)
        layout.addWidget(self.message, 2)
        layout.addWidget(self.board, 3)
        self.directive_id: str | None = None

    def refresh(self, store: CaseStore, now: datetime) -> None:
        lines, cells = board(store, active_emergency(store), self.directive_id, now)
        self.message.set_lines(lines)
        self.board.set_cells(cells, translate("Wall", "+{n} more"))
