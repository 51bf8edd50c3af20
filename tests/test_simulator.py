"""The scale benchmarks' AWS simulator (benchmarks/sim) answers throttling the way each AWS
protocol does, so that what botocore and driftq see of it holds for AWS itself."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.exceptions
import botocore.session
import pytest
from botocore.config import Config

from benchmarks.sim import full_estate
from benchmarks.sim.limits import Buckets
from benchmarks.sim.protocol import access_key_for, api_of, apis, operation, service_of
from benchmarks.sim.record import running
from benchmarks.sim.server import Settings, Simulator
from driftq.aws import emulator
from driftq.aws.errors import THROTTLING
from driftq.resources import REGISTRY
from driftq.resources.services import CLIENTS, SERVICE_NAMES, SERVICES

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


_MODELS = botocore.session.get_session()


def _read_without_arguments(client: str) -> tuple[str, dict[str, str]]:
    """A read of the API that needs no parameter (its first by name); for an API whose reads
    all need the caller's account (S3 Control), the first that needs nothing else; for an
    RPC API whose reads all need one (Application Auto Scaling), its first read: sent
    unvalidated."""
    model = _MODELS.get_service_model(client)
    reads = [n for n in sorted(model.operation_names) if n.startswith(("List", "Describe", "Get"))]
    for name in reads:
        shape = model.operation_model(name).input_shape
        if not (shape and shape.required_members):
            return name, {}
    for name in reads:
        shape = model.operation_model(name).input_shape
        if shape and shape.required_members == ["AccountId"]:
            return name, {"AccountId": ACCOUNT}
    assert model.resolved_protocol in ("json", "query"), f"{client}: no read without parameters"
    return reads[0], {}


@pytest.fixture
def simulator() -> Iterator[tuple[Simulator, str]]:
    sim = Simulator(Settings(latency_ms=0, jitter_ms=0, storm=0.0))
    with running(sim) as url:
        yield sim, url


def client(url: str, service: str, key: str = access_key_for(ACCOUNT)) -> Any:
    aws = boto3.client(
        service,
        region_name="eu-west-1",
        endpoint_url=url,
        aws_access_key_id=key,
        aws_secret_access_key="x",
        config=Config(retries={"mode": "standard", "max_attempts": 1}, parameter_validation=False),
    )
    emulator.adapt(aws)  # as driftq reaches an emulator (S3 Control's account host label)
    return aws


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
    rows = {(r[0], r[1], r[2]): r[3:7] for r in stats["rows"]}
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


@pytest.mark.parametrize("client_name", [s.name for s in (*SERVICES, *CLIENTS)])
def test_every_api_driftq_calls_is_recognised_and_throttled_in_its_protocol(
    simulator: tuple[Simulator, str], client_name: str
) -> None:
    """Each service driftq scans (and each helper API): the call is counted under its own
    operation name (its bucket), and a throttled answer is one botocore reads as throttling.
    A new service in driftq/resources/services.py is covered by this test without edits."""
    sim, url = simulator
    name, kwargs = _read_without_arguments(client_name)
    aws = client(url, client_name)
    sim.settings.storm = 1.0
    with pytest.raises(botocore.exceptions.ClientError) as info:
        getattr(aws, botocore.xform_name(name))(**kwargs)
    assert info.value.response["Error"]["Code"] in THROTTLING
    actions = {row[2] for row in sim.stats()["rows"]}
    api = api_of(client_name)  # the signing name, or the client's own when shared (S3 Control)
    assert f"{api}:{name}" in actions
    assert apis()[api].client == client_name


def test_rest_paths_map_to_their_operations() -> None:
    """REST-JSON and REST-XML calls are told apart by method, path and query, most specific
    template first (Route 53's `hostedzone/{Id}/rrset` is not `hostedzone/{Id}`)."""
    cases = [
        ("route53", "GET", "/2013-04-01/hostedzone", "", "ListHostedZones"),
        ("route53", "GET", "/2013-04-01/hostedzone/Z1/rrset", "", "ListResourceRecordSets"),
        ("route53", "POST", "/2013-04-01/tags/hostedzone", "", "ListTagsForResources"),
        ("cloudfront", "GET", "/2020-05-31/distribution/E1/config", "", "GetDistributionConfig"),
        ("cloudfront", "GET", "/2020-05-31/tagging", "Resource=arn", "ListTagsForResource"),
        ("eks", "GET", "/clusters/prod", "", "DescribeCluster"),
        ("lambda", "GET", "/2015-03-31/functions", "", "ListFunctions"),
        ("lambda", "GET", "/2015-03-31/functions/fn/policy", "", "GetPolicy"),
        ("lambda", "GET", "/2019-09-30/functions/fn/concurrency", "", "GetFunctionConcurrency"),
        ("s3", "GET", "/bucket", "versioning", "GetBucketVersioning"),
        (
            "s3control",
            "GET",
            "/v20180820/configuration/publicAccessBlock",
            "",
            "GetPublicAccessBlock",
        ),
    ]
    for service, method, path, query, expected in cases:
        assert operation(service, method, path, query, "", b"") == expected, (service, path)
    # S3 Control signs as `s3`: its path tells it apart (its own bucket, its own error)
    assert service_of("s3", "/v20180820/configuration/publicAccessBlock") == "s3control"
    assert service_of("s3", "/v20180820-bucket") == "s3"


def test_the_recorded_estate_covers_every_service_driftq_scans() -> None:
    """The scale benchmarks' account (benchmarks/sim/full_estate.py) must not fall behind the
    registry: its config scans every service, a case builder makes a resource of each (the
    recording fails when one is missing), and each planted drift is of its service's type."""
    config = full_estate.config_template(list(SERVICE_NAMES))
    assert f"services: [{', '.join(SERVICE_NAMES)}]" in config
    from tests.resources.cases import CASES

    built = {REGISTRY[c.type].service for c in CASES if c.build is not None}
    assert set(SERVICE_NAMES) <= built, sorted(set(SERVICE_NAMES) - built)
    demo = {"ec2", "s3", "iam", "lambda", "sqs", "sns", "dynamodb", "kms"}
    planted = {p.service for p in full_estate.PLANTED}
    # a drift planted in every service the demo does not drift already
    assert set(SERVICE_NAMES) - demo <= planted
    for drift in full_estate.PLANTED:
        assert REGISTRY[drift.resource_type].service == drift.service
