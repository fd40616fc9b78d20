"""From a filled intake form to the hub: create the case, then register and dispatch it, or merge it.

Every command goes through the feed's `send_command`, so the outbox keeps it while the hub is away;
the chain's later steps follow the create when the hub answers it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication

from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from protocol import CommandError, CommandResult, ErrorCode
from protocol.enums import Role
from protocol.events import Routing

translate = QCoreApplication.translate

CREATE, DISPATCH, MERGE = "create", "dispatch", "merge"


class IntakeFeed(Protocol):
    role: Role | None
    server_skew_s: float
    state: ConnectionState

    async def send_command(self, name: str, args: dict[str, Any], *, command_id: str | None = None
                           ) -> CommandResult: ...


class CallSender:
    """Sends one call's commands in order and says, in the desk's words, how far the hub accepted them."""

    def __init__(self, feed: IntakeFeed, store: CaseStore, unit_name: Callable[[str], str]) -> None:
        self.feed, self.store, self.unit_name = feed, store, unit_name

    async def send(self, args: dict[str, Any], mode: str, into: str | None, unit: str | None,
                   routing: Routing | None) -> tuple[bool, str, str | None]:
        """Create, then register and dispatch, or merge: (all accepted, what to say, the new case's id)."""
        created = await self._command("case.create", args)
        if not created.ok or created.result is None:
            return False, translate("IntakeDesk", "✕ Refused by the hub: %1").replace("%1", _why(created)), None
        case_id, serial = str(created.result["id"]), str(created.result["serial"])
        if mode == MERGE and into is not None:
            target = self.store.get(into)
            target_serial = target.serial if target is not None else into
            merged = await self._command("case.merge", {"id": case_id, "into": into, "note": translate(
                "IntakeDesk", "the same matter, merged at intake")})
            if not merged.ok:
                return False, translate("IntakeDesk", "✕ %1 created, but the merge into %2 was refused: %3").replace(
                    "%1", serial).replace("%2", target_serial).replace("%3", _why(merged)), case_id
            return True, translate("IntakeDesk", "✓ %1 recorded and merged into %2.").replace("%1", serial).replace(
                "%2", target_serial), case_id
        if mode == DISPATCH:
            registered = await self._command("case.register", {"id": case_id})
            if not registered.ok:
                return False, translate("IntakeDesk", "✕ %1 created, but registering it was refused: %2").replace(
                    "%1", serial).replace("%2", _why(registered)), case_id
            unit = unit or await self._suggested_unit(args)
            if unit is None:
                return False, translate("IntakeDesk", "%1 created and registered; no unit is suggested: designate "
                                        "one from its drill-down.").replace("%1", serial), case_id
            dispatched = await self._command("case.dispatch", {"id": case_id, "unit_id": unit})
            name = routing.unit_name if routing is not None and routing.unit_id == unit else self.unit_name(unit)
            if not dispatched.ok:
                return False, translate("IntakeDesk", "✕ %1 registered, but the dispatch was refused: %2").replace(
                    "%1", serial).replace("%2", _why(dispatched)), case_id
            return True, translate("IntakeDesk", "✓ %1 created, registered and dispatched to %2.").replace(
                "%1", serial).replace("%2", name), case_id
        return True, translate("IntakeDesk", "✓ %1 created.").replace("%1", serial), case_id

    async def _suggested_unit(self, args: dict[str, Any]) -> str | None:
        """The rules' unit for a case created while no suggestion was at hand (the hub was away)."""
        asked = {k: args[k] for k in ("category_code", "street_code", "lon", "lat")}
        answer = await self._command("route.suggest", asked)
        routing = answer.result.get("routing") if answer.ok and answer.result else None
        return str(routing["unit_id"]) if routing else None

    async def _command(self, name: str, args: dict[str, Any]) -> CommandResult:
        try:
            return await self.feed.send_command(name, args)
        except Exception as exc:  # the connection closed for good
            return CommandResult(id="", ok=False, error=CommandError(code=ErrorCode.INTERNAL,
                                                                     message=str(exc) or type(exc).__name__))


def _why(result: CommandResult) -> str:
    return result.error.message if result.error is not None else "?"
