"""Real provider 3.x states (driftctl's fixtures, tests/fixtures/tfstate-driftctl/) meet the
specs of the types added for real estates: each fixture parses, and an AWS answer in
botocore's shape for the same resources (policies as botocore decodes them, ACL protocols
as numbers with AWS's catch-all entries, base64 user data, ...) normalizes to live resources
that the fixture's state matches with no finding, keyed on the same identities.

Pure: no emulator (the answers are what the specs' calls return); the moto-backed checks
per type are in test_types*.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from driftq.compare import compare
from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import TAGS, live_resource
from driftq.state.parse import parse_state

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tfstate-driftctl"
Attrs = dict[str, Any]
Answer = Callable[[list[Attrs]], list[Attrs]]
_PROTOCOLS = {"tcp": "6", "udp": "17", "icmp": "1", "all": "-1"}


def _policy(text: str) -> Any:
    return json.loads(text)  # botocore decodes GetAccountAuthorizationDetails' documents


def _group_policies(states: list[Attrs]) -> list[Attrs]:
    return [
        {
            "GroupName": s["group"],
            "GroupPolicyList": [{"PolicyName": s["name"], "PolicyDocument": _policy(s["policy"])}],
        }
        for s in states
    ]


def _group_attachments(states: list[Attrs]) -> list[Attrs]:
    return [
        {
            "GroupName": s["group"],
            "AttachedManagedPolicies": [
                {"PolicyName": s["policy_arn"].rsplit("/", 1)[-1], "PolicyArn": s["policy_arn"]}
            ],
        }
        for s in states
    ]


def _user_policies(states: list[Attrs]) -> list[Attrs]:
    users: dict[str, list[Attrs]] = {}
    for s in states:
        users.setdefault(s["user"], []).append(
            {"PolicyName": s["name"], "PolicyDocument": _policy(s["policy"])}
        )
    return [{"UserName": u, "UserPolicyList": p} for u, p in users.items()]


def _access_keys(states: list[Attrs]) -> list[Attrs]:
    users: dict[str, list[Attrs]] = {}
    for s in states:
        users.setdefault(s["user"], []).append(
            {
                "UserName": s["user"],
                "AccessKeyId": s["id"],
                "Status": s["status"],
                "CreateDate": "2022-03-28T09:15:15Z",
            }
        )
    return [{"UserName": u, "_access_keys": keys} for u, keys in users.items()]


def _repository_policies(states: list[Attrs]) -> list[Attrs]:
    # AWS answers the policy text re-indented; its meaning is the state's
    return [
        {
            "repositoryName": s["repository"],
            "registryId": s["registry_id"],
            "_policy": json.dumps(json.loads(s["policy"]), indent=2),
        }
        for s in states
    ]


def _main_tables(states: list[Attrs]) -> list[Attrs]:
    return [
        {
            "RouteTableId": s["id"],
            "VpcId": s["vpc_id"],
            "OwnerId": s["owner_id"],
            "Associations": [{"Main": True, "RouteTableId": s["id"]}],
            "Routes": [
                {
                    "DestinationCidrBlock": "172.31.0.0/16",
                    "GatewayId": "local",
                    "Origin": "CreateRouteTable",
                }
            ],
            "PropagatingVgws": [],
            TAGS: {},
        }
        for s in states
    ]


def _aws_entry(block: Attrs, egress: bool) -> Attrs:
    protocol = _PROTOCOLS.get(str(block.get("protocol")), str(block.get("protocol")))
    entry = {
        "RuleNumber": block.get("rule_no", block.get("rule_number")),
        "Protocol": protocol,
        "RuleAction": block.get("action", block.get("rule_action")),
        "Egress": egress,
        "CidrBlock": block["cidr_block"],
    }
    if protocol in ("6", "17"):
        entry["PortRange"] = {"From": block["from_port"], "To": block["to_port"]}
    return entry


_CATCH_ALL = [
    {
        "RuleNumber": 32767,
        "Protocol": "-1",
        "RuleAction": "deny",
        "Egress": e,
        "CidrBlock": "0.0.0.0/0",
    }
    for e in (False, True)
]


def _default_acls(states: list[Attrs]) -> list[Attrs]:
    return [
        {
            "NetworkAclId": s["id"],
            "VpcId": s["vpc_id"],
            "IsDefault": True,
            "Entries": [
                *(_aws_entry(b, False) for b in s["ingress"]),
                *(_aws_entry(b, True) for b in s["egress"]),
                *_CATCH_ALL,
            ],
            "Associations": [{"NetworkAclId": s["id"], "SubnetId": sub} for sub in s["subnet_ids"]],
            TAGS: {},
        }
        for s in states
    ]


def _rule_acls(states: list[Attrs]) -> list[Attrs]:
    acls: dict[str, list[Attrs]] = {}
    for s in states:
        acls.setdefault(s["network_acl_id"], []).append(_aws_entry(s, bool(s["egress"])))
    return [{"NetworkAclId": a, "Entries": [*e, *_CATCH_ALL]} for a, e in acls.items()]


def _addresses(states: list[Attrs]) -> list[Attrs]:
    return [
        {
            "AllocationId": s["allocation_id"],
            "AssociationId": s["id"],
            "Domain": "vpc",
            "InstanceId": s["instance_id"],
            "NetworkInterfaceId": s["network_interface_id"],
            "NetworkInterfaceOwnerId": "123456789012",
            "PrivateIpAddress": s["private_ip_address"],
            "PublicIp": s["public_ip"],
        }
        for s in states
    ]


def _account_blocks(states: list[Attrs]) -> list[Attrs]:
    return [
        {
            "AccountId": s["account_id"],
            "BlockPublicAcls": s["block_public_acls"],
            "IgnorePublicAcls": s["ignore_public_acls"],
            "BlockPublicPolicy": s["block_public_policy"],
            "RestrictPublicBuckets": s["restrict_public_buckets"],
        }
        for s in states
    ]


def _ebs_defaults(states: list[Attrs]) -> list[Attrs]:
    return [{"EbsEncryptionByDefault": s["enabled"]} for s in states]


def _launch_configurations(states: list[Attrs]) -> list[Attrs]:
    return [
        {
            "LaunchConfigurationName": s["name"],
            "LaunchConfigurationARN": s["arn"],
            "ImageId": s["image_id"],
            "KeyName": "",
            "SecurityGroups": [],
            "ClassicLinkVPCSecurityGroups": [],
            "UserData": "",
            "InstanceType": s["instance_type"],
            "KernelId": "",
            "RamdiskId": "",
            "BlockDeviceMappings": [],
            "InstanceMonitoring": {"Enabled": True},
            "CreatedTime": "2022-03-28T09:15:15Z",
            "EbsOptimized": False,
        }
        for s in states
    ]


# fixture (test__<name>__terraform.tfstate), type, the AWS answer for its resources
CASES: list[tuple[str, str, Answer]] = [
    ("aws_iam_group_policy", "aws_iam_group_policy", _group_policies),
    ("aws_iam_group_policy_attachment", "aws_iam_group_policy_attachment", _group_attachments),
    ("aws_iam_user_policy_multiple", "aws_iam_user_policy", _user_policies),
    ("aws_iam_access_key_multiple", "aws_iam_access_key", _access_keys),
    ("module.iam_iam-user", "aws_iam_access_key", _access_keys),
    ("aws_ecr_repository_policy", "aws_ecr_repository_policy", _repository_policies),
    ("aws_default_route_table", "aws_default_route_table", _main_tables),
    ("aws_default_network_acl", "aws_default_network_acl", _default_acls),
    ("aws_network_acl_rule", "aws_network_acl_rule", _rule_acls),
    ("aws_ec2_eip_association", "aws_eip_association", _addresses),
    ("aws_s3_account_public_access_block", "aws_s3_account_public_access_block", _account_blocks),
    ("aws_ebs_encryption_by_default", "aws_ebs_encryption_by_default", _ebs_defaults),
    ("aws_launch_configuration", "aws_launch_configuration", _launch_configurations),
]


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("answered from the recorded items")


@pytest.mark.parametrize(("fixture", "rtype", "answer"), CASES, ids=[c[0] for c in CASES])
def test_the_fixture_matches_an_aws_answer_for_it(fixture: str, rtype: str, answer: Answer) -> None:
    text = (FIXTURES / f"test__{fixture}__terraform.tfstate").read_text()
    state = [r for r in parse_state(text, fixture, "us-east-1") if r.type == rtype]
    assert state, f"{fixture}: no {rtype} parsed"
    spec = REGISTRY[rtype]
    unit = Unit("fixture", "global" if spec.is_global else "us-east-1", spec.service)
    ctx = ScanContext(unit, "123456789012", ("us-east-1",), _no_aws)
    ctx.memo["ec2:service-interfaces"] = set()  # no NAT gateway or service interface here
    live = {}
    for item in answer([r.attributes for r in state]):
        for each in spec.expand(item) if spec.expand else [item]:
            resource = live_resource(spec, each, ctx)
            assert resource is not None
            live[resource.identity] = resource
    for resource in state:
        twin = live.get(spec.identity_of_state(resource.attributes))
        assert twin is not None, (
            f"{resource.address}: keyed {spec.identity_of_state(resource.attributes)}, live {sorted(live)}"
        )
        assert compare(spec, resource, twin) == [], resource.address
