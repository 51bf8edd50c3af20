"""State parsing over the real Terraform states in tests/fixtures/tfstate-driftctl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from driftq.errors import StateError
from driftq.state.parse import parse_state
from tests.support.estate import StateFile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tfstate-driftctl"
GOOD_FILES = sorted(p for p in FIXTURES.glob("*.tfstate") if not p.name.startswith("bad__"))


def test_fixture_set_is_present() -> None:
    assert len(GOOD_FILES) == 152


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: p.name)
def test_every_real_state_parses(path: Path) -> None:
    resources = parse_state(path.read_bytes(), str(path), "us-east-1")
    document = json.loads(path.read_text())
    managed_aws = [
        (r, i)
        for r in document["resources"]
        if r.get("mode") == "managed" and r["type"].startswith("aws_")
        for i in r["instances"]
    ]
    assert len(resources) == len(managed_aws)
    for resource in resources:
        assert resource.type.startswith("aws_")
        assert resource.address.endswith(tuple("]abcdefghijklmnopqrstuvwxyz0123456789_-"))
        assert resource.region


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad__empty.tfstate", "bad__empty.tfstate: the state file is empty"),
        ("bad__invalid-json.tfstate", "bad__invalid-json.tfstate: not valid JSON (line 16"),
    ],
)
def test_bad_states_give_a_clear_error(name: str, message: str) -> None:
    path = FIXTURES / name
    with pytest.raises(StateError) as info:
        parse_state(path.read_bytes(), str(path), None)
    assert message in str(info.value)


def test_data_sources_and_other_providers_are_skipped() -> None:
    path = FIXTURES / "test__data_source__terraform.tfstate"
    assert all(r.type.startswith("aws_") for r in parse_state(path.read_bytes(), "x", None))
    for other in (
        "test__google_compute_instance__terraform.tfstate",
        "test__github_team__terraform.tfstate",
    ):
        assert parse_state((FIXTURES / other).read_bytes(), other, None) == []


def test_addresses_modules_count_and_for_each() -> None:
    state = (
        StateFile()
        .add("aws_subnet", "private", {"id": "subnet-1"}, module="module.net", index_key=0)
        .add("aws_subnet", "private", {"id": "subnet-2"}, module="module.net", index_key=1)
        .add(
            "aws_iam_user",
            "u",
            {"id": "alice", "arn": "arn:aws:iam::1:user/alice"},
            index_key="alice",
        )
        .add("aws_vpc", "main", {"id": "vpc-1"}, module='module.env["prod"].module.net')
    )
    addresses = [r.address for r in parse_state(json.dumps(state.document()), "s", "eu-west-1")]
    assert addresses == [
        "module.net.aws_subnet.private[0]",
        "module.net.aws_subnet.private[1]",
        'aws_iam_user.u["alice"]',
        'module.env["prod"].module.net.aws_vpc.main',
    ]


def test_region_comes_from_region_attribute_then_arn_then_zone_then_alias_then_backend() -> None:
    # a resource without its own region takes its provider alias's usual region
    west = 'provider["registry.terraform.io/hashicorp/aws"].west'
    state = (
        StateFile()
        .add("aws_vpc", "v6", {"id": "vpc-6", "region": "eu-central-1"})
        .add(
            "aws_vpc",
            "arn",
            {"id": "vpc-a", "arn": "arn:aws:ec2:ap-south-1:123456789012:vpc/vpc-a"},
        )
        .add("aws_subnet", "az", {"id": "subnet-z", "availability_zone": "sa-east-1b"})
        .add(
            "aws_vpc",
            "w",
            {"id": "vpc-w", "arn": "arn:aws:ec2:us-west-2:123456789012:vpc/vpc-w"},
            provider=west,
        )
        .add("aws_security_group_rule", "r", {"id": "sgrule-1"}, provider=west)
        .add(
            "aws_vpc", "b", {"id": "vpc-b", "arn": "arn:aws:ec2:ap-south-1:123456789012:vpc/vpc-b"}
        )
        .add("aws_security_group_rule", "d", {"id": "sgrule-2"})
        .add("aws_security_group_rule", "e", {"id": "sgrule-3"}, provider=west + "2")
    )
    regions = {r.id: r.region for r in parse_state(json.dumps(state.document()), "s", "us-east-1")}
    assert regions == {
        "vpc-6": "eu-central-1",
        "vpc-a": "ap-south-1",
        "subnet-z": "sa-east-1",
        "vpc-w": "us-west-2",
        "sgrule-1": "us-west-2",
        "vpc-b": "ap-south-1",
        "sgrule-2": "ap-south-1",
        "sgrule-3": "us-east-1",
    }


def test_sensitive_attributes_are_recorded() -> None:
    state = StateFile().add(
        "aws_lambda_function",
        "f",
        {"id": "f", "environment": [{"variables": {"K": "v"}}]},
        sensitive=["environment"],
    )
    (resource,) = parse_state(json.dumps(state.document()), "s", "us-east-1")
    assert resource.sensitive == frozenset({"environment"})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"version": 3, "resources": []}, "state format version 3 is not supported"),
        ({"resources": []}, "no `version` field"),
        ({"version": 4, "resources": {}}, "`resources` is not a list"),
        ([1, 2], "no `version` field"),
    ],
)
def test_unsupported_documents(document: object, message: str) -> None:
    with pytest.raises(StateError, match=message):
        parse_state(json.dumps(document), "s.tfstate", None)


def test_binary_garbage_is_a_clear_error() -> None:
    with pytest.raises(StateError, match="not UTF-8"):
        parse_state(b"\xff\xfe\x00garbage", "s.tfstate", None)
