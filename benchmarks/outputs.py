"""Time, AWS calls and memory of the outputs at a run's end, for a large estate.

    .venv/bin/python -m benchmarks.outputs [--accounts 1000] [--regions 2] [--findings 30000]

A synthetic report (accounts x regions, findings spread over them, every account at warning)
is published to a moto server (a child process on a free loopback port) with every output
on: S3, CloudWatch, DynamoDB (publish_outputs) and SNS (the channel, first run: every
account/region is new). Prints each output's wall time and AWS calls, and this process's
peak RSS growth. moto answers slower than AWS, so times are an upper bound; the call counts
are what grows with the estate.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import boto3
import yaml

from benchmarks.cluster_support import processes, scratch, start_moto
from driftq.config import parse_config
from driftq.history import finding_key
from driftq.notify.policy import AlertInput
from driftq.notify.sns import notify
from driftq.outputs.run import publish_outputs


def rss_mb(field: str = "VmHWM:") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def synthetic_report(accounts: int, regions: list[str], findings: int) -> dict[str, Any]:
    rows, found = [], []
    per = max(1, findings // (accounts * len(regions)))
    for i in range(accounts):
        account_id = str(200000000000 + i)
        for region in regions:
            for n in range(per):
                found.append(
                    {
                        "kind": ("drifted", "missing", "unmanaged")[n % 3],
                        "account": f"acct-{i}",
                        "account_id": account_id,
                        "region": region,
                        "service": "ec2",
                        "resource_type": "aws_security_group",
                        "resource_id": f"sg-{i:06d}{n:06d}",
                        "address": None if n % 3 == 2 else f"aws_security_group.sg[{n}]",
                        "state": None if n % 3 == 2 else "s3://states/net.tfstate",
                        "changes": [{"attribute": "tags.Owner", "expected": "net", "actual": "x"}]
                        if n % 3 == 0
                        else None,
                    }
                )
        kinds = Counter(f["kind"] for f in found[-per * len(regions) :])
        rows.append(
            {
                "name": f"acct-{i}",
                "account_id": account_id,
                "severity": "warning",
                "regions": regions,
                "units": len(regions) * 3,
                "units_failed": 0,
                "managed": 10,
                "drifted": kinds["drifted"],
                "missing": kinds["missing"],
                "unmanaged": kinds["unmanaged"],
            }
        )
    totals = Counter(f["kind"] for f in found)
    return {
        "schema_version": 1,
        "run_id": "20260101T000000Z-bench",
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": "2026-01-01T00:10:00Z",
        "drift_detected": True,
        "status": "complete",
        "severity": "warning",
        "summary": {
            "accounts": accounts,
            "units": accounts * len(regions) * 3,
            "units_failed": 0,
            "managed": accounts * 10,
            "drifted": totals["drifted"],
            "missing": totals["missing"],
            "unmanaged": totals["unmanaged"],
            "excluded": 0,
        },
        "thresholds": [],
        "findings": found,
        "errors": [],
        "accounts": rows,
    }


def footprint(region: str) -> dict[str, Any]:
    s3, ddb, sns = (boto3.client(s, region_name=region) for s in ("s3", "dynamodb", "sns"))
    s3.create_bucket(Bucket="bench-reports")
    ddb.create_table(
        TableName="bench-results",
        KeySchema=[
            {"AttributeName": "account_region", "KeyType": "HASH"},
            {"AttributeName": "timestamp", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "account_region", "AttributeType": "S"},
            {"AttributeName": "timestamp", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    topic = sns.create_topic(Name="bench-alerts")["TopicArn"]
    return {
        "region": region,
        "s3": {"bucket": "bench-reports"},
        "cloudwatch": {"namespace": "DriftBench"},
        "dynamodb": {"table": "bench-results"},
        "sns": {"topic_arn": topic},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--regions", type=int, default=2)
    parser.add_argument("--findings", type=int, default=30000)
    args = parser.parse_args()
    regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"][: args.regions]
    with processes() as started:
        url = start_moto(started, scratch())
        os.environ.update(
            AWS_ENDPOINT_URL=url,
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            AWS_DEFAULT_REGION="us-east-1",
        )
        outputs = footprint("us-east-1")
        report = synthetic_report(args.accounts, regions, args.findings)
        config = parse_config(
            yaml.safe_dump(
                {
                    "accounts": [
                        {"name": r["name"], "account_id": r["account_id"], "regions": regions}
                        for r in report["accounts"]
                    ],
                    "outputs": outputs,
                }
            )
        )
        before = rss_mb("VmRSS:")
        outcomes, location = publish_outputs(config, report, [], {}, "/tmp/report.html")
        report["outputs"] = outcomes
        alert = AlertInput(
            report,
            {finding_key(f): f"{f['account']}/{f['region']}/ec2" for f in report["findings"]},
            set(),
            {},
        )
        sent: list[dict[str, Any]] = []
        started_sns = time.monotonic()
        notify(config.outputs, alert, location, sent, {})
        sns_seconds = time.monotonic() - started_sns
    print(f"{args.accounts} accounts x {len(regions)} regions, {len(report['findings'])} findings")
    for o in outcomes:
        calls = {
            "s3": o.get("uploaded"),
            "cloudwatch": -(-o.get("sent", 0) // 500),
            "dynamodb": -(-o.get("written", 0) // 25),
        }[o["output"]]
        print(f"  {o['output']:<10} {o['status']:<6} {o['seconds']:7.1f} s  {calls} calls")
    published = sum(n.get("sent", 0) for n in sent)
    print(f"  {'sns':<10} {'ok':<6} {sns_seconds:7.1f} s  {published} calls")
    print(f"  peak RSS growth while publishing: {rss_mb() - before:.0f} MB")


if __name__ == "__main__":
    main()
