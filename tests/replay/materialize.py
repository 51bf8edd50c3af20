"""Live twins of real Terraform states: each creator makes, in a moto account, the AWS
resource one state instance describes (from the state's own attributes) and returns the
ids AWS assigned in its place (old id -> new id), which the replay writes back into the
state, as `terraform import` would have recorded them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# (client factory, the instance's attributes, ids assigned so far) -> ids assigned by it
Creator = Callable[[Any, dict[str, Any], dict[str, str]], dict[str, str]]
CREATORS: dict[str, Creator] = {}


def creates(rtype: str) -> Callable[[Creator], Creator]:
    def register(fn: Creator) -> Creator:
        CREATORS[rtype] = fn
        return fn

    return register


def _tags(attrs: dict[str, Any]) -> dict[str, str]:
    return dict(attrs.get("tags") or {})


def _tag_list(attrs: dict[str, Any]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in _tags(attrs).items()]


@creates("aws_sqs_queue")
def _sqs_queue(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    sqs = client("sqs")
    names = {
        "delay_seconds": "DelaySeconds",
        "max_message_size": "MaximumMessageSize",
        "message_retention_seconds": "MessageRetentionPeriod",
        "receive_wait_time_seconds": "ReceiveMessageWaitTimeSeconds",
        "visibility_timeout_seconds": "VisibilityTimeout",
        "kms_master_key_id": "KmsMasterKeyId",
        "kms_data_key_reuse_period_seconds": "KmsDataKeyReusePeriodSeconds",
        "policy": "Policy",
        "redrive_policy": "RedrivePolicy",
    }
    attributes = {aws: str(a[tf]) for tf, aws in names.items() if a.get(tf) not in (None, "")}
    if a.get("fifo_queue"):
        attributes["FifoQueue"] = "true"
        attributes["ContentBasedDeduplication"] = str(
            bool(a.get("content_based_deduplication"))
        ).lower()
    url = sqs.create_queue(QueueName=a["name"], Attributes=attributes, tags=_tags(a))["QueueUrl"]
    return {a["id"]: url}


@creates("aws_sqs_queue_policy")
def _sqs_queue_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    sqs = client("sqs")
    name = a["queue_url"].rsplit("/", 1)[1]
    attributes = {"Policy": a["policy"]}
    if name.endswith(".fifo"):
        attributes["FifoQueue"] = "true"
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return {a["queue_url"]: url}


@creates("aws_sns_topic")
def _sns_topic(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    names = {
        "display_name": "DisplayName",
        "policy": "Policy",
        "delivery_policy": "DeliveryPolicy",
        "kms_master_key_id": "KmsMasterKeyId",
    }
    attributes = {aws: str(a[tf]) for tf, aws in names.items() if a.get(tf) not in (None, "")}
    if a.get("fifo_topic"):
        attributes["FifoTopic"] = "true"
        attributes["ContentBasedDeduplication"] = str(
            bool(a.get("content_based_deduplication"))
        ).lower()
    kwargs: dict[str, Any] = {"Name": a["name"], "Attributes": attributes}
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    arn = client("sns").create_topic(**kwargs)["TopicArn"]
    return {a["arn"]: arn}


@creates("aws_sns_topic_policy")
def _sns_topic_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    name = a["arn"].rsplit(":", 1)[1]
    arn = client("sns").create_topic(Name=name, Attributes={"Policy": a["policy"]})["TopicArn"]
    return {a["arn"]: arn}


@creates("aws_iam_user")
def _iam_user(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kwargs: dict[str, Any] = {"UserName": a["name"], "Path": a.get("path") or "/"}
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    if a.get("permissions_boundary"):
        kwargs["PermissionsBoundary"] = a["permissions_boundary"]
    user = client("iam").create_user(**kwargs)["User"]
    return {a["unique_id"]: user["UserId"]} if a.get("unique_id") else {}


@creates("aws_iam_role")
def _iam_role(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kwargs: dict[str, Any] = {
        "RoleName": a["name"],
        "Path": a.get("path") or "/",
        "AssumeRolePolicyDocument": a["assume_role_policy"],
        "MaxSessionDuration": int(a.get("max_session_duration") or 3600),
    }
    if a.get("description"):
        kwargs["Description"] = a["description"]
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    if a.get("permissions_boundary"):
        kwargs["PermissionsBoundary"] = a["permissions_boundary"]
    role = client("iam").create_role(**kwargs)["Role"]
    return {a["unique_id"]: role["RoleId"]} if a.get("unique_id") else {}


@creates("aws_iam_policy")
def _iam_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kwargs: dict[str, Any] = {
        "PolicyName": a["name"],
        "Path": a.get("path") or "/",
        "PolicyDocument": a["policy"],
    }
    if a.get("description"):
        kwargs["Description"] = a["description"]
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    client("iam").create_policy(**kwargs)
    return {}


@creates("aws_iam_role_policy_attachment")
def _iam_role_policy_attachment(
    client: Any, a: dict[str, Any], made: dict[str, str]
) -> dict[str, str]:
    iam = client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]}  # fmt: skip
    roles = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    if a["role"] not in roles:
        iam.create_role(RoleName=a["role"], AssumeRolePolicyDocument=json.dumps(trust))
    arn = a["policy_arn"]
    if ":aws:policy/" not in arn:
        policies = {p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]}
        if arn not in policies:
            document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}  # fmt: skip
            name = arn.rsplit("/", 1)[1]
            iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(document))
    iam.attach_role_policy(RoleName=a["role"], PolicyArn=arn)
    return {}


@creates("aws_kms_key")
def _kms_key(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    kms = client("kms")
    kwargs: dict[str, Any] = {
        "Description": a.get("description") or "",
        "KeyUsage": a.get("key_usage") or "ENCRYPT_DECRYPT",
        "KeySpec": a.get("customer_master_key_spec") or "SYMMETRIC_DEFAULT",
    }
    if a.get("policy"):
        kwargs["Policy"] = a["policy"]
    if _tags(a):
        kwargs["Tags"] = [{"TagKey": k, "TagValue": v} for k, v in _tags(a).items()]
    if a.get("multi_region"):
        kwargs["MultiRegion"] = True
    key = kms.create_key(**kwargs)["KeyMetadata"]
    if a.get("enable_key_rotation"):
        kms.enable_key_rotation(KeyId=key["KeyId"])
    if a.get("is_enabled") is False:
        kms.disable_key(KeyId=key["KeyId"])
    return {a["id"]: key["KeyId"]}


@creates("aws_vpc")
def _vpc(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock=a["cidr_block"], InstanceTenancy=a.get("instance_tenancy") or "default")["Vpc"]["VpcId"]  # fmt: skip
    for attr, key in (("enable_dns_support", "EnableDnsSupport"), ("enable_dns_hostnames", "EnableDnsHostnames")):  # fmt: skip
        if a.get(attr) is not None:
            ec2.modify_vpc_attribute(VpcId=vpc, **{key: {"Value": bool(a[attr])}})
    if _tags(a):
        ec2.create_tags(Resources=[vpc], Tags=_tag_list(a))
    return {a["id"]: vpc}


@creates("aws_dynamodb_table")
def _dynamodb_table(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    keys = [{"AttributeName": a["hash_key"], "KeyType": "HASH"}]
    if a.get("range_key"):
        keys.append({"AttributeName": a["range_key"], "KeyType": "RANGE"})
    provisioned = a.get("billing_mode", "PROVISIONED") == "PROVISIONED"
    kwargs: dict[str, Any] = {
        "TableName": a["name"],
        "KeySchema": keys,
        "AttributeDefinitions": [
            {"AttributeName": x["name"], "AttributeType": x["type"]} for x in a["attribute"]
        ],
        "BillingMode": "PROVISIONED" if provisioned else "PAY_PER_REQUEST",
    }
    if provisioned:
        kwargs["ProvisionedThroughput"] = {
            "ReadCapacityUnits": int(a["read_capacity"]),
            "WriteCapacityUnits": int(a["write_capacity"]),
        }
    indexes = []
    for gsi in a.get("global_secondary_index") or []:
        schema = [{"AttributeName": gsi["hash_key"], "KeyType": "HASH"}]
        if gsi.get("range_key"):
            schema.append({"AttributeName": gsi["range_key"], "KeyType": "RANGE"})
        index: dict[str, Any] = {
            "IndexName": gsi["name"],
            "KeySchema": schema,
            "Projection": {"ProjectionType": gsi["projection_type"]},
        }
        if gsi.get("non_key_attributes"):
            index["Projection"]["NonKeyAttributes"] = gsi["non_key_attributes"]
        if provisioned:
            index["ProvisionedThroughput"] = {
                "ReadCapacityUnits": int(gsi["read_capacity"]),
                "WriteCapacityUnits": int(gsi["write_capacity"]),
            }
        indexes.append(index)
    if indexes:
        kwargs["GlobalSecondaryIndexes"] = indexes
    if a.get("stream_enabled"):
        kwargs["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": a["stream_view_type"],
        }
    if _tags(a):
        kwargs["Tags"] = _tag_list(a)
    client("dynamodb").create_table(**kwargs)
    return {}


@creates("aws_subnet")
def _subnet(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """The subnet's VPC is not in the state: one is made per VPC id, wide enough for its
    subnets (a /16 around the first subnet's block)."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = made.get(a["vpc_id"])
    if vpc is None:
        first, second = a["cidr_block"].split(".")[:2]
        vpc = ec2.create_vpc(CidrBlock=f"{first}.{second}.0.0/16")["Vpc"]["VpcId"]
        assigned[a["vpc_id"]] = vpc
    subnet = ec2.create_subnet(
        VpcId=vpc, CidrBlock=a["cidr_block"], AvailabilityZone=a["availability_zone"]
    )["Subnet"]["SubnetId"]
    if a.get("map_public_ip_on_launch"):
        ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
    if _tags(a):
        ec2.create_tags(Resources=[subnet], Tags=_tag_list(a))
    return {**assigned, a["id"]: subnet}
