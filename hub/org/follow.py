"""Feed the organisation chart from the log: at start (every org event) and after each commit."""

from __future__ import annotations

from collections.abc import Iterable

from hub.org.chart import OrgChart
from protocol import RotaChanged, UnitChanged, decode_server
from protocol.events import KnownEvent

_ORG_PREFIXES = (b'{"type":"unit.changed"', b'{"type":"rota.changed"')
"""Frames start with their type (the encoder writes the tag first): a cheap filter before decoding."""


def fold(chart: OrgChart, frames: Iterable[bytes], events: Iterable[KnownEvent] = ()) -> None:
    decoded = [decode_server(f) for f in frames if f.startswith(_ORG_PREFIXES)]
    org = [e for e in [*decoded, *events] if isinstance(e, UnitChanged | RotaChanged)]
    if org:
        chart.apply(units=[e.data for e in org if isinstance(e, UnitChanged)],
                    rota=[e.data for e in org if isinstance(e, RotaChanged)])
