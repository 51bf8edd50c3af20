"""Index the per-account rows by account: `driftq history --account` and the metrics
endpoint read each account's latest runs, which the (run_id, account) key cannot find.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_driftq_run_accounts_account", "driftq_run_accounts", ["account", "run_id"])


def downgrade() -> None:
    op.drop_index("ix_driftq_run_accounts_account", "driftq_run_accounts")
