"""The request simulator: reproducible, believable in volume, shape and content, and always valid."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from hub.directory import Directory
from hub.simulator import CENTRE_TZ, Simulator, expected_per_hour, limit_seconds, next_steps
from hub.simulator.__main__ import main
from hub.simulator.mix import URGENT_SHARE
from protocol.commands import CaseCreateArgs
from protocol.enums import CaseStatus, Channel

MONDAY = datetime(2026, 3, 2, tzinfo=CENTRE_TZ)
Arrivals = list[tuple[datetime, CaseCreateArgs]]


@pytest.fixture(scope="module")
def directory() -> Directory:
    return Directory.load()


@pytest.fixture(scope="module")
def day(directory: Directory) -> Arrivals:
    """One local day (Monday 00:00–24:00 Shanghai) at rate 1, seed 1."""
    return list(Simulator(directory, seed=1).arrivals(MONDAY, MONDAY + timedelta(days=1)))


def _encoded(items: Arrivals) -> list[bytes]:
    return [msgspec.json.encode([moment, args]) for moment, args in items]


def test_every_request_validates_against_the_protocol(day: Arrivals) -> None:
    for _, args in day:
        assert msgspec.convert(msgspec.to_builtins(args), CaseCreateArgs) == args


def test_points_lie_inside_and_street_and_committee_agree(directory: Directory, day: Arrivals) -> None:
    for _, args in day:
        assert directory.contains(args.lon, args.lat)
        assert directory.street_of(args.lon, args.lat).code == args.street_code
        assert args.committee_code is not None
        assert directory.committees[args.committee_code].street_code == args.street_code
        assert args.address.startswith(directory.streets[args.street_code].name)
        assert args.category_code in directory.categories


def test_arrivals_are_utc_in_time_order_inside_the_window(day: Arrivals) -> None:
    times = [moment for moment, _ in day]
    assert times == sorted(times)
    assert all(moment.tzinfo is UTC for moment in times)
    assert times[0] >= MONDAY and times[-1] < MONDAY + timedelta(days=1)


def test_same_seed_same_stream_other_seed_other_stream(directory: Directory, day: Arrivals) -> None:
    window = (MONDAY + timedelta(hours=9), MONDAY + timedelta(hours=12))
    first = _encoded(list(Simulator(directory, seed=1).arrivals(*window)))
    again = _encoded(list(Simulator(directory, seed=1).arrivals(*window)))
    other = _encoded(list(Simulator(directory, seed=2).arrivals(*window)))
    assert first == again
    assert first == [line for line, (moment, _) in zip(_encoded(day), day, strict=True)
                     if window[0] <= moment < window[1]]
    assert other != first and not set(other) & set(first)


def test_windows_split_anywhere_give_the_same_stream(directory: Directory) -> None:
    simulator = Simulator(directory, seed=5)
    start, split, end = MONDAY, MONDAY + timedelta(hours=1, minutes=17, seconds=3), MONDAY + timedelta(hours=3)
    whole = _encoded(list(simulator.arrivals(start, end)))
    parts = _encoded(list(simulator.arrivals(split, end)))
    parts = _encoded(list(simulator.arrivals(start, split))) + parts
    assert whole == parts


def test_a_day_totals_about_three_thousand(day: Arrivals) -> None:
    assert sum(expected_per_hour()) == pytest.approx(3000)
    assert 2_750 <= len(day) <= 3_250  # Poisson: sd ≈ 55


def test_rate_multiplies_the_volume(directory: Directory) -> None:
    hour = (MONDAY + timedelta(hours=10), MONDAY + timedelta(hours=11))
    count = sum(1 for _ in Simulator(directory, seed=3, rate=10).arrivals(*hour))
    expected = expected_per_hour(10)[10]
    assert abs(count - expected) < 5 * expected**0.5


def test_hourly_counts_peak_in_working_hours_and_bottom_out_at_night(day: Arrivals) -> None:
    hours = Counter(moment.astimezone(CENTRE_TZ).hour for moment, _ in day)
    counts = [hours[h] for h in range(24)]
    assert max(range(24), key=counts.__getitem__) in (9, 10, 11, 14, 15, 16)
    assert min(range(24), key=counts.__getitem__) in range(1, 6)
    assert sum(counts[1:6]) < 0.05 * len(day)
    assert counts[10] > 1.5 * counts[20] and counts[20] > 3 * counts[3]  # evening tail, quiet small hours
    assert counts[12] < counts[10] and counts[12] < counts[15]  # the lunch dip


def test_channel_mix_and_leanings(directory: Directory) -> None:
    items = list(Simulator(directory, seed=11, rate=3).arrivals(MONDAY, MONDAY + timedelta(days=1)))
    channels = Counter(args.channel for _, args in items)
    shares = {Channel.HOTLINE_12345: 0.45, Channel.HOTLINE_962000: 0.10, Channel.GRID_PATROL: 0.25,
              Channel.VIDEO: 0.08, Channel.APP: 0.10, Channel.POLICE_110: 0.02}
    for channel, share in shares.items():
        assert channels[channel] / len(items) == pytest.approx(share, abs=0.02)

    def share_of(channel: Channel | None, codes: set[str]) -> float:
        chosen = [args for _, args in items if channel is None or args.channel is channel]
        return sum(args.category_code in codes for args in chosen) / len(chosen)

    noise = {"06028", "08001"}
    assert share_of(Channel.POLICE_110, noise) > 2 * share_of(None, noise)
    components = {code for code in directory.categories if code[:2] in ("01", "02", "03", "04", "05")}
    assert share_of(Channel.GRID_PATROL, components) > 1.5 * share_of(Channel.HOTLINE_12345, components)
    assert share_of(Channel.VIDEO, {"06028"}) == 0  # cameras cannot hear


def test_phones_urgency_and_descriptions(day: Arrivals) -> None:
    with_phone = {Channel.HOTLINE_12345, Channel.HOTLINE_962000, Channel.APP}
    for _, args in day:
        if args.requester_phone is not None:
            assert args.channel in with_phone and len(args.requester_phone) == 11
        if args.urgent:
            assert args.category_code in URGENT_SHARE
        assert "{" not in args.description and len(args.description) >= 8
    assert 0 < sum(args.urgent for _, args in day) < 0.06 * len(day)
    assert len({args.description for _, args in day}) > 300


def test_bad_arguments_are_refused(directory: Directory) -> None:
    with pytest.raises(ValueError, match="rate"):
        Simulator(directory, rate=0)
    with pytest.raises(ValueError, match="time zone"):
        next(Simulator(directory).arrivals(datetime(2026, 3, 2), datetime(2026, 3, 3)))


def test_next_steps_walk_the_loop_and_some_stall(directory: Directory, day: Arrivals) -> None:
    simulator = Simulator(directory, seed=1)
    loop = [CaseStatus.REGISTERED, CaseStatus.DISPATCHED, CaseStatus.SIGNED, CaseStatus.HANDLING,
            CaseStatus.FEEDBACK, CaseStatus.VERIFIED, CaseStatus.CLOSED]
    ends: Counter[str] = Counter()
    for number, (moment, args) in enumerate(day):
        steps = simulator.next_steps(moment, number, args.category_code, args.urgent)
        assert steps == simulator.next_steps(moment, number, args.category_code, args.urgent)
        assert all(step.delay_s > 0 for step in steps)
        statuses = [step.status for step in steps]
        assert statuses in ([CaseStatus.REJECTED], [CaseStatus.MERGED], loop[:4], loop)
        if statuses[-1] is CaseStatus.CLOSED:
            used = sum(step.delay_s for step in steps) / limit_seconds(directory.categories[args.category_code])
            ends["red" if used > 1 else "yellow+" if used > 0.5 else "blue"] += 1
        else:
            ends[statuses[-1].value] += 1
    total = len(day)
    assert ends["blue"] > 0.5 * total
    assert ends["yellow+"] > 0.1 * total and ends["red"] > 0.02 * total
    assert 0 < ends["rejected"] < 0.06 * total and 0 < ends["merged"] < 0.1 * total
    assert 0 < ends["handling"] < 0.05 * total  # stuck: the supervisors' pool


def test_night_cases_wait_for_the_morning_unless_urgent(directory: Directory) -> None:
    midnight = MONDAY + timedelta(hours=23, minutes=30)
    category = directory.categories["09009"]
    for seed in range(30):
        steps = next_steps(midnight, seed, category)
        if steps[-1].status in (CaseStatus.REJECTED, CaseStatus.MERGED):
            continue
        signed = midnight + timedelta(seconds=sum(step.delay_s for step in steps[:3]))
        assert 8 <= signed.astimezone(CENTRE_TZ).hour < 20
        urgent = next_steps(midnight, seed, category, urgent=True)
        if urgent[-1].status not in (CaseStatus.REJECTED, CaseStatus.MERGED):
            assert sum(step.delay_s for step in urgent[:3]) < 3600


def test_the_command_line_prints_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--hours", "0.25", "--seed", "1", "--start", "2026-03-02T10:00+08:00", "--steps"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert 30 < len(lines) < 150
    first = json.loads(lines[0])
    assert msgspec.convert(first["args"], CaseCreateArgs).street_code.startswith("310112")
    assert first["at"].startswith("2026-03-02T02:") and first["steps"]
