"""Run history: every run's summary, per-account counts and findings, in SQL (SQLAlchemy Core).

Where: ``DRIFTQ_DATABASE_URL`` (any SQLAlchemy URL; ``postgresql://`` uses psycopg 3), else a
SQLite file at ``$XDG_DATA_HOME/driftq/history.db`` (``~/.local/share/driftq/history.db``),
a per-user place so that runs started from any directory share one history. The schema is
created on first use; every table is prefixed ``driftq_`` to live in a shared database.

Comparisons are per unit (account, region, service), against the last run that scanned that
unit successfully: a run narrowed by ``--account`` or ``--region`` does not call the rest of
the estate "resolved", and neither does a unit that failed this time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.engine import Connection, make_url

from driftq.errors import HistoryError
from driftq.history_accounts import AccountLatest
from driftq.history_schema import (
    ENV_URL,
    alert_state,
    database_url,
    engine_for,
    findings,
    run_accounts,
    runs,
    unit_latest,
)

__all__ = ["ENV_URL", "AlertStates", "Baseline", "ChannelState", "History", "finding_key"]


@dataclass
class ChannelState:
    """One channel's memory for one account."""

    acked: dict[str, str] = field(default_factory=dict)  # fingerprint -> unit label
    open: bool = False


AlertStates = dict[tuple[str, str], ChannelState]  # (channel, account) -> state


@dataclass
class Baseline:
    """The previous findings of the units scanned now; ``known`` is False on a first run."""

    findings: dict[str, dict[str, Any]]  # key -> {"first_seen": ..., "data": finding}
    previous_run_ids: list[str]
    known: bool


class History(AccountLatest):
    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        try:
            self.engine = engine_for(self.url)
        except Exception as exc:  # a bad URL, a missing driver, a server that is down
            # the exception's text can hold the connection string: name the type only
            raise HistoryError(
                f"cannot open the history database {self.display_url}: {type(exc).__name__}"
            ) from exc

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def baseline(self, run_id: str, ok_units: Iterable[tuple[str, str, str]]) -> Baseline:
        units = set(ok_units)
        accounts = sorted({u[0] for u in units})
        if not accounts:
            return Baseline({}, [], False)
        with self.engine.connect() as conn:
            latest = conn.execute(
                select(unit_latest).where(unit_latest.c.account.in_(accounts))
            ).all()
            run_of: dict[tuple[str, str, str], str] = {}
            for row in latest:
                unit = (row.account, row.region, row.service)
                previous = row.prev_run_id if row.run_id == run_id else row.run_id
                if unit in units and previous:
                    run_of[unit] = previous
            if not run_of:
                return Baseline({}, [], False)
            rows = conn.execute(
                select(findings).where(
                    findings.c.run_id.in_(sorted(set(run_of.values()))),
                    findings.c.account.in_(accounts),
                )
            ).all()
        out: dict[str, dict[str, Any]] = {}
        for row in rows:
            if run_of.get((row.account, row.unit_region, row.service)) == row.run_id:
                out[row.key] = {"first_seen": row.first_seen, "data": json.loads(row.data)}
        return Baseline(out, sorted(set(run_of.values())), True)

    def latest_findings(
        self, run_id: str, accounts: Iterable[str], skip: Iterable[tuple[str, str, str]]
    ) -> list[dict[str, Any]]:
        """The findings each unit of ``accounts`` (but ``skip``) had in the last run that
        scanned it before ``run_id``: the accounts' drift as history knows it now (an event
        run's thresholds count its unit's findings among these)."""
        wanted = sorted(set(accounts))
        skipped = set(skip)
        if not wanted:
            return []
        with self.engine.connect() as conn:
            latest = conn.execute(
                select(unit_latest).where(unit_latest.c.account.in_(wanted))
            ).all()
            run_of: dict[tuple[str, str, str], str] = {}
            for row in latest:
                unit = (row.account, row.region, row.service)
                last = row.prev_run_id if row.run_id == run_id else row.run_id
                if unit not in skipped and last:
                    run_of[unit] = last
            if not run_of:
                return []
            rows = conn.execute(
                select(findings).where(
                    findings.c.run_id.in_(sorted(set(run_of.values()))),
                    findings.c.account.in_(wanted),
                )
            ).all()
        return [
            json.loads(row.data)
            for row in rows
            if run_of.get((row.account, row.unit_region, row.service)) == row.run_id
        ]

    def alert_states(self, accounts: Iterable[str]) -> AlertStates:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(alert_state).where(alert_state.c.account.in_(sorted(set(accounts))))
            ).all()
        return {
            (row.channel, row.account): ChannelState(json.loads(row.acked), bool(row.open))
            for row in rows
        }

    def record(
        self,
        report: dict[str, Any],
        unit_results: Iterable[tuple[tuple[str, str, str], bool]],
        finding_units: dict[str, tuple[str, str, str]],
        states: AlertStates,
        report_path: str | None = None,
    ) -> None:
        """Store one run; recording the same run id again replaces it (idempotent)."""
        run_id = report["run_id"]
        ok_units = sorted(unit for unit, ok in unit_results if ok)
        with self.engine.begin() as conn:
            for table in (runs, run_accounts, findings):
                conn.execute(table.delete().where(table.c.run_id == run_id))
            s = report["summary"]
            conn.execute(
                runs.insert(),
                {
                    "run_id": run_id,
                    "started_at": report["started_at"],
                    "finished_at": report["finished_at"],
                    "status": report["status"],
                    "severity": report["severity"],
                    "report_path": report_path,
                    **{k: s[k] for k in _SUMMARY_COLUMNS},
                },
            )
            if report.get("accounts"):
                conn.execute(
                    run_accounts.insert(),
                    [
                        {
                            "run_id": run_id,
                            "account": a["name"],
                            "account_id": a.get("account_id"),
                            **{k: a[k] for k in _ACCOUNT_COLUMNS},
                        }
                        for a in report["accounts"]
                    ],
                )
            rows = []
            for f in report["findings"]:
                key = finding_key(f)
                account, unit_region, service = finding_units[key]
                data = {k: v for k, v in f.items() if k != "first_seen"}
                rows.append(
                    {
                        "run_id": run_id,
                        "account": account,
                        "unit_region": unit_region,
                        "service": service,
                        "key": key,
                        "first_seen": f.get("first_seen") or report["started_at"],
                        "data": json.dumps(data, sort_keys=True, default=str),
                    }
                )
            if rows:
                conn.execute(findings.insert(), rows)
            self._move_account_latest(conn, run_id, report["started_at"], report.get("accounts"))
            self._move_latest(conn, run_id, ok_units)
            self._save_states(conn, run_id, states)

    def _move_latest(
        self, conn: Connection, run_id: str, units: list[tuple[str, str, str]]
    ) -> None:
        if not units:
            return
        accounts = sorted({u[0] for u in units})
        existing = {
            (r.account, r.region, r.service): r
            for r in conn.execute(
                select(unit_latest).where(unit_latest.c.account.in_(accounts))
            ).all()
        }
        rows = []
        for unit in units:
            old = existing.get(unit)
            prev = (
                None if old is None else (old.prev_run_id if old.run_id == run_id else old.run_id)
            )
            rows.append(
                {"a": unit[0], "r": unit[1], "s": unit[2], "run_id": run_id, "prev_run_id": prev}
            )
        where = and_(
            unit_latest.c.account == bindparam("a"),
            unit_latest.c.region == bindparam("r"),
            unit_latest.c.service == bindparam("s"),
        )
        conn.execute(unit_latest.delete().where(where), rows)
        conn.execute(
            unit_latest.insert(),
            [
                {
                    "account": r["a"],
                    "region": r["r"],
                    "service": r["s"],
                    "run_id": run_id,
                    "prev_run_id": r["prev_run_id"],
                }
                for r in rows
            ],
        )

    def _save_states(self, conn: Connection, run_id: str, states: AlertStates) -> None:
        if not states:
            return
        keys = [{"c": channel, "a": account} for channel, account in states]
        conn.execute(
            alert_state.delete().where(
                and_(
                    alert_state.c.channel == bindparam("c"), alert_state.c.account == bindparam("a")
                )
            ),
            keys,
        )
        conn.execute(
            alert_state.insert(),
            [
                {
                    "channel": channel,
                    "account": account,
                    "acked": json.dumps(state.acked, sort_keys=True),
                    "open": state.open,
                    "run_id": run_id,
                }
                for (channel, account), state in sorted(states.items())
            ],
        )

    def runs(self, account: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Past runs, newest first; with ``account``, that account's counts in each run."""
        with self.engine.connect() as conn:
            if account is None:
                query = select(runs).order_by(runs.c.started_at.desc(), runs.c.run_id.desc())
                return [dict(r._mapping) for r in conn.execute(query.limit(limit)).all()]
            query = (
                select(
                    runs.c.run_id,
                    runs.c.started_at,
                    runs.c.finished_at,
                    runs.c.status,
                    runs.c.report_path,
                    *[c for c in run_accounts.c if c.name != "run_id"],
                )
                .join(run_accounts, run_accounts.c.run_id == runs.c.run_id)
                .where(run_accounts.c.account == account)
                .order_by(runs.c.started_at.desc(), runs.c.run_id.desc())
                .limit(limit)
            )
            return [dict(r._mapping) for r in conn.execute(query).all()]


def format_runs(rows: list[dict[str, Any]], per_account: bool) -> str:
    """`driftq history`'s table."""
    columns = [("run", "run_id", 28), ("started", "started_at", 21), ("status", "status", 9)]
    columns += [("severity", "severity", 9)]
    columns += [(n.removeprefix("units_"), n, 9) for n in _ACCOUNT_COLUMNS[1:]]
    if not per_account:
        columns.append(("accounts", "accounts", 9))
    head = " ".join(f"{title:<{width}}" for title, _, width in columns)
    body = [" ".join(f"{row[key]!s:<{width}}" for _, key, width in columns) for row in rows]
    return "\n".join([head.rstrip(), *(line.rstrip() for line in body)])


_SUMMARY_COLUMNS = (
    "accounts",
    "units",
    "units_failed",
    "managed",
    "drifted",
    "missing",
    "unmanaged",
    "excluded",
)
_ACCOUNT_COLUMNS = ("severity", "units", "units_failed", "drifted", "missing", "unmanaged")


def finding_key(f: dict[str, Any]) -> str:
    """A finding's identity across runs: what it is, not what its attributes are now."""
    return "|".join((f["account"], f["region"], f["resource_type"], f["resource_id"], f["kind"]))
