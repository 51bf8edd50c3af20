"""The recorded account of the scale benchmarks: the demo's `production` account, scanned for
every service driftq scans (not only the demo's 8), with one resource of every type moto
can create.

The demo estate itself is left as it is (its README, tests and 8-service config depend on
it). Here, in the same emulator, the `production` account gets the demo's resources and,
beside them, what every per-type test case (tests/resources/cases) builds: the same
builders the per-type tests check, so a new type with a case is in the recording without
more work. Then, as the demo does, the Terraform states are written the way `terraform
import` would (driftq's own enumeration of the built account, every service), and only then
the drifts are made: the demo's own for `production`, and one planted drift in each
service the demo does not have (PLANTED).

`build()` checks the estate before it returns: scanned before the drifts it must give no
finding at all (a finding there would be a false positive counted as "expected"), and
after them every planted drift must be found.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3

from driftq.resources.services import SERVICE_NAMES

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "111111111111"  # the demo's production account
NAME = "production"
DEMO_SERVICES = "  services: [ec2, s3, iam, lambda, sqs, sns, dynamodb, kms]\n"


def config_template(services: list[str]) -> str:
    """The demo's config, scanning ``services`` instead of the demo's 8."""
    template = (REPO / "driftq" / "demo_data" / "demo.yaml").read_text()
    if DEMO_SERVICES not in template:
        raise SystemExit("the demo config's services line changed: update benchmarks/sim")
    return template.replace(DEMO_SERVICES, f"  services: [{', '.join(services)}]\n")


@dataclass(frozen=True)
class Planted:
    """A drift made by hand in the recorded account, and the finding that must report it."""

    service: str
    kind: str
    resource_type: str
    make: Callable[[boto3.Session], None]


def _first(items: list[Any], what: str) -> Any:
    if not items:
        raise RuntimeError(f"the estate has no {what} to drift")
    return items[0]


def _ssm(session: boto3.Session) -> None:
    session.client("ssm").put_parameter(Name="/manual/debug-flag", Value="on", Type="String")


def _secret(session: boto3.Session) -> None:
    sm = session.client("secretsmanager")
    secret = _first(sm.list_secrets()["SecretList"], "secret")
    sm.update_secret(SecretId=secret["ARN"], Description="changed by hand")


def _log_group(session: boto3.Session) -> None:
    logs = session.client("logs")
    group = _first(logs.describe_log_groups()["logGroups"], "log group")
    logs.put_retention_policy(logGroupName=group["logGroupName"], retentionInDays=1)


def _alarm(session: boto3.Session) -> None:
    cw = session.client("cloudwatch")
    cw.delete_alarms(
        AlarmNames=[_first(cw.describe_alarms()["MetricAlarms"], "alarm")["AlarmName"]]
    )


def _zone_record(session: boto3.Session) -> None:
    r53 = session.client("route53")
    zone = _first(r53.list_hosted_zones()["HostedZones"], "hosted zone")
    r53.change_resource_record_sets(
        HostedZoneId=zone["Id"],
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": f"manual.{zone['Name']}",
                        "Type": "A",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "192.0.2.10"}],
                    },
                }
            ]
        },
    )


def _repository(session: boto3.Session) -> None:
    ecr = session.client("ecr")
    repo = _first(ecr.describe_repositories()["repositories"], "repository")
    mutability = "MUTABLE" if repo["imageTagMutability"] == "IMMUTABLE" else "IMMUTABLE"
    ecr.put_image_tag_mutability(
        repositoryName=repo["repositoryName"], imageTagMutability=mutability
    )


def _db_instance(session: boto3.Session) -> None:
    rds = session.client("rds")
    db = _first(rds.describe_db_instances()["DBInstances"], "DB instance")
    rds.add_tags_to_resource(
        ResourceName=db["DBInstanceArn"], Tags=[{"Key": "Owner", "Value": "someone-else"}]
    )


def _scaling_group(session: boto3.Session) -> None:
    asg = session.client("autoscaling")
    group = _first(asg.describe_auto_scaling_groups()["AutoScalingGroups"], "group")
    asg.update_auto_scaling_group(
        AutoScalingGroupName=group["AutoScalingGroupName"], MaxSize=group["MaxSize"] + 5
    )


def _ecs_service(session: boto3.Session) -> None:
    ecs = session.client("ecs")
    for cluster in ecs.list_clusters()["clusterArns"]:
        services = ecs.list_services(cluster=cluster)["serviceArns"]
        if services:
            current = ecs.describe_services(cluster=cluster, services=services[:1])
            count = current["services"][0]["desiredCount"]
            ecs.update_service(cluster=cluster, service=services[0], desiredCount=count + 3)
            return
    raise RuntimeError("the estate has no ECS service to drift")


def _target_group(session: boto3.Session) -> None:
    elb = session.client("elbv2")
    group = _first(elb.describe_target_groups()["TargetGroups"], "target group")
    elb.modify_target_group(TargetGroupArn=group["TargetGroupArn"], HealthCheckPath="/manual")


def _certificate(session: boto3.Session) -> None:
    acm = session.client("acm")
    cert = _first(acm.list_certificates()["CertificateSummaryList"], "certificate")
    acm.add_tags_to_certificate(
        CertificateArn=cert["CertificateArn"], Tags=[{"Key": "Owner", "Value": "someone-else"}]
    )


def _cache_cluster(session: boto3.Session) -> None:
    ec = session.client("elasticache")
    cluster = _first(ec.describe_cache_clusters()["CacheClusters"], "cache cluster")
    ec.add_tags_to_resource(
        ResourceName=cluster["ARN"], Tags=[{"Key": "Owner", "Value": "someone-else"}]
    )


def _eks_cluster(session: boto3.Session) -> None:
    eks = session.client("eks")
    name = _first(eks.list_clusters()["clusters"], "EKS cluster")
    arn = eks.describe_cluster(name=name)["cluster"]["arn"]
    eks.tag_resource(resourceArn=arn, tags={"Owner": "someone-else"})


def _trail(session: boto3.Session) -> None:
    ct = session.client("cloudtrail")
    trail = _first(ct.describe_trails()["trailList"], "trail")
    ct.update_trail(
        Name=trail["Name"], IncludeGlobalServiceEvents=not trail["IncludeGlobalServiceEvents"]
    )


def _distribution(session: boto3.Session) -> None:
    cf = session.client("cloudfront")
    dist = _first(cf.list_distributions()["DistributionList"].get("Items", []), "distribution")
    cf.tag_resource(
        Resource=dist["ARN"], Tags={"Items": [{"Key": "Owner", "Value": "someone-else"}]}
    )


# one drift in each service the demo leaves out, of every kind; the demo's own drifts of
# `production` (EC2, IAM, SNS, SQS, S3) are made too
PLANTED = [
    Planted("ssm", "unmanaged", "aws_ssm_parameter", _ssm),
    Planted("secretsmanager", "drifted", "aws_secretsmanager_secret", _secret),
    Planted("logs", "drifted", "aws_cloudwatch_log_group", _log_group),
    Planted("cloudwatch", "missing", "aws_cloudwatch_metric_alarm", _alarm),
    Planted("route53", "unmanaged", "aws_route53_record", _zone_record),
    Planted("ecr", "drifted", "aws_ecr_repository", _repository),
    Planted("rds", "drifted", "aws_db_instance", _db_instance),
    Planted("autoscaling", "drifted", "aws_autoscaling_group", _scaling_group),
    Planted("ecs", "drifted", "aws_ecs_service", _ecs_service),
    Planted("elbv2", "drifted", "aws_lb_target_group", _target_group),
    Planted("acm", "drifted", "aws_acm_certificate", _certificate),
    Planted("elasticache", "drifted", "aws_elasticache_cluster", _cache_cluster),
    Planted("eks", "drifted", "aws_eks_cluster", _eks_cluster),
    Planted("cloudtrail", "drifted", "aws_cloudtrail", _trail),
    Planted("cloudfront", "drifted", "aws_cloudfront_distribution", _distribution),
]


def seed_every_type(session: boto3.Session) -> set[str]:
    """Run every per-type case's builder in the account (a builder makes its type and what
    it needs); a case whose type an earlier builder already made is skipped (several cases
    share one builder). Returns the types built."""
    from tests.resources.cases import CASES, CaseAccount

    account = CaseAccount(ACCOUNT, session)
    built: set[str] = set()
    for case in CASES:
        if case.build is None or case.type in built:
            continue  # recorded-only types: moto cannot make them
        built.update(r.type for r in case.build(account).resources)
    return built


def build(workdir: Path) -> tuple[Path, set[str]]:
    """Seed the emulator (AWS_ENDPOINT_URL) with the account, write its states to S3 and
    its config (every service) to ``workdir``. Returns the config and the types built."""
    from driftq.config import load_config
    from driftq.demo_estate import (
        ACCOUNTS,
        DRIFTS,
        STATE_ACCOUNT,
        _seed_account,
        _state_bucket,
        _states_for,
        account_entry,
        session_in,
    )
    from driftq.engine import Engine
    from driftq.local import run_local
    from driftq.plan import Selection
    from driftq.resources import REGISTRY
    from driftq.state import sources

    regions = ACCOUNTS[NAME][1]
    session = session_in(ACCOUNT)
    _seed_account(NAME, session, regions)
    built = seed_every_type(session)
    unbuilt = set(SERVICE_NAMES) - {REGISTRY[t].service for t in built if t in REGISTRY}
    if unbuilt:
        raise RuntimeError(f"no resource of these services in the estate: {sorted(unbuilt)}")
    accounts = account_entry(NAME, ACCOUNT, list(regions))
    config_path = workdir / "driftq-scale.yaml"
    workdir.mkdir(parents=True, exist_ok=True)
    config_path.write_text(config_template(list(SERVICE_NAMES)).replace("# ACCOUNTS\n", accounts))
    config = load_config(config_path)
    state_s3 = session_in(STATE_ACCOUNT).client("s3")
    state_s3.create_bucket(Bucket=_state_bucket(ACCOUNT))
    for key, document in _states_for(Engine(config), NAME).items():
        state_s3.put_object(
            Bucket=_state_bucket(ACCOUNT),
            Key=key,
            Body=json.dumps(document, indent=1, default=_terraform_value),
        )
    clean = run_local(load_config(config_path), Selection(accounts=(NAME,)), progress=False)
    found = [f for r in clean.results for f in r.findings]
    errors = [r for r in clean.results if r.status != "ok"]
    if found or errors:
        raise RuntimeError(
            "the estate is not clean before its drifts: "
            + "; ".join(f"{f.kind} {f.resource_type} {f.resource_id}" for f in found[:10])
            + "; ".join(f"{r.unit.label()}: {r.error_message}" for r in errors[:5])
        )
    # the recorded scan must read the states from S3 as a fresh worker does, not from the
    # copies this check left in the process's cache of state objects
    sources.STATE_OBJECTS = sources.StateObjects()
    DRIFTS[NAME](session)
    for planted in PLANTED:
        planted.make(session)
    return config_path, built


def _terraform_value(value: object) -> str:
    """A live attribute JSON has no type for, as Terraform writes it to a state: a time
    (an access key's `create_date`) as RFC 3339 text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    raise TypeError(f"no state form for {type(value).__name__}")


def check_planted(findings: list[Any]) -> list[str]:
    """What of PLANTED the findings miss, and findings of those services nobody planted."""
    problems = []
    for planted in PLANTED:
        if not any(
            (f.service, f.kind, f.resource_type)
            == (planted.service, planted.kind, planted.resource_type)
            for f in findings
        ):
            problems.append(f"not found: {planted.kind} {planted.resource_type}")
    services = {p.service for p in PLANTED}
    counted = [f for f in findings if f.service in services]
    if len(counted) != len(PLANTED):
        problems.append(
            "findings in the planted services: "
            + ", ".join(f"{f.kind} {f.resource_type} {f.resource_id}" for f in counted)
        )
    return problems


@contextmanager
def environment() -> Iterator[None]:
    """What the recording's emulator needs: the per-type cases attach AWS-managed policies
    (ReadOnlyAccess), which moto knows only when told to load them; and the repository on
    the import path (the cases live in tests/)."""
    saved = os.environ.get("MOTO_IAM_LOAD_MANAGED_POLICIES")
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("MOTO_IAM_LOAD_MANAGED_POLICIES", None)
        else:
            os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = saved
