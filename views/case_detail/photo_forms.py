"""The unit's start and feedback forms, with photos before and after handling.

The form validates (a result is required for feedback; no photo may still be being
prepared); the panel then uploads the photos one `photo.upload` each, through the feed's
outbox like any command, and sends the step naming them (`photo_ids`). A photo the hub
refuses stops the step: its tile and the form say why, in the hub's words.
"""

from __future__ import annotations

import base64
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from protocol.events import Case
from protocol.photos import PhotoStep, PhotoType
from views.case_detail.form_base import ActionForm, FormError
from views.case_detail.offer import ActionSpec
from views.case_detail.photo_picker import PhotoPicker
from views.feed_tasks import CommandFeed

translate = QCoreApplication.translate


class PhotoStepForm(ActionForm):
    """A step that carries photos: the picker under the text."""

    step: PhotoStep
    picker: PhotoPicker

    def add_picker(self, label: str) -> None:
        self.picker = PhotoPicker(self)
        self.fields.addRow(label, self.picker)

    def check_photos(self) -> None:
        if self.picker.preparing:
            raise FormError(translate("ActionForm", "Photos are still being prepared: send again in a moment."))


class StartForm(PhotoStepForm):
    """start: an optional note and photos of the scene before handling (处置前)."""

    step = PhotoStep.BEFORE

    def __init__(self, spec: ActionSpec, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(spec, case, parent)
        self.note = self.note_box("note", translate("ActionForm", "Note"), translate("ActionForm", "Optional"))
        self.add_picker(translate("ActionForm", "Photos before"))

    def collect(self) -> dict[str, Any]:
        self.check_photos()
        note = self.checked_text(self.note, None)
        return {"note": note} if note else {}


class FeedbackForm(PhotoStepForm):
    """feedback: what was done (required) and photos of the result (处置后)."""

    step = PhotoStep.AFTER

    def __init__(self, spec: ActionSpec, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(spec, case, parent)
        self.result = self.note_box(
            "result", translate("ActionForm", "Result"), translate("ActionForm", "Required: what was done")
        )
        self.add_picker(translate("ActionForm", "Photos after"))

    def collect(self) -> dict[str, Any]:
        self.check_photos()
        return {"result": self.checked_text(self.result, translate("ActionForm", "Say what was done."))}


async def upload_photos(feed: CommandFeed, form: PhotoStepForm) -> tuple[list[str], str]:
    """Upload the form's photos not yet uploaded; (their ids, "") or (ids so far, the refusal)."""
    ids: list[str] = []
    for tile in list(form.picker.tiles):
        photo = tile.photo
        if photo is None:
            continue
        if tile.photo_id is None:
            args = {"case_id": form.case_id, "step": form.step.value, "content_type": PhotoType.JPEG.value,
                    "data": base64.b64encode(photo.data).decode("ascii")}
            try:
                result = await feed.send_command("photo.upload", args)
            except Exception as exc:  # the connection closed for good
                return ids, f"{photo.name}: {str(exc) or type(exc).__name__}"
            if not result.ok or result.result is None:
                reason = result.error.message if result.error else "?"
                tile.refuse(reason)
                return ids, f"{photo.name}: {reason}"
            tile.photo_id = str(result.result["id"])
        ids.append(tile.photo_id)
    return ids, ""
