"""The case's place on a small map: the district, its street's area, its grid, the point.

The shapes are the hub's (`geography`). When the hub says its street areas are approximate the
map says so on itself, and it always credits the boundary's source.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from protocol import Geography
from protocol.events import Case
from views.case_detail.geo import district_of
from widgets.district_map import DistrictMap

translate = QCoreApplication.translate


class CaseMap(DistrictMap):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case.map")

    def set_case(self, case: Case, language: str, geography: Geography | None) -> None:
        if geography is None:  # a console started from its cache, before the hub answered
            self.set_shapes([], point=(case.lon, case.lat), area_label=case.street_name,
                            caption=translate("CaseMap", "The district's map comes with the hub's answer"))
            return
        shapes = district_of(geography)
        street = shapes.streets.get(case.street_code)
        label = case.street_name or (street.name if street else "")
        caption = (translate("CaseMap", "Approximate areas · boundary: %1") if shapes.approximate
                   else translate("CaseMap", "Boundary: %1")).replace("%1", shapes.source)
        self.set_shapes(shapes.rings, area=shapes.street_area(case.street_code), cell=shapes.grid_cell(case.grid_id),
                        point=(case.lon, case.lat), area_label=label, caption=caption)
        self.setToolTip(translate("CaseMap", "%1 (approximate area) · %2, %3").replace("%1", label)
                        .replace("%2", f"{case.lon:.5f}").replace("%3", f"{case.lat:.5f}"))
