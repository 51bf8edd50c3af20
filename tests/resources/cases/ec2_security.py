"""Security cases beyond the shared estate: provider 5's rule resources on a group whose
state has no inline rules (never refreshed since), and the adopted default group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import (
    ALLOW_ALL_EGRESS,
    DEFAULT_TAG,
    arn,
    rule_block,
    tag_spec,
    tf_sg,
    tf_tags,
    tf_vpc,
)

INGRESS = "aws_vpc_security_group_ingress_rule"
EGRESS = "aws_vpc_security_group_egress_rule"


def _rule_id(ec2: Any, gid: str, egress: bool) -> str:
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [gid]}])
    return next(
        r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"] if r["IsEgress"] == egress
    )


def vpc_rule_state(
    account: Any, rid: str, gid: str, name: str, proto: str, port: int | None, **source: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "arn": arn(account, "security-group-rule", rid),
        "security_group_rule_id": rid,
        "security_group_id": gid,
        "ip_protocol": proto,
        "from_port": port,
        "to_port": port,
        "cidr_ipv4": source.get("cidr_ipv4"),
        "cidr_ipv6": None,
        "prefix_list_id": None,
        "referenced_security_group_id": source.get("referenced_security_group_id"),
        "description": source.get("description"),
        **tf_tags(name),
    }


def rule_group(account: Any) -> tuple[list[Res], str, str]:
    """A group whose rules live in provider-5 rule resources: https in from the VPC, https
    out to anywhere (the provider revokes AWS's allow-all egress of a new group). The
    group's state was read when it was created: no inline rules."""
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=tag_spec("vpc", "net"))["Vpc"]
    gid = ec2.create_security_group(
        GroupName="api",
        Description="api sg",
        VpcId=vpc["VpcId"],
        TagSpecifications=tag_spec("security-group", "api"),
    )["GroupId"]
    ec2.revoke_security_group_egress(
        GroupId=gid, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    https = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}]
    ec2.authorize_security_group_ingress(
        GroupId=gid,
        IpPermissions=[{**https[0], "IpRanges": [{"CidrIp": "10.9.0.0/16", "Description": "vpc"}]}],
        TagSpecifications=tag_spec("security-group-rule", "in"),
    )
    ec2.authorize_security_group_egress(
        GroupId=gid,
        IpPermissions=[{**https[0], "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        TagSpecifications=tag_spec("security-group-rule", "out"),
    )
    ingress, egress = _rule_id(ec2, gid, False), _rule_id(ec2, gid, True)
    resources = [
        Res(
            INGRESS,
            "in",
            vpc_rule_state(
                account, ingress, gid, "in", "tcp", 443, cidr_ipv4="10.9.0.0/16", description="vpc"
            ),
        ),
        Res(
            EGRESS,
            "out",
            vpc_rule_state(account, egress, gid, "out", "tcp", 443, cidr_ipv4="0.0.0.0/0"),
        ),
        Res("aws_security_group", "api", tf_sg(account, gid, vpc["VpcId"], "api", [], [])),
        Res("aws_vpc", "net", tf_vpc(account, vpc)),
    ]
    return resources, ingress, egress


def _rule_case(rtype: str) -> Callable[[Any], Built]:
    def build(account: Any) -> Built:
        resources, ingress, egress = rule_group(account)
        subject = next(r for r in resources if r.type == rtype)
        others = [r for r in resources if r is not subject]
        return Built([subject, *others], import_id=ingress if rtype == INGRESS else egress)

    return build


def default_group_state(account: Any, vpc: dict[str, Any], gid: str) -> dict[str, Any]:
    return {
        **tf_sg(
            account,
            gid,
            vpc["VpcId"],
            "default",
            [rule_block("-1", 0, 0, [], self=True)],
            [ALLOW_ALL_EGRESS],
        ),
        "description": "default VPC security group",
    }


def _default_group(account: Any) -> Built:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16", TagSpecifications=tag_spec("vpc", "net"))["Vpc"]
    groups = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc["VpcId"]]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"]
    gid = groups[0]["GroupId"]
    ec2.create_tags(
        Resources=[gid],
        Tags=[{"Key": k, "Value": v} for k, v in {"Name": "default", **DEFAULT_TAG}.items()],
    )
    ec2.authorize_security_group_ingress(
        GroupId=gid, IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": gid}]}]
    )
    return Built(
        [
            Res("aws_default_security_group", "default", default_group_state(account, vpc, gid)),
            Res("aws_vpc", "net", tf_vpc(account, vpc)),
        ],
        import_id=gid,
    )


CASES = [
    TypeCase(type=INGRESS, build=_rule_case(INGRESS)),
    TypeCase(type=EGRESS, build=_rule_case(EGRESS)),
    TypeCase(type="aws_default_security_group", build=_default_group, aws_default_only=True),
]
