"""Timer levels, pause / resume / extension, and the SLA scheduler, on fixed clocks (no sleeps)."""

from __future__ import annotations

import random
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.engine.calendar import CENTRE_TZ, WorkCalendar
from hub.engine.sla import LevelChange, SlaScheduler
from hub.engine.timers import extend, level_at, overall_timer, paused_timer, resume
from protocol.enums import SlaLevel
from protocol.events import Timer

CAL = WorkCalendar.load()
BLUE, YELLOW, ORANGE, RED = SlaLevel.BLUE, SlaLevel.YELLOW, SlaLevel.ORANGE, SlaLevel.RED
US = timedelta(microseconds=1)


def sh(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CENTRE_TZ).astimezone(UTC)


MONDAY = sh(2026, 9, 14, 9, 0)
"""An ordinary week: Mon 14 – Fri 18 September 2026 are working days, 19 is an ordinary Saturday."""


def monday_timer() -> Timer:
    timer = overall_timer(MONDAY, 8, True, CAL)
    assert (timer.yellow_at, timer.orange_at, timer.due_at) == (
        sh(2026, 9, 14, 14, 30), sh(2026, 9, 14, 16, 54), sh(2026, 9, 15, 9, 30))
    return timer


def test_levels_change_at_the_exact_instant() -> None:
    timer = monday_timer()
    assert level_at(timer, timer.yellow_at - US) is BLUE
    assert level_at(timer, timer.yellow_at) is YELLOW
    assert level_at(timer, timer.orange_at) is ORANGE
    assert level_at(timer, timer.due_at - US) is ORANGE
    assert level_at(timer, timer.due_at) is RED


def test_thresholds_are_configurable_per_category() -> None:
    timer = overall_timer(MONDAY, 8, True, CAL, thresholds=(0.25, 0.9))
    assert timer.yellow_at == sh(2026, 9, 14, 11, 0)  # 2 h
    assert timer.orange_at == sh(2026, 9, 14, 17, 42)  # 7.2 h: 3 h + 4 h 12 min
    with pytest.raises(ValueError, match="thresholds"):
        overall_timer(MONDAY, 8, True, CAL, thresholds=(0.8, 0.5))


def test_pause_freezes_the_level_and_resume_shifts_thresholds_by_paused_working_time() -> None:
    paused = paused_timer(monday_timer(), sh(2026, 9, 14, 14, 0))  # 3.5 h used, yellow 30 min away
    assert level_at(paused, sh(2026, 9, 20, 0, 0)) is BLUE
    resumed = resume(paused, sh(2026, 9, 16, 10, 0), CAL)  # Wednesday 10:00
    assert resumed.started_at == MONDAY
    assert resumed.yellow_at == sh(2026, 9, 16, 10, 30)
    assert resumed.orange_at == sh(2026, 9, 16, 14, 24)  # 2 h 54 min left at the pause
    assert resumed.due_at == sh(2026, 9, 16, 16, 0)  # 4.5 h left
    assert CAL.working_time_between(MONDAY, resumed.due_at) - CAL.working_time_between(
        paused.paused_at, sh(2026, 9, 16, 10, 0)) == timedelta(hours=8)


def test_resume_keeps_thresholds_already_reached() -> None:
    timer = monday_timer()
    resumed = resume(paused_timer(timer, sh(2026, 9, 14, 15, 0)), sh(2026, 9, 15, 15, 0), CAL)
    assert resumed.yellow_at == timer.yellow_at
    assert resumed.orange_at == sh(2026, 9, 15, 16, 54)
    assert resumed.due_at == sh(2026, 9, 16, 9, 30)


def test_a_pause_outside_working_hours_costs_nothing() -> None:
    timer = overall_timer(sh(2026, 9, 11, 16, 0), 8, True, CAL)  # Friday
    assert resume(paused_timer(timer, sh(2026, 9, 11, 18, 0)), sh(2026, 9, 14, 9, 0), CAL) == timer


def test_pause_of_a_calendar_hour_timer_shifts_by_wall_clock_time() -> None:
    start = datetime(2026, 9, 14, 0, 0, tzinfo=UTC)
    timer = overall_timer(start, 10, False, CAL)
    resumed = resume(paused_timer(timer, start + timedelta(hours=6)), start + timedelta(hours=9), CAL)
    assert resumed.yellow_at == start + timedelta(hours=5)
    assert resumed.orange_at == start + timedelta(hours=11)
    assert resumed.due_at == start + timedelta(hours=13)
    with pytest.raises(ValueError, match="before the pause"):
        resume(paused_timer(timer, start + timedelta(hours=6)), start, CAL)


def test_extension_is_the_timer_with_the_longer_limit() -> None:
    assert extend(monday_timer(), 2, CAL) == overall_timer(MONDAY, 10, True, CAL)
    assert extend(overall_timer(MONDAY, 4, False, CAL), 6, CAL) == overall_timer(MONDAY, 10, False, CAL)


def test_extension_keeps_levels_reached_but_moves_an_expired_due() -> None:
    extended = extend(monday_timer(), 2, CAL, at=sh(2026, 9, 14, 15, 0))
    assert extended.yellow_at == sh(2026, 9, 14, 14, 30)  # reached before the approval: stays
    assert extended.orange_at == sh(2026, 9, 15, 9, 30)  # 80 % of 10 h
    assert extended.due_at == sh(2026, 9, 15, 11, 30)
    late = sh(2026, 9, 15, 10, 0)
    overdue = extend(monday_timer(), 2, CAL, at=late)
    assert (level_at(monday_timer(), late), level_at(overdue, late)) == (RED, ORANGE)
    assert overdue.due_at == sh(2026, 9, 15, 11, 30)


def test_scheduler_reports_each_change_once_at_its_instant() -> None:
    timer = monday_timer()
    sla = SlaScheduler()
    assert sla.next_wakeup() is None
    sla.track("c1", "overall", timer, BLUE)
    assert sla.next_wakeup() == timer.yellow_at
    assert sla.due(timer.yellow_at - US) == []
    assert sla.due(timer.yellow_at) == [LevelChange("c1", "overall", BLUE, YELLOW, timer.yellow_at)]
    assert sla.due(timer.yellow_at) == []
    assert sla.next_wakeup() == timer.orange_at
    assert sla.due(timer.due_at + timedelta(days=3)) == [
        LevelChange("c1", "overall", YELLOW, ORANGE, timer.orange_at),
        LevelChange("c1", "overall", ORANGE, RED, timer.due_at),
    ]
    assert sla.next_wakeup() is None
    assert sla.level("c1", "overall") is RED
    assert len(sla) == 1


def test_untracked_and_retracked_timers() -> None:
    timer = monday_timer()
    sla = SlaScheduler()
    for case_id in ("a", "b", "c"):
        sla.track(case_id, "overall", timer, BLUE)
        sla.track(case_id, "step", overall_timer(MONDAY, 2, True, CAL), BLUE)
    sla.untrack("a")
    sla.untrack("b", "step")
    sla.untrack("nobody")
    sla.track("c", "overall", extend(timer, 2, CAL), BLUE)  # the old thresholds must not fire
    sla.track("c", "step", overall_timer(MONDAY, 2, True, CAL), ORANGE)  # already orange: only red is left
    changes = sla.due(sh(2026, 9, 30, 0, 0))
    assert {change.case_id for change in changes} == {"b", "c"}
    assert [(c.kind, c.new) for c in changes if c.case_id == "b"] == [("overall", YELLOW), ("overall", ORANGE),
                                                                      ("overall", RED)]
    assert [c.at for c in changes if c.case_id == "c" and c.kind == "overall"] == [
        sh(2026, 9, 14, 15, 30), sh(2026, 9, 15, 9, 30), sh(2026, 9, 15, 11, 30)]
    assert [(c.old, c.new) for c in changes if c.case_id == "c" and c.kind == "step"] == [(ORANGE, RED)]
    assert [c.at for c in changes] == sorted(c.at for c in changes)
    assert len(sla) == 3 and sla.level("a", "overall") is None


def test_a_burst_is_drained_in_capped_slices_in_order() -> None:
    timer = monday_timer()  # twenty cases received overnight share every threshold
    sla = SlaScheduler()
    for number in range(20):
        sla.track(f"case-{number:02d}", "overall", timer, BLUE)
    now, slices = sh(2026, 9, 16, 0, 0), []
    while (wakeup := sla.next_wakeup()) is not None and wakeup <= now:
        slices.append(sla.due(now, max_changes=7))
    assert [len(part) for part in slices] == [7] * 8 + [4]
    changes = [change for part in slices for change in part]
    assert [change.at for change in changes] == [timer.yellow_at] * 20 + [timer.orange_at] * 20 + [timer.due_at] * 20
    assert [change.case_id for change in changes[:20]] == [f"case-{number:02d}" for number in range(20)]


def random_timers(rng: random.Random, count: int) -> dict[str, Timer]:
    timers = {}
    for number in range(count):
        start = MONDAY + timedelta(minutes=rng.randrange(0, 14 * 24 * 60))
        hours = rng.choice([2, 4, 8, 16, 40])
        timers[f"case-{number:05d}"] = overall_timer(start, hours, rng.random() < 0.7, CAL)
    return timers


def test_many_cases_each_change_once_in_order_at_the_first_tick_after_it() -> None:
    rng = random.Random(7)
    timers = random_timers(rng, 2_000)
    sla = SlaScheduler()
    for case_id, timer in timers.items():
        sla.track(case_id, "overall", timer, BLUE)
    seen: list[tuple[datetime, LevelChange]] = []
    now = MONDAY
    while (wakeup := sla.next_wakeup()) is not None:
        assert wakeup > now - timedelta(minutes=1)
        now = wakeup if rng.random() < 0.5 else wakeup + timedelta(seconds=rng.randrange(0, 60))
        seen.extend((now, change) for change in sla.due(now))
    assert len(seen) == 3 * len(timers)
    assert [change.at for _, change in seen] == sorted(change.at for _, change in seen)
    by_case: dict[str, list[LevelChange]] = {}
    for tick, change in seen:
        assert change.at <= tick < change.at + timedelta(minutes=1)  # reported on the first tick after it
        by_case.setdefault(change.case_id, []).append(change)
    for case_id, changes in by_case.items():
        timer = timers[case_id]
        assert [(c.old, c.new, c.at) for c in changes] == [
            (BLUE, YELLOW, timer.yellow_at), (YELLOW, ORANGE, timer.orange_at), (ORANGE, RED, timer.due_at)]


def test_leftovers_of_retracking_are_compacted() -> None:
    timer = monday_timer()
    sla = SlaScheduler()
    for round_ in range(10):
        for number in range(1_000):
            sla.track(f"case-{number}", "overall", extend(timer, round_, CAL) if round_ else timer, BLUE)
    assert len(sla._heap) <= 3_000
    assert len(sla.due(sh(2026, 12, 1, 0, 0))) == 3_000


def test_memory_per_tracked_timer_is_under_300_bytes() -> None:
    timers = list(random_timers(random.Random(1), 20_000).items())
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        sla = SlaScheduler()
        for case_id, timer in timers:
            sla.track(case_id, "overall", timer, BLUE)
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert used / len(timers) < 300, used / len(timers)


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False), st.lists(st.integers(0, 20 * 24 * 3600), min_size=1, max_size=30))
def test_scheduler_agrees_with_level_at(rng: random.Random, offsets: list[int]) -> None:
    timers = random_timers(rng, 50)
    sla = SlaScheduler()
    for case_id, timer in timers.items():
        sla.track(case_id, "overall", timer, level_at(timer, MONDAY))
    for offset in sorted(offsets):
        now = MONDAY + timedelta(seconds=offset)
        sla.due(now)
        for case_id, timer in timers.items():
            assert sla.level(case_id, "overall") is level_at(timer, now)


def test_retracking_the_same_timer_at_its_level_changes_nothing() -> None:
    """Every step re-tracks the case's overall timer, unchanged: the heap must not grow with steps, and
    the changes still come once each at their instants (also after a level was reported)."""
    timer = monday_timer()
    sla = SlaScheduler()
    for _ in range(5):
        sla.track("c1", "overall", timer, BLUE)
    assert len(sla._heap) == 1
    assert sla.due(timer.yellow_at) == [LevelChange("c1", "overall", BLUE, YELLOW, timer.yellow_at)]
    sla.track("c1", "overall", timer, YELLOW)  # the case as folded after that change
    sla.track("c1", "overall", timer, YELLOW)
    assert len(sla._heap) == 1 and sla.next_wakeup() == timer.orange_at
    sla.track("c1", "overall", extend(timer, 2, CAL), YELLOW)  # a new timer object replaces it
    assert sla.due(sh(2026, 12, 1, 0, 0)) == [
        LevelChange("c1", "overall", YELLOW, ORANGE, extend(timer, 2, CAL).orange_at),
        LevelChange("c1", "overall", ORANGE, RED, extend(timer, 2, CAL).due_at)]
