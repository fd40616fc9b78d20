"""The shift handover (交接班) on the wire: what a shift leaves open, and who took it over.

The outgoing officer hands over (`shift.handover`) with a note; the hub records the open items
that need a person at that instant: the red (overdue) cases and the cases awaiting arbitration it
holds, and what only the sender's console knows (its unacknowledged alerts, the commands the hub
refused it), which the console sends as items. The incoming officer acknowledges the items one by
one or all at once (`shift.handover_ack`); each acknowledgement is an event on the log with who
and when, and the handover record a snapshot carries has them applied.

Imported by `protocol.events` at its end (these events extend its catalogue), after the names
this module takes from it are defined.
"""

from enum import StrEnum

import msgspec

from protocol.enums import Role
from protocol.events import Instant, _Event


class HandoverItemKind(StrEnum):
    """What an open item of a handover is."""

    RED_CASE = "red_case"                # a case overdue (red) on its overall limit: listed by the hub
    ARBITRATION = "arbitration"          # a case returned twice, awaiting the centre's decision: by the hub
    ALERT = "alert"                      # an alert the outgoing console had not acknowledged: sent by it
    REFUSED_COMMAND = "refused_command"  # a command the hub refused the outgoing console: sent by it


class HandoverItem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One open item a handover leaves, and its acknowledgement once the incoming officer gave it."""

    kind: HandoverItemKind
    ref: str
    """What the item is about: the case id (`red_case`, `arbitration`), or the sending console's
    reference (`alert`, `refused_command`); unique per kind within one handover."""
    text: str = ""
    """The item in words (the hub writes serial · category · street for its cases)."""
    acknowledged_by: str | None = None
    acknowledged_at: Instant | None = None


class Handover(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A shift handover (交接班): who handed over, to whom, and what was open at that moment."""

    by: str
    at: Instant
    open_by_status: dict[str, int]
    """Open cases by status at the handover."""
    red_case_ids: list[str] = []
    """Open cases overdue (red) at the handover, most overdue first, at most 200."""
    to: str | None = None
    note: str = ""
    id: str = ""
    """`H` and the `seq` of its `shift.handed_over`, what `shift.handover_ack` names; empty on
    handovers recorded before acknowledgements existed."""
    unit_id: str | None = None
    """The unit whose desk handed over (its own cases only); none for the centre's duty shift."""
    items: list[HandoverItem] = []
    """The open items that need a person: red cases, arbitrations, then the console's items."""
    acknowledged_by: str | None = None
    """Who acknowledged the last open item (or the whole handover, when it had none)."""
    acknowledged_at: Instant | None = None


class ShiftHandedOver(_Event, frozen=True, kw_only=True, tag="shift.handed_over"):
    """A duty shift was handed over, with the open items it left."""

    data: Handover


class HandoverItemRef(msgspec.Struct, frozen=True, kw_only=True):
    """Names one item of a handover."""

    kind: HandoverItemKind
    ref: str


class HandoverAck(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The incoming officer acknowledged items of a handover (接班确认)."""

    handover_id: str
    items: list[HandoverItemRef]
    """The items this acknowledgement covers (those not acknowledged before); empty when the
    handover had none and was acknowledged as a whole."""
    by: str
    role: Role
    at: Instant
    complete: bool = False
    """True when no item of the handover is left unacknowledged."""
    note: str = ""


class ShiftHandoverAcknowledged(_Event, frozen=True, kw_only=True, tag="shift.handover_acknowledged"):
    """Items of a shift handover were acknowledged by the incoming officer."""

    data: HandoverAck


def acknowledged(handover: Handover, ack: HandoverAck) -> Handover:
    """The handover with an acknowledgement applied (hub and client fold the log the same way).

    >>> from datetime import datetime, UTC
    >>> at = datetime(2026, 11, 24, 10, tzinfo=UTC)
    >>> h = Handover(by="a", at=at, open_by_status={}, id="H7", items=[HandoverItem(kind=HandoverItemKind.ALERT,
    ...              ref="x"), HandoverItem(kind=HandoverItemKind.ALERT, ref="y")])
    >>> one = acknowledged(h, HandoverAck(handover_id="H7", items=[HandoverItemRef(kind=HandoverItemKind.ALERT,
    ...                    ref="x")], by="b", role=Role.DUTY, at=at))
    >>> [i.acknowledged_by for i in one.items], one.acknowledged_by
    (['b', None], None)
    """
    named = {(i.kind, i.ref) for i in ack.items}
    items = [msgspec.structs.replace(i, acknowledged_by=ack.by, acknowledged_at=ack.at)
             if (i.kind, i.ref) in named and i.acknowledged_by is None else i for i in handover.items]
    done = ack.complete or all(i.acknowledged_by is not None for i in items)
    if done and handover.acknowledged_by is None:
        return msgspec.structs.replace(handover, items=items, acknowledged_by=ack.by, acknowledged_at=ack.at)
    return msgspec.structs.replace(handover, items=items)


SHIFT_EVENTS = (ShiftHandedOver, ShiftHandoverAcknowledged)
