"""The history database: its tables, its URL and one engine per URL per process.

Tables are prefixed ``driftq_`` so that they can live in a shared database. The tables here
are the schema at the latest migration (`driftq/migrations/`); `engine_for` applies the
migrations on first use, and a test checks that both agree.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
)
from sqlalchemy.engine import make_url

ENV_URL = "DRIFTQ_DATABASE_URL"
# alembic's record of the applied revision, prefixed like the tables
VERSION_TABLE = "driftq_alembic_version"

metadata = MetaData()
runs = Table(
    "driftq_runs",
    metadata,
    Column("run_id", String(100), primary_key=True),
    Column("started_at", String(40), nullable=False, index=True),
    Column("finished_at", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("severity", String(20), nullable=False),
    Column("accounts", Integer, nullable=False),
    Column("units", Integer, nullable=False),
    Column("units_failed", Integer, nullable=False),
    Column("managed", Integer, nullable=False),
    Column("drifted", Integer, nullable=False),
    Column("missing", Integer, nullable=False),
    Column("unmanaged", Integer, nullable=False),
    Column("excluded", Integer, nullable=False),
    Column("report_path", Text),
)
run_accounts = Table(
    "driftq_run_accounts",
    metadata,
    Column("run_id", String(100), primary_key=True),
    Column("account", String(200), primary_key=True),
    Column("account_id", String(20)),
    Column("severity", String(20), nullable=False),
    Column("units", Integer, nullable=False),
    Column("units_failed", Integer, nullable=False),
    Column("drifted", Integer, nullable=False),
    Column("missing", Integer, nullable=False),
    Column("unmanaged", Integer, nullable=False),
    # an account's latest runs (`history --account`, the metrics endpoint)
    Index("ix_driftq_run_accounts_account", "account", "run_id"),
)
findings = Table(
    "driftq_findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(100), nullable=False, index=True),
    Column("account", String(200), nullable=False),
    Column("unit_region", String(40), nullable=False),  # the unit's region: `global` for S3
    Column("service", String(40), nullable=False),
    Column("key", Text, nullable=False),
    Column("first_seen", String(40), nullable=False),
    Column("data", Text, nullable=False),
)
# the last run that scanned each unit successfully (and the one before, so that finalizing
# the same run twice compares against the same baseline)
unit_latest = Table(
    "driftq_unit_latest",
    metadata,
    Column("account", String(200), primary_key=True),
    Column("region", String(40), primary_key=True),
    Column("service", String(40), primary_key=True),
    Column("run_id", String(100), nullable=False),
    Column("prev_run_id", String(100)),
)
# per account: its last run, and its last run without a failed unit (the metrics endpoint)
account_latest = Table(
    "driftq_account_latest",
    metadata,
    Column("account", String(200), primary_key=True),
    Column("run_id", String(100), nullable=False),
    Column("success_run_id", String(100)),
)
# per channel and account: the finding fingerprints already alerted, and whether an
# incident is open (PagerDuty)
alert_state = Table(
    "driftq_alert_state",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("account", String(200), primary_key=True),
    Column("acked", Text, nullable=False),
    Column("open", Boolean, nullable=False, default=False),
    Column("run_id", String(100)),
)


def default_url() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'driftq' / 'history.db'}"


def database_url(url: str | None = None) -> str:
    url = url or os.environ.get(ENV_URL) or default_url()
    # `postgresql://` means psycopg2 to SQLAlchemy; driftq ships with psycopg 3
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine per URL per process (the Celery callback finalizes many runs)."""
    with _engines_lock:
        if url not in _engines:
            parsed = make_url(url)
            kwargs: dict[str, Any] = {}
            if parsed.get_backend_name() == "sqlite":
                if parsed.database and parsed.database != ":memory:":
                    Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                # two runs finishing together wait for each other instead of failing
                kwargs["connect_args"] = {"timeout": 30}
            else:
                kwargs["pool_pre_ping"] = True
            engine = create_engine(url, **kwargs)
            try:
                from driftq.history_migrations import migrate

                migrate(engine)
            except Exception:
                engine.dispose()
                raise
            _engines[url] = engine
        return _engines[url]
