"""Permissions on a function's alias or version (`qualifier`): the alias's own policy is read
(GetPolicy with `Qualifier`) for the qualifiers the state's permissions name. moto keeps one
policy per function whatever the qualifier, so the answers here are recorded, botocore-shaped
ones, served by botocore's Stubber (which checks each request against the service model)
to the spec's real listing, calls and normalizer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from driftq.compare import compare
from driftq.model import StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resources
from driftq.state.index import StateIndex

SPEC = REGISTRY["aws_lambda_permission"]
ACCOUNT = "123456789012"
FUNCTION = "api"
RULE = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly"


def _policy(*sids: str, source: str = RULE) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": sid,
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "lambda:InvokeFunction",
                    "Resource": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{FUNCTION}:live",
                    "Condition": {"ArnLike": {"AWS:SourceArn": source}},
                }
                for sid in sids
            ],
        }
    )


def _permission(sid: str, qualifier: str, function: str = FUNCTION) -> StateResource:
    attributes = {
        "id": sid,
        "statement_id": sid,
        "function_name": function,
        "qualifier": qualifier,
        "action": "lambda:InvokeFunction",
        "principal": "events.amazonaws.com",
        "source_arn": RULE,
    }
    return StateResource(
        type=SPEC.type,
        address=f"aws_lambda_permission.{sid.lower()}",
        id=sid,
        attributes=attributes,
        region="us-east-1",
        state="recorded",
    )


@pytest.fixture
def client() -> Iterator[tuple[Any, Stubber]]:
    lam = boto3.client(
        "lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(lam) as stubber:
        yield lam, stubber


def _live(client: tuple[Any, Stubber], state: list[StateResource], alias_policy: Any) -> Any:
    lam, stubber = client
    function = {
        "FunctionName": FUNCTION,
        "FunctionArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{FUNCTION}",
    }
    stubber.add_response("list_functions", {"Functions": [function]}, {})
    stubber.add_client_error(
        "get_policy",
        "ResourceNotFoundException",
        http_status_code=404,
        expected_params={"FunctionName": FUNCTION},
    )
    if isinstance(alias_policy, str):
        stubber.add_response(
            "get_policy",
            {"Policy": alias_policy, "RevisionId": "1"},
            {"FunctionName": FUNCTION, "Qualifier": "live"},
        )
    else:
        stubber.add_client_error(
            "get_policy",
            "ResourceNotFoundException",
            http_status_code=404,
            expected_params={"FunctionName": FUNCTION, "Qualifier": "live"},
        )
    ctx = ScanContext(
        Unit("test", "us-east-1", "lambda"),
        ACCOUNT,
        ("us-east-1",),
        lambda service, region=None: lam,
        state=StateIndex(state),
    )
    live = {r.identity: r for r in live_resources(SPEC, ctx)}
    stubber.assert_no_pending_responses()
    return live


def test_alias_permissions_match_their_state(client: tuple[Any, Stubber]) -> None:
    state = [_permission("Nightly", "live"), _permission("Hourly", "live")]
    live = _live(client, state, _policy("Nightly", "Hourly"))
    assert set(live) == {"api:live/Nightly", "api:live/Hourly"}
    for resource in state:
        key = SPEC.identity_of_state(resource.attributes)
        assert compare(SPEC, resource, live[key]) == []
    # Terraform's import id for a qualified permission
    assert live["api:live/Nightly"].import_id == "api:live/Nightly"


def test_a_qualified_arn_names_the_alias_too(client: tuple[Any, Stubber]) -> None:
    arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{FUNCTION}:live"
    state = [_permission("Nightly", "", function=arn)]
    live = _live(client, state, _policy("Nightly"))
    assert SPEC.identity_of_state(state[0].attributes) in live


def test_a_changed_alias_permission_is_drift(client: tuple[Any, Stubber]) -> None:
    state = [_permission("Nightly", "live")]
    live = _live(client, state, _policy("Nightly", source=f"{RULE}-other"))
    found = compare(SPEC, state[0], live["api:live/Nightly"])
    assert [c.attribute for c in found] == ["source_arn"]


def test_permissions_of_a_deleted_alias_are_not_listed(client: tuple[Any, Stubber]) -> None:
    # the engine reports them missing: nothing live has their identity
    assert _live(client, [_permission("Nightly", "live")], None) == {}


def test_an_event_reads_the_named_function_and_its_aliases_alone(
    client: tuple[Any, Stubber],
) -> None:
    """AddPermission on `api`: GetFunction instead of ListFunctions, then both policies."""
    from driftq.events.narrow import narrowed

    lam, stubber = client
    arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{FUNCTION}"
    stubber.add_response(
        "get_function",
        {"Configuration": {"FunctionName": FUNCTION, "FunctionArn": arn}},
        {"FunctionName": FUNCTION},
    )
    stubber.add_response(
        "get_policy", {"Policy": _policy("Direct"), "RevisionId": "1"}, {"FunctionName": FUNCTION}
    )
    stubber.add_response(
        "get_policy",
        {"Policy": _policy("Nightly"), "RevisionId": "1"},
        {"FunctionName": FUNCTION, "Qualifier": "live"},
    )
    spec = narrowed(SPEC, frozenset({FUNCTION}))
    assert spec is not None
    ctx = ScanContext(
        Unit("test", "us-east-1", "lambda"),
        ACCOUNT,
        ("us-east-1",),
        lambda service, region=None: lam,
        state=StateIndex([_permission("Nightly", "live")]),
    )
    assert {r.identity for r in live_resources(spec, ctx)} == {"api/Direct", "api:live/Nightly"}
    stubber.assert_no_pending_responses()
