"""KMS case: a customer-managed symmetric key with AWS's default key policy."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_kms import make_key, tf_key


def _key(account: Any) -> Built:
    key_id = make_key(account, "app data")
    return Built([Res("aws_kms_key", "k", tf_key(account, key_id, "app data"))], import_id=key_id)


CASES = [TypeCase(type="aws_kms_key", build=_key)]
