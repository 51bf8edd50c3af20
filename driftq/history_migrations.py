"""Bring a history database to the current schema with alembic, on first use per process.

The migrations live in `driftq/migrations/versions/`; the applied revision in the
`driftq_alembic_version` table (prefixed like every driftq table, so a shared database
keeps its own `alembic_version` for its owner). A database made by driftq before
migrations existed has no version table: the baseline revision adopts its tables as they
are, and later revisions upgrade it like any other.

Processes that open a new database together (workers finishing runs at the same time) take
turns: a PostgreSQL advisory lock held for the migration's transaction, or a lock file
beside a SQLite database. A database already at the head costs one query.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from driftq.history_schema import VERSION_TABLE

log = logging.getLogger(__name__)
# any constant shared by every driftq process: pg_advisory_xact_lock takes a bigint
_PG_LOCK_KEY = 0x64726966747100  # "driftq\0"


@lru_cache(maxsize=1)
def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def migrate(engine: Engine) -> bool:
    """Upgrade ``engine``'s database to the head revision; True when something was applied."""
    with engine.connect() as conn:
        if current_revision(conn) == head_revision():
            return False
    with _exclusive(engine) as conn:
        before = current_revision(conn)
        if before == head_revision():  # another process migrated while we waited
            return False
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        log.info("history: migrated %s from %s to %s", engine.url.render_as_string(), before,
                 head_revision())  # fmt: skip
        return True


def _config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return config


@contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no other driftq process migrates through."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            with conn.begin():  # PostgreSQL's DDL is transactional: all or nothing
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                yield conn
            return
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        if not database or database == ":memory:":
            with conn.begin():
                yield conn
            return
        lock = Path(database).expanduser().with_name(Path(database).name + ".migrate-lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with conn.begin():
                yield conn
        finally:
            os.close(fd)  # closing releases the lock
