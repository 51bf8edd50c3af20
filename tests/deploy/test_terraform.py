"""deploy/terraform against the provider's schema (aws 6.25.0) and against itself: every
resource type and argument exists, every module call passes what the module declares, every
reference resolves; and the set-up matches what driftq's outputs expect."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from driftq.aws.guard import scan_operations
from driftq.cli import main
from driftq.iam_policy import iam_actions
from driftq.outputs.clients import WRITE_ACTIONS
from driftq.outputs.settings import DEFAULT_NAMESPACE, DEFAULT_TABLE
from tests.deploy.terraform import (
    TERRAFORM,
    ModuleDir,
    Resource,
    fields,
    is_block,
    label,
    module_dirs,
    provider_schema,
)

RESOURCE_META = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner"}
MODULE_META = {"source", "version", "count", "for_each", "providers", "depends_on"}
# The schema file lists the arguments inside blocks but not the names of blocks nested in
# blocks; these are the ones used here, each checked against the provider's documentation.
NESTED_BLOCKS = {
    "aws_s3_bucket_server_side_encryption_configuration": {
        "apply_server_side_encryption_by_default"
    },
    "aws_s3_bucket_lifecycle_configuration": {
        "filter",
        "noncurrent_version_expiration",
        "abort_incomplete_multipart_upload",
    },
}
DIRS = module_dirs()
RESOURCES = [r for d in DIRS for r in d.resources()]


def test_every_module_parses_and_has_resources() -> None:
    names = {d.path.relative_to(TERRAFORM).as_posix() for d in DIRS}
    assert {
        "modules/scanner-role",
        "modules/state-reader",
        "modules/footprint",
        "examples/organization",
        "examples/organization/target",
    } <= names
    assert len(RESOURCES) >= 15


def problems_of(resource: Resource) -> list[str]:
    schema = provider_schema().get(resource.type)
    where = f"{resource.file.relative_to(TERRAFORM)}: {resource.type}.{resource.name}"
    if schema is None:
        return [f"{where}: no resource type {resource.type} in the provider"]
    out = []
    for key, value in fields(resource.body).items():
        if key in RESOURCE_META:
            continue
        if key == "dynamic":
            for item in value:
                for name, body in item.items():
                    if label(name) not in schema["blocks"]:
                        out.append(f"{where}: no block {label(name)}")
                    for content in fields(body).get("content", []):
                        out += _nested(where, resource.type, content, schema)
            continue
        if key not in schema["attributes"]:
            out.append(f"{where}: no argument {key}")
        elif is_block(value):
            if key not in schema["blocks"]:
                out.append(f"{where}: {key} is an argument, not a block")
            for body in value:
                out += _nested(where, resource.type, body, schema)
    return out


def _nested(where: str, rtype: str, body: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    out = []
    for key, value in fields(body).items():
        if is_block(value):
            if key not in schema["nested_attributes"] and key not in NESTED_BLOCKS.get(rtype, ()):
                out.append(f"{where}: no nested block {key}")
            for inner in value:
                out += _nested(where, rtype, inner, schema)
        elif key not in schema["nested_attributes"]:
            out.append(f"{where}: no nested argument {key}")
    return out


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: f"{r.type}.{r.name}")
def test_resource_types_and_arguments_exist_in_the_provider(resource: Resource) -> None:
    assert problems_of(resource) == []


def test_the_checker_catches_a_typo() -> None:
    """The check above can fail: a misspelt argument, block and type are each reported."""
    (table,) = [r for r in RESOURCES if r.type == "aws_dynamodb_table"]
    bad = Resource(
        table.type,
        "bad",
        {**table.body, "billing_mod": "X", "ttl": [{"attribute": "t", "__is_block__": True}]},
        table.file,
    )
    assert {p.split(": ", 2)[-1] for p in problems_of(bad)} == {
        "no argument billing_mod",
        "no nested argument attribute",
    }
    assert problems_of(Resource("aws_dynamo_table", "x", {}, table.file))


def _local_module(caller: ModuleDir, source: str) -> ModuleDir:
    target = (caller.path / source).resolve()
    (found,) = [d for d in DIRS if d.path.resolve() == target]
    return found


@pytest.mark.parametrize("caller", DIRS, ids=lambda d: d.path.relative_to(TERRAFORM).as_posix())
def test_module_calls_and_references_resolve(caller: ModuleDir) -> None:
    variables = caller.named("variable")
    outputs_of: dict[str, set[str]] = {}
    for name, call in caller.named("module").items():
        module = _local_module(caller, call["source"])
        declared = module.named("variable")
        passed = set(fields(call)) - MODULE_META
        assert passed <= set(declared), f"module {name}: unknown {passed - set(declared)}"
        required = {v for v, body in declared.items() if "default" not in body}
        assert required <= passed, f"module {name}: missing {required - passed}"
        outputs_of[name] = set(module.named("output"))
    locals_ = caller.locals()
    for kind, name, attr in caller.references():
        if kind == "var":
            assert name in variables, f"var.{name} is not declared"
        elif kind == "local":
            assert name in locals_, f"local.{name} is not defined"
        elif attr and not attr.isdigit():
            assert attr in outputs_of.get(name, set()), f"module.{name}.{attr} is not an output"


def test_variables_have_types_and_secrets_are_sensitive() -> None:
    for d in DIRS:
        for name, body in d.named("variable").items():
            assert "type" in body, f"{d.path}: variable {name} has no type"
            if "external_id" in name:
                assert body.get("sensitive") is True, f"{d.path}: {name} is not sensitive"


def _by_type(rtype: str) -> list[Resource]:
    return [r for r in RESOURCES if r.type == rtype]


def test_the_footprint_matches_what_the_outputs_write() -> None:
    (table,) = _by_type("aws_dynamodb_table")
    body = table.body
    assert (body["hash_key"], body["range_key"]) == ("account_region", "timestamp")
    assert {(a["name"], a["type"]) for a in body["attribute"]} == {
        ("account_region", "S"),
        ("timestamp", "S"),
    }
    assert body["ttl"][0]["attribute_name"] == "ttl" and body["ttl"][0]["enabled"] is True
    footprint = next(d for d in DIRS if d.path.name == "footprint")
    variables = footprint.named("variable")
    assert variables["table_name"]["default"] == DEFAULT_TABLE
    assert variables["namespace"]["default"] == DEFAULT_NAMESPACE

    (versioning,) = _by_type("aws_s3_bucket_versioning")
    assert versioning.body["versioning_configuration"][0]["status"] == "Enabled"
    (block,) = _by_type("aws_s3_bucket_public_access_block")
    assert all(
        block.body[k] is True
        for k in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )
    assert _by_type("aws_s3_bucket_server_side_encryption_configuration")
    assert _by_type("aws_sns_topic_subscription")[0].body["protocol"] == "email"

    # the dashboard plots the three metrics the CloudWatch output sends
    dashboard = (footprint.path / "dashboard.tf").read_text()
    for metric in ("DriftedResources", "MissingResources", "UnmanagedResources"):
        assert f'"{metric}"' in dashboard or f"{metric} " in dashboard

    # the writer policy grants exactly the client factory's write actions
    writer = (footprint.path / "writer.tf").read_text()
    granted = set(json.loads(_json_list(writer, "Action")))
    assert granted == WRITE_ACTIONS - {"sts:AssumeRole"} | {"kms:GenerateDataKey", "kms:Decrypt"}


def _json_list(text: str, key: str) -> str:
    """Every `Key = [..]` list of strings in ``text``, merged into one JSON list."""
    found: list[str] = []
    for match in re.finditer(rf"{key}\s*=\s*\[([^\]]*)\]", text):
        found += re.findall(r'"([^"]+)"', match.group(1))
    return json.dumps(found)


def test_the_scanner_role_trusts_the_management_account_with_the_external_id() -> None:
    roles = {r.file.parent.name: r for r in _by_type("aws_iam_role")}
    trust = roles["scanner-role"].body["assume_role_policy"]
    assert '"sts:ExternalId" = var.external_id' in trust
    assert "ReadOnlyAccess" in Path(roles["scanner-role"].file).read_text()
    state_trust = roles["state-reader"].body["assume_role_policy"]
    assert '"sts:ExternalId" = var.external_id' in state_trust


SHIPPED_POLICY = TERRAFORM / "modules/scanner-role/driftq-read-policy.json"
REGENERATE = f"driftq iam-policy > {SHIPPED_POLICY.relative_to(TERRAFORM.parent.parent)}"


def _missing_actions(policy: dict[str, Any], operations: set[tuple[str, str]]) -> list[str]:
    granted = {a for s in policy["Statement"] for a in s["Action"]}
    return sorted(set(iam_actions(operations)) - granted)


def test_the_scanner_roles_least_privilege_policy_is_the_registrys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The module's policy (used with `policy = "least_privilege"`) grants every read the
    specs call, exactly what `driftq iam-policy --json` prints: a spec that calls a new
    operation fails here until the shipped file is regenerated."""
    shipped = json.loads(SHIPPED_POLICY.read_text())
    assert _missing_actions(shipped, set(scan_operations())) == [], REGENERATE
    assert main(["iam-policy", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == shipped, REGENERATE
    (policy,) = [r for r in _by_type("aws_iam_policy") if r.file.parent.name == "scanner-role"]
    assert policy.body["policy"] == "${local.least_privilege}"
    assert 'file("${path.module}/driftq-read-policy.json")' in policy.file.read_text()


def test_the_policy_check_catches_a_new_specs_operation() -> None:
    shipped = json.loads(SHIPPED_POLICY.read_text())
    added = set(scan_operations()) | {("ec2", "DescribeCapacityBlocks")}
    assert _missing_actions(shipped, added) == ["ec2:DescribeCapacityBlocks"]
