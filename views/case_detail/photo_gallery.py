"""The drill-down's Photos tab: the photos a case's steps attached, as thumbnails; a click shows one larger.

The photos are listed by the steps' traces (`Trace.photos`), so the tab follows the feed; the
bytes come with `photo.get`, once per photo: a `PhotoCache` (shared by the panel across cases)
keeps the decoded images, most recently used first. The larger view is a window of its own,
shown without blocking (`show()`), closed with Esc.
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict
from functools import partial

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from protocol.events import Case, Trace
from protocol.photos import Photo, PhotoStep
from views.case_detail.photo_files import THUMB_SIDE, fit
from views.case_detail.photo_picker import size_text
from views.case_detail.style import muted
from views.feed_tasks import CommandFeed, TaskSet
from views.models.case_cells import local_text
from widgets.flow_layout import FlowLayout

translate = QCoreApplication.translate
VIEW_SIDE = 1200
"""Longest side of the larger view, at most (the photo is sent at 1600 px)."""


def step_words(step: PhotoStep) -> str:
    if step is PhotoStep.BEFORE:
        return translate("CasePhotos", "Before handling")
    return translate("CasePhotos", "After handling")


class PhotoCache:
    """Decoded photos by id, at most `limit`, the least recently used dropped first."""

    def __init__(self, limit: int = 60) -> None:
        self.limit = limit
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()

    def get(self, photo_id: str) -> QPixmap | None:
        pixmap = self._pixmaps.get(photo_id)
        if pixmap is not None:
            self._pixmaps.move_to_end(photo_id)
        return pixmap

    def put(self, photo_id: str, pixmap: QPixmap) -> None:
        self._pixmaps[photo_id] = pixmap
        self._pixmaps.move_to_end(photo_id)
        while len(self._pixmaps) > self.limit:
            self._pixmaps.popitem(last=False)


class PhotoViewer(QWidget):
    """One photo, larger, in a window of its own (non-modal)."""

    def __init__(self, pixmap: QPixmap, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("photo.viewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image = QLabel(scroll)
        shown = pixmap
        if max(pixmap.width(), pixmap.height()) > VIEW_SIDE:
            shown = pixmap.scaled(VIEW_SIDE, VIEW_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(shown)
        scroll.setWidget(self.image)
        layout.addWidget(scroll)
        caption = QLabel(title, self)
        caption.setContentsMargins(8, 2, 8, 4)
        muted(caption)
        layout.addWidget(caption)
        self.resize(min(shown.width() + 24, VIEW_SIDE), min(shown.height() + 48, VIEW_SIDE))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)


class CasePhotos(QWidget):
    """Signals: `loaded(str)` with the id of a photo whose image arrived."""

    loaded = Signal(str)

    def __init__(self, feed: CommandFeed, cache: PhotoCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case.photos")
        self.feed, self.cache = feed, cache
        self.serial = ""
        self.entries: list[tuple[Trace, Photo]] = []
        self.thumbs: dict[str, QToolButton] = {}
        self._asked: set[str] = set()
        self._tasks = TaskSet()
        self.viewer: PhotoViewer | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        self.body = QWidget()
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(8, 6, 8, 6)
        scroll.setWidget(self.body)

    @property
    def count(self) -> int:
        return len(self.entries)

    def set_case(self, case: Case | None) -> None:
        """Show the photos of `case`'s steps (a redraw only when they changed)."""
        entries = [(trace, photo) for trace in (case.history if case else []) for photo in trace.photos]
        serial = case.serial if case else ""
        if [p.id for _, p in entries] == [p.id for _, p in self.entries] and serial == self.serial:
            return
        self.entries, self.serial = entries, serial
        self._rebuild()

    def _rebuild(self) -> None:
        while (item := self.layout_.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.thumbs = {}
        if not self.entries:
            empty = QLabel(translate("CasePhotos", "No photos: a unit adds them when it starts handling and when "
                                                   "it reports back."), self.body)
            empty.setWordWrap(True)
            muted(empty)
            self.layout_.addWidget(empty)
        shown: Trace | None = None
        flow: FlowLayout | None = None
        for trace, photo in self.entries:
            if trace is not shown:
                shown = trace
                header = QLabel(f"{step_words(photo.step)} · {local_text(trace.at)} · {trace.actor}", self.body)
                self.layout_.addWidget(header)
                strip = QWidget(self.body)
                flow = FlowLayout(strip)
                self.layout_.addWidget(strip)
            assert flow is not None
            flow.addWidget(self._thumb(photo))
        self.layout_.addStretch(1)

    def _thumb(self, photo: Photo) -> QToolButton:
        button = QToolButton(self.body)
        button.setObjectName("photo.thumb")
        button.setProperty("photo_id", photo.id)
        button.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE))
        button.setFixedSize(THUMB_SIDE + 12, THUMB_SIDE + 12)
        button.setToolTip(f"{step_words(photo.step)} · {size_text(photo.size)} · {photo.content_type.value}")
        button.clicked.connect(partial(self.open_photo, photo.id))
        self.thumbs[photo.id] = button
        pixmap = self.cache.get(photo.id)
        if pixmap is not None:
            self._show_thumb(photo.id, pixmap)
        else:
            button.setText(translate("CasePhotos", "Loading…"))
            self._request(photo.id)
        return button

    def _show_thumb(self, photo_id: str, pixmap: QPixmap) -> None:
        button = self.thumbs.get(photo_id)
        if button is not None:
            button.setText("")
            button.setIcon(QIcon(QPixmap.fromImage(fit(pixmap.toImage(), THUMB_SIDE))))

    def _request(self, photo_id: str) -> None:
        if photo_id in self._asked:
            return
        self._asked.add(photo_id)
        if not self._tasks.start(self._load(photo_id)):
            self._asked.discard(photo_id)

    async def _load(self, photo_id: str) -> None:
        problem = ""
        try:
            result = await self.feed.send_command("photo.get", {"id": photo_id})
        except Exception as exc:  # the connection closed for good
            result, problem = None, str(exc) or type(exc).__name__
        pixmap = QPixmap()
        if result is not None and result.ok and result.result is not None:
            try:
                pixmap.loadFromData(base64.b64decode(result.result["data"]))
            except (binascii.Error, KeyError, TypeError):
                problem = translate("CasePhotos", "the hub's answer holds no image")
        elif result is not None:
            problem = result.error.message if result.error else "?"
        self._asked.discard(photo_id)
        if pixmap.isNull():
            button = self.thumbs.get(photo_id)
            if button is not None:
                button.setText("✕")
                button.setToolTip(translate("CasePhotos", "Not shown: %1").replace("%1", problem or "?"))
            return
        self.cache.put(photo_id, pixmap)
        self._show_thumb(photo_id, pixmap)
        self.loaded.emit(photo_id)

    def open_photo(self, photo_id: str, _checked: bool = False) -> PhotoViewer | None:
        """The photo larger, in its own window (None while its image has not arrived)."""
        pixmap = self.cache.get(photo_id)
        entry = next(((t, p) for t, p in self.entries if p.id == photo_id), None)
        if pixmap is None or entry is None:
            return None
        trace, photo = entry
        title = (f"{self.serial} · {step_words(photo.step)} · {local_text(trace.at)} · {trace.actor} · "
                 f"{size_text(photo.size)}")
        self._close_viewer()
        self.viewer = PhotoViewer(pixmap, title, self)
        self.viewer.show()
        return self.viewer

    def _close_viewer(self) -> None:
        if self.viewer is not None and isValid(self.viewer):  # it deletes itself when closed
            self.viewer.close()
        self.viewer = None

    def stop(self) -> None:
        self._tasks.cancel_all()
        self._close_viewer()
