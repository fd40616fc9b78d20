"""How a simulated case moves along the closed loop, so a demo's timers and pools come alive.

Most cases close well within their limit; some stall long enough to turn their timer yellow,
orange or red (so supervisors have something to remind, urge and supervise), a few are stuck
in handling and never close on their own, and a few are rejected or merged at registration.
Units sign for and handle ordinary cases in the daytime (08:00–20:00 local), which is why a
request phoned in at midnight sits untouched until morning; urgent ones are worked round the clock.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import NamedTuple

from hub.directory import Category
from hub.simulator.curves import CENTRE_TZ
from protocol.enums import CaseStatus

WORKING_HOURS_PER_DAY = 8
"""A working-hour limit spans 24/8 calendar hours (as the hub's timers count it for now)."""

DAY_START, DAY_END = 8, 20
"""Local hours in which units sign for and handle non-urgent cases."""

REJECTED_SHARE = 0.03
MERGED_SHARE = 0.05
STUCK_SHARE = 0.02
STALL_BANDS: tuple[tuple[float, float, float], ...] = (
    (0.72, 0.15, 0.48),  # closed in time: timer stays blue
    (0.13, 0.50, 0.79),  # yellow before it closes
    (0.08, 0.80, 0.99),  # orange
    (0.05, 1.01, 1.50),  # red: overdue, then closed late
)
"""(share, lowest, highest fraction of the overall limit at which the case closes)."""


class Step(NamedTuple):
    """One planned status change, `delay_s` seconds after the previous one (or the receipt)."""

    delay_s: float
    status: CaseStatus


def limit_seconds(category: Category | None) -> float:
    """The overall limit in calendar seconds (24 h when the category is unknown)."""
    if category is None:
        return 24 * 3600.0
    factor = 24 / WORKING_HOURS_PER_DAY if category.working_time else 1.0
    return category.overall_limit_hours * factor * 3600


def _in_daytime(moment: datetime) -> datetime:
    """`moment`, or the next 08:00 local (plus a few minutes' slack) if units are off duty."""
    local = moment.astimezone(CENTRE_TZ)
    if DAY_START <= local.hour < DAY_END:
        return moment
    morning = local.replace(hour=DAY_START, minute=0, second=0, microsecond=0)
    if local.hour >= DAY_END:
        morning += timedelta(days=1)
    return morning.astimezone(moment.tzinfo)


def next_steps(
    received_at: datetime,
    seed: int | str,
    category: Category | None = None,
    urgent: bool = False,
) -> list[Step]:
    """The planned path of one case after its receipt; the same inputs give the same plan.

    Each `delay_s` counts from the step before (the first from `received_at`) and is positive,
    so a driver walks the list adding delays. Pass the case's serial or id as `seed`, and its
    category and urgency so stalls are measured against the limit its timer really has.
    """
    if received_at.tzinfo is None:
        raise ValueError("received_at must carry a time zone")
    rng = random.Random(f"steps:{seed}:{received_at.isoformat()}")

    def minutes(low: float, high: float) -> timedelta:
        return timedelta(minutes=rng.uniform(low, high))

    fast = urgent or (category is not None and not category.working_time)

    outcome = rng.random()
    if outcome < REJECTED_SHARE:
        return [Step(minutes(2, 20).total_seconds(), CaseStatus.REJECTED)]
    if outcome < REJECTED_SHARE + MERGED_SHARE:
        return [Step(minutes(1, 15).total_seconds(), CaseStatus.MERGED)]

    times: list[tuple[datetime, CaseStatus]] = []
    moment = received_at + (minutes(0.5, 3) if urgent else minutes(1, 10))
    times.append((moment, CaseStatus.REGISTERED))
    moment += minutes(1, 5) if urgent else minutes(2, 20)
    times.append((moment, CaseStatus.DISPATCHED))
    moment += minutes(2, 10) if fast else minutes(5, 60)
    moment = moment if fast else _in_daytime(moment) + minutes(0, 40)
    times.append((moment, CaseStatus.SIGNED))
    moment += minutes(5, 30) if fast else minutes(10, 120)
    moment = moment if fast else _in_daytime(moment)
    times.append((moment, CaseStatus.HANDLING))

    if rng.random() >= STUCK_SHARE:
        close = received_at + timedelta(seconds=limit_seconds(category) * _stall_fraction(rng))
        close = max(close, moment + (minutes(10, 20) if fast else minutes(30, 90)))
        feedback = moment + (close - moment) * rng.uniform(0.55, 0.8)
        verified = feedback + (close - feedback) * rng.uniform(0.3, 0.8)
        times += [(feedback, CaseStatus.FEEDBACK), (verified, CaseStatus.VERIFIED), (close, CaseStatus.CLOSED)]
    previous = [received_at, *(at for at, _ in times[:-1])]
    return [Step(round((at - before).total_seconds(), 3), status)
            for before, (at, status) in zip(previous, times, strict=True)]


def _stall_fraction(rng: random.Random) -> float:
    """Fraction of the overall limit at which the case closes, drawn by STALL_BANDS."""
    draw = rng.random()
    for share, low, high in STALL_BANDS:
        if draw < share:
            return rng.uniform(low, high)
        draw -= share
    return rng.uniform(*STALL_BANDS[0][1:])
