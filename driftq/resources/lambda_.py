"""Lambda: functions (`aws_lambda_function`), keyed and imported by the function name.

ListFunctions returns each function's configuration, environment included, but not its tags:
those come from the Resource Groups Tagging API, one listing per unit. What exists only in the state (`filename`,
`source_code_hash`, `publish`, `timeouts`) is never compared. Environment values may be
secrets: a state that marks them in `sensitive_attributes` gets "(sensitive)" in the report
(compare.py), so they are compared as the one Terraform attribute `environment`.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_YET,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ListCall, ResourceSpec, tagging_api


def _function(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    arn = item["FunctionArn"]
    environment = item.get("Environment") or {}
    variables = environment.get("Variables") or {}
    vpc = item.get("VpcConfig") or {}
    attrs: Attrs = {
        "id": item["FunctionName"],
        "function_name": item["FunctionName"],
        "arn": arn,
        # container-image functions have no runtime or handler: the state has ""
        "runtime": item.get("Runtime") or "",
        "handler": item.get("Handler") or "",
        "role": item.get("Role") or "",
        "memory_size": item.get("MemorySize"),
        "timeout": item.get("Timeout"),
        "description": item.get("Description") or "",
        "environment": [{"variables": variables}] if variables else [],
        "layers": [layer["Arn"] for layer in item.get("Layers") or []],
        "kms_key_arn": item.get("KMSKeyArn") or "",
        # AWS leaves TracingConfig out for functions created before X-Ray support
        "tracing_config": [{"mode": (item.get("TracingConfig") or {}).get("Mode", "PassThrough")}],
        "architectures": item.get("Architectures") or ["x86_64"],
        "vpc_config": [
            {
                "subnet_ids": vpc.get("SubnetIds") or [],
                "security_group_ids": vpc.get("SecurityGroupIds") or [],
            }
        ],
    }
    if environment.get("Error") and not variables:
        # Lambda could not decrypt the variables (a KMS key it may no longer use): unknown
        del attrs["environment"]
    return attrs


def vpc_placement(value: Any) -> Any:
    # the provider writes `vpc_id` (computed) and, since 5.x, `ipv6_allowed_for_dual_stack`
    # in the block; where the function runs is its subnets and security groups
    blocks = value if isinstance(value, list) else [value]
    out = [
        {
            "subnet_ids": sorted(b.get("subnet_ids") or []),
            "security_group_ids": sorted(b.get("security_group_ids") or []),
        }
        for b in blocks
        if isinstance(b, dict)
    ]
    return [b for b in out if b["subnet_ids"] or b["security_group_ids"]]


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_lambda_function",
        service="lambda",
        list_call=ListCall(operation="ListFunctions", items="Functions[]"),
        tags=tagging_api("lambda:function", key="FunctionArn"),
        normalize=_function,
        compared=(
            "runtime",
            "handler",
            "role",
            "memory_size",
            "timeout",
            "description",
            "environment",
            "layers",
            "kms_key_arn",
            "tracing_config",
            "architectures",
            "vpc_config",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "function_name")
        | because(
            COMPUTED,
            "code_sha256",
            "invoke_arn",
            "last_modified",
            "qualified_arn",
            "qualified_invoke_arn",
            "signing_job_arn",
            "signing_profile_version_arn",
            "source_code_size",
            "version",
        )
        | because(
            TERRAFORM_ONLY,
            "publish",
            "publish_to",
            "replace_security_groups_on_destroy",
            "replacement_security_group_ids",
            "skip_destroy",
            "source_code_hash",
        )
        | because(WRITE_ONLY, "filename", "s3_bucket", "s3_key", "s3_object_version")
        | because(
            NOT_YET,
            "capacity_provider_config",
            "code_signing_config_arn",
            "dead_letter_config",
            "durable_config",
            "ephemeral_storage",
            "file_system_config",
            "image_config",
            "image_uri",
            "logging_config",
            "package_type",
            "reserved_concurrent_executions",
            "snap_start",
            "source_kms_key_arn",
            "tenancy_config",
        ),
        # layers merge in order: a reordering changes what the function sees
        ordered_attributes=frozenset({"layers"}),
        value_forms={"vpc_config": vpc_placement},
        import_id_format="function name, e.g. my-function",
    ),
]
