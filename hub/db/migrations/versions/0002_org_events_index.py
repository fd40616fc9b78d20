"""A partial index on the organisation's events, so a starting hub folds them without a scan.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ORG_TYPES = "type IN ('unit.changed', 'rota.changed')"


def upgrade() -> None:
    op.create_index("ix_events_org", "events", ["seq"], sqlite_where=sa.text(ORG_TYPES),
                    postgresql_where=sa.text(ORG_TYPES))


def downgrade() -> None:
    op.drop_index("ix_events_org", "events")
