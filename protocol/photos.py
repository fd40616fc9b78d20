"""Photos of a unit's work (处置前后照片): uploaded one per command, attached to a step of the loop.

A unit's desk uploads each photo with `photo.upload` (the image's bytes as base64 in one
frame) and names the photos it got back in `case.start` (before) or `case.feedback` (after).
The hub keeps the bytes; the step's `Trace` lists the photos with their type and size, and
`photo.get` returns the bytes for display.

The limits are the protocol's own: a photo's base64 must fit in one frame of
`max_frame_bytes` (1 MiB) with its envelope, so a photo holds at most `PHOTO_MAX_BYTES`
decoded; a console downscales and re-encodes before it uploads.

>>> PHOTO_MAX_BYTES, PHOTOS_PER_STEP, base64_length(PHOTO_MAX_BYTES) < (1 << 20) - 1024
(655360, 5, True)
>>> sniff(b"\\x89PNG\\r\\n\\x1a\\n...."), sniff(b"GIF89a"), sniff(b"RIFF\\x04\\x00\\x00\\x00WEBP")
(<PhotoType.PNG: 'image/png'>, None, <PhotoType.WEBP: 'image/webp'>)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

PHOTO_MAX_BYTES = 640 * 1024
"""Largest photo the hub stores, decoded (640 KiB): its base64 fits in one 1 MiB frame."""
PHOTOS_PER_STEP = 5
"""Most photos one step (before handling, after handling) carries, and waits for."""


class PhotoStep(StrEnum):
    """Which step of the unit's work a photo shows."""

    BEFORE = "before"
    """The scene before handling (处置前): attached by `case.start`."""
    AFTER = "after"
    """The result (处置后): attached by `case.feedback`."""


class PhotoType(StrEnum):
    """The image formats the hub accepts, recognised by their first bytes."""

    JPEG = "image/jpeg"
    PNG = "image/png"
    WEBP = "image/webp"


STEP_ACTION: dict[PhotoStep, str] = {PhotoStep.BEFORE: "start", PhotoStep.AFTER: "feedback"}
"""The loop step that attaches a photo of each kind (`protocol.loop_rules` names)."""

PhotoId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
CaseRef = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
PhotoIds = Annotated[list[PhotoId], msgspec.Meta(max_length=PHOTOS_PER_STEP)]


class Photo(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One stored photo as a step's trace lists it (and `photo.upload` answers)."""

    id: str
    step: PhotoStep
    content_type: PhotoType
    """The type the hub found in the bytes."""
    size: int
    """Bytes, decoded."""
    sha256: str
    """SHA-256 of the bytes, hex: the same bytes give the same photo."""


class PhotoUploadArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`photo.upload`: store one photo of a case for a step (result: the `Photo`)."""

    case_id: CaseRef
    step: PhotoStep
    content_type: PhotoType
    """What the sender says it is; the bytes must be that (the hub looks at them, not at this)."""
    data: str
    """The image, base64 (RFC 4648, with padding); at most `PHOTO_MAX_BYTES` decoded."""


class PhotoGetArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`photo.get`: the bytes of one stored photo, for display (result: the `Photo` and `data`)."""

    id: PhotoId


def base64_length(size: int) -> int:
    """Characters of the padded base64 of `size` bytes."""
    return 4 * ((size + 2) // 3)


def sniff(data: bytes) -> PhotoType | None:
    """The image type the first bytes say, or None when they are no JPEG, PNG or WebP."""
    if data.startswith(b"\xff\xd8\xff"):
        return PhotoType.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PhotoType.PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return PhotoType.WEBP
    return None


def complete(kind: PhotoType, data: bytes) -> bool:
    """True when the image ends as its format says it must (a cut-off upload does not)."""
    if kind is PhotoType.JPEG:
        return data.rstrip(b"\x00\r\n").endswith(b"\xff\xd9")
    if kind is PhotoType.PNG:
        return data.endswith(b"IEND\xaeB`\x82")
    return int.from_bytes(data[4:8], "little") + 8 == len(data)  # the RIFF header holds the size
