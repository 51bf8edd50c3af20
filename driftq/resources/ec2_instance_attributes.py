"""An instance's settings DescribeInstances does not answer: `disable_api_termination`,
`disable_api_stop`, `instance_initiated_shutdown_behavior` and its user data
(`user_data`, which the provider stores as a SHA-1 of the text, and `user_data_base64`).

DescribeInstanceAttribute answers one attribute of one instance per call and has no batch
form, so these are read only for instances a state holds (an unmanaged instance is reported
whole, its settings are never compared): four calls per managed instance, on EC2's
generous Describe* rate budget, the same order as DescribeInstances pages for an account.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from typing import Any

from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail

Item = dict[str, Any]


def _managed(item: Item, ctx: ScanContext) -> bool:
    def compute() -> set[str]:
        return {str(a.get("id")) for a in ctx.state_attributes("aws_instance", ctx.region)}

    return str(item.get("InstanceId")) in ctx.remember("ec2:instances-in-state", compute)


def _attribute(name: str, into: str) -> Detail:
    # the answer's member is the attribute's name capitalized, e.g. DisableApiTermination
    member = name[0].upper() + name[1:]
    return Detail(
        operation="DescribeInstanceAttribute",
        key={"InstanceId": "InstanceId"},
        params={"Attribute": name},
        result=member,
        into=into,
        when=_managed,
    )


CALLS = (
    _attribute("disableApiTermination", "_Termination"),
    _attribute("disableApiStop", "_Stop"),
    _attribute("instanceInitiatedShutdownBehavior", "_Shutdown"),
    _attribute("userData", "_UserData"),
)


def _value(answer: Any) -> Any:
    return answer.get("Value") if isinstance(answer, dict) else None


def _user_data(answer: Any) -> Attrs:
    encoded = _value(answer) or ""
    if not encoded:
        return {"user_data": "", "user_data_base64": ""}
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raw = str(encoded).encode()
    # the provider's userDataHashSum: hex SHA-1 of the decoded text
    digest = hashlib.sha1(raw, usedforsecurity=False).hexdigest()
    return {"user_data": digest, "user_data_base64": encoded}


def instance_attributes(item: Item) -> Attrs:
    """The settings read for this instance (none for an instance no state holds)."""
    attrs: Attrs = {}
    if "_Termination" in item:
        attrs["disable_api_termination"] = bool(_value(item["_Termination"]))
    if "_Stop" in item:
        attrs["disable_api_stop"] = bool(_value(item["_Stop"]))
    if "_Shutdown" in item:
        attrs["instance_initiated_shutdown_behavior"] = _value(item["_Shutdown"]) or "stop"
    if "_UserData" in item:
        attrs.update(_user_data(item["_UserData"]))
    return attrs


def _shutdown(value: Any) -> Any:
    # unset in older states: AWS's default
    return value or "stop"


VALUE_FORMS: dict[str, Callable[[Any], Any]] = {
    "instance_initiated_shutdown_behavior": _shutdown,
}
COMPARED = (
    "disable_api_termination",
    "disable_api_stop",
    "instance_initiated_shutdown_behavior",
    "user_data",
    "user_data_base64",
)
# a state holds its user data in one of the two: the other is empty there, not drift
WHEN_SET = frozenset({"user_data", "user_data_base64"})
