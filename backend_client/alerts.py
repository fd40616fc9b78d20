"""The operator's alerts, derived from the feed with the discipline of ISA-18.2 (no Qt).

docs/alarms.md is the alarm philosophy: every alert, who must act on it, its priority. An
`AlertPolicy` holds the rules; `DISCIPLINED` is the console's, `LEGACY` the rules as they were
before issue L (kept for the benchmark's same-run baseline, bench/alert_rate.py).

Under `DISCIPLINED` an alert goes to the desk that can act (`set_desk`):

- a unit's desk (and its street sub-centre, whose ground the case is on: `unit_scope`) is
  alerted when a step or overall limit of one of its cases turns red, and when a person
  supervises one of its cases;
- the centre (no unit) is alerted when it must act: a case red longer than `RED_HELD`, a unit
  with `UNIT_RED` or more red cases (again at twice as many), a case returned a second time
  (arbitration), an urgent case's limit turning orange or red. The rest are queue colours.

Alerts of one kind and key join the open (unacknowledged) row raised within the policy's
`group_window`. Above `flood_at` rows in `FLOOD_WINDOW` a desk is in a flood: further alerts
join one flood row that counts what is in it, until the rate falls. Alerts of cases inside an
active emergency join one row per emergency. A shelved kind or key (`alert.shelve`, the
hub's `alert.shelved`, and the shelves in force that `snapshot.end` gives a console that opens
later) raises no row and no sound until the shelf expires; its alerts are kept
under one greyed shelf row. Unacknowledged critical rows re-sound on the policy's `resound`
schedule and are marked escalated after the last (the supervisor's KPI tile counts them).
Times are the events' `ts` (the hub's), so a replay groups the same way as the live feed did.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from backend_client.store import CaseStore, StoreEvent
from protocol import (
    LIMITS,
    OPEN_STATUSES,
    AlertAcknowledged,
    AlertKind,
    AlertShelf,
    AlertShelved,
    Case,
    CaseFlag,
    CaseUpdated,
    EmergencyStatus,
    GenericEvent,
    Role,
    SlaLevel,
    SupervisionAction,
    SupervisionRecorded,
    TimerLevelChanged,
    Trace,
    UnitKind,
)

GROUP_WINDOW = timedelta(seconds=60)
"""Alerts of one kind and key closer together than this (by the hub's `ts`) share a row."""
ACKED_KEPT = timedelta(hours=1)
"""Acknowledged alerts stay listed (greyed) this long after their acknowledgement."""
FLOOD_WINDOW = timedelta(minutes=10)
"""The window in which rows are counted for a flood (ISA-18.2: more than 10 in 10 minutes)."""
RED_HELD = timedelta(hours=1)
"""A case red (overall limit) this long, still open, alerts the centre."""
UNIT_RED = 10
"""A unit with this many open red cases alerts the centre (again at 2×, 4×, …)."""
UNACKED_LONG = timedelta(minutes=30)
"""The KPI: alerts left unacknowledged longer than this."""


class Priority(IntEnum):
    """Alert priority; lower sorts first."""

    CRITICAL = 0
    HIGH = 1
    NORMAL = 2


TIMER_PRIORITY = {SlaLevel.RED: Priority.CRITICAL, SlaLevel.ORANGE: Priority.HIGH}
"""Timer levels that alert, with their priority (blue and yellow are state, not alerts)."""
SUPERVISION_PRIORITY = {
    SupervisionAction.REMIND: Priority.NORMAL,
    SupervisionAction.URGE: Priority.NORMAL,
    SupervisionAction.SUPERVISE: Priority.HIGH,
    SupervisionAction.ACCOUNT: Priority.HIGH,
}


class Group(StrEnum):
    """A row that gathers alerts of several kinds or keys."""

    FLOOD = "flood"
    EMERGENCY = "emergency"
    SHELF = "shelf"


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """The rules of an alert book: what alerts whom, grouping, floods, re-sounding."""

    name: str
    routed: bool
    """True: alerts go to the desk that can act (see the module); False: every alert to every desk."""
    levels: dict[SlaLevel, Priority]
    """Timer levels that alert a desk (those of an urgent case alert the centre too when routed)."""
    first_return: bool
    """A first return (退单) alerts (True) or is the dispatch queue's state (False)."""
    group_window: timedelta
    flood_at: int | None
    """Rows in `FLOOD_WINDOW` above which new alerts join one flood row (None: no flood row)."""
    resound: tuple[timedelta, ...]
    """Delays between re-soundings of an unacknowledged critical row; the last repeats if `forever`."""
    forever: bool


LEGACY = AlertPolicy(
    name="legacy", routed=False, levels={SlaLevel.RED: Priority.CRITICAL, SlaLevel.ORANGE: Priority.HIGH},
    first_return=True, group_window=timedelta(seconds=60), flood_at=None, resound=(timedelta(minutes=2),),
    forever=True)
"""The rules before issue L: every timer orange and red, every return, to every desk; 60-second
groups; unacknowledged critical alerts re-sound every 2 minutes until acknowledged."""
DISCIPLINED = AlertPolicy(
    name="disciplined", routed=True, levels={SlaLevel.RED: Priority.CRITICAL}, first_return=False,
    group_window=timedelta(minutes=10), flood_at=5,
    resound=(timedelta(minutes=2), timedelta(minutes=5), timedelta(minutes=10)), forever=False)
"""The console's rules (docs/alarms.md)."""


@dataclass(frozen=True, slots=True)
class Shelf:
    """A kind (or one key of it) shelved by an officer until `until` (the hub's `alert.shelved`)."""

    kind: AlertKind
    key: str | None
    until: datetime
    by: str
    at: datetime
    reason: str
    unit_id: str | None = None
    """The desk it was shelved for: the shelving account's unit (None: the centre)."""

    def covers(self, kind: AlertKind, key: str, at: datetime) -> bool:
        return self.kind is kind and (self.key is None or self.key == key) and self.at <= at < self.until


@dataclass(frozen=True, slots=True)
class Ack:
    """Who acknowledged, as the hub recorded it."""

    by: str
    role: Role
    at: datetime
    comment: str = ""


@dataclass(slots=True)
class AlertCase:
    """One case of an alert, as it was when the alert was raised."""

    case_id: str
    serial: str
    street: str
    category: str
    """The category's English name (`category_zh` beside it)."""
    category_zh: str
    unit: str
    raised_at: datetime
    actor: str = ""
    """Who supervised, or the account that returned the case."""
    detail: str = ""
    """The note of a supervision, the unit's reason for a return."""
    ack: Ack | None = None
    kind: AlertKind = AlertKind.TIMER
    key: str = ""
    """The alert of this case as `alert.ack` names it (a group row may hold several keys)."""


@dataclass(slots=True)
class Alert:
    """One row of the alerts panel: one case, or a group raised together."""

    id: int
    kind: AlertKind
    key: str
    """As `alert.ack` names it: `overall.red`, `step.orange`, `supervise`, `return.2`…"""
    priority: Priority
    raised_at: datetime
    last_at: datetime
    cases: dict[str, AlertCase] = field(default_factory=dict)
    sending: bool = False
    """An acknowledgement of this alert was sent and its result has not arrived yet."""
    error: str = ""
    """The hub's words when it refused the last acknowledgement."""
    group: Group | None = None
    """A flood, emergency or shelf row (its cases carry their own kind and key)."""
    counts: Counter[str] = field(default_factory=Counter)
    """A group row's alerts by key (`step.red`: 12…), what the row's title breaks down."""
    shelf: Shelf | None = None
    emergency: str = ""
    """An emergency row's emergency (its serial and title)."""
    resounded: int = 0
    """How many times this row has re-sounded unacknowledged."""
    next_sound: datetime | None = None
    escalated: bool = False
    """Re-sounded as often as the policy allows and still unacknowledged."""

    @property
    def acked(self) -> bool:
        return all(c.ack is not None for c in self.cases.values())

    @property
    def ack(self) -> Ack | None:
        """The last acknowledgement once every case is acknowledged, else None."""
        acks = [c.ack for c in self.cases.values()]
        if not acks or any(a is None for a in acks):
            return None
        return max((a for a in acks if a is not None), key=lambda a: a.at)

    def unacked_ids(self) -> list[str]:
        return [c.case_id for c in self.cases.values() if c.ack is None]

    def ack_batches(self, max_batch: int) -> list[tuple[AlertKind, str, list[str]]]:
        """(kind, key, case ids) for `alert.ack`, at most `max_batch` ids each."""
        by_key: dict[tuple[AlertKind, str], list[str]] = {}
        for c in self.cases.values():
            if c.ack is None:
                by_key.setdefault((c.kind, c.key), []).append(c.case_id)
        return [(kind, key, ids[i:i + max_batch]) for (kind, key), ids in by_key.items()
                for i in range(0, len(ids), max_batch)]

    def streets(self) -> list[tuple[str, int]]:
        """Streets of the alert's cases, most cases first."""
        return Counter(c.street for c in self.cases.values()).most_common()


Scope = Callable[[Case | None, str | None], bool]
"""(the case as the store holds it, the unit the event names) → is it one of the operator's cases?"""


def everything(_case: Case | None, _unit_id: str | None) -> bool:
    """Centre staff: every case is theirs."""
    return True


def unit_scope(store: CaseStore, scope_unit: str) -> Scope:
    """A desk scoped to a unit: cases its unit (or one under it) owns or co-handles, or on its ground."""

    def ancestry(unit_id: str) -> Iterator[str]:
        seen: set[str] = set()
        current: str | None = unit_id
        while current is not None and current not in seen:
            seen.add(current)
            yield current
            unit = store.org_units.get(current)
            current = unit.parent_id if unit is not None else None

    def mine(case: Case | None, unit_id: str | None) -> bool:
        owners = {unit_id} if unit_id else set()
        if case is not None:
            owners |= {u for u in (case.unit_id, *case.co_unit_ids) if u}
        if any(scope_unit in ancestry(owner) for owner in owners):
            return True
        unit = store.org_units.get(scope_unit)
        ground = unit is not None and unit.kind in (UnitKind.STREET_CENTRE, UnitKind.COMMITTEE, UnitKind.GRID)
        return case is not None and ground and unit is not None and unit.street_code == case.street_code

    return mine


class AlertBook:
    """Every alert this console raised, acknowledged or not, fed by a `CaseStore`'s event tap.

    The panel drains it on a timer: `drain()` says whether anything changed and which alerts
    are new since the last drain (to sound once per drain, not once per event); `tick(now)`
    raises what only time brings (a case red too long, for the centre) and `resound(now)`
    says which unacknowledged critical rows sound again.
    """

    def __init__(self, store: CaseStore, *, scope: Scope = everything, group_window: timedelta | None = None,
                 max_batch: int = LIMITS.max_batch_args, policy: AlertPolicy = LEGACY,
                 desk_unit: str | None = None) -> None:
        self.store = store
        self.scope = scope
        self.policy = policy
        self.group_window = group_window if group_window is not None else policy.group_window
        self.max_batch = max_batch
        self.desk_unit = desk_unit
        """The unit whose desk this is (None: the centre); set with `set_desk`."""
        self.user: str | None = None
        """This console's account: its own supervision does not alert it."""
        self.alerts: dict[int, Alert] = {}
        self.shelves: list[Shelf] = []
        self._open: dict[tuple[AlertKind | Group, str], Alert] = {}
        self._ids = itertools.count(1)
        self._dirty = False
        self._new: list[Alert] = []
        self._recent_rows: deque[datetime] = deque()
        """When the rows of the last `FLOOD_WINDOW` were raised (alerts joining a group row excluded)."""
        self._flood: Alert | None = None
        self.line_times: list[tuple[datetime, str]] = []
        """Each row raised (its time, its key): the KPIs and the benchmark count these."""
        self.raised: Counter[tuple[str, str]] = Counter()
        """Every alert raised, by (key, unit): the bad actors."""
        self._red: dict[str, datetime] = {}
        """Open red cases (overall limit) → since when (the centre's `overall.red.held`)."""
        self._held: list[tuple[datetime, str]] = []
        self._held_done: set[str] = set()
        self._unit_alerted: dict[str, int] = {}
        """The red count at which each unit last alerted the centre."""
        self._seeded = False
        self._shelves_seen = 0
        """The store's `alert_shelves_version` last merged (the shelves a snapshot gave)."""
        store.event_taps.append(self.on_event)

    def close(self) -> None:
        """Stop listening to the store."""
        if self.on_event in self.store.event_taps:
            self.store.event_taps.remove(self.on_event)

    def set_desk(self, unit_id: str | None) -> None:
        """The account's unit from `welcome` (None: the centre): its scope and its routing."""
        self.desk_unit = unit_id
        self.scope = unit_scope(self.store, unit_id) if unit_id is not None else everything

    @property
    def centre(self) -> bool:
        return self.desk_unit is None

    # --- from the feed ----------------------------------------------------------------

    def on_event(self, event: StoreEvent) -> None:
        """The store's tap: called with each event right after the store applied it."""
        if isinstance(event, TimerLevelChanged):
            self._level_changed(event)
        elif isinstance(event, SupervisionRecorded):
            s = event.data
            if not s.automatic and s.actor != self.user and (not self.policy.routed or not self.centre):
                self._raise(AlertKind.SUPERVISION, s.action.value, SUPERVISION_PRIORITY[s.action], s.case_id,
                            s.unit_id, event.ts, s.note, actor=s.actor)
        elif isinstance(event, CaseUpdated):
            self._case_updated(event)
        elif isinstance(event, AlertAcknowledged):
            self._acknowledged(event)
        elif isinstance(event, AlertShelved):
            self._shelved(event)
        elif isinstance(event, GenericEvent) and event.type.startswith("emergency."):
            self.on_emergency_event(event)

    def _level_changed(self, event: TimerLevelChanged) -> None:
        change = event.data
        if change.kind == "overall":
            if change.level is SlaLevel.RED:
                self._track_red(change.case_id, event.ts)
            else:
                self._red.pop(change.case_id, None)
        priority = self.policy.levels.get(change.level)
        if priority is None or _rank(change.level) <= _rank(change.previous):
            return
        if self.policy.routed and self.centre:
            case = self.store.get(change.case_id)
            if case is None or not case.urgent:
                return  # the centre sees it as a queue colour; the unit's desk is alerted
            priority = Priority.CRITICAL if change.level is SlaLevel.RED else Priority.HIGH
        self._raise(AlertKind.TIMER, f"{change.kind}.{change.level.value}", priority, change.case_id,
                    change.unit_id, event.ts)

    def _case_updated(self, event: CaseUpdated) -> None:
        case = self.store.get(event.data.id)
        if case is None or case.status not in OPEN_STATUSES or case.level is not SlaLevel.RED:
            self._red.pop(event.data.id, None)
        trace = event.data.trace
        if not (isinstance(trace, Trace) and trace.action == "return"):
            return
        returns = case.returns if case is not None else 1
        if self.policy.routed and (not self.centre or returns < 2):
            return  # a first return is the dispatch queue's; the returning unit knows what it did
        if not self.policy.first_return and returns < 2:
            return
        arbitration = case is not None and CaseFlag.ARBITRATION in case.flags
        unit_id = _returning_unit(case)
        actor = event.data.actor if isinstance(event.data.actor, str) else ""
        self._raise(AlertKind.RETURNED, f"return.{max(1, returns)}",
                    Priority.HIGH if arbitration else Priority.NORMAL, event.data.id, unit_id,
                    event.ts, trace.note, unit_name=self._unit_name(unit_id) or actor or unit_id, actor=actor)

    def on_emergency_event(self, event: GenericEvent) -> None:
        """Emergency events the protocol does not type: nothing to raise (their cases group, see `_raise`)."""

    # --- time ---------------------------------------------------------------------------

    def _track_red(self, case_id: str, since: datetime) -> None:
        if case_id in self._red or case_id in self._held_done:
            return
        self._red[case_id] = since
        heapq.heappush(self._held, (since + RED_HELD, case_id))

    def tick(self, now: datetime) -> None:
        """Raise what time alone brings: the centre's cases red too long and units with many red cases."""
        if not (self.policy.routed and self.centre):
            return
        if not self._seeded and not self.store.loading:  # cases already red when this console opened (a snapshot)
            self._seeded = True
            for case in self.store.cases():
                if case.status in OPEN_STATUSES and case.level is SlaLevel.RED and case.overall is not None:
                    self._track_red(case.id, case.overall.due_at)
        while self._held and self._held[0][0] <= now:
            due, case_id = heapq.heappop(self._held)
            since = self._red.get(case_id)
            if since is None or since + RED_HELD != due:
                continue
            self._held_done.add(case_id)
            held = self.store.get(case_id)
            self._raise(AlertKind.TIMER, "overall.red.held", Priority.CRITICAL, case_id,
                        held.unit_id if held else None, due)
        per_unit: dict[str, list[str]] = {}
        for case_id in self._red:
            red = self.store.get(case_id)
            if red is not None and red.unit_id:
                per_unit.setdefault(red.unit_id, []).append(case_id)
        for unit_id in list(self._unit_alerted):
            if len(per_unit.get(unit_id, ())) < UNIT_RED:
                del self._unit_alerted[unit_id]  # below the threshold again: the next crossing alerts
        for unit_id, ids in per_unit.items():
            if len(ids) >= max(UNIT_RED, 2 * self._unit_alerted.get(unit_id, 0)):
                self._unit_alerted[unit_id] = len(ids)
                for case_id in ids:
                    self._raise(AlertKind.TIMER, f"unit.red.{unit_id}", Priority.CRITICAL, case_id, unit_id, now,
                                group=False)

    def resound(self, now: datetime) -> list[Alert]:
        """Unacknowledged critical rows whose next re-sounding is due now (each counted once per call)."""
        due = []
        steps = self.policy.resound
        for alert in self.alerts.values():
            if alert.priority is not Priority.CRITICAL or alert.acked or alert.group is Group.SHELF:
                continue
            if alert.next_sound is None:
                alert.next_sound = alert.raised_at + steps[0]
            if now < alert.next_sound or alert.escalated:
                continue
            alert.resounded += 1
            due.append(alert)
            if alert.resounded >= len(steps) and not self.policy.forever:
                alert.escalated = True
                self._dirty = True
            else:
                alert.next_sound = now + steps[min(alert.resounded, len(steps) - 1)]
        return due

    # --- raising ------------------------------------------------------------------------

    def _raise(self, kind: AlertKind, key: str, priority: Priority, case_id: str, unit_id: str | None,
               at: datetime, detail: str = "", unit_name: str | None = None, actor: str = "",
               group: bool = True) -> None:
        case = self.store.get(case_id)
        if not self.scope(case, unit_id):
            return
        if unit_name is None:
            unit_name = (case.unit_name if case else None) or self._unit_name(unit_id) or unit_id or ""
        item = AlertCase(
            case_id=case_id, serial=case.serial if case else case_id, street=case.street_name if case else "",
            category=case.category_en if case else "", category_zh=case.category_zh if case else "",
            unit=unit_name, raised_at=at, actor=actor, detail=detail, kind=kind, key=key,
        )
        self.raised[(key, unit_name)] += 1
        self._sync_shelves()
        shelf = next((s for s in self.shelves if s.unit_id == self.desk_unit and s.covers(kind, key, at)), None)
        if shelf is not None:
            self._join(self._group_row(Group.SHELF, f"{shelf.kind.value}:{shelf.key}:{shelf.at.isoformat()}",
                                       kind, key, priority, at, shelf=shelf, line=False), item, priority)
            return
        emergency = self.store.emergencies.get(case.emergency_id) if case and case.emergency_id else None
        if self.policy.routed and emergency is not None and emergency.status is EmergencyStatus.ACTIVE:
            row = self._group_row(Group.EMERGENCY, emergency.id, kind, key, priority, at,
                                  emergency=f"{emergency.serial} {emergency.title}")
            self._join(row, item, priority)
            return
        window = self.group_window if group else timedelta(0)
        open_row = self._open.get((kind, key))
        if open_row is not None and not open_row.acked and at - open_row.last_at <= window:
            self._join(open_row, item, priority)
            return
        if self._flooding(at):
            self._join(self._group_row(Group.FLOOD, "", kind, key, priority, at), item, priority)
            return
        row = Alert(id=next(self._ids), kind=kind, key=key, priority=priority, raised_at=at, last_at=at)
        self._add_row(row, at)
        self._open[(kind, key)] = row
        self._join(row, item, priority)

    def _flooding(self, at: datetime) -> bool:
        if self.policy.flood_at is None:
            return False
        while self._recent_rows and at - self._recent_rows[0] > FLOOD_WINDOW:
            self._recent_rows.popleft()
        if len(self._recent_rows) >= self.policy.flood_at:
            return True
        if self._flood is not None and at - self._flood.last_at > FLOOD_WINDOW:
            self._flood = None  # the flood is over: the next one gets a row of its own
        return False

    def _group_row(self, group: Group, name: str, kind: AlertKind, key: str, priority: Priority, at: datetime,
                   *, shelf: Shelf | None = None, emergency: str = "", line: bool = True) -> Alert:
        if group is Group.FLOOD:
            row = self._flood if self._flood is not None and at - self._flood.last_at <= FLOOD_WINDOW else None
        else:
            row = self._open.get((group, name))
        if row is None:
            row = Alert(id=next(self._ids), kind=kind, key=key, priority=priority, raised_at=at, last_at=at,
                        group=group, shelf=shelf, emergency=emergency)
            if line:
                self._add_row(row, at)
            else:
                self.alerts[row.id] = row
                self._dirty = True
            if group is Group.FLOOD:
                self._flood = row
            else:
                self._open[(group, name)] = row
        elif row.acked and line:  # more alerts in an acknowledged flood or emergency row: it is news again
            row.raised_at = at
            row.next_sound, row.resounded, row.escalated = None, 0, False
            self._new.append(row)
        return row

    def _add_row(self, row: Alert, at: datetime) -> None:
        self.alerts[row.id] = row
        self._new.append(row)
        self._recent_rows.append(at)
        self.line_times.append((at, row.group.value if row.group is not None else row.key))
        self._dirty = True

    def _join(self, row: Alert, item: AlertCase, priority: Priority) -> None:
        row.cases[item.case_id] = item
        row.last_at = max(row.last_at, item.raised_at)
        row.priority = min(row.priority, priority)
        if row.group is not None:
            row.counts[item.key] += 1
        self._dirty = True

    def _unit_name(self, unit_id: str | None) -> str:
        """The unit's name as far as this replica knows it; "" when it does not."""
        if unit_id is None:
            return ""
        stats, unit = self.store.units.get(unit_id), self.store.org_units.get(unit_id)
        return stats.unit_name if stats else unit.name if unit else ""

    def _acknowledged(self, event: AlertAcknowledged) -> None:
        data = event.data
        ack = Ack(by=data.by, role=data.role, at=data.at, comment=data.comment)
        named = set(data.case_ids)
        for alert in self.alerts.values():
            if named.isdisjoint(alert.cases):
                continue
            for case_id in named.intersection(alert.cases):
                item = alert.cases[case_id]
                if item.kind is data.kind and item.key == data.key and item.ack is None:
                    item.ack = ack
                    self._dirty = True
            if alert.acked:
                alert.sending, alert.error = False, ""

    def _shelved(self, event: AlertShelved) -> None:
        self._sync_shelves()
        self._shelve(event.data)

    def _shelve(self, data: AlertShelf) -> None:
        shelf = Shelf(kind=data.kind, key=data.key, until=data.until, by=data.by, at=data.at, reason=data.reason,
                      unit_id=data.unit_id)
        self.shelves = [s for s in self.shelves if s.until > data.at and not (
            s.kind is shelf.kind and s.key == shelf.key and s.unit_id == shelf.unit_id)]
        self.shelves.append(shelf)
        self._dirty = True

    def _sync_shelves(self) -> None:
        """Merge the shelves in force that the store's last snapshot gave (made before this console connected)."""
        if self._shelves_seen == self.store.alert_shelves_version:
            return
        self._shelves_seen = self.store.alert_shelves_version
        for data in self.store.alert_shelves:
            if not any(s.kind is data.kind and s.key == data.key and s.unit_id == data.unit_id and s.at >= data.at
                       for s in self.shelves):
                self._shelve(data)

    # --- for the panel ------------------------------------------------------------------

    def drain(self) -> tuple[bool, list[Alert]]:
        """(whether anything changed, the alerts raised) since the last drain."""
        changed, new = self._dirty, self._new
        self._dirty, self._new = False, []
        return changed, new

    def rows(self, now: datetime) -> list[Alert]:
        """Unacknowledged first (critical on top, newest first), then shelves, then the last hour's acknowledged."""
        self.prune(now)
        live = sorted((a for a in self.alerts.values() if not a.acked and a.group is not Group.SHELF),
                      key=lambda a: (a.priority, -a.last_at.timestamp()))
        shelved = sorted((a for a in self.alerts.values() if a.group is Group.SHELF),
                         key=lambda a: -a.last_at.timestamp())
        done = sorted((a for a in self.alerts.values() if a.acked and a.group is not Group.SHELF),
                      key=lambda a: -(a.ack.at if a.ack else a.last_at).timestamp())
        return live + shelved + done

    def active_shelves(self, now: datetime) -> list[Shelf]:
        self._sync_shelves()
        return [s for s in self.shelves if s.unit_id == self.desk_unit and s.at <= now < s.until]

    def prune(self, now: datetime) -> None:
        """Forget alerts acknowledged more than `ACKED_KEPT` ago, and shelf rows that long after their shelf."""
        for alert_id, alert in list(self.alerts.items()):
            ack = alert.ack
            ended = alert.shelf.until if alert.shelf is not None else ack.at if ack is not None else None
            if ended is not None and now - ended > ACKED_KEPT:
                del self.alerts[alert_id]
                for key, row in list(self._open.items()):
                    if row is alert:
                        del self._open[key]
                if self._flood is alert:
                    self._flood = None
                self._dirty = True
        self.shelves = [s for s in self.shelves if now - s.until <= ACKED_KEPT]

    def unacked_critical(self) -> list[Alert]:
        return [a for a in self.alerts.values()
                if a.priority is Priority.CRITICAL and not a.acked and a.group is not Group.SHELF]

    def ack_batches(self, alert: Alert) -> list[tuple[AlertKind, str, list[str]]]:
        """The unacknowledged cases of an alert in `alert.ack`-sized lists (kind, key, at most `max_batch` ids)."""
        return alert.ack_batches(self.max_batch)

    def set_sending(self, alert_id: int, sending: bool, error: str = "") -> None:
        alert = self.alerts.get(alert_id)
        if alert is not None:
            alert.sending, alert.error = sending, error
            self._dirty = True

    # --- the supervisor's figures -------------------------------------------------------

    def kpis(self, now: datetime, hours: float = 8.0) -> AlarmKpis:
        """ISA-18.2's figures for this desk over the last `hours`: rows per 10 minutes, floods, stale, bad actors."""
        start = now - timedelta(hours=hours)
        windows = max(1, int((now - start) / FLOOD_WINDOW))
        counts = [0] * windows
        for at, _ in self.line_times:
            if start <= at < now:
                counts[min(windows - 1, int((at - start) / FLOOD_WINDOW))] += 1
        stale = sum(1 for a in self.alerts.values() if not a.acked and a.group is not Group.SHELF
                    and now - a.raised_at > UNACKED_LONG)
        return AlarmKpis(hours=hours, per_10_min=sum(counts) / windows,
                         flood_share=sum(1 for c in counts if c > 10) / windows,
                         unacked_over_30_min=stale, bad_actors=self.raised.most_common(10))


@dataclass(frozen=True, slots=True)
class AlarmKpis:
    """One desk's alarm figures (ISA-18.2 targets: about 1 per 10 minutes, floods under 1 % of windows)."""

    hours: float
    per_10_min: float
    flood_share: float
    unacked_over_30_min: int
    bad_actors: list[tuple[tuple[str, str], int]]
    """The ten most frequent alerts: ((key, unit), count)."""


def _returning_unit(case: Case | None) -> str | None:
    """The unit that had the case before its return (the return's own trace names no unit)."""
    if case is None:
        return None
    return next((t.unit_id for t in reversed(case.history[:-1]) if t.unit_id), None)


def _rank(level: SlaLevel) -> int:
    return (SlaLevel.BLUE, SlaLevel.YELLOW, SlaLevel.ORANGE, SlaLevel.RED).index(level)
