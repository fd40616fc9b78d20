"""Photos of a unit's work: `photo.upload`, `photo.get`, and the photos a step attaches.

Every check runs before anything is written, so a refused upload stores nothing, and an
accepted one is one row written whole in the command's transaction. The hub trusts the
bytes, not the declared type: a photo is a JPEG, PNG or WebP by its first bytes, complete by
its last, and at most `PHOTO_MAX_BYTES`. A case holds at most `PHOTOS_PER_STEP` photos of a
step waiting for that step; `case.start` and `case.feedback` attach those they name (the
step's `Trace.photos`) and discard the others.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from collections.abc import Callable, Sequence

import msgspec

from hub.db.photo_store import PhotoStore, StoredPhoto
from hub.engine.batch import Batch, Outcome
from hub.engine.loop import CaseLoop, Refusal
from protocol import Case, ErrorCode
from protocol.loop_rules import state_refusal
from protocol.photos import (
    PHOTO_MAX_BYTES,
    PHOTOS_PER_STEP,
    STEP_ACTION,
    Photo,
    PhotoGetArgs,
    PhotoStep,
    PhotoType,
    PhotoUploadArgs,
    complete,
    sniff,
)

STEP_WORDS = {PhotoStep.BEFORE: "before handling", PhotoStep.AFTER: "after handling"}
DISCARDED_BY: dict[str, tuple[PhotoStep, ...]] = {
    "start": (PhotoStep.BEFORE,),
    "feedback": (PhotoStep.BEFORE, PhotoStep.AFTER),
}
"""The waiting photos each step discards when it does not name them (feedback ends both: after it,
no step takes photos before handling)."""


def _invalid(message: str) -> Refusal:
    return Refusal(ErrorCode.INVALID_ARGS, message)


def decode(text: str) -> bytes:
    """The photo's bytes from strict base64; refused when it is no base64."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid(f"data is not base64: {exc}") from None


def check_image(data: bytes, declared: PhotoType) -> PhotoType:
    """The image type the bytes hold; refused when too large, no image, another type, or cut off."""
    if not data:
        raise _invalid("data is empty: send the image's bytes")
    if len(data) > PHOTO_MAX_BYTES:
        raise _invalid(f"photo too large: {len(data):,} bytes, at most {PHOTO_MAX_BYTES:,} (640 KiB); "
                       "downscale it and encode it as JPEG")
    kind = sniff(data)
    if kind is None:
        raise _invalid("not an image: the bytes are no JPEG, PNG or WebP (the hub reads the bytes, "
                       "not the file's name or declared type)")
    if kind is not declared:
        raise _invalid(f"declared {declared.value}, but the bytes are {kind.value}")
    if not complete(kind, data):
        raise _invalid(f"the {kind.value} image is cut off: its last bytes are missing; upload it whole")
    return kind


def photo_of(stored: StoredPhoto) -> Photo:
    return Photo(id=stored.id, step=PhotoStep(stored.step), content_type=PhotoType(stored.content_type),
                 size=stored.size, sha256=stored.sha256)


class PhotoDesk:
    """The photo commands and the attaching of photos to `case.start` and `case.feedback`."""

    def __init__(self, loop: CaseLoop, store: PhotoStore | None = None,
                 new_id: Callable[[], str] = lambda: uuid.uuid4().hex) -> None:
        self.loop = loop
        self.store = store or PhotoStore()
        self.new_id = new_id

    def _case(self, batch: Batch, case_id: str, scope: str | None) -> Case:
        case = batch.case(case_id)
        if case is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no case {case_id!r}")
        if scope is not None and not self.loop.org.in_scope(scope, case):
            raise Refusal(ErrorCode.FORBIDDEN, f"case {case.serial} is outside this account's unit {scope}")
        return case

    def upload(self, batch: Batch, args: PhotoUploadArgs, actor: str, scope: str | None) -> Outcome:
        case = self._case(batch, args.case_id, scope)
        action = STEP_ACTION[args.step]
        why_not = state_refusal(action, case)
        if why_not is not None:
            raise Refusal(ErrorCode.ILLEGAL_STATE,
                          f"photos {STEP_WORDS[args.step]} go with case.{action}, which the case does not allow "
                          f"now: {why_not}")
        data = decode(args.data)
        kind = check_image(data, args.content_type)
        digest = hashlib.sha256(data).hexdigest()
        waiting = self.store.waiting(batch.reader, case.id, args.step.value)
        same = next((p for p in waiting if p.sha256 == digest), None)
        if same is not None:  # the same bytes again (a form sent twice): the photo already held
            return Outcome(result=msgspec.to_builtins(photo_of(same)))
        if len(waiting) >= PHOTOS_PER_STEP:
            raise _invalid(f"case {case.serial} already has {len(waiting)} photos {STEP_WORDS[args.step]} waiting "
                           f"for case.{action}: at most {PHOTOS_PER_STEP} per step")
        stored = StoredPhoto(self.new_id(), case.id, args.step.value, kind.value, len(data), digest, None)
        self.store.insert(batch.reader, stored, data, actor, batch.now)
        return Outcome(result=msgspec.to_builtins(photo_of(stored)))

    def get(self, batch: Batch, args: PhotoGetArgs, scope: str | None) -> Outcome:
        found = self.store.read(batch.reader, args.id)
        if found is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no photo {args.id!r}")
        stored, data = found
        self._case(batch, stored.case_id, scope)
        result = {**msgspec.to_builtins(photo_of(stored)), "case_id": stored.case_id,
                  "data": base64.b64encode(data).decode("ascii")}
        return Outcome(result=result, kept=False)

    def named(self, batch: Batch, case: Case, ids: Sequence[str], step: PhotoStep) -> list[Photo]:
        """The photos a step names, checked: each a waiting photo of this case and this step, once."""
        action = STEP_ACTION[step]
        seen: set[str] = set()
        for photo_id in ids:
            if photo_id in seen:
                raise _invalid(f"photo {photo_id!r} is named twice")
            seen.add(photo_id)
        found = self.store.find(batch.reader, ids)
        photos = []
        for photo_id in ids:
            stored = found.get(photo_id)
            if stored is None or stored.case_id != case.id:
                raise _invalid(f"no photo {photo_id!r} of case {case.serial}: upload it first (photo.upload)")
            if stored.attached_version is not None:
                raise _invalid(f"photo {photo_id!r} already belongs to an earlier step of case {case.serial}")
            if stored.step != step.value:
                raise _invalid(f"photo {photo_id!r} was uploaded as a photo {STEP_WORDS[PhotoStep(stored.step)]}; "
                               f"case.{action} takes photos {STEP_WORDS[step]}")
            photos.append(photo_of(stored))
        return photos

    def step(self, batch: Batch, case: Case, ids: Sequence[str], step: PhotoStep,
             run: Callable[[list[Photo]], Outcome]) -> Outcome:
        """Run a step with the photos it names; then they are its own and the other waiting ones go."""
        photos = self.named(batch, case, ids, step)
        outcome = run(photos)
        if outcome.ok:
            updated = batch.case(case.id)
            assert updated is not None
            self.store.attach(batch.reader, [p.id for p in photos], updated.version)
            self.store.discard_waiting(batch.reader, case.id, [s.value for s in DISCARDED_BY[STEP_ACTION[step]]])
        return outcome
