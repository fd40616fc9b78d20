"""The duty rota and the shift handovers as this client knows them (no Qt).

Filled from `snapshot.end` (`rota`, `handovers`: the latest handover of each desk with its
acknowledgements) and kept up by the store's event tap: `rota.changed`, `shift.handed_over`,
`shift.handover_acknowledged`. A screen polls `version` (one int compare per drain) and reads
`news` for what to announce once.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from protocol import RotaChanged, RotaDay
from protocol.shift import Handover, HandoverAck, ShiftHandedOver, ShiftHandoverAcknowledged, acknowledged

NEWS_KEPT = 20


@dataclass(frozen=True, slots=True)
class ShiftNews:
    """One change worth a line in the status bar: a rota day set, a handover, an acknowledgement."""

    rota: RotaDay | None = None
    handover: Handover | None = None
    ack: HandoverAck | None = None


_SHIFT_EVENTS = frozenset({RotaChanged, ShiftHandedOver, ShiftHandoverAcknowledged})
"""The events the book follows (decoded events are never subclassed)."""

class ShiftBook:
    def __init__(self) -> None:
        self.rota: dict[str, RotaDay] = {}
        """Rota days by `YYYY-MM-DD`."""
        self.handovers: dict[str, Handover] = {}
        """The latest handover of each desk: `""` for the centre's duty shift, else the unit id."""
        self.version = 0
        """Raised by one on every change."""
        self.news: list[ShiftNews] = []
        """Changes from live events, newest last (a snapshot brings none); a reader takes them with `take_news`."""

    def latest(self, unit_id: str | None = None) -> Handover | None:
        """The latest handover of the centre's shift, or of a unit's desk."""
        return self.handovers.get(unit_id or "")

    def set_snapshot(self, rota: list[RotaDay], handovers: list[Handover]) -> None:
        """What `snapshot.end` says replaces what this book held."""
        self.rota = {d.date: d for d in rota}
        self.handovers = {h.unit_id or "": h for h in handovers}
        self.version += 1

    def on_event(self, event: object) -> None:
        """The store's tap: called with each event right after the store applied it."""
        if type(event) not in _SHIFT_EVENTS:
            return  # nearly every event is about cases: one set lookup, not three isinstance tests
        if isinstance(event, RotaChanged):
            self.rota[event.data.date] = event.data
            self._told(ShiftNews(rota=event.data))
        elif isinstance(event, ShiftHandedOver):
            data = event.data if event.data.id else msgspec.structs.replace(event.data, id=f"H{event.seq}")
            self.handovers[data.unit_id or ""] = data
            self._told(ShiftNews(handover=data))
        elif isinstance(event, ShiftHandoverAcknowledged):
            for desk, held in self.handovers.items():
                if held.id == event.data.handover_id:
                    self.handovers[desk] = acknowledged(held, event.data)
                    self._told(ShiftNews(handover=self.handovers[desk], ack=event.data))
                    break

    def take_news(self) -> list[ShiftNews]:
        news, self.news = self.news, []
        return news

    def _told(self, news: ShiftNews) -> None:
        self.news = [*self.news[-(NEWS_KEPT - 1):], news]
        self.version += 1
