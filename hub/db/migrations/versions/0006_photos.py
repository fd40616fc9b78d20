"""Photos of a unit's work (`photo.upload`): the bytes, their type, size and hash, and the step that
lists them.

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("content_type", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("bytes", sa.LargeBinary, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attached_version", sa.Integer, nullable=True),
    )
    op.create_index("ix_photos_case", "photos", ["case_id", "step"])


def downgrade() -> None:
    op.drop_index("ix_photos_case", "photos")
    op.drop_table("photos")
