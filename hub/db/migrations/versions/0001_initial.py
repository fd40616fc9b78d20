"""The hub's first schema: event log, case projection, counters, commands, users, unit
statistics and the audit log.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer, "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table("hub_meta", sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "events",
        sa.Column("seq", BigId, primary_key=True, autoincrement=False),
        sa.Column("ts", When, nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=True),
        sa.Column("exercise_id", sa.String(32), nullable=True),
        sa.Column("frame", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_events_case", "events", ["case_id"])
    op.create_table(
        "cases",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("serial", sa.String(32), nullable=False, unique=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table("counters", sa.Column("name", sa.String(64), primary_key=True),
                    sa.Column("value", sa.BigInteger, nullable=False))
    op.create_table(
        "commands",
        sa.Column("user", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("ts", When, nullable=False),
        sa.Column("response", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("revoked_at", When, nullable=True),
        sa.Column("unit_id", sa.String(64), nullable=True),
    )
    op.create_table("unit_stats", sa.Column("unit_id", sa.String(64), primary_key=True),
                    sa.Column("data", sa.LargeBinary, nullable=False))
    op.create_table(
        "audit",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("ts", When, nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("command_id", sa.String(128), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("args", sa.LargeBinary, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("error_code", sa.String(32), nullable=True),
    )


def downgrade() -> None:
    for table in ("audit", "unit_stats", "users", "commands", "counters", "cases", "events", "hub_meta"):
        op.drop_table(table)
