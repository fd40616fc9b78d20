"""What the case engine needs to know of the organisation, and nothing more.

The engine asks through `OrgPort`, so its rules are tested without the whole org chart
and the chart's data can change shape without touching the loop.
"""

from __future__ import annotations

from typing import Protocol

from protocol import Case, Routing


class OrgPort(Protocol):
    def unit_name(self, unit_id: str) -> str | None:
        """The unit's name, or None when no such unit exists."""

    def escalation_target(self, case: Case) -> str | None:
        """The unit one loop up from the case's current owner (None at the district centre)."""

    def suggest(self, case: Case) -> Routing | None:
        """The routing rule's choice for the case, with its explanation; None: designate."""

    def police_unit(self) -> str:
        """Where 110 matters go."""

    def in_scope(self, scope_unit: str, case: Case) -> bool:
        """Whether an account scoped to `scope_unit` may act on `case`."""

    def all_units(self) -> list[tuple[str, str]]:
        """(id, name) of every unit that can own cases."""
