"""The photos of a start or feedback form: add (file dialog or drop), see thumbnails, remove.

Each file is prepared (downscaled, JPEG, `photo_files`) on a worker thread while the form stays
usable; a tile shows "Preparing…" until then. The panel uploads the tiles before it sends the
step (`photo_forms.upload_photos`); a photo the hub refuses keeps its tile, tinted, with the
hub's reason, so the operator removes it or sends again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from protocol.photos import PHOTOS_PER_STEP
from views.case_detail.photo_files import THUMB_SIDE, PhotoFileError, PreparedPhoto, prepare_file
from views.case_detail.style import muted, tint
from views.feed_tasks import TaskSet
from widgets.flow_layout import FlowLayout

translate = QCoreApplication.translate
IMAGE_FILTER = "*.jpg *.jpeg *.png *.webp *.bmp *.gif *.tif *.tiff"


def size_text(size: int) -> str:
    """183 KB, 1.2 MB."""
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


class PhotoTile(QFrame):
    """One photo of the form: its thumbnail, its size, a remove button; its upload's state."""

    remove_requested = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo.tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = name
        self.photo: PreparedPhoto | None = None
        self.photo_id: str | None = None
        """The hub's id once uploaded (a second send does not upload it again)."""
        self.refusal = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        self.image = QLabel(translate("PhotoPicker", "Preparing…"), self)
        self.image.setFixedSize(THUMB_SIDE, THUMB_SIDE)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setToolTip(name)
        layout.addWidget(self.image)
        row = QHBoxLayout()
        self.caption = QLabel(self)
        muted(self.caption)
        remove = QToolButton(self)
        remove.setObjectName("photo.remove")
        remove.setText("✕")
        remove.setToolTip(translate("PhotoPicker", "Remove this photo"))
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        row.addWidget(self.caption, 1)
        row.addWidget(remove)
        layout.addLayout(row)

    def set_photo(self, photo: PreparedPhoto) -> None:
        self.photo = photo
        self.image.setPixmap(QPixmap.fromImage(photo.thumbnail))
        self.image.setToolTip(f"{photo.name} · {photo.width}×{photo.height} · {size_text(len(photo.data))}")
        self.caption.setText(size_text(len(photo.data)))

    def refuse(self, reason: str) -> None:
        """The hub refused this photo: say so on the tile."""
        self.refusal = reason
        self.caption.setText(translate("PhotoPicker", "Refused"))
        tint(self.caption, "danger")
        self.image.setToolTip(f"{self.name}: {reason}")


class PhotoPicker(QWidget):
    """Signals: `changed()` when a photo was added, prepared or removed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo.picker")
        self.setAcceptDrops(True)
        self.tiles: list[PhotoTile] = []
        self._tasks = TaskSet()
        self._dialog: QFileDialog | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        row = QHBoxLayout()
        self.add_button = QPushButton(translate("PhotoPicker", "Add photos…"), self)
        self.add_button.setObjectName("photo.add")
        self.add_button.clicked.connect(self.choose_files)
        hint = QLabel(
            translate("PhotoPicker", "Up to %1, or drop image files here; sent downscaled as JPEG.")
            .replace("%1", str(PHOTOS_PER_STEP)),
            self,
        )
        hint.setWordWrap(True)
        muted(hint)
        row.addWidget(self.add_button)
        row.addWidget(hint, 1)
        outer.addLayout(row)
        self.strip = QWidget(self)
        self.flow = FlowLayout(self.strip)
        outer.addWidget(self.strip)
        self.message = QLabel(self)
        self.message.setObjectName("photo.message")
        self.message.setWordWrap(True)
        tint(self.message, "danger")
        self.message.hide()
        outer.addWidget(self.message)

    # --- adding ------------------------------------------------------------------------------

    def choose_files(self) -> None:
        """The file dialog, shown with open(): the console keeps running while it is up."""
        dialog = QFileDialog(self, translate("PhotoPicker", "Add photos"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilter(translate("PhotoPicker", "Images (%1)").replace("%1", IMAGE_FILTER))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.add_files)
        self._dialog = dialog
        dialog.open()

    def add_files(self, paths: Iterable[str]) -> None:
        """Prepare each file as a photo, up to `PHOTOS_PER_STEP` in all."""
        skipped = []
        for path in paths:
            if len(self.tiles) >= PHOTOS_PER_STEP:
                skipped.append(path)
                continue
            tile = self._add_tile(path)
            if not self._tasks.start(self._prepare(tile, path)):
                self._prepared(tile, path, None)
        if skipped:
            self.show_message(
                translate("PhotoPicker", "At most %1 photos per step: %2 not added.")
                .replace("%1", str(PHOTOS_PER_STEP))
                .replace("%2", str(len(skipped)))
            )
        self.changed.emit()

    def _add_tile(self, path: str) -> PhotoTile:
        tile = PhotoTile(path.replace("\\", "/").rsplit("/", 1)[-1], self.strip)
        tile.remove_requested.connect(self.remove)
        self.tiles.append(tile)
        self.flow.addWidget(tile)
        tile.show()
        return tile

    async def _prepare(self, tile: PhotoTile, path: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            photo: PreparedPhoto | str = await loop.run_in_executor(None, prepare_file, path)
        except PhotoFileError as exc:
            photo = str(exc)
        except Exception as exc:  # a file that breaks the reader must not leave the tile "Preparing…"
            photo = f"{tile.name}: {exc}"
        self._prepared(tile, path, photo)

    def _prepared(self, tile: PhotoTile, path: str, photo: PreparedPhoto | str | None) -> None:
        if not isValid(self) or tile not in self.tiles:
            return  # the form closed, or the photo was removed, while it was prepared
        if photo is None:
            try:
                photo = prepare_file(path)
            except PhotoFileError as exc:
                photo = str(exc)
        if isinstance(photo, str):
            self.remove(tile)
            self.show_message(photo)
            return
        tile.set_photo(photo)
        self.changed.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    # --- state -----------------------------------------------------------------------------

    def remove(self, tile: object) -> None:
        if not isinstance(tile, PhotoTile) or tile not in self.tiles:
            return
        self.tiles.remove(tile)
        self.flow.removeWidget(tile)
        tile.hide()
        tile.deleteLater()
        self.message.hide()
        self.changed.emit()

    @property
    def preparing(self) -> bool:
        return any(tile.photo is None for tile in self.tiles)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def stop(self) -> None:
        self._tasks.cancel_all()
