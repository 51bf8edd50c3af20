"""Live twins for the types added with the instance blocks: IAM inline group and user
policies, group attachments and access keys, ECR repository policies, Elastic IP
associations, and the default route table and network ACL a VPC comes with. What an
instance refers to but its state does not hold (a user, a group, a repository, a VPC, an
instance) is made once, as the other creators do."""

from __future__ import annotations

from typing import Any

from driftq.aws.emulator import adapt
from tests.replay.materialize import _vpc_for, creates
from tests.replay.materialize_more import _ALLOW_GET, _once
from tests.replay.materialize_network import _acl_entry, _tag

# --- IAM ------------------------------------------------------------------------------------


def _user(iam: Any, name: str) -> None:
    if name not in {u["UserName"] for u in iam.list_users()["Users"]}:
        iam.create_user(UserName=name)


def _group(iam: Any, name: str) -> None:
    if name not in {g["GroupName"] for g in iam.list_groups()["Groups"]}:
        iam.create_group(GroupName=name)


@creates("aws_iam_user_policy")
def _iam_user_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    iam = client("iam")
    _user(iam, a["user"])
    iam.put_user_policy(UserName=a["user"], PolicyName=a["name"], PolicyDocument=a["policy"])
    return {}


@creates("aws_iam_group_policy")
def _iam_group_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    iam = client("iam")
    _group(iam, a["group"])
    iam.put_group_policy(GroupName=a["group"], PolicyName=a["name"], PolicyDocument=a["policy"])
    return {}


@creates("aws_iam_group_policy_attachment")
def _iam_group_policy_attachment(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """The group and a customer policy (not in the state) are made when missing."""
    iam = client("iam")
    _group(iam, a["group"])
    arn = a["policy_arn"]
    if ":aws:policy/" not in arn and arn not in {
        p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]
    }:
        iam.create_policy(PolicyName=arn.rsplit("/", 1)[1], PolicyDocument=_ALLOW_GET)
    iam.attach_group_policy(GroupName=a["group"], PolicyArn=arn)
    return {}


@creates("aws_iam_access_key")
def _iam_access_key(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """AWS picks the key id (and secret): the new id is written back in the state's."""
    iam = client("iam")
    _user(iam, a["user"])
    key = iam.create_access_key(UserName=a["user"])["AccessKey"]
    if a.get("status") and a["status"] != key["Status"]:
        iam.update_access_key(UserName=a["user"], AccessKeyId=key["AccessKeyId"], Status=a["status"])  # fmt: skip
    return {a["id"]: key["AccessKeyId"]}


# --- ECR ------------------------------------------------------------------------------------


@creates("aws_ecr_repository_policy")
def _ecr_repository_policy(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """The repository (not in the state) is made when missing."""
    ecr = client("ecr")
    names = {r["repositoryName"] for r in ecr.describe_repositories()["repositories"]}
    if a["repository"] not in names:
        ecr.create_repository(repositoryName=a["repository"])
    ecr.set_repository_policy(repositoryName=a["repository"], policyText=a["policy"])
    return {}


# --- EC2 ------------------------------------------------------------------------------------


@creates("aws_eip_association")
def _eip_association(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:
    """The address and the instance (not in the state) are made once per old id: the
    instance in a default subnet, as the state's private address (172.31/16) says."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    allocation = _once(made, assigned, a["allocation_id"], lambda: ec2.allocate_address(Domain="vpc")["AllocationId"])  # fmt: skip

    def launch() -> str:
        subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]  # fmt: skip
        launched = ec2.run_instances(ImageId="ami-0697b068b80d79421", InstanceType="t3.nano", SubnetId=subnet["SubnetId"], MinCount=1, MaxCount=1)["Instances"][0]  # fmt: skip
        return str(launched["InstanceId"])

    instance = _once(made, assigned, a["instance_id"], launch)
    association = ec2.associate_address(AllocationId=allocation, InstanceId=instance)
    live = ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]
    assigned[a["id"]] = association["AssociationId"]
    for old, new in (
        ("network_interface_id", "NetworkInterfaceId"),
        ("private_ip_address", "PrivateIpAddress"),
        ("public_ip", "PublicIp"),
    ):
        if a.get(old) and live.get(new):
            assigned[a[old]] = live[new]
    return assigned


@creates("aws_default_route_table")
def _default_route_table(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """The main route table AWS makes with the VPC (not in the state: made per old id)."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, a["vpc_id"], "10.0.0.0/16", made, assigned)
    main = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]
    assigned[a["id"]] = main
    for route in a.get("route") or []:
        target = {k: made.get(route[t], route[t]) for t, k in (("gateway_id", "GatewayId"), ("nat_gateway_id", "NatGatewayId")) if route.get(t)}  # fmt: skip
        ec2.create_route(RouteTableId=main, DestinationCidrBlock=route["cidr_block"], **target)
    _tag(ec2, main, a)
    return assigned


@creates("aws_default_network_acl")
def _default_network_acl(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """The ACL AWS makes with the VPC, holding the state's rules in place of its own (as
    Terraform's resource does); the state's subnets are made in its VPC, which associates
    them with its default ACL."""
    ec2 = client("ec2")
    assigned: dict[str, str] = {}
    vpc = _vpc_for(ec2, a["vpc_id"], "10.0.0.0/16", made, assigned)
    for index, subnet in enumerate(a.get("subnet_ids") or []):
        _once(made, assigned, subnet, lambda i=index: ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24")["Subnet"]["SubnetId"])  # fmt: skip
    acl = ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default", "Values": ["true"]}]
    )["NetworkAcls"][0]
    assigned[a["id"]] = acl["NetworkAclId"]
    for entry in acl["Entries"]:
        if entry["RuleNumber"] < 32767:
            ec2.delete_network_acl_entry(NetworkAclId=acl["NetworkAclId"], RuleNumber=entry["RuleNumber"], Egress=entry["Egress"])  # fmt: skip
    for direction in ("ingress", "egress"):
        for rule in a.get(direction) or []:
            entry = _acl_entry(rule, egress=direction == "egress", action=rule["action"], number=int(rule["rule_no"]))  # fmt: skip
            ec2.create_network_acl_entry(NetworkAclId=acl["NetworkAclId"], **entry)
    _tag(ec2, acl["NetworkAclId"], a)
    return assigned


@creates("aws_ebs_encryption_by_default")
def _ebs_encryption_by_default(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """The region's setting (one per account and region, off by default)."""
    ec2 = client("ec2")
    if a.get("enabled"):
        ec2.enable_ebs_encryption_by_default()
    else:
        ec2.disable_ebs_encryption_by_default()
    return {}


@creates("aws_s3_account_public_access_block")
def _s3_account_public_access_block(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """The account's block (one per account): the state's account id (in no ARN) is the
    replay account's."""
    account = client("sts").get_caller_identity()["Account"]
    names = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")  # fmt: skip
    s3control = client("s3control")
    adapt(s3control)  # the emulator's host without the account label S3 Control puts first
    s3control.put_public_access_block(
        AccountId=account,
        PublicAccessBlockConfiguration={
            "".join(w.capitalize() for w in n.split("_")): bool(a.get(n)) for n in names
        },
    )
    return {a["account_id"]: account} if a.get("account_id") else {}


@creates("aws_launch_configuration")
def _launch_configuration(client: Any, a: dict[str, Any], made: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """moto holds no image of the state's AMI id: driftq then leaves the block devices
    uncompared, as for an AMI gone in AWS (these states have none)."""
    kwargs: dict[str, Any] = {
        "LaunchConfigurationName": a["name"],
        "ImageId": a["image_id"],
        "InstanceType": a["instance_type"],
        "InstanceMonitoring": {"Enabled": bool(a.get("enable_monitoring"))},
        "EbsOptimized": bool(a.get("ebs_optimized")),
    }
    # sent only when true: then AWS answers none for the state's `false`, which must read as it
    if a.get("associate_public_ip_address"):
        kwargs["AssociatePublicIpAddress"] = True
    for tf, aws in (("key_name", "KeyName"), ("iam_instance_profile", "IamInstanceProfile"), ("spot_price", "SpotPrice"), ("placement_tenancy", "PlacementTenancy")):  # fmt: skip
        if a.get(tf):
            kwargs[aws] = a[tf]
    if a.get("security_groups"):
        kwargs["SecurityGroups"] = list(a["security_groups"])
    client("autoscaling").create_launch_configuration(**kwargs)
    return {}
