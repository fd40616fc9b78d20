"""How simulated units answer a joint response: when they acknowledge, report and finish tasks.

Pure policy: each function takes a seeded `random.Random` (the caller seeds it from the seed and
the record, so a run is reproducible) and returns delays and figures; the hub's driver decides
when and how to send. The shares mirror a real night at a command post:

- a directive: about 80 % of units acknowledge (签收) within the deadline, most within a few
  minutes (log-normal, median 3 min); about 15 % acknowledge late; about 5 % never do on their
  own. A reminder makes a missing unit answer faster (median 1.5 min); one that would never
  have answered does so half of the time.
- reports on a cadence (every N hours after issue, for those that acknowledged): jittered around
  the cadence, a few late, a few skipped, with figures that grow (people evacuated, sandbags) or
  hold level (teams, people on duty).
- a plan task: acknowledged within minutes, started, and done before its deadline (80 %), done
  late (13 %), started but never finished (4 %), or never acknowledged at all (3 %).
- an emergency: its lead unit sends someone to sit in at the centre about a quarter of an hour
  after the declaration, and within the first hour the lead unit registers its pumps and its
  team, and a street centre of the area its sandbags and vehicles.
"""

from __future__ import annotations

import math
import random
from enum import StrEnum
from typing import NamedTuple

from protocol.emergency import ResourceKind, ResourceStatus
from protocol.enums import TaskStatus

ACK_MEDIAN_S = 180.0
ACK_SIGMA = 0.75
LATE_SHARE = 0.15
NEVER_SHARE = 0.05
LATE_MEDIAN_S = 480.0
"""How far past the deadline a late unit acknowledges (median)."""
REMINDED_MEDIAN_S = 90.0
NEVER_ANSWERS_REMINDER = 0.5
"""The chance that a unit that would never have acknowledged answers a reminder."""

REPORT_JITTER = 0.08
"""Standard deviation of a report's instant, as a fraction of the cadence."""
REPORT_LATE_SHARE = 0.10
REPORT_SKIPPED_SHARE = 0.05
REPORT_HORIZON_H = 48.0
"""Units stop reporting on a directive this long after it was issued."""

TASK_SHARES = (("on_time", 0.80), ("late", 0.13), ("stalled", 0.04), ("silent", 0.03))
TASK_ACK_MEDIAN_S = 240.0


class AckOutcome(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    NEVER = "never"


class AckPlan(NamedTuple):
    """When a unit acknowledges a directive, in seconds after its issue (None: never)."""

    outcome: AckOutcome
    latency_s: float | None


class TaskStep(NamedTuple):
    """One update of a plan task, `at_s` seconds after the task was assigned (its timer started)."""

    at_s: float
    status: TaskStatus
    progress: float
    """How much of the task's figures are reported with this step (0: none)."""


def _lognormal(rng: random.Random, median_s: float, sigma: float) -> float:
    return rng.lognormvariate(math.log(median_s), sigma)


def plan_ack(rng: random.Random, window_s: float) -> AckPlan:
    """A recipient's acknowledgement of a directive that is due `window_s` seconds after issue."""
    draw = rng.random()
    if draw < NEVER_SHARE:
        return AckPlan(AckOutcome.NEVER, None)
    if draw < NEVER_SHARE + LATE_SHARE:
        return AckPlan(AckOutcome.LATE, window_s + 30 + _lognormal(rng, LATE_MEDIAN_S, 0.8))
    latency = _lognormal(rng, ACK_MEDIAN_S, ACK_SIGMA)
    ceiling = window_s * rng.uniform(0.6, 0.98)  # a short deadline hurries everyone
    return AckPlan(AckOutcome.ON_TIME, max(15.0, min(latency, ceiling)))


def reminded_latency(rng: random.Random, outcome: AckOutcome) -> float | None:
    """Seconds after a reminder at which a unit still missing answers it (None: it does not)."""
    if outcome is AckOutcome.NEVER and rng.random() >= NEVER_ANSWERS_REMINDER:
        return None
    return max(10.0, _lognormal(rng, REMINDED_MEDIAN_S, 0.6))


def report_offset_s(rng: random.Random, k: int, every_s: float) -> float | None:
    """Seconds after issue at which a unit sends its `k`-th report (None: it skips this one)."""
    if rng.random() < REPORT_SKIPPED_SHARE:
        return None
    jitter = max(-0.25, min(0.25, rng.gauss(0, REPORT_JITTER)))
    if rng.random() < REPORT_LATE_SHARE:
        jitter = rng.uniform(0.2, 0.5)
    return every_s * (k + jitter)


# --- figures --------------------------------------------------------------------------------------

class _Figure(NamedTuple):
    label: str
    """Chinese label for the report's text."""
    low: int
    high: int
    grows: bool
    """True: a running total (people evacuated so far); False: a level (teams standing by)."""


FIGURES: dict[str, _Figure] = {
    "billboards_checked": _Figure("排查广告牌", 10, 120, True),
    "billboards_removed": _Figure("拆除广告牌", 0, 12, True),
    "billboards_secured": _Figure("加固广告牌", 3, 60, True),
    "bus_lines_adjusted": _Figure("调整公交线路", 1, 12, True),
    "ferry_lines_stopped": _Figure("停航轮渡线", 1, 4, True),
    "garages_checked": _Figure("排查地下车库", 5, 60, True),
    "garages_closed": _Figure("关闭地下车库", 0, 10, True),
    "gullies_cleared": _Figure("疏通雨水口", 20, 400, True),
    "hazards_found": _Figure("发现隐患", 0, 15, True),
    "households_flooded": _Figure("进水户数", 0, 40, True),
    "households_notified": _Figure("通知户数", 50, 1500, True),
    "households_without_power": _Figure("停电户数", 0, 300, False),
    "houses_checked": _Figure("排查房屋", 20, 400, True),
    "houses_damaged": _Figure("受损房屋", 0, 10, True),
    "markets_checked": _Figure("检查市场", 2, 20, True),
    "markets_closed": _Figure("关闭市场", 0, 8, True),
    "mobile_pumps_deployed": _Figure("移动泵车", 2, 20, False),
    "officers_deployed": _Figure("出动警力", 20, 300, False),
    "people_at_risk": _Figure("需转移人员", 10, 400, False),
    "people_evacuated": _Figure("转移人员", 10, 400, True),
    "people_on_duty": _Figure("值守人员", 8, 80, False),
    "people_sheltered": _Figure("安置人员", 5, 250, True),
    "points_checked": _Figure("巡查点位", 10, 120, True),
    "points_waterlogged": _Figure("积水点", 0, 15, False),
    "premises_closed": _Figure("关停场所", 0, 30, True),
    "pumps_checked": _Figure("检查泵站", 3, 40, True),
    "pumps_running": _Figure("运行泵站", 2, 30, False),
    "sandbags_placed": _Figure("投放沙袋", 200, 3000, True),
    "shelters_opened": _Figure("开放避难点", 1, 12, True),
    "shops_checked": _Figure("检查商铺", 20, 300, True),
    "sites_checked": _Figure("检查工地", 3, 40, True),
    "sites_stopped": _Figure("停工工地", 1, 30, True),
    "sluices_checked": _Figure("检查水闸", 2, 20, True),
    "substations_checked": _Figure("检查变电站", 2, 20, True),
    "teams_deployed": _Figure("出动队伍", 2, 20, False),
    "teams_ready": _Figure("待命队伍", 2, 15, False),
    "trees_checked": _Figure("排查树木", 50, 800, True),
    "trees_down": _Figure("倒伏树木", 0, 25, True),
    "trees_pruned": _Figure("修剪树木", 10, 200, True),
    "underpasses_checked": _Figure("检查下立交", 1, 10, True),
    "underpasses_closed": _Figure("封闭下立交", 0, 4, True),
    "underpasses_watched": _Figure("值守下立交", 1, 10, False),
    "vehicles_provided": _Figure("提供车辆", 2, 30, False),
    "workers_evacuated": _Figure("撤离工人", 10, 500, True),
}
_UNKNOWN = _Figure("", 1, 30, True)
"""A field no plan here names (a centre's own form): a small running total, labelled by its name."""


def figures(seed: str, fields: list[str], progress: float) -> dict[str, int]:
    """The numbers a unit reports for `fields` when `progress` (0–1) of its work is done.

    `seed` names the unit's work (e.g. the directive and the unit): the same seed gives the same
    totals, so running totals only grow from one report to the next and levels stay near theirs.
    """
    numbers: dict[str, int] = {}
    for name in fields:
        figure = FIGURES.get(name, _UNKNOWN)
        total = random.Random(f"{seed}:{name}").randint(figure.low, figure.high)
        if figure.grows:
            numbers[name] = round(total * max(0.0, min(1.0, progress)))
        else:
            wobble = random.Random(f"{seed}:{name}:{progress:.3f}").uniform(-0.15, 0.15)
            numbers[name] = max(0, round(total * (1 + wobble)))
    return numbers


def growth(k: int) -> float:
    """How much of a running total is reached by the `k`-th report (saturating: most early on)."""
    return 1 - math.exp(-0.6 * k)


STEADY_TEXTS = ("辖区情况平稳，值守人员在岗", "持续巡查中，暂未发现险情", "已按指令落实，继续密切关注")


def report_text(k: int, numbers: dict[str, int], rng: random.Random) -> str:
    """The report's text: the figures in words, or a line on the situation when there are none."""
    if not numbers:
        return f"第{k}次报告：{rng.choice(STEADY_TEXTS)}"
    parts = [f"{FIGURES[n].label if n in FIGURES else n} {v}" for n, v in numbers.items()]
    return f"第{k}次报告：{'，'.join(parts)}"


# --- plan tasks -----------------------------------------------------------------------------------

def plan_task(rng: random.Random, window_s: float) -> list[TaskStep]:
    """How a unit works a plan task due `window_s` seconds after it was assigned."""
    draw, outcome = rng.random(), TASK_SHARES[-1][0]
    for name, share in TASK_SHARES:
        if draw < share:
            outcome = name
            break
        draw -= share
    if outcome == "silent":
        return []
    ack = min(_lognormal(rng, min(TASK_ACK_MEDIAN_S, 0.1 * window_s), 0.7), 0.3 * window_s)
    start = ack + window_s * rng.uniform(0.03, 0.2)
    steps = [TaskStep(ack, TaskStatus.ACKNOWLEDGED, 0.0), TaskStep(start, TaskStatus.IN_PROGRESS, 0.4)]
    if outcome == "on_time":
        steps.append(TaskStep(max(start + 60, window_s * rng.uniform(0.55, 0.97)), TaskStatus.DONE, 1.0))
    elif outcome == "late":
        steps.append(TaskStep(window_s * rng.uniform(1.05, 1.6), TaskStatus.DONE, 1.0))
    return steps


# --- the joint response: the lead unit sits in, units register resources ---------------------------

CHECK_IN_MEDIAN_S = 900.0
"""The lead unit's person reaches the centre about a quarter of an hour after the declaration."""
SITTERS = ("值班局领导", "分管副局长", "防汛科科长", "应急值守负责人")


class ResourceStep(NamedTuple):
    """A resource a unit registers `at_s` seconds after the declaration."""

    at_s: float
    owner: str
    """`lead` (the lead unit) or `street` (a street centre of the area)."""
    kind: ResourceKind
    name: str
    quantity: int
    status: ResourceStatus


_RESOURCES = (
    ("lead", ResourceKind.PUMP, "大型移动泵车", 2, 6, ResourceStatus.DEPLOYED),
    ("lead", ResourceKind.TEAM, "排水抢险队", 12, 36, ResourceStatus.EN_ROUTE),
    ("street", ResourceKind.SANDBAGS, "防汛沙袋", 500, 3000, ResourceStatus.STANDBY),
    ("street", ResourceKind.VEHICLE, "抢险保障车辆", 2, 8, ResourceStatus.STANDBY),
)


def check_in(rng: random.Random) -> tuple[float, str]:
    """Seconds after the declaration at which the lead unit checks in, and who sits in for it."""
    return max(120.0, _lognormal(rng, CHECK_IN_MEDIAN_S, 0.5)), rng.choice(SITTERS)


def resources(rng: random.Random) -> list[ResourceStep]:
    """The resources the units register in the first hour of a response, in the order they come."""
    steps = [ResourceStep(rng.uniform(600, 3600), owner, kind, name, rng.randint(low, high), status)
             for owner, kind, name, low, high, status in _RESOURCES]
    return sorted(steps)
