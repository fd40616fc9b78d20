"""Display values of one case row, prepared once per change so that `data()` only looks up.

The countdown is the one value that moves with the clock: a row keeps its thresholds as
epoch seconds, and `TimeLeft` turns "seconds left" into text through a small cache (the
text changes once a minute), so a repaint of every visible row costs a few dict lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from backend_client.store.queues import awaits_call_back
from protocol.enums import OPEN_STATUSES
from protocol.events import Case
from views.models.labels import QT_TRANSLATE_NOOP, channel_text, status_text

CENTRE_ZONE = ZoneInfo("Asia/Shanghai")
"""Screens show the centre's zone; the wire is UTC."""

NO_VALUE = "—"


def local_text(moment: datetime, zone: ZoneInfo = CENTRE_ZONE) -> str:
    """`MM-dd HH:mm`, 24-hour clock, in the centre's zone.

    >>> from datetime import UTC
    >>> local_text(datetime(2026, 11, 24, 16, 5, tzinfo=UTC))
    '11-25 00:05'
    """
    local = moment.astimezone(zone)  # formatted by hand: strftime() costs an import-hook round trip per call
    return f"{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def _level_at(now: float, due: float | None, orange: float | None, yellow: float | None) -> str | None:
    if due is None:
        return None
    if now >= due:
        return "red"
    if orange is not None and now >= orange:
        return "orange"
    if yellow is not None and now >= yellow:
        return "yellow"
    return "blue"


@dataclass(frozen=True, slots=True)
class CaseRow:
    """What the table shows of one case, with the thresholds its countdowns need."""

    texts: tuple[str, ...]
    """Display text of the columns before the countdowns, in column order."""
    description: str
    open: bool
    urgent: bool
    due: float | None
    """Overall limit: epoch seconds of `due_at`, `orange_at`, `yellow_at` (None without a timer)."""
    orange: float | None
    yellow: float | None
    due_text: str
    step_due: float | None = None
    """The current step's limit, the same way; also while a closed case awaits its call-back."""
    step_orange: float | None = None
    step_yellow: float | None = None
    step_due_text: str = ""

    def level(self, now: float) -> str | None:
        """Overall timer level at `now` (epoch seconds); None once closed or without a timer."""
        return _level_at(now, self.due, self.orange, self.yellow) if self.open else None

    def step_level(self, now: float) -> str | None:
        """The step's timer level at `now`; None without a step limit."""
        return _level_at(now, self.step_due, self.step_orange, self.step_yellow)


def prepare(case: Case, language: str, zone: ZoneInfo = CENTRE_ZONE) -> CaseRow:
    """Format every static cell of `case` once (called when the case arrives or changes)."""
    category = case.category_zh if language.startswith("zh") else case.category_en
    texts = (
        case.serial,
        local_text(case.received_at, zone),
        category or case.category_code,
        case.street_name,
        channel_text(case.channel),
        status_text(case.status),
    )
    timer = case.overall
    is_open = case.status in OPEN_STATUSES
    step = case.step if is_open or awaits_call_back(case) else None
    return CaseRow(
        texts=texts,
        description=case.description,
        open=is_open,
        urgent=case.urgent,
        due=timer.due_at.timestamp() if timer is not None else None,
        orange=timer.orange_at.timestamp() if timer is not None else None,
        yellow=timer.yellow_at.timestamp() if timer is not None else None,
        due_text=local_text(timer.due_at, zone) if timer is not None else "",
        step_due=step.due_at.timestamp() if step is not None else None,
        step_orange=step.orange_at.timestamp() if step is not None else None,
        step_yellow=step.yellow_at.timestamp() if step is not None else None,
        step_due_text=local_text(step.due_at, zone) if step is not None else "",
    )


_SPAN_DAYS = QT_TRANSLATE_NOOP("TimeLeft", "%1 d %2 h")
_SPAN_HOURS = QT_TRANSLATE_NOOP("TimeLeft", "%1 h %2 min")
_SPAN_MINUTES = QT_TRANSLATE_NOOP("TimeLeft", "%1 min")
_SPAN_UNDER_A_MINUTE = QT_TRANSLATE_NOOP("TimeLeft", "<1 min")
_OVERDUE = QT_TRANSLATE_NOOP("TimeLeft", "Overdue %1")
_DUE_AT = QT_TRANSLATE_NOOP("TimeLeft", "Due %1")


translate = QCoreApplication.translate
def _tr(source: str) -> str:
    return QCoreApplication.translate("TimeLeft", source)


class TimeLeft:
    """Countdown texts ("3 h 12 min", "Overdue 12 min") in the installed language, cached."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}
        self.retranslate()

    def retranslate(self) -> None:
        """Read the templates again (after the language changed)."""
        self._days, self._hours, self._minutes = _tr(_SPAN_DAYS), _tr(_SPAN_HOURS), _tr(_SPAN_MINUTES)
        self._under, self._overdue, self._due_at = _tr(_SPAN_UNDER_A_MINUTE), _tr(_OVERDUE), _tr(_DUE_AT)
        self._cache.clear()

    def span(self, minutes: int) -> str:
        """A duration of whole minutes, the two largest units only.

        >>> TimeLeft().span(192), TimeLeft().span(65), TimeLeft().span(3 * 1440 + 125), TimeLeft().span(7)
        ('3 h 12 min', '1 h 05 min', '3 d 2 h', '7 min')
        """
        if minutes <= 0:
            return self._under
        if minutes >= 1440:
            days, rest = divmod(minutes, 1440)
            return self._days.replace("%1", str(days)).replace("%2", str(rest // 60))
        if minutes >= 60:
            hours, rest = divmod(minutes, 60)
            return self._hours.replace("%1", str(hours)).replace("%2", f"{rest:02d}")
        return self._minutes.replace("%1", str(minutes))

    def text(self, seconds_left: float) -> str:
        """Countdown text: time left, or how long overdue from `due_at` on (whole minutes, rounded down)."""
        minutes = int(seconds_left // 60) if seconds_left > 0 else -int(-seconds_left // 60) - 1
        cached = self._cache.get(minutes)
        if cached is None:
            overdue = minutes < 0
            cached = self._overdue.replace("%1", self.span(-minutes - 1)) if overdue else self.span(minutes)
            if len(self._cache) > 20_000:  # bounded: minutes seen stay few in practice
                self._cache.clear()
            self._cache[minutes] = cached
        return cached

    def due_text(self, local_due: str) -> str:
        return self._due_at.replace("%1", local_due)
