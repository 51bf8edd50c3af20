"""Lambda functions against a real moto server: one regional unit per account.

States are written the way the provider writes them: 5.x (tags_all with a provider default
tag, a vpc_config block with computed members) and 3.x (the driftctl fixture's shape).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from driftq.engine import Engine
from driftq.model import Finding, Unit, UnitResult
from driftq.resources.lambda_ import vpc_placement
from tests.conftest import single_account_config
from tests.support.estate import StateFile
from tests.support.scanning import changes, scan_ok

REGION = "us-east-1"
UNIT = Unit("test", REGION, "lambda")
DEFAULT_TAGS = {"ManagedBy": "terraform"}  # provider default_tags: in AWS and tags_all only
ENV = {"LOG_LEVEL": "info", "DB_PASSWORD": "hunter2"}


# --- AWS side -----------------------------------------------------------------------------


def make_role(account: Any) -> str:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam = account.client("iam")
    try:
        created = iam.create_role(
            RoleName="lambda-exec", AssumeRolePolicyDocument=json.dumps(trust)
        )
    except iam.exceptions.EntityAlreadyExistsException:  # one account, several cases
        return str(iam.get_role(RoleName="lambda-exec")["Role"]["Arn"])
    return str(created["Role"]["Arn"])


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def make_function(
    account: Any, name: str, role: str, env: dict[str, str] | None = None, **more: Any
) -> str:
    extra: dict[str, Any] = {"Environment": {"Variables": env}} if env else {}
    extra |= more
    return account.client("lambda", REGION).create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": _zip()},
        Description=f"{name} function",
        Timeout=30,
        MemorySize=128,
        Tags={"Name": name, **DEFAULT_TAGS},
        **extra,
    )["FunctionArn"]


# --- Terraform side -----------------------------------------------------------------------


def tf_function(
    account: Any, name: str, role: str, env: dict[str, str] | None = None, provider3: bool = False
) -> dict[str, Any]:
    arn = f"arn:aws:lambda:{REGION}:{account.id}:function:{name}"
    attrs: dict[str, Any] = {
        "arn": arn,
        "dead_letter_config": [],
        "description": f"{name} function",
        "environment": [{"variables": env}] if env else [],
        "file_system_config": [],
        "filename": "lambda.zip",
        "function_name": name,
        "handler": "index.handler",
        "id": name,
        "invoke_arn": f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations",
        "kms_key_arn": "",
        "last_modified": "2024-05-02T09:04:42.050+0000",
        "layers": [],
        "memory_size": 128,
        "publish": False,
        "qualified_arn": f"{arn}:$LATEST",
        "reserved_concurrent_executions": -1,
        "role": role,
        "runtime": "python3.12",
        "s3_bucket": None,
        "s3_key": None,
        "s3_object_version": None,
        "source_code_hash": "PoaAEeOCmEFZojnrhEJvNzs+jg7/w1lL9GiFYvlM6aw=",
        "source_code_size": 352,
        "tags": {"Name": name},
        "timeout": 30,
        "timeouts": None,
        "tracing_config": [{"mode": "PassThrough"}],
        "version": "$LATEST",
        "vpc_config": [],
    }
    if provider3:
        attrs["tags"] = {"Name": name, **DEFAULT_TAGS}  # no default_tags before 3.38
        return attrs
    attrs.update(
        architectures=["x86_64"],
        code_signing_config_arn="",
        ephemeral_storage=[{"size": 512}],
        image_config=[],
        image_uri="",
        logging_config=[
            {
                "application_log_level": "",
                "log_format": "Text",
                "log_group": f"/aws/lambda/{name}",
                "system_log_level": "",
            }
        ],
        package_type="Zip",
        qualified_invoke_arn=f"arn:aws:apigateway:{REGION}:lambda:path/invocations",
        replace_security_groups_on_destroy=None,
        replacement_security_group_ids=None,
        signing_job_arn="",
        signing_profile_version_arn="",
        skip_destroy=False,
        snap_start=[],
        tags_all={"Name": name, **DEFAULT_TAGS},
    )
    return attrs


def scan(account: Any, tmp_path: Path, state: StateFile) -> UnitResult:
    return scan_ok(account, tmp_path, state, UNIT)


def by_key(result: UnitResult) -> dict[tuple[str, str], Finding]:
    return {(f.kind, f.resource_id): f for f in result.findings}


# --- tests --------------------------------------------------------------------------------


def test_matching_functions_are_silent(account: Any, tmp_path: Path) -> None:
    role = make_role(account)
    state = StateFile()
    for provider3 in (False, True):
        api, worker = ("api-v3", "worker-v3") if provider3 else ("api-v5", "worker-v5")
        make_function(account, api, role, ENV)
        make_function(account, worker, role)
        state.add("aws_lambda_function", api, tf_function(account, api, role, ENV, provider3))
        state.add(
            "aws_lambda_function", worker, tf_function(account, worker, role, None, provider3)
        )
    assert scan(account, tmp_path, state).findings == []


def test_missing_unmanaged_and_drifted(account: Any, tmp_path: Path) -> None:
    role = make_role(account)
    make_function(account, "api", role)
    make_function(account, "by-hand", role)
    client = account.client("lambda", REGION)
    client.update_function_configuration(FunctionName="api", MemorySize=512, Timeout=60)
    api_arn = client.get_function(FunctionName="api")["Configuration"]["FunctionArn"]
    client.tag_resource(Resource=api_arn, Tags={"Owner": "someone"})
    state = (
        StateFile()
        .add("aws_lambda_function", "api", tf_function(account, "api", role))
        .add("aws_lambda_function", "gone", tf_function(account, "gone", role))
    )

    found = by_key(scan(account, tmp_path, state))

    assert set(found) == {("drifted", "api"), ("missing", "gone"), ("unmanaged", "by-hand")}
    assert changes(found["drifted", "api"]) == {
        "memory_size": (128, 512),
        "timeout": (30, 60),
        "tags.Owner": (None, "someone"),
    }
    assert found["missing", "gone"].address == "aws_lambda_function.gone"
    unmanaged = found["unmanaged", "by-hand"]
    assert (unmanaged.resource_type, unmanaged.region) == ("aws_lambda_function", REGION)


def test_environment_drift_is_redacted_when_the_state_marks_it_sensitive(
    account: Any, tmp_path: Path
) -> None:
    role = make_role(account)
    make_function(account, "secret", role, ENV)
    make_function(account, "plain", role, {"LOG_LEVEL": "info"})
    client = account.client("lambda", REGION)
    client.update_function_configuration(
        FunctionName="secret", Environment={"Variables": {**ENV, "DB_PASSWORD": "changed"}}
    )
    client.update_function_configuration(
        FunctionName="plain", Environment={"Variables": {"LOG_LEVEL": "debug"}}
    )
    state = (
        StateFile()
        .add("aws_lambda_function", "secret", tf_function(account, "secret", role, ENV))
        .add(
            "aws_lambda_function",
            "plain",
            tf_function(account, "plain", role, {"LOG_LEVEL": "info"}),
        )
    )
    document = state.document()
    # the path Terraform records for `environment { variables = { DB_PASSWORD = var.x } }`
    document["resources"][0]["instances"][0]["sensitive_attributes"] = [
        [
            {"type": "get_attr", "value": "environment"},
            {"type": "index", "value": {"value": 0, "type": "number"}},
            {"type": "get_attr", "value": "variables"},
            {"type": "index", "value": {"value": "DB_PASSWORD", "type": "string"}},
        ]
    ]
    path = tmp_path / "terraform.tfstate"
    path.write_text(json.dumps(document))
    result = Engine(single_account_config(account, path)).scan_unit(UNIT)
    assert result.status == "ok", result.error_message

    found = by_key(result)
    assert set(found) == {("drifted", "secret"), ("drifted", "plain")}
    assert changes(found["drifted", "secret"]) == {"environment": ("(sensitive)", "(sensitive)")}
    assert "hunter2" not in json.dumps([f.to_json() for f in result.findings])
    assert "changed" not in json.dumps([f.to_json() for f in result.findings])
    assert changes(found["drifted", "plain"]) == {
        "environment": (
            [{"variables": {"LOG_LEVEL": "info"}}],
            [{"variables": {"LOG_LEVEL": "debug"}}],
        )
    }


@pytest.mark.parametrize(
    ("state_block", "live_block", "same"),
    [
        ([], [{"subnet_ids": [], "security_group_ids": []}], True),
        (
            [
                {
                    "ipv6_allowed_for_dual_stack": False,
                    "security_group_ids": ["sg-2", "sg-1"],
                    "subnet_ids": ["subnet-1"],
                    "vpc_id": "vpc-1",
                }
            ],
            [{"subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1", "sg-2"]}],
            True,
        ),
        (
            [{"security_group_ids": ["sg-1"], "subnet_ids": ["subnet-1"], "vpc_id": "vpc-1"}],
            [{"subnet_ids": [], "security_group_ids": []}],
            False,
        ),
    ],
    ids=["no-vpc", "computed-members-ignored", "moved-out-of-vpc"],
)
def test_vpc_config_compares_placement_only(
    state_block: list[dict[str, Any]], live_block: list[dict[str, Any]], same: bool
) -> None:
    assert (vpc_placement(state_block) == vpc_placement(live_block)) is same
