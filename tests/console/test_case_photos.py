"""Photos at a unit's desk: added to the start and feedback forms, downscaled, uploaded, shown as
thumbnails in the drill-down (the unit's and the centre's), larger on a click; the hub's refusal
of a photo on the form, in its words. Against a real hub on loopback."""

from __future__ import annotations

import base64
from pathlib import Path

import qasync
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from hub import auth
from hub.embedded import EmbeddedHub
from protocol import Role
from protocol.photos import PHOTO_MAX_BYTES, PHOTOS_PER_STEP
from tests.console.case_detail_helpers import create, hub_and_panel, opened_panel, show
from tests.console.conftest import run, until_signal
from tests.hub.test_photos import png
from views.case_detail import CaseDetailPanel
from views.case_detail.photo_files import MAX_SIDE
from views.case_detail.photo_forms import PhotoStepForm

UNIT = "S310112001"


def camera_photo(path: Path, width: int = 3200, height: int = 2400) -> str:
    """A large photo-like PNG (bands of colour and a frame), as a phone would give."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#6a8caf"))
    painter = QPainter(image)
    for n in range(12):
        painter.fillRect(QRect(0, n * height // 12, width, height // 24), QColor.fromHsv(n * 30, 120, 200))
    painter.setPen(QColor("#202020"))
    painter.drawRect(QRect(width // 4, height // 4, width // 2, height // 2))
    painter.end()
    assert image.save(str(path), "PNG")
    return str(path)


async def signed_case(feed: FeedConnection) -> str:
    case_id = await create(feed)
    for name, args in (("case.register", {}), ("case.dispatch", {"unit_id": UNIT}), ("case.sign", {})):
        result = await feed.send_command(name, {"id": case_id, **args})
        assert result.ok, result
    return case_id


def unit_token(hub: EmbeddedHub) -> str:
    return auth.add_user(hub.hub.engine, "jiangchuan-desk", Role.DUTY, unit_id=UNIT)


async def open_with_photos(panel: CaseDetailPanel, key: str, paths: list[str]) -> PhotoStepForm:
    form = panel.open_action(key)
    assert isinstance(form, PhotoStepForm), form
    form.picker.add_files(paths)
    await until_signal(form.picker.changed, lambda: not form.picker.preparing, "the photos prepared")
    return form


async def send(panel: CaseDetailPanel, form: PhotoStepForm) -> tuple[bool, str]:
    answers: list[tuple[str, bool, str]] = []
    panel.command_answered.connect(lambda *a: answers.append(a))
    assert form.submit(), form.message.text()
    await until_signal(panel.command_answered, lambda: bool(answers), "the hub's answer")
    return answers[0][1], answers[0][2]


def test_a_photo_added_to_the_start_form_lands_and_the_drill_down_shows_its_thumbnail(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot) as (hub, feed, centre):
            case_id = await signed_case(feed)
            await show(centre, case_id)
            assert "start" not in centre.offered_keys(), "the centre's desk does not take the unit's steps"
            async with opened_panel(hub, qtbot, token=unit_token(hub)) as (_unit_feed, panel):
                panel.store.set_scope(UNIT)
                await show(panel, case_id)
                assert panel.offered_keys()[:2] == ["start", "feedback"]
                big = camera_photo(tmp_path / "scene.png")
                text = tmp_path / "notes.jpg"
                text.write_text("现场情况说明，不是照片", encoding="utf-8")
                form = await open_with_photos(panel, "start", [big, str(text)])
                assert "notes.jpg is not an image" in form.picker.message.text()
                [tile] = form.picker.tiles
                assert tile.photo is not None and max(tile.photo.width, tile.photo.height) == MAX_SIDE
                assert tile.photo.data[:3] == b"\xff\xd8\xff" and len(tile.photo.data) <= PHOTO_MAX_BYTES
                form.note.setPlainText("已到现场")
                ok, message = await send(panel, form)
                assert ok, message
                await until_signal(panel.redrawn, lambda: panel.photos.count == 1, "the step's photo listed")
                [(trace, photo)] = panel.photos.entries
                assert trace.action == "start" and photo.size == len(tile.photo.data)
                assert panel.tabs.tabText(4) == "Photos (1)"
                await until_signal(panel.photos.loaded, lambda: panel.photo_cache.get(photo.id) is not None,
                                   "the photo fetched with photo.get")
                thumb = panel.photos.thumbs[photo.id]
                assert not thumb.icon().isNull() and thumb.text() == ""
                panel.tabs.setCurrentWidget(panel.photos)
                viewer = panel.photos.open_photo(photo.id)
                assert viewer is not None and viewer.isVisible() and not viewer.isModal()
                assert viewer.image.pixmap().width() == MAX_SIDE * 3 // 4  # 1600 px shown at most 1200
                viewer.close()
            await until_signal(centre.redrawn, lambda: centre.photos.count == 1, "the centre sees the photo")
            await until_signal(centre.photos.loaded, lambda: centre.photo_cache.get(photo.id) is not None,
                               "the centre's thumbnail")

    run(qloop, main())


def test_a_photo_the_hub_refuses_shows_the_hubs_reason_on_the_feedback_form(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot) as (hub, feed, _centre):
            case_id = await signed_case(feed)
            async with opened_panel(hub, qtbot, token=unit_token(hub)) as (unit_feed, panel):
                panel.store.set_scope(UNIT)
                await show(panel, case_id)
                for n in range(PHOTOS_PER_STEP):  # another desk of the unit already uploaded five
                    args = {"case_id": case_id, "step": "after", "content_type": "image/png",
                            "data": base64.b64encode(png(n)).decode()}
                    assert (await unit_feed.send_command("photo.upload", args)).ok
                form = await open_with_photos(panel, "feedback", [camera_photo(tmp_path / "done.png", 800, 600)])
                form.result.setPlainText("已清理完毕")
                ok, message = await send(panel, form)
                assert not ok and "at most 5 per step" in message
                assert "Refused by the hub: photo done.png: case " in form.message.text()
                assert form.picker.tiles[0].caption.text() == "Refused"
                assert form.send_button.isEnabled(), "the operator may remove the photo and send again"
                version = panel.case.version if panel.case else 0
                form.picker.remove(form.picker.tiles[0])
                ok, message = await send(panel, form)
                assert ok, message
                await until_signal(panel.redrawn, lambda: panel.case is not None and panel.case.version > version,
                                   "the feedback on the feed")
                assert panel.photos.count == 0 and panel.case is not None
                assert panel.case.history[-1].action == "feedback"

    run(qloop, main())


def test_the_picker_takes_at_most_five_and_a_drop_adds_files(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot) as (hub, feed, _centre):
            case_id = await signed_case(feed)
            async with opened_panel(hub, qtbot, token=unit_token(hub)) as (_unit_feed, panel):
                panel.store.set_scope(UNIT)
                await show(panel, case_id)
                paths = [camera_photo(tmp_path / f"p{n}.png", 400, 300) for n in range(PHOTOS_PER_STEP + 2)]
                form = await open_with_photos(panel, "feedback", paths)
                assert len(form.picker.tiles) == PHOTOS_PER_STEP
                assert form.picker.message.text() == "At most 5 photos per step: 2 not added."
                assert form.picker.acceptDrops() and form.picker.add_button.text() == "Add photos…"
                form.picker.choose_files()
                dialog = form.picker._dialog
                assert dialog is not None and dialog.isVisible() and dialog.fileMode().name == "ExistingFiles"
                dialog.reject()
                assert form.picker.tiles[0].photo is not None
                assert Qt.AlignmentFlag.AlignCenter == form.picker.tiles[0].image.alignment()

    run(qloop, main())
