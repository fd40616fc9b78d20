"""The drill-down (level 3): one case in full, and the centre's actions on it.

`show_case(case_id)` (the queue's `current_case_changed`) fills it: the case at a glance with
its map, the actions its state and the operator's role allow, and three tabs: the full
timeline, the supervision history, the related cases. A refresh every `REFRESH_MS` compares
the store's case with the one shown (every change replaces the immutable `Case`) and redraws
only then, so the panel follows the feed without a signal per event.

An action opens its form inline (never a modal dialog). The form validates; the panel sends
the command as a task on the running loop (`asyncio.ensure_future`) and shows the hub's
answer: accepted (the feed then updates the panel) or refused, in the hub's words, on the form.
A start or feedback form's photos are uploaded first (`photo.upload`), and the step names them.
A Photos tab shows the photos the case's steps attached.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from backend_client.store import CaseStore
from protocol import CommandResult, Geography
from protocol.commands import may_send
from protocol.enums import OPEN_STATUSES, Role
from protocol.events import Case, Unit
from views.case_detail.form_base import ActionForm
from views.case_detail.forms import make_form
from views.case_detail.lists import RelatedList, SupervisionList
from views.case_detail.location import CaseMap
from views.case_detail.offer import BY_KEY, allowed, offered
from views.case_detail.photo_forms import PhotoStepForm, upload_photos
from views.case_detail.photo_gallery import CasePhotos, PhotoCache
from views.case_detail.related import Related, related_cases
from views.case_detail.style import muted, tint
from views.case_detail.summary import CaseSummary
from views.case_detail.texts import ACTION, tr_text
from views.case_detail.timeline import TimelineModel, TimelineView
from views.case_detail.watch import CaseWatch
from views.feed_tasks import TaskSet, fetch_org_units
from widgets.flow_layout import FlowLayout

log = logging.getLogger(__name__)

REFRESH_MS = 250
"""The panel looks at the store four times a second; it redraws only what changed."""


class CaseCommands(Protocol):
    """What the panel needs of the feed (`FeedConnection`)."""

    role: Role | None
    server_skew_s: float

    async def send_command(
        self, name: str, args: dict[str, Any], *, command_id: str | None = None
    ) -> CommandResult: ...


translate = QCoreApplication.translate


class CaseDetailPanel(QWidget):
    """Signals: `case_requested(str)` with the id of a related case to select in the queue;
    `command_answered(str, bool, str)` with the command, whether the hub accepted it, and its message;
    `redrawn()` after a refresh that changed what the panel shows."""

    case_requested = Signal(str)
    command_answered = Signal(str, bool, str)
    redrawn = Signal()

    def __init__(
        self,
        store: CaseStore,
        feed: CaseCommands,
        *,
        language: str = "en",
        clock: Callable[[], float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("view.case_detail")
        self.store, self.feed, self.language = store, feed, language
        self._clock = clock
        self._case_id: str | None = None
        self._case: Case | None = None
        self._shown_id: str | None = None
        self._map_case: str | None = None
        self._map_geography: Geography | None = None
        """The case and the hub's map the map tab shows."""
        self._role: Role | None = None
        self._unit_desk = False
        """An account scoped to a unit (the store's scope): the unit's own steps are offered too."""
        self._offered: tuple[str, ...] = ()
        self._supervision_count = -1
        self.related: list[Related] = []
        self.form: ActionForm | None = None
        self._tasks = TaskSet()
        self._units_requested = False
        self.watch = CaseWatch(store)
        self._build()
        self._timer = QTimer(self, interval=REFRESH_MS, timerType=Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)
        self.empty = QLabel(
            translate("CaseDetailPanel", "Select a case in the queue to see its full story and act on it."), self
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        muted(self.empty)
        self.stack.addWidget(self.empty)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        self.stack.addWidget(split)
        top = QWidget()
        self._split, self._top = split, top
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(8, 6, 8, 6)
        top_layout.setSpacing(6)
        self.summary = CaseSummary(top)  # the full width: serial, timers and fields never squeezed by a map
        top_layout.addWidget(self.summary)
        self.actions_box = QWidget(top)
        self.actions_layout = FlowLayout(self.actions_box)
        self.no_actions = QLabel(top)
        self.no_actions.setWordWrap(True)
        muted(self.no_actions)
        self._offered = ("-",)  # nothing drawn yet: the first case draws its bar, even an empty one
        top_layout.addWidget(self.actions_box)
        top_layout.addWidget(self.no_actions)
        self.form_holder = QVBoxLayout()
        top_layout.addLayout(self.form_holder)
        self.result = QLabel(top)
        self.result.setObjectName("case.result")
        self.result.setWordWrap(True)
        self.result.hide()
        top_layout.addWidget(self.result)
        top_layout.addStretch(1)
        scroll = self._scroll = QScrollArea(split)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(top)
        split.addWidget(scroll)
        self.tabs = QTabWidget(split)
        self.timeline_model = TimelineModel(self)
        self.timeline = TimelineView(self.timeline_model)
        self.supervision = SupervisionList()
        self.related_list = RelatedList()
        self.related_list.case_requested.connect(self.case_requested.emit)
        self.map = CaseMap()  # a tab of its own: big enough to read the street, the grid and the point
        self.photo_cache = PhotoCache()
        self.photos = CasePhotos(self.feed, self.photo_cache)
        self.tabs.addTab(self.timeline, "")
        self.tabs.addTab(self.map, "")
        self.tabs.addTab(self.supervision, "")
        self.tabs.addTab(self.related_list, "")
        self.tabs.addTab(self.photos, "")
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 4)
        self._user_split = False
        split.splitterMoved.connect(self._on_splitter_moved)

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._user_split = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_top)

    # --- what is shown ---------------------------------------------------------------------

    @property
    def case(self) -> Case | None:
        return self._case

    def show_case(self, case_id: object) -> None:
        """Show a case (None: nothing); the queue's `current_case_changed` lands here."""
        new_id = str(case_id) if case_id else None
        if new_id == self._case_id:
            return
        self._case_id = new_id
        self.close_form()
        self.result.hide()
        self.refresh()
        self.timeline.scrollToBottom()  # the latest steps first in view; older ones scroll up

    def unit_name(self, unit_id: str) -> str:
        unit = self.store.org_units.get(unit_id)
        if unit is not None:
            return unit.name
        case = self._case
        if case is not None:
            if case.unit_id == unit_id and case.unit_name:
                return case.unit_name
            if case.routing is not None and case.routing.unit_id == unit_id:
                return case.routing.unit_name
        return unit_id

    def refresh(self) -> None:
        """Redraw what changed since the last look (the refresh timer calls this)."""
        case = self.store.get(self._case_id) if self._case_id else None
        role = self.feed.role
        if case is None:
            if self._shown_id is not None or self.stack.currentWidget() is not self.empty:
                self._case = self.watch.case = None
                self._shown_id = None
                self.stack.setCurrentWidget(self.empty)
                self.redrawn.emit()
            return
        changed = False
        if case.id != self._shown_id:  # a case newly shown
            self._shown_id = case.id
            self._supervision_count = -1
            self.related = []
            self.watch.related_dirty = True
            self._map_case = None
            self.stack.setCurrentIndex(1)
            QTimer.singleShot(0, self, self._fit_top)
        if self._map_case != case.id or self._map_geography is not self.store.geography:  # or the hub's map came
            self.map.set_case(case, self.language, self.store.geography)
            self._map_case, self._map_geography = case.id, self.store.geography
        unit_desk = self.store.scope is not None
        if case is not self._case or role != self._role or unit_desk != self._unit_desk:
            self._case, self._role, self._unit_desk = case, role, unit_desk
            self.watch.case = case
            self._render(case, role)
            self._ask_for_units()
            changed = True
        records = self.store.supervision.get(case.id, [])
        if len(records) != self._supervision_count:
            self._supervision_count = len(records)
            self.supervision.set_records(records, self.unit_name)
            self._title_tabs()
            changed = True
        if self.watch.related_dirty:
            self.watch.related_dirty = False
            self.related = related_cases(case, self._all_cases())
            self.watch.related_ids = {r.case.id for r in self.related}
            self.related_list.set_related(self.related)
            self._title_tabs()
            changed = True
        self.summary.tick(self._now())
        if changed:
            self.redrawn.emit()

    def _render(self, case: Case, role: Role | None) -> None:
        self.summary.set_case(case, role, self.language, self.unit_name)
        self.timeline_model.set_case(case, self.unit_name)
        self.photos.set_case(case)
        self._show_actions(case, role)
        self._check_form(case, role)
        self._title_tabs()
        QTimer.singleShot(0, self, self._fit_top)  # texts and buttons changed: so may the height they need

    def _fit_top(self) -> None:
        """Give the case and its form the height they need (at most 60 %); the tabs take the rest.

        Once the operator drags the splitter, their choice stands.
        """
        total = sum(self._split.sizes())
        if total <= 0 or self._user_split:
            return
        width = self._scroll.viewport().width()
        top = self._top
        need = top.heightForWidth(width) if top.hasHeightForWidth() else top.sizeHint().height()
        height = min(need + 2, int(total * 0.6))
        self._split.setSizes([height, total - height])

    def _title_tabs(self) -> None:
        case = self._case
        steps = len(case.history) + 1 if case is not None else 0
        self.tabs.setTabText(0, translate("CaseDetailPanel", "Timeline (%1)").replace("%1", str(steps)))
        self.tabs.setTabText(1, translate("CaseDetailPanel", "Map"))
        self.tabs.setTabText(
            2, translate("CaseDetailPanel", "Supervision (%1)").replace("%1", str(max(self._supervision_count, 0)))
        )
        self.tabs.setTabText(3, translate("CaseDetailPanel", "Related (%1)").replace("%1", str(len(self.related))))
        self.tabs.setTabText(4, translate("CaseDetailPanel", "Photos (%1)").replace("%1", str(self.photos.count)))

    def _all_cases(self) -> Iterable[Case]:
        yield from self.store.cases()  # every case held, not only those the queue's filter shows

    def _now(self) -> float:
        """Epoch seconds on the hub's clock (ours corrected by the skew measured at `welcome`)."""
        return self._clock() if self._clock is not None else time.time() + self.feed.server_skew_s

    # --- actions ---------------------------------------------------------------------------

    def offered_keys(self) -> list[str]:
        """The actions offered now, by key (what the buttons show)."""
        return list(self._offered) if self._case is not None else []

    def _show_actions(self, case: Case, role: Role | None) -> None:
        keys = tuple(spec.key for spec in offered(case, role, self._unit_desk))
        if keys == self._offered and self.actions_layout.count() == len(keys):
            return
        self._offered = keys
        while (item := self.actions_layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        for key in keys:
            button = QPushButton(tr_text(ACTION[key]), self.actions_box)
            button.setObjectName(f"action.{key}")
            button.clicked.connect(partial(self.open_action, key))
            self.actions_layout.addWidget(button)
        self.actions_box.setVisible(bool(keys))
        if keys:
            self.no_actions.hide()
        else:
            self.no_actions.setText(self._why_no_actions(case, role))
            self.no_actions.show()
        self.actions_box.updateGeometry()

    @staticmethod
    def _why_no_actions(case: Case, role: Role | None) -> str:
        if role is None:
            return translate("CaseDetailPanel", "Actions appear once the hub has said who you are.")
        if not may_send(role, "case.register"):
            return translate("CaseDetailPanel", "This role only watches: no actions.")
        if case.status not in OPEN_STATUSES:
            return translate("CaseDetailPanel", "The case is finished: nothing left to do at the centre.")
        return translate("CaseDetailPanel", "Nothing for the centre to do now: the case is with its unit.")

    def request_action(self, key: str) -> bool:
        """Open an action's form if the case and the role allow it (for keyboard shortcuts)."""
        return self.open_action(key) is not None

    def open_action(self, key: str, _checked: bool = False) -> ActionForm | None:
        case, spec = self._case, BY_KEY.get(key)
        if case is None or spec is None or not allowed(spec, case, self._role, self._unit_desk):
            return None
        if self.form is not None and self.form.sending:
            return None
        self.close_form()
        candidates = [r.case for r in self.related if r.case.status in OPEN_STATUSES]
        form = make_form(spec, case, units=self._units(), language=self.language, candidates=candidates)
        form.submitted.connect(partial(self._on_submitted, form))
        form.cancelled.connect(self.close_form)
        self.form = form
        self.form_holder.addWidget(form)
        form.show()  # now, not on the layout's queued show: the next key goes to it
        self.result.hide()
        form.setFocus()
        form.focusNextChild()
        QTimer.singleShot(0, self, self._fit_top)
        return form

    def close_form(self) -> None:
        form, self.form = self.form, None
        if form is not None:
            form.hide()
            form.deleteLater()
            QTimer.singleShot(0, self, self._fit_top)

    def _check_form(self, case: Case, role: Role | None) -> None:
        """The case moved while a form was open: say so; the form sends the version now shown."""
        form = self.form
        if form is None or form.sending:
            return
        if not allowed(form.spec, case, role, self._unit_desk):
            form.show_message(
                translate("CaseDetailPanel", "The case has changed: this action no longer applies."), error=True
            )
            form.send_button.setEnabled(False)
        elif form.version != case.version:
            form.version = case.version
            form.show_message(
                translate(
                    "CaseDetailPanel", "The case has changed since this form opened: check the timeline before sending."
                ),
                error=False,
            )

    def _units(self) -> list[Unit]:
        return list(self.store.org_units.values())

    def _ask_for_units(self) -> None:
        """The unit pickers need the organisation: ask the hub once if the store has none."""
        if self._units_requested or self.store.org_units or not (self._role and may_send(self._role, "org.units")):
            return
        self._units_requested = True
        self._tasks.start(self._load_units())

    async def _load_units(self) -> None:
        if await fetch_org_units(self.feed, self.store):
            self.redrawn.emit()  # the pickers offer every unit from now on

    def _on_submitted(self, form: ActionForm, command: str, args: dict[str, Any]) -> None:
        form.set_sending(True)
        if not self._tasks.start(self._send(form, command, args)):
            form.show_refusal(translate("CaseDetailPanel", "not sent: the console's event loop is not running"))

    async def _send(self, form: ActionForm, command: str, args: dict[str, Any]) -> None:
        action = tr_text(ACTION[form.spec.key])
        serial = form.serial
        refusal = ""
        if isinstance(form, PhotoStepForm) and form.picker.tiles:
            photo_ids, refusal = await upload_photos(self.feed, form)
            args = {**args, "photo_ids": photo_ids}
        if refusal:
            ok, message = False, translate("CaseDetailPanel", "photo %1").replace("%1", refusal)
        else:
            try:
                result = await self.feed.send_command(command, args)
                ok, message = result.ok, (result.error.message if result.error else "")
            except Exception as exc:  # the connection closed for good: say so where the operator looks
                ok, message = False, str(exc) or type(exc).__name__
        alive = isValid(form) and form is self.form
        if ok:
            if alive:
                self.close_form()
            self._show_result(
                translate("CaseDetailPanel", "✓ %1 %2: accepted by the hub.")
                .replace("%1", action)
                .replace("%2", serial),
                False,
            )
        elif alive:
            form.show_refusal(message)
        else:
            self._show_result(
                translate("CaseDetailPanel", "✕ %1 %2 refused by the hub: %3")
                .replace("%1", action)
                .replace("%2", serial)
                .replace("%3", message),
                True,
            )
        self.command_answered.emit(command, ok, message)

    def _show_result(self, text: str, error: bool) -> None:
        self.result.setText(text)
        tint(self.result, "danger" if error else "text.muted")
        self.result.show()

    def stop(self) -> None:
        """Stop the refresh and stop listening to the store (before the feed closes)."""
        self._timer.stop()
        self.watch.close()
        self._tasks.cancel_all()
        self.photos.stop()
