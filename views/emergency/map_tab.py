"""The room's "Map" tab: the chosen emergency's area on the district, the grids it touches, the open cases
inside it by level, and the response's resources where they are.

    tab = EmergencyMapTab()
    tab.show_emergency(store, emergency, markers=[MapMarker(lon, lat, "Pump trucks ×4")], resources=5,
                       linked=57)   # cheap when nothing changed; deferred while hidden

The shapes are the hub's (`geography`, see `views.case_detail.geo`); the map credits the
boundary's source and says when street areas are approximate, on itself, like the case's map.
Cases are drawn in their timer level's colour and shape (never colour alone), with a legend and
the counts in words above the map: open cases inside the area by level, and the cases the hub
linked to the response (received inside its area while it was active).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from backend_client.store import CaseStore
from protocol.emergency import Emergency
from protocol.events import Case
from views.case_detail.geo import district_of
from views.emergency.area import AreaShapes, area_shapes, open_cases_inside
from views.emergency.texts import LEVEL_SHAPE
from views.models.labels import QT_TRANSLATE_NOOP, level_text
from widgets.district_map import DistrictMap, LegendEntry, MapMarker, MapPoint
from widgets.theme import SLA_LEVELS

translate = QCoreApplication.translate

COLOUR: dict[str, str] = {
    "red": QT_TRANSLATE_NOOP("EmergencyMap", "red"),
    "orange": QT_TRANSLATE_NOOP("EmergencyMap", "orange"),
    "yellow": QT_TRANSLATE_NOOP("EmergencyMap", "yellow"),
    "blue": QT_TRANSLATE_NOOP("EmergencyMap", "blue"),
}


def counts_text(inside: Sequence[Case], *, linked: int | None, placed: int, resources: int) -> str:
    """`42 open cases inside the area (■ red 3 · ▲ orange 5 · ◆ yellow 10 · ● blue 24) · 57 cases linked …`"""
    by_level = {level: sum(1 for c in inside if c.level.value == level) for level in SLA_LEVELS}
    levels = " · ".join(f"{LEVEL_SHAPE[level]} {translate('EmergencyMap', COLOUR[level])} {by_level[level]}"
                        for level in reversed(SLA_LEVELS))
    parts = [translate("EmergencyMap", "%1 open cases inside the area (%2)").replace("%1", str(len(inside)))
             .replace("%2", levels)]
    if linked is not None:
        parts.append(translate("EmergencyMap", "%1 cases linked to the response").replace("%1", str(linked)))
    if resources:
        parts.append(translate("EmergencyMap", "%1 of %2 resources placed on the map")
                     .replace("%1", str(placed)).replace("%2", str(resources)))
    return " · ".join(parts)


class EmergencyMapTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("room.map_tab")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.counts = QLabel()
        self.counts.setObjectName("room.map_counts")
        self.counts.setWordWrap(True)
        self.map = DistrictMap()
        self.map.setObjectName("room.map")
        layout.addWidget(self.counts)
        layout.addWidget(self.map, 1)
        self.shapes: AreaShapes | None = None
        """The area last drawn (None: no emergency or no map yet)."""
        self.inside: list[Case] = []
        """The open cases inside the area, as last drawn."""
        self._pending: tuple[CaseStore, Emergency | None, list[MapMarker], int, int | None] | None = None
        self._drawn: tuple[object, ...] | None = None

    def show_emergency(self, store: CaseStore, emergency: Emergency | None, *, markers: Sequence[MapMarker] = (),
                       resources: int = 0, linked: int | None = None) -> None:
        """Draw `emergency` (None: the district alone) once something it shows changed; while the tab
        is hidden, only remember it (a pass over every case costs a few milliseconds).

        `markers` are the response's resources that have a place on the map, of `resources` in all;
        `linked` the cases the hub linked to the response (None: not known)."""
        self._pending = (store, emergency, list(markers), resources, linked)
        if self.isVisible():
            self._draw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._draw()

    def _draw(self) -> None:
        if self._pending is None:
            return
        store, emergency, markers, resources, linked = self._pending
        geography = store.geography
        key = (id(store), emergency, store.last_seq, geography.version if geography else None, markers, resources,
               linked)
        if key == self._drawn:
            return
        self._drawn = key
        if geography is None:  # a console started from its cache, before the hub answered
            self.shapes, self.inside = None, []
            self.map.set_shapes([], caption=translate("EmergencyMap", "The district's map comes with the hub's answer"))
            self.counts.setText("")
            return
        district = district_of(geography)
        caption = (translate("EmergencyMap", "Approximate areas · boundary: %1") if district.approximate
                   else translate("EmergencyMap", "Boundary: %1")).replace("%1", district.source)
        outlines = [s.area for s in district.streets.values() if s.area]
        if emergency is None:
            self.shapes, self.inside = None, []
            self.map.set_shapes(district.rings, outlines=outlines, caption=caption)
            self.counts.setText(translate("EmergencyMap", "No emergency chosen: the district alone."))
            return
        self.shapes = shapes = area_shapes(emergency.area, geography)
        self.inside = open_cases_inside(store.cases(), shapes, exercise=emergency.exercise)
        area_word = (translate("EmergencyMap", "Emergency area: the whole district") if shapes.whole_district
                     else translate("EmergencyMap", "Emergency area"))
        legend = [LegendEntry("area", area_word),
                  LegendEntry("cell", translate("EmergencyMap", "Grid in the area (%1)")
                              .replace("%1", str(len(shapes.grid_ids))))]
        legend += [LegendEntry(level, level_text(level)) for level in SLA_LEVELS]
        if markers:
            legend.append(LegendEntry("marker", translate("EmergencyMap", "Resource (name × quantity)")))
        cells = [district.grids[g] for g in shapes.grid_ids if g in district.grids]
        self.map.set_shapes(
            district.rings, areas=shapes.rings if not shapes.whole_district else district.rings,
            cells=cells, outlines=outlines,
            points=[MapPoint(c.lon, c.lat, c.level.value, c.serial) for c in self.inside],
            markers=markers, legend=legend, caption=caption)
        self.counts.setText(counts_text(self.inside, linked=linked, placed=len(markers), resources=resources))
