"""IAM groups, instance profiles and OpenID Connect providers (global, one unit per account).

Groups come from the GetAccountAuthorizationDetails listing the other IAM specs share. An
instance profile's tags are in that listing too, under the role it holds; only a profile
holding no role needs its own ListInstanceProfileTags. OIDC providers are few per account
(one per cluster or CI system) and AWS has no batch read for them: one
GetOpenIDConnectProvider each.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, because, common
from driftq.resources.context import ScanContext
from driftq.resources.iam import _details
from driftq.resources.spec import Detail, Join, ListCall, ResourceSpec, Tags

Item = dict[str, Any]


def _group(item: Item, ctx: ScanContext) -> Item:
    return {
        "id": item["GroupName"],
        "name": item["GroupName"],
        "arn": item.get("Arn"),
        "unique_id": item.get("GroupId"),
        "path": item.get("Path"),
    }


def _instance_profile(item: Item, ctx: ScanContext) -> Item:
    roles = item.get("Roles") or []
    return {
        "id": item["InstanceProfileName"],
        "name": item["InstanceProfileName"],
        "arn": item.get("Arn"),
        "unique_id": item.get("InstanceProfileId"),
        "path": item.get("Path"),
        "role": roles[0].get("RoleName") if roles else "",
    }


def _oidc_provider(item: Item, ctx: ScanContext) -> Item:
    return {
        "id": item["Arn"],
        "arn": item["Arn"],
        "url": item.get("Url"),
        "client_id_list": list(item.get("ClientIDList") or []),
        "thumbprint_list": list(item.get("ThumbprintList") or []),
    }


def _without_scheme(value: Any) -> Any:
    # AWS answers the issuer without `https://`, states hold it as configured
    return str(value or "").removeprefix("https://").rstrip("/") or None


def _lower(values: Any) -> Any:
    # thumbprints are hex: AWS answers them in lower case
    return sorted(str(v).lower() for v in values or [])


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_iam_group",
        service="iam",
        list_call=_details("GroupDetailList[]"),
        normalize=_group,
        compared=("name", "path"),
        left_out=common("id", "arn") | because(COMPUTED, "unique_id"),
        is_global=True,
        import_id_format="group name, e.g. developers",
    ),
    ResourceSpec(
        type="aws_iam_instance_profile",
        service="iam",
        list_call=ListCall(operation="ListInstanceProfiles", items="InstanceProfiles[]"),
        # a profile's tags, under the role it holds (merged: the listing has no Tags)
        calls=(
            Join(
                source=_details("RoleDetailList[].InstanceProfileList[]"),
                on="InstanceProfileName",
                key="InstanceProfileName",
                required=False,
            ),
        ),
        tags=Tags(
            call=Detail(
                operation="ListInstanceProfileTags",
                key={"InstanceProfileName": "InstanceProfileName"},
                paginated=True,
                result="Tags",
                into="Tags",
                # only a profile without a role is missing from the details
                when=lambda item, ctx: not item.get("Roles") and "Tags" not in item,
            )
        ),
        normalize=_instance_profile,
        compared=("name", "path", "role", "tags"),
        left_out=common("id", "tags_all", "arn", "name_prefix")
        | because(COMPUTED, "create_date", "unique_id"),
        is_global=True,
        import_id_format="instance profile name, e.g. app-profile",
    ),
    ResourceSpec(
        type="aws_iam_openid_connect_provider",
        service="iam",
        list_call=ListCall(
            operation="ListOpenIDConnectProviders",
            items="OpenIDConnectProviderList[]",
            paginated=False,
        ),
        calls=(
            Detail(
                operation="GetOpenIDConnectProvider",
                key={"OpenIDConnectProviderArn": "Arn"},
            ),
        ),
        tags=Tags(),
        normalize=_oidc_provider,
        compared=("url", "client_id_list", "thumbprint_list", "tags"),
        left_out=common("id", "tags_all", "arn"),
        value_forms={"url": _without_scheme, "thumbprint_list": _lower},
        is_global=True,
        import_id_format=(
            "provider ARN, e.g. "
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        ),
    ),
]
