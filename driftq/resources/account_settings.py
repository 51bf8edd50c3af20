"""Account-level singletons: `aws_s3_account_public_access_block` (one per account, global)
and `aws_ebs_encryption_by_default` (one per account and region).

Each is one read call per unit. A setting at AWS's default (no account block configured,
or one with all four switches off; default EBS encryption off) is silent unless a state
holds it; turned on outside Terraform it is unmanaged. A state that holds one whose setting
was turned back to the default is drift of its switches (the setting always exists in AWS),
except an account block deleted outright, which is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.resources.attributes import IDENTITY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.ec2_common import AWS_DEFAULT, aws_default
from driftq.resources.spec import ListCall, ResourceSpec

Item = dict[str, Any]
_SWITCHES = {
    "block_public_acls": "BlockPublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "ignore_public_acls": "IgnorePublicAcls",
    "restrict_public_buckets": "RestrictPublicBuckets",
}
EBS_DEFAULT = "ebs-encryption-by-default"  # one per region: both sides keyed by this


# --- aws_s3_account_public_access_block ----------------------------------------------------


def _account_block(ctx: ScanContext) -> Iterable[Item]:
    # S3 Control names the account in every call; no configuration is an error answer
    params = {"AccountId": ctx.account_id}
    try:
        pages = ctx.pages("s3control", "GetPublicAccessBlock", params, paginated=False)
    except ClientError as exc:
        if error_code(exc) == "NoSuchPublicAccessBlockConfiguration":
            return []
        raise
    block = pages[0].get("PublicAccessBlockConfiguration") or {}
    return [{"AccountId": ctx.account_id, **block}]


def _public_access_block(item: Item, ctx: ScanContext) -> Item:
    switches = {name: bool(item.get(key)) for name, key in _SWITCHES.items()}
    return {
        "id": item["AccountId"],
        "account_id": item["AccountId"],
        **switches,
        AWS_DEFAULT: not any(switches.values()),  # all off: the same as none configured
    }


# --- aws_ebs_encryption_by_default ---------------------------------------------------------


def _ebs_default(item: Item, ctx: ScanContext) -> Item:
    enabled = bool(item.get("EbsEncryptionByDefault"))
    return {"id": EBS_DEFAULT, "enabled": enabled, AWS_DEFAULT: not enabled}


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_s3_account_public_access_block",
        service="s3",
        enumerate=_account_block,
        operations=("s3control:GetPublicAccessBlock",),
        normalize=_public_access_block,
        compared=tuple(_SWITCHES),
        left_out=common("id") | because(IDENTITY, "account_id"),
        is_aws_default=aws_default,
        is_global=True,
        import_id_format="the account id, e.g. 123456789012",
        doc="one per account; all four switches off is AWS's default",
    ),
    ResourceSpec(
        type="aws_ebs_encryption_by_default",
        service="ec2",
        list_call=ListCall(operation="GetEbsEncryptionByDefault", items="[@]", paginated=False),
        normalize=_ebs_default,
        compared=("enabled",),
        left_out=common("id", "region"),
        # the state's id is an opaque `terraform-<timestamp>`: one per region on both sides
        identity=lambda attrs: EBS_DEFAULT,
        # any id imports it (the provider reads the region's setting); `default` by custom
        import_id=lambda attrs: "default",
        is_aws_default=aws_default,
        import_id_format="any id (the region's setting is read), e.g. default",
        doc="one per region; encryption off is AWS's default",
    ),
]
