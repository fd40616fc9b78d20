"""The operator's alerts, derived from the feed with the discipline of ISA-18.2 (no Qt).

What alerts, and nothing else (the rest is state on the screen):

- `timer.level_changed` into orange (priority high) or red (critical), step or overall limit;
- `supervision.recorded` by a person on one of the operator's cases (the hub's automatic
  supervision follows a level change that already alerted, so it would only repeat it);
- `case.updated` whose trace action is `return` (退单): high when the case now awaits
  arbitration, normal otherwise;
- `alert.acknowledged` marks the named cases of an alert acknowledged, for every console.

Emergencies are not in the protocol yet: `on_emergency_event` is where their events go.

Floods are grouped: an alert of the same kind and key (e.g. `overall.red`) raised within
`GROUP_WINDOW` of the last one in an unacknowledged group joins that group, so 143 cases
turning red at once make one row that opens into its cases. Times are the events' `ts`
(the hub's), so a replay after a reconnect groups the same way as the live feed did.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum

from backend_client.store import CaseStore, StoreEvent
from protocol import (
    LIMITS,
    AlertAcknowledged,
    AlertKind,
    Case,
    CaseFlag,
    CaseUpdated,
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
    are new since the last drain (to sound once per drain, not once per event).
    """

    def __init__(self, store: CaseStore, *, scope: Scope = everything, group_window: timedelta = GROUP_WINDOW,
                 max_batch: int = LIMITS.max_batch_args) -> None:
        self.store = store
        self.scope = scope
        self.group_window = group_window
        self.max_batch = max_batch
        self.user: str | None = None
        """This console's account: its own supervision does not alert it."""
        self.alerts: dict[int, Alert] = {}
        self._open: dict[tuple[AlertKind, str], Alert] = {}
        self._ids = itertools.count(1)
        self._dirty = False
        self._new: list[Alert] = []
        store.event_taps.append(self.on_event)

    def close(self) -> None:
        """Stop listening to the store."""
        if self.on_event in self.store.event_taps:
            self.store.event_taps.remove(self.on_event)

    # --- from the feed ----------------------------------------------------------------

    def on_event(self, event: StoreEvent) -> None:
        """The store's tap: called with each event right after the store applied it."""
        if isinstance(event, TimerLevelChanged):
            change = event.data
            priority = TIMER_PRIORITY.get(change.level)
            if priority is not None and _rank(change.level) > _rank(change.previous):
                self._raise(AlertKind.TIMER, f"{change.kind}.{change.level.value}", priority, change.case_id,
                            change.unit_id, event.ts)
        elif isinstance(event, SupervisionRecorded):
            s = event.data
            if not s.automatic and s.actor != self.user:
                self._raise(AlertKind.SUPERVISION, s.action.value, SUPERVISION_PRIORITY[s.action], s.case_id,
                            s.unit_id, event.ts, s.note, actor=s.actor)
        elif isinstance(event, CaseUpdated):
            trace = event.data.trace
            if isinstance(trace, Trace) and trace.action == "return":
                case = self.store.get(event.data.id)
                returns = case.returns if case is not None else 1
                arbitration = case is not None and CaseFlag.ARBITRATION in case.flags
                unit_id = _returning_unit(case)
                actor = event.data.actor if isinstance(event.data.actor, str) else ""
                self._raise(AlertKind.RETURNED, f"return.{max(1, returns)}",
                            Priority.HIGH if arbitration else Priority.NORMAL, event.data.id, unit_id,
                            event.ts, trace.note, unit_name=self._unit_name(unit_id) or actor or unit_id, actor=actor)
        elif isinstance(event, AlertAcknowledged):
            self._acknowledged(event)
        elif isinstance(event, GenericEvent) and event.type.startswith("emergency."):
            self.on_emergency_event(event)

    def on_emergency_event(self, event: GenericEvent) -> None:
        """Hook for emergencies (突发事件), which the protocol does not carry yet.

        When their events exist, raise their alerts here (critical, never grouped with timers).
        Until then an `emergency.*` event from a newer hub is ignored, like any unknown event.
        """

    def _raise(self, kind: AlertKind, key: str, priority: Priority, case_id: str, unit_id: str | None,
               at: datetime, detail: str = "", unit_name: str | None = None, actor: str = "") -> None:
        case = self.store.get(case_id)
        if not self.scope(case, unit_id):
            return
        if unit_name is None:
            unit_name = (case.unit_name if case else None) or self._unit_name(unit_id) or unit_id or ""
        item = AlertCase(
            case_id=case_id, serial=case.serial if case else case_id, street=case.street_name if case else "",
            category=case.category_en if case else "", category_zh=case.category_zh if case else "",
            unit=unit_name, raised_at=at, actor=actor, detail=detail,
        )
        group = self._open.get((kind, key))
        if group is None or group.acked or at - group.last_at > self.group_window:
            group = Alert(id=next(self._ids), kind=kind, key=key, priority=priority, raised_at=at, last_at=at)
            self.alerts[group.id] = group
            self._open[(kind, key)] = group
            self._new.append(group)
        group.cases[case_id] = item
        group.last_at = max(group.last_at, at)
        group.priority = min(group.priority, priority)
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
            if alert.kind is data.kind and alert.key == data.key and not named.isdisjoint(alert.cases):
                for case_id in named.intersection(alert.cases):
                    if alert.cases[case_id].ack is None:
                        alert.cases[case_id].ack = ack
                if alert.acked:
                    alert.sending, alert.error = False, ""
                self._dirty = True

    # --- for the panel ------------------------------------------------------------------

    def drain(self) -> tuple[bool, list[Alert]]:
        """(whether anything changed, the alerts raised) since the last drain."""
        changed, new = self._dirty, self._new
        self._dirty, self._new = False, []
        return changed, new

    def rows(self, now: datetime) -> list[Alert]:
        """Unacknowledged first (critical on top, newest first), then the last hour's acknowledged."""
        self.prune(now)
        live = sorted((a for a in self.alerts.values() if not a.acked),
                      key=lambda a: (a.priority, -a.last_at.timestamp()))
        done = sorted((a for a in self.alerts.values() if a.acked),
                      key=lambda a: -(a.ack.at if a.ack else a.last_at).timestamp())
        return live + done

    def prune(self, now: datetime) -> None:
        """Forget alerts acknowledged more than `ACKED_KEPT` ago."""
        for alert_id, alert in list(self.alerts.items()):
            ack = alert.ack
            if ack is not None and now - ack.at > ACKED_KEPT:
                del self.alerts[alert_id]
                if self._open.get((alert.kind, alert.key)) is alert:
                    del self._open[(alert.kind, alert.key)]
                self._dirty = True

    def unacked_critical(self) -> list[Alert]:
        return [a for a in self.alerts.values() if a.priority is Priority.CRITICAL and not a.acked]

    def ack_batches(self, alert: Alert) -> list[list[str]]:
        """The unacknowledged cases of an alert in `alert.ack`-sized lists (at most `max_batch` each)."""
        ids = alert.unacked_ids()
        return [ids[i:i + self.max_batch] for i in range(0, len(ids), self.max_batch)]

    def set_sending(self, alert_id: int, sending: bool, error: str = "") -> None:
        alert = self.alerts.get(alert_id)
        if alert is not None:
            alert.sending, alert.error = sending, error
            self._dirty = True


def _returning_unit(case: Case | None) -> str | None:
    """The unit that had the case before its return (the return's own trace names no unit)."""
    if case is None:
        return None
    return next((t.unit_id for t in reversed(case.history[:-1]) if t.unit_id), None)


def _rank(level: SlaLevel) -> int:
    return (SlaLevel.BLUE, SlaLevel.YELLOW, SlaLevel.ORANGE, SlaLevel.RED).index(level)
