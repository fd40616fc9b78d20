"""The Alembic migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hub.db import database, schema


def test_migrated_schema_matches_the_declared_one(db_url: str) -> None:
    engine = database.open_engine(db_url)
    try:
        log_id = database.prepare(engine)
        assert database.prepare(engine) == log_id, "a second start keeps the log's identity"
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        assert diff == []
        assert version == "0001"
    finally:
        engine.dispose()
