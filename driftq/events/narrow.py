"""Reading only the resources an event named: a targeted scan of one resource asks AWS for
that resource, never for the whole type (and so makes its detail calls for it alone).

Four ways, by what AWS offers for the type:

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
- ``ENUMERATED``: types read by their own code rather than a listing get a reader of the
  named resources, kept next to the type's own reader: DescribeClusters of those ECS
  clusters, DescribeServices of those services (their ARN names the cluster), the
  revisions of those task definition families, DescribeListeners by ARN, GetHostedZone
  of those zones (and their records alone).

Every registered type an event names by id is narrowed one of these ways; a type whose
event names no id (or ids none of these can use, e.g. an ECS service ARN of the old form,
which names no cluster) is listed whole.

Where a listing is narrowed, the targeted scan must compare only what it read:
``SAME_RESOURCE`` holds the types whose names the generic match (the id's last segment)
would confuse (`/app/db/host` and `/other/db/host`, `prod/api` and `staging/api`): the
unread one would be reported missing.

A whole-type listing a narrowed spec joins (the launch templates' default versions) is
narrowed too where ``JOIN_NARROWING`` says how.

Whatever the way, a tag lookup in the Resource Groups Tagging API (one GetResources of
every resource of the type) becomes a GetResources of the resource's own ARN, or where the
join keys on no ARN (SSM parameters, by name) the type's own tag read (``OWN_TAGS``).

The single-resource calls are part of the read-only allow-list and the scanner's IAM
policy (``operations()``), like the specs' own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import jmespath
from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.resources import ecs_services, ecs_task_definitions, elbv2_listeners, route53
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


def _filter(name: str, accepts: Callable[[str], bool]) -> Narrowing:
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        if not ids or not all(accepts(i) for i in ids):
            return None
        return {"Filters": [{"Name": name, "Values": sorted(ids)}]}

    return narrowing


def _prefixed(prefix: str) -> Callable[[str], bool]:
    return lambda i: i.startswith(prefix)


def _rds(kind: str) -> Callable[[str], bool]:
    # the `db-instance-id` / `db-cluster-id` filters take identifiers and ARNs; a tag event
    # may name another kind of RDS resource (`...:subgrp:app`), which must not narrow
    return lambda i: ":" not in i or f":{kind}:" in i


def _queue_name(ids: frozenset[str]) -> dict[str, Any] | None:
    # ListQueues filters by name prefix: a superset, which the scan narrows to the queue
    names = {i.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] for i in ids}
    return {"QueueNamePrefix": names.pop()} if len(names) == 1 else None


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


def _names(param: str, kind: str = "") -> Narrowing:
    # names, or ARNs of ``kind`` (a tag call's), which end with the name
    # (`...:repository/team/app`, `...:alarm:high-cpu`); another ARN lists the type whole
    def narrowing(ids: frozenset[str]) -> dict[str, Any] | None:
        if not ids or any(i.startswith("arn:") and not (kind and kind in i) for i in ids):
            return None
        return {param: sorted({i.split(kind, 1)[-1] if kind else i for i in ids})}

    return narrowing


def _parameter_names(ids: frozenset[str]) -> dict[str, Any] | None:
    # SSM events name parameters by name (a tag call's ResourceId too); 50 a call
    if not ids or len(ids) > 50 or any(i.startswith("arn:") for i in ids):
        return None
    return {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": sorted(ids)}]}


_ROUTE_TABLES = _ids("RouteTableIds", "rtb-")
_GROUPS = _ids("GroupIds", "sg-")
_VPCS = _ids("VpcIds", "vpc-")
_ACLS = _ids("NetworkAclIds", "acl-")
_RULES_OF_GROUPS = _filter("group-id", _prefixed("sg-"))

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
    # a default table or ACL is named by its own id (CreateRoute's `routeTableId`), which
    # DescribeRouteTables / DescribeNetworkAcls take as for any other
    "aws_default_route_table": _ROUTE_TABLES,
    "aws_network_acl": _ACLS,
    "aws_network_acl_rule": _ACLS,
    "aws_default_network_acl": _ACLS,
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
    "aws_db_instance": _filter("db-instance-id", _rds("db")),
    "aws_rds_cluster": _filter("db-cluster-id", _rds("cluster")),
    "aws_ecr_repository": _names("repositoryNames", ":repository/"),
    # the repository's listing entry; the spec's GetRepositoryPolicy then reads its policy
    "aws_ecr_repository_policy": _names("repositoryNames", ":repository/"),
    "aws_autoscaling_group": _names("AutoScalingGroupNames"),
    "aws_launch_configuration": _names("LaunchConfigurationNames", ":launchConfigurationName/"),
    "aws_cloudwatch_metric_alarm": _names("AlarmNames", ":alarm:"),
    "aws_cloudtrail": _ids("trailNameList"),
    "aws_elasticache_cluster": _one_id("CacheClusterId", ":cluster:"),
    # a name prefix: a superset, which the scan narrows to the group
    "aws_cloudwatch_log_group": _one_id("logGroupNamePrefix", ":log-group:"),
    "aws_launch_template": _ids("LaunchTemplateIds", "lt-"),
    "aws_ssm_parameter": _parameter_names,
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


def _name_or_arn(key: str, kind: str) -> Listed:
    # names, or ARNs of this kind (`...:cluster/web`), which end with the name
    def listed(ids: frozenset[str]) -> list[Item] | None:
        if not ids or any(i.startswith("arn:") and kind not in i for i in ids):
            return None
        return [{key: i.rsplit(kind, 1)[-1]} for i in sorted(ids)]

    return listed


LISTED: dict[str, Listed] = {
    "aws_eks_cluster": _name_or_arn("Name", ":cluster/"),
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


def _group_with_policies(ctx: ScanContext, resource_id: str) -> list[Item]:
    """GetGroup and the group's own policies: its GroupDetailList entry (inline policies
    and attached managed ones), as `aws_iam_group_policy(_attachment)` read it."""
    name = _name(resource_id)
    group = _group(ctx, name)[0]
    group["GroupPolicyList"] = _inline(ctx, "Group", name)
    group["AttachedManagedPolicies"] = _attached(ctx, "Group", name)
    return [group]


# an access key's id (`AKIA...`, or `ASIA...` for temporary ones, which IAM does not list)
_KEY_ID = re.compile(r"^A[KS]IA[A-Z0-9]{12,124}$")


def _key_owner(ctx: ScanContext, resource_id: str) -> list[Item]:
    """The user whose keys `aws_iam_access_key` lists (its UserDetailList entry's name; the
    spec's ListAccessKeys reads the keys): an event names the user, or only the key when
    the caller changed a key of their own (no `userName`), whose owner
    GetAccessKeyLastUsed answers. A key that is gone answers NoSuchEntity: no user."""
    if _KEY_ID.match(resource_id):
        answer = _one(ctx, "iam", "GetAccessKeyLastUsed", AccessKeyId=resource_id)
        name = str(answer.get("UserName") or "")
        return [{"UserName": name}] if name else []
    return [{"UserName": _name(resource_id)}]


def _address(ctx: ScanContext, resource_id: str) -> list[Item]:
    """DescribeAddresses of the one address an association event names, by its allocation
    or its association id (a filter: an id that is gone answers no address, as in the full
    listing, where an `AllocationIds` of it would fail). AssociateAddress names both: each
    is read, and the reader keeps the address once."""
    name = "allocation-id" if resource_id.startswith("eipalloc-") else "association-id"
    params = {"Filters": [{"Name": name, "Values": [resource_id]}]}
    return _all(ctx, "ec2", "DescribeAddresses", "Addresses", **params)


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
    # a tag call's ARN ends with the UUID: `...:event-source-mapping:<uuid>`
    uuid = resource_id.rsplit(":event-source-mapping:", 1)[-1]
    answer = _one(ctx, "lambda", "GetEventSourceMapping", UUID=uuid)
    return [{k: v for k, v in answer.items() if k != "ResponseMetadata"}]


def _distribution(ctx: ScanContext, resource_id: str) -> list[Item]:
    """GetDistribution: the summary's id, ARN, status and domain (its config is merged in by
    the spec's GetDistributionConfig, as for a listed distribution)."""
    answer = _one(ctx, "cloudfront", "GetDistribution", Id=resource_id.rsplit("/", 1)[-1])
    distribution = dict(answer["Distribution"])
    distribution.update(distribution.pop("DistributionConfig", None) or {})
    return [distribution]


def _subscription(ctx: ScanContext, arn: str) -> list[Item]:
    """GetSubscriptionAttributes: ListSubscriptions' item (topic, protocol, endpoint, owner)
    with the attributes the spec's own GetSubscriptionAttributes would add."""
    attributes = _one(ctx, "sns", "GetSubscriptionAttributes", SubscriptionArn=arn)
    answer = dict(attributes.get("Attributes") or {})
    listed = {k: answer.get(k) for k in ("TopicArn", "Protocol", "Endpoint", "Owner")}
    return [{"SubscriptionArn": arn, **listed, "Attributes": answer}]


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
_IAM_GROUP_POLICIES = ReadOne(
    _group_with_policies,
    (
        "iam:GetGroup",
        "iam:ListGroupPolicies",
        "iam:GetGroupPolicy",
        "iam:ListAttachedGroupPolicies",
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
    "aws_iam_user_policy": _IAM_USER,
    "aws_iam_access_key": ReadOne(
        _key_owner, ("iam:GetAccessKeyLastUsed",), accepts=lambda i: bool(i) and i != "*"
    ),
    "aws_iam_group_policy": _IAM_GROUP_POLICIES,
    "aws_iam_group_policy_attachment": _IAM_GROUP_POLICIES,
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
    "aws_eip_association": ReadOne(
        _address,
        ("ec2:DescribeAddresses",),
        accepts=lambda i: i.startswith(("eipalloc-", "eipassoc-")),
    ),
    "aws_iam_instance_profile": ReadOne(
        _instance_profile, ("iam:GetInstanceProfile", "iam:ListInstanceProfileTags")
    ),
    "aws_secretsmanager_secret": ReadOne(_secret, ("secretsmanager:DescribeSecret",)),
    "aws_lambda_event_source_mapping": ReadOne(
        _mapping,
        ("lambda:GetEventSourceMapping",),
        accepts=lambda i: bool(i) and (not i.startswith("arn:") or ":event-source-mapping:" in i),
    ),
    "aws_sns_topic_subscription": ReadOne(
        _subscription,
        ("sns:GetSubscriptionAttributes",),
        # a pending confirmation has no ARN yet: nothing Terraform holds
        accepts=lambda i: i.startswith("arn:"),
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


# calls a READ_ONE item already answers: whole-type batches (the reader merges the entry
# in), details the single read made (a subscription's attributes)
_ANSWERED_BY_READ_ONE = frozenset({"GetAccountAuthorizationDetails", "GetSubscriptionAttributes"})


# types whose events name the resource but whose API has no read of one resource: the
# targeted scan lists them whole (type -> why). None today: every registered type an event
# names is read alone one of the ways above (tests/events/test_mapping_lint.py).
LISTED_WHOLE: dict[str, str] = {
    # one item per policy ARN, built from the whole GetAccountAuthorizationDetails listing
    # the IAM specs share; reading one would take ListEntitiesForPolicy, a call of its own
    "aws_iam_policy_attachment": (
        "built from the account's whole authorization details listing, shared with the "
        "other IAM types: reading one policy's entities needs another API call"
    ),
}


def narrowable(spec: ResourceSpec) -> bool:
    """Whether some ids an event gives can narrow ``spec``'s read to those resources."""
    if spec.type in ENUMERATED:
        return True
    if spec.list_call is None:
        return False
    return _read_one(spec) is not None or spec.type in LISTED or spec.type in NARROWING


def operations() -> frozenset[tuple[str, str]]:
    """Every (client, operation) a narrowed read may call besides the specs' own."""
    names = {op for one in (*READ_ONE.values(), _BUCKET) for op in one.operations}
    own_tags = {(str(d.client), d.operation) for d in OWN_TAGS.values()}
    return (
        frozenset((c, o) for c, _, o in (n.partition(":") for n in names))
        | {("resourcegroupstaggingapi", "GetResources")}
        | own_tags
    )


def _gone(client: str, exc: ClientError) -> bool:
    declared = service(client)
    return declared is not None and error_code(exc) in declared.gone


def _reader(one: ReadOne, client: str, ids: frozenset[str]) -> Callable[[ScanContext], list[Item]]:
    def enumerate_(ctx: ScanContext) -> list[Item]:
        out: list[Item] = []
        for resource_id in sorted(ids):
            try:
                items = one.read(ctx, resource_id)
            except ClientError as exc:
                if not _gone(client, exc):
                    raise
                continue
            # two ids may name one resource (a user's name and one of its keys' ids)
            out += [item for item in items if item not in out]
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


Reader = Callable[[ScanContext], list[Item]]


def _named(
    read: Callable[[ScanContext, frozenset[str]], Iterable[Item]],
    most: int | None = None,
    accepts: Callable[[str], bool] = bool,
) -> Callable[[frozenset[str]], Reader | None]:
    """A reader of the named resources by the type's own ``read``, when every id is one it
    ``accepts`` (at most ``most``: its batch's limit); otherwise the type is listed whole."""

    def reader(ids: frozenset[str]) -> Reader | None:
        if not ids or (most is not None and len(ids) > most) or not all(map(accepts, ids)):
            return None
        return lambda ctx: list(read(ctx, ids))

    return reader


# services are named by their long ARN (`service/<cluster>/<name>`); the old form names no
# cluster, and ListServices would then be needed in every cluster: listed whole
_ecs_services = _named(
    ecs_services.services_named, accepts=lambda i: ecs_services.service_of_arn(i) is not None
)
_listener_arns = _named(
    elbv2_listeners.listeners_named, accepts=lambda i: i.startswith("arn:") and ":listener/" in i
)


def _families(ids: frozenset[str]) -> Reader | None:
    # a revision's family: a new revision changes which is the family's latest
    if not ids or "" in ids:
        return None
    families = {ecs_task_definitions.family_of(i) for i in ids}
    return lambda ctx: list(ecs_task_definitions.families_named(ctx, families))


def _lambda_permissions(ids: frozenset[str]) -> Reader | None:
    """The named functions (GetFunction), and the aliases and versions a state's
    permissions name for them, as the permission spec's own listing yields them."""
    read = _reader(_FUNCTION, "lambda", ids)

    def enumerate_(ctx: ScanContext) -> list[Item]:
        functions = read(ctx)
        return functions + qualified(ctx, {str(f.get("FunctionName")) for f in functions})

    return enumerate_


ENUMERATED: dict[str, Callable[[frozenset[str]], Reader | None]] = {
    "aws_ecs_cluster": _ecs_clusters,
    "aws_ecs_service": _ecs_services,
    "aws_lambda_permission": _lambda_permissions,
    "aws_lb_listener": _listener_arns,
    # ListTagsForResources takes ten zones a call
    "aws_route53_zone": _named(route53.zones_named, 10),
    "aws_route53_record": _named(route53.records_of_zones, 10),
    "aws_ecs_task_definition": _families,
}


# --- which resources an id names, where the generic match is too loose ------------------


def _same_parameter(identity: str, resource_id: str) -> bool:
    # `/app/db/host` is not `/other/db/host` (the generic match compares last segments);
    # a tag call may name the parameter by ARN (`...:parameter/app/db/host`)
    if resource_id.startswith("arn:"):
        return resource_id.endswith(
            ":parameter" + ("" if identity.startswith("/") else "/") + identity
        )
    return identity == resource_id


def _same_service(identity: str, resource_id: str) -> bool:
    # `prod/api` is not `staging/api`: a service ARN names its cluster
    if identity == resource_id:
        return True
    named = ecs_services.service_of_arn(resource_id)
    if named is None:  # the old ARN form names no cluster (the type was listed whole)
        return identity.rsplit("/", 1)[-1] == resource_id.rsplit("/", 1)[-1]
    return "/".join(named) == identity


def _same_name(arn_name: Callable[[str], str]) -> Callable[[str, str], bool]:
    """Names compared whole (`app/x` is not `other/x`), an ARN by the name it ends with."""

    def name(value: str) -> str:
        return arn_name(value) if value.startswith("arn:") else value

    return lambda identity, resource_id: name(identity) == name(resource_id)


def _after(kind: str) -> Callable[[str], str]:
    return lambda arn: arn.split(kind, 1)[-1].removesuffix(":*")


SAME_RESOURCE: dict[str, Callable[[str, str], bool]] = {
    "aws_ssm_parameter": _same_parameter,
    # names with slashes, the listing narrowed to that one name
    "aws_ecr_repository": _same_name(_after(":repository/")),
    "aws_ecr_repository_policy": _same_name(_after(":repository/")),
    "aws_cloudwatch_metric_alarm": _same_name(_after(":alarm:")),
    "aws_cloudwatch_log_group": _same_name(_after(":log-group:")),
    "aws_kms_alias": _same_name(lambda arn: arn.rsplit(":", 1)[-1]),
    "aws_ecs_service": _same_service,
    # the family's revisions: each event rescans its revision's family
    "aws_ecs_task_definition": lambda identity, resource_id: (
        bool(identity)
        and ecs_task_definitions.family_of(identity) == ecs_task_definitions.family_of(resource_id)
    ),
}
"""Where a type's listing is narrowed to the named resources, the resources it then
compares must be those same ones: a state resource the generic match (the id's last
segment) takes for the named one, but not read, would be reported missing."""


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


# tagging-API joins keyed on no ARN (SSM's on the parameter's name, and DescribeParameters
# answers no ARN in every emulator): the type's own single-resource tag read instead
OWN_TAGS: dict[str, Detail] = {
    "aws_ssm_parameter": Detail(
        operation="ListTagsForResource",
        client="ssm",
        key={"ResourceId": "Name"},
        params={"ResourceType": "Parameter"},
        result="TagList",
        into="ResourceTags",
    ),
}


def _narrow_tags(spec: ResourceSpec) -> Tags | None:
    tags = spec.tags
    join = tags.join if tags is not None else None
    if tags is None or join is None or join.source.operation != "GetResources":
        return tags
    own = OWN_TAGS.get(spec.type)
    if own is not None:
        return replace(tags, join=None, call=replace(own, into=join.into))
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
            if (s.source.operation if isinstance(s, Join) else s.operation)
            not in _ANSWERED_BY_READ_ONE
        )
        return replace(
            spec,
            list_call=None,
            enumerate=_reader(one, spec.client_name, ids),
            calls=tuple(steps),
            tags=_narrow_tags(spec),
        )
    items = LISTED[spec.type](ids) if spec.type in LISTED else None
    if items is not None:
        return replace(
            spec,
            list_call=None,
            enumerate=lambda ctx: [dict(i) for i in items],
            tags=_narrow_tags(spec),
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
        tags=_narrow_tags(spec),
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
