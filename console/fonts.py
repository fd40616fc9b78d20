"""The console's font: a shipped Chinese font, so street names never draw as empty boxes.

Street, committee and category names are Chinese in every language of the console, and a
machine may have no CJK font at all (a fresh Linux install, a wall controller). The console
ships a subset of Noto Sans CJK SC (SIL OFL 1.1, `resources/fonts/`, made by
`tools/make_cjk_font.py`: all of GB 2312 and every character of the project's own text) and
makes it the application font, so every machine draws the same glyphs and the same line
heights. A character outside the subset (a rare name typed by an operator) falls back, glyph by
glyph, to whatever font the system has.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
SHIPPED_FONT_FILES = ("NotoSansSC-Regular-subset.otf", "NotoSansSC-Bold-subset.otf")
SHIPPED_FAMILY = "Noto Sans CJK SC"

BASE_POINT_SIZE = 10

_loaded_family: str | None = None


def load_shipped_fonts() -> str | None:
    """Register the shipped font files with Qt (once per process); returns their family.

    None: a file is missing or Qt refused it (logged), and the console runs on system fonts.
    """
    global _loaded_family
    if _loaded_family is not None:
        return _loaded_family
    family: str | None = None
    for name in SHIPPED_FONT_FILES:
        path = FONT_DIR / name
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("cannot load the shipped font %s: Chinese text may show as boxes", path)
            return None
        families = QFontDatabase.applicationFontFamilies(font_id)
        family = family or (families[0] if families else None)
    _loaded_family = family
    return family


def cjk_family() -> str | None:
    """The family the console draws Chinese with: the shipped one, or None if it could not load."""
    return load_shipped_fonts()


def apply_fonts(app: QApplication, scale: float = 1.0) -> str | None:
    """Make the shipped CJK family the application font at `scale` × the base size; returns the family."""
    family = load_shipped_fonts()
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    if family is not None:
        font.setFamilies([family])
    app.setFont(font)
    return family
