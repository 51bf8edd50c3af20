"""Each account's last run and last successful run, kept at record time (History mixes
this in): the metrics endpoint reads one indexed row per account, however long the history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, and_, select

from driftq.history_schema import account_latest, run_accounts, runs


class AccountLatest:
    engine: Engine

    def latest_per_account(self, since: str) -> list[dict[str, Any]]:
        """Each account's counts in its last run, if that started at or after ``since`` (ISO
        time), with the run's times and status: one indexed row per account."""
        query = select(
            run_accounts,
            runs.c.started_at,
            runs.c.finished_at,
            runs.c.status.label("run_status"),
        ).select_from(
            account_latest.join(
                run_accounts,
                and_(
                    run_accounts.c.run_id == account_latest.c.run_id,
                    run_accounts.c.account == account_latest.c.account,
                ),
            ).join(runs, runs.c.run_id == account_latest.c.run_id)
        )
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query).all()]
        # filtered and sorted here: in SQL either tempts SQLite to walk an index of every
        # run (200 ms at 200 runs x 1,000 accounts) instead of one row per account (3 ms)
        return sorted((r for r in rows if r["started_at"] >= since), key=lambda r: r["account"])

    def last_success_per_account(self) -> dict[str, str]:
        """account -> when its last run without a failed unit finished."""
        query = select(account_latest.c.account, runs.c.finished_at).join(
            runs, runs.c.run_id == account_latest.c.success_run_id
        )
        with self.engine.connect() as conn:
            return {account: finished for account, finished in conn.execute(query).all()}

    def _move_account_latest(
        self,
        conn: Connection,
        run_id: str,
        started_at: str,
        accounts: list[dict[str, Any]] | None,
    ) -> None:
        """Point each account's latest (and latest successful) run at this one, unless a run
        that started later is recorded already (callbacks can finish out of order)."""
        if not accounts:
            return
        names = sorted({a["name"] for a in accounts})
        existing = {
            r.account: r
            for r in conn.execute(
                select(account_latest).where(account_latest.c.account.in_(names))
            ).all()
        }
        referenced = {r.run_id for r in existing.values()}
        referenced |= {r.success_run_id for r in existing.values() if r.success_run_id}
        started = dict(
            conn.execute(
                select(runs.c.run_id, runs.c.started_at).where(runs.c.run_id.in_(referenced))
            ).all()
        )

        def newer(other: str | None) -> bool:
            if other is None or other == run_id:
                return True
            return (started_at, run_id) >= (started.get(other, ""), other)

        rows = []
        for account in accounts:
            old = existing.get(account["name"])
            latest = run_id if old is None or newer(old.run_id) else old.run_id
            success = old.success_run_id if old else None
            if account["units_failed"] == 0 and newer(success):
                success = run_id
            rows.append({"account": account["name"], "run_id": latest, "success_run_id": success})
        conn.execute(account_latest.delete().where(account_latest.c.account.in_(names)))
        conn.execute(account_latest.insert(), rows)
