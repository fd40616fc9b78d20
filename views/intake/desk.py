"""The intake desk (受理): a call in progress becomes a case, dispatched or merged, from the keyboard.

The form on the left (channel, phone, category, address, what, urgent); on the right what the
hub will do with it (the unit its rules suggest, and why), the open cases that look like it
(same category, same place, last 30 days), and the map, where a click places the call.

Keys: Ctrl+Enter creates the case; Ctrl+Shift+Enter creates, registers and dispatches it to the
suggested unit in one go; Ctrl+1 … Ctrl+9 merge the call into that similar case.

Every command goes through the feed's `send_command`, so the outbox keeps it while the hub is
away. `received_at` is the moment the call started (the first thing typed into a blank form),
so a call taken while the hub is away lands with its real time. While the hub is away the form
is cleared at once (the call waits in the outbox) and the next call can be taken; the chain
(register, dispatch or merge) follows the create when the hub answers it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import msgspec
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QWidget,
)
from shiboken6 import isValid

from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from protocol import Geography
from protocol.commands import may_send
from protocol.enums import Role
from protocol.events import Routing
from views.case_detail.form_base import FormError
from views.case_detail.geo import district_of
from views.case_detail.style import muted, tint
from views.feed_tasks import TaskSet
from views.intake.catalog import entries_from_cases, entries_from_result
from views.intake.columns import CallColumn, HubColumn
from views.intake.place import Place, place_locally
from views.intake.sending import CREATE, DISPATCH, MERGE, CallSender, IntakeFeed
from views.intake.similar import Similar, similar_cases
from views.models.case_cells import CENTRE_ZONE
from widgets.district_map import MapPoint

translate = QCoreApplication.translate

REFRESH_MS = 250
"""The desk looks at the store and the form four times a second; it redraws only what changed."""

class IntakeDesk(QWidget):
    """Signals: `answered(str, bool, str)` with what was done (`create`, `dispatch`, `merge`), whether the
    hub accepted all of it, and the message shown; `case_created(str)` with the new case's id;
    `refreshed()` after each look at the store (4 Hz) and when an answer of the hub changed what is shown."""

    answered = Signal(str, bool, str)
    case_created = Signal(str)
    refreshed = Signal()

    def __init__(self, store: CaseStore, feed: IntakeFeed, *, language: str = "en",
                 clock: Callable[[], float] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("view.intake")
        self.store, self.feed, self.language = store, feed, language
        self._clock = clock
        self._tasks = TaskSet()
        self.place: Place | None = None
        self.routing: Routing | None = None
        self.similar: list[Similar] = []
        self.started_at: datetime | None = None
        self.sending = False
        self.catalog_from_hub = False
        self._catalog_asked = False
        self._role: Role | None = None
        self._similar_key: object = None
        self._route_key: object = None
        self._route_asking: object = None
        self._geography: Geography | None = None
        self._map_key: object = None
        self._addresses: dict[str, tuple[float, float]] = {}
        self._addresses_seq = -1
        self._sender = CallSender(feed, store, self._unit_name)
        self._build()
        self._timer = QTimer(self, interval=REFRESH_MS, timerType=Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        outer.addWidget(split)
        self.call = CallColumn(self.language)
        self.header, self.fields, self.where, self.message = (self.call.header, self.call.fields, self.call.where,
                                                              self.call.message)
        self.new_button, self.create_button, self.dispatch_button, self.result = (
            self.call.new_button, self.call.create_button, self.call.dispatch_button, self.call.result)
        self.hub_side = HubColumn(self.language)
        self.suggestion, self.similar_list, self.map = (self.hub_side.suggestion, self.hub_side.similar_list,
                                                        self.hub_side.map)
        for column in (self.call, self.hub_side):
            scroll = QScrollArea(split)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(column)
            split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.fields.address.setCompleter(self.completer)
        self.completer.activated.connect(self._on_address_chosen)
        self.fields.address.editingFinished.connect(lambda: self._on_address_chosen(self.fields.address.text()))
        self.map.clicked.connect(self.place_at)
        self.fields.category.chosen.connect(self._on_category_chosen)
        self.fields.category.done.connect(self.fields.address.setFocus)
        self.similar_list.merge_requested.connect(lambda case_id: self.submit(MERGE, into=case_id))
        self.new_button.clicked.connect(self.new_call)
        self.create_button.clicked.connect(lambda: self.submit(CREATE))
        self.dispatch_button.clicked.connect(lambda: self.submit(DISPATCH))
        for edit in (self.fields.phone.textEdited, self.fields.address.textEdited,
                     self.fields.category.line.textEdited):
            edit.connect(self._touched)
        self.fields.description.textChanged.connect(self._touched)
        keys: list[tuple[str, Callable[[], object]]] = [
            ("Ctrl+Return", lambda: self.submit(CREATE)), ("Ctrl+Enter", lambda: self.submit(CREATE)),
            ("Ctrl+Shift+Return", lambda: self.submit(DISPATCH)), ("Ctrl+Shift+Enter", lambda: self.submit(DISPATCH)),
        ]
        keys += [(f"Ctrl+{n}", partial(self.similar_list.request, n - 1)) for n in range(1, 10)]
        for sequence, slot in keys:
            QShortcut(QKeySequence(sequence), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._show_header()
        self._show_place()
        self._show_suggestion()

    # --- the call --------------------------------------------------------------------------

    def _now(self) -> float:
        """Epoch seconds on the hub's clock (ours corrected by the skew measured at `welcome`)."""
        return self._clock() if self._clock is not None else time.time() + self.feed.server_skew_s

    def _touched(self, *_args: object) -> None:
        if self.started_at is None and not self.fields.blank():
            self.started_at = datetime.fromtimestamp(self._now(), UTC).replace(microsecond=0)
            self._show_header()

    def new_call(self) -> None:
        """Clear the form for the next call (the clock starts with the first thing typed)."""
        self.fields.clear()
        self.place = None
        self.routing = None
        self.started_at = None
        self._route_key = None
        self.message.hide()
        self._show_header()
        self._show_place()
        self._show_suggestion()
        self.refresh()
        self.focus_first()

    def focus_first(self) -> None:
        """The keyboard goes to the first field still empty (F2 lands here)."""
        for widget in (self.fields.phone, self.fields.category.line, self.fields.address):
            if not widget.text().strip():
                widget.setFocus()
                return
        self.fields.description.setFocus()

    def _show_header(self) -> None:
        if self.started_at is None:
            self.header.setText(translate("IntakeDesk", "New call: the time is taken at the first key typed."))
        else:
            self.header.setText(translate("IntakeDesk", "Call started %1").replace(
                "%1", self.started_at.astimezone(CENTRE_ZONE).strftime("%Y-%m-%d %H:%M:%S")))
        muted(self.header)

    # --- the place -------------------------------------------------------------------------

    def place_at(self, lon: float, lat: float) -> None:
        """Place the call at a point: the hub says where that is (or, while it is away, the console's map)."""
        self._touched()
        if self._live() and self._may("geo.locate"):
            self._tasks.start(self._locate(lon, lat))
        else:
            self._set_place(self._place_locally(lon, lat), lon, lat)

    def _place_locally(self, lon: float, lat: float) -> Place | None:
        geography = self.store.geography
        return place_locally(geography, lon, lat) if geography is not None else None

    async def _locate(self, lon: float, lat: float) -> None:
        try:
            result = await self.feed.send_command("geo.locate", {"lon": lon, "lat": lat})
        except Exception:  # the feed closed for good: the console's map will do
            result = None
        if not isValid(self):
            return
        if result is not None and result.ok and result.result is not None:
            self._set_place(Place.from_result(lon, lat, result.result), lon, lat)
        elif result is not None and result.error is not None:
            self._set_place(None, lon, lat, result.error.message)
        else:
            self._set_place(self._place_locally(lon, lat), lon, lat)

    def _set_place(self, place: Place | None, lon: float, lat: float, why: str = "") -> None:
        self.place = place
        if place is None:
            self.show_message(why or translate("IntakeDesk", "That point is outside the district: place the call "
                                               "inside it."), error=True)
        else:
            self.message.hide()
        self._show_place()
        self.refresh()

    def _show_place(self) -> None:
        place = self.place
        if place is None:
            self.where.setText(translate("IntakeDesk", "Not placed yet: click the map, or pick a known address."))
            muted(self.where)
            return
        parts = [place.street_name]
        if place.committee_name:
            parts.append(place.committee_name)
        if place.grid_id:
            parts.append(translate("IntakeDesk", "grid %1").replace("%1", place.grid_id))
        text = " · ".join(parts)
        if not place.from_hub:
            text += translate("IntakeDesk", " (from the console's map; the hub completes it)")
        self.where.setText(text)
        tint(self.where, "text")

    def _on_address_chosen(self, text: str) -> None:
        point = self._addresses.get(text.strip())
        if point is not None and (self.place is None or (self.place.lon, self.place.lat) != point):
            self.place_at(*point)

    # --- what the hub will do ----------------------------------------------------------------

    def _on_category_chosen(self, _code: str) -> None:
        self._touched()
        self.refresh()

    def _route_wanted(self) -> tuple[str, str, str | None, str | None, float, float] | None:
        code, place = self.fields.category.code, self.place
        if code is None or place is None:
            return None
        return code, place.street_code, place.committee_code, place.grid_id, place.lon, place.lat

    def _ask_route(self) -> None:
        wanted = self._route_wanted()
        if wanted == self._route_key:
            return
        if wanted is None:
            self._route_key, self.routing = None, None
            self._show_suggestion()
            return
        if not (self._live() and self._may("route.suggest")) or self._route_asking == wanted:
            return
        self._route_asking = wanted
        self._tasks.start(self._suggest(wanted))

    async def _suggest(self, wanted: tuple[str, str, str | None, str | None, float, float]) -> None:
        code, street, committee, grid, lon, lat = wanted
        args: dict[str, Any] = {"category_code": code, "street_code": street, "lon": lon, "lat": lat}
        if committee:
            args["committee_code"] = committee
        if grid:
            args["grid_id"] = grid
        try:
            result = await self.feed.send_command("route.suggest", args)
        except Exception:
            result = None
        if not isValid(self):
            return
        self._route_asking = None
        if result is None or not result.ok or result.result is None:
            return
        if self._route_wanted() == wanted:
            raw = result.result.get("routing")
            self.routing = msgspec.convert(raw, Routing) if raw else None
            self._route_key = wanted
            self._show_suggestion()
            self.refreshed.emit()

    def _show_suggestion(self) -> None:
        routing = self.routing
        if self._route_key is None:
            text = translate("IntakeDesk", "Suggested unit: once the category and the place are known.")
            self.dispatch_button.setText(translate("IntakeDesk", "Create and dispatch (Ctrl+Shift+Enter)"))
        elif routing is None:
            text = translate("IntakeDesk", "No rule names a unit for this category here: create the case, then "
                             "designate a unit from its drill-down.")
        else:
            explanation = routing.explanation_zh if self.language.startswith("zh") else routing.explanation_en
            text = translate("IntakeDesk", "Suggested unit: %1\n%2").replace("%1", routing.unit_name).replace(
                "%2", explanation)
            self.dispatch_button.setText(translate("IntakeDesk", "Create and dispatch to %1 (Ctrl+Shift+Enter)")
                                         .replace("%1", routing.unit_name))
        self.suggestion.setText(text)
        tint(self.suggestion, "text" if routing is not None else "text.muted")

    # --- refreshing ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # what a hidden desk left out: the catalogue from the store, the known addresses

    def refresh(self) -> None:
        """Look at the role, the catalogue, the map and the store; redraw what changed.

        A hidden desk (the duty window's dock until F2) leaves out what scans every case held:
        the known addresses and the catalogue from the store (and with it `pypinyin`'s import),
        ~0.1 s of a cold start, and again at every refresh while a feed moves. Shown, it catches up."""
        role = self.feed.role
        if role != self._role:
            self._role = role
            self.fields.set_role(role)
            allowed = role is not None and may_send(role, "case.create")
            for button in (self.create_button, self.dispatch_button):
                button.setEnabled(allowed and not self.sending)
            self.similar_list.setEnabled(allowed)
        self._load_catalog()
        self._show_map()
        self._find_similar()
        self._ask_route()
        if self.isVisible():
            self._learn_addresses()
        self.refreshed.emit()

    def _live(self) -> bool:
        return getattr(self.feed, "state", None) is ConnectionState.LIVE

    def _may(self, command: str) -> bool:
        return self._role is not None and may_send(self._role, command)

    def _load_catalog(self) -> None:
        if self.catalog_from_hub:
            return
        if not self._catalog_asked and self._live() and self._may("case.categories"):
            self._catalog_asked = True
            self._tasks.start(self._fetch_catalog())
        if not self.fields.category.entries and len(self.store) and self.isVisible():
            self.fields.category.set_entries(entries_from_cases(self.store.cases()))

    async def _fetch_catalog(self) -> None:
        try:
            result = await self.feed.send_command("case.categories", {})
        except Exception:
            result = None
        if not isValid(self):
            return
        if result is None or not result.ok or result.result is None:
            self._catalog_asked = False  # ask again on the next refresh that finds the feed live
            return
        self.catalog_from_hub = True
        self.fields.category.set_entries(entries_from_result(result.result))
        self.refreshed.emit()

    def _show_map(self) -> None:
        geography = self.store.geography
        key = (geography.version if geography else None, self.place, tuple(s.case.id for s in self.similar))
        if key == self._map_key:
            return
        self._map_key = key
        place = self.place
        similar = [MapPoint(s.case.lon, s.case.lat, s.case.level.value, s.case.serial) for s in self.similar]
        if geography is None:
            self.map.show_place([], area=None, cell=None, point=(place.lon, place.lat) if place else None,
                                label="", caption=translate("IntakeDesk", "The district's map comes with the hub's "
                                                            "answer"), similar=similar)
            return
        shapes = district_of(geography)
        caption = translate("IntakeDesk", "Click where the call is · approximate areas · boundary: %1").replace(
            "%1", shapes.source)
        self.map.show_place(shapes.rings, area=shapes.street_area(place.street_code) if place else None,
                            cell=shapes.grid_cell(place.grid_id) if place else None,
                            point=(place.lon, place.lat) if place else None,
                            label=place.street_name if place else "", caption=caption, similar=similar)

    def _find_similar(self) -> None:
        place = self.place
        key = (self.fields.category.code, place, self.fields.address.text().strip(), self.store.last_seq,
               len(self.store))
        if key == self._similar_key:
            return
        self._similar_key = key
        now = datetime.fromtimestamp(self._now(), UTC)
        category = self.fields.category.code
        # no category, none similar: the cases are not read (at a cold start most are not decoded yet)
        self.similar = similar_cases(
            self.store.cases(), category_code=category, grid_id=place.grid_id if place else None,
            address=self.fields.address.text(), point=(place.lon, place.lat) if place else None, now=now,
        ) if category else []
        self.similar_list.set_similar(self.similar, role=self._role, now=now, unit_name=self._unit_name)
        self.refreshed.emit()

    def _unit_name(self, unit_id: str) -> str:
        unit = self.store.org_units.get(unit_id)
        return unit.name if unit is not None else unit_id

    def _learn_addresses(self) -> None:
        """Known addresses (of the cases held) complete the address field and place the call."""
        if self.store.last_seq == self._addresses_seq:
            return
        self._addresses_seq = self.store.last_seq
        self._addresses = {c.address.strip(): (c.lon, c.lat) for c in self.store.cases() if c.address.strip()}
        model = self.completer.model()
        model.setStringList(sorted(self._addresses))  # type: ignore[attr-defined]

    # --- sending ---------------------------------------------------------------------------

    def received_at(self) -> datetime:
        """When the call started, never later than a second before the hub's now (the hub refuses a future)."""
        now = datetime.fromtimestamp(self._now(), UTC) - timedelta(seconds=1)
        started = self.started_at or now
        return min(started, now).replace(microsecond=0)

    def submit(self, mode: str, into: str | None = None) -> bool:
        """Create the case (and dispatch or merge it); False, with the reason on the form, when it cannot."""
        if self.sending or not self._may("case.create"):
            return False
        try:
            args = self.fields.arguments(self.place, self.received_at())
        except FormError as exc:
            self.show_message(str(exc), error=True)
            return False
        live = self._live()
        unit = self.routing.unit_id if self.routing is not None and mode == DISPATCH else None
        if mode == DISPATCH and live and self._route_key is not None and unit is None:
            self.show_message(translate("IntakeDesk", "No unit is suggested here: create the case (Ctrl+Enter) and "
                                        "designate a unit from its drill-down."), error=True)
            return False
        if mode == DISPATCH and live and self._route_key is None:
            self.show_message(translate("IntakeDesk", "The hub has not suggested a unit yet: a moment."), error=True)
            return False
        if not self._tasks.start(self._send(args, mode, into, unit, self.routing, live)):
            self.show_message(translate("IntakeDesk", "Not sent: the console's event loop is not running."),
                              error=True)
            return False
        if live:
            self._set_sending(True)
            self.show_message(translate("IntakeDesk", "Sending…"), error=False)
        else:
            stamp = datetime.fromisoformat(args["received_at"]).astimezone(CENTRE_ZONE).strftime("%H:%M:%S")
            self.new_call()
            self.show_message(translate("IntakeDesk", "The hub is away: the call (received %1) waits in the outbox "
                                        "and goes out when the hub is back. Take the next call.")
                              .replace("%1", stamp), error=False)
        return True

    def _set_sending(self, sending: bool) -> None:
        self.sending = sending
        allowed = self._may("case.create")
        for button in (self.create_button, self.dispatch_button):
            button.setEnabled(allowed and not sending)
        self.similar_list.setEnabled(allowed and not sending)

    async def _send(self, args: dict[str, Any], mode: str, into: str | None, unit: str | None,
                    routing: Routing | None, live: bool) -> None:
        ok, text, case_id = await self._sender.send(args, mode, into, unit, routing)
        if not isValid(self):
            return
        if live:
            self._set_sending(False)
            if ok or case_id is not None:  # created: the call is on record, the form is for the next one
                self.new_call()
            if not ok:
                self.show_message(text, error=True)
            else:
                self.message.hide()
        self.result.setText(text)
        tint(self.result, "text.muted" if ok else "danger")
        if case_id is not None:
            self.case_created.emit(case_id)
        self.answered.emit(mode, ok, text)

    def show_message(self, text: str, *, error: bool) -> None:
        self.message.setText(("✕ " if error and not text.startswith("✕") else "") + text)
        tint(self.message, "danger" if error else "text.muted")
        self.message.setVisible(bool(text))

    def stop(self) -> None:
        """Stop the refresh and the queries (before the feed closes); commands already given stay in the outbox."""
        self._timer.stop()
        self._tasks.cancel_all()

