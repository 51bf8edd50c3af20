"""A launch template's attribute-based instance selection (`instance_requirements`) on
recorded DescribeLaunchTemplateVersions data (botocore's shape): the provider writes every
member (0, "", [] when not set), AWS answers only what was set."""

from __future__ import annotations

from typing import Any

from tests.resources.recorded import drifted

ZEROS = {
    "accelerator_count": [],
    "bare_metal": "",
    "burstable_performance": "",
    "cpu_manufacturers": [],
    "excluded_instance_types": [],
    "max_spot_price_as_percentage_of_optimal_on_demand_price": 0,
    "memory_mib": [{"min": 0, "max": 0}],
    "require_hibernate_support": False,
    "vcpu_count": [{"min": 0, "max": 0}],
}


def _template(requirements: dict[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"ImageId": "ami-12c6146b"}
    if requirements is not None:
        data["InstanceRequirements"] = requirements
    return {
        "LaunchTemplateId": "lt-0abc",
        "LaunchTemplateName": "web",
        "Version": {"LaunchTemplateData": data},
    }


def _state(requirements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "lt-0abc", "instance_requirements": requirements}


SET = {
    "VCpuCount": {"Min": 2},
    "MemoryMiB": {"Min": 2048, "Max": 16384},
    "AllowedInstanceTypes": ["m5.*", "c5.*"],
}
STATE = {
    **ZEROS,
    "vcpu_count": [{"min": 2, "max": 0}],
    "memory_mib": [{"min": 2048, "max": 16384}],
    "allowed_instance_types": ["c5.*", "m5.*"],
}


def test_none_set_against_a_block_of_zeros_is_silent() -> None:
    assert drifted("aws_launch_template", _template(None), _state([])) == []
    assert drifted("aws_launch_template", _template(None), _state([ZEROS])) == []


def test_set_requirements_match() -> None:
    assert drifted("aws_launch_template", _template(SET), _state([STATE])) == []


def test_a_changed_range_or_list_is_drift() -> None:
    wider = {**SET, "MemoryMiB": {"Min": 1024, "Max": 16384}}
    assert drifted("aws_launch_template", _template(wider), _state([STATE])) == [
        "instance_requirements"
    ]
    fewer = {**SET, "AllowedInstanceTypes": ["m5.*"]}
    assert drifted("aws_launch_template", _template(fewer), _state([STATE])) == [
        "instance_requirements"
    ]
    assert drifted("aws_launch_template", _template(SET), _state([])) == ["instance_requirements"]
