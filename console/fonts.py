"""Pick a font that draws Chinese: street names are Chinese in every language of the console.

Without a CJK font Qt draws empty boxes ("tofu"). The first family installed from
`CJK_FAMILIES` becomes the application font; Simplified Chinese variants come first so that
shared characters take their mainland shapes. On Debian/Ubuntu: `apt-get install fonts-noto-cjk`.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
)

BASE_POINT_SIZE = 10


def cjk_family() -> str | None:
    """The first installed family of `CJK_FAMILIES`, or None."""
    installed = set(QFontDatabase.families())
    return next((family for family in CJK_FAMILIES if family in installed), None)


def apply_fonts(app: QApplication, scale: float = 1.0) -> str | None:
    """Make a CJK-capable family the application font at `scale` × the base size; returns the family.

    None: no CJK family is installed (logged once per call).
    """
    family = cjk_family()
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    if family is None:
        log.warning("no CJK font installed: Chinese text may show as boxes (apt-get install fonts-noto-cjk)")
    else:
        font.setFamilies([family])
    app.setFont(font)
    return family
