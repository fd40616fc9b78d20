"""The audit log as a hash chain: `audit.prev_hash` and `audit.hash`, the rows already there chained in id
order with the formula of hub/db/audit_chain.py (copied here as it was: a migration must not change when
the code does).

Revision ID: 0009
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def _hash(prev_hash: str, row: sa.Row[tuple[object, ...]]) -> str:
    ts: datetime = row.ts
    ts = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)
    content = json.dumps(
        [int(row.id), ts.isoformat(timespec="microseconds"), row.user, row.role, row.command_id, row.name,
         bytes(row.args).hex(), bool(row.ok), row.error_code],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=True))
    conn = op.get_bind()
    audit = sa.table("audit", sa.column("id"), sa.column("ts", sa.DateTime(timezone=True)), sa.column("user"),
                     sa.column("role"), sa.column("command_id"), sa.column("name"), sa.column("args", sa.LargeBinary),
                     sa.column("ok", sa.Boolean), sa.column("error_code"), sa.column("prev_hash"), sa.column("hash"))
    prev = GENESIS
    for row in conn.execute(sa.select(audit).order_by(audit.c.id)).all():
        own = _hash(prev, row)
        conn.execute(sa.update(audit).where(audit.c.id == row.id).values(prev_hash=prev, hash=own))
        prev = own
    with op.batch_alter_table("audit") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
