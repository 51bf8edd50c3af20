"""An instance's DescribeInstanceAttribute settings (``ec2_instance_attributes.py``) against
a real moto server: termination and stop protection, the shutdown behaviour and the user
data (as the provider's SHA-1 or as base64), asked only for instances a state holds."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from driftq.engine import Engine
from driftq.model import Unit
from driftq.resources import REGISTRY
from driftq.resources.enumerate import live_resources
from tests.conftest import single_account_config
from tests.resources.test_ec2 import REGION, scan, tag_spec, tf_instance
from tests.support.estate import StateFile

USER_DATA = "#!/bin/sh\necho hello\n"


def _run(account: Any, **extra: Any) -> dict[str, Any]:
    return account.client("ec2", REGION).run_instances(
        ImageId="ami-12c6146b",
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        TagSpecifications=tag_spec("instance", "app"),
        **extra,
    )["Instances"][0]


def _state(account: Any, inst: dict[str, Any], **attrs: Any) -> dict[str, Any]:
    return {**tf_instance(account, inst), "iam_instance_profile": "", "monitoring": False, **attrs}


def test_settings_match_then_drift(account: Any, tmp_path: Path) -> None:
    protected = _run(account, UserData=USER_DATA, InstanceInitiatedShutdownBehavior="terminate")
    ec2 = account.client("ec2", REGION)
    # the emulator ignores run_instances' DisableApiTermination
    ec2.modify_instance_attribute(
        InstanceId=protected["InstanceId"], DisableApiTermination={"Value": True}
    )
    encoded = base64.b64encode(b"raw-bytes").decode()
    plain = _run(account, UserData="raw-bytes")
    state = (
        StateFile()
        .add(
            "aws_instance",
            "protected",
            _state(
                account,
                protected,
                # the provider stores the text's SHA-1
                user_data=hashlib.sha1(USER_DATA.encode(), usedforsecurity=False).hexdigest(),
                disable_api_termination=True,
                instance_initiated_shutdown_behavior="terminate",
            ),
        )
        # user data given as base64 (`user_data_base64`); "" is AWS's default shutdown
        .add(
            "aws_instance",
            "plain",
            _state(
                account, plain, user_data_base64=encoded, instance_initiated_shutdown_behavior=""
            ),
        )
    )
    assert scan(account, tmp_path, state) == []

    ec2.modify_instance_attribute(
        InstanceId=protected["InstanceId"], DisableApiTermination={"Value": False}
    )
    ec2.modify_instance_attribute(
        InstanceId=plain["InstanceId"],
        Attribute="instanceInitiatedShutdownBehavior",
        Value="terminate",
    )
    found = {f.resource_id: f for f in scan(account, tmp_path, state)}
    assert {
        c.attribute: (c.expected, c.actual) for c in found[protected["InstanceId"]].changes
    } == {"disable_api_termination": (True, False)}
    assert {c.attribute: (c.expected, c.actual) for c in found[plain["InstanceId"]].changes} == {
        "instance_initiated_shutdown_behavior": ("stop", "terminate")
    }


def test_only_instances_in_state_are_asked(account: Any, tmp_path: Path) -> None:
    managed = _run(account)
    unmanaged = _run(account)
    state = StateFile().add("aws_instance", "app", _state(account, managed))
    engine = Engine(single_account_config(account, state.write(tmp_path / "s.tfstate"), [REGION]))
    asked: list[str] = []

    def factory(service: str, region: str | None = None) -> Any:
        client = account.client(service, region or REGION)
        client.meta.events.register(
            "before-parameter-build.ec2.DescribeInstanceAttribute",
            lambda params, **_: asked.append(params["InstanceId"]),
        )
        return client

    unit = Unit("test", REGION, "ec2")
    ctx = engine.context(engine.config.account("test"), unit, engine.state_index("test"))
    ctx.client_factory = factory
    live = {r.identity: r for r in live_resources(REGISTRY["aws_instance"], ctx)}
    assert asked == [managed["InstanceId"]] * 4
    assert live[managed["InstanceId"]].attributes["disable_api_termination"] is False
    assert "disable_api_termination" not in live[unmanaged["InstanceId"]].attributes
