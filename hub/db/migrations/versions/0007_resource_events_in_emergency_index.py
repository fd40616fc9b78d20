"""The emergency events' partial index also covers the joint response's resources (`resource.changed`).

Revision ID: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BEFORE = ("type IN ('emergency.changed', 'task.changed', 'directive.changed', 'receipt.changed', "
          "'warning.changed')")
AFTER = ("type IN ('emergency.changed', 'task.changed', 'directive.changed', 'receipt.changed', "
         "'warning.changed', 'resource.changed')")


def _index(where: str) -> None:
    op.drop_index("ix_events_emergency", "events")
    op.create_index("ix_events_emergency", "events", ["seq"], sqlite_where=sa.text(where),
                    postgresql_where=sa.text(where))


def upgrade() -> None:
    _index(AFTER)


def downgrade() -> None:
    _index(BEFORE)
