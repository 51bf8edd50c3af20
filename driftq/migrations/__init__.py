"""Alembic migrations of the history database, applied by `driftq.history_migrations.migrate`
on first use.

A schema change is a new file in `versions/` (copy the latest, set `revision` and
`down_revision`) plus the same change in `driftq/history_schema.py`; a test upgrades an empty
database and compares it with the tables declared there.
"""
