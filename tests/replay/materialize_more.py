"""Live twins for the types added after the first creators (see materialize.py): IAM inline
policies, user attachments and groups, KMS aliases, Route 53 zones and records, SNS
subscriptions, CloudTrail trails, ECR repositories, RDS subnet groups and the EC2 network
types. What an instance refers to but its state does not hold (a role, a key, a VPC, a route
table) is made once per old id, as the first creators do."""

from __future__ import annotations

import json
from typing import Any

from tests.replay.materialize import _bucket, _tag_list, _tags, _vpc_for, creates

_ALLOW_GET = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})  # fmt: skip
_EC2_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]})  # fmt: skip


def _once(made: dict[str, str], assigned: dict[str, str], old: str, make: Any) -> str:
    """The live id standing for ``old``: made by ``make()`` the first time only."""
    new = made.get(old) or assigned.get(old)
    if new is None:
        new = assigned[old] = str(make())
    return str(new)


# --- IAM ------------------------------------------------------------------------------------


def _role(iam: Any, name: str) -> None:
    if name not in {r["RoleName"] for r in iam.list_roles()["Roles"]}:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=_EC2_TRUST)


@creates("aws_iam_role_policy")
def _iam_role_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    iam = client("iam")
    _role(iam, a["role"])
    iam.put_role_policy(RoleName=a["role"], PolicyName=a["name"], PolicyDocument=a["policy"])
    return {}


@creates("aws_iam_user_policy_attachment")
def _iam_user_policy_attachment(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """The user and a customer policy (not in the state) are made when missing."""
    iam = client("iam")
    if a["user"] not in {u["UserName"] for u in iam.list_users()["Users"]}:
        iam.create_user(UserName=a["user"])
    arn = a["policy_arn"]
    if ":aws:policy/" not in arn and arn not in {
        p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]
    }:
        iam.create_policy(PolicyName=arn.rsplit("/", 1)[1], PolicyDocument=_ALLOW_GET)
    iam.attach_user_policy(UserName=a["user"], PolicyArn=arn)
    return {}


@creates("aws_iam_group")
def _iam_group(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    group = client("iam").create_group(GroupName=a["name"], Path=a.get("path") or "/")["Group"]
    return {a["unique_id"]: group["GroupId"]} if a.get("unique_id") else {}


# --- KMS, SNS, CloudTrail, ECR, RDS -----------------------------------------------------------


@creates("aws_kms_alias")
def _kms_alias(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """The target key (not in the state) is made once per old key id."""
    kms = client("kms")
    assigned: dict[str, str] = {}
    key = _once(made, assigned, a["target_key_id"], lambda: kms.create_key()["KeyMetadata"]["KeyId"])  # fmt: skip
    # `id` is the full name, also for a `name_prefix` alias
    kms.create_alias(AliasName=a["id"], TargetKeyId=key)
    return assigned


@creates("aws_sns_topic_subscription")
def _sns_subscription(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """The topic (not in the state) is made when missing; the endpoint is only an ARN."""
    sns = client("sns")
    topic = sns.create_topic(Name=a["topic_arn"].rsplit(":", 1)[1])["TopicArn"]
    attributes = {"RawMessageDelivery": str(bool(a.get("raw_message_delivery"))).lower()}
    if a.get("filter_policy"):
        attributes["FilterPolicy"] = a["filter_policy"]
    answer = sns.subscribe(
        TopicArn=topic,
        Protocol=a["protocol"],
        Endpoint=a["endpoint"],
        Attributes=attributes,
        ReturnSubscriptionArn=True,
    )
    return {a["arn"]: answer["SubscriptionArn"]}


@creates("aws_cloudtrail")
def _cloudtrail(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """Its bucket (not in the state) is made in the trail's region."""
    cloudtrail = client("cloudtrail")
    _bucket(client, a["s3_bucket_name"], cloudtrail.meta.region_name)
    kwargs: dict[str, Any] = {
        "Name": a["name"],
        "S3BucketName": a["s3_bucket_name"],
        "IncludeGlobalServiceEvents": bool(a.get("include_global_service_events")),
        "IsMultiRegionTrail": bool(a.get("is_multi_region_trail")),
        "EnableLogFileValidation": bool(a.get("enable_log_file_validation")),
        "IsOrganizationTrail": bool(a.get("is_organization_trail")),
    }
    for tf, aws in (("s3_key_prefix", "S3KeyPrefix"), ("sns_topic_name", "SnsTopicName"), ("kms_key_id", "KmsKeyId")):  # fmt: skip
        if a.get(tf):
            kwargs[aws] = a[tf]
    if _tags(a):
        kwargs["TagsList"] = _tag_list(a)
    cloudtrail.create_trail(**kwargs)
    if a.get("enable_logging"):
        cloudtrail.start_logging(Name=a["name"])
    return {}


@creates("aws_ecr_repository")
def _ecr_repository(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kwargs: dict[str, Any] = {
        "repositoryName": a["name"],
        "imageTagMutability": a.get("image_tag_mutability") or "MUTABLE",
    }
    for scanning in a.get("image_scanning_configuration") or []:
        kwargs["imageScanningConfiguration"] = {"scanOnPush": bool(scanning.get("scan_on_push"))}
    for encryption in a.get("encryption_configuration") or []:
        kwargs["encryptionConfiguration"] = {
            "encryptionType": encryption["encryption_type"],
            **({"kmsKey": encryption["kms_key"]} if encryption.get("kms_key") else {}),
        }
    if _tags(a):
        kwargs["tags"] = _tag_list(a)
    client("ecr").create_repository(**kwargs)
    return {}


@creates("aws_db_subnet_group")
def _db_subnet_group(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """Its subnets (not in the state) are made once per old id, in one VPC, one zone each
    (a subnet group spans at least two zones)."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, "vpc-of-db-subnet-groups", "10.0.0.0/16", made, assigned)
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    for old in a["subnet_ids"]:

        def subnet() -> str:
            count = len(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"])  # fmt: skip
            created = ec2.create_subnet(
                VpcId=vpc,
                CidrBlock=f"10.0.{count}.0/24",
                AvailabilityZone=zones[count % len(zones)],
            )
            return str(created["Subnet"]["SubnetId"])

        _once(made, assigned, old, subnet)
    both = {**made, **assigned}
    kwargs: dict[str, Any] = {
        "DBSubnetGroupName": a["name"],
        "DBSubnetGroupDescription": a.get("description") or "Managed by Terraform",
        "SubnetIds": [both[s] for s in a["subnet_ids"]],
    }
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    client("rds").create_db_subnet_group(**kwargs)
    return assigned
