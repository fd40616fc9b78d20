"""The duty officer's queues, saved filters, "My unit's" and the store's view: what each holds, live."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend_client.store import (
    SORT_KEYS,
    ApplyResult,
    CaseFilter,
    CaseStore,
    Queue,
    StoreBatch,
    UnitScope,
    queue_mask,
    recount,
)
from protocol import Case, CaseFlag, CaseStatus, Channel, SlaLevel, UnitKind
from protocol.events import LevelChange, TimerLevelChanged, Unit, UnitChanged
from protocol.scope import CaseEnteredScope, CaseLeftScope, CaseRef
from tests.store.store_helpers import T0, Replica, case, created, full_sort, updated

S = CaseStatus
Q = Queue
PHONE = "13800138000"


class Feed:
    """Applies the hub's events to a store in `seq` order, with versions raised as the hub does."""

    def __init__(self, store: CaseStore | None = None) -> None:
        self.store = store if store is not None else CaseStore()
        self.seq = self.store.last_seq
        self.versions: dict[str, int] = {}

    def create(self, *cases: Case) -> None:
        for c in cases:
            self.seq += 1
            self.versions[c.id] = c.version
            assert self.store.apply(created(self.seq, c)) is ApplyResult.APPLIED

    def update(self, case_id: str, **fields: object) -> None:
        self.seq += 1
        self.versions[case_id] = self.versions.get(case_id, 1) + 1
        assert self.store.apply(updated(self.seq, case_id, self.versions[case_id], **fields)) is ApplyResult.APPLIED

    def level(self, case_id: str, kind: str, level: SlaLevel) -> None:
        self.seq += 1
        change = LevelChange(case_id=case_id, kind=kind, level=level, previous=SlaLevel.BLUE)
        assert self.store.apply(TimerLevelChanged(seq=self.seq, ts=T0, data=change)) is ApplyResult.APPLIED

    def unit(self, unit: Unit) -> None:
        self.seq += 1
        assert self.store.apply(UnitChanged(seq=self.seq, ts=T0, data=unit)) is ApplyResult.APPLIED


def filled(*cases: Case) -> CaseStore:
    feed = Feed()
    feed.create(*cases)
    return feed.store


def queues_holding(store: CaseStore) -> set[Queue]:
    """The queues whose count is not zero (with one case in the store: that case's queues)."""
    return {queue for queue, count in store.queue_counts().items() if count}


def assert_counts_are_a_recount(store: CaseStore) -> None:
    assert store.queue_counts() == recount(store.cases(), store.scope)
    for queue in Queue:
        assert store.queue_count(queue) == store.queue_counts()[queue]


def shown_ids(store: CaseStore) -> set[str]:
    return set(store.order)


class ViewReplica(Replica):
    """A `Replica` that also follows rows leaving the view (`removed_ids`), as the Qt model does."""

    def apply(self, batch: StoreBatch) -> None:
        if batch.reset or not batch.removed_ids:
            super().apply(batch)
            return
        order = self.store.ids_in_order()
        assert batch.removed_ids.isdisjoint(order) and batch.removed_ids <= set(self.ids)
        self.ids.extend(self.store.id_at(row) for row in batch.inserted)
        assert sorted(self.ids) == sorted([*order, *batch.removed_ids]), "re-laid rows, then the removed ones"
        self.ids = order
        self.changed |= batch.changed_ids


# --- what each built-in queue holds -------------------------------------------------------

QUEUE_CASES: list[tuple[str, dict[str, object], set[Queue]]] = [
    ("received", dict(status=S.RECEIVED), {Q.TO_REGISTER, Q.ALL_OPEN}),
    ("registered", dict(status=S.REGISTERED), {Q.TO_DISPATCH, Q.ALL_OPEN}),
    ("returned once", dict(status=S.REGISTERED, returns=1), {Q.TO_DISPATCH, Q.RETURNED, Q.ALL_OPEN}),
    ("to arbitrate", dict(status=S.REGISTERED, returns=2, flags=[CaseFlag.ARBITRATION]), {Q.RETURNED, Q.ALL_OPEN}),
    ("dispatched", dict(status=S.DISPATCHED, unit_id="u1"), {Q.TO_SIGN, Q.ALL_OPEN}),
    ("signed", dict(status=S.SIGNED, unit_id="u1"), {Q.IN_HANDLING, Q.ALL_OPEN}),
    ("handling", dict(status=S.HANDLING, unit_id="u1"), {Q.IN_HANDLING, Q.ALL_OPEN}),
    ("dispatched after two returns", dict(status=S.DISPATCHED, returns=2), {Q.TO_SIGN, Q.ALL_OPEN}),
    ("feedback", dict(status=S.FEEDBACK), {Q.TO_VERIFY, Q.ALL_OPEN}),
    ("closed with a phone", dict(status=S.CLOSED, requester_phone=PHONE), {Q.CALL_BACK}),
    ("closed, no phone", dict(status=S.CLOSED), set()),
    ("passed to 110", dict(status=S.CLOSED, requester_phone=PHONE, flags=[CaseFlag.TRANSFERRED_110]), set()),
    ("called back", dict(status=S.CALLED_BACK, requester_phone=PHONE, satisfied=True), set()),
    ("reopened and closed again", dict(status=S.CLOSED, requester_phone=PHONE, satisfied=False,
                                       flags=[CaseFlag.REOPENED]), {Q.CALL_BACK}),
    ("rejected", dict(status=S.REJECTED, requester_phone=PHONE), set()),
    ("merged", dict(status=S.MERGED, requester_phone=PHONE), set()),
    ("overall red", dict(status=S.HANDLING, level=SlaLevel.RED), {Q.IN_HANDLING, Q.ALL_OPEN, Q.OVERDUE}),
    ("step red", dict(status=S.RECEIVED, step_level=SlaLevel.RED), {Q.TO_REGISTER, Q.ALL_OPEN, Q.OVERDUE}),
    ("orange is not overdue", dict(status=S.HANDLING, level=SlaLevel.ORANGE, step_level=SlaLevel.ORANGE),
     {Q.IN_HANDLING, Q.ALL_OPEN}),
    ("call-back past its step limit", dict(status=S.CLOSED, requester_phone=PHONE, step_level=SlaLevel.RED),
     {Q.CALL_BACK, Q.OVERDUE}),
    ("call-back, overall red from before closing", dict(status=S.CLOSED, requester_phone=PHONE, level=SlaLevel.RED),
     {Q.CALL_BACK}),
    ("closed red, nothing to do", dict(status=S.CLOSED, level=SlaLevel.RED, step_level=SlaLevel.RED), set()),
    ("called back red", dict(status=S.CALLED_BACK, requester_phone=PHONE, step_level=SlaLevel.RED), set()),
]


@pytest.mark.parametrize(("fields", "expected"), [(f, e) for _, f, e in QUEUE_CASES],
                         ids=[name for name, _, _ in QUEUE_CASES])
def test_each_queue_holds_the_cases_a_duty_officer_expects(fields: dict[str, object], expected: set[Queue]) -> None:
    store = filled(case(1, **fields))
    assert queues_holding(store) == expected
    assert_counts_are_a_recount(store)
    for queue in Queue:  # the table shows the same cases the count counts
        store.set_view(CaseFilter(queue=queue))
        assert shown_ids(store) == ({"id00001"} if queue in expected else set()), queue


def test_a_case_moves_through_the_queues_as_it_goes_round_the_loop() -> None:
    feed = Feed()
    store = feed.store
    feed.create(case(1, requester_phone=PHONE))
    steps: list[tuple[dict[str, object], set[Queue]]] = [
        (dict(status=S.REGISTERED), {Q.TO_DISPATCH, Q.ALL_OPEN}),
        (dict(status=S.DISPATCHED, unit_id="u1"), {Q.TO_SIGN, Q.ALL_OPEN}),
        (dict(status=S.REGISTERED, returns=1, unit_id=None), {Q.TO_DISPATCH, Q.RETURNED, Q.ALL_OPEN}),
        (dict(status=S.DISPATCHED, unit_id="u2"), {Q.TO_SIGN, Q.ALL_OPEN}),
        (dict(status=S.REGISTERED, returns=2, unit_id=None, flags=[CaseFlag.ARBITRATION]), {Q.RETURNED, Q.ALL_OPEN}),
        (dict(status=S.DISPATCHED, unit_id="u3", flags=[]), {Q.TO_SIGN, Q.ALL_OPEN}),  # arbitrated
        (dict(status=S.SIGNED), {Q.IN_HANDLING, Q.ALL_OPEN}),
        (dict(status=S.HANDLING), {Q.IN_HANDLING, Q.ALL_OPEN}),
        (dict(status=S.FEEDBACK), {Q.TO_VERIFY, Q.ALL_OPEN}),
        (dict(status=S.HANDLING, flags=[CaseFlag.VERIFY_FAILED]), {Q.IN_HANDLING, Q.ALL_OPEN}),  # verification failed
        (dict(status=S.FEEDBACK), {Q.TO_VERIFY, Q.ALL_OPEN}),
        (dict(status=S.CLOSED), {Q.CALL_BACK}),
        # not satisfied: reopened once, handled again, closed again, and called back again (hub/engine/loop.py)
        (dict(status=S.HANDLING, satisfied=False, flags=[CaseFlag.REOPENED]), {Q.IN_HANDLING, Q.ALL_OPEN}),
        (dict(status=S.FEEDBACK), {Q.TO_VERIFY, Q.ALL_OPEN}),
        (dict(status=S.CLOSED), {Q.CALL_BACK}),
        (dict(status=S.CALLED_BACK, satisfied=True), set()),
    ]
    assert queues_holding(store) == {Q.TO_REGISTER, Q.ALL_OPEN}
    for fields, expected in steps:
        feed.update("id00001", **fields)
        assert queues_holding(store) == expected, fields
        assert_counts_are_a_recount(store)


def test_overdue_follows_the_hubs_level_changes_on_either_limit() -> None:
    feed = Feed()
    feed.create(case(1, status=S.HANDLING), case(2, status=S.HANDLING), case(3, status=S.CLOSED, requester_phone=PHONE))
    store = feed.store
    assert store.queue_count(Q.OVERDUE) == 0
    feed.level("id00001", "overall", SlaLevel.ORANGE)
    assert store.queue_count(Q.OVERDUE) == 0
    feed.level("id00001", "overall", SlaLevel.RED)
    feed.level("id00002", "step", SlaLevel.RED)
    feed.level("id00003", "step", SlaLevel.RED)
    assert store.queue_count(Q.OVERDUE) == 3
    store.set_view(CaseFilter(queue=Q.OVERDUE))
    assert shown_ids(store) == {"id00001", "id00002", "id00003"}
    feed.update("id00002", status=S.FEEDBACK, step_level=SlaLevel.BLUE)  # a new step starts blue
    feed.update("id00003", status=S.CALLED_BACK, satisfied=True)
    assert store.queue_count(Q.OVERDUE) == 1 and shown_ids(store) == {"id00001"}
    feed.update("id00001", status=S.CLOSED)  # overall red, but closed without a phone: nothing left to do
    assert store.queue_count(Q.OVERDUE) == 0 and shown_ids(store) == set()
    assert_counts_are_a_recount(store)


def test_counts_follow_many_cases_and_a_snapshot() -> None:
    feed = Feed()
    statuses = [S.RECEIVED, S.REGISTERED, S.FEEDBACK, S.CLOSED, S.HANDLING]
    feed.create(*(case(n, status=statuses[n % 5], requester_phone=PHONE if n % 2 else None) for n in range(50)))
    store = feed.store
    assert store.queue_count(Q.TO_REGISTER) == 10 and store.queue_count(Q.TO_DISPATCH) == 10
    assert store.queue_count(Q.TO_VERIFY) == 10 and store.queue_count(Q.ALL_OPEN) == 40
    assert store.queue_count(Q.CALL_BACK) == 5  # closed: n = 3, 8, … 48; with a phone: the odd ones
    for n in range(0, 50, 5):
        feed.update(f"id{n:05d}", status=S.REGISTERED)
    assert store.queue_count(Q.TO_REGISTER) == 0 and store.queue_count(Q.TO_DISPATCH) == 20
    assert_counts_are_a_recount(store)
    store.begin_snapshot(feed.seq + 10)
    store.add_snapshot_items([case(1, status=S.FEEDBACK), case(2)])
    assert store.queue_count(Q.ALL_OPEN) == 40  # the old state stays until the snapshot ends
    store.end_snapshot(feed.seq + 10)
    assert queues_holding(store) == {Q.TO_VERIFY, Q.TO_REGISTER, Q.ALL_OPEN}
    assert store.queue_count(Q.ALL_OPEN) == 2
    assert_counts_are_a_recount(store)
    store.reset()
    assert not queues_holding(store)


def test_a_case_sent_again_whole_is_counted_once() -> None:
    feed = Feed()
    feed.create(case(1), case(1, status=S.FEEDBACK))
    assert feed.store.queue_counts()[Q.ALL_OPEN] == 1 and queues_holding(feed.store) == {Q.TO_VERIFY, Q.ALL_OPEN}


# --- random streams: the live counts always equal a recount ------------------------------

ORG = {
    "D": Unit(id="D", name="区中心", kind=UnitKind.DISTRICT_CENTRE),
    "S1": Unit(id="S1", name="街道中心", kind=UnitKind.STREET_CENTRE, parent_id="D", street_code="310112001"),
    "C1": Unit(id="C1", name="居委", kind=UnitKind.COMMITTEE, parent_id="S1", street_code="310112001",
               committee_code="001001"),
    "G1": Unit(id="G1", name="网格", kind=UnitKind.GRID, parent_id="C1", street_code="310112001"),
    "B1": Unit(id="B1", name="房管局", kind=UnitKind.BUREAU, parent_id="D"),
    "B2": Unit(id="B2", name="房管所", kind=UnitKind.BUREAU, parent_id="B1"),
}

IDS = st.integers(0, 9)
UNITS = st.sampled_from([None, "S1", "C1", "G1", "B1", "B2"])
LEVELS = st.sampled_from(list(SlaLevel))
FLAG_SETS = st.lists(st.sampled_from([CaseFlag.ARBITRATION, CaseFlag.TRANSFERRED_110, CaseFlag.REOPENED]),
                     unique=True, max_size=2)
NEW_CASES = st.builds(
    lambda n, status, phone, street, grid, unit, text: case(
        n, status=status, requester_phone=PHONE if phone else None, street_code=street, grid_id=grid, unit_id=unit,
        address=text, channel=Channel.VIDEO if n % 2 else Channel.APP),
    IDS, st.sampled_from(list(CaseStatus)), st.booleans(), st.sampled_from(["310112001", "310112002"]),
    st.sampled_from([None, "G1", "G2"]), UNITS, st.sampled_from(["", "江川路 88号", "Lane 5"]),
)
OPS = st.one_of(
    st.tuples(st.just("create"), NEW_CASES),
    st.tuples(st.just("status"), IDS, st.sampled_from(list(CaseStatus))),
    st.tuples(st.just("status"), IDS, st.sampled_from(list(CaseStatus))),
    st.tuples(st.just("returns"), IDS, st.integers(0, 3), FLAG_SETS),
    st.tuples(st.just("unit"), IDS, UNITS, st.lists(st.sampled_from(["C1", "G1", "B2"]), unique=True, max_size=2)),
    st.tuples(st.just("satisfied"), IDS, st.sampled_from([None, True, False])),
    st.tuples(st.just("timer"), IDS, st.sampled_from(["overall", "step"]), LEVELS),
    st.tuples(st.just("timer"), IDS, st.sampled_from(["overall", "step"]), LEVELS),
    st.tuples(st.just("scope"), st.sampled_from([None, "D", "S1", "C1", "G1", "B1"])),
    st.tuples(st.just("view"), st.sampled_from(list(Queue)), st.booleans()),
    st.tuples(st.just("snapshot"), st.lists(NEW_CASES, max_size=5)),
    st.tuples(st.just("sort"), st.sampled_from(sorted(SORT_KEYS)), st.booleans()),
    st.tuples(st.just("leave"), IDS),  # the case leaves the account's scope
    st.tuples(st.just("enter"), NEW_CASES),  # … or comes (back) into it, whole
    st.tuples(st.just("sort"), st.sampled_from(["urgency", "serial", "status"]), st.booleans()),  # and back
)
SAVED = {
    "mine, red": CaseFilter(queue=Q.MINE, levels=frozenset({SlaLevel.RED})),
    "B1's": CaseFilter(units=frozenset({"B1", "C1"})),
    "street 1, by video": CaseFilter(queue=Q.ALL_OPEN, streets=frozenset({"310112001"}),
                                     channels=frozenset({Channel.VIDEO})),
    "grid 1 call-backs": CaseFilter(queue=Q.CALL_BACK, grids=frozenset({"G1"})),
    "江川路": CaseFilter(text="江川路", levels=frozenset({SlaLevel.ORANGE, SlaLevel.RED})),
    "overdue": CaseFilter(queue=Q.OVERDUE),
}


def check_everything(store: CaseStore) -> None:
    scope = store.scope
    assert_counts_are_a_recount(store)
    for name, f in SAVED.items():
        assert store.saved_count(name) == sum(f.matches(c, scope) for c in store.cases()), name
    view = store.view
    expected = {c.id for c in store.cases() if view is None or view.matches(c, scope)}
    assert shown_ids(store) == expected and store.shown == len(expected)
    assert list(store.order) == full_sort(store)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(OPS, min_size=5, max_size=60))
def test_random_streams_keep_every_count_equal_to_a_recount(ops: list[tuple[object, ...]]) -> None:
    feed = Feed()
    store = feed.store
    store.org_units = dict(ORG)
    store.set_saved_filters(SAVED)
    replica = ViewReplica(store)
    for op in ops:
        kind = op[0]
        if kind == "create":
            feed.create(op[1])  # type: ignore[arg-type]
        elif kind == "status":
            feed.update(f"id{op[1]:05d}", status=op[2])
        elif kind == "returns":
            feed.update(f"id{op[1]:05d}", returns=op[2], flags=op[3])
        elif kind == "unit":
            feed.update(f"id{op[1]:05d}", unit_id=op[2], co_unit_ids=op[3])
        elif kind == "satisfied":
            feed.update(f"id{op[1]:05d}", satisfied=op[2])
        elif kind == "timer":
            feed.level(f"id{op[1]:05d}", op[2], op[3])  # type: ignore[arg-type]
        elif kind == "scope":
            store.set_scope(op[1])  # type: ignore[arg-type]
        elif kind == "view":
            store.set_view(CaseFilter(queue=op[1]) if op[2] else None)  # type: ignore[arg-type]
        elif kind == "sort":  # rows kept from an earlier sort are mended on return: same order as a full sort
            store.set_sort(op[1], op[2])  # type: ignore[arg-type]
        elif kind == "leave":
            feed.seq += 1
            store.apply(CaseLeftScope(seq=feed.seq, ts=T0, data=CaseRef(id=f"id{op[1]:05d}")))
        elif kind == "enter":
            feed.seq += 1
            store.apply(CaseEnteredScope(seq=feed.seq, ts=T0, data=op[1]))  # type: ignore[arg-type]
        elif kind == "snapshot":
            feed.seq += 3
            store.begin_snapshot(feed.seq)
            store.add_snapshot_items(op[1])  # type: ignore[arg-type]
            store.end_snapshot(feed.seq)
        check_everything(store)
        replica.apply(store.drain())
        assert replica.ids == list(store.order)


# --- saved filters -----------------------------------------------------------------------

def test_a_saved_filters_count_follows_queue_unit_and_level_changes() -> None:
    feed = Feed()
    feed.create(case(1, status=S.DISPATCHED, unit_id="B1"), case(2, status=S.DISPATCHED, unit_id="B2"),
                case(3, status=S.HANDLING, unit_id="B1", level=SlaLevel.YELLOW))
    store = feed.store
    store.set_saved_filters({
        "B1 late": CaseFilter(units=frozenset({"B1"}), levels=frozenset({SlaLevel.ORANGE, SlaLevel.RED})),
        "to verify": CaseFilter(queue=Q.TO_VERIFY, units=frozenset({"B1"})),
    })
    assert store.saved_count("B1 late") == 0 and store.saved_count("to verify") == 0
    feed.level("id00003", "overall", SlaLevel.ORANGE)
    assert store.saved_count("B1 late") == 1
    feed.level("id00001", "step", SlaLevel.RED)  # the worse of the two limits counts
    assert store.saved_count("B1 late") == 2
    feed.update("id00002", co_unit_ids=["B1"], step_level=SlaLevel.RED)  # a co-unit counts as the unit
    assert store.saved_count("B1 late") == 3
    feed.update("id00001", status=S.REGISTERED, returns=1, unit_id=None, step_level=SlaLevel.BLUE)  # returned
    assert store.saved_count("B1 late") == 2
    feed.update("id00003", status=S.FEEDBACK)
    assert store.saved_count("to verify") == 1 and store.saved_count("B1 late") == 2
    feed.update("id00003", status=S.CLOSED)  # closed: in no open queue any more
    assert store.saved_count("to verify") == 0 and store.saved_count("B1 late") == 1
    assert store.saved_count("nobody saved this") is None


def test_static_criteria_street_grid_category_prefix_and_channel() -> None:
    store = filled(
        case(1, street_code="310112001", grid_id="G1", category_code="0101", channel=Channel.VIDEO),
        case(2, street_code="310112001", grid_id="G2", category_code="0102", channel=Channel.APP),
        case(3, street_code="310112002", grid_id="G1", category_code="0701", channel=Channel.VIDEO),
        case(4, street_code="310112002", category_code="01", channel=Channel.HOTLINE_12345),
    )
    store.set_saved_filters({
        "street 1": CaseFilter(streets=frozenset({"310112001"})),
        "G1": CaseFilter(grids=frozenset({"G1"})),
        "01…": CaseFilter(categories=frozenset({"01"})),
        "0101 or 07": CaseFilter(categories=frozenset({"0101", "07"})),
        "video": CaseFilter(channels=frozenset({Channel.VIDEO})),
        "street 2 by video": CaseFilter(streets=frozenset({"310112002"}), channels=frozenset({Channel.VIDEO})),
    })
    assert {name: store.saved_count(name) for name in ("street 1", "G1", "01…", "0101 or 07", "video",
                                                        "street 2 by video")} == {
        "street 1": 2, "G1": 2, "01…": 3, "0101 or 07": 2, "video": 2, "street 2 by video": 1}


TEXT_CASES = [
    case(1, serial="MH2026-000123", address="江川路88号", description="夜间施工噪音扰民"),
    case(2, serial="MH2026-000456", address="Lane 5, Humin Road", description="Broken street LIGHT"),
    case(3, serial="MH2026-000789", address="剑川路", description="井盖缺失 manhole cover missing"),
]


@pytest.mark.parametrize(("text", "found"), [
    ("000123", {"id00001"}),
    ("mh2026-000456", {"id00002"}),  # any case
    ("MH2026", {"id00001", "id00002", "id00003"}),
    ("江川路", {"id00001"}),  # address, Chinese
    ("噪音", {"id00001"}),  # description, Chinese, inside a word
    ("川路", {"id00001", "id00003"}),
    ("light", {"id00002"}),
    ("humin light", {"id00002"}),  # every word, from the address and the description
    ("井盖　manhole", {"id00003"}),  # a full-width space separates words too
    ("江川路 light", set()),
    ("  ", {"id00001", "id00002", "id00003"}),
    ("nowhere", set()),
])
def test_the_text_search_finds_by_serial_address_and_description(text: str, found: set[str]) -> None:
    store = filled(*TEXT_CASES)
    store.set_saved_filters({"search": CaseFilter(text=text)})
    assert store.saved_count("search") == len(found)
    store.set_view(CaseFilter(text=text))
    assert shown_ids(store) == found


def test_search_words_narrow_a_saved_filter() -> None:
    base = CaseFilter(queue=Q.TO_REGISTER, text="江川路")
    assert base.with_text("") is base
    narrowed = base.with_text("  噪音 ")
    assert narrowed.queue is Q.TO_REGISTER and narrowed.text.split() == ["江川路", "噪音"]
    assert narrowed.matches(TEXT_CASES[0]) and not CaseFilter(text="江川路 施工 井盖").matches(TEXT_CASES[0])


def test_changing_the_saved_filters_recounts_only_what_changed() -> None:
    feed = Feed()
    feed.create(case(1), case(2, status=S.REGISTERED))
    store = feed.store
    store.set_saved_filters({"a": CaseFilter(queue=Q.TO_REGISTER), "b": CaseFilter(queue=Q.TO_DISPATCH)})
    assert (store.saved_count("a"), store.saved_count("b")) == (1, 1)
    store.set_saved_filters({"a": CaseFilter(queue=Q.TO_REGISTER), "b": CaseFilter(queue=Q.ALL_OPEN),
                             "c": CaseFilter(queue=Q.TO_VERIFY)})
    assert (store.saved_count("a"), store.saved_count("b"), store.saved_count("c")) == (1, 2, 0)
    feed.update("id00001", status=S.FEEDBACK)
    assert (store.saved_count("a"), store.saved_count("b"), store.saved_count("c")) == (0, 2, 1)
    store.set_saved_filters({"c": CaseFilter(queue=Q.TO_VERIFY)})
    assert store.saved_count("a") is None and store.saved_count("c") == 1


def test_a_case_sent_again_whole_is_matched_again_on_its_static_fields() -> None:
    feed = Feed()
    feed.create(case(1, address="江川路"))
    store = feed.store
    store.set_saved_filters({"江川路": CaseFilter(text="江川路")})
    store.set_view(CaseFilter(text="江川路"))
    assert store.saved_count("江川路") == 1 and store.shown == 1
    feed.create(case(1, address="剑川路"))  # corrected at the hub and re-sent whole
    assert store.saved_count("江川路") == 0 and store.shown == 0
    feed.create(case(1, address="江川路 1号"))
    assert store.saved_count("江川路") == 1 and shown_ids(store) == {"id00001"}


# --- "My unit's" ---------------------------------------------------------------------------

SCOPE_CASES = [
    case(1, street_code="310112001"),  # on S1's street, not yet dispatched
    case(2, street_code="310112009", status=S.DISPATCHED, unit_id="C1"),  # owned by a unit under S1
    case(3, street_code="310112009", status=S.HANDLING, unit_id="B1", co_unit_ids=["G1"]),  # co-handled under S1
    case(4, street_code="310112009", status=S.DISPATCHED, unit_id="B2"),  # a bureau's, elsewhere
    case(5, street_code="310112009"),  # elsewhere, nobody's yet
    case(6, street_code="310112001", status=S.CLOSED, requester_phone=PHONE),  # to call back, on S1's street
    case(7, street_code="310112001", status=S.CALLED_BACK, requester_phone=PHONE),  # done
    case(8, street_code="310112009", committee_code="001001", grid_id="G1"),  # on C1's and G1's ground
]


def mine(store: CaseStore) -> set[str]:
    store.set_view(CaseFilter(queue=Q.MINE))
    assert store.shown == store.queue_count(Q.MINE)
    return shown_ids(store)


@pytest.mark.parametrize(("unit_id", "expected"), [
    (None, set()),
    ("S1", {"id00001", "id00002", "id00003", "id00006"}),  # its street and the units under it
    ("C1", {"id00002", "id00003", "id00008"}),  # its own, its grid's, and its committee's ground
    ("G1", {"id00003", "id00008"}),
    ("B1", {"id00003", "id00004"}),  # a bureau: what it and its sub-units own or co-handle
    ("B2", {"id00004"}),
    ("D", {"id00002", "id00003", "id00004"}),  # the district: every unit's, but no ground of its own
    ("unknown", set()),
])
def test_my_units_queue_follows_the_scope(unit_id: str | None, expected: set[str]) -> None:
    store = filled(*SCOPE_CASES)
    store.org_units = dict(ORG)
    store.set_scope(unit_id)
    assert mine(store) == expected
    assert store.scope is None if unit_id is None else store.scope is not None and store.scope.unit_id == unit_id
    assert_counts_are_a_recount(store)


def test_changing_the_scope_moves_my_units_cases_and_the_shown_rows() -> None:
    store = filled(*SCOPE_CASES)
    store.org_units = dict(ORG)
    store.set_scope("B2")
    assert mine(store) == {"id00004"}
    store.drain()
    store.set_scope("S1")  # the view stays on "My unit's" and now shows S1's cases
    assert store.view == CaseFilter(queue=Q.MINE) and store.drain().reset
    assert shown_ids(store) == {"id00001", "id00002", "id00003", "id00006"}
    store.set_scope(None)
    assert store.queue_count(Q.MINE) == 0 and store.shown == 0


def test_my_units_queue_follows_the_organisation_and_the_cases() -> None:
    feed = Feed(filled(*SCOPE_CASES))
    store = feed.store
    store.set_scope("S1")  # before the organisation is known: only the unit itself
    assert store.queue_count(Q.MINE) == 0
    store.org_units = dict(ORG)
    assert store.queue_count(Q.MINE) == 4
    feed.unit(Unit(id="C2", name="新居委", kind=UnitKind.COMMITTEE, parent_id="S1", committee_code="001002"))
    feed.update("id00005", status=S.DISPATCHED, unit_id="C2")  # a case dispatched to a new unit under S1
    assert store.queue_count(Q.MINE) == 5
    feed.update("id00002", status=S.REGISTERED, returns=1, unit_id=None)  # returned by C1: no longer S1's
    assert store.queue_count(Q.MINE) == 4
    feed.update("id00001", status=S.REJECTED)  # rejected: nothing left to do
    assert mine(store) == {"id00003", "id00005", "id00006"}
    assert_counts_are_a_recount(store)


def test_a_unit_scope_is_the_unit_and_every_unit_under_it() -> None:
    scope = UnitScope.of("S1", ORG)
    assert scope.owners == {"S1", "C1", "G1"} and scope.street_code == "310112001"
    assert scope.committee_code is None and scope.grid_id is None
    assert UnitScope.of("G1", ORG).grid_id == "G1" and UnitScope.of("C1", ORG).committee_code == "001001"
    looped = {**ORG, "D": Unit(id="D", name="d", kind=UnitKind.DISTRICT_CENTRE, parent_id="G1")}
    assert UnitScope.of("S1", looped).owners == set(ORG)  # a loop in the chart ends the walk
    assert scope.matches(case(1, street_code="310112009", unit_id="C1"))
    assert scope.matches(case(2, street_code="310112001"))
    assert not scope.matches(case(3, street_code="310112009", unit_id="B2", co_unit_ids=["B1"]))
    assert queue_mask(case(4, street_code="310112001"), scope) != queue_mask(case(4, street_code="310112001"))


# --- the view ------------------------------------------------------------------------------

def test_set_view_narrows_shown_and_order_and_keeps_the_sort() -> None:
    feed = Feed()
    feed.create(*(case(n, status=S.REGISTERED if n % 3 == 0 else S.RECEIVED, due_h=float(20 - n))
                  for n in range(1, 13)))
    store = feed.store
    store.set_sort("serial", descending=True)
    store.set_view(CaseFilter(queue=Q.TO_DISPATCH))
    assert list(store.order) == ["id00012", "id00009", "id00006", "id00003"] and store.shown == 4
    assert store.row_of("id00001") == -1 and store.row_of("id00009") == 1
    assert store.sort_column == "serial" and store.descending
    replica = ViewReplica(store)
    feed.update("id00004", status=S.REGISTERED)  # comes into the view in its sorted place
    feed.update("id00012", status=S.DISPATCHED)  # leaves it
    batch = store.drain()
    replica.apply(batch)
    assert list(store.order) == ["id00009", "id00006", "id00004", "id00003"] == replica.ids
    assert batch.removed_ids == {"id00012"}
    store.set_sort("urgency")
    assert list(store.order) == full_sort(store) == ["id00009", "id00006", "id00004", "id00003"]
    store.set_view(CaseFilter(queue=Q.TO_DISPATCH, text="000006"))
    assert list(store.order) == ["id00006"]
    store.set_view(None)
    assert store.shown == len(store) == 12 and list(store.order) == full_sort(store)
    assert store.view is None


def test_the_same_view_again_changes_nothing() -> None:
    store = filled(case(1), case(2, status=S.REGISTERED))
    store.set_view(CaseFilter(queue=Q.TO_REGISTER))
    store.drain()
    store.set_view(CaseFilter(queue=Q.TO_REGISTER))
    assert store.drain().empty
    store.set_view(CaseFilter(queue=Q.ALL_OPEN))
    assert store.drain().reset and store.shown == 2


def test_counts_do_not_depend_on_the_view() -> None:
    feed = Feed()
    feed.create(*(case(n) for n in range(5)))
    store = feed.store
    store.set_view(CaseFilter(queue=Q.TO_VERIFY))
    assert store.shown == 0 and store.queue_count(Q.TO_REGISTER) == 5
    feed.update("id00002", status=S.FEEDBACK)
    assert store.shown == 1 and store.queue_count(Q.TO_VERIFY) == 1 and store.queue_count(Q.TO_REGISTER) == 4
