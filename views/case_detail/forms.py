"""The drill-down's action forms, one per kind of action, and `make_form()` to pick one.

Rules beyond the protocol's (the operator must say why): a reason for reject, transfer,
escalate and pause (the protocol requires it too); a note when verification fails, when the
requester is not satisfied, when an extension is refused, and for formal supervision (督办)
and holding to account (问效), because each of those sends the case back or weighs on a unit's
ranking and must leave a trace (留痕) that says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from protocol.enums import Basis, CaseFlag, CaseStatus, SupervisionAction
from protocol.events import Case, Unit
from views.case_detail.form_base import ActionForm, FormError
from views.case_detail.offer import ActionSpec
from views.case_detail.photo_forms import FeedbackForm, StartForm
from views.case_detail.style import muted
from views.case_detail.unit_picker import UnitPicker
from views.models.case_cells import local_text
from views.models.labels import status_text

translate = QCoreApplication.translate


class NoteForm(ActionForm):
    """register, resume, sign: an optional note."""

    def __init__(self, spec: ActionSpec, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(spec, case, parent)
        self.note = self.note_box("note", translate("ActionForm", "Note"), translate("ActionForm", "Optional"))

    def collect(self) -> dict[str, Any]:
        note = self.checked_text(self.note, None)
        return {"note": note} if note else {}


class ReasonForm(ActionForm):
    """reject, transfer, escalate, pause, return: a reason, required."""

    def __init__(self, spec: ActionSpec, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(spec, case, parent)
        self.reason = self.note_box(
            "reason", translate("ActionForm", "Reason"), translate("ActionForm", "Required: why")
        )

    def collect(self) -> dict[str, Any]:
        return {"reason": self.checked_text(self.reason, translate("ActionForm", "A reason is required."))}


class ExtensionForm(ActionForm):
    """extension_request: how many more hours, and why (the centre decides)."""

    def __init__(self, spec: ActionSpec, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(spec, case, parent)
        self.hours = QDoubleSpinBox(self)
        self.hours.setObjectName("form.hours")
        self.hours.setRange(0.5, 720)
        self.hours.setSingleStep(1)
        self.hours.setDecimals(1)
        self.hours.setValue(24)
        self.hours.setSuffix(translate("ActionForm", " h"))
        self.fields.addRow(translate("ActionForm", "More time"), self.hours)
        self.reason = self.note_box(
            "reason", translate("ActionForm", "Reason"), translate("ActionForm", "Required: why it needs longer")
        )

    def collect(self) -> dict[str, Any]:
        reason = self.checked_text(self.reason, translate("ActionForm", "A reason is required."))
        return {"hours": self.hours.value(), "reason": reason}


class ChoiceForm(ActionForm):
    """verify, callback, extension_decide: one of two answers (no default: the operator picks) and a note."""

    def __init__(
        self,
        spec: ActionSpec,
        case: Case,
        field: str,
        yes: str,
        no: str,
        note_needed_on_no: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(spec, case, parent)
        self.field, self.note_needed_on_no = field, note_needed_on_no
        row = QHBoxLayout()
        self.yes, self.no = QRadioButton(yes, self), QRadioButton(no, self)
        self.choice = QButtonGroup(self)
        for button in (self.yes, self.no):
            self.choice.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.fields.addRow(translate("ActionForm", "Result"), row)
        self.note = self.note_box(
            "note", translate("ActionForm", "Note"), translate("ActionForm", "Required when the answer is no")
        )

    def collect(self) -> dict[str, Any]:
        if not (self.yes.isChecked() or self.no.isChecked()):
            raise FormError(
                translate("ActionForm", "Choose one: %1 or %2.")
                .replace("%1", self.yes.text())
                .replace("%2", self.no.text())
            )
        answer = self.yes.isChecked()
        note = self.checked_text(self.note, None if answer else self.note_needed_on_no)
        return {self.field: answer, **({"note": note} if note else {})}


class MergeForm(ActionForm):
    """merge: the open case this one duplicates, picked from its related cases."""

    def __init__(self, spec: ActionSpec, case: Case, candidates: Sequence[Case], parent: QWidget | None = None) -> None:
        super().__init__(spec, case, parent)
        self.target = QComboBox(self)
        self.target.setObjectName("merge.target")
        self.target.addItem(translate("ActionForm", "Choose the case it duplicates"), None)
        for other in candidates:
            text = f"{other.serial} · {status_text(other.status)} · {local_text(other.received_at)} · {other.address}"
            self.target.addItem(text, other.id)
        self.target.setCurrentIndex(1 if len(candidates) == 1 else 0)
        self.fields.addRow(translate("ActionForm", "Duplicate of"), self.target)
        if not candidates:
            hint = QLabel(
                translate("ActionForm", "No open case with the same address, grid or committee in 30 days."), self
            )
            hint.setWordWrap(True)
            muted(hint)
            self.fields.addRow("", hint)
        self.note = self.note_box("note", translate("ActionForm", "Note"), translate("ActionForm", "Optional"))

    def collect(self) -> dict[str, Any]:
        into = self.target.currentData()
        if not into:
            raise FormError(translate("ActionForm", "Choose the case it duplicates."))
        note = self.checked_text(self.note, None)
        return {"into": into, **({"note": note} if note else {})}


class UnitForm(ActionForm):
    """dispatch, designate, arbitrate: a lead unit (the suggestion first), co-units for a dispatch, a note."""

    def __init__(
        self, spec: ActionSpec, case: Case, units: Iterable[Unit], language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(spec, case, parent)
        self.picker = UnitPicker(
            units,
            case.routing,
            language,
            co_units=spec.key != "arbitrate",
            preselect_suggestion=spec.key == "dispatch",
            parent=self,
        )
        self.fields.addRow(translate("ActionForm", "Lead unit"), self.picker)
        self.note = self.note_box(
            "note", translate("ActionForm", "Note"), translate("ActionForm", "Optional: instructions to the unit")
        )

    def collect(self) -> dict[str, Any]:
        lead = self.picker.lead_id()
        if lead is None:
            raise FormError(translate("ActionForm", "Choose the lead unit from the list."))
        args: dict[str, Any] = {"unit_id": lead}
        if self.spec.key == "designate":
            args["basis"] = Basis.DESIGNATION.value
        co_units = [u for u in self.picker.co_unit_ids() if u != lead]
        if co_units:
            args["co_unit_ids"] = co_units
        note = self.checked_text(self.note, None)
        return {**args, **({"note": note} if note else {})}


class SuperviseForm(ActionForm):
    """remind, urge, supervise, account (case.supervise on this one case): a note, required for the formal two."""

    def __init__(self, spec: ActionSpec, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(spec, case, parent)
        self.formal = spec.supervision in (SupervisionAction.SUPERVISE, SupervisionAction.ACCOUNT)
        unit = case.unit_name or translate("ActionForm", "no unit yet")
        target = QLabel(translate("ActionForm", "Against %1").replace("%1", unit), self)
        muted(target)
        self.fields.addRow(translate("ActionForm", "Unit"), target)
        self.note = self.note_box(
            "note",
            translate("ActionForm", "Note"),
            translate("ActionForm", "Required: what is expected, by when")
            if self.formal
            else translate("ActionForm", "Optional"),
        )

    def collect(self) -> dict[str, Any]:
        assert self.spec.supervision is not None
        note = self.checked_text(
            self.note, translate("ActionForm", "Formal supervision needs a note.") if self.formal else None
        )
        return {"action": self.spec.supervision.value, "ids": [self.case_id], **({"note": note} if note else {})}


def extension_request_text(case: Case) -> str:
    """What the unit asked: hours and reason from the last request in the history."""
    request = next((t for t in reversed(case.history) if t.action == "extension_request"), None)
    hours = f"{case.extension_hours:g} h" if case.extension_hours is not None else ""
    return request.note if request is not None and request.note else hours


def make_form(
    spec: ActionSpec,
    case: Case,
    *,
    units: Iterable[Unit],
    language: str,
    candidates: Sequence[Case],
    parent: QWidget | None = None,
) -> ActionForm:
    """The form for `spec` on `case`."""
    key = spec.key
    if spec.supervision is not None:
        return SuperviseForm(spec, case, parent)
    if key == "start":
        return StartForm(spec, case, parent)
    if key == "feedback":
        return FeedbackForm(spec, case, parent)
    if key in ("register", "resume", "sign"):
        return NoteForm(spec, case, parent)
    if key in ("reject", "transfer", "escalate", "pause", "return"):
        return ReasonForm(spec, case, parent)
    if key == "extension_request":
        return ExtensionForm(spec, case, parent)
    if key == "merge":
        return MergeForm(spec, case, candidates, parent)
    if key in ("dispatch", "designate", "arbitrate"):
        return UnitForm(spec, case, units, language, parent)
    if key == "verify":
        return ChoiceForm(
            spec,
            case,
            "passed",
            translate("ActionForm", "Passed: close the case"),
            translate("ActionForm", "Failed: back to the unit"),
            translate("ActionForm", "Say what is still wrong."),
            parent,
        )
    if key == "callback":
        form = ChoiceForm(
            spec,
            case,
            "satisfied",
            translate("ActionForm", "Satisfied"),
            translate("ActionForm", "Not satisfied"),
            translate("ActionForm", "Note what the requester is not satisfied with."),
            parent,
        )
        if case.status is CaseStatus.CLOSED and CaseFlag.REOPENED not in case.flags:
            form.no.setToolTip(translate("ActionForm", "Reopens the case once"))
        return form
    if key == "extension_decide":
        form = ChoiceForm(
            spec,
            case,
            "approve",
            translate("ActionForm", "Approve"),
            translate("ActionForm", "Refuse"),
            translate("ActionForm", "Say why it is refused."),
            parent,
        )
        asked = QLabel(extension_request_text(case), form)
        asked.setWordWrap(True)
        form.fields.insertRow(0, translate("ActionForm", "Requested"), asked)
        return form
    raise KeyError(f"no form for action {key!r}")
