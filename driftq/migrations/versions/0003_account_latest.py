"""Each account's last run and last run without a failed unit, kept at record time: the
metrics endpoint reads one row per account instead of grouping every run of the history.

Backfilled from the runs already recorded.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# the account's latest run (ties: the greater run id, as History.record decides)
_LATEST = """
SELECT ra.run_id FROM driftq_run_accounts ra JOIN driftq_runs r ON r.run_id = ra.run_id
WHERE ra.account = a.account {extra}
ORDER BY r.started_at DESC, ra.run_id DESC LIMIT 1
"""


def upgrade() -> None:
    op.create_table(
        "driftq_account_latest",
        sa.Column("account", sa.String(200), primary_key=True),
        sa.Column("run_id", sa.String(100), nullable=False),
        sa.Column("success_run_id", sa.String(100)),
    )
    op.execute(
        "INSERT INTO driftq_account_latest (account, run_id, success_run_id) "
        f"SELECT a.account, ({_LATEST.format(extra='')}), "
        f"({_LATEST.format(extra='AND ra.units_failed = 0')}) "
        "FROM (SELECT DISTINCT account FROM driftq_run_accounts) a"
    )


def downgrade() -> None:
    op.drop_table("driftq_account_latest")
