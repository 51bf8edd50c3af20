"""KMS alias case: an alias of a customer-managed key (the key in the state too)."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_kms import make_key, tf_key
from tests.support.estate import unique


def _alias(account: Any) -> Built:
    key_id = make_key(account, "aliased")
    name = f"alias/{unique('app')}"
    account.client("kms").create_alias(AliasName=name, TargetKeyId=key_id)
    arn = f"arn:aws:kms:us-east-1:{account.id}:key/{key_id}"
    state = {
        "id": name,
        "name": name,
        "name_prefix": "",
        "arn": f"arn:aws:kms:us-east-1:{account.id}:{name}",
        "target_key_arn": arn,
        "target_key_id": arn,  # as configured: the key's ARN; AWS answers its id
    }
    return Built(
        [
            Res("aws_kms_alias", "a", state),
            Res("aws_kms_key", "k", tf_key(account, key_id, "aliased")),
        ],
        import_id=name,
    )


CASES = [TypeCase(type="aws_kms_alias", build=_alias)]
