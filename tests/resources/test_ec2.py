"""EC2 types against a real moto server: instances, VPCs, subnets, security groups, rules.

Each test builds resources in a fresh account, writes the state Terraform would have
written for them (Terraform-only attributes, `tags_all` with a provider default tag), and
scans the account's ec2 unit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.local import run_local
from driftq.model import Finding, Unit
from driftq.plan import Selection
from tests.conftest import single_account_config
from tests.support.estate import StateFile
from tests.support.scanning import scan_ok

REGION = "us-east-1"
DEFAULT_TAG = {"Env": "prod"}  # provider default_tags: in AWS and in tags_all only
WEST = 'provider["registry.terraform.io/hashicorp/aws"].west'


def tag_spec(kind: str, name: str) -> list[dict[str, Any]]:
    tags = {"Name": name, **DEFAULT_TAG}
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def tf_tags(name: str) -> dict[str, Any]:
    return {"tags": {"Name": name}, "tags_all": {"Name": name, **DEFAULT_TAG}}


def arn(account: Any, kind: str, rid: str, region: str = REGION) -> str:
    return f"arn:aws:ec2:{region}:{account.id}:{kind}/{rid}"


def tf_vpc(account: Any, vpc: dict[str, Any], region: str = REGION) -> dict[str, Any]:
    return {
        "id": vpc["VpcId"],
        "arn": arn(account, "vpc", vpc["VpcId"], region),
        "assign_generated_ipv6_cidr_block": False,
        "cidr_block": vpc["CidrBlock"],
        "default_network_acl_id": "acl-0123",
        "default_route_table_id": "rtb-0123",
        "default_security_group_id": "sg-0123",
        "dhcp_options_id": "dopt-0123",
        "enable_dns_hostnames": False,
        "enable_dns_support": True,
        "enable_network_address_usage_metrics": False,
        "instance_tenancy": "default",
        "ipv4_ipam_pool_id": None,
        "ipv6_association_id": "",
        "ipv6_cidr_block": "",
        "main_route_table_id": "rtb-0123",
        "owner_id": account.id,
        **tf_tags("net"),
    }


def tf_subnet(account: Any, subnet: dict[str, Any], region: str = REGION) -> dict[str, Any]:
    return {
        "id": subnet["SubnetId"],
        "arn": arn(account, "subnet", subnet["SubnetId"], region),
        "assign_ipv6_address_on_creation": False,
        "availability_zone": subnet["AvailabilityZone"],
        "availability_zone_id": subnet["AvailabilityZoneId"],
        "cidr_block": subnet["CidrBlock"],
        "ipv6_cidr_block": "",
        "map_public_ip_on_launch": False,
        "outpost_arn": "",
        "owner_id": account.id,
        "timeouts": None,
        "vpc_id": subnet["VpcId"],
        **tf_tags("app"),
    }


def rule_block(proto: str, lo: int, hi: int, cidrs: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "cidr_blocks": cidrs,
        "description": extra.get("description", ""),
        "from_port": lo,
        "ipv6_cidr_blocks": extra.get("ipv6", []),
        "prefix_list_ids": [],
        "protocol": proto,
        "security_groups": extra.get("security_groups", []),
        "self": extra.get("self", False),
        "to_port": hi,
    }


ALLOW_ALL_EGRESS = rule_block("-1", 0, 0, ["0.0.0.0/0"])


def tf_sg(
    account: Any,
    gid: str,
    vpc_id: str,
    name: str,
    ingress: list[dict[str, Any]],
    egress: list[dict[str, Any]],
    region: str = REGION,
) -> dict[str, Any]:
    return {
        "id": gid,
        "arn": arn(account, "security-group", gid, region),
        "description": f"{name} sg",
        "egress": egress,
        "ingress": ingress,
        "name": name,
        "name_prefix": "",
        "owner_id": account.id,
        "revoke_rules_on_delete": False,
        "timeouts": None,
        "vpc_id": vpc_id,
        **tf_tags(name),
    }


def tf_rule(gid: str, kind: str, proto: str, lo: int, hi: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"sgrule-{abs(hash((gid, kind, proto, lo, hi, str(extra)))) % 10**10}",
        "cidr_blocks": extra.get("cidr_blocks", []),
        "description": extra.get("description", ""),
        "from_port": lo,
        "ipv6_cidr_blocks": extra.get("ipv6_cidr_blocks", []),
        "prefix_list_ids": [],
        "protocol": proto,
        "security_group_id": gid,
        "self": extra.get("self", False),
        "source_security_group_id": extra.get("source_security_group_id"),
        "to_port": hi,
        "type": kind,
    }


def tf_instance(account: Any, inst: dict[str, Any], region: str = REGION) -> dict[str, Any]:
    return {
        "id": inst["InstanceId"],
        "ami": inst["ImageId"],
        "arn": arn(account, "instance", inst["InstanceId"], region),
        "associate_public_ip_address": False,
        "availability_zone": inst["Placement"]["AvailabilityZone"],
        "cpu_core_count": 1,
        "credit_specification": [{"cpu_credits": "standard"}],
        "disable_api_stop": False,
        "disable_api_termination": False,
        "ebs_block_device": [],
        "ebs_optimized": inst["EbsOptimized"],
        "enable_primary_ipv6": False,
        "get_password_data": False,
        "hibernation": False,
        "iam_instance_profile": "app-profile",
        "instance_state": "running",
        "instance_type": inst["InstanceType"],
        "key_name": inst.get("KeyName", ""),
        "metadata_options": [
            {
                "http_endpoint": "enabled",
                "http_protocol_ipv6": "disabled",
                "http_put_response_hop_limit": 1,
                "http_tokens": "optional",
                "instance_metadata_tags": "disabled",
            }
        ],
        "enclave_options": [{"enabled": False}],
        "maintenance_options": [{"auto_recovery": "default"}],
        "private_dns_name_options": [
            {
                "enable_resource_name_dns_a_record": False,
                "enable_resource_name_dns_aaaa_record": False,
                "hostname_type": "ip-name",
            }
        ],
        "monitoring": True,
        "primary_network_interface_id": "eni-0123",
        "private_ip": inst["PrivateIpAddress"],
        "root_block_device": [
            {
                "delete_on_termination": True,
                "device_name": "/dev/sda1",
                "encrypted": False,
                "iops": 0,  # what the emulator answers for gp2 (AWS: 3 per GiB, at least 100)
                "kms_key_id": "",
                "tags": {},
                "tags_all": {},
                "throughput": 0,
                "volume_id": "vol-0123",
                "volume_size": 8,
                "volume_type": "gp2",
            }
        ],
        "security_groups": [],
        "source_dest_check": True,
        "subnet_id": inst["SubnetId"],
        "tenancy": "default",
        "timeouts": None,
        "user_data": None,
        "volume_tags": {},
        "vpc_security_group_ids": [g["GroupId"] for g in inst["SecurityGroups"]],
        **tf_tags("app"),
    }


def tf_key_pair(name: str) -> dict[str, Any]:
    return {
        "id": name,
        "key_name": name,
        "key_name_prefix": "",
        "key_type": "rsa",
        "fingerprint": "00:11",
        "public_key": "ssh-rsa AAAAB3NzaC1yc2E deployer@example",
        "tags": {},
        "tags_all": {},
    }


class Estate:
    """A small network in moto: a VPC, a subnet, an inline-rule group, a rule-resource group
    and an instance, with the state Terraform would have written for it."""

    def __init__(self, account: Any, region: str = REGION, provider: str | None = None) -> None:
        self.account, self.region = account, region
        ec2 = self.ec2 = account.client("ec2", region)
        self.vpc = ec2.create_vpc(
            CidrBlock="10.0.0.0/16", TagSpecifications=tag_spec("vpc", "net")
        )["Vpc"]
        vid = self.vpc["VpcId"]
        self.subnet = ec2.create_subnet(
            VpcId=vid,
            CidrBlock="10.0.1.0/24",
            AvailabilityZone=f"{region}a",
            TagSpecifications=tag_spec("subnet", "app"),
        )["Subnet"]
        # `web`: rules written inline on the aws_security_group
        self.web = ec2.create_security_group(
            GroupName="web",
            Description="web sg",
            VpcId=vid,
            TagSpecifications=tag_spec("security-group", "web"),
        )["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=self.web,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "https"}],
                },
                {
                    "IpProtocol": "tcp",
                    "FromPort": 80,
                    "ToPort": 80,
                    "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "192.168.0.0/16"}],
                },
            ],
        )
        # `db`: rules as separate aws_security_group_rule resources
        self.db = ec2.create_security_group(
            GroupName="db",
            Description="db sg",
            VpcId=vid,
            TagSpecifications=tag_spec("security-group", "db"),
        )["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=self.db,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 5432,
                    "ToPort": 5432,
                    "IpRanges": [
                        {"CidrIp": "10.0.1.0/24", "Description": "pg"},
                        {"CidrIp": "10.0.2.0/24", "Description": "pg"},
                    ],
                },
                {
                    "IpProtocol": "tcp",
                    "FromPort": 5432,
                    "ToPort": 5432,
                    "UserIdGroupPairs": [{"GroupId": self.web}],
                },
                {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": self.db}]},
            ],
        )
        iam = account.client("iam")
        if not iam.list_instance_profiles(PathPrefix="/app/")["InstanceProfiles"]:
            iam.create_instance_profile(InstanceProfileName="app-profile", Path="/app/")
        ec2.create_key_pair(KeyName="ops", TagSpecifications=tag_spec("key-pair", "ops"))
        self.instance = ec2.run_instances(
            ImageId="ami-12c6146b",
            MinCount=1,
            MaxCount=1,
            InstanceType="t3.micro",
            SubnetId=self.subnet["SubnetId"],
            SecurityGroupIds=[self.web],
            KeyName="ops",
            IamInstanceProfile={"Name": "app-profile"},
            Monitoring={"Enabled": True},
            TagSpecifications=tag_spec("instance", "app"),
        )["Instances"][0]
        self.provider = provider

    def state(self, state: StateFile | None = None) -> StateFile:
        state = state or StateFile()
        a, r = self.account, self.region
        kw = {"provider": self.provider} if self.provider else {}
        state.add("aws_vpc", f"net_{r}", tf_vpc(a, self.vpc, r), **kw)
        state.add("aws_subnet", f"app_{r}", tf_subnet(a, self.subnet, r), **kw)
        web_ingress = [
            rule_block("tcp", 443, 443, ["0.0.0.0/0"], description="https"),
            rule_block("tcp", 80, 80, ["10.0.0.0/8", "192.168.0.0/16"]),
        ]
        vid = self.vpc["VpcId"]
        state.add(
            "aws_security_group",
            f"web_{r}",
            tf_sg(a, self.web, vid, "web", web_ingress, [ALLOW_ALL_EGRESS], r),
            **kw,
        )
        # the db group's state was read before its rules existed (never refreshed since)
        state.add("aws_security_group", f"db_{r}", tf_sg(a, self.db, vid, "db", [], [], r), **kw)
        for name, attrs in self.db_rules().items():
            state.add("aws_security_group_rule", f"{name}_{r}", attrs, **kw)
        name = "app" if r == REGION else f"app_{r}"
        state.add("aws_instance", name, tf_instance(a, self.instance, r), **kw)
        state.add(
            "aws_key_pair",
            "ops" if r == REGION else f"ops_{r}",
            {**tf_key_pair("ops"), **tf_tags("ops")},
            **kw,
        )
        return state

    def db_rules(self) -> dict[str, dict[str, Any]]:
        return {
            "pg": tf_rule(
                self.db,
                "ingress",
                "tcp",
                5432,
                5432,
                cidr_blocks=["10.0.1.0/24", "10.0.2.0/24"],
                description="pg",
            ),
            "pg_from_web": tf_rule(
                self.db, "ingress", "tcp", 5432, 5432, source_security_group_id=self.web
            ),
            # self = true; Terraform also stores the group itself as the source
            "self": tf_rule(
                self.db, "ingress", "all", 0, 65535, self=True, source_security_group_id=self.db
            ),
            "egress": tf_rule(self.db, "egress", "-1", 0, 0, cidr_blocks=["0.0.0.0/0"]),
        }


def scan(account: Any, tmp_path: Path, state: StateFile, region: str = REGION) -> list[Finding]:
    return scan_ok(account, tmp_path, state, Unit("test", region, "ec2"), [region]).findings


def summary(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.kind, f.resource_type, f.resource_id) for f in findings}


def test_clean_estate_has_no_finding(account: Any, tmp_path: Path) -> None:
    estate = Estate(account)
    # a terminated instance stays listed by AWS for a while: it is gone, not unmanaged
    gone = estate.ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)
    estate.ec2.terminate_instances(InstanceIds=[gone["Instances"][0]["InstanceId"]])
    assert scan(account, tmp_path, estate.state()) == []


def test_missing(account: Any, tmp_path: Path) -> None:
    estate = Estate(account)
    state = estate.state()
    state.add("aws_vpc", "gone", {**tf_vpc(account, estate.vpc), "id": "vpc-0dead0001"})
    state.add("aws_subnet", "gone", {**tf_subnet(account, estate.subnet), "id": "subnet-0dead0001"})
    state.add(
        "aws_security_group", "gone", tf_sg(account, "sg-0dead0001", "vpc-0dead0001", "x", [], [])
    )
    state.add(
        "aws_instance", "gone", {**tf_instance(account, estate.instance), "id": "i-0dead0001"}
    )
    # a rule of a live group whose permission is gone, and a rule of a deleted group
    gone = tf_rule(estate.db, "ingress", "tcp", 22, 22, cidr_blocks=["10.9.0.0/16"])
    orphan = tf_rule("sg-0dead0001", "egress", "tcp", 443, 443, cidr_blocks=["0.0.0.0/0"])
    state.add("aws_security_group_rule", "gone", gone).add(
        "aws_security_group_rule", "orphan", orphan
    )
    findings = scan(account, tmp_path, state)
    assert summary(findings) == {
        ("missing", "aws_vpc", "vpc-0dead0001"),
        ("missing", "aws_subnet", "subnet-0dead0001"),
        ("missing", "aws_security_group", "sg-0dead0001"),
        ("missing", "aws_instance", "i-0dead0001"),
        ("missing", "aws_security_group_rule", gone["id"]),
        ("missing", "aws_security_group_rule", orphan["id"]),
    }
    assert all(f.address and f.state for f in findings)


def test_unmanaged_ids_are_import_ids(account: Any, tmp_path: Path) -> None:
    estate = Estate(account)
    findings = scan(account, tmp_path, StateFile())
    # the groups' rules are covered by the unmanaged groups' own findings
    assert summary(findings) == {
        ("unmanaged", "aws_vpc", estate.vpc["VpcId"]),
        ("unmanaged", "aws_subnet", estate.subnet["SubnetId"]),
        ("unmanaged", "aws_security_group", estate.web),
        ("unmanaged", "aws_security_group", estate.db),
        ("unmanaged", "aws_instance", estate.instance["InstanceId"]),
        ("unmanaged", "aws_key_pair", "ops"),
    }
    assert all(f.address is None and f.tags.get("Env") == "prod" for f in findings)


def test_unmanaged_rule_on_a_group_with_rule_resources(account: Any, tmp_path: Path) -> None:
    estate = Estate(account)
    estate.ec2.authorize_security_group_ingress(
        GroupId=estate.db,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "10.9.0.0/16"}],
                "Ipv6Ranges": [{"CidrIpv6": "2001:db8::/48"}],
            },
        ],
    )
    state = estate.state()
    # no rule resource for AWS's default allow-all egress: still never an unmanaged rule
    state.resources = [r for r in state.resources if r["name"] != f"egress_{REGION}"]
    findings = scan(account, tmp_path, state)
    assert summary(findings) == {
        ("unmanaged", "aws_security_group_rule", f"{estate.db}_ingress_tcp_22_22_10.9.0.0/16"),
        ("unmanaged", "aws_security_group_rule", f"{estate.db}_ingress_tcp_22_22_2001:db8::/48"),
    }


def test_drifted(account: Any, tmp_path: Path) -> None:
    estate = Estate(account)
    ec2, iid = estate.ec2, estate.instance["InstanceId"]
    vid, sid = estate.vpc["VpcId"], estate.subnet["SubnetId"]
    ec2.modify_instance_attribute(InstanceId=iid, InstanceType={"Value": "t3.large"})
    ec2.modify_instance_attribute(InstanceId=iid, SourceDestCheck={"Value": False})
    ec2.modify_vpc_attribute(VpcId=vid, EnableDnsHostnames={"Value": True})
    ec2.modify_subnet_attribute(SubnetId=sid, MapPublicIpOnLaunch={"Value": True})
    for rid in (iid, vid, sid, estate.web):
        ec2.create_tags(Resources=[rid], Tags=[{"Key": "Owner", "Value": "someone"}])
    ec2.authorize_security_group_ingress(
        GroupId=estate.web,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    # one of the two CIDRs of the `pg` rule resource removed
    ec2.revoke_security_group_ingress(
        GroupId=estate.db,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "IpRanges": [{"CidrIp": "10.0.2.0/24"}],
            }
        ],
    )
    findings = {f.resource_type: f for f in scan(account, tmp_path, estate.state())}
    changes = {
        t: {c.attribute: (c.expected, c.actual) for c in f.changes} for t, f in findings.items()
    }
    assert {f.kind for f in findings.values()} == {"drifted"}
    assert changes["aws_instance"] == {
        "instance_type": ("t3.micro", "t3.large"),
        "source_dest_check": (True, False),
        "tags.Owner": (None, "someone"),
    }
    assert changes["aws_vpc"] == {
        "enable_dns_hostnames": (False, True),
        "tags.Owner": (None, "someone"),
    }
    assert changes["aws_subnet"] == {
        "map_public_ip_on_launch": (False, True),
        "tags.Owner": (None, "someone"),
    }
    assert set(changes["aws_security_group"]) == {"ingress", "tags.Owner"}
    expected, actual = changes["aws_security_group"]["ingress"]
    assert rule_block("tcp", 22, 22, ["0.0.0.0/0"]) in actual
    assert rule_block("tcp", 22, 22, ["0.0.0.0/0"]) not in expected
    assert changes["aws_security_group_rule"] == {
        "cidr_blocks": (["10.0.1.0/24", "10.0.2.0/24"], ["10.0.1.0/24"]),
    }
    assert findings["aws_security_group_rule"].address == "aws_security_group_rule.pg_us-east-1"


def test_instance_tags_drift(account: Any, tmp_path: Path) -> None:
    estate = Estate(account)
    iid = estate.instance["InstanceId"]
    estate.ec2.create_tags(Resources=[iid], Tags=[{"Key": "Name", "Value": "renamed"}])
    estate.ec2.delete_tags(Resources=[iid], Tags=[{"Key": "Env"}])
    (finding,) = scan(account, tmp_path, estate.state())
    assert (finding.kind, finding.resource_id, finding.address) == (
        "drifted",
        iid,
        "aws_instance.app",
    )
    assert {(c.attribute, c.expected, c.actual) for c in finding.changes} == {
        ("tags.Name", "app", "renamed"),
        ("tags.Env", "prod", None),
    }


def test_rule_description_drift_and_group_refreshed_with_rules(
    account: Any, tmp_path: Path
) -> None:
    """A group state listing its separate rules (refreshed) is not drift; a description is."""
    estate = Estate(account)
    # (moto ignores descriptions of source-group pairs here: a CIDR's description it is)
    estate.ec2.update_security_group_rule_descriptions_ingress(
        GroupId=estate.db,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "IpRanges": [{"CidrIp": "10.0.2.0/24", "Description": "changed"}],
            }
        ],
    )
    state = estate.state()
    db_group = state.resources[3]["instances"][0]["attributes"]
    db_group["ingress"] = [
        rule_block("tcp", 5432, 5432, ["10.0.1.0/24", "10.0.2.0/24"], description="pg"),
        rule_block("tcp", 5432, 5432, [], security_groups=[estate.web]),
        rule_block("-1", 0, 0, [], self=True),
    ]
    db_group["egress"] = [ALLOW_ALL_EGRESS]
    (finding,) = scan(account, tmp_path, state)
    assert (finding.kind, finding.resource_type) == ("drifted", "aws_security_group_rule")
    assert [(c.attribute, c.expected, c.actual) for c in finding.changes] == [
        ("description", "pg", "changed")
    ]


def test_multi_region_state_is_split_by_region(account: Any, tmp_path: Path) -> None:
    """A state holding us-east-1 and us-west-2 resources: each unit sees only its own."""
    east = Estate(account)
    west = Estate(account, "us-west-2", provider=WEST)
    state = west.state(east.state())
    path = state.write(tmp_path / "terraform.tfstate")
    config = single_account_config(account, path, regions=[REGION, "us-west-2"])
    outcome = run_local(config, Selection(services=("ec2",)), progress=False)
    ec2_results = [r for r in outcome.results if r.unit.service == "ec2"]
    assert {r.unit.region for r in ec2_results} == {REGION, "us-west-2"}
    assert all(r.status == "ok" for r in ec2_results)
    assert [f for r in ec2_results for f in r.findings] == []
    by_region = {r.unit.region: r.managed for r in ec2_results}
    # 1 VPC, 1 subnet, 2 groups, 4 rules, 1 instance and its key pair in each region
    assert by_region == {REGION: 10, "us-west-2": 10}


def test_group_only_run_knows_rule_resources_and_catches_new_rules(
    account: Any, tmp_path: Path
) -> None:
    """`--resource-type aws_security_group`: rules are not scanned, yet a rule kept as an
    aws_security_group_rule is not group drift, and a rule added by hand to a group written
    inline still is (on a group with rule resources it would be an unmanaged rule: a type
    this run does not report)."""
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    https = {
        "IpProtocol": "tcp",
        "FromPort": 443,
        "ToPort": 443,
        "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
    }
    ssh = {
        "IpProtocol": "tcp",
        "FromPort": 22,
        "ToPort": 22,
        "IpRanges": [{"CidrIp": "10.9.0.0/16"}],
    }
    state = StateFile()
    groups = {}
    for name in ("web", "api"):
        gid = ec2.create_security_group(
            GroupName=name,
            Description=f"{name} sg",
            VpcId=vpc,
            TagSpecifications=tag_spec("security-group", name),
        )["GroupId"]
        groups[name] = gid
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[https])
        inline = [rule_block("tcp", 443, 443, ["10.0.0.0/8"])]
        state.add(
            "aws_security_group", name, tf_sg(account, gid, vpc, name, inline, [ALLOW_ALL_EGRESS])
        )
    # web's SSH rule is its own resource
    ec2.authorize_security_group_ingress(GroupId=groups["web"], IpPermissions=[ssh])
    state.add(
        "aws_security_group_rule",
        "ssh",
        tf_rule(groups["web"], "ingress", "tcp", 22, 22, cidr_blocks=["10.9.0.0/16"]),
    )
    config = single_account_config(account, state.write(tmp_path / "sg.tfstate"))
    groups_only = Engine(config, Selection(resource_types=("aws_security_group",)))
    result = groups_only.scan_unit(Unit("test", REGION, "ec2"))
    assert result.status == "ok", result.error_message
    assert [f for f in result.findings if f.resource_id in groups.values()] == []

    rdp = {
        "IpProtocol": "tcp",
        "FromPort": 3389,
        "ToPort": 3389,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
    }
    ec2.authorize_security_group_ingress(GroupId=groups["api"], IpPermissions=[rdp])
    result = groups_only.scan_unit(Unit("test", REGION, "ec2"))
    drift = [f for f in result.findings if f.resource_id in groups.values()]
    assert [(f.resource_id, f.kind, [c.attribute for c in f.changes]) for f in drift] == [
        (groups["api"], "drifted", ["ingress"])
    ]
