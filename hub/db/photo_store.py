"""The `photos` table: every read and write, on the writer's own transaction (`Batch.reader`).

A photo is one row written whole in the transaction of its `photo.upload`; a step attaches the
waiting photos it names (`attached_version`) and deletes the waiting ones it does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hub.db import schema

T = schema.photos


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    """A row without its bytes."""

    id: str
    case_id: str
    step: str
    content_type: str
    size: int
    sha256: str
    attached_version: int | None


_META = (T.c.id, T.c.case_id, T.c.step, T.c.content_type, T.c.size, T.c.sha256, T.c.attached_version)


def _stored(row: Any) -> StoredPhoto:
    return StoredPhoto(str(row.id), str(row.case_id), str(row.step), str(row.content_type), int(row.size),
                       str(row.sha256), None if row.attached_version is None else int(row.attached_version))


class PhotoStore:
    """The table's operations; each takes the transaction's connection."""

    def insert(self, conn: Connection, photo: StoredPhoto, data: bytes, by: str, at: datetime) -> None:
        conn.execute(T.insert().values(id=photo.id, case_id=photo.case_id, step=photo.step,
                                       content_type=photo.content_type, size=photo.size, sha256=photo.sha256,
                                       bytes=data, by=by, at=at, attached_version=None))

    def waiting(self, conn: Connection, case_id: str, step: str) -> list[StoredPhoto]:
        """The case's photos of `step` that no step lists yet, oldest first."""
        rows = conn.execute(sa.select(*_META).where(T.c.case_id == case_id, T.c.step == step,
                                                    T.c.attached_version.is_(None)).order_by(T.c.at, T.c.id))
        return [_stored(row) for row in rows]

    def find(self, conn: Connection, ids: Iterable[str]) -> dict[str, StoredPhoto]:
        wanted = list(ids)
        if not wanted:
            return {}
        rows = conn.execute(sa.select(*_META).where(T.c.id.in_(wanted)))
        return {str(row.id): _stored(row) for row in rows}

    def attach(self, conn: Connection, ids: list[str], version: int) -> None:
        if ids:
            conn.execute(T.update().where(T.c.id.in_(ids)).values(attached_version=version))

    def discard_waiting(self, conn: Connection, case_id: str, steps: Iterable[str]) -> None:
        """Delete the case's photos of `steps` that no step lists (after a step attached its own)."""
        conn.execute(T.delete().where(T.c.case_id == case_id, T.c.step.in_(list(steps)),
                                      T.c.attached_version.is_(None)))

    def read(self, conn: Connection, photo_id: str) -> tuple[StoredPhoto, bytes] | None:
        row = conn.execute(sa.select(*_META, T.c.bytes).where(T.c.id == photo_id)).first()
        return None if row is None else (_stored(row), bytes(row.bytes))
