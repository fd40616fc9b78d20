"""The emergency book: every emergency, plan task, directive, receipt, resource and CAP warning, folded from the log.

Like the organisation chart it changes only after a commit, from the events themselves (own or
another hub's). Jobs inside a transaction read through `get`, which sees what earlier jobs of
the same transaction wrote (`Batch.records`) before what is committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from hub.engine.batch import Batch
from protocol import (
    CapWarning,
    Directive,
    DirectiveChanged,
    Emergency,
    EmergencyChanged,
    EmergencyStatus,
    EmergencyTask,
    Receipt,
    ReceiptChanged,
    Resource,
    ResourceChanged,
    TaskChanged,
    WarningChanged,
    decode_server,
)
from protocol.events import KnownEvent

_PREFIXES = tuple(f'{{"type":"{t}"'.encode() for t in
                  ("emergency.changed", "task.changed", "directive.changed", "receipt.changed",
                   "warning.changed", "resource.changed"))
"""Frames start with their type (the encoder writes the tag first): a cheap filter before decoding."""

R = TypeVar("R")
EMERGENCIES_WRITTEN = ("emergencies", "written")
"""`Batch.records` key of the ids of the emergencies a transaction wrote (declared ones among them)."""


def receipt_key(directive_id: str, unit_id: str) -> str:
    return f"{directive_id}/{unit_id}"


def cap_key(sender: str, identifier: str) -> str:
    """What names a CAP message (its sender and identifier): one warning per key."""
    return f"{sender} {identifier}"  # neither may contain a space


class EmergencyBook:
    def __init__(self) -> None:
        self.emergencies: dict[str, Emergency] = {}
        self.tasks: dict[str, EmergencyTask] = {}
        self.directives: dict[str, Directive] = {}
        self.receipts: dict[str, Receipt] = {}
        self.warnings: dict[str, CapWarning] = {}
        self.resources: dict[str, Resource] = {}
        self.active_ids: set[str] = set()
        """Ids of the emergencies that are active (few: what a case received is checked against)."""
        self.warning_ids: dict[str, str] = {}
        """Warning id by `cap_key` of its CAP message."""
        self.version = 0
        """Raised by one with every fold that changed something."""

    def fold(self, frames: Iterable[bytes], events: Iterable[KnownEvent] = ()) -> None:
        decoded = [decode_server(f) for f in frames if f.startswith(_PREFIXES)]
        changed = False
        for event in [*decoded, *events]:
            match event:
                case EmergencyChanged(data=record):
                    self.emergencies[record.id] = record
                    if record.status is EmergencyStatus.ACTIVE:
                        self.active_ids.add(record.id)
                    else:
                        self.active_ids.discard(record.id)
                case TaskChanged(data=record):
                    self.tasks[record.id] = record
                case DirectiveChanged(data=record):
                    self.directives[record.id] = record
                case ReceiptChanged(data=record):
                    self.receipts[receipt_key(record.directive_id, record.unit_id)] = record
                case WarningChanged(data=record):
                    self.warnings[record.id] = record
                    self.warning_ids[cap_key(record.sender, record.identifier)] = record.id
                case ResourceChanged(data=record):
                    self.resources[record.id] = record
                case _:
                    continue
            changed = True
        if changed:
            self.version += 1

    def _table(self, kind: type[R]) -> dict[str, Any]:
        tables: dict[type, dict[str, Any]] = {Emergency: self.emergencies, EmergencyTask: self.tasks,
                                              Directive: self.directives, Receipt: self.receipts,
                                              CapWarning: self.warnings, Resource: self.resources}
        return tables[kind]

    def get(self, batch: Batch, kind: type[R], key: str) -> R | None:
        """The record as this transaction sees it."""
        pending = batch.records.get((kind.__name__, key))
        if pending is not None:
            assert isinstance(pending, kind)
            return pending
        found = self._table(kind).get(key)
        assert found is None or isinstance(found, kind)
        return found

    def put(self, batch: Batch, key: str, record: Any) -> None:
        batch.records[(type(record).__name__, key)] = record
        if isinstance(record, Emergency):
            batch.records.setdefault(EMERGENCIES_WRITTEN, set()).add(key)

    def active_candidates(self, batch: Batch) -> set[str] | frozenset[str]:
        """Ids of the emergencies that may be active in this transaction: the committed active ones and
        those the transaction wrote (check each one's status through `get`)."""
        written = batch.records.get(EMERGENCIES_WRITTEN)
        return self.active_ids | written if written else self.active_ids

    def warning_of(self, batch: Batch, sender: str, identifier: str) -> CapWarning | None:
        """The warning already made of this CAP message, as this transaction sees it."""
        key = cap_key(sender, identifier)
        warning_id = batch.records.get(("cap", key)) or self.warning_ids.get(key)
        return None if warning_id is None else self.get(batch, CapWarning, warning_id)

    def put_warning(self, batch: Batch, warning: CapWarning) -> None:
        self.put(batch, warning.id, warning)
        batch.records[("cap", cap_key(warning.sender, warning.identifier))] = warning.id

    def receipts_of(self, batch: Batch, directive: Directive) -> list[Receipt]:
        found = [self.get(batch, Receipt, receipt_key(directive.id, unit)) for unit in directive.recipients]
        return [r for r in found if r is not None]

    def tasks_of(self, emergency_id: str) -> list[EmergencyTask]:
        return [t for t in self.tasks.values() if t.emergency_id == emergency_id]
