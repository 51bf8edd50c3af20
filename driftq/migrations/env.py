"""Alembic's entry point: always called by driftq with an open connection, never standalone."""

from __future__ import annotations

from alembic import context

from driftq.history_schema import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    # SQLite cannot ALTER most things: batch mode copies the table instead
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
