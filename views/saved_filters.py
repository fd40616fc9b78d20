"""The operator's saved filters, kept in QSettings as one JSON list with a format version.

A list that cannot be read (hand-edited, or from a newer console) is left in place and not
used; the console starts with no saved filters rather than guessing.
"""

from __future__ import annotations

import logging

import msgspec
from PySide6.QtCore import QSettings

from backend_client.store import CaseFilter

log = logging.getLogger(__name__)

KEY = "queues/saved_filters"
VERSION_KEY = "queues/saved_filters_version"
VERSION = 1
"""1: a list of {name, filter}; `filter` is `CaseFilter` as msgspec writes it."""


class SavedFilter(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    filter: CaseFilter


_decoder = msgspec.json.Decoder(list[SavedFilter])


def load(settings: QSettings) -> dict[str, CaseFilter]:
    """The saved filters by name, in the order they were saved."""
    raw = settings.value(KEY)
    if raw is None:
        return {}
    version = settings.value(VERSION_KEY)
    if str(version) != str(VERSION):
        log.warning("saved filters of format %r not read (this console reads %d)", version, VERSION)
        return {}
    try:
        items = _decoder.decode(str(raw))
    except msgspec.DecodeError as exc:
        log.warning("saved filters not read: %s", exc)
        return {}
    return {item.name: item.filter for item in items}


def store(settings: QSettings, filters: dict[str, CaseFilter]) -> None:
    items = [SavedFilter(name=name, filter=f) for name, f in filters.items()]
    settings.setValue(KEY, msgspec.json.encode(items).decode())
    settings.setValue(VERSION_KEY, VERSION)
    settings.sync()
