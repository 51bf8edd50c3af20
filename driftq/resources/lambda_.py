"""Lambda: functions (`aws_lambda_function`), keyed and imported by the function name.

ListFunctions returns each function's configuration, environment included, but not its tags:
those come from the Resource Groups Tagging API, one listing per unit. For the functions a
state holds, GetFunction (reserved concurrency, a container image's URI) and
GetFunctionCodeSigningConfig add one call each. What exists only in the state (`filename`,
`source_code_hash`, `publish`, `timeouts`) is never compared. Environment values may be
secrets: a state that marks them in `sensitive_attributes` gets "(sensitive)" in the report
(compare.py), so they are compared as the one Terraform attribute `environment`.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_EMULATED,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, tagging_api


def _in_state(item: dict[str, Any], ctx: ScanContext) -> bool:
    # GetFunction and GetFunctionCodeSigningConfig answer one function: asked only for the
    # functions a state holds (an unmanaged function is reported whole, its settings never
    # compared)
    def compute() -> set[str]:
        functions = ctx.state_attributes("aws_lambda_function", ctx.region)
        return {str(a.get("function_name") or a.get("id")) for a in functions}

    return str(item.get("FunctionName")) in ctx.remember("lambda:functions-in-state", compute)


# GetFunction answers one function: its reserved concurrency and, for a container-image
# function, the image's URI (neither is in ListFunctions' items)
_FUNCTION = Detail(
    operation="GetFunction",
    key={"FunctionName": "FunctionName"},
    into="_Function",
    when=_in_state,
)
# the code-signing configuration is read per function a state holds: AWS's batch form
# (ListCodeSigningConfigs, then ListFunctionsByCodeSigningConfig per configuration) is not
# emulated by moto, where every function type case runs
_SIGNING = Detail(
    operation="GetFunctionCodeSigningConfig",
    key={"FunctionName": "FunctionName"},
    into="_Signing",
    when=_in_state,
)


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
    attrs |= _runtime_settings(item)
    if "_Function" in item:
        answer = item["_Function"] or {}
        # none reserved: the provider's -1
        reserved = (answer.get("Concurrency") or {}).get("ReservedConcurrentExecutions")
        attrs["reserved_concurrent_executions"] = -1 if reserved is None else reserved
        attrs["image_uri"] = (answer.get("Code") or {}).get("ImageUri") or ""
    if "_Signing" in item:
        attrs["code_signing_config_arn"] = (item["_Signing"] or {}).get(
            "CodeSigningConfigArn"
        ) or ""
    if environment.get("Error") and not variables:
        # Lambda could not decrypt the variables (a KMS key it may no longer use): unknown
        del attrs["environment"]
    return attrs


def _runtime_settings(item: dict[str, Any]) -> Attrs:
    dead_letter = (item.get("DeadLetterConfig") or {}).get("TargetArn")
    image = (item.get("ImageConfigResponse") or {}).get("ImageConfig") or {}
    logging = item.get("LoggingConfig") or {}
    snap_start = (item.get("SnapStart") or {}).get("ApplyOn")
    return {
        "package_type": item.get("PackageType") or "Zip",
        "dead_letter_config": [{"target_arn": dead_letter}] if dead_letter else [],
        "ephemeral_storage": [{"size": (item.get("EphemeralStorage") or {}).get("Size") or 512}],
        "file_system_config": [
            {"arn": f.get("Arn"), "local_mount_path": f.get("LocalMountPath")}
            for f in item.get("FileSystemConfigs") or []
        ],
        "image_config": [
            {
                "command": image.get("Command") or [],
                "entry_point": image.get("EntryPoint") or [],
                "working_directory": image.get("WorkingDirectory") or "",
            }
        ]
        if image
        else [],
        "logging_config": [
            {
                "log_format": logging.get("LogFormat") or "Text",
                "log_group": logging.get("LogGroup") or "",
                "application_log_level": logging.get("ApplicationLogLevel") or "",
                "system_log_level": logging.get("SystemLogLevel") or "",
            }
        ],
        "snap_start": [{"apply_on": snap_start}] if snap_start else [],
    }


def _default_storage(value: Any) -> Any:
    # 512 MB is every function's storage unless configured
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [b for b in blocks if _int(b.get("size")) not in (None, 512)]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _default_logging(value: Any) -> Any:
    # text logs to `/aws/lambda/<name>` (or no log group named) is what a function does
    # unless configured
    out = []
    for block in value or []:
        if not isinstance(block, dict):
            continue
        group = str(block.get("log_group") or "")
        block = {
            **block,
            "log_format": block.get("log_format") or "Text",
            "log_group": "" if group.startswith("/aws/lambda/") else group,
        }
        if (
            any(block.get(k) for k in ("log_group", "application_log_level", "system_log_level"))
            or block["log_format"] != "Text"
        ):
            out.append(block)
    return out


def _default_snap_start(value: Any) -> Any:
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [b for b in blocks if b.get("apply_on") not in (None, "", "None")]


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
        calls=(_FUNCTION, _SIGNING),
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
            "package_type",
            "dead_letter_config",
            "ephemeral_storage",
            "file_system_config",
            "image_config",
            "logging_config",
            "snap_start",
            "reserved_concurrent_executions",
            "image_uri",
            "code_signing_config_arn",
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
        # features of 2025 the emulator does not answer
        | because(
            NOT_EMULATED,
            "capacity_provider_config",
            "durable_config",
            "source_kms_key_arn",
            "tenancy_config",
        ),
        # layers merge in order: a reordering changes what the function sees
        ordered_attributes=frozenset({"layers"}),
        value_forms={
            "vpc_config": vpc_placement,
            "package_type": lambda v: None if v in (None, "", "Zip") else v,
            "ephemeral_storage": _default_storage,
            "logging_config": _default_logging,
            "snap_start": _default_snap_start,
        },
        import_id_format="function name, e.g. my-function",
    ),
]
