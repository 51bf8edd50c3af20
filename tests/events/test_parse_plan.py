"""Event documents -> calls -> targets, no AWS: the envelope forms, what is ignored (reads,
failed calls, excluded types, other types' ids) and what is rejected (unknown account,
region not scanned)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from driftq.config import parse_config
from driftq.config_models import Config
from driftq.events.parse import EventError, calls_from, load_events
from driftq.events.plan import Target, plan_calls
from driftq.model import GLOBAL, Unit
from tests.events.recorded import TERRAFORM_AGENT, eventbridge, record

ACCOUNT = "111122223333"


def _config(tmp_path: Path, extra: str = "") -> Config:
    return parse_config(
        f"""
version: "1.0"
accounts:
  - name: prod
    account_id: "{ACCOUNT}"
    role_arn: arn:aws:iam::{ACCOUNT}:role/DriftqScanner
    external_id: driftq-test-external-id
    regions: [us-east-1, eu-west-1]
    state_backend: {{type: local, path: "{tmp_path}/x.tfstate"}}
{extra}
"""
    )


def _sg(**kw: Any) -> dict[str, Any]:
    return record(
        ACCOUNT, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", {"groupId": "sg-0abc"}, **kw
    )


def test_the_three_shapes_and_a_list_give_the_same_call() -> None:
    rec = _sg()
    forms = [rec, eventbridge(rec), {"Records": [rec]}, [eventbridge(rec)]]
    for form in forms:
        (call,) = load_events(json.dumps(form))
        assert (call.source, call.name, call.account_id, call.region) == (
            "ec2.amazonaws.com",
            "AuthorizeSecurityGroupIngress",
            ACCOUNT,
            "us-east-1",
        )
        assert call.principal.endswith("/alice") and call.source_ip == "203.0.113.24"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deep"),
        ('{"n": 1' + "0" * 5000 + "}", "not JSON"),
        ('"a string"', "JSON object"),
        ("[]", "no event"),
        ('{"detail-type": "EC2 Instance State-change Notification", "detail": {}}', "is not 'AWS API Call via CloudTrail'"),
        ('{"eventSource": "ec2.amazonaws.com"}', "no eventName"),
        ('{"eventSource": "ec2.amazonaws.com", "eventName": "X", "awsRegion": "us-east-1"}', "no account id"),
    ],
)  # fmt: skip
def test_malformed_documents_are_one_clear_line(document: str, message: str) -> None:
    with pytest.raises(EventError, match=message) as caught:
        load_events(document, "event.json")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("event.json")


def test_targets_name_the_unit_types_and_resource(tmp_path: Path) -> None:
    outcome = plan_calls(_config(tmp_path), calls_from(_sg()))
    (target,) = outcome.targets
    assert target.unit == Unit("prod", "us-east-1", "ec2")
    assert target.focus == {
        "aws_security_group": frozenset({"sg-0abc"}),
        "aws_security_group_rule": frozenset({"sg-0abc"}),
        "aws_default_security_group": frozenset({"sg-0abc"}),
        "aws_vpc_security_group_ingress_rule": frozenset({"sg-0abc"}),
        "aws_vpc_security_group_egress_rule": frozenset({"sg-0abc"}),
    }
    again = Target.from_json(json.loads(json.dumps(target.to_json())))
    assert again.focus == target.focus and again.unit == target.unit
    assert again.calls[0].changed_by()["principal"] == target.calls[0].principal
    assert (
        again.touched
        == target.touched
        == [
            {
                "aws_security_group": frozenset({"sg-0abc"}),
                "aws_security_group_rule": frozenset({"sg-0abc"}),
                "aws_default_security_group": frozenset({"sg-0abc"}),
                "aws_vpc_security_group_ingress_rule": frozenset({"sg-0abc"}),
                "aws_vpc_security_group_egress_rule": frozenset({"sg-0abc"}),
            }
        ]
    )


def test_iam_is_global_and_lambda_names_carry_their_api_version(tmp_path: Path) -> None:
    calls = calls_from([
        record(ACCOUNT, "iam.amazonaws.com", "UpdateRole", {"roleName": "app"}),
        record(ACCOUNT, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", {"functionName": "fn"}, region="eu-west-1"),
    ])  # fmt: skip
    outcome = plan_calls(_config(tmp_path), calls)
    units = {t.unit: t.focus for t in outcome.targets}
    assert units[Unit("prod", GLOBAL, "iam")]["aws_iam_role"] == frozenset({"app"})
    assert units[Unit("prod", "eu-west-1", "lambda")] == {"aws_lambda_function": frozenset({"fn"})}


def test_create_tags_reaches_only_the_type_of_the_tagged_id(tmp_path: Path) -> None:
    request = {"resourcesSet": {"items": [{"resourceId": "subnet-1"}, {"resourceId": "i-2"}]}}
    rec = record(ACCOUNT, "ec2.amazonaws.com", "CreateTags", request)
    (target,) = plan_calls(_config(tmp_path), calls_from(rec)).targets
    assert target.focus == {
        "aws_subnet": frozenset({"subnet-1"}),
        "aws_instance": frozenset({"i-2"}),
    }


def test_a_tag_call_by_arn_reaches_only_the_type_of_the_arn(tmp_path: Path) -> None:
    """ELB's AddTags and RDS's AddTagsToResource map to every taggable type of the service;
    the ARN's kind (`:loadbalancer/`, `:subgrp:`) keeps the one it names."""
    lb = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c"
    rec = record(ACCOUNT, "elasticloadbalancing.amazonaws.com", "AddTags", {"resourceArns": [lb]})
    (target,) = plan_calls(_config(tmp_path), calls_from(rec)).targets
    assert target.focus == {"aws_lb": frozenset({lb})}
    group = f"arn:aws:rds:us-east-1:{ACCOUNT}:subgrp:app"
    rec = record(ACCOUNT, "rds.amazonaws.com", "AddTagsToResource", {"resourceName": group})
    (target,) = plan_calls(_config(tmp_path), calls_from(rec)).targets
    assert target.focus == {"aws_db_subnet_group": frozenset({group})}


def test_reads_failures_excluded_and_unknown_events_are_ignored(tmp_path: Path) -> None:
    config = _config(
        tmp_path, "exclusions: {resource_types: [aws_sqs_queue, aws_sqs_queue_policy]}"
    )
    calls = calls_from([
        record(ACCOUNT, "ec2.amazonaws.com", "DescribeSecurityGroups", {}, read_only=True),
        _sg(error="Client.UnauthorizedOperation"),
        record(ACCOUNT, "sqs.amazonaws.com", "SetQueueAttributes", {"queueUrl": "https://sqs.us-east-1.amazonaws.com/1/q"}),
        record(ACCOUNT, "ec2.amazonaws.com", "CreatePlacementGroup", {"groupName": "k"}),
    ])  # fmt: skip
    outcome = plan_calls(config, calls)
    assert outcome.targets == [] and outcome.rejected == []
    reasons = [i["reason"] for i in outcome.ignored]
    assert reasons[0] == "a read-only call"
    assert reasons[1].startswith("the call failed (Client.UnauthorizedOperation)")
    assert "excluded" in reasons[2]
    assert reasons[3] == "changes no Terraform type driftq compares"


def test_unknown_account_and_unscanned_region_are_rejected(tmp_path: Path) -> None:
    calls = calls_from([
        record("999999999999", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", {"groupId": "sg-1"}),
        _sg(region="ap-south-1"),
        record(ACCOUNT, "s3.amazonaws.com", "PutBucketPolicy", {"bucketName": "b"}, region="ap-south-1"),
    ])  # fmt: skip
    outcome = plan_calls(_config(tmp_path), calls)
    assert outcome.targets == []
    assert [r["reason"] for r in outcome.rejected] == [
        "account 999999999999 is not in the config",
        "region ap-south-1 is not scanned for account prod",
        "region ap-south-1 is not scanned for account prod",
    ]


def test_terraform_user_agent_is_recognised() -> None:
    (call,) = calls_from(_sg(agent=TERRAFORM_AGENT))
    assert call.by_terraform
    (call,) = calls_from(_sg())
    assert not call.by_terraform


def test_a_kms_alias_rescans_every_key_of_the_unit(tmp_path: Path) -> None:
    rec = record(ACCOUNT, "kms.amazonaws.com", "EnableKeyRotation", {"keyId": "alias/app"})
    (target,) = plan_calls(_config(tmp_path), calls_from(rec)).targets
    assert target.focus == {"aws_kms_key": None}


def test_terraform_calls_wait_for_its_state_and_others_the_window(tmp_path: Path) -> None:
    from driftq.events.dispatch import Dispatcher

    queued: list[tuple[str, float]] = []

    def sink(target: Target, delay: float) -> str:
        queued.append((target.key(), delay))
        return str(len(queued))

    dispatcher = Dispatcher(_config(tmp_path), sink, window_s=10.0, terraform_delay_s=300.0)
    answer = dispatcher.handle(calls_from(_sg(agent=TERRAFORM_AGENT)))
    other = record(
        ACCOUNT, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", {"groupId": "sg-0def"}
    )
    dispatcher.handle(calls_from(other))
    dispatcher.handle(calls_from(other))  # inside the window: covered by the scan queued
    assert [d for _, d in queued] == [300.0, 10.0]
    assert answer["queued"] == ["1"] and answer["coalesced"] == 0


def test_the_later_narrowed_types_read_their_resource_alone() -> None:
    """Launch templates narrow their listing (and the template's joined
    version listing) by id; ACM and OIDC become the one listed item; IAM groups, instance
    profiles, secrets, event source mappings and distributions are read by their own
    single-resource call. Ids that cannot name the resource leave the type whole."""
    from driftq.events.narrow import READ_ONE, narrowed
    from driftq.resources import REGISTRY
    from driftq.resources.spec import Join

    template = narrowed(REGISTRY["aws_launch_template"], frozenset({"lt-0abc"}))
    assert template is not None and template.list_call is not None
    assert template.list_call.params["LaunchTemplateIds"] == ["lt-0abc"]
    (join,) = [s for s in template.calls if isinstance(s, Join)]
    assert join.source.params == {"Versions": ["$Default"], "LaunchTemplateId": "lt-0abc"}
    two = narrowed(REGISTRY["aws_launch_template"], frozenset({"lt-1", "lt-2"}))
    assert two is not None and two.list_call is not None
    (join,) = [s for s in two.calls if isinstance(s, Join)]
    assert "LaunchTemplateId" not in join.source.params  # one version listing for both
    assert narrowed(REGISTRY["aws_launch_template"], frozenset({"i-1"})) is None

    cert = "arn:aws:acm:us-east-1:111122223333:certificate/1"
    acm = narrowed(REGISTRY["aws_acm_certificate"], frozenset({cert}))
    assert acm is not None and acm.list_call is None and acm.enumerate is not None
    assert acm.enumerate(None) == [{"CertificateArn": cert}]  # type: ignore[arg-type]
    assert narrowed(REGISTRY["aws_acm_certificate"], frozenset({"example.com"})) is None

    for rtype, good, bad in [
        ("aws_iam_group", "developers", ""),
        ("aws_iam_instance_profile", "app-profile", ""),
        ("aws_secretsmanager_secret", "app/db", ""),
        (
            "aws_lambda_event_source_mapping",
            "6f3c-uuid",
            "arn:aws:lambda:x:1:function:f",
        ),
        ("aws_cloudfront_distribution", "E2QWRUHAPOMQZL", "arn:aws:cloudfront::1:function/f"),
    ]:
        one = narrowed(REGISTRY[rtype], frozenset({good}))
        assert one is not None and one.list_call is None, rtype
        # whole-type batches (GetAccountAuthorizationDetails) are not joined for one
        assert not [s for s in one.calls if isinstance(s, Join)], rtype
        assert not READ_ONE[rtype].accepts(bad), rtype
        assert narrowed(REGISTRY[rtype], frozenset({good, bad})) is None, rtype


_ECS = f"arn:aws:ecs:us-east-1:{ACCOUNT}"


def test_an_ecs_tag_call_reaches_only_the_kind_its_arn_names(tmp_path: Path) -> None:
    """TagResource names any ECS resource by ARN: a cluster's rescans that cluster (by
    DescribeClusters of the ARN), a task definition's its family, a service's that service;
    a service call's answer names the service and its cluster."""
    expected = {
        f"{_ECS}:cluster/apps": "aws_ecs_cluster",
        f"{_ECS}:task-definition/web:3": "aws_ecs_task_definition",
        f"{_ECS}:service/apps/api": "aws_ecs_service",
    }
    for arn, rtype in expected.items():
        rec = record(ACCOUNT, "ecs.amazonaws.com", "TagResource", {"resourceArn": arn})
        (target,) = plan_calls(_config(tmp_path), calls_from(rec)).targets
        assert target.focus == {rtype: frozenset({arn})}, arn
    service = f"{_ECS}:service/apps/api"
    rec = record(
        ACCOUNT,
        "ecs.amazonaws.com",
        "UpdateService",
        {"cluster": "apps", "service": "api", "desiredCount": 3},
        {"service": {"serviceArn": service}},
    )
    (target,) = plan_calls(_config(tmp_path), calls_from(rec)).targets
    assert target.focus == {"aws_ecs_service": frozenset({service})}


def test_tag_calls_by_arn_of_eks_elasticache_and_lambda_reach_their_kind(tmp_path: Path) -> None:
    """Their tag calls name any resource of the service by ARN: a cluster's (or mapping's)
    ARN ends with its id, so it is read alone; another kind's rescans nothing."""
    mapping = f"arn:aws:lambda:us-east-1:{ACCOUNT}:event-source-mapping:6f3c-uuid"
    function = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:app"
    cases = [
        ("eks.amazonaws.com", "TagResource", {"resourceArn": f"arn:aws:eks:us-east-1:{ACCOUNT}:cluster/web"}, {"aws_eks_cluster"}),
        ("eks.amazonaws.com", "TagResource", {"resourceArn": f"arn:aws:eks:us-east-1:{ACCOUNT}:nodegroup/web/ng/1"}, set()),
        ("elasticache.amazonaws.com", "AddTagsToResource", {"resourceName": f"arn:aws:elasticache:us-east-1:{ACCOUNT}:cluster:web"}, {"aws_elasticache_cluster"}),
        ("elasticache.amazonaws.com", "AddTagsToResource", {"resourceName": f"arn:aws:elasticache:us-east-1:{ACCOUNT}:replicationgroup:web"}, set()),
        ("lambda.amazonaws.com", "TagResource20170331v2", {"resource": mapping}, {"aws_lambda_event_source_mapping"}),
        ("lambda.amazonaws.com", "TagResource20170331v2", {"resource": function}, {"aws_lambda_function"}),
    ]  # fmt: skip
    for source, name, request, types in cases:
        outcome = plan_calls(_config(tmp_path), calls_from(record(ACCOUNT, source, name, request)))
        focus = {t: ids for target in outcome.targets for t, ids in target.focus.items()}
        assert set(focus) == types, request
        assert all(ids == frozenset(request.values()) for ids in focus.values()), focus

    from driftq.events.narrow import narrowed
    from driftq.resources import REGISTRY

    eks = narrowed(REGISTRY["aws_eks_cluster"], frozenset({"arn:aws:eks:x:1:cluster/web"}))
    assert eks is not None and eks.enumerate is not None
    assert eks.enumerate(None) == [{"Name": "web"}]  # type: ignore[arg-type]
    cache = narrowed(
        REGISTRY["aws_elasticache_cluster"], frozenset({"arn:aws:elasticache:x:1:cluster:web"})
    )
    assert cache is not None and cache.list_call is not None
    assert cache.list_call.params["CacheClusterId"] == "web"
    assert narrowed(REGISTRY["aws_lambda_event_source_mapping"], frozenset({mapping})) is not None


def test_ids_name_exactly_the_resources_a_narrowed_listing_reads() -> None:
    """Where the generic match (the id's last segment) would take a resource the narrowed
    listing did not read for the named one, the type's own match decides."""
    from driftq.events.targeted import names

    assert names("aws_ssm_parameter", "/a/db/password", "/a/db/password")
    assert not names("aws_ssm_parameter", "/b/db/password", "/a/db/password")
    arn = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter"
    assert names("aws_ssm_parameter", "/a/db/password", f"{arn}/a/db/password")
    assert names("aws_ssm_parameter", "plain", f"{arn}/plain")
    assert not names("aws_ssm_parameter", "/b/db/password", f"{arn}/a/db/password")

    assert names("aws_ecs_service", "prod/api", f"{_ECS}:service/prod/api")
    assert not names("aws_ecs_service", "staging/api", f"{_ECS}:service/prod/api")
    # the old ARN form names no cluster: the type was listed whole, any `api` is it
    assert names("aws_ecs_service", "staging/api", f"{_ECS}:service/api")

    # a task definition event rescans its revision's family
    assert names("aws_ecs_task_definition", f"{_ECS}:task-definition/web:2", "web:3")
    assert names("aws_ecs_task_definition", "web", f"{_ECS}:task-definition/web:3")
    assert not names("aws_ecs_task_definition", f"{_ECS}:task-definition/api:3", "web:3")
    # names with slashes are compared whole; a tag call's ARN by the name it ends with
    region = f"us-east-1:{ACCOUNT}"
    for rtype, name, other, arn in [
        ("aws_ecr_repository", "team/app", "other/app", f"arn:aws:ecr:{region}:repository/team/app"),
        ("aws_cloudwatch_metric_alarm", "app/high-cpu", "db/high-cpu", f"arn:aws:cloudwatch:{region}:alarm:app/high-cpu"),
        ("aws_cloudwatch_log_group", "/app/x/logs", "/other/x/logs", f"arn:aws:logs:{region}:log-group:/app/x/logs:*"),
        ("aws_kms_alias", "alias/app/x", "alias/other/x", f"arn:aws:kms:{region}:alias/app/x"),
    ]:  # fmt: skip
        assert names(rtype, name, name) and names(rtype, name, arn), rtype
        assert not names(rtype, other, name) and not names(rtype, other, arn), rtype
    # other types keep the generic match
    assert names("aws_sqs_queue", "https://sqs.us-east-1.amazonaws.com/1/q", "q")


def test_the_enumerated_types_read_their_named_resources_or_stay_whole() -> None:
    from driftq.events.narrow import narrowed
    from driftq.resources import REGISTRY

    listener = "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/web/50dc6c495c0c/f2f7dc8e"
    for rtype, good, bad in [
        ("aws_lb_listener", listener, "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/x"),
        ("aws_ecs_service", f"{_ECS}:service/apps/api", f"{_ECS}:service/api"),
        ("aws_route53_zone", "/hostedzone/Z123", ""),
        ("aws_route53_record", "Z123", ""),
        ("aws_ecs_task_definition", "web:3", ""),
    ]:
        one = narrowed(REGISTRY[rtype], frozenset({good}))
        assert one is not None and one.enumerate is not REGISTRY[rtype].enumerate, rtype
        assert narrowed(REGISTRY[rtype], frozenset({good, bad})) is None, rtype
    zones = frozenset(f"Z{i}" for i in range(11))  # ListTagsForResources takes ten
    assert narrowed(REGISTRY["aws_route53_zone"], zones) is None

    parameter = narrowed(REGISTRY["aws_ssm_parameter"], frozenset({"/app/x"}))
    assert parameter is not None and parameter.list_call is not None
    assert parameter.list_call.params["ParameterFilters"] == [
        {"Key": "Name", "Option": "Equals", "Values": ["/app/x"]}
    ]
    assert parameter.tags is not None and parameter.tags.call is not None
    assert parameter.tags.call.operation == "ListTagsForResource"
    assert (
        narrowed(REGISTRY["aws_ssm_parameter"], frozenset({"arn:aws:ssm:x:1:parameter/a"})) is None
    )


def test_auto_scaling_tag_calls_name_their_groups_and_tag_arns_narrow(tmp_path: Path) -> None:
    """CreateOrUpdateTags names each tag's group (the group's `tag` blocks are compared);
    ECR's and CloudWatch's tag calls name the resource by an ARN that ends with its name."""
    request = {
        "tags": [
            {"resourceId": "web", "resourceType": "auto-scaling-group", "key": "k", "value": "v"},
            {"resourceId": "api", "resourceType": "auto-scaling-group", "key": "k", "value": "v"},
        ]
    }
    rec = record(ACCOUNT, "autoscaling.amazonaws.com", "CreateOrUpdateTags", request)
    (target,) = plan_calls(_config(tmp_path), calls_from(rec)).targets
    assert target.focus == {"aws_autoscaling_group": frozenset({"web", "api"})}

    from driftq.events.narrow import narrowed
    from driftq.resources import REGISTRY

    for rtype, arn, param, name in [
        ("aws_ecr_repository", f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/team/app", "repositoryNames", "team/app"),
        ("aws_cloudwatch_metric_alarm", f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:app/high-cpu", "AlarmNames", "app/high-cpu"),
    ]:  # fmt: skip
        spec = narrowed(REGISTRY[rtype], frozenset({arn}))
        assert spec is not None and spec.list_call is not None, rtype
        assert spec.list_call.params[param] == [name], rtype
        other = arn.replace(f"{ACCOUNT}:", f"{ACCOUNT}:other-kind/", 1)
        assert narrowed(REGISTRY[rtype], frozenset({other})) is None, rtype
