"""Text roles of the drill-down, from the theme's tokens (never a literal colour)."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from widgets.theme import color


def tint(widget: QWidget, token: str) -> None:
    """Draw the widget's text in a theme token's colour."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, color(token))
    palette.setColor(QPalette.ColorRole.Text, color(token))
    widget.setPalette(palette)


def muted(widget: QWidget) -> None:
    tint(widget, "text.muted")
