"""Photos of a unit's work through the feed: uploaded, attached to start and feedback, read back,
refused when too large, no image, one too many, outside the desk's unit or from the wall; kept
across a restart."""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from typing import Any

from hub import auth
from hub.db import schema
from hub.embedded import EmbeddedHub
from protocol import Role
from protocol.photos import PHOTO_MAX_BYTES, PHOTOS_PER_STEP
from tests.hub.conftest import greet, run_hub
from tests.hub.test_closed_loop import Desk, case_of, desk, new_case

UNIT = "S310112001"
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBk"
    "eFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgD"
    "ASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZ"
    "mqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQF"
    "BgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX"
    "2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwBaKKKk8U//2Q=="
)
"""An 8×8 JPEG (Qt's encoder, quality 50)."""


def png(seed: int) -> bytes:
    """A 2×2 RGB PNG whose pixels depend on `seed` (so each call makes another photo)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + bytes([seed % 256, row, 7] * 2) for row in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def upload_args(case_id: str, data: bytes, step: str = "after", content_type: str = "image/png") -> dict[str, Any]:
    return {"case_id": case_id, "step": step, "content_type": content_type, "data": base64.b64encode(data).decode()}


async def signed_case(hub: EmbeddedHub, centre: Desk) -> str:
    cid = await new_case(hub, centre)
    await centre.ok("case.register", id=cid)
    await centre.ok("case.dispatch", id=cid, unit_id=UNIT)
    await centre.ok("case.sign", id=cid)
    return cid


async def unit_desk(hub: EmbeddedHub, unit: str = UNIT, name: str = "unit") -> Desk:
    return await desk(hub, token=auth.add_user(hub.hub.engine, f"{name}-desk", Role.DUTY, unit_id=unit), name=name)


def refusal(answer: dict[str, Any]) -> tuple[str, str]:
    assert answer["ok"] is False, answer
    return answer["error"]["code"], answer["error"]["message"]


def test_photos_before_and_after_are_stored_attached_and_read_back_whole_across_a_restart(db_url: str) -> None:
    kept: dict[str, Any] = {}

    async def first(hub: EmbeddedHub) -> None:
        centre = await desk(hub)
        cid = await signed_case(hub, centre)
        unit = await unit_desk(hub)
        before = await unit.ok("photo.upload", **upload_args(cid, JPEG, "before", "image/jpeg"))
        assert before["content_type"] == "image/jpeg" and before["size"] == len(JPEG)
        assert before["sha256"] == hashlib.sha256(JPEG).hexdigest() and before["step"] == "before"
        await unit.ok("case.start", id=cid, photo_ids=[before["id"]])
        after = [await unit.ok("photo.upload", **upload_args(cid, png(n))) for n in range(2)]
        again = await unit.ok("photo.upload", **upload_args(cid, png(0)))
        assert again == after[0], "the same bytes again are the photo already held"
        await unit.ok("case.feedback", id=cid, result="已清理", photo_ids=[p["id"] for p in after])
        history = case_of(hub, cid).history
        assert [(p.id, p.content_type.value, p.size) for p in history[-2].photos] == [
            (before["id"], "image/jpeg", len(JPEG))]
        assert [p.id for p in history[-1].photos] == [p["id"] for p in after]
        got = await centre.ok("photo.get", id=after[1]["id"])
        assert hashlib.sha256(base64.b64decode(got["data"])).hexdigest() == after[1]["sha256"]
        assert (got["case_id"], got["content_type"], got["size"]) == (cid, "image/png", len(png(1)))
        kept.update(cid=cid, before=before, after=after)

    async def second(hub: EmbeddedHub) -> None:
        client, _ = await greet(hub)
        items = (await client.recv_until(lambda f: f["type"] == "snapshot.end"))
        case = next(c for frame in items if frame["type"] == "snapshot.chunk" for c in frame["items"]
                    if c["id"] == kept["cid"])
        assert [p["id"] for p in case["history"][-1]["photos"]] == [p["id"] for p in kept["after"]]
        got = await client.command("photo.get", {"id": kept["before"]["id"]}, "g-1")
        assert base64.b64decode(got["result"]["data"]) == JPEG
        await client.ws.close()

    run_hub(db_url, first)
    run_hub(db_url, second)


def test_too_large_not_an_image_and_a_sixth_photo_are_refused_and_nothing_is_stored(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        centre = await desk(hub)
        cid = await signed_case(hub, centre)
        unit = await unit_desk(hub)
        oversize = JPEG[:-2] + b"\x00" * (PHOTO_MAX_BYTES - len(JPEG) + 3) + b"\xff\xd9"
        code, message = refusal(await unit.do("photo.upload", **upload_args(cid, oversize, content_type="image/jpeg")))
        assert code == "invalid_args" and "too large" in message and "655,360" in message
        text = "这不是照片，只是改了扩展名的文本。\n".encode() * 20  # a .txt renamed .jpg: its bytes say so
        code, message = refusal(await unit.do("photo.upload", **upload_args(cid, text, content_type="image/jpeg")))
        assert code == "invalid_args" and "not an image" in message
        code, message = refusal(await unit.do("photo.upload", **upload_args(cid, JPEG, content_type="image/png")))
        assert code == "invalid_args" and "bytes are image/jpeg" in message
        cut = upload_args(cid, JPEG[:-40], content_type="image/jpeg")
        code, message = refusal(await unit.do("photo.upload", **cut))
        assert code == "invalid_args" and "cut off" in message
        code, message = refusal(await unit.do("photo.upload", **{**upload_args(cid, JPEG), "data": "not base64!"}))
        assert code == "invalid_args" and "base64" in message
        five = [await unit.ok("photo.upload", **upload_args(cid, png(n))) for n in range(PHOTOS_PER_STEP)]
        code, message = refusal(await unit.do("photo.upload", **upload_args(cid, png(99))))
        assert code == "invalid_args" and "at most 5 per step" in message
        code, _ = refusal(await unit.do("case.feedback", id=cid, result="x", photo_ids=[p["id"] for p in five] * 2))
        assert code == "invalid_args", "more than five ids in one step"
        code, message = refusal(await unit.do("case.start", id=cid, photo_ids=[five[0]["id"]]))
        assert code == "invalid_args" and "takes photos before handling" in message
        with hub.hub.engine.connect() as conn:
            assert len(conn.execute(schema.photos.select()).all()) == PHOTOS_PER_STEP, "no refused photo stored"
        await unit.ok("case.feedback", id=cid, result="已清理", photo_ids=[five[0]["id"]])
        code, message = refusal(await unit.do("photo.upload", **upload_args(cid, png(7))))
        assert code == "illegal_state" and "feedback" in message, "no step of this round takes photos any more"
        gone = await centre.do("photo.get", id=five[1]["id"])
        assert refusal(gone)[0] == "not_found", "the waiting photos feedback did not name are discarded"

    run_hub(db_url, scenario)


def test_the_wall_and_a_desk_of_another_unit_get_no_photo(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        centre = await desk(hub)
        cid = await signed_case(hub, centre)
        unit = await unit_desk(hub)
        photo = await unit.ok("photo.upload", **upload_args(cid, JPEG, "before", "image/jpeg"))
        other = await unit_desk(hub, "S310112006", "other")
        for name, args in (("photo.get", {"id": photo["id"]}),
                           ("photo.upload", upload_args(cid, png(3), "before"))):
            code, message = refusal(await other.do(name, **args))
            assert code == "forbidden" and "outside this account's unit S310112006" in message
        wall = await desk(hub, token=hub.add_user("wall-1", Role.WALL), name="wall")
        for name, args in (("photo.get", {"id": photo["id"]}), ("photo.upload", upload_args(cid, png(4), "before"))):
            assert refusal(await wall.do(name, **args))[0] == "forbidden"
        code, _ = refusal(await other.do("case.start", id=cid, photo_ids=[photo["id"]]))
        assert code == "forbidden"
        assert refusal(await centre.do("photo.get", id="nope"))[0] == "not_found"

    run_hub(db_url, scenario)
