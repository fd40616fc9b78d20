"""Semantic colour tokens of the control-room themes (dark and light), and the QPalette + QSS they feed.

Calm by default (ISA-101): a low-contrast grey base, text that reads at a distance, and
colour only for what is abnormal. Blue, yellow, orange and red are the case timer levels
and nothing else uses them; connection states use `ok` (green), `warn` (violet) and
`danger` (magenta), which no timer level uses either. Always pair a colour with a shape or
a word (see `sla_glyph.py`).

Contrast (WCAG) on `surface`: dark `text` 11.6:1, `text.muted` 5.6:1; light `text` 13.0:1,
`text.muted` 5.9:1; in both themes every text token stays at or above 4.5:1 even on
`surface.raised` (checked by `tests/widgets/test_gallery.py`). The wall always uses the dark one.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

DARK: dict[str, str] = {
    "surface": "#1c2024",
    "surface.alt": "#22272c",
    "surface.raised": "#2a3036",
    "surface.sunken": "#16191c",
    "border": "#3a4249",
    "text": "#d5dade",
    "text.muted": "#8f98a0",
    "text.disabled": "#5f676e",
    "accent": "#7fb0a8",
    "selection": "#3b4c5a",
    "sla.blue": "#5b9bdc",
    "sla.yellow": "#e6c229",
    "sla.orange": "#f28b30",
    "sla.red": "#ff6b6f",
    "ok": "#5fb27e",
    "warn": "#b993de",
    "danger": "#ff6bb0",
    "glyph.outline": "#16191c",
}
"""The night shift's and the wall's theme: dark grey base, light text."""

LIGHT: dict[str, str] = {
    "surface": "#e6e9ec",
    "surface.alt": "#eef0f2",
    "surface.raised": "#dde1e5",
    "surface.sunken": "#f7f8f9",
    "border": "#b4bbc2",
    "text": "#1d2329",
    "text.muted": "#4f5962",
    "text.disabled": "#8d959c",
    "accent": "#2a6259",
    "selection": "#bcd0e0",
    "sla.blue": "#1b5aa3",
    "sla.yellow": "#735600",
    "sla.orange": "#994300",
    "sla.red": "#b3261e",
    "ok": "#28653a",
    "warn": "#6a3fa0",
    "danger": "#a3206a",
    # Text in a level's colour must read on a light surface (dark tones, above); the shapes
    # are filled with the bright tones people know, outlined dark so yellow holds on white.
    "sla.blue.fill": "#3b86d6",
    "sla.yellow.fill": "#f2c200",
    "sla.orange.fill": "#f07f1a",
    "sla.red.fill": "#e8453c",
    "glyph.outline": "#2a3036",
}
"""The day shift's theme: light grey base, dark text; the same tokens, the same meanings."""

THEMES: dict[str, dict[str, str]] = {"dark": DARK, "light": LIGHT}

TOKENS: dict[str, str] = dict(DARK)
"""Token → colour of the theme in use. Code asks for a token (`color("sla.red")`), never for a
literal colour; `use_theme()` swaps the values in place, so every later lookup gets the new ones."""

SLA_LEVELS = ("blue", "yellow", "orange", "red")
"""Case timer levels in rising order: in time, past 50 %, past 80 %, overdue."""


def color(token: str) -> QColor:
    """The colour of a token; a KeyError names an unknown one (no silent fallback)."""
    return QColor(TOKENS[token])


def sla_color(level: str | None) -> QColor:
    """Colour of a timer level for text and lines; `text.muted` when there is no level (no timer, case closed)."""
    return color(f"sla.{level}") if level in SLA_LEVELS else color("text.muted")


def sla_fill(level: str) -> QColor:
    """Colour a level's shape is filled with (the text colour unless the theme gives a brighter one)."""
    return QColor(TOKENS.get(f"sla.{level}.fill", TOKENS[f"sla.{level}"]))


def use_theme(name: str) -> None:
    """Make `name` ("dark" or "light") the theme of every later `color()`; a ValueError names an unknown one."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; the console has {', '.join(THEMES)}")
    TOKENS.clear()
    TOKENS.update(THEMES[name])


def theme_name() -> str:
    """The theme in use."""
    return next((name for name, tokens in THEMES.items() if tokens == TOKENS), "dark")


def palette() -> QPalette:
    """A QPalette built from the tokens of the theme in use."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "surface",
        QPalette.ColorRole.WindowText: "text",
        QPalette.ColorRole.Base: "surface.sunken",
        QPalette.ColorRole.AlternateBase: "surface.alt",
        QPalette.ColorRole.ToolTipBase: "surface.raised",
        QPalette.ColorRole.ToolTipText: "text",
        QPalette.ColorRole.PlaceholderText: "text.muted",
        QPalette.ColorRole.Text: "text",
        QPalette.ColorRole.Button: "surface.raised",
        QPalette.ColorRole.ButtonText: "text",
        QPalette.ColorRole.BrightText: "text",
        QPalette.ColorRole.Highlight: "selection",
        QPalette.ColorRole.HighlightedText: "text",
        QPalette.ColorRole.Link: "accent",
        QPalette.ColorRole.Mid: "border",
        QPalette.ColorRole.Dark: "surface.sunken",
        QPalette.ColorRole.Light: "surface.raised",
    }
    for role, token in roles.items():
        pal.setColor(role, color(token))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, color("text.disabled"))
    return pal


def stylesheet() -> str:
    """QSS for what the palette alone does not reach (headers, status bar, docks)."""
    t = TOKENS
    return f"""
QToolTip {{ background: {t["surface.raised"]}; color: {t["text"]}; border: 1px solid {t["border"]}; }}
QHeaderView::section {{
    background: {t["surface.raised"]}; color: {t["text.muted"]};
    border: none; border-right: 1px solid {t["border"]}; border-bottom: 1px solid {t["border"]};
    padding: 4px 8px;
}}
QTableView {{
    gridline-color: {t["surface.alt"]}; border: none;
    selection-background-color: {t["selection"]}; selection-color: {t["text"]};
}}
QTableView:focus {{ border: 1px solid {t["accent"]}; }}
QStatusBar {{
    background: {t["surface.sunken"]}; color: {t["text.muted"]}; border-top: 1px solid {t["border"]};
}}
QStatusBar::item {{ border: none; }}
QStatusBar QLabel {{ color: {t["text.muted"]}; padding: 0 8px; }}
QDockWidget {{ color: {t["text.muted"]}; }}
QDockWidget::title {{ background: {t["surface.raised"]}; padding: 4px 8px; text-align: left; }}
QScrollBar:vertical {{ background: {t["surface"]}; width: 12px; }}
QScrollBar::handle:vertical {{
    background: {t["border"]}; min-height: 24px; border-radius: 4px; margin: 2px;
}}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
"""


def apply_theme(app: QApplication, name: str = "dark") -> None:
    """Give the whole application a theme (Fusion style, token palette, QSS); dark by default."""
    use_theme(name)
    app.setStyle("Fusion")
    app.setPalette(palette())
    app.setStyleSheet(stylesheet())
