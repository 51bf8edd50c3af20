"""Reading only the resources an event named: a targeted scan of one resource asks AWS for
that resource, never for the whole type (and so makes its detail calls for it alone).

Three ways, by what AWS offers for the type:

- ``NARROWING``: listings that take the resource's id (EC2's `GroupIds`, SQS's name
  prefix). One line per type: the listing parameter and how the event's ids become its
  value. A narrowed listing that fails (EC2's `InvalidGroup.NotFound` for a deleted group)
  is retried whole by the targeted scan, so a deleted resource is still reported missing.
- ``LISTED``: listings that take no id but whose items are only the id (DynamoDB's
  ListTables, SNS's ListTopics) are replaced by the item the listing would give: the spec's
  detail calls then read that one resource, and one that is gone is dropped by the
  service's "gone" codes, as in a full listing.
- ``READ_ONE``: the listing's item (and what a whole-type batch such as IAM's
  GetAccountAuthorizationDetails adds to it) read by the type's single-resource calls
  (GetRole, GetFunction, DescribeKey, GetBucketLocation). A resource that is gone answers
  the service's "gone" code: no item, so it is reported missing.
- ``ENUMERATED``: types read by their own code rather than a listing (ECS clusters) get a
  reader of the named resources (DescribeClusters of those names).

A whole-type listing a narrowed spec joins (the launch templates' default versions) is
narrowed too where ``JOIN_NARROWING`` says how.

Whatever the way, a tag lookup in the Resource Groups Tagging API (one GetResources of
every resource of the type) becomes a GetResources of the resource's own ARN.

The single-resource calls are part of the read-only allow-list and the scanner's IAM
policy (``operations()``), like the specs' own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import jmespath
from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import REGION
from driftq.resources.kms import AWS_ALIAS_TARGETS
from driftq.resources.lambda_permissions import qualified
from driftq.resources.services import service
from driftq.resources.spec import Detail, Join, ResourceSpec, Tags

Item = dict[str, Any]

# the event's ids -> extra listing parameters, or None when these ids cannot narrow it
Narrowing = Callable[[frozenset[str]], dict[str, Any] | None]


def _ids(param: str, prefix: str = "") -> Narrowing:
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        if not ids or not all(i.startswith(prefix) for i in ids):
            return None
        return {param: sorted(ids)}

    return narrowing


def _filter(name: str, prefix: str) -> Narrowing:
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        if not ids or not all(i.startswith(prefix) for i in ids):
            return None
        return {"Filters": [{"Name": name, "Values": sorted(ids)}]}

    return narrowing


def _queue_name(ids: frozenset[str]) -> dict[str, Any] | None:
    # ListQueues filters by name prefix: a superset, which the scan narrows to the queue
    names = {i.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] for i in ids}
    return {"QueueNamePrefix": names.pop()} if len(names) == 1 else None


def _rds(name: str, kind: str) -> Narrowing:
    # the `db-instance-id` / `db-cluster-id` filters take identifiers and ARNs; a tag event
    # may name another kind of RDS resource (`...:subgrp:app`), which must not narrow
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        if not ids or not all(":" not in i or f":{kind}:" in i for i in ids):
            return None
        return {"Filters": [{"Name": name, "Values": sorted(ids)}]}

    return narrowing


def _one_id(param: str, tail: str = "") -> Narrowing:
    # listings that take one name (RDS's DBSubnetGroupName): an ARN's name ends it
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        names = {(i.rsplit(tail, 1)[-1] if tail else i).removesuffix(":*") for i in ids}
        return {param: names.pop()} if len(names) == 1 and not ids & {""} else None

    return narrowing


def _arns(param: str, kind: str) -> Narrowing:
    # ELB: listings by ARN (a tag call's ARNs of other types are dropped at plan time)
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        if not ids or not all(i.startswith("arn:") and kind in i for i in ids):
            return None
        return {param: sorted(ids)}

    return narrowing


def _names(param: str) -> Narrowing:
    # names, not ARNs (a tag call may name the resource by ARN: the type is listed whole)
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        if not ids or any(i.startswith("arn:") for i in ids):
            return None
        return {param: sorted(ids)}

    return narrowing


_ROUTE_TABLES = _ids("RouteTableIds", "rtb-")
_GROUPS = _ids("GroupIds", "sg-")
_VPCS = _ids("VpcIds", "vpc-")
_ACLS = _ids("NetworkAclIds", "acl-")
_RULES_OF_GROUPS = _filter("group-id", "sg-")

NARROWING: dict[str, Narrowing] = {
    "aws_instance": _ids("InstanceIds", "i-"),
    "aws_vpc": _VPCS,
    "aws_default_vpc": _VPCS,
    "aws_subnet": _ids("SubnetIds", "subnet-"),
    "aws_security_group": _GROUPS,
    "aws_security_group_rule": _GROUPS,
    "aws_default_security_group": _GROUPS,
    "aws_vpc_security_group_ingress_rule": _RULES_OF_GROUPS,
    "aws_vpc_security_group_egress_rule": _RULES_OF_GROUPS,
    "aws_route_table": _ROUTE_TABLES,
    "aws_route": _ROUTE_TABLES,
    "aws_route_table_association": _ROUTE_TABLES,
    "aws_network_acl": _ACLS,
    "aws_network_acl_rule": _ACLS,
    "aws_internet_gateway": _ids("InternetGatewayIds", "igw-"),
    "aws_nat_gateway": _ids("NatGatewayIds", "nat-"),
    "aws_eip": _ids("AllocationIds", "eipalloc-"),
    "aws_ebs_volume": _ids("VolumeIds", "vol-"),
    "aws_vpc_endpoint": _ids("VpcEndpointIds", "vpce-"),
    "aws_key_pair": _ids("KeyNames"),
    "aws_sqs_queue": _queue_name,
    "aws_sqs_queue_policy": _queue_name,
    "aws_lb": _arns("LoadBalancerArns", ":loadbalancer/"),
    "aws_lb_target_group": _arns("TargetGroupArns", ":targetgroup/"),
    "aws_db_subnet_group": _one_id("DBSubnetGroupName", ":subgrp:"),
    "aws_db_instance": _rds("db-instance-id", "db"),
    "aws_rds_cluster": _rds("db-cluster-id", "cluster"),
    "aws_ecr_repository": _names("repositoryNames"),
    "aws_autoscaling_group": _names("AutoScalingGroupNames"),
    "aws_cloudwatch_metric_alarm": _names("AlarmNames"),
    "aws_cloudtrail": _ids("trailNameList"),
    "aws_elasticache_cluster": _one_id("CacheClusterId", ":cluster:"),
    # a name prefix: a superset, which the scan narrows to the group
    "aws_cloudwatch_log_group": _one_id("logGroupNamePrefix", ":log-group:"),
    "aws_launch_template": _ids("LaunchTemplateIds", "lt-"),
}


def _one_template(ids: frozenset[str]) -> dict[str, Any] | None:
    # the default version of one template: DescribeLaunchTemplateVersions takes a template
    # id only when it reads one template
    return {"LaunchTemplateId": next(iter(ids))} if len(ids) == 1 else None


# (type, joined listing) -> what narrows that listing to the event's ids
JOIN_NARROWING: dict[tuple[str, str], Narrowing] = {
    ("aws_launch_template", "DescribeLaunchTemplateVersions"): _one_template,
}


def _tail(after: str) -> Callable[[str], str]:
    return lambda i: i.rsplit(after, 1)[-1] if after in i else i


# the event's ids -> the items the listing would give for them, or None
Listed = Callable[[frozenset[str]], list[Item] | None]


def _items(key: str, value: Callable[[str], str], only: str = "") -> Listed:
    def listed(ids: frozenset[str]) -> list[Item] | None:
        if not ids or (only and not all(i.startswith(only) for i in ids)):
            return None
        return [{key: value(i)} for i in sorted(ids)]

    return listed


def _not_arn(key: str) -> Listed:
    def listed(ids: frozenset[str]) -> list[Item] | None:
        if not ids or any(i.startswith("arn:") for i in ids):
            return None
        return [{key: i} for i in sorted(ids)]

    return listed


LISTED: dict[str, Listed] = {
    "aws_eks_cluster": _not_arn("Name"),
    "aws_dynamodb_table": _items("TableName", _tail(":table/")),
    "aws_sns_topic": _items("TopicArn", str, only="arn:"),
    "aws_sns_topic_policy": _items("TopicArn", str, only="arn:"),
    # the spec's DescribeCertificate / GetOpenIDConnectProvider read the one named
    "aws_acm_certificate": _items("CertificateArn", str, only="arn:"),
    "aws_iam_openid_connect_provider": _items("Arn", str, only="arn:"),
}


# --- READ_ONE: single-resource calls ----------------------------------------------------


@dataclass(frozen=True)
class ReadOne:
    """How one resource is read by the id an event gives: ``read`` answers the items the
    type's listing (with the whole-type batches it joins) would give for it; ``operations``
    are the `client:Operation` calls it makes."""

    read: Callable[[ScanContext, str], list[Item]]
    operations: tuple[str, ...]
    accepts: Callable[[str], bool] = lambda resource_id: bool(resource_id)


def _one(ctx: ScanContext, client: str, operation: str, **params: Any) -> dict[str, Any]:
    return ctx.pages(client, operation, params, paginated=False)[0]


def _all(ctx: ScanContext, client: str, operation: str, result: str, **params: Any) -> list[Any]:
    return [x for page in ctx.pages(client, operation, params) for x in page.get(result) or []]


def _name(resource_id: str) -> str:
    # IAM events name principals by name; an ARN's last path segment is the name
    return resource_id.rsplit("/", 1)[-1]


def _inline(ctx: ScanContext, kind: str, name: str) -> list[Item]:
    # ListRolePolicies + GetRolePolicy: the RolePolicyList of GetAccountAuthorizationDetails
    names = _all(ctx, "iam", f"List{kind}Policies", "PolicyNames", **{f"{kind}Name": name})
    return [
        {
            "PolicyName": policy,
            "PolicyDocument": _one(
                ctx, "iam", f"Get{kind}Policy", **{f"{kind}Name": name, "PolicyName": policy}
            ).get("PolicyDocument"),
        }
        for policy in names
    ]


def _attached(ctx: ScanContext, kind: str, name: str) -> list[Item]:
    return _all(
        ctx, "iam", f"ListAttached{kind}Policies", "AttachedPolicies", **{f"{kind}Name": name}
    )


def _role(ctx: ScanContext, resource_id: str) -> list[Item]:
    """GetRole (which has the tags, boundary, description and session duration) and the
    role's own policies: its RoleDetailList entry."""
    name = _name(resource_id)
    role = dict(_one(ctx, "iam", "GetRole", RoleName=name)["Role"])
    role["RolePolicyList"] = _inline(ctx, "Role", name)
    role["AttachedManagedPolicies"] = _attached(ctx, "Role", name)
    return [role]


def _user(ctx: ScanContext, resource_id: str) -> list[Item]:
    name = _name(resource_id)
    user = dict(_one(ctx, "iam", "GetUser", UserName=name)["User"])
    user["UserPolicyList"] = _inline(ctx, "User", name)
    user["AttachedManagedPolicies"] = _attached(ctx, "User", name)
    groups = _all(ctx, "iam", "ListGroupsForUser", "Groups", UserName=name)
    user["GroupList"] = [g["GroupName"] for g in groups]
    return [user]


def _policy(ctx: ScanContext, arn: str) -> list[Item]:
    """GetPolicy and its default version's document: its Policies entry."""
    policy = dict(_one(ctx, "iam", "GetPolicy", PolicyArn=arn)["Policy"])
    version = policy.get("DefaultVersionId")
    if version:
        answer = _one(ctx, "iam", "GetPolicyVersion", PolicyArn=arn, VersionId=version)
        policy["PolicyVersionList"] = [{**answer["PolicyVersion"], "IsDefaultVersion": True}]
    return [policy]


def _function(ctx: ScanContext, resource_id: str) -> list[Item]:
    # GetFunction's `Configuration` is ListFunctions' item
    return [dict(_one(ctx, "lambda", "GetFunction", FunctionName=resource_id)["Configuration"])]


def _key(ctx: ScanContext, resource_id: str) -> list[Item]:
    """ListKeys' item, and what the key spec's AWS-managed test asks of every alias: the
    aliases of this key alone (ListAliases by KeyId)."""
    meta = _one(ctx, "kms", "DescribeKey", KeyId=resource_id)["KeyMetadata"]
    aliases = _all(ctx, "kms", "ListAliases", "Aliases", KeyId=meta["KeyId"])
    targets = ctx.memo.setdefault(AWS_ALIAS_TARGETS, set())
    if any(str(a.get("AliasName", "")).startswith("alias/aws/") for a in aliases):
        targets.add(meta["KeyId"])
    return [{"KeyId": meta["KeyId"], "KeyArn": meta.get("Arn")}]


def _alias(ctx: ScanContext, alias: str) -> list[Item]:
    # DescribeKey takes an alias name: its key's aliases hold this one
    meta = _one(ctx, "kms", "DescribeKey", KeyId=alias)["KeyMetadata"]
    aliases = _all(ctx, "kms", "ListAliases", "Aliases", KeyId=meta["KeyId"])
    return [dict(a) for a in aliases if a.get("AliasName") == alias]


def _bucket(ctx: ScanContext, name: str) -> list[Item]:
    """ListBuckets' item: the bucket's name and region (GetBucketLocation answers none for
    us-east-1, `EU` for the oldest eu-west-1 buckets). A bucket in a region the account
    does not scan is not listed, as in the full listing."""
    location = _one(ctx, "s3", "GetBucketLocation", Bucket=name).get("LocationConstraint")
    region = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, location)
    if region not in ctx.regions:
        return []
    return [{"Name": name, "BucketRegion": region, REGION: region}]


def _group(ctx: ScanContext, resource_id: str) -> list[Item]:
    # GetGroup's `Group` is the GroupDetailList entry's name, path, id and ARN
    answer = ctx.pages("iam", "GetGroup", {"GroupName": _name(resource_id)}, paginated=False)
    return [dict(answer[0]["Group"])]


def _instance_profile(ctx: ScanContext, resource_id: str) -> list[Item]:
    """GetInstanceProfile: the listing's item with its roles; its tags (what the joined
    RoleDetailList entry adds) by ListInstanceProfileTags when the answer has none."""
    name = _name(resource_id)
    answer = _one(ctx, "iam", "GetInstanceProfile", InstanceProfileName=name)
    profile = dict(answer["InstanceProfile"])
    if "Tags" not in profile:
        profile["Tags"] = _all(
            ctx, "iam", "ListInstanceProfileTags", "Tags", InstanceProfileName=name
        )
    return [profile]


def _secret(ctx: ScanContext, resource_id: str) -> list[Item]:
    # DescribeSecret answers ListSecrets' entry; a secret scheduled for deletion is not listed
    answer = _one(ctx, "secretsmanager", "DescribeSecret", SecretId=resource_id)
    secret = {k: v for k, v in answer.items() if k != "ResponseMetadata"}
    return [] if secret.get("DeletedDate") else [secret]


def _mapping(ctx: ScanContext, resource_id: str) -> list[Item]:
    answer = _one(ctx, "lambda", "GetEventSourceMapping", UUID=resource_id)
    return [{k: v for k, v in answer.items() if k != "ResponseMetadata"}]


def _distribution(ctx: ScanContext, resource_id: str) -> list[Item]:
    """GetDistribution: the summary's id, ARN, status and domain (its config is merged in by
    the spec's GetDistributionConfig, as for a listed distribution)."""
    answer = _one(ctx, "cloudfront", "GetDistribution", Id=resource_id.rsplit("/", 1)[-1])
    distribution = dict(answer["Distribution"])
    distribution.update(distribution.pop("DistributionConfig", None) or {})
    return [distribution]


_IAM_ROLE = ReadOne(
    _role,
    ("iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"),
)
_IAM_USER = ReadOne(
    _user,
    (
        "iam:GetUser",
        "iam:ListUserPolicies",
        "iam:GetUserPolicy",
        "iam:ListAttachedUserPolicies",
        "iam:ListGroupsForUser",
    ),
)
_FUNCTION = ReadOne(_function, ("lambda:GetFunction",))
_BUCKET = ReadOne(_bucket, ("s3:GetBucketLocation",), accepts=lambda i: bool(i) and "/" not in i)

READ_ONE: dict[str, ReadOne] = {
    "aws_iam_role": _IAM_ROLE,
    "aws_iam_role_policy_attachment": _IAM_ROLE,
    "aws_iam_role_policy": _IAM_ROLE,
    "aws_iam_user": _IAM_USER,
    "aws_iam_user_policy_attachment": _IAM_USER,
    "aws_iam_user_group_membership": _IAM_USER,
    "aws_iam_policy": ReadOne(
        _policy, ("iam:GetPolicy", "iam:GetPolicyVersion"), accepts=lambda i: i.startswith("arn:")
    ),
    "aws_lambda_function": _FUNCTION,
    "aws_kms_key": ReadOne(
        _key,
        ("kms:DescribeKey", "kms:ListAliases"),
        # an alias names no key we can match: the type is rescanned whole (types/kms.py)
        accepts=lambda i: bool(i) and not i.startswith("alias/"),
    ),
    "aws_kms_alias": ReadOne(
        _alias, ("kms:DescribeKey", "kms:ListAliases"), accepts=lambda i: i.startswith("alias/")
    ),
    "aws_iam_group": ReadOne(_group, ("iam:GetGroup",)),
    "aws_iam_instance_profile": ReadOne(
        _instance_profile, ("iam:GetInstanceProfile", "iam:ListInstanceProfileTags")
    ),
    "aws_secretsmanager_secret": ReadOne(_secret, ("secretsmanager:DescribeSecret",)),
    "aws_lambda_event_source_mapping": ReadOne(
        _mapping,
        ("lambda:GetEventSourceMapping",),
        # a tag call names the mapping by ARN: the unit's mappings are rescanned (types)
        accepts=lambda i: bool(i) and not i.startswith("arn:"),
    ),
    "aws_cloudfront_distribution": ReadOne(
        _distribution,
        ("cloudfront:GetDistribution",),
        accepts=lambda i: bool(i) and (not i.startswith("arn:") or ":distribution/" in i),
    ),
}


def _read_one(spec: ResourceSpec) -> ReadOne | None:
    # every bucket setting lists the buckets: each, present or to come, reads its bucket
    assert spec.list_call is not None
    if spec.service == "s3" and spec.list_call.operation == "ListBuckets":
        return _BUCKET
    return READ_ONE.get(spec.type)


# whole-type batches a READ_ONE item already answers (the reader merges the entry in)
_ANSWERED_BY_READ_ONE = frozenset({"GetAccountAuthorizationDetails"})


def operations() -> frozenset[tuple[str, str]]:
    """Every (client, operation) a narrowed read may call besides the specs' own."""
    names = {op for one in (*READ_ONE.values(), _BUCKET) for op in one.operations}
    return frozenset((c, o) for c, _, o in (n.partition(":") for n in names)) | {
        ("resourcegroupstaggingapi", "GetResources")
    }


def _gone(client: str, exc: ClientError) -> bool:
    declared = service(client)
    return declared is not None and error_code(exc) in declared.gone


def _reader(one: ReadOne, client: str, ids: frozenset[str]) -> Callable[[ScanContext], list[Item]]:
    def enumerate_(ctx: ScanContext) -> list[Item]:
        out: list[Item] = []
        for resource_id in sorted(ids):
            try:
                out += one.read(ctx, resource_id)
            except ClientError as exc:
                if not _gone(client, exc):
                    raise
        return out

    return enumerate_


# --- ENUMERATED: specs read by their own code (no list_call), narrowed by id -------------


def _ecs_clusters(ids: frozenset[str]) -> Callable[[ScanContext], list[Item]] | None:
    """DescribeClusters of the named clusters (names or ARNs, 100 a call) instead of
    ListClusters: a cluster that is gone is answered as a failure, so no item: missing."""
    if not ids or len(ids) > 100 or "" in ids:
        return None

    def enumerate_(ctx: ScanContext) -> list[Item]:
        params = {"clusters": sorted(ids), "include": ["SETTINGS", "CONFIGURATIONS", "TAGS"]}
        return [
            c
            for page in ctx.pages("ecs", "DescribeClusters", params, paginated=False)
            for c in page.get("clusters") or []
        ]

    return enumerate_


def _lambda_permissions(ids: frozenset[str]) -> Callable[[ScanContext], list[Item]] | None:
    """The named functions (GetFunction), and the aliases and versions a state's
    permissions name for them, as the permission spec's own listing yields them."""
    read = _reader(_FUNCTION, "lambda", ids)

    def enumerate_(ctx: ScanContext) -> list[Item]:
        functions = read(ctx)
        return functions + qualified(ctx, {str(f.get("FunctionName")) for f in functions})

    return enumerate_


ENUMERATED: dict[str, Callable[[frozenset[str]], Callable[[ScanContext], list[Item]] | None]] = {
    "aws_ecs_cluster": _ecs_clusters,
    "aws_lambda_permission": _lambda_permissions,
}


# --- a spec narrowed to some ids ----------------------------------------------------------


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def _own_tags(join: Join) -> Detail:
    """A tagging-API join as a GetResources of the item's own ARN (S3 keys on the bucket
    name: its ARN has no region nor account)."""

    def arns(item: Item) -> list[str]:
        key = join.key(item) if callable(join.key) else _search(join.key, item)
        arn = str(key or "")
        if not arn.startswith("arn:"):
            arn = f"arn:{_partition(str(item.get(REGION) or 'us-east-1'))}:s3:::{arn}"
        return [arn]

    return Detail(
        operation="GetResources",
        client="resourcegroupstaggingapi",
        key={"ResourceARNList": arns},
        result="ResourceTagMappingList[0].Tags",
        into=join.into,
    )


def _search(expression: str, item: Item) -> Any:
    return jmespath.search(expression, item)


def _narrow_tags(tags: Tags | None) -> Tags | None:
    join = tags.join if tags is not None else None
    if tags is None or join is None or join.source.operation != "GetResources":
        return tags
    return replace(tags, join=None, call=_own_tags(join))


def narrowed(spec: ResourceSpec, ids: frozenset[str]) -> ResourceSpec | None:
    """``spec`` reading only ``ids``, or None when these ids cannot narrow its listing."""
    if spec.type in ENUMERATED and ids:
        own = ENUMERATED[spec.type](ids)
        return replace(spec, enumerate=own) if own is not None else None
    if spec.list_call is None or not ids:
        return None
    one = _read_one(spec)
    if one is not None and all(one.accepts(i) for i in ids):
        steps: Iterable[Detail | Join] = (
            s
            for s in spec.calls
            if not (isinstance(s, Join) and s.source.operation in _ANSWERED_BY_READ_ONE)
        )
        return replace(
            spec,
            list_call=None,
            enumerate=_reader(one, spec.client_name, ids),
            calls=tuple(steps),
            tags=_narrow_tags(spec.tags),
        )
    items = LISTED[spec.type](ids) if spec.type in LISTED else None
    if items is not None:
        return replace(
            spec,
            list_call=None,
            enumerate=lambda ctx: [dict(i) for i in items],
            tags=_narrow_tags(spec.tags),
        )
    narrowing = NARROWING.get(spec.type)
    extra = narrowing(ids) if narrowing is not None else None
    if extra is None:
        return None
    params = {**spec.list_call.params, **extra}
    return replace(
        spec,
        list_call=replace(spec.list_call, params=params),
        calls=tuple(_narrow_join(spec.type, s, ids) for s in spec.calls),
        tags=_narrow_tags(spec.tags),
    )


def _narrow_join(rtype: str, step: Detail | Join, ids: frozenset[str]) -> Detail | Join:
    if not isinstance(step, Join):
        return step
    narrowing = JOIN_NARROWING.get((rtype, step.source.operation))
    extra = narrowing(ids) if narrowing is not None else None
    if extra is None:
        return step
    source = replace(step.source, params={**step.source.params, **extra})
    return replace(step, source=source)
