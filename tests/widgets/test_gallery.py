"""Every gallery sample shows alone, fits a wall tile and draws something."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from widgets.gallery import SAMPLES, gallery
from widgets.sla_badge import SlaBadge
from widgets.sla_glyph import SHAPES
from widgets.theme import SLA_LEVELS, THEMES, TOKENS, sla_color, sla_fill, use_theme

WALL_TILE = QSize(800, 700)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_shows_and_grabs(qtbot: QtBot, name: str) -> None:
    widget = SAMPLES[name]()
    qtbot.addWidget(widget)
    widget.show()
    assert widget.minimumSizeHint().width() <= WALL_TILE.width()
    image = widget.grab().toImage()
    assert not image.isNull()
    pixels = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(pixels) > 1, "the sample draws something besides its background"


def test_the_gallery_holds_every_sample(qtbot: QtBot) -> None:
    window = gallery()
    qtbot.addWidget(window)
    assert window.layout().count() == 2 * len(SAMPLES)


def test_each_level_has_its_own_shape_and_colour() -> None:
    assert set(SHAPES) == set(SLA_LEVELS) and len(set(SHAPES.values())) == len(SLA_LEVELS)
    assert len({sla_color(level).name() for level in SLA_LEVELS}) == len(SLA_LEVELS)


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    colour = QColor(hex_colour)
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


TEXT_TOKENS = ["text", "text.muted", "accent", "ok", "warn", "danger", *(f"sla.{x}" for x in SLA_LEVELS)]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("token", TEXT_TOKENS)
def test_text_tokens_read_on_the_surface(theme: str, token: str) -> None:
    """WCAG AA for normal text (4.5:1) against the darkest and the lightest surface, in both themes."""
    tokens = THEMES[theme]
    for surface in ("surface.sunken", "surface.raised", "surface", "surface.alt"):
        assert _contrast(tokens[token], tokens[surface]) >= 4.5, (theme, token, surface)


def test_both_themes_have_the_same_tokens_and_the_level_shapes_stand_out_from_the_table() -> None:
    assert set(THEMES["dark"]) <= set(THEMES["light"])
    for theme in THEMES:
        use_theme(theme)
        try:
            fills = {sla_fill(level).name() for level in SLA_LEVELS}
            assert len(fills) == len(SLA_LEVELS), theme
            for level in SLA_LEVELS:  # a shape's outline holds against its fill (3:1, graphics)
                assert _contrast(sla_fill(level).name(), TOKENS["glyph.outline"]) >= 3.0, (theme, level)
        finally:
            use_theme("dark")
    with pytest.raises(ValueError, match="unknown theme"):
        use_theme("sepia")


def test_a_badge_rejects_an_unknown_level(qtbot: QtBot) -> None:
    badge = SlaBadge("red", "Overdue 1 min")
    qtbot.addWidget(badge)
    with pytest.raises(ValueError, match="unknown timer level"):
        badge.set_state("green", "")
    assert badge.accessibleName() == "Overdue 1 min"
