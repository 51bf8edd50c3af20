"""Run results to DynamoDB in the guide's shape: one item per account x region per run.

    account_region  S  "<account_id>#<region>"     (hash key)
    timestamp       S  the run's end, ISO 8601 UTC  (range key)
    ttl             N  epoch seconds: the run's end + outputs.dynamodb.retention
    drift_data      M  counts, severity, the findings (and failed units) of that region

An item may not exceed 400 KB: findings are added while the item stays under ``ITEM_BUDGET``
(measured with DynamoDB's own size rules), the rest counted in `findings_omitted`; a
single changed value longer than ``VALUE_MAX`` is cut. Writes go in BatchWriteItem calls
of 25; items DynamoDB leaves unprocessed are sent again with backoff.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from driftq.outputs.clients import WriteClients
from driftq.outputs.cloudwatch import parse_time
from driftq.outputs.retry import Retry
from driftq.outputs.settings import DynamoDbOutput
from driftq.outputs.slices import by_account, region_counts

ITEM_LIMIT = 400 * 1024
ITEM_BUDGET = 380_000  # room for the keys and counts around the findings
VALUE_MAX = 2_000  # characters of one expected/actual value kept in an item
BATCH = 25
_serializer = TypeSerializer()


def items(report: dict[str, Any], retention: float, location: str) -> Iterator[dict[str, Any]]:
    """Plain (not yet DynamoDB-typed) items, one per account x region of the run;
    ``location`` is where the report can be opened."""
    finished = report["finished_at"]
    ttl = int(parse_time(finished).timestamp() + retention)
    ids = {
        row["name"]: row.get("account_id") or row["name"] for row in report.get("accounts") or []
    }
    severities = {row["name"]: row["severity"] for row in report.get("accounts") or []}
    findings = {
        account: _by_region(mine) for account, mine in by_account(report["findings"]).items()
    }
    errors = {account: _by_region(mine) for account, mine in by_account(report["errors"]).items()}
    for (account, region), counts in sorted(region_counts(report).items()):
        head = {
            "account_region": f"{ids.get(account, account)}#{region}",
            "timestamp": finished,
            "ttl": ttl,
            "run_id": report["run_id"],
            "account": account,
            "account_id": ids.get(account, account),
            "region": region,
        }
        data: dict[str, Any] = {
            **counts,
            "severity": severities.get(account, "ok"),
            "status": "partial" if counts["units_failed"] else "complete",
            "report_url": location,
        }
        failed = [
            {k: e.get(k) for k in ("service", "code", "message")}
            for e in errors.get(account, {}).get(region, [])
        ]
        data["errors"] = failed
        fit = _fit(head, data, findings.get(account, {}).get(region, []))
        yield {**head, "drift_data": fit}


def _by_region(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(item["region"], []).append(item)
    return out


def _fit(head: dict[str, Any], data: dict[str, Any], found: list[dict[str, Any]]) -> dict[str, Any]:
    """``data`` with as many findings as fit in ``ITEM_BUDGET``; the rest counted."""
    data = {**data, "findings_total": len(found), "findings_omitted": 0, "findings": []}
    used = item_size(_plain({**head, "drift_data": data}))
    kept: list[dict[str, Any]] = []
    for index, f in enumerate(found):
        entry = _plain(_compact(f))
        # a list element costs its value plus one byte
        cost = value_size(entry) + 1
        if used + cost > ITEM_BUDGET:
            data["findings_omitted"] = len(found) - index
            break
        kept.append(entry)
        used += cost
    data["findings"] = kept
    return data


def _compact(f: dict[str, Any]) -> dict[str, Any]:
    out = {
        k: f.get(k)
        for k in (
            "kind",
            "service",
            "resource_type",
            "resource_id",
            "address",
            "state",
            "first_seen",
        )
        if f.get(k) is not None
    }
    changes = f.get("changes")
    if changes:
        out["changes"] = [
            {
                "attribute": c["attribute"],
                "expected": _cut(c.get("expected")),
                "actual": _cut(c.get("actual")),
            }
            for c in changes
        ]
    return out


def _cut(value: Any) -> Any:
    text = json.dumps(value, sort_keys=True, default=str)
    if len(text) <= VALUE_MAX:
        return value
    return text[:VALUE_MAX] + f"... ({len(text) - VALUE_MAX} more characters)"


def _plain(value: Any) -> Any:
    """JSON values as DynamoDB takes them: floats as Decimal."""
    return json.loads(json.dumps(value, default=str), parse_float=Decimal)


def value_size(value: Any) -> int:
    """Bytes DynamoDB counts for a value (its documented rules, rounded up)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, int | Decimal | float):
        digits = len(str(abs(value)).replace(".", "").lstrip("0")) or 1
        return (digits + 1) // 2 + 1
    if isinstance(value, dict):
        return 3 + sum(len(k.encode()) + value_size(v) + 1 for k, v in value.items())
    if isinstance(value, list):
        return 3 + sum(value_size(v) + 1 for v in value)
    return len(str(value).encode())


def item_size(item: dict[str, Any]) -> int:
    return sum(len(k.encode()) + value_size(v) for k, v in item.items())


def write_items(
    clients: WriteClients,
    retry: Retry,
    cfg: DynamoDbOutput,
    report: dict[str, Any],
    location: str,
) -> dict[str, Any]:
    region = cfg.region or clients.default_region
    outcome: dict[str, Any] = {
        "output": "dynamodb",
        "table": cfg.table,
        "items": 0,
        "written": 0,
        "attempts": 0,
    }
    batch: list[dict[str, Any]] = []
    for item in items(report, cfg.retention, location):
        outcome["items"] += 1
        batch.append(
            {"PutRequest": {"Item": {k: _serializer.serialize(v) for k, v in _plain(item).items()}}}
        )
        if len(batch) == BATCH:
            error = _send(clients, retry, cfg.table, region, batch, outcome)
            if error:
                return {**outcome, "status": "failed", "error": error}
            batch = []
    if batch:
        error = _send(clients, retry, cfg.table, region, batch, outcome)
        if error:
            return {**outcome, "status": "failed", "error": error}
    return {**outcome, "status": "ok", "error": None}


def _send(
    clients: WriteClients,
    retry: Retry,
    table: str,
    region: str,
    batch: list[dict[str, Any]],
    outcome: dict[str, Any],
) -> str | None:
    pending = batch
    for attempt in range(1, retry.attempts + 1):
        done = retry.call(
            "dynamodb BatchWriteItem",
            partial(_batch_write, clients, region, table, pending),
        )
        outcome["attempts"] = max(outcome["attempts"], done.attempts, attempt)
        if not done.ok:
            return done.error
        assert done.value is not None
        left = done.value.get("UnprocessedItems", {}).get(table, [])
        outcome["written"] += len(pending) - len(left)
        if not left:
            return None
        pending = left
        if attempt < retry.attempts:
            time.sleep(retry.backoff * 2 ** (attempt - 1))
    return f"{len(pending)} items still unprocessed after {retry.attempts} attempts"


def _batch_write(
    clients: WriteClients, region: str, table: str, requests: list[dict[str, Any]]
) -> dict[str, Any]:
    return clients.client("dynamodb", region).batch_write_item(  # type: ignore[no-any-return]
        RequestItems={table: requests}
    )
