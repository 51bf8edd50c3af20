"""Writes stay apart from scanning: a scan client cannot make any of driftq's writes, and the
output clients can make nothing but them (reads included)."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from driftq.aws import AwsAccess, Identity
from driftq.errors import ReadOnlyViolation
from driftq.outputs.clients import (
    WRITE_ACTIONS,
    WriteClients,
    WriteNotAllowed,
    refuse_others,
    session_name,
)
from tests.outputs.footprint import Footprint


def test_the_allow_list_names_exactly_the_four_writes_and_assume_role() -> None:
    assert sorted(WRITE_ACTIONS) == [
        "cloudwatch:PutMetricData",
        "dynamodb:BatchWriteItem",
        "dynamodb:PutItem",
        "s3:PutObject",
        "sns:Publish",
        "sts:AssumeRole",
    ]


def test_every_other_operation_of_the_output_services_is_refused() -> None:
    """Each operation botocore knows for these services, through the clients' own hook."""
    core = botocore.session.get_session()
    allowed: list[str] = []
    refused = 0
    for service in ("s3", "cloudwatch", "sns", "dynamodb", "sts"):
        model = core.get_service_model(service)
        for name in model.operation_names:
            try:
                refuse_others(model.operation_model(name))
                allowed.append(f"{service}:{name}")
            except WriteNotAllowed:
                refused += 1
    assert sorted(allowed) == sorted(WRITE_ACTIONS)
    assert refused > 250  # s3 alone has over a hundred


def test_output_clients_refuse_reads_deletes_and_other_services(footprint: Footprint) -> None:
    s3 = footprint.client("s3")
    s3.put_object(Bucket=footprint.bucket, Key="keep.txt", Body=b"x")
    clients = WriteClients(role_arn=footprint.role_arn, run_id="allow-list")
    out_s3 = clients.client("s3")

    for call in (
        lambda: out_s3.delete_object(Bucket=footprint.bucket, Key="keep.txt"),
        lambda: out_s3.get_object(Bucket=footprint.bucket, Key="keep.txt"),
        lambda: out_s3.list_objects_v2(Bucket=footprint.bucket),
        lambda: clients.client("dynamodb").delete_table(TableName=footprint.table),
        lambda: clients.client("sns").delete_topic(TopicArn=footprint.topic_arn),
        lambda: clients.client("cloudwatch").delete_dashboards(DashboardNames=["x"]),
    ):
        with pytest.raises(WriteNotAllowed):
            call()
    for service in ("ec2", "iam", "sqs", "sts"):
        with pytest.raises(WriteNotAllowed):
            clients.client(service)

    # nothing reached AWS
    assert s3.get_object(Bucket=footprint.bucket, Key="keep.txt")["Body"].read() == b"x"
    assert footprint.client("dynamodb").describe_table(TableName=footprint.table)
    # and the allowed write works through the same client
    out_s3.put_object(Bucket=footprint.bucket, Key="written.txt", Body=b"y")
    assert set(footprint.objects()) == {"keep.txt", "written.txt"}


def test_a_scan_client_cannot_make_any_of_the_writes(footprint: Footprint) -> None:
    access = AwsAccess()
    who = Identity(footprint.role_arn, "scan-test")

    def scan_client(service: str) -> Any:
        return access.client(who, service, footprint.region)

    table_item = {"account_region": {"S": "1#r"}, "timestamp": {"S": "t"}}
    writes = {
        "s3:PutObject": lambda: scan_client("s3").put_object(
            Bucket=footprint.bucket, Key="nope.txt", Body=b"x"
        ),
        "cloudwatch:PutMetricData": lambda: scan_client("cloudwatch").put_metric_data(
            Namespace=footprint.namespace, MetricData=[{"MetricName": "Nope", "Value": 1}]
        ),
        "sns:Publish": lambda: scan_client("sns").publish(
            TopicArn=footprint.topic_arn, Message="nope"
        ),
        "dynamodb:PutItem": lambda: scan_client("dynamodb").put_item(
            TableName=footprint.table, Item=table_item
        ),
        "dynamodb:BatchWriteItem": lambda: scan_client("dynamodb").batch_write_item(
            RequestItems={footprint.table: [{"PutRequest": {"Item": table_item}}]}
        ),
    }
    assert set(writes) == WRITE_ACTIONS - {"sts:AssumeRole"}
    for action, write in writes.items():
        with pytest.raises(ReadOnlyViolation) as refused:
            write()
        assert refused.value.operation == action.split(":")[1]

    assert footprint.objects() == {}
    assert (
        footprint.client("cloudwatch").list_metrics(Namespace=footprint.namespace)["Metrics"] == []
    )
    assert footprint.messages() == []
    assert footprint.items() == []


def test_session_names_fit_assume_roles_rules() -> None:
    long = "20260101T000000Z-" + "x" * 80 + "/!"
    name = session_name(long)
    assert len(name) == 64 and name.startswith("driftq-20260101T000000Z-")
    assert session_name("a b/c") == "driftq-a-b-c"
