"""Item data roles of the case models: plain values for delegates and for tests.

Delegates in `widgets/` receive these numbers as arguments; they never import this module.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

_USER = int(Qt.ItemDataRole.UserRole)

CASE_ID_ROLE = _USER + 1
"""str: the case's id (every column)."""
SLA_LEVEL_ROLE = _USER + 2
"""str | None: timer level now, "blue" | "yellow" | "orange" | "red"; None without a timer or once closed."""
SECONDS_LEFT_ROLE = _USER + 3
"""float | None: seconds until the overall limit's `due_at` (negative once overdue)."""
URGENT_ROLE = _USER + 4
"""bool: the request was marked urgent at intake."""
CELL_ROLE = _USER + 5
"""tuple[str, QBrush | None, QFont | None]: the display text, foreground and font of a plain cell in one
call (a repaint asks it of a few hundred cells ten times a second; three calls into Python cost three times)."""
