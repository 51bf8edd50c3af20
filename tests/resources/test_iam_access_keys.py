"""Access keys: read only for users a state holds (bounded calls), reported once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.enumerate import live_resources
from tests.conftest import single_account_config
from tests.resources.test_iam import _user_state
from tests.support.estate import StateFile, unique
from tests.support.scanning import scan_ok

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
