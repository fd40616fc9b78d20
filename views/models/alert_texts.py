"""The words of an alert row: what happened, to how many cases, where, and its state.

A group names its count and its streets ("143 cases turned red (overall limit) in 莘庄镇 and
6 other streets"); a single case names its serial. A flood, an emergency's and a shelf's row
(docs/alarms.md) name what gathers them and break their alerts down by key ("Flood: 15 alerts —
red (overall limit) 8, red (step limit) 7"); an escalated row says so in its state. All
strings are in context `Alerts`.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from backend_client.alerts import Alert, AlertCase, Group, Priority, Shelf
from protocol.enums import AlertKind
from views.models.case_cells import CENTRE_ZONE
from views.models.labels import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate


PRIORITY = {
    Priority.CRITICAL: QT_TRANSLATE_NOOP("Alerts", "Critical"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Alerts", "High"),
    Priority.NORMAL: QT_TRANSLATE_NOOP("Alerts", "Normal"),
}
LEVEL = {
    "red": QT_TRANSLATE_NOOP("Alerts", "red"),
    "orange": QT_TRANSLATE_NOOP("Alerts", "orange"),
    "yellow": QT_TRANSLATE_NOOP("Alerts", "yellow"),
}
TIMER = {
    "overall": QT_TRANSLATE_NOOP("Alerts", "overall limit"),
    "step": QT_TRANSLATE_NOOP("Alerts", "step limit"),
}
SUPERVISED = {
    "remind": QT_TRANSLATE_NOOP("Alerts", "reminded"),
    "urge": QT_TRANSLATE_NOOP("Alerts", "urged"),
    "supervise": QT_TRANSLATE_NOOP("Alerts", "supervised"),
    "account": QT_TRANSLATE_NOOP("Alerts", "held to account"),
}


KIND = {
    AlertKind.TIMER: QT_TRANSLATE_NOOP("Alerts", "every timer alert"),
    AlertKind.SUPERVISION: QT_TRANSLATE_NOOP("Alerts", "every supervision alert"),
    AlertKind.RETURNED: QT_TRANSLATE_NOOP("Alerts", "every return alert"),
}
"""What a shelf of a whole kind (no key) shelves."""


def clock(moment: datetime) -> str:
    """`HH:MM` in the centre's zone (24-hour clock)."""
    return moment.astimezone(CENTRE_ZONE).strftime("%H:%M")


def tr(source: str) -> str:
    """Translate a source string marked above with `QT_TRANSLATE_NOOP("Alerts", …)`."""
    return translate("Alerts", source)


def priority_text(priority: Priority) -> str:
    return tr(PRIORITY[priority])


def where(alert: Alert) -> str:
    streets = [s for s, _ in alert.streets() if s]
    if not streets:
        return ""
    first = streets[0]
    if len(streets) == 1:
        return translate("Alerts", "in {street}").format(street=first)
    if len(streets) == 2:
        return translate("Alerts", "in {street} and 1 other street").format(street=first)
    text = translate("Alerts", "in {street} and {others} other streets")
    return text.format(street=first, others=len(streets) - 1)


def key_text(kind: AlertKind, key: str) -> str:
    """An alert's key in words: `step.red` → "red (step limit)", `return.2` → "returned again"."""
    if kind is AlertKind.TIMER:
        if key == "overall.red.held":
            return translate("Alerts", "red for an hour")
        if key.startswith("unit.red."):
            return translate("Alerts", "many red cases ({unit})").format(unit=key.removeprefix("unit.red."))
        timer, _, level = key.partition(".")
        return translate("Alerts", "{level} ({timer})").format(level=tr(LEVEL.get(level, level)),
                                                              timer=tr(TIMER.get(timer, timer)))
    if kind is AlertKind.SUPERVISION:
        return tr(SUPERVISED.get(key, key))
    return translate("Alerts", "returned") if key == "return.1" else translate("Alerts", "returned again")


def breakdown(alert: Alert) -> str:
    """A group row's alerts by key, most first: "red (overall limit) 8, red (step limit) 7"."""
    kinds = {c.key: c.kind for c in alert.cases.values()}
    return ", ".join(f"{key_text(kinds.get(key, alert.kind), key)} {count}"
                     for key, count in alert.counts.most_common())


def shelved_what(shelf: Shelf) -> str:
    return key_text(shelf.kind, shelf.key) if shelf.key is not None else tr(KIND[shelf.kind])


def group_title(alert: Alert) -> str:
    """A flood's, an emergency's or a shelf's row: what gathers it, how many alerts, by key."""
    words = {"count": sum(alert.counts.values()), "keys": breakdown(alert)}
    if alert.group is Group.FLOOD:
        return translate("Alerts", "Flood: {count} alerts — {keys}").format(**words)
    if alert.group is Group.EMERGENCY:
        return translate("Alerts", "Emergency {emergency}: {count} alerts — {keys}").format(
            emergency=alert.emergency, **words)
    shelf = alert.shelf
    if shelf is None:
        return translate("Alerts", "Shelved: {count} alerts — {keys}").format(**words)
    text = translate("Alerts", "Shelved by {user} until {time} ({what}): {reason} — {count} alerts held")
    return text.format(user=shelf.by, time=clock(shelf.until), what=shelved_what(shelf), reason=shelf.reason,
                       count=words["count"])


def title(alert: Alert) -> str:
    """One line saying what the alert is about."""
    if alert.group is not None:
        return group_title(alert)
    count = len(alert.cases)
    first = next(iter(alert.cases.values()))
    place = where(alert)
    if alert.kind is AlertKind.TIMER:
        timer, _, level = alert.key.partition(".")
        words = {"level": tr(LEVEL.get(level, level)), "timer": tr(TIMER.get(timer, timer)), "where": place}
        if count > 1:
            text = translate("Alerts", "{count} cases turned {level} ({timer}) {where}")
            return text.format(count=count, **words).strip()
        text = translate("Alerts", "{serial} turned {level} ({timer}) {where}")
        return text.format(serial=first.serial, **words).strip()
    if alert.kind is AlertKind.SUPERVISION:
        action = tr(SUPERVISED.get(alert.key, alert.key))
        if count > 1:
            text = translate("Alerts", "{count} cases {action} {where}")
            return text.format(count=count, action=action, where=place).strip()
        if first.detail:
            text = translate("Alerts", "{serial} {action} by {actor}: {note}")
        else:
            text = translate("Alerts", "{serial} {action} by {actor}")
        return text.format(serial=first.serial, action=action, actor=first.actor, note=first.detail)
    twice = alert.key != "return.1"
    if count > 1:
        if twice:
            text = translate("Alerts", "{count} cases returned again, awaiting arbitration {where}")
        else:
            text = translate("Alerts", "{count} cases returned {where}")
        return text.format(count=count, where=place).strip()
    if twice:
        text = translate("Alerts", "{serial} returned again, awaiting arbitration: {reason}")
    else:
        text = translate("Alerts", "{serial} returned by {unit}: {reason}")
    return text.format(serial=first.serial, unit=first.unit, reason=first.detail)


def case_line(item: AlertCase, language: str = "en") -> str:
    """A case of a group: serial · street · category · unit, then who acted and why."""
    parts = [item.serial, item.street, item.category_zh if language.startswith("zh") else item.category, item.unit,
             item.actor, item.detail]
    return " · ".join(dict.fromkeys(p for p in parts if p))


def state(alert: Alert) -> str:
    if alert.group is Group.SHELF and alert.shelf is not None:
        return translate("Alerts", "Shelved until {time}").format(time=clock(alert.shelf.until))
    if alert.sending:
        return translate("Alerts", "Sending…")
    if alert.error:
        return translate("Alerts", "Refused: {message}").format(message=alert.error)
    ack = alert.ack
    if ack is not None:
        return ack_text(ack.by, ack.at, ack.comment)
    done = len(alert.cases) - len(alert.unacked_ids())
    if alert.escalated:
        return translate("Alerts", "Escalated: sounded {times} times, not acknowledged").format(
            times=alert.resounded + 1)
    if done:
        return translate("Alerts", "{done} of {count} acknowledged").format(done=done, count=len(alert.cases))
    return translate("Alerts", "New")


def case_state(item: AlertCase) -> str:
    """A case row's state: only its acknowledgement (the alert's row says "New" once for all)."""
    return "" if item.ack is None else ack_text(item.ack.by, item.ack.at, item.ack.comment)


def ack_text(by: str, at: datetime, comment: str) -> str:
    text = translate("Alerts", "Acknowledged by {user} at {time}").format(user=by, time=clock(at))
    return f"{text}: {comment}" if comment else text
