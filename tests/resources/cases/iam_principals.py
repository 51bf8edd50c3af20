"""IAM principal cases: a group, an instance profile, an OpenID Connect provider."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase, tags_state
from tests.resources.test_iam import DEFAULT_TAGS, _make_role, _role_state, _tags
from tests.support.estate import unique


def _group(account: Any) -> Built:
    name = unique("group")
    group = account.client("iam").create_group(GroupName=name, Path="/teams/")["Group"]
    state = {
        "id": name,
        "name": name,
        "arn": group["Arn"],
        "path": "/teams/",
        "unique_id": group["GroupId"],
    }
    return Built([Res("aws_iam_group", "g", state)], import_id=name)


def _instance_profile(account: Any) -> Built:
    iam = account.client("iam")
    role_name = unique("role")
    role = _make_role(iam, role_name)
    name = unique("profile")
    profile = iam.create_instance_profile(
        InstanceProfileName=name, Path="/app/", Tags=_tags({**DEFAULT_TAGS, "Name": name})
    )["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role_name)
    state = {
        "id": name,
        "name": name,
        "name_prefix": "",
        "arn": profile["Arn"],
        "create_date": "2024-01-02T03:04:05Z",
        "path": "/app/",
        "role": role_name,
        "unique_id": profile["InstanceProfileId"],
        **tags_state({"Name": name}),
    }
    return Built(
        [Res("aws_iam_instance_profile", "p", state), Res("aws_iam_role", "r", _role_state(role))],
        import_id=name,
    )


def _oidc_provider(account: Any) -> Built:
    host = f"{unique('oidc')}.example.com"
    arn = account.client("iam").create_open_id_connect_provider(
        Url=f"https://{host}",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
        Tags=_tags({**DEFAULT_TAGS, "Name": host}),
    )["OpenIDConnectProviderArn"]
    state = {
        "id": arn,
        "arn": arn,
        "url": f"https://{host}",
        "client_id_list": ["sts.amazonaws.com"],
        "thumbprint_list": ["9E99A48A9960B14926BB7F3B02E22DA2B0AB7280"],
        **tags_state({"Name": host}),
    }
    return Built([Res("aws_iam_openid_connect_provider", "o", state)], import_id=arn)


CASES = [
    TypeCase(type="aws_iam_group", build=_group),
    TypeCase(type="aws_iam_instance_profile", build=_instance_profile),
    TypeCase(type="aws_iam_openid_connect_provider", build=_oidc_provider),
]
