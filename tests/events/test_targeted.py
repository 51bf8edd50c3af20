"""Recorded-shape CloudTrail events, one per event name, each against a resource built in
moto: the change is made, the event fed in, and the targeted unit must find exactly the
drift the change made, with the event's principal as `changed_by`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from driftq.aws import AwsAccess
from driftq.events.parse import calls_from
from driftq.events.plan import plan_calls
from driftq.events.targeted import run_targets
from driftq.resources import REGISTRY
from driftq.resources.spec import Join
from tests.conftest import emulator, single_account_config
from tests.events.recorded import TERRAFORM_AGENT, eventbridge, principal, record
from tests.resources.cases import CASES, new_test_account
from tests.resources.harness import Built
from tests.support.moto import MotoServer

BY_TYPE = {case.type: case for case in CASES}


@pytest.fixture(scope="module")
def moto_server() -> Iterator[MotoServer]:
    """A case attaches an AWS managed policy (ReadOnlyAccess): this module's emulator holds
    them, as every real account does."""
    yield from emulator(load_aws_managed_policies=True)


# the change and the record of it: (account, what the case built) -> a CloudTrail record
Change = Callable[[Any, Built], dict[str, Any]]


def _id(built: Built, rtype: str, key: str = "id") -> str:
    return str(built.subject(rtype).attributes[key])


def _sg_ingress(account: Any, built: Built) -> dict[str, Any]:
    group = _id(built, "aws_security_group")
    perm = {
        "IpProtocol": "tcp",
        "FromPort": 22,
        "ToPort": 22,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
    }
    account.client("ec2").authorize_security_group_ingress(GroupId=group, IpPermissions=[perm])
    request = {
        "groupId": group,
        "ipPermissions": {
            "items": [
                {
                    "ipProtocol": "tcp",
                    "fromPort": 22,
                    "toPort": 22,
                    "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]},
                }
            ]
        },
    }
    return record(
        account.id, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", request, {"_return": True}
    )


def _vpc_attribute(account: Any, built: Built) -> dict[str, Any]:
    vpc = _id(built, "aws_vpc")
    enabled = bool(built.subject("aws_vpc").attributes.get("enable_dns_hostnames"))
    account.client("ec2").modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": not enabled})
    request = {"vpcId": vpc, "enableDnsHostnames": {"value": not enabled}}
    return record(account.id, "ec2.amazonaws.com", "ModifyVpcAttribute", request, {"_return": True})


def _instance_tags(account: Any, built: Built) -> dict[str, Any]:
    instance = _id(built, "aws_instance")
    account.client("ec2").create_tags(
        Resources=[instance], Tags=[{"Key": "Hotfix", "Value": "yes"}]
    )
    request = {
        "resourcesSet": {"items": [{"resourceId": instance}]},
        "tagSet": {"items": [{"key": "Hotfix", "value": "yes"}]},
    }
    return record(account.id, "ec2.amazonaws.com", "CreateTags", request, {"_return": True})


def _subnet_attribute(account: Any, built: Built) -> dict[str, Any]:
    subnet = _id(built, "aws_subnet")
    current = bool(built.subject("aws_subnet").attributes.get("map_public_ip_on_launch"))
    account.client("ec2").modify_subnet_attribute(
        SubnetId=subnet, MapPublicIpOnLaunch={"Value": not current}
    )
    request = {"subnetId": subnet, "mapPublicIpOnLaunch": {"value": not current}}
    return record(
        account.id, "ec2.amazonaws.com", "ModifySubnetAttribute", request, {"_return": True}
    )


def _role_duration(account: Any, built: Built) -> dict[str, Any]:
    name = _id(built, "aws_iam_role", "name")
    # moto clears a description UpdateRole does not name (AWS keeps it): name it
    account.client("iam").update_role(
        RoleName=name, MaxSessionDuration=43200, Description="the app"
    )
    return record(
        account.id,
        "iam.amazonaws.com",
        "UpdateRole",
        {"roleName": name, "maxSessionDuration": 43200},
    )


def _attach_policy(account: Any, built: Built) -> dict[str, Any]:
    name = _id(built, "aws_iam_role", "name")
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam = account.client("iam")
    extra = iam.create_policy(
        PolicyName=f"{name}-extra",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            }
        ),
    )
    arn = extra["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    return record(
        account.id, "iam.amazonaws.com", "AttachRolePolicy", {"roleName": name, "policyArn": arn}
    )


def _tag_user(account: Any, built: Built) -> dict[str, Any]:
    name = _id(built, "aws_iam_user", "name")
    account.client("iam").tag_user(UserName=name, Tags=[{"Key": "Owner", "Value": "mallory"}])
    return record(
        account.id,
        "iam.amazonaws.com",
        "TagUser",
        {"userName": name, "tags": [{"key": "Owner", "value": "mallory"}]},
    )


def _policy_version(account: Any, built: Built) -> dict[str, Any]:
    arn = _id(built, "aws_iam_policy", "arn")
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    account.client("iam").create_policy_version(
        PolicyArn=arn, PolicyDocument=json.dumps(document), SetAsDefault=True
    )
    request = {"policyArn": arn, "policyDocument": json.dumps(document), "setAsDefault": True}
    return record(
        account.id,
        "iam.amazonaws.com",
        "CreatePolicyVersion",
        request,
        {"policyVersion": {"versionId": "v2", "isDefaultVersion": True}},
    )


def _bucket_versioning(account: Any, built: Built) -> dict[str, Any]:
    bucket = _id(built, "aws_s3_bucket", "bucket")
    account.client("s3").put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Suspended"}
    )
    request = {
        "bucketName": bucket,
        "Host": f"{bucket}.s3.amazonaws.com",
        "versioning": "",
        "VersioningConfiguration": {
            "Status": "Suspended",
            "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
        },
    }
    return record(account.id, "s3.amazonaws.com", "PutBucketVersioning", request)


def _bucket_policy(account: Any, built: Built) -> dict[str, Any]:
    bucket = _id(built, "aws_s3_bucket", "bucket")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Open",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    account.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return record(
        account.id,
        "s3.amazonaws.com",
        "PutBucketPolicy",
        {
            "bucketName": bucket,
            "Host": f"{bucket}.s3.amazonaws.com",
            "policy": "",
            "bucketPolicy": policy,
        },
    )


def _public_access(account: Any, built: Built) -> dict[str, Any]:
    bucket = _id(built, "aws_s3_bucket", "bucket")
    config = {
        "BlockPublicAcls": False,
        "IgnorePublicAcls": False,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False,
    }
    account.client("s3").put_public_access_block(
        Bucket=bucket, PublicAccessBlockConfiguration=config
    )
    return record(
        account.id,
        "s3.amazonaws.com",
        "PutBucketPublicAccessBlock",
        {"bucketName": bucket, "publicAccessBlock": "", "PublicAccessBlockConfiguration": config},
    )


def _bucket_tags(account: Any, built: Built) -> dict[str, Any]:
    bucket = _id(built, "aws_s3_bucket", "bucket")
    s3 = account.client("s3")
    tags = s3.get_bucket_tagging(Bucket=bucket).get("TagSet", []) if _has_tags(s3, bucket) else []
    s3.put_bucket_tagging(
        Bucket=bucket, Tagging={"TagSet": [*tags, {"Key": "CostCenter", "Value": "1234"}]}
    )
    return record(
        account.id, "s3.amazonaws.com", "PutBucketTagging", {"bucketName": bucket, "tagging": ""}
    )


def _has_tags(s3: Any, bucket: str) -> bool:
    try:
        s3.get_bucket_tagging(Bucket=bucket)
    except Exception:
        return False
    return True


def _encryption(account: Any, built: Built) -> dict[str, Any]:
    bucket = _id(built, "aws_s3_bucket", "bucket")
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    account.client("s3").put_bucket_encryption(
        Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [rule]}
    )
    return record(
        account.id,
        "s3.amazonaws.com",
        "PutBucketEncryption",
        {"bucketName": bucket, "encryption": ""},
    )


def _function_timeout(account: Any, built: Built) -> dict[str, Any]:
    name = _id(built, "aws_lambda_function", "function_name")
    account.client("lambda").update_function_configuration(FunctionName=name, Timeout=120)
    return record(
        account.id,
        "lambda.amazonaws.com",
        "UpdateFunctionConfiguration20150331v2",
        {"functionName": name, "timeout": 120},
        {"functionName": name, "timeout": 120},
    )


def _queue_attribute(account: Any, built: Built) -> dict[str, Any]:
    url = _id(built, "aws_sqs_queue")
    account.client("sqs").set_queue_attributes(
        QueueUrl=url, Attributes={"VisibilityTimeout": "901"}
    )
    # CloudTrail records the public endpoint, whatever host the caller used
    public = "https://sqs.us-east-1.amazonaws.com/" + "/".join(url.rstrip("/").split("/")[-2:])
    return record(
        account.id,
        "sqs.amazonaws.com",
        "SetQueueAttributes",
        {"queueUrl": public, "attributes": {"VisibilityTimeout": "901"}},
    )


def _topic_attribute(account: Any, built: Built) -> dict[str, Any]:
    arn = _id(built, "aws_sns_topic", "arn")
    account.client("sns").set_topic_attributes(
        TopicArn=arn, AttributeName="DisplayName", AttributeValue="hijacked"
    )
    return record(
        account.id,
        "sns.amazonaws.com",
        "SetTopicAttributes",
        {"topicArn": arn, "attributeName": "DisplayName", "attributeValue": "hijacked"},
    )


def _launch_configuration_deleted(account: Any, built: Built) -> dict[str, Any]:
    name = _id(built, "aws_launch_configuration", "name")
    account.client("autoscaling").delete_launch_configuration(LaunchConfigurationName=name)
    return record(
        account.id,
        "autoscaling.amazonaws.com",
        "DeleteLaunchConfiguration",
        {"launchConfigurationName": name},
    )


def _table_tags(account: Any, built: Built) -> dict[str, Any]:
    arn = _id(built, "aws_dynamodb_table", "arn")
    account.client("dynamodb").tag_resource(
        ResourceArn=arn, Tags=[{"Key": "Owner", "Value": "mallory"}]
    )
    return record(
        account.id,
        "dynamodb.amazonaws.com",
        "TagResource",
        {"resourceArn": arn, "tags": [{"key": "Owner", "value": "mallory"}]},
    )


def _key_description(account: Any, built: Built) -> dict[str, Any]:
    key = _id(built, "aws_kms_key", "key_id")
    account.client("kms").update_key_description(KeyId=key, Description="changed by hand")
    return record(
        account.id,
        "kms.amazonaws.com",
        "UpdateKeyDescription",
        {"keyId": key, "description": "changed by hand"},
    )


def _key_rotation(account: Any, built: Built) -> dict[str, Any]:
    key = _id(built, "aws_kms_key", "key_id")
    arn = _id(built, "aws_kms_key", "arn")
    enabled = bool(built.subject("aws_kms_key").attributes.get("enable_key_rotation"))
    kms = account.client("kms")
    (kms.disable_key_rotation if enabled else kms.enable_key_rotation)(KeyId=key)
    name = "DisableKeyRotation" if enabled else "EnableKeyRotation"
    return record(account.id, "kms.amazonaws.com", name, {"keyId": arn})


def _route(account: Any, built: Built) -> dict[str, Any]:
    table = _id(built, "aws_route_table")
    cidr = "10.99.0.0/16"
    igw = _id(built, "aws_internet_gateway")
    account.client("ec2").create_route(RouteTableId=table, DestinationCidrBlock=cidr, GatewayId=igw)
    request = {"routeTableId": table, "destinationCidrBlock": cidr, "gatewayId": igw}
    return record(account.id, "ec2.amazonaws.com", "CreateRoute", request, {"_return": True})


def _inline_policy(account: Any, built: Built) -> dict[str, Any]:
    role = str(built.subject("aws_iam_role_policy").attributes["role"])
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
    account.client("iam").put_role_policy(
        RoleName=role, PolicyName="app", PolicyDocument=json.dumps(document)
    )
    request = {"roleName": role, "policyName": "app"}
    return record(account.id, "iam.amazonaws.com", "PutRolePolicy", request)


_WIDER = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}


def _group_policy(account: Any, built: Built) -> dict[str, Any]:
    group = str(built.subject("aws_iam_group_policy").attributes["group"])
    account.client("iam").put_group_policy(
        GroupName=group, PolicyName="app", PolicyDocument=json.dumps(_WIDER)
    )
    request = {"groupName": group, "policyName": "app"}
    return record(account.id, "iam.amazonaws.com", "PutGroupPolicy", request)


def _group_attach(account: Any, built: Built) -> dict[str, Any]:
    group = str(built.subject("aws_iam_group_policy_attachment").attributes["group"])
    arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    account.client("iam").attach_group_policy(GroupName=group, PolicyArn=arn)
    request = {"groupName": group, "policyArn": arn}
    return record(account.id, "iam.amazonaws.com", "AttachGroupPolicy", request)


def _user_policy(account: Any, built: Built) -> dict[str, Any]:
    user = str(built.subject("aws_iam_user_policy").attributes["user"])
    account.client("iam").put_user_policy(
        UserName=user, PolicyName="app", PolicyDocument=json.dumps(_WIDER)
    )
    request = {"userName": user, "policyName": "app"}
    return record(account.id, "iam.amazonaws.com", "PutUserPolicy", request)


def _key_status(with_user: bool) -> Change:
    """A key reactivated: by an admin, naming the user, or by the user on their own key
    (no `userName`: the key's owner is asked of IAM)."""

    def change(account: Any, built: Built) -> dict[str, Any]:
        attrs = built.subject("aws_iam_access_key").attributes
        key, user = str(attrs["id"]), str(attrs["user"])
        account.client("iam").update_access_key(UserName=user, AccessKeyId=key, Status="Active")
        request = {
            "accessKeyId": key,
            "status": "Active",
            **({"userName": user} if with_user else {}),
        }
        return record(account.id, "iam.amazonaws.com", "UpdateAccessKey", request)

    return change


def _repository_policy(account: Any, built: Built) -> dict[str, Any]:
    name = str(built.subject("aws_ecr_repository_policy").attributes["repository"])
    policy = {
        "Version": "2008-10-17",
        "Statement": [{"Sid": "all", "Effect": "Allow", "Principal": "*", "Action": "ecr:*"}],
    }
    account.client("ecr").set_repository_policy(repositoryName=name, policyText=json.dumps(policy))
    request = {"repositoryName": name, "policyText": json.dumps(policy)}
    response = {"repositoryName": name, "policyText": json.dumps(policy)}
    return record(account.id, "ecr.amazonaws.com", "SetRepositoryPolicy", request, response)


def _default_route(account: Any, built: Built) -> dict[str, Any]:
    table = _id(built, "aws_default_route_table")
    igw = _id(built, "aws_internet_gateway")
    cidr = "10.99.0.0/16"
    account.client("ec2").create_route(RouteTableId=table, DestinationCidrBlock=cidr, GatewayId=igw)
    request = {"routeTableId": table, "destinationCidrBlock": cidr, "gatewayId": igw}
    return record(account.id, "ec2.amazonaws.com", "CreateRoute", request, {"_return": True})


def _default_acl_entry(account: Any, built: Built) -> dict[str, Any]:
    acl = _id(built, "aws_default_network_acl")
    account.client("ec2").create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=80,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 3389, "To": 3389},
    )
    request = {
        "networkAclId": acl,
        "ruleNumber": 80,
        "protocol": "6",
        "ruleAction": "allow",
        "egress": False,
        "cidrBlock": "0.0.0.0/0",
        "portRange": {"from": 3389, "to": 3389},
    }
    return record(
        account.id, "ec2.amazonaws.com", "CreateNetworkAclEntry", request, {"_return": True}
    )


def _reassociate(account: Any, built: Built) -> dict[str, Any]:
    """The address moved to another interface of the subnet by hand: a new association."""
    attrs = built.subject("aws_eip_association").attributes
    ec2 = account.client("ec2")
    subnet = _id(built, "aws_subnet")
    other = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]
    association = ec2.associate_address(
        AllocationId=attrs["allocation_id"],
        NetworkInterfaceId=other["NetworkInterfaceId"],
        AllowReassociation=True,
    )["AssociationId"]
    request = {
        "allocationId": attrs["allocation_id"],
        "networkInterfaceId": other["NetworkInterfaceId"],
        "allowReassociation": True,
    }
    response = {"_return": True, "associationId": association}
    return record(account.id, "ec2.amazonaws.com", "AssociateAddress", request, response)


def _retarget_alias(account: Any, built: Built) -> dict[str, Any]:
    alias = str(built.subject("aws_kms_alias").attributes["name"])
    kms = account.client("kms")
    other = kms.create_key(Description="another")["KeyMetadata"]["KeyId"]
    kms.update_alias(AliasName=alias, TargetKeyId=other)
    request = {"aliasName": alias, "targetKeyId": other}
    return record(account.id, "kms.amazonaws.com", "UpdateAlias", request)


def _lb_tags(account: Any, built: Built) -> dict[str, Any]:
    arn = _id(built, "aws_lb", "arn")
    account.client("elbv2").add_tags(
        ResourceArns=[arn], Tags=[{"Key": "Owner", "Value": "mallory"}]
    )
    request = {"resourceArns": [arn], "tags": [{"key": "Owner", "value": "mallory"}]}
    return record(account.id, "elasticloadbalancing.amazonaws.com", "AddTags", request)


def _subnet_group_tags(account: Any, built: Built) -> dict[str, Any]:
    # (moto's ModifyDBSubnetGroup loses the group: a tag call instead, naming it by ARN)
    arn = _id(built, "aws_db_subnet_group", "arn")
    tags = [{"Key": "Owner", "Value": "mallory"}]
    account.client("rds").add_tags_to_resource(ResourceName=arn, Tags=tags)
    request = {"resourceName": arn, "tags": [{"key": "Owner", "value": "mallory"}]}
    return record(account.id, "rds.amazonaws.com", "AddTagsToResource", request)


def _log_retention(account: Any, built: Built) -> dict[str, Any]:
    name = _id(built, "aws_cloudwatch_log_group", "name")
    account.client("logs").put_retention_policy(logGroupName=name, retentionInDays=7)
    request = {"logGroupName": name, "retentionInDays": 7}
    return record(account.id, "logs.amazonaws.com", "PutRetentionPolicy", request)


def _secret_description(account: Any, built: Built) -> dict[str, Any]:
    arn = _id(built, "aws_secretsmanager_secret", "arn")
    account.client("secretsmanager").update_secret(SecretId=arn, Description="changed by hand")
    request = {"secretId": arn, "description": "changed by hand"}
    return record(account.id, "secretsmanager.amazonaws.com", "UpdateSecret", request)


def _parameter_value(account: Any, built: Built) -> dict[str, Any]:
    # a new value by hand: AWS bumps the version the state records (driftq never reads it)
    name = _id(built, "aws_ssm_parameter")
    account.client("ssm").put_parameter(
        Name=name, Value="changed", Type="SecureString", Overwrite=True
    )
    request = {"name": name, "type": "SecureString", "overwrite": True}
    return record(
        account.id, "ssm.amazonaws.com", "PutParameter", request, {"version": 2, "tier": "Standard"}
    )


def _parameter_tags(account: Any, built: Built) -> dict[str, Any]:
    name = _id(built, "aws_ssm_parameter")
    account.client("ssm").add_tags_to_resource(
        ResourceType="Parameter", ResourceId=name, Tags=[{"Key": "Owner", "Value": "mallory"}]
    )
    request = {
        "resourceType": "Parameter",
        "resourceId": name,
        "tags": [{"key": "Owner", "value": "mallory"}],
    }
    return record(account.id, "ssm.amazonaws.com", "AddTagsToResource", request)


def _subscription_attribute(account: Any, built: Built) -> dict[str, Any]:
    arn = _id(built, "aws_sns_topic_subscription")
    account.client("sns").set_subscription_attributes(
        SubscriptionArn=arn, AttributeName="RawMessageDelivery", AttributeValue="false"
    )
    request = {
        "subscriptionArn": arn,
        "attributeName": "RawMessageDelivery",
        "attributeValue": "false",
    }
    return record(account.id, "sns.amazonaws.com", "SetSubscriptionAttributes", request)


def _zone_tags(account: Any, built: Built) -> dict[str, Any]:
    zone = _id(built, "aws_route53_zone")
    account.client("route53").change_tags_for_resource(
        ResourceType="hostedzone", ResourceId=zone, AddTags=[{"Key": "Owner", "Value": "mallory"}]
    )
    request = {
        "resourceType": "hostedzone",
        "resourceId": zone,
        "addTags": [{"key": "Owner", "value": "mallory"}],
    }
    return record(account.id, "route53.amazonaws.com", "ChangeTagsForResource", request)


def _camel(value: Any) -> Any:
    # CloudTrail's requestParameters spell the API's members in lower camel case (`tTL`)
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _record_ttl(account: Any, built: Built) -> dict[str, Any]:
    """The console's edit of the record's TTL: an UPSERT of the whole record set as it is
    (its set identifier and routing too: without them it would name another record set,
    which AWS refuses next to a routed one), with only the TTL changed."""
    attrs = built.subject("aws_route53_record").attributes
    route53 = account.client("route53")
    answer = route53.list_resource_record_sets(
        HostedZoneId=attrs["zone_id"],
        StartRecordName=attrs["fqdn"],
        StartRecordType=attrs["type"],
        **({"StartRecordIdentifier": attrs["set_identifier"]} if attrs["set_identifier"] else {}),
    )
    current = next(
        r
        for r in answer["ResourceRecordSets"]
        if r["Name"].rstrip(".") == attrs["fqdn"]
        and r["Type"] == attrs["type"]
        and r.get("SetIdentifier", "") == attrs["set_identifier"]
    )
    assert current["TTL"] != 60
    changed = {**current, "TTL": 60}
    route53.change_resource_record_sets(
        HostedZoneId=attrs["zone_id"],
        ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": changed}]},
    )
    request = {
        "hostedZoneId": attrs["zone_id"],
        "changeBatch": {"changes": [{"action": "UPSERT", "resourceRecordSet": _camel(changed)}]},
    }
    response = {"changeInfo": {"id": "/change/C2682N5HXP0BZ4", "status": "PENDING"}}
    return record(
        account.id, "route53.amazonaws.com", "ChangeResourceRecordSets", request, response
    )


def _listener_port(account: Any, built: Built) -> dict[str, Any]:
    arn = _id(built, "aws_lb_listener")
    account.client("elbv2").modify_listener(ListenerArn=arn, Port=8080)
    request = {"listenerArn": arn, "port": 8080}
    response = {"listeners": [{"listenerArn": arn, "port": 8080, "protocol": "HTTP"}]}
    return record(
        account.id, "elasticloadbalancing.amazonaws.com", "ModifyListener", request, response
    )


def _service_count(account: Any, built: Built) -> dict[str, Any]:
    attrs = built.subject("aws_ecs_service").attributes
    cluster = str(attrs["cluster"]).rsplit("/", 1)[-1]
    account.client("ecs").update_service(cluster=cluster, service=attrs["name"], desiredCount=5)
    request = {"cluster": cluster, "service": attrs["name"], "desiredCount": 5}
    response = {"service": {"serviceArn": attrs["arn"], "serviceName": attrs["name"]}}
    return record(account.id, "ecs.amazonaws.com", "UpdateService", request, response)


def _ecs_tags(rtype: str) -> Change:
    # TagResource names any ECS resource by ARN: only its own type is rescanned
    def change(account: Any, built: Built) -> dict[str, Any]:
        arn = _id(built, rtype, "arn")
        account.client("ecs").tag_resource(
            resourceArn=arn, tags=[{"key": "Owner", "value": "mallory"}]
        )
        request = {"resourceArn": arn, "tags": [{"key": "Owner", "value": "mallory"}]}
        return record(account.id, "ecs.amazonaws.com", "TagResource", request)

    return change


def _cluster_settings(account: Any, built: Built) -> dict[str, Any]:
    # UpdateCluster, not UpdateClusterSettings: moto 5.2.5 has no UpdateClusterSettings (500)
    name = _id(built, "aws_ecs_cluster", "name")
    settings = [{"name": "containerInsights", "value": "disabled"}]
    account.client("ecs").update_cluster(cluster=name, settings=settings)
    request = {"cluster": name, "settings": settings}
    return record(account.id, "ecs.amazonaws.com", "UpdateCluster", request)


def _group_tags(account: Any, built: Built) -> dict[str, Any]:
    name = _id(built, "aws_autoscaling_group", "name")
    tag = {
        "ResourceId": name,
        "ResourceType": "auto-scaling-group",
        "Key": "Owner",
        "Value": "mallory",
        "PropagateAtLaunch": False,
    }
    account.client("autoscaling").create_or_update_tags(Tags=[tag])
    request = {"tags": [{k[0].lower() + k[1:]: v for k, v in tag.items()}]}
    return record(account.id, "autoscaling.amazonaws.com", "CreateOrUpdateTags", request)


def _template_tags(account: Any, built: Built) -> dict[str, Any]:
    template = _id(built, "aws_launch_template")
    account.client("ec2").create_tags(
        Resources=[template], Tags=[{"Key": "Hotfix", "Value": "yes"}]
    )
    request = {
        "resourcesSet": {"items": [{"resourceId": template}]},
        "tagSet": {"items": [{"key": "Hotfix", "value": "yes"}]},
    }
    return record(account.id, "ec2.amazonaws.com", "CreateTags", request, {"_return": True})


def _current_template_tags(account: Any) -> list[tuple[str, Callable[..., None]]]:
    """moto's DescribeLaunchTemplates answers the tags a template was created with (moto
    5.2.5 keeps a copy made at CreateLaunchTemplate: `LaunchTemplate.tags`), where AWS
    answers its current ones; CreateTags/DeleteTags change only moto's tag store. This puts
    moto's own current tags (its DescribeTags) in the answer, as AWS gives it."""

    def fill(parsed: dict[str, Any], **_: Any) -> None:
        ec2 = account.client("ec2")
        for template in parsed.get("LaunchTemplates") or []:
            tid = template["LaunchTemplateId"]
            tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [tid]}])["Tags"]
            template["Tags"] = [{"Key": t["Key"], "Value": t["Value"]} for t in tags]

    return [("after-call.ec2.DescribeLaunchTemplates", fill)]


@dataclass(frozen=True)
class EventCase:
    name: str
    type: str  # the TypeCase that builds the resource
    change: Change
    expected: set[tuple[str, str, str]]  # (kind, type, attribute or "")
    # where moto answers otherwise than AWS: hooks that put AWS's answer together from
    # moto's own data (each says which answer and why)
    moto_gap: Callable[[Any], list[tuple[str, Callable[..., None]]]] | None = None


EVENT_CASES = [
    EventCase("DeleteLaunchConfiguration", "aws_launch_configuration", _launch_configuration_deleted, {("missing", "aws_launch_configuration", "")}),
    EventCase("AuthorizeSecurityGroupIngress", "aws_security_group", _sg_ingress, {("drifted", "aws_security_group", "ingress")}),
    EventCase("ModifyVpcAttribute", "aws_vpc", _vpc_attribute, {("drifted", "aws_vpc", "enable_dns_hostnames")}),
    EventCase("ModifySubnetAttribute", "aws_subnet", _subnet_attribute, {("drifted", "aws_subnet", "map_public_ip_on_launch")}),
    EventCase("CreateTags", "aws_instance", _instance_tags, {("drifted", "aws_instance", "tags.Hotfix")}),
    EventCase("UpdateRole", "aws_iam_role", _role_duration, {("drifted", "aws_iam_role", "max_session_duration")}),
    EventCase("AttachRolePolicy", "aws_iam_role", _attach_policy, {("unmanaged", "aws_iam_role_policy_attachment", "")}),
    EventCase("TagUser", "aws_iam_user", _tag_user, {("drifted", "aws_iam_user", "tags.Owner")}),
    EventCase("CreatePolicyVersion", "aws_iam_policy", _policy_version, {("drifted", "aws_iam_policy", "policy")}),
    EventCase("PutBucketVersioning", "aws_s3_bucket_versioning", _bucket_versioning, {("drifted", "aws_s3_bucket_versioning", "versioning_configuration")}),
    EventCase("PutBucketPolicy", "aws_s3_bucket_policy", _bucket_policy, {("drifted", "aws_s3_bucket_policy", "policy")}),
    EventCase("PutBucketPublicAccessBlock", "aws_s3_bucket_public_access_block", _public_access, {("drifted", "aws_s3_bucket_public_access_block", "*")}),
    EventCase("PutBucketTagging", "aws_s3_bucket", _bucket_tags, {("drifted", "aws_s3_bucket", "tags.CostCenter")}),
    EventCase("PutBucketEncryption", "aws_s3_bucket_server_side_encryption_configuration", _encryption, {("drifted", "aws_s3_bucket_server_side_encryption_configuration", "*")}),
    EventCase("UpdateFunctionConfiguration20150331v2", "aws_lambda_function", _function_timeout, {("drifted", "aws_lambda_function", "timeout")}),
    EventCase("SetQueueAttributes", "aws_sqs_queue", _queue_attribute, {("drifted", "aws_sqs_queue", "visibility_timeout_seconds")}),
    EventCase("SetTopicAttributes", "aws_sns_topic", _topic_attribute, {("drifted", "aws_sns_topic", "display_name")}),
    EventCase("TagResource", "aws_dynamodb_table", _table_tags, {("drifted", "aws_dynamodb_table", "tags.Owner")}),
    EventCase("UpdateKeyDescription", "aws_kms_key", _key_description, {("drifted", "aws_kms_key", "description")}),
    EventCase("EnableKeyRotation", "aws_kms_key", _key_rotation, {("drifted", "aws_kms_key", "enable_key_rotation")}),
    EventCase("CreateRoute", "aws_route_table", _route, {("drifted", "aws_route_table", "route")}),
    EventCase("PutRolePolicy", "aws_iam_role_policy", _inline_policy, {("drifted", "aws_iam_role_policy", "policy")}),
    EventCase("UpdateAlias", "aws_kms_alias", _retarget_alias, {("drifted", "aws_kms_alias", "target_key_id")}),
    EventCase("AddTags", "aws_lb", _lb_tags, {("drifted", "aws_lb", "tags.Owner")}),
    EventCase("AddTagsToResource", "aws_db_subnet_group", _subnet_group_tags, {("drifted", "aws_db_subnet_group", "tags.Owner")}),
    EventCase("PutRetentionPolicy", "aws_cloudwatch_log_group", _log_retention, {("drifted", "aws_cloudwatch_log_group", "retention_in_days")}),
    EventCase("UpdateSecret", "aws_secretsmanager_secret", _secret_description, {("drifted", "aws_secretsmanager_secret", "description")}),
    EventCase("PutParameter", "aws_ssm_parameter", _parameter_value, {("drifted", "aws_ssm_parameter", "version")}),
    EventCase("AddTagsToResource-ssm", "aws_ssm_parameter", _parameter_tags, {("drifted", "aws_ssm_parameter", "tags.Owner")}),
    EventCase("SetSubscriptionAttributes", "aws_sns_topic_subscription", _subscription_attribute, {("drifted", "aws_sns_topic_subscription", "raw_message_delivery")}),
    EventCase("ChangeTagsForResource", "aws_route53_zone", _zone_tags, {("drifted", "aws_route53_zone", "tags.Owner")}),
    EventCase("PutGroupPolicy", "aws_iam_group_policy", _group_policy, {("drifted", "aws_iam_group_policy", "policy")}),
    EventCase("AttachGroupPolicy", "aws_iam_group_policy_attachment", _group_attach, {("unmanaged", "aws_iam_group_policy_attachment", "")}),
    EventCase("PutUserPolicy", "aws_iam_user_policy", _user_policy, {("drifted", "aws_iam_user_policy", "policy")}),
    EventCase("UpdateAccessKey", "aws_iam_access_key", _key_status(with_user=True), {("drifted", "aws_iam_access_key", "status")}),
    EventCase("UpdateAccessKey-own-key", "aws_iam_access_key", _key_status(with_user=False), {("drifted", "aws_iam_access_key", "status")}),
    EventCase("SetRepositoryPolicy", "aws_ecr_repository_policy", _repository_policy, {("drifted", "aws_ecr_repository_policy", "policy")}),
    EventCase("CreateRoute-default-table", "aws_default_route_table", _default_route, {("drifted", "aws_default_route_table", "route")}),
    EventCase("CreateNetworkAclEntry-default-acl", "aws_default_network_acl", _default_acl_entry, {("drifted", "aws_default_network_acl", "ingress")}),
    EventCase("AssociateAddress", "aws_eip_association", _reassociate, {("missing", "aws_eip_association", ""), ("unmanaged", "aws_eip_association", "")}),
    EventCase("ChangeResourceRecordSets", "aws_route53_record", _record_ttl, {("drifted", "aws_route53_record", "ttl")}),
    EventCase("ModifyListener", "aws_lb_listener", _listener_port, {("drifted", "aws_lb_listener", "port")}),
    EventCase("UpdateService", "aws_ecs_service", _service_count, {("drifted", "aws_ecs_service", "desired_count")}),
    EventCase("TagResource-ecs-task-definition", "aws_ecs_task_definition", _ecs_tags("aws_ecs_task_definition"), {("drifted", "aws_ecs_task_definition", "tags.Owner")}),
    EventCase("TagResource-ecs-cluster", "aws_ecs_cluster", _ecs_tags("aws_ecs_cluster"), {("drifted", "aws_ecs_cluster", "tags.Owner")}),
    EventCase("UpdateCluster", "aws_ecs_cluster", _cluster_settings, {("drifted", "aws_ecs_cluster", "setting")}),
    EventCase("CreateOrUpdateTags", "aws_autoscaling_group", _group_tags, {("drifted", "aws_autoscaling_group", "tag")}),
    EventCase("CreateTags-launch-template", "aws_launch_template", _template_tags, {("drifted", "aws_launch_template", "tags.Hotfix")}, moto_gap=_current_template_tags),
]  # fmt: skip


# every listing a spec makes (its own or a batch it joins): one sent without an id-narrowing
# parameter reads the whole type
_LISTINGS = {
    call.operation
    for spec in REGISTRY.values()
    for call in (spec.list_call, *(s.source for s in spec.calls if isinstance(s, Join)))
    if call is not None
} | {
    "GetResources",
    "ListAliases",
    # the listings of types read by their own code
    "ListClusters",
    "ListServices",
    "ListTaskDefinitions",
    "DescribeLoadBalancers",
    "DescribeListeners",
    "ListHostedZones",
    "ListResourceRecordSets",
}
_BY_ID = {
    "InstanceIds", "VpcIds", "SubnetIds", "GroupIds", "RouteTableIds", "NetworkAclIds",
    "InternetGatewayIds", "NatGatewayIds", "AllocationIds", "VolumeIds", "VpcEndpointIds",
    "KeyNames", "Filters", "QueueNamePrefix", "KeyId", "ResourceARNList", "QueueUrl",
    "LoadBalancerArns", "TargetGroupArns", "DBSubnetGroupName", "repositoryNames",
    "AutoScalingGroupNames", "AlarmNames", "trailNameList", "CacheClusterId",
    "logGroupNamePrefix", "DBInstanceIdentifier", "DBClusterIdentifier",
    "LaunchTemplateIds", "LaunchTemplateId", "ParameterFilters", "familyPrefix", "ListenerArns",
    "HostedZoneId", "LaunchConfigurationNames", "Filter",  # DescribeNatGateways' filters
}  # fmt: skip


def _whole_type(operation: str, params: dict[str, Any]) -> bool:
    return operation in _LISTINGS and not _BY_ID & set(params)


def _recording(calls: list[tuple[str, dict[str, Any]]]) -> Callable[..., None]:
    def record_call(model: Any, params: dict[str, Any], **_: Any) -> None:
        calls.append((model.name, dict(params)))

    return record_call


def _found(findings: list[Any]) -> set[tuple[str, str, str]]:
    out = set()
    for f in findings:
        attributes = [c.attribute for c in f.changes] or [""]
        out |= {(f.kind, f.resource_type, a) for a in attributes}
    return out


def _matches(found: set[tuple[str, str, str]], expected: set[tuple[str, str, str]]) -> bool:
    """``*`` stands for any attribute of that finding (several settings may change at once)."""
    loose = {(k, t) for k, t, a in expected if a == "*"}
    exact = {e for e in expected if e[2] != "*"}
    rest = {f for f in found if (f[0], f[1]) not in loose}
    return rest == exact and all(any((f[0], f[1]) == lt for f in found) for lt in loose)


def _build(rtype: str, account: Any) -> Built:
    build = BY_TYPE[rtype].build
    assert build is not None
    return build(account)


@pytest.fixture(scope="module")
def event_account(moto_server: Any) -> Any:
    """One moto account for the cases of this module: a targeted scan reads only the
    resources its event names, so each case's resources are its own (and moto sets an
    account up once: its default VPC, its services' stores)."""
    return new_test_account()


# their builder is test_ec2's network, whose names are fixed (the key pair `ops`): once an
# account
_OWN_ACCOUNT = frozenset({"aws_vpc", "aws_subnet", "aws_instance", "aws_security_group"})


def _setup(case: EventCase, tmp_path: Path, shared: Any) -> tuple[Any, Built, Any]:
    type_case = BY_TYPE[case.type]
    assert type_case.build is not None
    account = new_test_account() if case.type in _OWN_ACCOUNT else shared
    built = type_case.build(account)
    path = built.state().write(tmp_path / "terraform.tfstate")
    return account, built, single_account_config(account, path, [type_case.region])


@pytest.mark.parametrize("case", EVENT_CASES, ids=lambda c: c.name)
def test_event_finds_exactly_the_drift_it_made(
    case: EventCase, aws: Any, event_account: Any, tmp_path: Path
) -> None:
    account, built, config = _setup(case, tmp_path, event_account)
    rec = case.change(account, built)
    outcome = plan_calls(config, calls_from(eventbridge(rec)))
    assert not outcome.rejected and not outcome.ignored, outcome
    calls: list[tuple[str, dict[str, Any]]] = []
    gap = case.moto_gap(account) if case.moto_gap is not None else []
    recorder = AwsAccess(hooks=[("before-parameter-build", _recording(calls)), *gap])
    run = run_targets(config, outcome.targets, tmp_path / "report", aws=recorder)
    assert all(r.status == "ok" for r in run.results), [r.error_message for r in run.results]
    # the event named its resource: read alone, never by listing the type
    assert not [c for c in calls if _whole_type(*c)], [c for c in calls if _whole_type(*c)]
    found = _found(run.findings)
    assert _matches(found, case.expected), found
    for finding in run.findings:
        assert finding.changed_by is not None
        assert finding.changed_by["principal"] == principal(account.id)
        assert finding.changed_by["event_name"] == rec["eventName"].removesuffix("20150331v2")
        assert finding.changed_by["source_ip"] == "203.0.113.24"


def test_the_cases_cover_fifteen_event_names_and_every_service() -> None:
    names = {c.name for c in EVENT_CASES}
    services = {BY_TYPE[c.type].unit.service for c in EVENT_CASES}
    assert len(names) >= 15
    assert services >= {"ec2", "iam", "s3", "lambda", "sqs", "sns", "dynamodb", "kms"}


def _terraform_update(account: Any, built: Built, tmp_path: Path, state_follows: bool) -> Any:
    """Terraform's own UpdateRole; with ``state_follows`` its apply also wrote the state."""
    role = built.subject("aws_iam_role")
    account.client("iam").update_role(
        RoleName=role.attributes["name"], MaxSessionDuration=43200, Description="the app"
    )
    if state_follows:
        role.attributes["max_session_duration"] = 43200
    path = built.state().write(tmp_path / "terraform.tfstate")
    request = {"roleName": role.attributes["name"], "maxSessionDuration": 43200}
    rec = record(account.id, "iam.amazonaws.com", "UpdateRole", request, agent=TERRAFORM_AGENT)
    config = single_account_config(account, path)
    outcome = plan_calls(config, calls_from(rec))
    assert [c.by_terraform for t in outcome.targets for c in t.calls] == [True]
    return run_targets(config, outcome.targets, tmp_path / "report")


_ROLE_DURATION = next(c for c in EVENT_CASES if c.name == "UpdateRole")


def test_terraform_made_change_raises_nothing(aws: Any, event_account: Any, tmp_path: Path) -> None:
    account, built, _ = _setup(_ROLE_DURATION, tmp_path, event_account)
    run = _terraform_update(account, built, tmp_path, state_follows=True)
    assert run.findings == []
    assert run.finalized.report["run_id"]  # recorded as a run all the same


def test_terraform_made_change_still_differing_from_state_is_reported(
    aws: Any, event_account: Any, tmp_path: Path
) -> None:
    account, built, _ = _setup(_ROLE_DURATION, tmp_path, event_account)
    run = _terraform_update(account, built, tmp_path, state_follows=False)
    assert _found(run.findings) == {("drifted", "aws_iam_role", "max_session_duration")}
    assert run.findings[0].changed_by and run.findings[0].changed_by["by_terraform"] is True


def test_one_resource_is_listed_alone_and_a_deleted_one_is_still_missing(
    aws: Any, tmp_path: Path
) -> None:
    """Listings that take an id (SQS's name prefix, EC2's ids) ask for the named resource
    only: no detail call for the others. A narrowed listing of a deleted group fails, and
    the whole listing then reports it missing."""
    from driftq.aws import AwsAccess
    from tests.resources.test_sqs import make_queue, tf_queue
    from tests.support.estate import StateFile, unique

    account = new_test_account()
    names = [unique("q"), unique("q"), unique("q")]
    urls = [make_queue(account, n) for n in names]
    state = StateFile()
    for i, name in enumerate(names):
        state.add("aws_sqs_queue", f"q{i}", tf_queue(account, name))
    group = account.client("ec2").create_security_group(GroupName=unique("sg"), Description="d")
    config = single_account_config(account, state.write(tmp_path / "s.tfstate"))
    calls: list[tuple[str, dict[str, Any]]] = []

    def count(model: Any, params: dict[str, Any], **_: Any) -> None:
        calls.append((model.name, params))

    aws_access = AwsAccess(hooks=[("before-parameter-build", count)])
    account.client("sqs").set_queue_attributes(QueueUrl=urls[1], Attributes={"DelaySeconds": "7"})
    rec = record(account.id, "sqs.amazonaws.com", "SetQueueAttributes", {"queueUrl": urls[1]})
    outcome = plan_calls(config, calls_from(rec))
    run = run_targets(config, outcome.targets, tmp_path / "r1", aws=aws_access)
    assert _found(run.findings) == {("drifted", "aws_sqs_queue", "delay_seconds")}
    named = {str(p["QueueUrl"]) for _, p in calls if "QueueUrl" in p}
    assert named and all(u.endswith(names[1]) for u in named), named
    listed = [p for op, p in calls if op == "ListQueues"]
    assert listed and all(names[1] in str(p) for p in listed)

    # a deleted group: the narrowed DescribeSecurityGroups fails, the whole listing follows
    group_id = group["GroupId"]
    state = StateFile().add("aws_security_group", "g", {"id": group_id, "name": "g", "vpc_id": ""})
    config = single_account_config(account, state.write(tmp_path / "g.tfstate"))
    account.client("ec2").delete_security_group(GroupId=group_id)
    rec = record(account.id, "ec2.amazonaws.com", "DeleteSecurityGroup", {"groupId": group_id})
    run = run_targets(config, plan_calls(config, calls_from(rec)).targets, tmp_path / "r2")
    assert [r.status for r in run.results] == ["ok"]
    assert ("missing", "aws_security_group", "") in _found(run.findings)


def test_a_table_is_read_alone_and_a_deleted_one_is_missing(aws: Any, tmp_path: Path) -> None:
    """DynamoDB's ListTables takes no id: the targeted scan reads the named table only (no
    listing, one DescribeTable); a table deleted since is dropped as gone, so missing."""
    from driftq.aws import AwsAccess
    from tests.resources.test_dynamodb import make_table, tf_table
    from tests.support.estate import StateFile, unique

    account = new_test_account()
    names = [unique("table"), unique("table")]
    arns = [make_table(account, n) for n in names]
    state = StateFile()
    for i, name in enumerate(names):
        state.add("aws_dynamodb_table", f"t{i}", tf_table(account, name))
    config = single_account_config(account, state.write(tmp_path / "s.tfstate"))
    calls: list[tuple[str, dict[str, Any]]] = []
    aws_access = AwsAccess(
        hooks=[
            (
                "before-parameter-build",
                lambda model, params, **_: calls.append((model.name, params)),
            )
        ]
    )
    dynamodb = account.client("dynamodb")
    dynamodb.tag_resource(ResourceArn=arns[0], Tags=[{"Key": "Owner", "Value": "mallory"}])
    rec = record(account.id, "dynamodb.amazonaws.com", "TagResource", {"resourceArn": arns[0]})
    run = run_targets(
        config, plan_calls(config, calls_from(rec)).targets, tmp_path / "r1", aws=aws_access
    )
    assert _found(run.findings) == {("drifted", "aws_dynamodb_table", "tags.Owner")}
    assert "ListTables" not in {op for op, _ in calls}
    assert {p["TableName"] for op, p in calls if op == "DescribeTable"} == {names[0]}

    dynamodb.delete_table(TableName=names[1])
    rec = record(account.id, "dynamodb.amazonaws.com", "DeleteTable", {"tableName": names[1]})
    run = run_targets(config, plan_calls(config, calls_from(rec)).targets, tmp_path / "r2")
    assert _found(run.findings) == {("missing", "aws_dynamodb_table", "")}


def test_resources_read_alone_that_are_gone_are_missing(aws: Any, tmp_path: Path) -> None:
    """A single-resource read of a deleted role (NoSuchEntity), bucket (NoSuchBucket) or key
    (PendingDeletion) gives no item: each is reported missing, and nothing else is listed."""
    from tests.resources.test_iam import _make_role, _role_state
    from tests.resources.test_kms import make_key, tf_key
    from tests.resources.test_s3 import make_bucket
    from tests.support.estate import StateFile, unique

    account = new_test_account()
    iam = account.client("iam")
    role = _make_role(iam, unique("role"))
    bucket = make_bucket(account, "gone")
    key = make_key(account, "gone")
    state = StateFile()
    state.add("aws_iam_role", "r", _role_state(role))
    state.add("aws_s3_bucket", "b", {"id": bucket, "bucket": bucket, "region": "us-east-1"})
    state.add("aws_kms_key", "k", tf_key(account, key, "gone"))
    config = single_account_config(account, state.write(tmp_path / "s.tfstate"))
    iam.delete_role(RoleName=role["RoleName"])
    account.client("s3").delete_bucket(Bucket=bucket)
    account.client("kms").schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    records = [
        record(account.id, "iam.amazonaws.com", "DeleteRole", {"roleName": role["RoleName"]}),
        record(account.id, "s3.amazonaws.com", "DeleteBucket", {"bucketName": bucket}),
        record(account.id, "kms.amazonaws.com", "ScheduleKeyDeletion", {"keyId": key}),
    ]
    calls: list[tuple[str, dict[str, Any]]] = []
    recorder = AwsAccess(hooks=[("before-parameter-build", _recording(calls))])
    outcome = plan_calls(config, [c for r in records for c in calls_from(r)])
    run = run_targets(config, outcome.targets, tmp_path / "r", aws=recorder)
    assert [r.status for r in run.results] == ["ok"] * 3
    assert _found(run.findings) == {
        ("missing", "aws_iam_role", ""),
        ("missing", "aws_s3_bucket", ""),
        ("missing", "aws_kms_key", ""),
    }
    assert not [c for c in calls if _whole_type(*c)]
    assert {op for op, _ in calls} >= {"GetRole", "GetBucketLocation", "DescribeKey"}


def test_a_parameter_is_read_alone_and_one_of_the_same_last_name_is_left_alone(
    aws: Any, event_account: Any, tmp_path: Path
) -> None:
    """SSM names share last segments (`/a/db/password`, `/b/db/password`): a targeted scan of
    one reads it alone (DescribeParameters by name, its tags by ListTagsForResource) and
    does not take the other, unread, for it (it would be reported missing). The other's own
    drift is left to its own event or the next full run. A deleted parameter is missing."""

    account = event_account
    first = _build("aws_ssm_parameter", account).resources[0]
    second = _build("aws_ssm_parameter", account).resources[0]
    names = [str(first.attributes["name"]), str(second.attributes["name"])]
    assert names[0].rsplit("/", 1)[-1] == names[1].rsplit("/", 1)[-1]
    state = Built([first, second], import_id=names[0]).state()
    config = single_account_config(account, state.write(tmp_path / "s.tfstate"))
    ssm = account.client("ssm")
    ssm.put_parameter(Name=names[0], Value="a", Type="SecureString", Overwrite=True)
    ssm.put_parameter(Name=names[1], Value="b", Type="SecureString", Overwrite=True)
    calls: list[tuple[str, dict[str, Any]]] = []
    recorder = AwsAccess(hooks=[("before-parameter-build", _recording(calls))])
    rec = record(account.id, "ssm.amazonaws.com", "PutParameter", {"name": names[0]})
    run = run_targets(
        config, plan_calls(config, calls_from(rec)).targets, tmp_path / "r1", aws=recorder
    )
    assert _found(run.findings) == {("drifted", "aws_ssm_parameter", "version")}
    assert [f.resource_id for f in run.findings] == [names[0]]
    assert not [c for c in calls if _whole_type(*c)]
    assert {p["ResourceId"] for op, p in calls if op == "ListTagsForResource"} == {names[0]}

    ssm.delete_parameter(Name=names[1])
    rec = record(account.id, "ssm.amazonaws.com", "DeleteParameter", {"name": names[1]})
    run = run_targets(config, plan_calls(config, calls_from(rec)).targets, tmp_path / "r2")
    assert _found(run.findings) == {("missing", "aws_ssm_parameter", "")}
    assert [f.resource_id for f in run.findings] == [names[1]]


def test_named_resources_read_by_their_own_calls_that_are_gone_are_missing(
    aws: Any, event_account: Any, tmp_path: Path
) -> None:
    """A listener, a zone, a subscription, an ECS service and a task definition deleted by
    hand: each single read answers no item (ListenerNotFound, NoSuchHostedZone, NotFound, an
    INACTIVE service, a revision no longer ACTIVE), so each is missing, and no type is
    listed whole."""
    account = event_account
    built = [
        _build(t, account)
        for t in ("aws_lb_listener", "aws_route53_zone", "aws_sns_topic_subscription")
    ]
    service = _build("aws_ecs_service", account)
    state = Built([r for b in [*built, service] for r in b.resources], import_id="").state()
    config = single_account_config(account, state.write(tmp_path / "s.tfstate"))
    listener = _id(built[0], "aws_lb_listener")
    zone = _id(built[1], "aws_route53_zone")
    subscription = _id(built[2], "aws_sns_topic_subscription")
    svc = service.subject("aws_ecs_service").attributes
    task = service.subject("aws_ecs_task_definition").attributes
    revision = f"{task['family']}:{task['revision']}"
    account.client("elbv2").delete_listener(ListenerArn=listener)
    account.client("route53").delete_hosted_zone(Id=zone)
    account.client("sns").unsubscribe(SubscriptionArn=subscription)
    ecs = account.client("ecs")
    ecs.delete_service(cluster=svc["cluster"], service=svc["name"], force=True)
    ecs.deregister_task_definition(taskDefinition=revision)
    elb, r53, sns = (
        "elasticloadbalancing.amazonaws.com",
        "route53.amazonaws.com",
        "sns.amazonaws.com",
    )
    records = [
        record(account.id, elb, "DeleteListener", {"listenerArn": listener}),
        record(account.id, r53, "DeleteHostedZone", {"id": zone}),
        record(account.id, sns, "Unsubscribe", {"subscriptionArn": subscription}),
        record(
            account.id,
            "ecs.amazonaws.com",
            "DeleteService",
            {"cluster": svc["cluster"], "service": svc["name"], "force": True},
            {"service": {"serviceArn": svc["arn"], "status": "DRAINING"}},
        ),
        record(
            account.id,
            "ecs.amazonaws.com",
            "DeregisterTaskDefinition",
            {"taskDefinition": revision},
            {"taskDefinition": {"taskDefinitionArn": task["arn"], "status": "INACTIVE"}},
        ),
    ]
    calls: list[tuple[str, dict[str, Any]]] = []
    recorder = AwsAccess(hooks=[("before-parameter-build", _recording(calls))])
    outcome = plan_calls(config, [c for r in records for c in calls_from(r)])
    assert not outcome.ignored and not outcome.rejected, outcome
    run = run_targets(config, outcome.targets, tmp_path / "r", aws=recorder)
    assert [r.status for r in run.results] == ["ok"] * len(run.results)
    assert _found(run.findings) == {
        ("missing", "aws_lb_listener", ""),
        ("missing", "aws_route53_zone", ""),
        ("missing", "aws_sns_topic_subscription", ""),
        ("missing", "aws_ecs_service", ""),
        ("missing", "aws_ecs_task_definition", ""),
    }
    assert not [c for c in calls if _whole_type(*c)], [c for c in calls if _whole_type(*c)]


def test_a_log_group_is_read_alone_and_one_of_the_same_last_name_is_left_alone(
    aws: Any, event_account: Any, tmp_path: Path
) -> None:
    """Log group names share last segments (`/<app>/a/logs`, `/<app>/b/logs`): the targeted
    scan lists the one by name prefix and compares it alone (the other, unread, was
    reported missing before the type had its own match)."""
    from tests.resources.harness import DEFAULT_TAGS, tags_state
    from tests.support.estate import StateFile, unique

    account = event_account
    template = _build("aws_cloudwatch_log_group", account).resources[0].attributes
    logs = account.client("logs")
    root = f"/{unique('svc')}"
    names = [f"{root}/a/logs", f"{root}/b/logs"]
    state = StateFile()
    for i, name in enumerate(names):
        logs.create_log_group(logGroupName=name, tags={"Name": name, **DEFAULT_TAGS})
        logs.put_retention_policy(logGroupName=name, retentionInDays=30)
        arn = str(template["arn"]).replace(str(template["name"]), name)
        attrs = {**template, "id": name, "name": name, "arn": arn, **tags_state({"Name": name})}
        state.add("aws_cloudwatch_log_group", f"g{i}", attrs)
    config = single_account_config(account, state.write(tmp_path / "s.tfstate"))
    logs.put_retention_policy(logGroupName=names[0], retentionInDays=7)
    rec = record(
        account.id,
        "logs.amazonaws.com",
        "PutRetentionPolicy",
        {"logGroupName": names[0], "retentionInDays": 7},
    )
    run = run_targets(config, plan_calls(config, calls_from(rec)).targets, tmp_path / "r")
    assert _found(run.findings) == {("drifted", "aws_cloudwatch_log_group", "retention_in_days")}
    assert [f.resource_id for f in run.findings] == [names[0]]


def test_a_health_check_tag_call_reads_no_zone_and_finds_nothing(
    aws: Any, event_account: Any, tmp_path: Path
) -> None:
    """Route 53's ChangeTagsForResource tags zones and health checks alike: a health check's
    id names no zone (GetHostedZone answers NoSuchHostedZone in moto; AWS may refuse the
    id as InvalidInput, read the same way), so nothing is listed and nothing found."""
    from tests.support.estate import unique

    account = event_account
    built = _build("aws_route53_zone", account)
    config = single_account_config(account, built.state().write(tmp_path / "s.tfstate"))
    route53 = account.client("route53")
    check = route53.create_health_check(
        CallerReference=unique("hc"),
        HealthCheckConfig={"Type": "HTTP", "FullyQualifiedDomainName": "example.com", "Port": 80},
    )["HealthCheck"]["Id"]
    tags = [{"Key": "Owner", "Value": "mallory"}]
    route53.change_tags_for_resource(ResourceType="healthcheck", ResourceId=check, AddTags=tags)
    request = {"resourceType": "healthcheck", "resourceId": check, "addTags": tags}
    rec = record(account.id, "route53.amazonaws.com", "ChangeTagsForResource", request)
    calls: list[tuple[str, dict[str, Any]]] = []
    recorder = AwsAccess(hooks=[("before-parameter-build", _recording(calls))])
    run = run_targets(
        config, plan_calls(config, calls_from(rec)).targets, tmp_path / "r", aws=recorder
    )
    assert [r.status for r in run.results] == ["ok"] and run.findings == []
    assert not [c for c in calls if _whole_type(*c)], calls
