"""What an account scoped to a unit receives in place of the events outside its scope.

The hub filters the feed of an account scoped to a unit (docs/protocol.md, "Accounts scoped to
a unit"): the account never receives a case outside its scope, yet its `seq` stays gapless. An
event about such a case comes as `event.withheld`, with its `seq` and `ts` and nothing else; a
case that comes into the scope comes whole as `case.entered_scope`, and one that leaves it as
`case.left_scope`, each in place of the event that moved it.

Imported by `protocol.events` at its end (these events extend its catalogue), after the names
this module takes from it are defined.
"""

import msgspec

from protocol.events import Case, _Event

OUT_OF_SCOPE = "out_of_scope"
"""`Withheld.reason` of an event about something outside the account's scope."""


class CaseRef(msgspec.Struct, frozen=True, kw_only=True):
    """Names one case."""

    id: str


class Withheld(msgspec.Struct, frozen=True, kw_only=True):
    """Why an event was withheld from this account."""

    reason: str = OUT_OF_SCOPE


class CaseEnteredScope(_Event, frozen=True, kw_only=True, tag="case.entered_scope"):
    """A case came into the account's scope (dispatched to its unit): the whole case, as the hub holds it."""

    data: Case


class CaseLeftScope(_Event, frozen=True, kw_only=True, tag="case.left_scope"):
    """A case the account held left its scope (returned, passed to another unit): drop it."""

    data: CaseRef


class EventWithheld(_Event, frozen=True, kw_only=True, tag="event.withheld"):
    """An event outside the account's scope: only its `seq` and `ts` (count the seq, nothing to apply)."""

    data: Withheld


SCOPE_EVENTS = (CaseEnteredScope, CaseLeftScope, EventWithheld)
