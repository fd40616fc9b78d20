"""The wall's figures: what the hub publishes equals a recount from the event log, written here
independently, across an hour, a day and a month boundary of the centre's clock."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from hub.db.log_store import read_frames
from hub.embedded import EmbeddedHub
from protocol import (
    LIMITS,
    OPEN_STATUSES,
    CaseStatus,
    Channel,
    Figures,
    Role,
    SlaLevel,
    decode_server,
)
from protocol.events import CaseCreated, CaseUpdated, TimerLevelChanged
from protocol.messages import AreaFigures, GridFigures, HourFigures, Totals
from tests.hub.conftest import WAIT_S, RawClient, case_args, greet

ZONE = ZoneInfo("Asia/Shanghai")
LIMITS_FAST = msgspec.structs.replace(LIMITS, figures_interval_s=0.02)
SLOW = "06001"  # 40 working hours: never late within this test


def shanghai(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE).astimezone(UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# --- the recount: plain Python over the log's rows ----------------------------------------------


def _local_hour(moment: datetime) -> datetime:
    return moment.astimezone(ZONE).replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def _month(moment: datetime) -> tuple[int, int]:
    local = moment.astimezone(ZONE)
    return local.year, local.month


def recount(frames: list[bytes], now: datetime, as_of_seq: int, streets: dict[str, str],
            grid_streets: dict[str, str]) -> Figures:
    """The figures from the log alone: replay every event, count each step where it happened."""
    state: dict[str, dict[str, Any]] = {}
    hours: dict[datetime, Counter[str]] = defaultdict(Counter)
    months: dict[tuple[tuple[int, int], str, str], Counter[str]] = defaultdict(Counter)  # (month, kind, id)
    unit_names: dict[str, str] = {}
    current = _local_hour(now)
    ends = [current - timedelta(hours=190 - k) for k in range(191)]  # ends of the 191 past hours
    overdue_at_end: list[int] = []

    def overdue() -> int:
        return sum(1 for c in state.values() if c["open"] and c["level"] is SlaLevel.RED)

    def count(at: datetime, case: dict[str, Any], unit: str | None, what: str, centre: bool = True) -> None:
        if centre:
            hours[_local_hour(at)][what] += 1
            months[(_month(at), "centre", "")][what] += 1
            months[(_month(at), "street", case["street"])][what] += 1
        if unit is not None:
            months[(_month(at), "unit", unit)][what] += 1

    for frame in frames:
        event = decode_server(frame)
        assert not isinstance(event, Figures), "figures are never in the log"
        while len(overdue_at_end) < len(ends) and event.ts >= ends[len(overdue_at_end)]:  # type: ignore[union-attr]
            overdue_at_end.append(overdue())
        if isinstance(event, CaseCreated):
            c = event.data
            if c.exercise_id is not None:
                continue
            case = {"open": c.status in OPEN_STATUSES, "status": c.status, "level": c.level, "unit": c.unit_id,
                    "street": c.street_code, "grid": c.grid_id, "due": c.overall.due_at if c.overall else None}
            state[c.id] = case
            hours[_local_hour(c.received_at)][c.channel.value] += 1
            count(c.received_at, case, None, "received")
        elif isinstance(event, CaseUpdated) and event.data.id in state:
            p, case = event.data, state[event.data.id]
            unit_before = case["unit"]
            if p.unit_id is not msgspec.UNSET:
                case["unit"] = p.unit_id
            if p.unit_name not in (msgspec.UNSET, None) and p.unit_id not in (msgspec.UNSET, None):
                unit_names[p.unit_id] = p.unit_name  # type: ignore[index]
            if p.status is not msgspec.UNSET:
                case["status"], case["open"] = p.status, p.status in OPEN_STATUSES
            if p.overall is not msgspec.UNSET and p.overall is not None:
                case["due"] = p.overall.due_at
            if p.level is not msgspec.UNSET:
                case["level"] = p.level
            if p.trace is msgspec.UNSET:
                continue
            at, action = p.trace.at, p.trace.action
            if action in ("dispatch", "arbitrate", "escalate"):
                count(at, case, case["unit"], "received", centre=False)
            elif action == "return":
                count(at, case, unit_before, "returned")
            elif action == "verify" and case["status"] is CaseStatus.CLOSED:
                count(at, case, case["unit"], "closed")
                if case["due"] is None or at <= case["due"]:
                    count(at, case, case["unit"], "closed_on_time")
            elif action == "callback":
                count(at, case, case["unit"], "rated")
                if p.satisfied is True:
                    count(at, case, case["unit"], "satisfied")
        elif isinstance(event, TimerLevelChanged) and event.data.kind == "overall" and event.data.case_id in state:
            state[event.data.case_id]["level"] = event.data.level
    while len(overdue_at_end) < len(ends):
        overdue_at_end.append(overdue())

    open_cases = [c for c in state.values() if c["open"]]
    first = current - timedelta(hours=191)
    hour_list = []
    for k in range(192):
        start = first + timedelta(hours=k)
        counts = hours.get(start, Counter())
        hour_list.append(HourFigures(
            start=start, received_by_channel={ch.value: counts[ch.value] for ch in Channel},
            closed=counts["closed"], closed_on_time=counts["closed_on_time"],
            overdue=overdue() if start == current else overdue_at_end[k],
        ))
    local = now.astimezone(ZONE)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    today: Counter[str] = Counter()
    for start, counts in hours.items():
        if day_start <= start <= now:
            today.update({k: v for k, v in counts.items() if k not in {ch.value for ch in Channel}})
    month = (local.year, local.month)
    keys = ("received", "closed", "closed_on_time", "returned", "rated", "satisfied")

    def totals(counts: Counter[str]) -> Totals:
        return Totals(**{k: counts[k] for k in keys})

    def area(kind: str, area_id: str, name: str, field: str) -> AreaFigures:
        mine = [c for c in open_cases if c[field] == area_id]
        return AreaFigures(id=area_id, name=name, **{k: months[(month, kind, area_id)][k] for k in keys},
                           open_now=len(mine), overdue_now=sum(1 for c in mine if c["level"] is SlaLevel.RED))

    units = {u for (m, kind, u) in months if m == month and kind == "unit"} | {
        c["unit"] for c in open_cases if c["unit"] is not None}
    grids = Counter(c["grid"] for c in open_cases if c["grid"] is not None)
    return Figures(
        as_of_seq=as_of_seq, as_of=now, zone="Asia/Shanghai",
        open_by_level={lv.value: sum(1 for c in open_cases if c["level"] is lv) for lv in SlaLevel},
        open_by_status={s.value: sum(1 for c in open_cases if c["status"] is s)
                        for s in CaseStatus if s in OPEN_STATUSES},
        overdue_now=overdue(),
        hours=hour_list,
        today=totals(today),
        month=totals(months[(month, "centre", "")]),
        units_month=[area("unit", u, unit_names.get(u, u), "unit") for u in sorted(units)],
        streets_month=[area("street", s, streets[s], "street") for s in sorted(streets)],
        grids=[GridFigures(grid_id=g, street_code=grid_streets[g], open=n,
                           overdue=sum(1 for c in open_cases if c["grid"] == g and c["level"] is SlaLevel.RED))
               for g, n in sorted(grids.items())],
    )


def log_frames(hub: EmbeddedHub) -> list[bytes]:
    frames: list[bytes] = []
    while page := read_frames(hub.hub.engine, len(frames), 5000):
        frames += page
    assert len(frames) == hub.hub.head_seq
    return frames


def frames_changing_figures(hub: EmbeddedHub, after: int, upto: int) -> int:
    """How many events in (after, upto] are of a case that is not a drill (what the figures count)."""
    return sum(1 for frame in log_frames(hub)[after:upto] if b'"exercise_id"' not in frame
               and frame.startswith((b'{"type":"case.', b'{"type":"timer.')))


def places(hub: EmbeddedHub) -> tuple[dict[str, str], dict[str, str]]:
    """The reference data the recount needs: street names, and the street of each grid."""
    streets = {code: street.name for code, street in hub.hub.directory.streets.items()}
    grids = {u.id: u.street_code for u in hub.hub.org.units.values() if u.kind == "grid" and u.street_code}
    return streets, grids


async def latest_figures(client: RawClient, hub: EmbeddedHub, now: datetime) -> Figures:
    """The first figures the client gets that are the hub's current ones, computed at `now`.

    Their `as_of_seq` may be below the head when the last events changed no figure (a drill's).
    """
    while True:
        frame = await client.recv()
        if frame["type"] == "figures":
            assert "seq" not in frame
            figures = decode_server(msgspec.json.encode(frame))
            assert isinstance(figures, Figures)
            if figures.as_of == now and frame == msgspec.json.decode(hub.hub.figures_frame()):
                assert figures.as_of_seq <= hub.hub.head_seq
                return figures


def expected(hub: EmbeddedHub, figures: Figures) -> Figures:
    """The recount of the log up to and including `figures.as_of_seq`, at `figures.as_of`."""
    return recount(log_frames(hub)[: figures.as_of_seq], figures.as_of, figures.as_of_seq, *places(hub))


def assert_equal(got: Figures, expected: Figures) -> None:
    assert msgspec.to_builtins(got) == msgspec.to_builtins(expected)


# --- the scenario ------------------------------------------------------------------------------


class Desk:
    """A duty officer's client, numbering its commands."""

    def __init__(self, client: RawClient) -> None:
        self.client = client
        self.n = 0

    async def do(self, name: str, **args: Any) -> dict[str, Any]:
        self.n += 1
        answer = await self.client.command(name, args, f"c{self.n}")
        assert answer["ok"], answer
        result = answer["result"]
        assert isinstance(result, dict)
        return result

    async def create(self, hub: EmbeddedHub, **overrides: Any) -> str:
        result = await self.do("case.create", **case_args(hub, **overrides))
        return str(result["id"])

    async def to_unit(self, case_id: str, unit: str) -> None:
        await self.do("case.register", id=case_id)
        await self.do("case.dispatch", id=case_id, unit_id=unit)

    async def close(self, case_id: str, satisfied: bool | None = None) -> None:
        await self.do("case.sign", id=case_id)
        await self.do("case.start", id=case_id)
        await self.do("case.feedback", id=case_id, result="done")
        await self.do("case.verify", id=case_id, passed=True)
        if satisfied is not None:
            await self.do("case.callback", id=case_id, satisfied=satisfied)


async def advance(hub: EmbeddedHub, clock: Clock, moment: datetime) -> None:
    """Move the hub's clock and wait until its timers have committed all that is due."""
    clock.now = moment
    keeper = hub.hub.timekeeper
    assert keeper is not None and hub.hub.figures is not None
    keeper.poke()
    hub.hub.figures.poke()

    async def settled() -> None:
        while keeper.checked_up_to != moment:
            await asyncio.sleep(0.001)

    await asyncio.wait_for(settled(), WAIT_S)


def test_published_figures_equal_a_recount_of_the_log_across_hour_day_and_month(tmp_path: Path) -> None:
    clock = Clock(shanghai("2026-11-30T22:20:00"))

    async def main() -> Figures:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=clock,
                               limits=LIMITS_FAST) as hub:
            wall_token = hub.add_user("wall-1", Role.WALL)
            wall, welcome = await greet(hub, token=wall_token, figures=True)
            assert welcome["limits"]["figures_interval_s"] == 0.02
            first = await wall.recv_until(lambda f: f["type"] == "figures")
            assert [f["type"] for f in first] == ["snapshot.begin", "snapshot.end", "figures"]
            desk_client, _ = await greet(hub)
            desk = Desk(desk_client)

            # 22:20 on the last day of November: one closed on time and satisfied, one returned
            # and dispatched again, one that will run late, one received an hour ago, one drill.
            a = await desk.create(hub, category_code=SLOW)
            await desk.to_unit(a, "S310112001")
            await desk.close(a, satisfied=True)
            b = await desk.create(hub, channel="app", category_code=SLOW, street_code="310112006")
            await desk.to_unit(b, "S310112006")
            await desk.do("case.return", id=b, reason="not ours")
            await desk.do("case.dispatch", id=b, unit_id="S310112001")
            late = await desk.create(hub, channel="grid_patrol", category_code="01011")
            await desk.to_unit(late, "S310112001")
            await desk.create(hub, channel="hotline_962000", received_at="2026-11-30T13:05:00Z")
            drill = await desk.create(hub, exercise_id="drill-1")
            await desk.to_unit(drill, "S310112001")
            figures = await latest_figures(wall, hub, clock.now)
            assert_equal(figures, expected(hub, figures))
            assert figures.today.received == 4 and figures.month.closed_on_time == 1

            # 23:10 (an hour later) and past midnight: the late case turns red, then closes late and
            # its requester is not satisfied (reopened), then closes again; a new day and month begin.
            await advance(hub, clock, shanghai("2026-11-30T23:10:00"))
            await desk.do("case.sign", id=b)
            await advance(hub, clock, shanghai("2026-12-01T00:40:00"))
            figures = await latest_figures(wall, hub, clock.now)
            assert figures.overdue_now == 1 and figures.open_by_level["red"] == 1
            assert_equal(figures, expected(hub, figures))
            await advance(hub, clock, shanghai("2026-12-01T01:10:00"))  # still red when the hour ends
            await desk.close(late, satisfied=False)
            await desk.do("case.feedback", id=late, result="fixed again")
            await desk.do("case.verify", id=late, passed=True)
            await desk.do("case.callback", id=late, satisfied=False)
            c = await desk.create(hub, channel="video", category_code=SLOW, street_code="310112006")
            await desk.to_unit(c, "S310112006")
            await advance(hub, clock, shanghai("2026-12-01T02:05:00"))
            figures = await latest_figures(wall, hub, clock.now)
            assert_equal(figures, expected(hub, figures))
            assert (figures.month.closed, figures.month.closed_on_time, figures.month.rated) == (2, 0, 2)
            assert figures.month.satisfied == 0 and figures.today.received == 1
            assert sum(h.overdue for h in figures.hours) > 0
            assert figures.overdue_now == 1  # the case received at 21:05 with a 4 h limit
            nov = [h for h in figures.hours if h.start < shanghai("2026-12-01T00:00:00")]
            assert sum(sum(h.received_by_channel.values()) for h in nov) == 4
            assert sum(h.closed_on_time for h in figures.hours) == 1

            # The hour rolls with nothing else happening: the figures come again.
            await advance(hub, clock, shanghai("2026-12-01T03:00:00"))
            rolled = await latest_figures(wall, hub, clock.now)
            assert rolled.hours[-1].start == shanghai("2026-12-01T03:00:00")
            assert rolled.hours[:-1] == figures.hours[1:]

            # A client that resumes gets the figures after its replay; figures never carry a seq.
            resumed, welcome = await greet(hub, resume_from=hub.hub.head_seq - 3, log_id=hub.hub.log_id, figures=True)
            assert welcome["mode"] == "replay"
            frames = await resumed.recv_until(lambda f: f["type"] == "figures")
            assert [f.get("seq") for f in frames] == [hub.hub.head_seq - 2, hub.hub.head_seq - 1,
                                                      hub.hub.head_seq, None]
            assert_equal(decode_server(msgspec.json.encode(frames[-1])), rolled)  # type: ignore[arg-type]

        return rolled

    rolled = asyncio.run(main())

    async def restart() -> None:  # a restarted hub builds the same figures from its cases
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=clock,
                               limits=LIMITS_FAST, make_account=False) as again:
            rebuilt = decode_server(again.hub.figures_frame())
            assert isinstance(rebuilt, Figures)
            # The restarted hub may commit what fell due while it was down (timers) before this
            # read, moving as_of_seq on: the figures must still be the log's recount, and equal
            # those published before when nothing that counts changed.
            assert_equal(rebuilt, expected(again, rebuilt))
            assert rebuilt.as_of_seq >= rolled.as_of_seq
            if frames_changing_figures(again, rolled.as_of_seq, rebuilt.as_of_seq) == 0:
                assert_equal(msgspec.structs.replace(rebuilt, as_of_seq=rolled.as_of_seq), rolled)

    asyncio.run(restart())


def test_a_simulated_morning_recounts_to_the_published_figures(tmp_path: Path) -> None:
    """Every path of the loop the simulator takes (returns, escalations, merges, reopenings…)."""
    now = shanghai("2026-12-01T05:40:00")  # the backfilled requests reach back into November

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=True, backfill_hours=10, seed=3,
                               clock=lambda: now, limits=LIMITS_FAST) as hub:
            assert hub.driver is not None
            await asyncio.wait_for(hub.driver.settled.wait(), 120)
            assert hub.hub.figures is not None
            figures = decode_server(hub.hub.figures_frame())
            assert isinstance(figures, Figures)
            assert_equal(figures, expected(hub, figures))
            received = [sum(h.received_by_channel.values()) for h in figures.hours]
            assert sum(received[:-6]) > 20 and sum(received) > 50, "requests on both sides of midnight"
            assert figures.today.returned > 0 and figures.today.closed > 0 and figures.month.rated > 0

    asyncio.run(main())
