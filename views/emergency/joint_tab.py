"""The room's "Joint response" tab: who leads and who helps, who sits in at the centre, what resources are out.

    tab = JointResponseTab(open_dialog=panel_open, send=panel_send)
    tab.show_emergency(emergency, resources, units, geography, may=lambda command: ...)

The lead unit and co-units (牵头/配合) with "Assign…"; the units sitting in at the centre (进驻)
with "Check in…" and "Check out"; the response's resources in a sortable table with "Add…" and
"Edit…" (Enter or a double click on a row edits it). Everything shown comes from the feed; the
forms are `views.emergency.joint_dialogs`, opened through the room so that sending, closing on
acceptance and showing a refusal work as for its other forms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from protocol import Geography
from protocol.emergency import Emergency, Resource, ResourceStatus, SitIn
from protocol.enums import EmergencyStatus
from protocol.events import Unit
from views.case_detail.geo import district_of
from views.emergency.dialogs import CommandDialog
from views.emergency.joint_dialogs import AssignDialog, CheckInDialog, ResourceDialog
from views.emergency.record_table import ID_ROLE, RecordTableModel, Row
from views.emergency.texts import RESOURCE_KIND, RESOURCE_STATUS, tr_em
from views.models.case_cells import CENTRE_ZONE
from widgets.district_map import MapMarker

translate = QCoreApplication.translate


def _when(at: datetime) -> str:
    return at.astimezone(CENTRE_ZONE).strftime("%m-%d %H:%M")


def sit_in_row(sit: SitIn) -> Row:
    """One check-in: unit, who, since, by whom, left (the row muted once the unit left)."""
    left = _when(sit.checked_out_at) if sit.checked_out_at else translate("JointTab", "sitting in")
    key = f"{sit.unit_id}@{sit.checked_in_at.isoformat()}"
    return Row(key, (sit.unit_name, sit.person, _when(sit.checked_in_at), sit.checked_in_by, left),
               sort=(sit.unit_name, sit.person, sit.checked_in_at.timestamp(), sit.checked_in_by,
                     sit.checked_out_at.timestamp() if sit.checked_out_at else 0.0),
               tone="text.muted" if sit.checked_out_at else "text")


def resource_row(resource: Resource) -> Row:
    kind = tr_em(RESOURCE_KIND.get(resource.kind.value, resource.kind.value))
    status = tr_em(RESOURCE_STATUS.get(resource.status.value, resource.status.value))
    where = resource.place
    if resource.location is None:
        where = " · ".join(t for t in (where, translate("JointTab", "not on the map")) if t)
    order = list(ResourceStatus).index(resource.status)
    return Row(resource.id, (kind, resource.name, f"{resource.quantity:,}", resource.unit_name, status, where,
                             f"{_when(resource.updated_at)} · {resource.by}"),
               sort=(kind, resource.name, resource.quantity, resource.unit_name, order, where,
                     resource.updated_at.timestamp()),
               tone="text.muted" if resource.status is ResourceStatus.RETURNED else "text",
               tip=resource.note)


def resource_marker(resource: Resource) -> MapMarker | None:
    """A resource with a place on the map as a named plate (`Pump trucks ×4`); None without a location."""
    if resource.location is None:
        return None
    return MapMarker(resource.location[0], resource.location[1], f"{resource.name} ×{resource.quantity:,}")


def _table(model: RecordTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the table for the buttons; arrows move in it
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


class JointResponseTab(QWidget):
    def __init__(self, *, open_dialog: Callable[[CommandDialog], CommandDialog],
                 send: Callable[[str, dict[str, Any]], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("room.joint_tab")
        self._open_dialog, self._send = open_dialog, send
        self.emergency: Emergency | None = None
        self.resources: dict[str, Resource] = {}
        self.units: list[Unit] = []
        self.geography: Geography | None = None
        self.dialog: CommandDialog | None = None
        self._reopen: Callable[[], CommandDialog] | None = None
        self._waiting_for_units = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        lead_row = QHBoxLayout()
        self.lead = QLabel()
        self.lead.setObjectName("joint.lead")
        self.lead.setWordWrap(True)
        self.lead.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.assign_button = QPushButton(translate("JointTab", "Assign…"))
        self.assign_button.setToolTip(translate("JointTab", "Name the lead unit and the co-units"))
        lead_row.addWidget(self.lead, 1)
        lead_row.addWidget(self.assign_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(lead_row)

        sit_row = QHBoxLayout()
        self.sitting_label = QLabel()
        self.check_in_button = QPushButton(translate("JointTab", "Check in…"))
        self.check_out_button = QPushButton(translate("JointTab", "Check out"))
        self.check_out_button.setToolTip(translate("JointTab", "The selected unit leaves the centre"))
        sit_row.addWidget(self.sitting_label, 1)
        sit_row.addWidget(self.check_in_button)
        sit_row.addWidget(self.check_out_button)
        outer.addLayout(sit_row)
        self.sitting_model = RecordTableModel([translate("JointTab", "Unit"), translate("JointTab", "Who sits in"),
                                               translate("JointTab", "Checked in"), translate("JointTab", "By"),
                                               translate("JointTab", "Left")], self)
        self.sitting_view = _table(self.sitting_model, "joint.sitting_in")
        self.sitting_view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # those sitting in first
        outer.addWidget(self.sitting_view, 2)

        res_row = QHBoxLayout()
        self.resources_label = QLabel()
        self.add_button = QPushButton(translate("JointTab", "Add…"))
        self.add_button.setToolTip(translate("JointTab", "Register a team, vehicles, pumps or sandbags"))
        self.edit_button = QPushButton(translate("JointTab", "Edit…"))
        self.edit_button.setToolTip(translate("JointTab", "Change the selected resource (or press Enter on it)"))
        res_row.addWidget(self.resources_label, 1)
        res_row.addWidget(self.add_button)
        res_row.addWidget(self.edit_button)
        outer.addLayout(res_row)
        self.resource_model = RecordTableModel(
            [translate("JointTab", "Kind"), translate("JointTab", "Name"), translate("JointTab", "Quantity"),
             translate("JointTab", "Unit"), translate("JointTab", "Status"), translate("JointTab", "Place"),
             translate("JointTab", "Updated")], self)
        self.resource_view = _table(self.resource_model, "joint.resources")
        outer.addWidget(self.resource_view, 3)

        self.assign_button.clicked.connect(self.open_assign)
        self.check_in_button.clicked.connect(self.open_check_in)
        self.check_out_button.clicked.connect(self.check_out)
        self.add_button.clicked.connect(lambda: self.open_resource(None))
        self.edit_button.clicked.connect(lambda: self.open_resource(self.selected_resource()))
        self.resource_view.doubleClicked.connect(lambda _index: self.open_resource(self.selected_resource()))
        self.resource_view.installEventFilter(self)
        self.sitting_view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.resource_view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._may: Callable[[str], bool] = lambda _command: False
        self.show_emergency(None, [], [], None)

    # --- what is shown ---------------------------------------------------------------

    def show_emergency(self, emergency: Emergency | None, resources: Sequence[Resource], units: Iterable[Unit],
                       geography: Geography | None, *, may: Callable[[str], bool] | None = None) -> None:
        if may is not None:
            self._may = may
        self.emergency, self.geography = emergency, geography
        self.units = list(units)
        self.resources = {r.id: r for r in resources}
        names = {u.id: u.name for u in self.units}
        if emergency is None:
            self.lead.setText(translate("JointTab", "Choose an emergency to see its joint response."))
        else:
            lead = names.get(emergency.lead_unit_id or "", emergency.lead_unit_id or "") or \
                translate("JointTab", "not assigned")
            co = "、".join(names.get(u, u) for u in emergency.co_unit_ids) or translate("JointTab", "none")
            self.lead.setText(translate("JointTab", "Lead unit: %1\nCo-units (%2): %3")
                              .replace("%1", lead).replace("%2", str(len(emergency.co_unit_ids))).replace("%3", co))
        sits = list(emergency.sitting_in) if emergency else []
        present = sum(1 for s in sits if s.checked_out_at is None)
        self.sitting_label.setText(translate("JointTab", "Units sitting in at the centre: %1")
                                   .replace("%1", str(present)))
        # those sitting in first, then those who left, each by check-in time
        self.sitting_model.set_rows([sit_in_row(s) for s in sorted(
            sits, key=lambda s: (s.checked_out_at is not None, s.checked_in_at))])
        out = sum(1 for r in resources if r.status in (ResourceStatus.EN_ROUTE, ResourceStatus.DEPLOYED))
        self.resources_label.setText(translate("JointTab", "Resources: %1 (%2 on the way or deployed)")
                                     .replace("%1", str(len(resources))).replace("%2", str(out)))
        self.resource_model.set_rows([resource_row(r) for r in sorted(resources, key=lambda r: r.id)])
        self._enable()
        self._reopen_with_units()

    def _enable(self) -> None:
        active = self.emergency is not None and self.emergency.status is EmergencyStatus.ACTIVE
        self.assign_button.setEnabled(active and self._may("emergency.assign"))
        self.check_in_button.setEnabled(active and self._may("emergency.check_in"))
        self.check_out_button.setEnabled(active and self._may("emergency.check_out")
                                         and self.selected_sit_in() is not None)
        self.add_button.setEnabled(active and self._may("resource.set"))
        self.edit_button.setEnabled(active and self._may("resource.set") and self.selected_resource() is not None)

    def selected_sit_in(self) -> SitIn | None:
        """The selected check-in if that unit still sits in."""
        index = self.sitting_view.currentIndex()
        if self.emergency is None or not index.isValid() or not self.sitting_view.selectionModel().hasSelection():
            return None
        key = index.data(ID_ROLE)
        return next((s for s in self.emergency.sitting_in if f"{s.unit_id}@{s.checked_in_at.isoformat()}" == key
                     and s.checked_out_at is None), None)

    def selected_resource(self) -> Resource | None:
        index = self.resource_view.currentIndex()
        if not index.isValid() or not self.resource_view.selectionModel().hasSelection():
            return None
        return self.resources.get(index.data(ID_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.resource_view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.edit_button.isEnabled():
            self.open_resource(self.selected_resource())
            return True
        return super().eventFilter(watched, event)

    # --- actions ---------------------------------------------------------------------

    def open_assign(self) -> AssignDialog | None:
        emergency = self.emergency
        if emergency is None:
            return None
        return self._open(lambda: AssignDialog(self.units, emergency, self))  # type: ignore[return-value]

    def open_check_in(self) -> CheckInDialog | None:
        emergency = self.emergency
        if emergency is None:
            return None
        return self._open(lambda: CheckInDialog(self.units, emergency, self))  # type: ignore[return-value]

    def open_resource(self, resource: Resource | None) -> ResourceDialog | None:
        emergency = self.emergency
        if emergency is None:
            return None
        streets: list[tuple[str, float, float]] = []
        bounds = None
        if self.geography is not None:
            streets = [(s.name, s.seed[0], s.seed[1]) for s in sorted(self.geography.streets, key=lambda s: s.code)]
            west, south, east, north = district_of(self.geography).bounds
            bounds = (west, south, east, north)
        return self._open(lambda: ResourceDialog(  # type: ignore[return-value]
            self.units, emergency, resource, streets=streets, bounds=bounds, parent=self))

    def check_out(self) -> bool:
        sit = self.selected_sit_in()
        if self.emergency is None or sit is None:
            return False
        self._send("emergency.check_out", {"id": self.emergency.id, "unit_id": sit.unit_id})
        return True

    def _open(self, make: Callable[[], CommandDialog]) -> CommandDialog:
        self._reopen, self._waiting_for_units = make, not self.units
        self.dialog = self._open_dialog(make())
        return self.dialog

    def _reopen_with_units(self) -> None:
        """A form opened before the organisation came opens again with it (its lists were empty)."""
        dialog = self.dialog
        if not self._waiting_for_units or not self.units or self._reopen is None:
            return
        self._waiting_for_units = False
        if dialog is not None and isValid(dialog) and dialog.isVisible():
            dialog.close()
            self._open(self._reopen)
