"""Lambda permissions (`aws_lambda_permission`): the statements of a function's resource
policy, keyed by function name and statement id (`terraform import` takes
`function/statement`).

The functions come from the ListFunctions the function spec sends (shared per unit); the
policy needs one GetPolicy per function (AWS has no batch read). A function without a
policy answers ResourceNotFoundException: no permissions. Only the unqualified function's
policy is read: permissions on an alias or version (`qualifier`) are not listed yet.
A permission of a function that is itself unmanaged is reported once, under the function.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import IDENTITY, NOT_YET, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.documents import parse_policy
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec

Item = dict[str, Any]
# (condition operator, key) -> Terraform attribute
_CONDITIONS = {
    ("ArnLike", "AWS:SourceArn"): "source_arn",
    ("StringEquals", "AWS:SourceAccount"): "source_account",
    ("StringEquals", "aws:PrincipalOrgID"): "principal_org_id",
    ("StringEquals", "lambda:EventSourceToken"): "event_source_token",
    ("StringEquals", "lambda:FunctionUrlAuthType"): "function_url_auth_type",
}


def _statements(item: Item) -> Iterator[Item]:
    document = parse_policy(item.get("Policy"))
    if not isinstance(document, dict):
        return
    statements = document.get("Statement") or []
    for statement in statements if isinstance(statements, list) else [statements]:
        if isinstance(statement, dict) and statement.get("Sid"):
            yield {"function_name": item["FunctionName"], "Statement": statement}


def _principal(value: Any) -> str:
    if isinstance(value, dict):
        for kind in ("Service", "AWS", "Federated"):
            if kind in value:
                found = value[kind]
                return str(found[0] if isinstance(found, list) else found)
    return str(value or "")


def _permission(item: Item, ctx: ScanContext) -> Attrs:
    statement = item["Statement"]
    action = statement.get("Action")
    attrs: Attrs = {
        "function_name": item["function_name"],
        "statement_id": statement["Sid"],
        "action": action[0] if isinstance(action, list) else action,
        "principal": _principal(statement.get("Principal")),
        **dict.fromkeys(_CONDITIONS.values(), ""),
    }
    for operator, block in (statement.get("Condition") or {}).items():
        for key, value in (block or {}).items():
            name = _CONDITIONS.get((operator, key))
            if name:
                attrs[name] = value[0] if isinstance(value, list) else value
    attrs["id"] = _key(attrs)
    return attrs


def _function_name(value: Any) -> str:
    # the state may hold the function's ARN (`arn:...:function:name[:qualifier]`)
    text = str(value or "")
    if text.startswith("arn:"):
        parts = text.split(":")
        return parts[6] if len(parts) > 6 else text
    return text


def _key(attrs: Attrs) -> str:
    return f"{_function_name(attrs.get('function_name'))}/{attrs.get('statement_id') or ''}"


def _account_principal(value: Any) -> Any:
    # a bare account id comes back as the account's root ARN
    text = str(value or "")
    return text.split(":")[4] if text.endswith(":root") and text.count(":") >= 5 else text


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_lambda_permission",
        service="lambda",
        list_call=ListCall(operation="ListFunctions", items="Functions[]"),
        calls=(
            Detail(
                operation="GetPolicy",
                key={"FunctionName": "FunctionName"},
                result="Policy",
                into="Policy",
                absent=frozenset({"ResourceNotFoundException"}),
            ),
        ),
        expand=_statements,
        normalize=_permission,
        compared=("action", "principal", *sorted(set(_CONDITIONS.values()))),
        left_out=common("id", "region")
        | because(IDENTITY, "function_name", "statement_id")
        | because(TERRAFORM_ONLY, "statement_id_prefix")
        | because(NOT_YET, "qualifier"),
        value_forms={"principal": _account_principal},
        identity=_key,
        parent="aws_lambda_function",
        parent_identity=lambda attrs: _function_name(attrs.get("function_name")),
        import_id_format="function name/statement id, e.g. my-function/AllowS3Invoke",
    ),
]
