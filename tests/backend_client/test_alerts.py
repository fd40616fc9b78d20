"""Alerts derived from the feed (no Qt): what alerts, grouping of floods, priority, acknowledgement."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import msgspec

from backend_client.alerts import ACKED_KEPT, GROUP_WINDOW, AlertBook, Priority, unit_scope
from backend_client.store import CaseStore
from protocol import (
    AlertAck,
    AlertAcknowledged,
    AlertKind,
    CaseFlag,
    CaseStatus,
    GenericEvent,
    LevelChange,
    Role,
    SlaLevel,
    Supervision,
    SupervisionAction,
    SupervisionRecorded,
    TimerLevelChanged,
    Trace,
    Unit,
    UnitChanged,
    UnitKind,
)
from tests.store.store_helpers import T0, case, created, updated

STREETS = ["莘庄镇", "江川路街道", "古美路街道", "新虹街道", "浦锦街道", "虹桥镇", "梅陇镇"]


class Feed:
    """A store with an alert book, fed events in `seq` order as the connection would."""

    def __init__(self, cases: int = 0, **book_args: object) -> None:
        self.store = CaseStore()
        self.seq = itertools.count(1)
        for n in range(1, cases + 1):
            street = STREETS[0] if n <= cases // 2 else STREETS[n % len(STREETS)]
            self.store.apply(created(next(self.seq), case(n, status=CaseStatus.DISPATCHED, street_name=street,
                                                          unit_id=f"U{n % 3}", unit_name=f"unit {n % 3}")))
        self.book = AlertBook(self.store, **book_args)  # type: ignore[arg-type]

    def level(self, n: int, level: SlaLevel, at: datetime = T0, kind: str = "overall",
              previous: SlaLevel = SlaLevel.YELLOW) -> None:
        self.store.apply(TimerLevelChanged(seq=next(self.seq), ts=at, data=LevelChange(
            case_id=f"id{n:05d}", kind=kind, level=level, previous=previous, unit_id=f"U{n % 3}")))

    def supervise(self, n: int, action: SupervisionAction, actor: str = "chief", automatic: bool = False,
                  at: datetime = T0) -> None:
        self.store.apply(SupervisionRecorded(seq=next(self.seq), ts=at, data=Supervision(
            case_id=f"id{n:05d}", unit_id=f"U{n % 3}", action=action, actor=actor, note="请今日办结",
            automatic=automatic)))

    def ret(self, n: int, returns: int, at: datetime = T0) -> None:
        flags = [CaseFlag.ARBITRATION] if returns >= 2 else []
        trace = Trace(at=at, actor="green-desk", action="return", status=CaseStatus.REGISTERED, note="不属本单位职责")
        event = updated(next(self.seq), f"id{n:05d}", version=1 + returns, returns=returns, flags=flags,
                        unit_id=None, unit_name=None, trace=trace, actor="green-desk")
        self.store.apply(msgspec.structs.replace(event, ts=at))

    def ack(self, numbers: list[int], kind: AlertKind, key: str, by: str = "li.na", at: datetime = T0) -> None:
        self.store.apply(AlertAcknowledged(seq=next(self.seq), ts=at, data=AlertAck(
            case_ids=[f"id{n:05d}" for n in numbers], kind=kind, key=key, by=by, role=Role.DUTY, at=at,
            comment="已电话催办")))


def test_hundreds_turning_red_at_once_make_one_row_naming_count_and_streets() -> None:
    feed = Feed(cases=300)
    for n in range(1, 301):
        feed.level(n, SlaLevel.RED, at=T0 + timedelta(milliseconds=n))
    rows = feed.book.rows(T0)
    assert len(rows) == 1
    alert = rows[0]
    assert (alert.kind, alert.key, alert.priority) == (AlertKind.TIMER, "overall.red", Priority.CRITICAL)
    assert len(alert.cases) == 300
    streets = alert.streets()
    assert streets[0] == ("莘庄镇", 150 + sum(1 for n in range(151, 301) if n % len(STREETS) == 0))
    assert len(streets) == len(STREETS)
    changed, new = feed.book.drain()
    assert changed and new == [alert], "one new row: one sound, not 300"


def test_a_flood_stays_grouped_while_it_lasts_and_a_later_one_is_a_new_row() -> None:
    feed = Feed(cases=10)
    feed.level(1, SlaLevel.RED)
    feed.level(2, SlaLevel.RED, at=T0 + GROUP_WINDOW / 2)
    feed.level(3, SlaLevel.RED, at=T0 + GROUP_WINDOW)  # within the window of the last one
    feed.level(4, SlaLevel.RED, at=T0 + GROUP_WINDOW * 3)
    feed.level(5, SlaLevel.RED, kind="step", at=T0 + GROUP_WINDOW * 3)
    sizes = sorted((a.key, len(a.cases)) for a in feed.book.rows(T0))
    assert sizes == [("overall.red", 1), ("overall.red", 3), ("step.red", 1)]


def test_critical_first_then_high_then_normal_and_acknowledged_below() -> None:
    feed = Feed(cases=10)
    feed.ret(6, 1)
    feed.level(1, SlaLevel.ORANGE, previous=SlaLevel.YELLOW)
    feed.supervise(2, SupervisionAction.REMIND, at=T0 + timedelta(minutes=1))  # newer: above return.1
    feed.level(3, SlaLevel.RED, previous=SlaLevel.ORANGE)
    feed.ret(7, 2, at=T0 + timedelta(minutes=5))
    feed.level(4, SlaLevel.RED, kind="step", at=T0 + timedelta(minutes=10))
    feed.ack([4], AlertKind.TIMER, "step.red", at=T0 + timedelta(minutes=11))
    rows = feed.book.rows(T0 + timedelta(minutes=12))
    assert [(a.priority, a.key, a.acked) for a in rows] == [
        (Priority.CRITICAL, "overall.red", False),
        (Priority.HIGH, "return.2", False),          # returned twice: awaits arbitration
        (Priority.HIGH, "overall.orange", False),
        (Priority.NORMAL, "remind", False),
        (Priority.NORMAL, "return.1", False),
        (Priority.CRITICAL, "step.red", True),       # acknowledged: below every new alert
    ]
    returned = rows[-2].cases["id00006"]
    assert returned.detail == "不属本单位职责" and returned.unit == "green-desk"


def test_only_what_needs_the_operator_alerts() -> None:
    feed = Feed(cases=5)
    feed.level(1, SlaLevel.YELLOW, previous=SlaLevel.BLUE)           # state, not an alert
    feed.supervise(1, SupervisionAction.SUPERVISE, actor="hub", automatic=True)  # follows a level change
    feed.book.user = "wang.li"
    feed.supervise(2, SupervisionAction.URGE, actor="wang.li")        # the operator's own action
    feed.store.apply(GenericEvent(type="emergency.declared", seq=next(feed.seq), ts=T0, data={}))
    assert feed.book.rows(T0) == []
    feed.supervise(3, SupervisionAction.SUPERVISE, actor="chief")
    (alert,) = feed.book.rows(T0)
    item = alert.cases["id00003"]
    assert alert.priority is Priority.HIGH and (item.actor, item.detail) == ("chief", "请今日办结")


def test_the_emergency_hook_receives_emergency_events() -> None:
    seen: list[str] = []

    class Book(AlertBook):
        def on_emergency_event(self, event: GenericEvent) -> None:
            seen.append(event.type)

    store = CaseStore()
    Book(store)
    store.apply(GenericEvent(type="emergency.declared", seq=1, ts=T0, data={}))
    store.apply(GenericEvent(type="directive.issued", seq=2, ts=T0, data={}))
    assert seen == ["emergency.declared"]


def test_an_acknowledgement_from_anyone_marks_the_cases_and_a_group_once_all_are_marked() -> None:
    feed = Feed(cases=5)
    for n in (1, 2, 3):
        feed.level(n, SlaLevel.RED)
    feed.ack([1], AlertKind.TIMER, "overall.red", by="zhang.qiang")
    (alert,) = feed.book.rows(T0)
    assert not alert.acked and alert.unacked_ids() == ["id00002", "id00003"]
    feed.ack([2, 3], AlertKind.TIMER, "overall.orange")  # another alert: changes nothing here
    assert not alert.acked
    feed.ack([2, 3], AlertKind.TIMER, "overall.red", at=T0 + timedelta(minutes=1))
    assert alert.acked and alert.ack is not None and alert.ack.by == "li.na"
    assert alert.ack.comment == "已电话催办"
    feed.level(4, SlaLevel.RED, at=T0 + timedelta(seconds=90))
    assert len(feed.book.rows(T0)) == 2, "a group once acknowledged takes no new cases"


def test_acknowledged_alerts_are_kept_an_hour_and_unacknowledged_ones_stay() -> None:
    feed = Feed(cases=3)
    feed.level(1, SlaLevel.RED)
    feed.level(2, SlaLevel.ORANGE, at=T0 + GROUP_WINDOW * 2)
    feed.ack([1], AlertKind.TIMER, "overall.red", at=T0 + timedelta(minutes=5))
    assert len(feed.book.rows(T0 + timedelta(minutes=5) + ACKED_KEPT)) == 2
    assert [a.key for a in feed.book.rows(T0 + timedelta(minutes=6) + ACKED_KEPT)] == ["overall.orange"]
    assert [a.key for a in feed.book.rows(T0 + timedelta(days=2))] == ["overall.orange"]


def test_a_scoped_desk_is_alerted_for_its_units_cases_and_its_ground_only() -> None:
    store = CaseStore()
    store.apply(UnitChanged(seq=1, ts=T0, data=Unit(id="S1", name="莘庄镇城运分中心", kind=UnitKind.STREET_CENTRE,
                                                    street_code="310112101")))
    store.apply(UnitChanged(seq=2, ts=T0, data=Unit(id="G7", name="网格 7", kind=UnitKind.GRID, parent_id="S1",
                                                    street_code="310112101")))
    own = case(1, unit_id="G7", street_code="310112999")        # its grid's case
    ground = case(2, street_code="310112101")                    # on its ground, no unit yet
    other = case(3, unit_id="U-water", street_code="310112006")
    for seq, c in enumerate((own, ground, other), start=3):
        store.apply(created(seq, c))
    book = AlertBook(store, scope=unit_scope(store, "S1"))
    for seq, (c, unit) in enumerate(((own, "G7"), (ground, None), (other, "U-water")), start=6):
        store.apply(TimerLevelChanged(seq=seq, ts=T0, data=LevelChange(
            case_id=c.id, kind="overall", level=SlaLevel.RED, previous=SlaLevel.ORANGE, unit_id=unit)))
    (alert,) = book.rows(T0)
    assert sorted(alert.cases) == [own.id, ground.id]


def test_a_big_group_is_acknowledged_in_batches_of_the_protocol_limit() -> None:
    feed = Feed(cases=25, max_batch=10)
    for n in range(1, 26):
        feed.level(n, SlaLevel.RED)
    (alert,) = feed.book.rows(T0)
    assert [len(ids) for _, _, ids in feed.book.ack_batches(alert)] == [10, 10, 5]
    feed.book.close()
    feed.level(1, SlaLevel.RED, kind="step")
    assert len(feed.book.rows(T0)) == 1, "a closed book no longer listens"
