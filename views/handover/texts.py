"""The handover and the rota in words, for the panel and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from backend_client.store import CaseStore
from protocol import RotaDay
from protocol.shift import Handover, HandoverAck
from views.models.alert_texts import clock

translate = QCoreApplication.translate


def unit_name(store: CaseStore, unit_id: str) -> str:
    unit, stats = store.org_units.get(unit_id), store.units.get(unit_id)
    return unit.name if unit is not None else stats.unit_name if stats is not None else unit_id


def rota_line(day: RotaDay, store: CaseStore) -> str:
    """On duty {date}: front desk {unit}; staff …"""
    text = translate("Handover", "On duty {date}: front desk {unit}").format(
        date=day.date, unit=unit_name(store, day.front_desk_unit_id))
    if day.staff:
        text += translate("Handover", "; staff {names}").format(names=", ".join(day.staff))
    return f"{text} ({day.note})" if day.note else text


def open_count(handover: Handover) -> int:
    return sum(1 for i in handover.items if i.acknowledged_by is None)


def handover_line(handover: Handover) -> str:
    """Who handed over when, to whom, the note, and how far it is taken over."""
    text = translate("Handover", "Handed over by {user} at {time}").format(user=handover.by, time=clock(handover.at))
    if handover.to:
        text += translate("Handover", " to {to}").format(to=handover.to)
    if handover.note:
        text += f": {handover.note}"
    return f"{text}\n{state_line(handover)}"


def state_line(handover: Handover) -> str:
    if handover.acknowledged_by is not None and handover.acknowledged_at is not None:
        return translate("Handover", "Taken over by {user} at {time}").format(
            user=handover.acknowledged_by, time=clock(handover.acknowledged_at))
    left, total = open_count(handover), len(handover.items)
    return translate("Handover", "{open} of {count} items open, not yet taken over").format(open=left, count=total)


def ack_line(ack: HandoverAck) -> str:
    if ack.complete:
        return translate("Handover", "Shift taken over by {user} at {time}").format(user=ack.by, time=clock(ack.at))
    return translate("Handover", "{user} acknowledged {count} handover items at {time}").format(
        user=ack.by, count=len(ack.items), time=clock(ack.at))
