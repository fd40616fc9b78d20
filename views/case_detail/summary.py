"""The case at a glance: serial, status and timer, then who asked and how, what, where, who owns it and why.

Values are plain labels (selectable, wrapping), filled by `set_case()`; the requester's phone
number follows `privacy.shown_phone` for the operator's role.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from protocol.enums import OPEN_STATUSES, CaseStatus, Role, SlaLevel
from protocol.events import Case
from views.case_detail.privacy import may_see_phone, shown_phone
from views.case_detail.style import muted, tint
from views.case_detail.texts import BASIS, FLAG, tr_text
from views.case_detail.unit_picker import explanation
from views.models.case_cells import TimeLeft, local_text
from views.models.labels import channel_text, status_text
from widgets.sla_badge import SlaBadge

UnitNames = Callable[[str], str]
FIELDS = ("category", "requester", "place", "lead", "co_units", "routing", "flags", "description")


translate = QCoreApplication.translate


class CaseSummary(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._time_left = TimeLeft()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        head = QHBoxLayout()
        self.serial = QLabel(self)
        self.serial.setObjectName("case.serial")
        big = QFont(self.serial.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.25)
        self.serial.setFont(big)
        self.serial.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("case.status")
        self.drill = QLabel(
            translate("CaseSummary", "DRILL 演练"), self
        )  # a drill's case can never pass for a real one
        tint(self.drill, "warn")
        self.drill.setFont(big)
        self.step_badge = SlaBadge(parent=self)  # the step's limit (sign for in 30 min, verify in …)
        self.step_badge.setObjectName("case.step_badge")
        self.step_badge.setToolTip(translate("CaseSummary", "Step limit: time left for the current step"))
        self.badge = SlaBadge(parent=self)  # the overall handling limit
        self.badge.setObjectName("case.badge")
        self.badge.setToolTip(translate("CaseSummary", "Overall limit: time left to close the case"))
        head.addWidget(self.serial)
        head.addWidget(self.status)
        head.addWidget(self.drill)
        head.addStretch(1)
        layout.addLayout(head)
        timers = QHBoxLayout()  # a row of their own: the countdowns are never cut short
        timers.addWidget(self.step_badge)
        timers.addWidget(self.badge)
        timers.addStretch(1)
        layout.addLayout(timers)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(3)
        titles = (
            translate("CaseSummary", "Category"),
            translate("CaseSummary", "Requester"),
            translate("CaseSummary", "Place"),
            translate("CaseSummary", "Lead unit"),
            translate("CaseSummary", "Co-units"),
            translate("CaseSummary", "Routing"),
            translate("CaseSummary", "Marks"),
            translate("CaseSummary", "Request"),
        )
        self.values: dict[str, QLabel] = {}
        for key, title in zip(FIELDS, titles, strict=True):
            label = QLabel(title, self)
            muted(label)
            value = QLabel(self)
            value.setObjectName(f"case.{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, value)
            self.values[key] = value
        layout.addLayout(form)
        self._case: Case | None = None

    def text_of(self, key: str) -> str:
        return self.values[key].text()

    def set_case(self, case: Case, role: Role | None, language: str, unit_name: UnitNames) -> None:
        self._case = case
        zh = language.startswith("zh")
        self.serial.setText(case.serial)
        extra = [translate("CaseSummary", "urgent")] if case.urgent else []
        if case.satisfied is not None:
            extra.append(
                translate("CaseSummary", "satisfied") if case.satisfied else translate("CaseSummary", "not satisfied")
            )
        self.status.setText(" · ".join([status_text(case.status), *extra]))
        self.drill.setVisible(case.exercise_id is not None)
        v = self.values
        category = case.category_zh if zh else case.category_en
        v["category"].setText(f"{category or '—'} ({case.category_code})")
        phone = shown_phone(case.requester_phone, role)
        who = phone if phone else translate("CaseSummary", "no number given")
        if phone and not may_see_phone(role):
            who += " " + translate("CaseSummary", "(masked for this role)")
        received = translate("CaseSummary", "received")
        v["requester"].setText(f"{who} · {channel_text(case.channel)} · {received} {local_text(case.received_at)}")
        place = [
            case.street_name,
            case.committee_name or "",
            translate("CaseSummary", "grid %1").replace("%1", case.grid_id) if case.grid_id else "",
            case.address,
        ]
        v["place"].setText(" · ".join(p for p in place if p))
        if case.unit_id:
            basis = f" · {tr_text(BASIS[case.basis])}" if case.basis is not None else ""
            v["lead"].setText((case.unit_name or unit_name(case.unit_id)) + basis)
        else:
            v["lead"].setText(translate("CaseSummary", "not dispatched"))
        v["co_units"].setText("、".join(unit_name(u) for u in case.co_unit_ids) or "—")
        v["routing"].setText(
            explanation(case.routing, language)
            if case.routing is not None
            else translate("CaseSummary", "no suggestion yet (given at registration)")
        )
        marks = [tr_text(FLAG[f]) for f in case.flags if f in FLAG]
        if case.returns:
            marks.append(translate("CaseSummary", "returned %1×").replace("%1", str(case.returns)))
        if case.duplicate_of:
            marks.append(translate("CaseSummary", "duplicate"))
        v["flags"].setText(", ".join(marks) or "—")
        v["description"].setText(case.description)
        self.tick(None)

    def tick(self, now: float | None) -> None:
        """Move both countdowns on (`now`: epoch seconds on the hub's clock; None keeps the levels)."""
        case = self._case
        if case is None:
            self.badge.set_state(None, "")
            self.step_badge.hide()
            return
        step = case.step if case.status in OPEN_STATUSES or case.status is CaseStatus.CLOSED else None
        self.step_badge.setVisible(step is not None)
        if step is not None:
            self._show(self.step_badge, translate("CaseSummary", "Step: %1"), case, step.due_at, case.step_level, now)
        if case.overall is None or case.status not in OPEN_STATUSES:
            self.badge.set_state(None, translate("CaseSummary", "no running limit"))
            return
        self._show(self.badge, translate("CaseSummary", "Overall: %1"), case, case.overall.due_at, case.level, now)

    def _show(
        self, badge: SlaBadge, template: str, case: Case, due_at: datetime, level: SlaLevel, now: float | None
    ) -> None:
        if case.paused_at is not None:
            badge.set_state(level.value, template.replace("%1", translate("CaseSummary", "paused")))
        elif now is None:
            badge.set_state(
                level.value,
                template.replace("%1", translate("CaseSummary", "due %1").replace("%1", local_text(due_at))),
            )
        else:
            due = due_at.timestamp()
            text = template.replace("%1", self._time_left.text(due - now))
            badge.set_state("red" if now >= due else level.value, text)
