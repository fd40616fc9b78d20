"""Step time limits of the closed loop: which limit runs while a case waits in each status.

Defaults follow the source articles (Haikou's 30-minute response for signing for; the
centre verifies within half a working day and calls back within a working day). While a
unit handles the case only the overall limit runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.directory import Category
from hub.engine.calendar import WorkCalendar
from hub.engine.timers import overall_timer
from protocol import CaseStatus, Timer


@dataclass(frozen=True)
class StepLimit:
    hours: float
    working_time: bool


STEP_LIMITS: dict[CaseStatus, StepLimit] = {
    CaseStatus.RECEIVED: StepLimit(0.5, False),    # register within 30 min
    CaseStatus.REGISTERED: StepLimit(0.5, False),  # dispatch within 30 min
    CaseStatus.DISPATCHED: StepLimit(0.5, False),  # sign for within 30 min
    CaseStatus.FEEDBACK: StepLimit(4.0, True),     # verify within half a working day
    CaseStatus.CLOSED: StepLimit(8.0, True),       # call back within a working day
}


def step_timer(
    status: CaseStatus, start: datetime, calendar: WorkCalendar | None = None, category: Category | None = None
) -> Timer | None:
    """The limit of the step a case enters at `start`; a category may set its own limit to sign for
    and its own thresholds (categories.csv)."""
    limit = STEP_LIMITS.get(status)
    if limit is None:
        return None
    if category is None:
        return overall_timer(start, limit.hours, limit.working_time, calendar)
    if status is CaseStatus.DISPATCHED and category.sign_limit_minutes is not None:
        limit = StepLimit(category.sign_limit_minutes / 60, False)
    return overall_timer(start, limit.hours, limit.working_time, calendar, category.thresholds)
