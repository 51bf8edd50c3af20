"""Lambda permissions (`aws_lambda_permission`): the statements of a function's resource
policy, keyed by function name and statement id (`terraform import` takes
`function/statement`).

The functions come from the ListFunctions the function spec sends (shared per unit); the
policy needs one GetPolicy per function (AWS has no batch read). A function without a
policy answers ResourceNotFoundException: no permissions. An alias or version has its own
policy (GetPolicy with `Qualifier`): read for the qualifiers a state's permissions name
(listing every function's aliases and versions would be a call per function), so a
permission added by hand to an alias no state names is not reported unmanaged.
A permission of a function that is itself unmanaged is reported once, under the function.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from driftq.resources.attributes import IDENTITY, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.documents import parse_policy
from driftq.resources.enumerate import list_items
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
            yield {
                "function_name": item["FunctionName"],
                "qualifier": item.get(QUALIFIER) or "",
                "Statement": statement,
            }


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
        "qualifier": item["qualifier"],
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


def _qualifier(attrs: Attrs) -> str:
    # `qualifier`, or the alias or version of a qualified ARN in `function_name`
    text = str(attrs.get("function_name") or "")
    parts = text.split(":") if text.startswith("arn:") else []
    return str(attrs.get("qualifier") or (parts[7] if len(parts) > 7 else ""))


def _key(attrs: Attrs) -> str:
    # Terraform's import id: `function[:qualifier]/statement`
    qualifier = _qualifier(attrs)
    function = _function_name(attrs.get("function_name"))
    return f"{function}{':' + qualifier if qualifier else ''}/{attrs.get('statement_id') or ''}"


QUALIFIER = "_Qualifier"
_FUNCTIONS = ListCall(operation="ListFunctions", items="Functions[]")


def qualified(ctx: ScanContext, functions: set[str]) -> list[Item]:
    """One item per (function, alias or version) a state's permission names, for the
    listed ``functions``: that qualifier's policy is read like the function's own."""
    pairs = {
        (_function_name(attrs.get("function_name")), _qualifier(attrs))
        for attrs in ctx.state_attributes("aws_lambda_permission", ctx.region)
    }
    return [
        {"FunctionName": function, QUALIFIER: qualifier}
        for function, qualifier in sorted(pairs)
        if qualifier and function in functions
    ]


def _enumerate(ctx: ScanContext) -> Iterator[Item]:
    functions = list(list_items(ctx, _FUNCTIONS, "lambda"))
    yield from functions
    yield from qualified(ctx, {str(f.get("FunctionName")) for f in functions})


def _account_principal(value: Any) -> Any:
    # a bare account id comes back as the account's root ARN
    text = str(value or "")
    return text.split(":")[4] if text.endswith(":root") and text.count(":") >= 5 else text


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_lambda_permission",
        service="lambda",
        enumerate=_enumerate,
        operations=("lambda:ListFunctions",),
        calls=(
            Detail(
                operation="GetPolicy",
                key={"FunctionName": "FunctionName"},
                result="Policy",
                into="Policy",
                absent=frozenset({"ResourceNotFoundException"}),
                when=lambda item, ctx: not item.get(QUALIFIER),
            ),
            # an alias or version that is gone has no policy: its permissions are missing
            Detail(
                operation="GetPolicy",
                key={"FunctionName": "FunctionName", "Qualifier": QUALIFIER},
                result="Policy",
                into="Policy",
                absent=frozenset({"ResourceNotFoundException"}),
                when=lambda item, ctx: bool(item.get(QUALIFIER)),
            ),
        ),
        expand=_statements,
        normalize=_permission,
        compared=("action", "principal", *sorted(set(_CONDITIONS.values()))),
        left_out=common("id", "region")
        | because(IDENTITY, "function_name", "statement_id", "qualifier")
        | because(TERRAFORM_ONLY, "statement_id_prefix"),
        value_forms={"principal": _account_principal},
        identity=_key,
        parent="aws_lambda_function",
        parent_identity=lambda attrs: _function_name(attrs.get("function_name")),
        import_id_format="function name[:qualifier]/statement id, e.g. my-function/AllowS3Invoke",
    ),
]
