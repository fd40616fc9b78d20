"""The Alembic migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hub.db import database, log_store, schema


def test_migrated_schema_matches_the_declared_one(db_url: str) -> None:
    engine = database.open_engine(db_url)
    try:
        log_id = database.prepare(engine)
        assert database.prepare(engine) == log_id, "a second start keeps the log's identity"
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        assert diff == []
        assert version == "0009"
    finally:
        engine.dispose()


def test_a_database_of_the_first_release_upgrades_and_keeps_its_log(db_url: str) -> None:
    """A hub of revision 0001 left events behind; the new hub migrates and still reads them."""
    engine = database.open_engine(db_url)
    try:
        database.migrate(engine, "0001")
        with engine.begin() as conn:
            conn.execute(schema.events.insert(), [
                {"seq": 1, "ts": datetime(2026, 11, 1, tzinfo=UTC), "type": "unit.changed", "case_id": None,
                 "exercise_id": None, "frame": b'{"type":"unit.changed"}'},
            ])
        database.prepare(engine)
        with engine.connect() as conn:
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        assert version == "0009"
        assert log_store.read_org_frames(engine) == [b'{"type":"unit.changed"}']
    finally:
        engine.dispose()
