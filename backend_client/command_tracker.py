"""Which commands are still on their way to the hub, and which ones it refused, per case.

Pure Python, no Qt: the connection tells it about every command it sends and every
`command.result`; a Qt model polls `version` (one int compare per drain) and reads the
marks of the cases it shows only when the number moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from protocol import CommandResult


class Refusal(NamedTuple):
    """A command the hub answered with `ok: false`, in the hub's own words."""

    command: str
    """The command's name, e.g. `case.dispatch`."""
    code: str
    """The hub's error code, e.g. `conflict`, `forbidden`, `illegal_state`."""
    message: str
    """The hub's message, shown to the operator as it is."""


@dataclass(frozen=True, slots=True)
class PendingCommand:
    """A command written to the outbox (or at least sent) and not yet answered."""

    command_id: str
    name: str
    case_id: str | None
    created_at: float
    """Epoch seconds when the operator gave it."""


def case_id_of(name: str, args: dict[str, Any]) -> str | None:
    """The case a command acts on, when it names exactly one.

    >>> case_id_of("case.dispatch", {"id": "c1", "unit_id": "u"}), case_id_of("case.create", {"id": "x"})
    ('c1', None)
    >>> case_id_of("alert.ack", {"case_ids": ["c2"]}), case_id_of("case.supervise", {"ids": ["a", "b"]})
    ('c2', None)
    """
    if name == "case.create":
        return None
    if name.startswith("case.") and isinstance(args.get("id"), str):
        return str(args["id"])
    many = args.get("case_ids", args.get("ids"))
    if isinstance(many, list) and len(many) == 1 and isinstance(many[0], str):
        return many[0]
    return None


class CommandTracker:
    """Pending commands and the hub's refusals by case; `version` moves on every change."""

    def __init__(self) -> None:
        self.version = 0
        """Raised by one on every change: a poller compares it and reads nothing else when equal."""
        self._pending: dict[str, PendingCommand] = {}
        self._refusals: dict[str, Refusal] = {}
        self._overdue: set[str] = set()
        self.unattached_refusals: list[Refusal] = []
        """Refusals of commands that name no single case (newest last, at most 20 kept)."""

    # --- reading ----------------------------------------------------------------------

    def pending(self, case_id: str | None = None) -> list[PendingCommand]:
        """Commands not yet answered that act on `case_id` (None: every pending command), oldest first."""
        if case_id is None:
            return list(self._pending.values())
        return [command for command in self._pending.values() if command.case_id == case_id]

    def pending_case_ids(self) -> frozenset[str]:
        return frozenset(command.case_id for command in self._pending.values() if command.case_id is not None)

    def refusal(self, case_id: str) -> Refusal | None:
        """The last refusal on this case that the operator has not dismissed."""
        return self._refusals.get(case_id)

    def refused_case_ids(self) -> frozenset[str]:
        return frozenset(self._refusals)

    def overdue(self, command_id: str) -> bool:
        """The hub has not answered this command in time (the connection sent it again)."""
        return command_id in self._overdue

    def __len__(self) -> int:
        """Number of pending commands."""
        return len(self._pending)

    # --- changes (from the connection) ------------------------------------------------

    def add(self, command: PendingCommand) -> None:
        """A command is on its way; a new command on a case replaces the case's old refusal."""
        self._pending[command.command_id] = command
        if command.case_id is not None:
            self._refusals.pop(command.case_id, None)
        self.version += 1

    def mark_overdue(self, command_id: str) -> None:
        """No answer in time: the command is still on its way, and late."""
        if command_id in self._pending and command_id not in self._overdue:
            self._overdue.add(command_id)
            self.version += 1

    def answered(self, result: CommandResult) -> None:
        """The hub answered one of our commands (maybe one given before a restart)."""
        self._overdue.discard(result.id)
        command = self._pending.pop(result.id, None)
        if command is None:
            return
        if result.ok:
            if command.case_id is not None:
                self._refusals.pop(command.case_id, None)
        else:
            code, message = (result.error.code.value, result.error.message) if result.error else ("internal", "")
            refusal = Refusal(command.name, code, message)
            if command.case_id is not None:
                self._refusals[command.case_id] = refusal
            else:
                self.unattached_refusals = [*self.unattached_refusals[-19:], refusal]
        self.version += 1

    def forget(self, command_id: str) -> None:
        """Stop tracking a command nobody will answer here (its caller gave up, no outbox)."""
        self._overdue.discard(command_id)
        if self._pending.pop(command_id, None) is not None:
            self.version += 1

    def dismiss(self, case_id: str) -> None:
        """The operator has read the refusal on this case."""
        if self._refusals.pop(case_id, None) is not None:
            self.version += 1
