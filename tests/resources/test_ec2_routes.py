"""Routes inline on a table or as `aws_route` resources, and AWS's own routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.model import Unit
from driftq.plan import Selection
from driftq.resources.ec2_routes import _managed_routes, route_block, route_id
from tests.conftest import single_account_config
from tests.resources.cases.ec2_routes import route_block as state_block
from tests.resources.cases.ec2_routes import routed_network
from tests.resources.test_ec2 import REGION, summary
from tests.support.estate import StateFile


def _scan(account: Any, tmp_path: Path, resources: list[Any], types: tuple[str, ...] = ()) -> Any:
    state = StateFile()
    for res in resources:
        state.add(res.type, res.name, res.attributes)
    config = single_account_config(account, state.write(tmp_path / "routes.tfstate"))
    result = Engine(config, Selection(resource_types=types)).scan_unit(Unit("test", REGION, "ec2"))
    assert result.status == "ok", result.error_message
    return result.findings


def test_route_ids_are_the_providers() -> None:
    # the provider's id for a default route: `r-` + table + CRC-32 of the destination
    assert route_id("rtb-0abc", "0.0.0.0/0") == "r-rtb-0abc1080289494"


def test_aws_own_routes_are_not_the_tables() -> None:
    table = {
        "Routes": [
            {
                "DestinationCidrBlock": "10.0.0.0/16",
                "GatewayId": "local",
                "Origin": "CreateRouteTable",
            },
            {
                "DestinationPrefixListId": "pl-63a5400a",
                "GatewayId": "vpce-0s3",
                "Origin": "CreateRoute",
            },
            {
                "DestinationCidrBlock": "172.16.0.0/12",
                "GatewayId": "vgw-1",
                "Origin": "EnableVgwRoutePropagation",
            },
            {
                "DestinationCidrBlock": "0.0.0.0/0",
                "GatewayId": "vpce-0gwlb",
                "Origin": "CreateRoute",
            },
        ]
    }
    (gwlb,) = [route_block(r) for r in _managed_routes(table)]
    # a Gateway Load Balancer endpoint is a vpc_endpoint_id to Terraform
    assert (gwlb["cidr_block"], gwlb["gateway_id"], gwlb["vpc_endpoint_id"]) == (
        "0.0.0.0/0",
        "",
        "vpce-0gwlb",
    )


def test_table_with_route_resources_refreshed_or_not(account: Any, tmp_path: Path) -> None:
    resources, ids = routed_network(account)
    assert _scan(account, tmp_path, resources) == []
    # the private table after a refresh lists its aws_route resources' routes inline
    refreshed = [
        r
        if r.name != "private"
        else type(r)(
            r.type,
            r.name,
            {
                **r.attributes,
                "route": [
                    state_block(c, gateway_id=ids["igw"]) for c in ("0.0.0.0/0", "192.168.0.0/16")
                ],
            },
        )
        for r in resources
    ]
    assert _scan(account, tmp_path, refreshed) == []
    assert _scan(account, tmp_path, resources, ("aws_route_table",)) == []


def test_routes_added_by_hand(account: Any, tmp_path: Path) -> None:
    resources, ids = routed_network(account)
    ec2 = account.client("ec2")
    for table in ("public", "private"):
        ec2.create_route(
            RouteTableId=ids[table], DestinationCidrBlock="172.16.0.0/12", GatewayId=ids["igw"]
        )
    found = _scan(account, tmp_path, resources)
    # on the table written inline it is the table's drift; on the other an unmanaged route
    assert summary(found) == {
        ("drifted", "aws_route_table", ids["public"]),
        ("unmanaged", "aws_route", f"{ids['private']}_172.16.0.0/12"),
    }
    (drift,) = [f for f in found if f.kind == "drifted"]
    assert [c.attribute for c in drift.changes] == ["route"]
