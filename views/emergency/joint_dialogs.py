"""The joint response's forms: assign the lead and co-units, check a unit in, register or change a resource.

Like the room's other forms (views/emergency/dialogs.py) each is a non-modal `CommandDialog`
opened with `open()`: it checks what the commander typed, then the arguments against the
command's Struct as the hub will, and emits `submitted`; the room sends and the form closes on
acceptance or shows the hub's refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from protocol.emergency import Emergency, Resource, ResourceKind, ResourceStatus
from protocol.events import Unit
from views.case_detail.style import muted
from views.case_detail.unit_picker import UnitPicker, ordered_units
from views.emergency.dialogs import CommandDialog
from views.emergency.texts import RESOURCE_KIND, RESOURCE_STATUS, tr_em

translate = QCoreApplication.translate

Bounds = tuple[float, float, float, float]
"""West, south, east, north of the district."""
Street = tuple[str, float, float]
"""A street's name and its centre (lon, lat): a quick place for a resource on the map."""


def _loading(dialog: CommandDialog, units: Sequence[Unit]) -> None:
    if not units:
        dialog.show_message(translate("JointDialogs", "Loading the organisation from the hub…"), error=False)


def _unit_combo(units: Iterable[Unit], current: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.addItem("", None)
    for unit in units:
        combo.addItem(unit.name, unit.id)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class AssignDialog(CommandDialog):
    """Name the lead unit (牵头单位) and the co-units (配合单位) of a response; replaces what it held."""

    def __init__(self, units: Iterable[Unit], emergency: Emergency, parent: QWidget | None = None) -> None:
        super().__init__("emergency.assign", translate("JointDialogs", "Lead and co-units of %1")
                         .replace("%1", emergency.serial), translate("JointDialogs", "Assign"), parent)
        self.emergency = emergency
        self.units = ordered_units(units)
        self.picker = UnitPicker(self.units, None, "en", co_units=True, preselect_suggestion=False, parent=self)
        self.picker.why.hide()  # no routing rule here: the commander designates
        if emergency.lead_unit_id:
            self.picker.set_lead(emergency.lead_unit_id)
        for unit_id in emergency.co_unit_ids:
            self.picker.check_co_unit(unit_id)
        self.fields.addRow(translate("JointDialogs", "Emergency"), QLabel(f"{emergency.serial} · {emergency.title}"))
        self.fields.addRow(translate("JointDialogs", "Lead and co-units"), self.picker)
        self.note_box = QLineEdit()
        self.fields.addRow(translate("JointDialogs", "Note"), self.note_box)
        _loading(self, self.units)
        self.picker.lead.setFocus()

    def collect(self) -> dict[str, Any]:
        lead = self.picker.lead_id()
        if lead is None:
            self.picker.lead.setFocus()
            raise ValueError(translate("JointDialogs", "Choose the lead unit (type part of its name)."))
        co_units = self.picker.co_unit_ids()
        if lead in co_units:
            raise ValueError(translate("JointDialogs", "The lead unit cannot also be a co-unit: untick it."))
        args: dict[str, Any] = {"id": self.emergency.id, "lead_unit_id": lead, "co_unit_ids": sorted(co_units)}
        if self.note_box.text().strip():
            args["note"] = self.note_box.text().strip()
        return args


class CheckInDialog(CommandDialog):
    """A unit sits in at the centre (进驻) for the response: which unit, and who sits in for it."""

    def __init__(self, units: Iterable[Unit], emergency: Emergency, parent: QWidget | None = None) -> None:
        super().__init__("emergency.check_in", translate("JointDialogs", "Check a unit in at the centre"),
                         translate("JointDialogs", "Check in"), parent)
        self.emergency = emergency
        present = {s.unit_id for s in emergency.sitting_in if s.checked_out_at is None}
        self.units = [u for u in ordered_units(units) if u.id not in present]
        self.unit_box = _unit_combo(self.units)
        self.unit_box.setObjectName("check_in.unit")
        self.person_box = QLineEdit()
        self.person_box.setPlaceholderText(translate("JointDialogs", "e.g. Wang Qiang, deputy director"))
        self.fields.addRow(translate("JointDialogs", "Emergency"), QLabel(f"{emergency.serial} · {emergency.title}"))
        self.fields.addRow(translate("JointDialogs", "Unit"), self.unit_box)
        self.fields.addRow(translate("JointDialogs", "Who sits in"), self.person_box)
        _loading(self, self.units)
        self.unit_box.setFocus()

    def collect(self) -> dict[str, Any]:
        unit = self.unit_box.currentData()
        if not unit:
            self.unit_box.setFocus()
            raise ValueError(translate("JointDialogs", "Choose the unit that checks in."))
        person = self.required(self.person_box, translate("JointDialogs", "Say who sits in for the unit."))
        return {"id": self.emergency.id, "unit_id": unit, "person": person}


def parse_position(text: str, bounds: Bounds | None) -> tuple[float, float] | None:
    """`121.41, 31.02` → (lon, lat); empty → None; ValueError (translated) if it is not a place in the district.

    Accepts a comma, a Chinese comma or spaces between the two numbers.
    """
    text = text.strip()
    if not text:
        return None
    parts = text.replace("，", ",").replace(",", " ").split()
    try:
        lon, lat = (float(p) for p in parts)
    except ValueError:
        raise ValueError(translate("JointDialogs", "Give the position as longitude, latitude, e.g. 121.41, 31.02."
                                   )) from None
    if bounds is not None:
        west, south, east, north = bounds
        if not (west <= lon <= east and south <= lat <= north):
            raise ValueError(translate("JointDialogs", "%1, %2 is outside the district.")
                             .replace("%1", f"{lon:.5f}").replace("%2", f"{lat:.5f}"))
    elif not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(translate("JointDialogs", "Give the position as longitude, latitude, e.g. 121.41, 31.02."))
    return lon, lat


class ResourceDialog(CommandDialog):
    """Register a resource of the response (a team, vehicles, pumps, sandbags), or change one."""

    def __init__(self, units: Iterable[Unit], emergency: Emergency, resource: Resource | None = None, *,
                 streets: Sequence[Street] = (), bounds: Bounds | None = None, parent: QWidget | None = None) -> None:
        title = (translate("JointDialogs", "Add a resource to %1").replace("%1", emergency.serial) if resource is None
                 else translate("JointDialogs", "Change resource %1").replace("%1", resource.name))
        super().__init__("resource.set", title, translate("JointDialogs", "Save"), parent)
        self.emergency, self.resource, self.bounds = emergency, resource, bounds
        self.units = ordered_units(units)
        self.kind_box = QComboBox()
        for kind in ResourceKind:
            self.kind_box.addItem(tr_em(RESOURCE_KIND.get(kind.value, kind.value)), kind.value)
        self.name_box = QLineEdit()
        self.name_box.setPlaceholderText(translate("JointDialogs", "e.g. District drainage rescue team"))
        self.quantity_box = QSpinBox()
        self.quantity_box.setRange(0, 10_000_000)
        self.quantity_box.setValue(1)
        self.quantity_box.setGroupSeparatorShown(True)
        self.unit_box = _unit_combo(self.units, resource.unit_id if resource else None)
        self.status_box = QComboBox()
        for status in ResourceStatus:
            self.status_box.addItem(tr_em(RESOURCE_STATUS.get(status.value, status.value)), status.value)
        self.place_box = QLineEdit()
        self.place_box.setPlaceholderText(translate("JointDialogs", "e.g. Xinzhuang interchange underpass"))
        self.street_box = QComboBox()
        self.street_box.addItem(translate("JointDialogs", "Position at a street's centre…"), None)
        for name, lon, lat in streets:
            self.street_box.addItem(name, (lon, lat))
        self.street_box.currentIndexChanged.connect(self._use_street)
        self.position_box = QLineEdit()
        self.position_box.setPlaceholderText(translate("JointDialogs", "longitude, latitude (empty: not on the map)"))
        self.note_box = QLineEdit()
        hint = QLabel(translate("JointDialogs", "Quantity: people of a team, vehicles, pumps, bags."))
        muted(hint)
        if resource is not None:
            self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(resource.kind.value)))
            self.name_box.setText(resource.name)
            self.quantity_box.setValue(resource.quantity)
            self.status_box.setCurrentIndex(max(0, self.status_box.findData(resource.status.value)))
            self.place_box.setText(resource.place)
            if resource.location is not None:
                self.position_box.setText(f"{resource.location[0]:.5f}, {resource.location[1]:.5f}")
            self.note_box.setText(resource.note)
        self.fields.addRow(translate("JointDialogs", "Kind"), self.kind_box)
        self.fields.addRow(translate("JointDialogs", "Name"), self.name_box)
        self.fields.addRow(translate("JointDialogs", "Quantity"), self.quantity_box)
        self.fields.addRow("", hint)
        self.fields.addRow(translate("JointDialogs", "Unit"), self.unit_box)
        self.fields.addRow(translate("JointDialogs", "Status"), self.status_box)
        self.fields.addRow(translate("JointDialogs", "Place"), self.place_box)
        self.fields.addRow(translate("JointDialogs", "On the map"), self.street_box)
        self.fields.addRow("", self.position_box)
        self.fields.addRow(translate("JointDialogs", "Note"), self.note_box)
        _loading(self, self.units)
        self.name_box.setFocus()

    def _use_street(self, index: int) -> None:
        position = self.street_box.itemData(index)
        if position:
            self.position_box.setText(f"{position[0]:.5f}, {position[1]:.5f}")
            if not self.place_box.text().strip():
                self.place_box.setText(self.street_box.itemText(index))

    def collect(self) -> dict[str, Any]:
        name = self.required(self.name_box, translate("JointDialogs", "Name the resource."))
        unit = self.unit_box.currentData()
        if not unit:
            self.unit_box.setFocus()
            raise ValueError(translate("JointDialogs", "Choose the unit the resource belongs to."))
        try:
            position = parse_position(self.position_box.text(), self.bounds)
        except ValueError:
            self.position_box.setFocus()
            raise
        args: dict[str, Any] = {"id": self.resource.id if self.resource else None, "emergency_id": self.emergency.id,
                                "kind": self.kind_box.currentData(), "name": name,
                                "quantity": self.quantity_box.value(), "unit_id": unit,
                                "status": self.status_box.currentData(), "place": self.place_box.text().strip(),
                                "lon": position[0] if position else None, "lat": position[1] if position else None,
                                "note": self.note_box.text().strip()}
        return args
