"""Access keys: read only for users a state holds (bounded calls), reported once; a group's
policies are reported once too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from driftq.engine import Engine
from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.enumerate import live_resources
from tests.conftest import emulator, single_account_config
from tests.resources.test_iam import POLICY, READ_ONLY, _user_state
from tests.support.estate import StateFile, unique
from tests.support.moto import MotoServer
from tests.support.scanning import scan_ok


@pytest.fixture(scope="module")
def moto_server() -> Iterator[MotoServer]:
    """A group here attaches an AWS managed policy: this module's emulator holds them."""
    yield from emulator(load_aws_managed_policies=True)


UNIT = Unit("test", "global", "iam")


def test_keys_are_read_for_state_users_only_and_reported_once(account: Any, tmp_path: Path) -> None:
    iam = account.client("iam")
    managed = iam.create_user(UserName=unique("managed"))["User"]
    stranger = iam.create_user(UserName=unique("stranger"))["User"]
    by_hand = iam.create_access_key(UserName=managed["UserName"])["AccessKey"]["AccessKeyId"]
    iam.create_access_key(UserName=stranger["UserName"])
    state = StateFile().add("aws_iam_user", "u", _user_state(managed, tags_all={}))

    result = scan_ok(account, tmp_path, state, UNIT)
    found = {(f.kind, f.resource_type, f.resource_id) for f in result.findings}
    # the stranger's key is covered by the stranger's own finding
    assert found == {
        ("unmanaged", "aws_iam_access_key", by_hand),
        ("unmanaged", "aws_iam_user", stranger["UserName"]),
    }

    engine = Engine(single_account_config(account, tmp_path / "terraform.tfstate"))
    ctx = engine.context(engine.config.account("test"), UNIT, engine.state_index("test"))
    live_resources(REGISTRY["aws_iam_access_key"], ctx)
    asked = [key for key in ctx.memo if ":ListAccessKeys:" in key]
    assert len(asked) == 1 and managed["UserName"] in asked[0]


def test_an_unmanaged_groups_policies_are_covered_by_the_group(
    account: Any, tmp_path: Path
) -> None:
    """A group made by hand with an inline policy and an attached one: one finding, the
    group's; the same policies on a group in the state: one finding each."""
    iam = account.client("iam")
    group = unique("group")
    created = iam.create_group(GroupName=group)["Group"]
    iam.put_group_policy(GroupName=group, PolicyName="extra", PolicyDocument=json.dumps(POLICY))
    iam.attach_group_policy(GroupName=group, PolicyArn=READ_ONLY)

    found = scan_ok(account, tmp_path, StateFile(), UNIT).findings
    assert {(f.kind, f.resource_type, f.resource_id) for f in found} == {
        ("unmanaged", "aws_iam_group", group)
    }

    group_state = {
        "id": group,
        "name": group,
        "arn": created["Arn"],
        "path": "/",
        "unique_id": created["GroupId"],
    }
    state = StateFile().add("aws_iam_group", "g", group_state)
    found = scan_ok(account, tmp_path, state, UNIT).findings
    assert {(f.kind, f.resource_type, f.resource_id) for f in found} == {
        ("unmanaged", "aws_iam_group_policy", f"{group}:extra"),
        ("unmanaged", "aws_iam_group_policy_attachment", f"{group}/{READ_ONLY}"),
    }
