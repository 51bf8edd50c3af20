"""Large runs stay inside AWS's limits: DynamoDB's 400 KB item, 25-item batches, SNS's 256 KB
message; and the config's `outputs:` errors are one line naming the key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from driftq.config import parse_config
from driftq.errors import ConfigError
from driftq.notify.sns import build_message, subject
from driftq.outputs import dynamodb
from driftq.outputs.clients import WriteClients
from driftq.outputs.retry import Retry
from driftq.outputs.s3 import object_url
from driftq.outputs.settings import DynamoDbOutput
from tests.outputs.footprint import Footprint

POLICY = {
    "Statement": [{"Effect": "Allow", "Action": f"s3:Get{i}", "Resource": "*"} for i in range(60)]
}


def finding(account: str, region: str, n: int, big: Any = None) -> dict[str, Any]:
    return {
        "kind": "drifted",
        "account": account,
        "account_id": "111122223333",
        "region": region,
        "service": "iam",
        "resource_type": "aws_iam_policy",
        "resource_id": f"arn:aws:iam::111122223333:policy/p{n}",
        "address": f"module.iam.aws_iam_policy.p[{n}]",
        "state": "s3://states/iam.tfstate",
        "changes": [
            {"attribute": "policy", "expected": big or POLICY, "actual": {"Statement": []}}
        ],
    }


def run_report(accounts: int, regions: list[str], per_region: int) -> dict[str, Any]:
    findings = [
        finding(f"a{i}", region, n)
        for i in range(accounts)
        for region in regions
        for n in range(per_region)
    ]
    rows = [
        {
            "name": f"a{i}",
            "account_id": f"{100000000000 + i}",
            "severity": "warning",
            "regions": regions,
            "units": len(regions),
            "units_failed": 0,
            "managed": 0,
            "drifted": per_region * len(regions),
            "missing": 0,
            "unmanaged": 0,
        }
        for i in range(accounts)
    ]
    return {
        "run_id": "20260101T000000Z-limits",
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": "2026-01-01T00:05:00Z",
        "findings": findings,
        "errors": [],
        "accounts": rows,
    }


def test_a_huge_region_is_cut_to_one_item_under_400_kb(footprint: Footprint) -> None:
    report = run_report(1, ["us-east-1"], 2000)
    report["findings"][0]["changes"][0]["expected"] = "x" * 300_000  # one value alone too big
    cfg = DynamoDbOutput(table=footprint.table)
    clients = WriteClients(role_arn=footprint.role_arn)

    outcome = dynamodb.write_items(clients, Retry(2, 0.01), cfg, report, "s3://r/report.html")

    assert outcome["status"] == "ok" and outcome["written"] == 1
    (item,) = footprint.items()
    data = item["drift_data"]
    kept = len(data["findings"])
    assert data["findings_total"] == 2000 and kept + data["findings_omitted"] == 2000
    assert 100 < kept < 2000
    assert data["findings"][0]["changes"][0]["expected"].endswith("more characters)")
    assert dynamodb.item_size(dynamodb._plain(item)) <= dynamodb.ITEM_LIMIT


def test_many_accounts_go_in_batches_of_25(footprint: Footprint) -> None:
    report = run_report(30, ["us-east-1", "eu-west-1"], 2)
    cfg = DynamoDbOutput(table=footprint.table, retention="1d")
    clients = WriteClients(role_arn=footprint.role_arn)

    outcome = dynamodb.write_items(clients, Retry(2, 0.01), cfg, report, "here")

    assert (outcome["status"], outcome["items"], outcome["written"]) == ("ok", 60, 60)
    keys = {i["account_region"] for i in footprint.items()}
    assert keys == {
        f"{100000000000 + i}#{r}" for i in range(30) for r in ("us-east-1", "eu-west-1")
    }
    assert {i["ttl"] for i in footprint.items()} == {1767225900 + 86400}


def test_an_sns_message_stays_under_256_kb() -> None:
    report = run_report(1, ["us-east-1"], 5000)
    account = report["accounts"][0]
    found = report["findings"]

    message = build_message(report, account, "us-east-1", found, found[:10], "https://x")

    size = len(json.dumps(message).encode())
    assert size <= 256 * 1024
    listed = message["affected_resources"]
    assert message["affected_resources_total"] == 5000
    assert len(listed) + message["affected_resources_omitted"] == 5000
    assert all(r["new"] for r in listed[:10]) and not any(r["new"] for r in listed[10:])
    assert subject("prod\nuction", "eu-west-1") == "Drift detected in prod?uction/eu-west-1"
    assert len(subject("a" * 200, "us-east-1")) == 100


def test_object_urls() -> None:
    aws = "https://s3.eu-west-1.amazonaws.com"
    assert (
        object_url(aws, "drift-reports", "eu-west-1", "2026/01/01/r 1/report.html")
        == "https://drift-reports.s3.eu-west-1.amazonaws.com/2026/01/01/r%201/report.html"
    )
    assert object_url(aws, "my.reports", "eu-west-1", "k") == f"{aws}/my.reports/k"
    assert object_url("http://127.0.0.1:5000", "b", "us-east-1", "k") == "http://127.0.0.1:5000/b/k"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "s3: {bucket: reports, prefix: '{account}/'}",
            "outputs.s3.prefix: unknown field {account}",
        ),
        ("s3: {bucket: Bad_Bucket}", "outputs.s3.bucket: 'Bad_Bucket' is not an S3 bucket name"),
        ("sns: {topic_arn: arn:aws:sqs:us-east-1:1:q}", "outputs.sns.topic_arn: "),
        (
            "dynamodb: {retention: forever}",
            "outputs.dynamodb.retention: 'forever' is not a duration",
        ),
        ("role_arn: nope", "outputs.role_arn: 'nope' is not an IAM role ARN"),
        (
            "cloudwatch: {namespace: AWS/EC2}",
            "outputs.cloudwatch.namespace: 'AWS/EC2' is not a custom",
        ),
        ("s3: {bucket: b1c, acl: public}", "outputs.s3.acl: unknown key `acl`"),
    ],
)
def test_bad_outputs_config_is_one_line(section: str, message: str) -> None:
    text = f"""
accounts: [{{name: a, account_id: "111122223333", regions: [us-east-1]}}]
outputs:
  {section}
"""
    with pytest.raises(ConfigError) as err:
        parse_config(text, source="driftq.yaml")
    assert str(err.value).startswith("driftq.yaml:4: " + message), str(err.value)
    assert "\n" not in str(err.value)
