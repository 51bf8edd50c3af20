"""IAM group and user policy cases: a group's inline policy and managed-policy attachment,
a user's inline policy."""

from __future__ import annotations

import json
from typing import Any

from tests.resources.cases.iam_links import _new_user, _user_res, customer_policy
from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_iam import POLICY, POLICY_IN_STATE
from tests.support.estate import unique


def _group(iam: Any) -> tuple[str, Res]:
    name = unique("group")
    created = iam.create_group(GroupName=name)["Group"]
    state = {
        "id": name,
        "name": name,
        "arn": created["Arn"],
        "path": "/",
        "unique_id": created["GroupId"],
    }
    return name, Res("aws_iam_group", "g", state)


def _group_policy(account: Any) -> Built:
    iam = account.client("iam")
    group, group_res = _group(iam)
    iam.put_group_policy(GroupName=group, PolicyName="app", PolicyDocument=json.dumps(POLICY))
    state = {
        "id": f"{group}:app",
        "name": "app",
        "name_prefix": None,  # provider 3.x and 4.x write null here
        "group": group,
        "policy": POLICY_IN_STATE,
    }
    return Built([Res("aws_iam_group_policy", "p", state), group_res], import_id=f"{group}:app")


def _group_attachment(account: Any) -> Built:
    iam = account.client("iam")
    group, group_res = _group(iam)
    arn, policy = customer_policy(iam)
    iam.attach_group_policy(GroupName=group, PolicyArn=arn)
    state = {"id": f"{group}-20240102030405000000000001", "group": group, "policy_arn": arn}
    return Built(
        [Res("aws_iam_group_policy_attachment", "a", state), group_res, policy],
        import_id=f"{group}/{arn}",
    )


def _user_policy(account: Any) -> Built:
    iam = account.client("iam")
    user = _new_user(iam)
    name = user["UserName"]
    iam.put_user_policy(UserName=name, PolicyName="app", PolicyDocument=json.dumps(POLICY))
    state = {
        "id": f"{name}:app",
        "name": "app",
        "name_prefix": "",
        "user": name,
        "policy": POLICY_IN_STATE,
    }
    return Built([Res("aws_iam_user_policy", "p", state), _user_res(user)], import_id=f"{name}:app")


CASES = [
    TypeCase(type="aws_iam_group_policy", build=_group_policy),
    TypeCase(type="aws_iam_group_policy_attachment", build=_group_attachment),
    TypeCase(type="aws_iam_user_policy", build=_user_policy),
]


def _access_key(account: Any) -> Built:
    iam = account.client("iam")
    user = _new_user(iam)
    name = user["UserName"]
    key = iam.create_access_key(UserName=name)["AccessKey"]
    iam.update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    state = {
        "id": key["AccessKeyId"],
        "user": name,
        "status": "Inactive",
        "create_date": "2024-01-02T03:04:05Z",
        "encrypted_secret": None,
        "encrypted_ses_smtp_password_v4": None,
        "key_fingerprint": None,
        "pgp_key": None,
        # sensitive in the state; never read from AWS, so never compared
        "secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "ses_smtp_password_v4": "BExampleSesSmtpPassword",
    }
    return Built(
        [Res("aws_iam_access_key", "k", state), _user_res(user)], import_id=key["AccessKeyId"]
    )


CASES.append(
    TypeCase(
        type="aws_iam_access_key",
        build=_access_key,
        mutations={"status": "Active"},
    )
)
