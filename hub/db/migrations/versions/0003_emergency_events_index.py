"""A partial index on the emergency events, so a starting hub folds them without a scan.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

EMERGENCY_TYPES = "type IN ('emergency.changed', 'task.changed', 'directive.changed', 'receipt.changed')"


def upgrade() -> None:
    op.create_index("ix_events_emergency", "events", ["seq"], sqlite_where=sa.text(EMERGENCY_TYPES),
                    postgresql_where=sa.text(EMERGENCY_TYPES))


def downgrade() -> None:
    op.drop_index("ix_events_emergency", "events")
