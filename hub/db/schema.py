"""Tables of the hub's database (SQLAlchemy Core).

The event log is the truth; `cases` is a projection kept in the same transaction so a
restarted hub loads current state without replaying the whole log.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

# Every change here needs a migration in hub/db/migrations/versions/; a test compares the
# migrated database with these tables on SQLite and PostgreSQL.

metadata = MetaData()

meta = Table(
    "hub_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
"""Identity of the log (`log_id`)."""

events = Table(
    "events",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("type", String(64), nullable=False),
    Column("case_id", String(64), nullable=True),
    Column("exercise_id", String(32), nullable=True),
    Column("frame", LargeBinary, nullable=False),
)
"""Append-only. `frame` holds the exact bytes sent on the wire, so replay re-sends them."""
Index("ix_events_case", events.c.case_id)
ORG_EVENT_TYPES = ("unit.changed", "rota.changed", "shift.handed_over", "shift.handover_acknowledged")
"""Events the organisation chart and the handover book fold at start (partial index: other events cost
them nothing)."""
_org_only = events.c.type.in_(ORG_EVENT_TYPES)
Index("ix_events_org", events.c.seq, sqlite_where=_org_only, postgresql_where=_org_only)
EMERGENCY_EVENT_TYPES = ("emergency.changed", "task.changed", "directive.changed", "receipt.changed",
                         "warning.changed", "resource.changed")
"""Events the emergency book folds at start (a partial index, like the organisation's)."""
_emergency_only = events.c.type.in_(EMERGENCY_EVENT_TYPES)
Index("ix_events_emergency", events.c.seq, sqlite_where=_emergency_only, postgresql_where=_emergency_only)

cases = Table(
    "cases",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("serial", String(32), nullable=False, unique=True),
    Column("status", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
)
"""Projection: the latest `Case` of each id as JSON, as of `last_seq`."""

counters = Table(
    "counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
"""Serial number counters per centre and year (`serial:MH:2026`)."""

commands = Table(
    "commands",
    metadata,
    Column("user", String(64), primary_key=True),
    Column("id", String(128), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("response", LargeBinary, nullable=False),
)
"""Idempotency: the first `command.result` of each (user, id), returned for any repeat."""

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("unit_id", String(64), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),
)
"""Accounts. Tokens are stored as SHA-256 hashes only. `unit_id` scopes a unit's desk; `expires_at` (null:
never) ends the token (hub/auth.py)."""

unit_stats = Table(
    "unit_stats",
    metadata,
    Column("unit_id", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)
"""Projection: each unit's `UnitStats` as JSON."""

audit = Table(
    "audit",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("user", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("command_id", String(128), nullable=False),
    Column("name", String(64), nullable=False),
    Column("args", LargeBinary, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("error_code", String(32), nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
"""Every command a client sent and how it ended, for admins; a hash chain (`hub/db/audit_chain.py`) that
`python -m hub audit --verify` checks."""

photos = Table(
    "photos",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("case_id", String(64), nullable=False),
    Column("step", String(16), nullable=False),
    Column("content_type", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("bytes", LargeBinary, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("attached_version", Integer, nullable=True),
)
"""Photos of a unit's work (`photo.upload`), whole or not at all. `attached_version`: the case version
whose step lists the photo; null while it waits for its step (a step discards the waiting ones it
does not name)."""
Index("ix_photos_case", photos.c.case_id, photos.c.step)
