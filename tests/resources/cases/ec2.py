"""EC2 cases: each type inside the same small network (tests/resources/test_ec2.py's Estate:
a VPC, a subnet, a group with inline rules, one with rule resources, an instance)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_ec2 import Estate


def _network(rtype: str, name: str, import_id: Callable[[Estate], str]) -> Callable[[Any], Built]:
    """The whole estate in state; the resource ``rtype.name`` is the one under test."""

    def build(account: Any) -> Built:
        estate = Estate(account)
        resources = [
            Res(r["type"], r["name"], r["instances"][0]["attributes"])
            for r in estate.state().resources
        ]
        subject = next(r for r in resources if (r.type, r.name) == (rtype, name))
        others = [r for r in resources if r is not subject]
        return Built([subject, *others], import_id=import_id(estate))

    return build


CASES = [
    TypeCase(
        type="aws_vpc",
        build=_network("aws_vpc", "net_us-east-1", lambda e: e.vpc["VpcId"]),
    ),
    TypeCase(
        type="aws_subnet",
        build=_network("aws_subnet", "app_us-east-1", lambda e: e.subnet["SubnetId"]),
    ),
    TypeCase(
        type="aws_security_group",
        build=_network("aws_security_group", "web_us-east-1", lambda e: e.web),
    ),
    TypeCase(
        type="aws_security_group_rule",
        # one source: one rule in AWS, one import id
        build=_network(
            "aws_security_group_rule",
            "pg_from_web_us-east-1",
            lambda e: f"{e.db}_ingress_tcp_5432_5432_{e.web}",
        ),
    ),
    TypeCase(
        type="aws_instance",
        build=_network("aws_instance", "app", lambda e: e.instance["InstanceId"]),
        # the emulator answers no CpuOptions (AWS always does): a block it does not have
        # and blocks the state leaves empty (compared only where the state sets them)
        mutations={
            "cpu_options": [{"core_count": 4, "threads_per_core": 2}],
            "ebs_block_device": [{"device_name": "/dev/sdf", "volume_size": 20}],
            "network_interface": [{"device_index": 1, "network_interface_id": "eni-0b"}],
            "primary_network_interface": [{"network_interface_id": "eni-0drifted"}],
            "launch_template": [{"id": "lt-0abc", "name": "app", "version": "3"}],
            "security_groups": ["app"],
            "capacity_reservation_specification": [
                {"capacity_reservation_preference": "none", "capacity_reservation_target": []}
            ],
            "instance_market_options": [{"market_type": "spot", "spot_options": []}],
        },
    ),
]
