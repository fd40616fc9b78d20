"""The working calendar: holidays, 调休 days and office hours, exact to the second, on fixed clocks."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.engine.calendar import CENTRE_TZ, CalendarError, WorkCalendar, default_calendar, default_holidays_path
from hub.engine.timers import overall_timer

CAL = WorkCalendar.load()


def sh(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """A Shanghai wall-clock time as the UTC instant the wire carries."""
    return datetime(year, month, day, hour, minute, second, tzinfo=CENTRE_TZ).astimezone(UTC)


def test_the_shipped_list_covers_2024_to_2026() -> None:
    assert default_holidays_path().is_file()
    assert CAL.years == {2024, 2025, 2026}
    assert len(CAL.holidays) + len(CAL.workdays) == 108
    assert default_calendar() is default_calendar()
    assert CAL.working_time_per_day() == timedelta(hours=7.5)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 25), False),  # Friday, 中秋
        (date(2026, 9, 26), False),  # Saturday inside 中秋
        (date(2026, 9, 28), True),  # Monday
        (date(2026, 9, 19), False),  # ordinary Saturday
        (date(2026, 9, 20), True),  # Sunday worked for 国庆 (调休)
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday worked for 国庆 (调休)
        (date(2026, 1, 4), True),  # Sunday worked for 元旦
        (date(2026, 2, 23), False),  # Monday, last day of 春节
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_mid_autumn_case_from_friday_afternoon() -> None:
    """Received Fri 2026-09-25 16:00, itself 中秋: the clock first runs on Monday 28 September."""
    timer = overall_timer(sh(2026, 9, 25, 16, 0), 8, True, CAL)
    assert timer.started_at == sh(2026, 9, 25, 16, 0)
    assert timer.yellow_at == sh(2026, 9, 28, 14, 30)  # 4 h: 09:00–12:00, 13:30–14:30
    assert timer.orange_at == sh(2026, 9, 28, 16, 54)  # 6 h 24 min
    assert timer.due_at == sh(2026, 9, 29, 9, 30)  # 7.5 h on Monday + 30 min on Tuesday
    assert all(moment.tzinfo is UTC for moment in (timer.yellow_at, timer.orange_at, timer.due_at))


def test_three_working_days_cross_mid_autumn_and_national_day() -> None:
    timer = overall_timer(sh(2026, 9, 25, 16, 0), 24, True, CAL)
    assert timer.yellow_at == sh(2026, 9, 29, 15, 0)  # 12 h = 7.5 (Mon) + 4.5 (Tue)
    assert timer.orange_at == sh(2026, 9, 30, 14, 42)  # 19.2 h
    assert timer.due_at == sh(2026, 10, 8, 10, 30)  # 22.5 h by Wed 30 Sep, 1-7 Oct off, 1.5 h on Thu


def test_national_day_week_is_skipped() -> None:
    timer = overall_timer(sh(2026, 9, 30, 16, 0), 8, True, CAL)
    assert timer.yellow_at == sh(2026, 10, 8, 11, 0)
    assert timer.orange_at == sh(2026, 10, 8, 14, 54)
    assert timer.due_at == sh(2026, 10, 8, 16, 30)


def test_an_adjusted_saturday_counts() -> None:
    timer = overall_timer(sh(2026, 10, 9, 16, 0), 8, True, CAL)  # Friday; Saturday 10 Oct is worked
    assert timer.yellow_at == sh(2026, 10, 10, 11, 0)
    assert timer.orange_at == sh(2026, 10, 10, 14, 54)
    assert timer.due_at == sh(2026, 10, 10, 16, 30)
    assert CAL.working_time_between(sh(2026, 10, 10, 0, 0), sh(2026, 10, 11, 0, 0)) == timedelta(hours=7.5)


def test_an_adjusted_sunday_counts_and_an_ordinary_saturday_does_not() -> None:
    assert CAL.add_working_time(sh(2026, 9, 19, 10, 0), 2) == sh(2026, 9, 20, 11, 0)
    assert CAL.add_working_time(sh(2026, 9, 12, 10, 0), 2) == sh(2026, 9, 14, 11, 0)


def test_lunch_break_is_skipped() -> None:
    assert CAL.add_working_time(sh(2026, 9, 14, 11, 0), 2) == sh(2026, 9, 14, 14, 30)
    assert CAL.add_working_time(sh(2026, 9, 14, 12, 30), 1) == sh(2026, 9, 14, 14, 30)
    assert CAL.working_time_between(sh(2026, 9, 14, 11, 0), sh(2026, 9, 14, 14, 30)) == timedelta(hours=2)
    assert CAL.working_time_between(sh(2026, 9, 14, 12, 0), sh(2026, 9, 14, 13, 30)) == timedelta(0)


def test_exact_to_the_second_and_ending_at_a_period_end() -> None:
    assert CAL.add_working_time(sh(2026, 9, 14, 10, 0), 2) == sh(2026, 9, 14, 12, 0)  # not 13:30
    assert CAL.add_working_time(sh(2026, 9, 14, 17, 59, 59), timedelta(seconds=2)) == sh(2026, 9, 15, 9, 0, 1)
    assert CAL.add_working_time(sh(2026, 9, 13, 3, 0), 0) == sh(2026, 9, 13, 3, 0)


def test_between_is_signed_and_skips_nights() -> None:
    a, b = sh(2026, 9, 11, 17, 0), sh(2026, 9, 14, 10, 0)  # Friday to Monday
    assert CAL.working_time_between(a, b) == timedelta(hours=2)
    assert CAL.working_time_between(b, a) == -timedelta(hours=2)
    assert CAL.working_time_between(a, a) == timedelta(0)


def test_calendar_hour_limits_ignore_the_calendar() -> None:
    start = sh(2026, 9, 25, 16, 0)
    timer = overall_timer(start, 4, False, CAL)
    assert (timer.yellow_at, timer.orange_at, timer.due_at) == (
        start + timedelta(hours=2), start + timedelta(hours=3, minutes=12), start + timedelta(hours=4))
    assert CAL.add_calendar_time(start, 30) == sh(2026, 9, 26, 22, 0)


def test_the_three_argument_call_of_cases_still_works() -> None:
    assert overall_timer(sh(2026, 9, 25, 16, 0), 8, True) == overall_timer(sh(2026, 9, 25, 16, 0), 8, True, CAL)


def test_office_hours_are_configurable() -> None:
    long_day = WorkCalendar.load(hours=[(time(8, 0), time(17, 0))])
    assert long_day.add_working_time(sh(2026, 9, 14, 16, 0), 2) == sh(2026, 9, 15, 9, 0)
    round_the_clock = WorkCalendar.load(hours=[(time(0, 0), time(0, 0))])
    assert round_the_clock.add_working_time(sh(2026, 9, 30, 23, 0), 2) == sh(2026, 10, 8, 1, 0)


@pytest.mark.parametrize(
    "hours",
    [[], [(time(12), time(9))], [(time(9), time(12)), (time(11), time(13))], [(time(9, tzinfo=UTC), time(12))]],
)
def test_bad_office_hours_are_refused(hours: list[tuple[time, time]]) -> None:
    with pytest.raises(CalendarError, match="working hours"):
        WorkCalendar.load(hours=hours)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        CAL.add_working_time(datetime(2026, 9, 14, 9, 0), 1)


def test_a_year_outside_the_list_falls_back_to_weekends_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    cal = WorkCalendar.load()
    with caplog.at_level(logging.WARNING, logger="hub.engine.calendar"):
        assert cal.is_working_day(date(2027, 1, 1))  # a Friday; the 2027 notice is not in the list
        assert not cal.is_working_day(date(2027, 1, 2))
        assert cal.add_working_time(sh(2027, 1, 1, 17, 0), 2) == sh(2027, 1, 4, 10, 0)
    assert [record.getMessage() for record in caplog.records] == [
        "holiday list has no year 2027: counting it with weekends only (provisional)"]
    assert not cal.covers(date(2027, 1, 1))
    strict = WorkCalendar.load(strict=True)
    with pytest.raises(CalendarError, match="covers only 2024, 2025, 2026"):
        strict.is_working_day(date(2027, 1, 1))


HEADER = "date,kind,name,name_en\n"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("2026-10-01,holiday,国庆节,National Day\n2026/10/02,holiday,国庆节,National Day\n", 3, "not YYYY-MM-DD"),
        ("2026-02-30,holiday,春节,Spring Festival\n", 2, "does not exist"),
        ("2026-10-01,day_off,国庆节,National Day\n", 2, "kind 'day_off'"),
        ("2026-10-01,holiday,国庆节,National Day\n2026-10-01,holiday,国庆节,National Day\n", 3, "appears twice"),
        ("2026-10-09,adjusted_workday,国庆节,National Day\n", 2, "is a Friday"),
        ("2026-10-01,holiday,国庆节\n", 2, "wrong number of fields"),
        ("2026-10-01,holiday,国庆节,National Day,extra\n", 2, "wrong number of fields"),
        ("2026-10-01,holiday,,National Day\n", 2, "name is empty"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = tmp_path / "holidays.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(CalendarError, match=message) as caught:
        WorkCalendar.load(path)
    assert f"{path}, line {line}:" in str(caught.value)


def test_bad_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="file not found"):
        WorkCalendar.load(tmp_path / "missing.csv")
    (tmp_path / "header.csv").write_text("day,kind,name\n", encoding="utf-8")
    with pytest.raises(CalendarError, match=r"header\.csv, line 1: header lacks column\(s\) date"):
        WorkCalendar.load(tmp_path / "header.csv")
    (tmp_path / "empty.csv").write_text(HEADER, encoding="utf-8")
    with pytest.raises(CalendarError, match="no rows"):
        WorkCalendar.load(tmp_path / "empty.csv")


STARTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 10, 31), timezones=st.just(UTC))
HOURS = st.floats(min_value=0, max_value=200, allow_nan=False, allow_infinity=False)


@given(STARTS, HOURS)
def test_working_time_between_inverts_add_working_time(start: datetime, hours: float) -> None:
    end = CAL.add_working_time(start, hours)
    assert CAL.working_time_between(start, end) == timedelta(hours=hours)
    assert end >= start


@given(STARTS, HOURS, HOURS)
def test_adding_in_two_steps_is_adding_once(start: datetime, a: float, b: float) -> None:
    a_span, b_span = timedelta(hours=a), timedelta(hours=b)
    assert CAL.add_working_time(CAL.add_working_time(start, a_span), b_span) == CAL.add_working_time(
        start, a_span + b_span)


@given(STARTS, st.lists(HOURS, min_size=1, max_size=4))
def test_several_spans_in_one_walk_are_each_added_alone(start: datetime, hours: list[float]) -> None:
    """A timer's yellow, orange and due instants come from one walk (`add_working_times`): the same instants."""
    spans = [timedelta(hours=h) for h in hours]
    assert CAL.add_working_times(start, spans) == [CAL.add_working_time(start, span) for span in spans]


def test_a_timer_at_a_period_end_and_over_a_holiday_is_the_same_walked_once_or_three_times() -> None:
    start = datetime(2025, 9, 30, 8, 0, tzinfo=UTC)  # 16:00 local, the eve of National Day
    for hours in (0.0, 2.0, 7.5, 24.0, 40.0):
        timer = overall_timer(start, hours, True, CAL)
        limit = timedelta(hours=hours)
        assert (timer.yellow_at, timer.orange_at, timer.due_at) == (
            CAL.add_working_time(start, limit * 0.5), CAL.add_working_time(start, limit * 0.8),
            CAL.add_working_time(start, limit))


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
       st.integers(min_value=-12 * 60, max_value=14 * 60), st.floats(min_value=0, max_value=2000),
       st.floats(min_value=0.01, max_value=1), st.floats(min_value=0.01, max_value=1))
def test_a_calendar_hour_timer_has_add_calendar_times_instants_whatever_the_start_zone(
        moment: datetime, offset_minutes: int, hours: float, a: float, b: float) -> None:
    """The hub's UTC instants take plain sums; any other aware start the calendar's own addition."""
    yellow, orange = sorted((a, b))
    limit = timedelta(hours=hours)
    for start in (moment.replace(tzinfo=UTC), moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))):
        timer = overall_timer(start, hours, False, CAL, (yellow, orange))
        assert (timer.due_at, timer.yellow_at, timer.orange_at) == tuple(
            CAL.add_calendar_time(start, span) for span in (limit, limit * yellow, limit * orange))
        assert all(t.utcoffset() == timedelta(0) for t in (timer.started_at, timer.due_at, timer.yellow_at,
                                                            timer.orange_at))


def test_a_calendar_hour_timer_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        overall_timer(datetime(2026, 9, 25, 16, 0), 4, False, CAL)
