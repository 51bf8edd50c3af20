"""Drifts planted in live twins (see test_driftctl_replay.py): after a clean scan of a real
state's twin, one change by hand per instance of these types, made with the call a person
would use in the console, and the scan must report exactly those attributes of exactly
those resources. The types are the later ones the replay covers, whose reading paths real
state shapes had not met: each planter changes a setting its type compares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from driftq.aws.emulator import adapt

Item = dict[str, Any]
# (client factory, the instance's attributes with live ids) -> the attribute paths changed
Planter = Callable[[Any, Item], set[str]]
PLANTERS: dict[str, Planter] = {}


def plants(rtype: str) -> Callable[[Planter], Planter]:
    def register(fn: Planter) -> Planter:
        PLANTERS[rtype] = fn
        return fn

    return register


@plants("aws_launch_template")
def _launch_template(client: Any, a: Item) -> set[str]:
    """A copy of the default version with another shutdown behaviour, made the default (the
    data copied here: moto ignores SourceVersion)."""
    ec2 = client("ec2")
    data = ec2.describe_launch_template_versions(LaunchTemplateId=a["id"], Versions=["$Default"])[
        "LaunchTemplateVersions"
    ][0]["LaunchTemplateData"]
    behaviour = "stop" if a.get("instance_initiated_shutdown_behavior") == "terminate" else "terminate"  # fmt: skip
    version = ec2.create_launch_template_version(
        LaunchTemplateId=a["id"],
        LaunchTemplateData={**data, "InstanceInitiatedShutdownBehavior": behaviour},
    )["LaunchTemplateVersion"]["VersionNumber"]
    ec2.modify_launch_template(LaunchTemplateId=a["id"], DefaultVersion=str(version))
    return {"default_version", "instance_initiated_shutdown_behavior"}


@plants("aws_nat_gateway")
def _nat_gateway(client: Any, a: Item) -> set[str]:
    client("ec2").create_tags(Resources=[a["id"]], Tags=[{"Key": "Name", "Value": "by-hand"}])
    return {"tags.Name"}


@plants("aws_lb")
def _lb(client: Any, a: Item) -> set[str]:
    client("elbv2").modify_load_balancer_attributes(
        LoadBalancerArn=a["arn"],
        Attributes=[
            {"Key": "idle_timeout.timeout_seconds", "Value": str(int(a["idle_timeout"]) + 60)}
        ],
    )
    return {"idle_timeout"}


@plants("aws_lb_target_group")
def _lb_target_group(client: Any, a: Item) -> set[str]:
    client("elbv2").modify_target_group(TargetGroupArn=a["arn"], HealthCheckPath="/by-hand")
    return {"health_check"}


@plants("aws_lb_listener")
def _lb_listener(client: Any, a: Item) -> set[str]:
    client("elbv2").modify_listener(ListenerArn=a["arn"], Port=int(a["port"]) + 8000)
    return {"port"}


@plants("aws_elasticache_cluster")
def _elasticache_cluster(client: Any, a: Item) -> set[str]:
    # moto has no ModifyCacheCluster: a tag added by hand
    arn = client("elasticache").describe_cache_clusters(CacheClusterId=a["cluster_id"])[
        "CacheClusters"
    ][0]["ARN"]
    client("elasticache").add_tags_to_resource(
        ResourceName=arn, Tags=[{"Key": "owner", "Value": "by-hand"}]
    )
    return {"tags.owner"}


@plants("aws_db_instance")
def _db_instance(client: Any, a: Item) -> set[str]:
    client("rds").modify_db_instance(
        DBInstanceIdentifier=a["identifier"],
        DeletionProtection=not a.get("deletion_protection"),
        ApplyImmediately=True,
    )
    return {"deletion_protection"}


@plants("aws_rds_cluster")
def _rds_cluster(client: Any, a: Item) -> set[str]:
    client("rds").modify_db_cluster(
        DBClusterIdentifier=a["cluster_identifier"],
        BackupRetentionPeriod=int(a["backup_retention_period"]) + 2,
        ApplyImmediately=True,
    )
    return {"backup_retention_period"}


@plants("aws_lambda_event_source_mapping")
def _lambda_event_source_mapping(client: Any, a: Item) -> set[str]:
    client("lambda").update_event_source_mapping(UUID=a["uuid"], BatchSize=int(a["batch_size"]) + 4)  # fmt: skip
    return {"batch_size"}


@plants("aws_cloudfront_distribution")
def _cloudfront_distribution(client: Any, a: Item) -> set[str]:
    cloudfront = client("cloudfront")
    answer = cloudfront.get_distribution_config(Id=a["id"])
    config = answer["DistributionConfig"]
    config["Comment"] = "changed by hand"
    cloudfront.update_distribution(Id=a["id"], IfMatch=answer["ETag"], DistributionConfig=config)
    return {"comment"}


_DESCRIBE_ONLY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}]}'  # fmt: skip


@plants("aws_iam_user_policy")
def _iam_user_policy(client: Any, a: Item) -> set[str]:
    client("iam").put_user_policy(UserName=a["user"], PolicyName=a["name"], PolicyDocument=_DESCRIBE_ONLY)  # fmt: skip
    return {"policy"}


@plants("aws_iam_group_policy")
def _iam_group_policy(client: Any, a: Item) -> set[str]:
    client("iam").put_group_policy(GroupName=a["group"], PolicyName=a["name"], PolicyDocument=_DESCRIBE_ONLY)  # fmt: skip
    return {"policy"}


@plants("aws_iam_access_key")
def _iam_access_key(client: Any, a: Item) -> set[str]:
    status = "Active" if a.get("status") == "Inactive" else "Inactive"
    client("iam").update_access_key(UserName=a["user"], AccessKeyId=a["id"], Status=status)
    return {"status"}


@plants("aws_ecr_repository_policy")
def _ecr_repository_policy(client: Any, a: Item) -> set[str]:
    policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "by-hand", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"}]}'  # fmt: skip
    client("ecr").set_repository_policy(repositoryName=a["repository"], policyText=policy)
    return {"policy"}


@plants("aws_default_network_acl")
def _default_network_acl(client: Any, a: Item) -> set[str]:
    """A rule added by hand to the ACL Terraform keeps the rules of."""
    client("ec2").create_network_acl_entry(
        NetworkAclId=a["id"],
        RuleNumber=4242,
        Protocol="6",
        RuleAction="deny",
        Egress=False,
        CidrBlock="192.0.2.0/24",
        PortRange={"From": 22, "To": 22},
    )
    return {"ingress"}


@plants("aws_default_route_table")
def _default_route_table(client: Any, a: Item) -> set[str]:
    """A route added by hand to the main table (to a gateway made for it)."""
    ec2 = client("ec2")
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=a["vpc_id"])
    ec2.create_route(RouteTableId=a["id"], DestinationCidrBlock="192.0.2.0/24", GatewayId=gateway)  # fmt: skip
    return {"route"}


@plants("aws_ebs_encryption_by_default")
def _ebs_encryption_by_default(client: Any, a: Item) -> set[str]:
    ec2 = client("ec2")
    if a.get("enabled"):
        ec2.disable_ebs_encryption_by_default()
    else:
        ec2.enable_ebs_encryption_by_default()
    return {"enabled"}


@plants("aws_s3_account_public_access_block")
def _s3_account_public_access_block(client: Any, a: Item) -> set[str]:
    """`ignore_public_acls` switched by hand, the other three as they are."""
    s3control = client("s3control")
    adapt(s3control)
    s3control.put_public_access_block(
        AccountId=a["account_id"],
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": bool(a.get("block_public_acls")),
            "BlockPublicPolicy": bool(a.get("block_public_policy")),
            "IgnorePublicAcls": not a.get("ignore_public_acls"),
            "RestrictPublicBuckets": bool(a.get("restrict_public_buckets")),
        },
    )
    return {"ignore_public_acls"}
