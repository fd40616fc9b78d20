"""Words of the analysis view and the wall's hot-spot tile (context `Analysis`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from views.analysis.results import HotSpot, Trend

translate = QCoreApplication.translate


def confidence_text(spot: HotSpot) -> str:
    return translate("Analysis", "%1 % confidence").replace("%1", str(spot.confidence))


def ratio_text(spot: HotSpot) -> str:
    ratio = spot.ratio
    return "∞" if ratio == float("inf") else f"{ratio:.1f}×"


def change_text(trend: Trend) -> str:
    if trend.change_pct is None:
        return translate("Analysis", "new")
    return f"{trend.change_pct:+.0f} %"


def direction_text(trend: Trend) -> str:
    """Arrow and word, never the arrow alone; and whether chance explains it."""
    arrow = {"up": "▲", "down": "▼"}.get(trend.direction, "=")
    if trend.direction == "up":
        word = translate("Analysis", "up")
    elif trend.direction == "down":
        word = translate("Analysis", "down")
    else:
        word = translate("Analysis", "same")
    if trend.significant:
        return translate("Analysis", "%1 %2, significant").replace("%1", arrow).replace("%2", word)
    return translate("Analysis", "%1 %2, within chance").replace("%1", arrow).replace("%2", word)


def weeks_text(trend: Trend) -> str:
    """The weeks before, then this week: "12 15 11 13 → 30"."""
    before = " ".join(str(n) for n in trend.weeks[:-1])
    return f"{before} → {trend.weeks[-1]}" if trend.weeks else ""
