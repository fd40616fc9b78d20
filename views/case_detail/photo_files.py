"""A photo file made ready for `photo.upload`: read (turned as the camera says), downscaled, JPEG.

The hub stores at most `PHOTO_MAX_BYTES` per photo, so the console sends no camera original:
the long side is brought to `MAX_SIDE` pixels and the image encoded as JPEG, at a lower quality
(then a smaller size) until it fits. Transparent areas become white (JPEG has no alpha).
QImage only: safe to run on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter

from protocol.photos import PHOTO_MAX_BYTES

MAX_SIDE = 1600
"""Longest side, in pixels, of a photo the console uploads."""
QUALITIES = (85, 75, 65, 50)
"""JPEG qualities tried in turn before the photo is made smaller."""
THUMB_SIDE = 96
"""Longest side of a thumbnail in a form and in the drill-down."""

translate = QCoreApplication.translate


class PhotoFileError(Exception):
    """A file that cannot be a photo (already translated, names the file)."""


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    name: str
    """The file's name, to show."""
    data: bytes
    """The JPEG to upload."""
    width: int
    height: int
    thumbnail: QImage


def encode_jpeg(image: QImage, quality: int) -> bytes:
    buffer_bytes = QByteArray()
    buffer = QBuffer(buffer_bytes)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", quality)  # type: ignore[call-overload]  # the stubs say bytes; PySide6 takes str
    buffer.close()
    return bytes(buffer_bytes.data())


def _opaque(image: QImage) -> QImage:
    """The image on white, without alpha."""
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat


def fit(image: QImage, side: int) -> QImage:
    if max(image.width(), image.height()) <= side:
        return image
    return image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def prepare_image(image: QImage, name: str, limit: int = PHOTO_MAX_BYTES) -> PreparedPhoto:
    """`image` as a JPEG of at most `limit` bytes and `MAX_SIDE` pixels, with its thumbnail."""
    base = _opaque(image) if image.hasAlphaChannel() else image.convertToFormat(QImage.Format.Format_RGB32)
    side = MAX_SIDE
    while True:
        scaled = fit(base, side)
        for quality in QUALITIES:
            data = encode_jpeg(scaled, quality)
            if len(data) <= limit:
                return PreparedPhoto(name, data, scaled.width(), scaled.height(), fit(scaled, THUMB_SIDE))
        side = side * 3 // 4
        if side < THUMB_SIDE:
            message = translate("PhotoPicker", "%1 cannot be made small enough to send.")
            raise PhotoFileError(message.replace("%1", name))


def prepare_file(path: str) -> PreparedPhoto:
    """Read an image file (any format Qt reads, turned upright) and prepare it; PhotoFileError if not."""
    name = Path(path).name
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise PhotoFileError(
            translate("PhotoPicker", "%1 is not an image the console can read (%2).")
            .replace("%1", name)
            .replace("%2", reader.errorString())
        )
    return prepare_image(image, name)
