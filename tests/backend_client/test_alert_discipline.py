"""The console's alert rules (docs/alarms.md): routing to the desk that can act, floods, shelves, re-sounding."""

from __future__ import annotations

from datetime import timedelta

from backend_client.alerts import DISCIPLINED, RED_HELD, Group, Priority
from protocol import AlertKind, AlertShelf, AlertShelved, Role, SlaLevel, SupervisionAction
from tests.backend_client.test_alerts import Feed
from tests.store.store_helpers import T0


def desk(unit_id: str | None, cases: int = 30) -> Feed:
    feed = Feed(cases=cases, policy=DISCIPLINED)
    feed.book.set_desk(unit_id)
    return feed


def lines(feed: Feed) -> list[str]:
    return [key for _, key in feed.book.line_times]


def test_a_step_timer_alerts_the_units_desk_not_the_centre() -> None:
    centre, unit = desk(None), desk("U1")
    for feed in (centre, unit):
        feed.level(1, SlaLevel.RED, kind="step", previous=SlaLevel.ORANGE)  # case 1 is unit U1's
        feed.level(4, SlaLevel.ORANGE, kind="step")  # orange is the queue's colour, for everyone
        feed.supervise(1, SupervisionAction.URGE)
    assert lines(centre) == [], "the centre sees these as queue colours"
    assert lines(unit) == ["step.red", "urge"]
    assert desk("U2").book.line_times == [], "another unit's desk hears nothing of U1's case"


def test_the_centre_is_alerted_when_it_must_act() -> None:
    centre = desk(None)
    centre.ret(5, returns=1)
    assert lines(centre) == [], "a first return waits in the dispatch queue"
    centre.ret(6, returns=2)
    assert lines(centre) == ["return.2"], "a second return needs the centre's arbitration"
    centre.level(7, SlaLevel.RED, at=T0)
    centre.book.tick(T0 + RED_HELD - timedelta(seconds=1))
    assert lines(centre) == ["return.2"]
    centre.book.tick(T0 + RED_HELD)
    assert lines(centre) == ["return.2", "overall.red.held"], "red for an hour and still open"
    held = centre.book.rows(T0 + RED_HELD)[0]
    assert (held.key, held.priority, list(held.cases)) == ("overall.red.held", Priority.CRITICAL, ["id00007"])


def test_a_unit_with_many_red_cases_alerts_the_centre_once_then_at_twice_as_many() -> None:
    centre = desk(None, cases=90)
    ones = [n for n in range(1, 91) if n % 3 == 1]  # unit U1's cases
    for n in ones[:9]:
        centre.level(n, SlaLevel.RED)
    centre.book.tick(T0)
    assert lines(centre) == []
    centre.level(ones[9], SlaLevel.RED)
    centre.book.tick(T0)
    centre.book.tick(T0 + timedelta(minutes=1))
    assert lines(centre) == ["unit.red.U1"]
    assert len(centre.book.rows(T0)[0].cases) == 10
    for n in ones[10:20]:
        centre.level(n, SlaLevel.RED)
    centre.book.tick(T0 + timedelta(minutes=2))
    assert lines(centre) == ["unit.red.U1", "unit.red.U1"], "again at 20 red cases"


def test_above_the_flood_rate_new_alerts_join_one_flood_row_that_breaks_them_down() -> None:
    unit = desk("U1", cases=60)
    keys = [(n, kind, level) for n, (kind, level) in zip(range(1, 60, 3), [
        ("step", SlaLevel.RED), ("overall", SlaLevel.RED)] * 10, strict=False)]
    at = T0
    for n, _, _ in keys[:5]:  # five rows in 10 minutes: the flood threshold
        unit.supervise(n, SupervisionAction.REMIND, at=at)
        unit.ack([n], AlertKind.SUPERVISION, "remind", at=at)
        at += timedelta(seconds=30)
    assert len(unit.book.line_times) == 5
    for n, kind, level in keys[5:]:
        unit.level(n, level, kind=kind, at=at, previous=SlaLevel.ORANGE)
        at += timedelta(seconds=10)
    assert lines(unit)[-1] == Group.FLOOD and len(unit.book.line_times) == 6, "one flood row, not fifteen"
    flood = next(a for a in unit.book.alerts.values() if a.group is Group.FLOOD)
    assert flood.counts == {"step.red": 7, "overall.red": 8}
    assert sorted((k, key, len(ids)) for k, key, ids in unit.book.ack_batches(flood)) == [
        (AlertKind.TIMER, "overall.red", 8), (AlertKind.TIMER, "step.red", 7)]
    quiet = at + timedelta(minutes=25)
    unit.level(58, SlaLevel.RED, kind="step", at=quiet, previous=SlaLevel.ORANGE)
    assert lines(unit)[-1] == "step.red", "the flood is over: a row of its own again"


def test_a_shelved_key_raises_no_row_until_it_expires_and_keeps_what_it_held() -> None:
    unit = desk("U1")
    until = T0 + timedelta(hours=1)
    unit.store.apply(AlertShelved(seq=next(unit.seq), ts=T0, data=AlertShelf(
        kind=AlertKind.TIMER, key="step.red", unit_id="U1", by="zhou", role=Role.DUTY, at=T0, until=until,
        reason="暴雨，人员都在现场")))
    unit.level(1, SlaLevel.RED, kind="step", at=T0 + timedelta(minutes=5), previous=SlaLevel.ORANGE)
    unit.level(4, SlaLevel.RED, kind="step", at=T0 + timedelta(minutes=9), previous=SlaLevel.ORANGE)
    assert unit.book.line_times == [], "no row and no sound while shelved"
    _, new = unit.book.drain()
    assert new == []
    shelf = unit.book.rows(T0 + timedelta(minutes=10))[0]
    assert shelf.group is Group.SHELF and len(shelf.cases) == 2 and shelf.shelf is not None
    assert shelf.shelf.reason == "暴雨，人员都在现场" and unit.book.unacked_critical() == []
    unit.level(7, SlaLevel.RED, kind="step", at=until, previous=SlaLevel.ORANGE)
    assert lines(unit) == ["step.red"], "expired by itself"
    other = desk("U2")
    other.store.apply(AlertShelved(seq=next(other.seq), ts=T0, data=AlertShelf(
        kind=AlertKind.TIMER, key="step.red", unit_id="U1", by="zhou", role=Role.DUTY, at=T0, until=until,
        reason="x")))
    other.level(2, SlaLevel.RED, kind="step", at=T0 + timedelta(minutes=1), previous=SlaLevel.ORANGE)
    assert lines(other) == ["step.red"], "a shelf is for the desk that made it"


def test_an_unacknowledged_critical_row_re_sounds_three_times_then_is_escalated() -> None:
    unit = desk("U1")
    unit.level(1, SlaLevel.RED, kind="step", previous=SlaLevel.ORANGE)
    book, sounded = unit.book, []
    minute = T0
    while minute < T0 + timedelta(hours=2):
        if book.resound(minute):
            sounded.append(int((minute - T0).total_seconds() // 60))
        minute += timedelta(seconds=30)
    assert sounded == [2, 7, 17], "after 2, then 5, then 10 more minutes; not every 2 minutes for ever"
    assert book.alerts[1].escalated
    kpis = book.kpis(T0 + timedelta(hours=2), hours=2)
    assert kpis.unacked_over_30_min == 1 and kpis.per_10_min == 1 / 12
    assert kpis.bad_actors == [(("step.red", "unit 1"), 1)]
