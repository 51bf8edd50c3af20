"""The guide's AWS footprint inside the emulator, in a fresh management account, and what
the tests read back from it: bucket objects, metric data, SNS messages (through an SQS
subscription) and DynamoDB items."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from tests.support.estate import account_session, new_account_id, unique
from tests.workers.estate import EstateAccount, write_config

SERVICES = ["ec2", "sqs", "iam"]


@dataclass
class Footprint:
    endpoint: str | None
    region: str = "us-east-1"
    account_id: str = field(default_factory=new_account_id)
    bucket: str = field(default_factory=lambda: unique("drift-reports"))
    table: str = field(default_factory=lambda: unique("drift-detection-results"))
    namespace: str = field(default_factory=lambda: unique("DriftMgr"))
    topic_arn: str = ""
    queue_url: str = ""

    def client(self, service: str) -> Any:
        session = account_session(self.account_id, self.region, self.endpoint)
        return session.client(service, endpoint_url=self.endpoint)

    @property
    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:role/DriftqOutputs"

    def create(self) -> Footprint:
        self.client("s3").create_bucket(Bucket=self.bucket)
        self.client("dynamodb").create_table(
            TableName=self.table,
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
        self.client("dynamodb").update_time_to_live(
            TableName=self.table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"},
        )
        sns, sqs = self.client("sns"), self.client("sqs")
        self.topic_arn = sns.create_topic(Name=unique("drift-alerts"))["TopicArn"]
        self.queue_url = sqs.create_queue(QueueName=unique("drift-alerts-inbox"))["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        sns.subscribe(TopicArn=self.topic_arn, Protocol="sqs", Endpoint=queue_arn)
        return self

    def outputs(self, **overrides: Any) -> dict[str, Any]:
        """The config's `outputs:` section writing to this footprint through its role."""
        section: dict[str, Any] = {
            "role_arn": self.role_arn,
            "external_id": "driftq-outputs-test",
            "region": self.region,
            "backoff": "0.05s",
            "s3": {"bucket": self.bucket},
            "cloudwatch": {"namespace": self.namespace},
            "sns": {"topic_arn": self.topic_arn},
            "dynamodb": {"table": self.table, "retention": "30d"},
        }
        section.update(overrides)
        return section

    def objects(self, prefix: str = "") -> dict[str, bytes]:
        s3 = self.client("s3")
        keys = [
            o["Key"]
            for o in s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix).get("Contents", [])
        ]
        return {k: s3.get_object(Bucket=self.bucket, Key=k)["Body"].read() for k in keys}

    def messages(self) -> list[dict[str, Any]]:
        """SNS notifications delivered to the subscribed queue (the SNS envelopes)."""
        sqs = self.client("sqs")
        out: list[dict[str, Any]] = []
        while True:
            got = sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not got:
                return out
            for m in got:
                out.append(json.loads(m["Body"]))
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])

    def items(self) -> list[dict[str, Any]]:
        from boto3.dynamodb.types import TypeDeserializer

        plain = TypeDeserializer()
        rows = self.client("dynamodb").scan(TableName=self.table)["Items"]
        return [{k: plain.deserialize(v) for k, v in row.items()} for row in rows]

    def metric_sum(self, name: str, account: str | None = None) -> float | None:
        """The metric's sum over the last day (None: no data point)."""
        dims = [{"Name": "Account", "Value": account}] if account else []
        now = datetime.now(UTC)
        result = self.client("cloudwatch").get_metric_data(
            MetricDataQueries=[
                {
                    "Id": "m",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": self.namespace,
                            "MetricName": name,
                            "Dimensions": dims,
                        },
                        "Period": 60,
                        "Stat": "Sum",
                    },
                }
            ],
            StartTime=now - timedelta(days=1),
            EndTime=now + timedelta(minutes=5),
        )["MetricDataResults"][0]
        return sum(result["Values"]) if result["Values"] else None

    def metric_names(self) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
        listed = self.client("cloudwatch").list_metrics(Namespace=self.namespace)["Metrics"]
        return {
            (m["MetricName"], tuple((d["Name"], d["Value"]) for d in m.get("Dimensions", [])))
            for m in listed
        }


def config_with_outputs(
    path: Path, accounts: list[EstateAccount], outputs: dict[str, Any], **extra: Any
) -> Path:
    # any drift is a warning: the alert channels (SNS among them) speak from warning up
    monitoring = {"thresholds": {"warning": {"drifted_resources": 1}}}
    write_config(path, accounts, SERVICES, timeout="2m", monitoring=monitoring)
    data = yaml.safe_load(path.read_text())
    data["outputs"] = outputs
    data.update(extra)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path
