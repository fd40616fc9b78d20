"""Alembic environment: the hub runs migrations itself on start (`database.prepare`)."""

from __future__ import annotations

from alembic import context

from hub.db import schema

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=schema.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
