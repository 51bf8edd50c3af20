"""A VPC's adopted main route table and default ACL: what is added by hand is reported once,
as drift of the adopted resource or as an unmanaged `aws_route`, never twice."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.model import Unit
from driftq.plan import Selection
from tests.conftest import single_account_config
from tests.resources.cases import CaseAccount, new_test_account
from tests.resources.cases.ec2_defaults import _default_network_acl, _default_route_table
from tests.resources.cases.ec2_routes import route_state
from tests.resources.harness import Built, Res
from tests.support.moto import MotoServer

UNIT = Unit("test", "us-east-1", "ec2")


def _findings(
    account: CaseAccount, tmp_path: Path, resources: list[Res], selection: Selection | None = None
) -> set[Any]:
    state = Built(resources, import_id="").state()
    config = single_account_config(account, state.write(tmp_path / "defaults.tfstate"))
    result = Engine(config, selection).scan_unit(UNIT)
    assert result.status == "ok", result.error_message
    return {
        (f.kind, f.resource_type, f.resource_id, tuple(c.attribute for c in f.changes))
        for f in result.findings
    }


def test_a_route_added_to_an_inline_default_table_is_its_drift_only(
    moto_server: MotoServer, tmp_path: Path
) -> None:
    account = new_test_account()
    built = _default_route_table(account)
    table = built.subject("aws_default_route_table")
    ec2 = account.client("ec2")
    gateway = table.attributes["route"][0]["gateway_id"]
    ec2.create_route(
        RouteTableId=table.attributes["id"], DestinationCidrBlock="10.9.0.0/16", GatewayId=gateway
    )
    assert _findings(account, tmp_path, built.resources) == {
        ("drifted", "aws_default_route_table", table.attributes["id"], ("route",))
    }


def test_routes_of_a_default_table_as_aws_route_resources(
    moto_server: MotoServer, tmp_path: Path
) -> None:
    """The adopted table's state read before its routes (none inline), the default route an
    `aws_route`: clean; a route added by hand is one unmanaged `aws_route`."""
    account = new_test_account()
    built = _default_route_table(account)
    table = built.subject("aws_default_route_table")
    tid, gateway = table.attributes["id"], table.attributes["route"][0]["gateway_id"]
    resources = [
        dataclasses.replace(table, attributes={**table.attributes, "route": []}),
        Res("aws_route", "default", route_state(tid, "0.0.0.0/0", gateway)),
        *built.resources[1:],
    ]
    assert _findings(account, tmp_path, resources) == set()
    ec2 = account.client("ec2")
    ec2.create_route(RouteTableId=tid, DestinationCidrBlock="10.9.0.0/16", GatewayId=gateway)
    assert _findings(account, tmp_path, resources) == {
        ("unmanaged", "aws_route", f"{tid}_10.9.0.0/16", ())
    }
    # `--resource-type aws_route`: the adopted table in state still parents its routes
    only_routes = Selection(resource_types=("aws_route",))
    assert _findings(account, tmp_path, resources, only_routes) == {
        ("unmanaged", "aws_route", f"{tid}_10.9.0.0/16", ())
    }


def test_an_entry_added_to_the_default_acl_is_its_drift_only(
    moto_server: MotoServer, tmp_path: Path
) -> None:
    account = new_test_account()
    built = _default_network_acl(account)
    acl = built.subject("aws_default_network_acl").attributes["id"]
    account.client("ec2").create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=80,
        Protocol="17",
        RuleAction="allow",
        Egress=True,
        CidrBlock="10.0.0.0/8",
        PortRange={"From": 53, "To": 53},
    )
    assert _findings(account, tmp_path, built.resources) == {
        ("drifted", "aws_default_network_acl", acl, ("egress",))
    }


def test_a_subnet_made_after_the_default_acl_was_read_is_no_drift(
    moto_server: MotoServer, tmp_path: Path
) -> None:
    """A new subnet joins the VPC's default ACL, whose state lists only the subnets it had
    when it was read: not drift (the subnet is reported on its own if unmanaged)."""
    account = new_test_account()
    built = _default_network_acl(account)
    vpc = built.subject("aws_vpc").attributes["id"]
    subnet = account.client("ec2").create_subnet(
        VpcId=vpc, CidrBlock="10.60.2.0/24", AvailabilityZone="us-east-1b"
    )["Subnet"]
    found = _findings(account, tmp_path, built.resources)
    assert found == {("unmanaged", "aws_subnet", subnet["SubnetId"], ())}
