"""The organisation's partial index also covers the shift handover (`shift.handed_over`,
`shift.handover_acknowledged`), which a starting hub folds with the chart.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BEFORE = "type IN ('unit.changed', 'rota.changed')"
AFTER = "type IN ('unit.changed', 'rota.changed', 'shift.handed_over', 'shift.handover_acknowledged')"


def _index(where: str) -> None:
    op.drop_index("ix_events_org", "events")
    op.create_index("ix_events_org", "events", ["seq"], sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade() -> None:
    _index(AFTER)


def downgrade() -> None:
    _index(BEFORE)
