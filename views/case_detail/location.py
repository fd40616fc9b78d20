"""The case's place on a small map: the district, its street's approximate area, its grid, the point.

Street areas and grids are the project's approximations (resources/data/SOURCES.md), so the
map says "approximate areas" on itself and credits the boundary's source.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from protocol.events import Case
from views.case_detail.geo import BOUNDARY_SOURCE, district, grid_cell
from widgets.district_map import DistrictMap

translate = QCoreApplication.translate


class CaseMap(DistrictMap):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case.map")

    def set_case(self, case: Case, language: str) -> None:
        shapes = district()
        seed = shapes.seeds.get(case.street_code)
        label = case.street_name or (seed.name if seed else "")
        caption = translate("CaseMap", "Approximate areas · boundary: %1").replace("%1", BOUNDARY_SOURCE)
        self.set_shapes(shapes.rings, area=shapes.street_area(case.street_code), cell=grid_cell(case.grid_id),
                        point=(case.lon, case.lat), area_label=label, caption=caption)
        self.setToolTip(translate("CaseMap", "%1 (approximate area) · %2, %3").replace("%1", label)
                        .replace("%2", f"{case.lon:.5f}").replace("%3", f"{case.lat:.5f}"))
