"""The registry lint: every spec checked against boto3, botocore's models, the read-only
guard, the provider's schema and the runtime's queues and rate limits, so a typo in a spec
fails here rather than in a user's scan."""

from __future__ import annotations

from typing import Any

import boto3
import botocore.session
import jmespath
import pytest

from driftq.aws.guard import is_allowed
from driftq.resources import REGISTRY
from driftq.resources import attributes as reasons
from driftq.resources.services import CLIENTS, SERVICES, service
from driftq.resources.spec import Detail, Join, ListCall, ResourceSpec
from tests.resources.cases import CASES
from tests.support.provider_schema import attributes
from workers.queues import queue_for
from workers.ratelimit import DEFAULT_LIMITS

SPECS = sorted(REGISTRY)
BOTO3_SERVICES = set(boto3.session.Session().get_available_services())
_MODELS = botocore.session.get_session()
_READ_VERBS = ("Describe", "List", "Get", "BatchGet", "Search", "Lookup")
REASONS = {v for k, v in vars(reasons).items() if k.isupper() and isinstance(v, str)}


def _calls(spec: ResourceSpec) -> list[tuple[str, ListCall | Detail]]:
    """Every declarative call of a spec, with the client it goes to."""
    out: list[tuple[str, ListCall | Detail]] = []
    if spec.list_call is not None:
        out.append((spec.list_call.client or spec.client_name, spec.list_call))
    steps = list(spec.calls)
    if spec.tags is not None:
        steps += [s for s in (spec.tags.call, spec.tags.join) if s is not None]
    for step in steps:
        if isinstance(step, Join):
            out.append((step.source.client or spec.client_name, step.source))
        else:
            out.append((step.client or spec.client_name, step))
    return out


@pytest.mark.parametrize("rtype", SPECS)
def test_service_is_declared_and_a_boto3_service(rtype: str) -> None:
    spec = REGISTRY[rtype]
    declared = service(spec.service)
    assert declared is not None and declared.scanned, f"{spec.service}: not in SERVICES"
    assert spec.client_name in BOTO3_SERVICES
    if spec.is_global:
        assert declared.is_global, f"{rtype} is global but {spec.service} units are regional"


@pytest.mark.parametrize("rtype", SPECS)
def test_operations_exist_are_reads_and_pass_the_guard(rtype: str) -> None:
    spec = REGISTRY[rtype]
    if spec.enumerate is not None:
        assert spec.operations, f"{rtype}: a custom enumerator must declare its operations"
    for client, operation in spec.operations_called:
        assert client in BOTO3_SERVICES, f"{rtype}: {client} is not a boto3 client"
        model = _MODELS.get_service_model(client)
        assert operation in model.operation_names, f"{rtype}: no {client}:{operation}"
        assert operation.startswith(_READ_VERBS), f"{client}:{operation}"
        assert is_allowed(client, operation)
        assert client in DEFAULT_LIMITS, f"{rtype}: no rate limit for {client}"


@pytest.mark.parametrize("rtype", SPECS)
def test_declared_calls_name_real_parameters_and_valid_paths(rtype: str) -> None:
    spec = REGISTRY[rtype]
    for client, call in _calls(spec):
        model = _MODELS.get_service_model(client).operation_model(call.operation)
        members = set(model.input_shape.members) if model.input_shape else set()
        names = set(call.params)
        if isinstance(call, Detail):
            names |= set(call.key)
            jmespath.compile(call.result)
            for key in call.key.values():
                if isinstance(key, str):
                    jmespath.compile(key)
        else:
            jmespath.compile(call.items)
            if call.per_region:
                names.add(call.per_region)
        assert names <= members, f"{rtype}: {call.operation} has no {sorted(names - members)}"
        if getattr(call, "paginated", False) and isinstance(call, Detail):
            assert boto3.client(client, region_name="us-east-1").can_paginate(
                botocore.xform_name(call.operation)
            ), f"{rtype}: {call.operation} cannot paginate"


@pytest.mark.parametrize("rtype", SPECS)
def test_every_provider_attribute_is_compared_or_left_out_with_a_reason(rtype: str) -> None:
    spec = REGISTRY[rtype]
    schema = attributes(rtype)
    named = set(spec.compared) | set(spec.left_out)
    assert not named - schema, f"{rtype}: not in the provider's schema: {sorted(named - schema)}"
    assert not schema - named, f"{rtype}: neither compared nor left out: {sorted(schema - named)}"
    for name, why in spec.left_out.items():
        assert why.startswith(tuple(REASONS)), f"{rtype}.{name}: say why with attributes.py"


@pytest.mark.parametrize("rtype", SPECS)
def test_comparison_settings_name_compared_attributes(rtype: str) -> None:
    spec = REGISTRY[rtype]
    compared = set(spec.compared)
    for name in (*spec.json_attributes, *spec.ordered_attributes, *spec.value_forms):
        assert name in compared, f"{rtype}: {name} is not compared"
    if spec.parent is not None:
        assert spec.parent in REGISTRY, f"{rtype}: parent {spec.parent} is not a type"
        if spec.inline_in_parent:
            assert spec.inline_in_parent in attributes(spec.parent)


def test_every_service_has_specs_a_queue_and_a_rate_limit() -> None:
    used = {spec.service for spec in REGISTRY.values()}
    for declared in SERVICES:
        assert declared.name in used, f"{declared.name} is declared but has no spec"
        assert queue_for(declared.name).value == f"scan.{declared.name}"
        assert declared.name in DEFAULT_LIMITS
        assert declared.rate_limit.source
    for helper in CLIENTS:
        assert helper.name in BOTO3_SERVICES and helper.name in DEFAULT_LIMITS


def test_every_type_has_a_test_case() -> None:
    covered: dict[str, Any] = {case.type: case for case in CASES}
    assert sorted(set(REGISTRY) - set(covered)) == []
    assert sorted(set(covered) - set(REGISTRY)) == []
