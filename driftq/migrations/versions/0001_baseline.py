"""The schema `metadata.create_all` made before driftq had migrations.

Databases created then have these tables and no version table: each table is created only
when it is missing, so upgrading such a database adopts (stamps) it without touching its
data, and an empty database gets the same tables.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[tuple[str, list[sa.Column], list[tuple[str, list[str]]]]]:
    """(table, columns, indexes) exactly as history_schema declared them at the time."""
    return [
        (
            "driftq_runs",
            [
                sa.Column("run_id", sa.String(100), primary_key=True),
                sa.Column("started_at", sa.String(40), nullable=False),
                sa.Column("finished_at", sa.String(40), nullable=False),
                sa.Column("status", sa.String(20), nullable=False),
                sa.Column("severity", sa.String(20), nullable=False),
                sa.Column("accounts", sa.Integer, nullable=False),
                sa.Column("units", sa.Integer, nullable=False),
                sa.Column("units_failed", sa.Integer, nullable=False),
                sa.Column("managed", sa.Integer, nullable=False),
                sa.Column("drifted", sa.Integer, nullable=False),
                sa.Column("missing", sa.Integer, nullable=False),
                sa.Column("unmanaged", sa.Integer, nullable=False),
                sa.Column("excluded", sa.Integer, nullable=False),
                sa.Column("report_path", sa.Text),
            ],
            [("ix_driftq_runs_started_at", ["started_at"])],
        ),
        (
            "driftq_run_accounts",
            [
                sa.Column("run_id", sa.String(100), primary_key=True),
                sa.Column("account", sa.String(200), primary_key=True),
                sa.Column("account_id", sa.String(20)),
                sa.Column("severity", sa.String(20), nullable=False),
                sa.Column("units", sa.Integer, nullable=False),
                sa.Column("units_failed", sa.Integer, nullable=False),
                sa.Column("drifted", sa.Integer, nullable=False),
                sa.Column("missing", sa.Integer, nullable=False),
                sa.Column("unmanaged", sa.Integer, nullable=False),
            ],
            [],
        ),
        (
            "driftq_findings",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("run_id", sa.String(100), nullable=False),
                sa.Column("account", sa.String(200), nullable=False),
                sa.Column("unit_region", sa.String(40), nullable=False),
                sa.Column("service", sa.String(40), nullable=False),
                sa.Column("key", sa.Text, nullable=False),
                sa.Column("first_seen", sa.String(40), nullable=False),
                sa.Column("data", sa.Text, nullable=False),
            ],
            [("ix_driftq_findings_run_id", ["run_id"])],
        ),
        (
            "driftq_unit_latest",
            [
                sa.Column("account", sa.String(200), primary_key=True),
                sa.Column("region", sa.String(40), primary_key=True),
                sa.Column("service", sa.String(40), primary_key=True),
                sa.Column("run_id", sa.String(100), nullable=False),
                sa.Column("prev_run_id", sa.String(100)),
            ],
            [],
        ),
        (
            "driftq_alert_state",
            [
                sa.Column("channel", sa.String(40), primary_key=True),
                sa.Column("account", sa.String(200), primary_key=True),
                sa.Column("acked", sa.Text, nullable=False),
                sa.Column("open", sa.Boolean, nullable=False),
                sa.Column("run_id", sa.String(100)),
            ],
            [],
        ),
    ]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns, indexes in _tables():
        if name in existing:
            continue
        op.create_table(name, *columns)
        for index, on in indexes:
            op.create_index(index, name, on)


def downgrade() -> None:
    for name, _, _ in reversed(_tables()):
        op.drop_table(name)
