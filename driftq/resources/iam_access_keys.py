"""IAM users' access keys (`aws_iam_access_key`).

AWS reports a key's id, user, status and creation date (ListAccessKeys); its secret and the
SES SMTP password derived from it are handed out once, at creation, and never read here.

Calls are bounded: no batch read lists access keys (GetAccountAuthorizationDetails leaves
them out, the credential report names no key ids), so it is one ListAccessKeys per user,
each one page (AWS allows at most two keys per user). It is sent only for users a state
holds (as `aws_iam_user`, or as the `user` of an `aws_iam_access_key`): a key of a user in
no state is covered by that user's own unmanaged finding (a child of its user), so asking
for it would cost a call and report nothing. Without states (the demo), every user is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import COMPUTED, SECRET, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.iam import _details
from driftq.resources.spec import Detail, ResourceSpec

Item = dict[str, Any]
_KEYS = "_access_keys"


def _users_in_state(ctx: ScanContext) -> set[str]:
    def compute() -> set[str]:
        users = {
            str(a.get("name") or a.get("id") or "") for a in ctx.state_attributes("aws_iam_user")
        }
        users |= {str(a.get("user") or "") for a in ctx.state_attributes("aws_iam_access_key")}
        return users - {""}

    return ctx.remember("iam:access-key-users", compute)


def _read_keys(user: Item, ctx: ScanContext) -> bool:
    return ctx.state is None or user.get("UserName") in _users_in_state(ctx)


def _keys(user: Item) -> Iterator[Item]:
    for key in user.get(_KEYS) or []:
        yield {"UserName": user["UserName"], **key}


def _access_key(item: Item, ctx: ScanContext) -> Item:
    return {
        "id": item["AccessKeyId"],
        "user": item.get("UserName"),
        "status": item.get("Status"),
        "create_date": item.get("CreateDate"),
    }


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_iam_access_key",
        service="iam",
        list_call=_details("UserDetailList[]"),
        calls=(
            Detail(
                operation="ListAccessKeys",
                key={"UserName": "UserName"},
                paginated=True,
                result="AccessKeyMetadata",
                into=_KEYS,
                gone=frozenset({"NoSuchEntity"}),
                when=_read_keys,
            ),
        ),
        expand=_keys,
        normalize=_access_key,
        compared=("user", "status"),
        left_out=common("id")
        | because(COMPUTED, "create_date", "key_fingerprint")
        | because(SECRET, "secret", "ses_smtp_password_v4")
        | because(
            TERRAFORM_ONLY,
            "pgp_key",
            # the secret and password encrypted by the provider with `pgp_key`
            "encrypted_secret",
            "encrypted_ses_smtp_password_v4",
        ),
        parent="aws_iam_user",
        parent_identity=lambda attrs: str(attrs.get("user") or ""),
        is_global=True,
        import_id_format="access key id, e.g. AKIAIOSFODNN7EXAMPLE",
        doc="one ListAccessKeys per user in a state; the secret is never read",
    ),
]
