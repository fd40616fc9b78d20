"""The wall's map on made-up geography: it draws, keeps its caption, pulses stop, bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from widgets.theme import SLA_LEVELS, color, sla_fill
from widgets.wall_map import MapArea, WallMap, ramp_colours

BOUNDARY = [[(121.30, 31.00), (121.50, 31.00), (121.50, 31.20), (121.30, 31.20)]]
STREETS = [MapArea("W", "West street", [[(121.30, 31.00), (121.40, 31.00), (121.40, 31.20), (121.30, 31.20)]]),
           MapArea("E", "East street", [[(121.40, 31.00), (121.55, 31.00), (121.55, 31.20), (121.40, 31.20)]])]
GRIDS = [MapArea(f"G{x}-{y}", "", [[(x / 100, y / 100), ((x + 1) / 100, y / 100), ((x + 1) / 100, (y + 1) / 100),
                                    (x / 100, (y + 1) / 100)]], "grid", False)
         for x in range(12130, 12150) for y in range(3100, 3120)]
CREDIT = "Boundary: test data"
NOTE = "Areas are approximate"
# one point per level, far apart, clear of the names (which sit at the streets' centres)
LON = np.array([121.33, 121.37, 121.43, 121.47])
LAT = np.array([31.04, 31.16, 31.04, 31.16])
LEVELS = np.array([0, 1, 2, 3])


def _map(qtbot: QtBot) -> WallMap:
    wall_map = WallMap()
    qtbot.addWidget(wall_map)
    wall_map.resize(900, 700)
    wall_map.set_scale(1.0)
    wall_map.set_geography(BOUNDARY, [*STREETS, *GRIDS], credit=CREDIT, approximate_note=NOTE)
    wall_map.show()
    qtbot.waitExposed(wall_map)
    return wall_map


def _colours_near(image: QImage, centre: QPoint, reach: int) -> set[str]:
    return {QColor(image.pixel(x, y)).name()
            for x in range(centre.x() - reach, centre.x() + reach + 1)
            for y in range(centre.y() - reach, centre.y() + reach + 1)
            if 0 <= x < image.width() and 0 <= y < image.height()}


def test_points_show_their_level_colour_where_they_are(qtbot: QtBot) -> None:
    wall_map = _map(qtbot)
    wall_map.set_choropleth({"G12131-3101": 3, "G12145-3115": 9, "W": 1}, title="Open cases")
    wall_map.set_points(LON, LAT, LEVELS)
    assert wall_map.point_counts == (1, 1, 1, 1)
    image = wall_map.grab().toImage()
    for lon, lat, level in zip(LON, LAT, LEVELS, strict=True):
        centre = wall_map.map_to_widget(float(lon), float(lat)).toPoint()
        assert sla_fill(SLA_LEVELS[level]).name() in _colours_near(image, centre, 3), SLA_LEVELS[level]
    # the choropleth's darkest and brightest steps are on the map, not the level colours
    ramp = {c.name() for c in ramp_colours()}
    seen = {QColor(image.pixel(x, y)).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert ramp_colours()[-1].name() in seen and len(ramp & seen) >= 2


def test_the_credit_and_the_note_are_painted_inside_the_map(qtbot: QtBot) -> None:
    wall_map = _map(qtbot)
    wall_map.set_points(LON, LAT, LEVELS)
    assert (wall_map.credit, wall_map.approximate_note) == (CREDIT, NOTE)
    assert CREDIT in wall_map.accessibleDescription() and NOTE in wall_map.accessibleDescription()
    image = wall_map.grab().toImage()
    background = color("surface.sunken").name()
    # the caption's two lines, bottom left: text pixels in the muted text colour's family
    caption = {QColor(image.pixel(x, y)).name() for x in range(4, 200) for y in range(image.height() - 60,
                                                                                      image.height() - 2)}
    assert len(caption - {background}) > 5
    without = WallMap()
    qtbot.addWidget(without)
    without.resize(900, 700)
    without.set_scale(1.0)
    without.set_geography(BOUNDARY, [*STREETS, *GRIDS], credit="", approximate_note="")
    without.show()
    qtbot.waitExposed(without)
    bare = without.grab().toImage()
    bare_caption = {QColor(bare.pixel(x, y)).name() for x in range(4, 200) for y in range(bare.height() - 60,
                                                                                          bare.height() - 2)}
    assert len(bare_caption) < len(caption)


def test_a_pulse_ends_by_itself(qtbot: QtBot) -> None:
    wall_map = _map(qtbot)
    wall_map.pulse(121.40, 31.10, 3)
    wall_map.pulse(121.35, 31.05, 2)
    assert wall_map.pulses_running == 2
    qtbot.waitUntil(lambda: wall_map.pulses_running == 0, timeout=6000)
    assert not wall_map._pulse_timer.isActive()


def test_bad_input_is_refused_or_ignored_as_documented(qtbot: QtBot) -> None:
    wall_map = _map(qtbot)
    with pytest.raises(ValueError, match="one length"):
        wall_map.set_points(LON, LAT[:2], LEVELS)
    with pytest.raises(ValueError, match=r"0\.\.3"):
        wall_map.set_points(LON, LAT, np.array([0, 1, 2, 4]))
    with pytest.raises(ValueError, match="finite and >= 0"):
        wall_map.set_choropleth({"W": -1.0}, title="x")
    with pytest.raises(ValueError, match=r"0\.\.3"):
        wall_map.pulse(121.4, 31.1, 7)
    with pytest.raises(ValueError, match="kind"):
        wall_map.set_geography(BOUNDARY, [MapArea("X", "x", BOUNDARY, "county")], credit="", approximate_note="")
    # an id the map does not know is ignored and reported; the others are drawn
    wall_map.set_choropleth({"G12131-3101": 2, "nowhere": 5}, title="Open cases")
    assert wall_map.unknown_ids == ["nowhere"]
    # a case without a location is skipped
    wall_map.set_points(np.array([121.33, np.nan]), np.array([31.04, 31.1]), np.array([3, 3]))
    assert wall_map.point_counts == (0, 0, 0, 1)


def test_the_wall_map_is_read_only(qtbot: QtBot) -> None:
    wall_map = _map(qtbot)
    before = wall_map._box.viewRange()
    qtbot.mouseClick(wall_map._view.viewport(), Qt.MouseButton.RightButton)
    assert not wall_map._view.isInteractive()
    assert wall_map._box.state["mouseEnabled"] == [False, False]
    assert wall_map._box.viewRange() == before


def test_after_updates_and_pulses_the_wall_shows_what_a_full_repaint_shows(qtbot: QtBot,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Updates and pulses repaint only parts of the map: nothing stale may be left on the wall
    (no torn glyph along a repainted edge, no arc of a finished pulse, no old legend range)."""
    monkeypatch.setattr("widgets.wall_map.PULSE_S", 0.6)
    wall_map = _map(qtbot)
    frames = [0]

    class Frames(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                frames[0] += 1
            return False

    counter = Frames()
    wall_map._view.viewport().installEventFilter(counter)
    rng = np.random.default_rng(3)

    def shown() -> QImage:
        screen = wall_map.screen()
        return screen.grabWindow(wall_map.winId()).toImage().convertToFormat(QImage.Format.Format_RGB32)

    for n in range(4):
        before = frames[0]
        cells = {f"G{x}-{y}": float(rng.integers(0, 9)) for x in range(12130, 12150, 3) for y in range(3100, 3120, 2)}
        wall_map.set_choropleth(cells, title="Open cases")
        lon, lat = rng.uniform(121.30, 121.50, 400), rng.uniform(31.00, 31.20, 400)
        wall_map.set_points(lon, lat, rng.integers(0, 4, 400))
        wall_map.pulse(float(lon[n]), float(lat[n]), n % 4)
        qtbot.waitUntil(lambda before=before: frames[0] > before)
    qtbot.waitUntil(lambda: wall_map.pulses_running == 0, timeout=5000)
    QApplication.sendPostedEvents()  # the frame that clears the last pulse, if it is still to come
    QApplication.processEvents()
    after_updates = shown()
    wall_map._view.viewport().repaint()
    assert after_updates == shown()
