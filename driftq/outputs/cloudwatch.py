"""Run metrics to CloudWatch (namespace `DriftMgr` by default), stamped with the run's end.

Per account (dimension `Account` = the account id) and in total, no dimension:
`DriftedResources`, `MissingResources`, `UnmanagedResources`, `UnitsFailed`; in total only:
`RunSeconds`. Sent in PutMetricData batches within AWS's 1,000 values and 1 MB per call.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from driftq.outputs.clients import WriteClients
from driftq.outputs.retry import Retry
from driftq.outputs.settings import CloudWatchOutput

COUNTS = {
    "DriftedResources": "drifted",
    "MissingResources": "missing",
    "UnmanagedResources": "unmanaged",
    "UnitsFailed": "units_failed",
}
DIMENSION = "Account"
BATCH = 500  # values per call: well inside 1,000 values and 1 MB


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def metric_data(report: dict[str, Any]) -> list[dict[str, Any]]:
    at = parse_time(report["finished_at"])
    data: list[dict[str, Any]] = []

    def add(name: str, value: float, unit: str, account: str | None = None) -> None:
        datum: dict[str, Any] = {"MetricName": name, "Timestamp": at, "Value": value, "Unit": unit}
        if account is not None:
            datum["Dimensions"] = [{"Name": DIMENSION, "Value": account}]
        data.append(datum)

    for name, key in COUNTS.items():
        add(name, report["summary"][key], "Count")
    seconds = (at - parse_time(report["started_at"])).total_seconds()
    add("RunSeconds", max(seconds, 0.0), "Seconds")
    for row in report.get("accounts") or []:
        for name, key in COUNTS.items():
            add(name, row[key], "Count", row.get("account_id") or row["name"])
    return data


def put_metrics(
    clients: WriteClients, retry: Retry, cfg: CloudWatchOutput, report: dict[str, Any]
) -> dict[str, Any]:
    data = metric_data(report)
    region = cfg.region or clients.default_region
    outcome: dict[str, Any] = {
        "output": "cloudwatch",
        "namespace": cfg.namespace,
        "values": len(data),
        "sent": 0,
        "attempts": 0,
    }
    for start in range(0, len(data), BATCH):
        batch = data[start : start + BATCH]
        done = retry.call(
            "cloudwatch PutMetricData",
            partial(_put, clients, region, cfg.namespace, batch),
        )
        outcome["attempts"] = max(outcome["attempts"], done.attempts)
        if not done.ok:
            return {**outcome, "status": "failed", "error": done.error}
        outcome["sent"] += len(batch)
    return {**outcome, "status": "ok", "error": None}


def _put(clients: WriteClients, region: str, namespace: str, batch: list[dict[str, Any]]) -> None:
    clients.client("cloudwatch", region).put_metric_data(Namespace=namespace, MetricData=batch)
