"""The scale benchmarks' AWS simulator (benchmarks/sim) answers throttling the way each AWS
protocol does, so that what botocore and driftq see of it holds for AWS itself."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

from benchmarks.sim.limits import Buckets
from benchmarks.sim.protocol import access_key_for
from benchmarks.sim.record import running
from benchmarks.sim.server import Settings, Simulator
from driftq.aws.errors import THROTTLING

ACCOUNT = "512345678901"
# one call of each protocol driftq's services speak: (client, method, kwargs)
CALLS = [
    ("ec2", "describe_vpcs", {}),  # EC2 query
    ("iam", "list_roles", {}),  # query
    ("sns", "list_topics", {}),
    ("sqs", "list_queues", {}),  # JSON, with the query-compatible error header
    ("kms", "list_keys", {}),  # JSON
    ("dynamodb", "list_tables", {}),
    ("resourcegroupstaggingapi", "get_resources", {}),
    ("lambda", "list_functions", {}),  # REST-JSON
    ("s3", "list_buckets", {}),  # REST-XML
]


@pytest.fixture
def simulator() -> Iterator[tuple[Simulator, str]]:
    sim = Simulator(Settings(latency_ms=0, jitter_ms=0, storm=0.0))
    with running(sim) as url:
        yield sim, url


def client(url: str, service: str, key: str = access_key_for(ACCOUNT)) -> Any:
    return boto3.client(
        service,
        region_name="eu-west-1",
        endpoint_url=url,
        aws_access_key_id=key,
        aws_secret_access_key="x",
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )


@pytest.mark.parametrize(("service", "method", "kwargs"), CALLS)
def test_storm_answers_each_protocols_throttling_error(
    simulator: tuple[Simulator, str], service: str, method: str, kwargs: dict[str, Any]
) -> None:
    sim, url = simulator
    sim.settings.storm = 1.0
    with pytest.raises(botocore.exceptions.ClientError) as info:
        getattr(client(url, service), method)(**kwargs)
    assert info.value.response["Error"]["Code"] in THROTTLING
    sim.settings.storm = 0.0
    getattr(client(url, service), method)(**kwargs)  # an empty estate: an empty answer


def test_buckets_per_account_region_and_action_with_published_sizes(
    simulator: tuple[Simulator, str],
) -> None:
    sim, url = simulator
    sim.buckets = Buckets(clock=lambda: 1000.0)  # no refill while the test runs
    lam = client(url, "lambda")
    for _ in range(15):  # Lambda's control plane: 15 calls per second
        lam.list_functions()
    with pytest.raises(botocore.exceptions.ClientError) as info:
        lam.list_functions()
    assert info.value.response["Error"]["Code"] == "TooManyRequestsException"
    # another account's bucket is its own
    client(url, "lambda", access_key_for("598765432109")).list_functions()
    stats = json.loads(urllib.request.urlopen(f"{url}/_sim/stats").read())
    rows = {(r[0], r[1], r[2]): r[3:] for r in stats["rows"]}
    calls, throttled, burst, refill = rows[(ACCOUNT, "eu-west-1", "lambda:ListFunctions")]
    assert (calls - throttled, burst, refill) == (15, 15, 15)
    assert throttled >= 1
    assert rows[("598765432109", "eu-west-1", "lambda:ListFunctions")][:2] == [1, 0]


def test_assumed_role_credentials_carry_their_account(simulator: tuple[Simulator, str]) -> None:
    _, url = simulator
    sts = client(url, "sts", "AKIDCALLER")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/r", RoleSessionName="sim")
    key = creds["Credentials"]["AccessKeyId"]
    client(url, "sqs", key).list_queues()
    stats = json.loads(urllib.request.urlopen(f"{url}/_sim/stats").read())
    accounts = {(r[0], r[2]) for r in stats["rows"]}
    assert (ACCOUNT, "sqs:ListQueues") in accounts
    assert ("000000000000", "sts:AssumeRole") in accounts  # the caller's own
