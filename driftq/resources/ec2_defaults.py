"""Every VPC's default route table and network ACL, adopted by Terraform:
`aws_default_route_table`, `aws_default_network_acl`.

Both are AWS's (made with the VPC, never deleted while it exists): silent unless a state
holds them; in a state they compare like their plain twins (`aws_route_table`,
`aws_network_acl`), from the same listings. Their plain twins' live copies of the same
table or ACL stay AWS defaults (silent unless a state holds them as the plain type), so
nothing is reported twice. Routes and ACL entries:

- the provider treats a default table's `route` blocks and a default ACL's `ingress` /
  `egress` as the whole set (it removes the rest when it adopts them), so a route or entry
  added by hand is this resource's drift. `aws_route` resources on a default table are
  reconciled with its `route` by ``passes/routes.py``, as on an `aws_route_table`;
  `aws_network_acl_rule` cannot be used with an `aws_default_network_acl` (the provider
  says so): the ACL's entries are compared here, and live entries are not reported again as
  unmanaged rules (their parent `aws_network_acl` is in no state).
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, FOLLOWS_OTHERS, IDENTITY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.ec2_network_acls import _network_acl, entries
from driftq.resources.ec2_routes import _is_main, _route_table
from driftq.resources.spec import ListCall, ResourceSpec, Tags, only_in_state


def _default_route_table(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any] | None:
    if not _is_main(item):
        return None
    attrs = _route_table(item, ctx)
    return {**attrs, "default_route_table_id": attrs["id"]}


def _default_network_acl(item: dict[str, Any], ctx: ScanContext) -> dict[str, Any] | None:
    if not item.get("IsDefault"):
        return None
    attrs = _network_acl(item, ctx)
    return {**attrs, "default_network_acl_id": attrs["id"]}


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_default_route_table",
        service="ec2",
        adopts="aws_route_table",
        # the same DescribeRouteTables answer as aws_route_table's
        list_call=ListCall(operation="DescribeRouteTables", items="RouteTables[]"),
        tags=Tags(),
        normalize=_default_route_table,
        compared=("route", "propagating_vgws", "tags"),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "default_route_table_id")
        | because(COMPUTED, "owner_id", "vpc_id"),
        # `terraform import` takes the VPC's id (the provider finds its main table)
        import_id=lambda attrs: str(attrs.get("vpc_id") or ""),
        import_id_format="the VPC's id, e.g. vpc-0abc123",
        is_aws_default=only_in_state,  # made by AWS with its VPC
        doc="a VPC's main route table, adopted: compared when in a state, otherwise silent",
    ),
    ResourceSpec(
        type="aws_default_network_acl",
        service="ec2",
        # the same DescribeNetworkAcls answer as aws_network_acl's
        list_call=ListCall(operation="DescribeNetworkAcls", items="NetworkAcls[]"),
        tags=Tags(),
        normalize=_default_network_acl,
        compared=("ingress", "egress", "tags"),
        # a subnet Terraform makes joins the default ACL after the ACL's state was read (the
        # popular VPC module ignores `subnet_ids` for that reason): comparing it would
        # report every new subnet
        left_out=common("id", "region", "tags_all", "arn")
        | because(IDENTITY, "default_network_acl_id")
        | because(COMPUTED, "owner_id", "vpc_id")
        | because(FOLLOWS_OTHERS, "subnet_ids"),
        value_forms={"ingress": entries, "egress": entries},
        import_id_format="the default network ACL's id, e.g. acl-0abc123",
        is_aws_default=only_in_state,  # made by AWS with its VPC
        doc="a VPC's default ACL, adopted: entries compare as sets without the catch-all deny",
    ),
]
