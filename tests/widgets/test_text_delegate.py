"""Plain cells are painted from texts laid out once: what shows must still follow the text, width and font."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from widgets.text_delegate import draw_elided, laid_out


def painted(text: str, width: int, bold: bool = False) -> QImage:
    image = QImage(width, 24, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    font = QFont(QApplication.font())
    font.setBold(bold)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    draw_elided(painter, QRect(0, 0, width, 24), text)
    painter.end()
    return image


def inked_columns(image: QImage) -> int:
    """How far right the text reaches (the last column with a dark pixel)."""
    last = -1
    for x in range(image.width()):
        if any(QColor(image.pixel(x, y)).lightness() < 128 for y in range(image.height())):
            last = x
    return last


def test_a_text_laid_out_once_still_shows_what_each_cell_says(qapp: QApplication) -> None:
    first, again, other = painted("fallen overhead cable", 200), painted("fallen overhead cable", 200), \
        painted("gas manhole cover", 200)
    assert first == again
    assert first != other


def test_a_text_too_long_for_its_cell_is_elided_and_fits(qapp: QApplication) -> None:
    long_text = "gas manhole cover - abnormal (damaged/missing/defective)"
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    static, _height = laid_out(painter, 80, long_text)
    painter.end()
    assert static.text().endswith("…") and len(static.text()) < len(long_text)
    assert inked_columns(painted(long_text, 80)) < 80
    assert inked_columns(painted(long_text, 600)) > inked_columns(painted(long_text, 80))


def test_the_same_text_in_bold_is_laid_out_in_bold(qapp: QApplication) -> None:
    plain, bold = painted("MH2026-000123", 200), painted("MH2026-000123", 200, bold=True)
    assert plain != bold
    assert inked_columns(bold) > inked_columns(plain)
    assert painted("MH2026-000123", 200) == plain, "the plain layout is not replaced by the bold one"
