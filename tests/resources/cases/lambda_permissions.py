"""Lambda permission case: S3 may invoke a function, from one bucket of one account."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_lambda import make_function, make_role, tf_function
from tests.support.estate import unique


def _permission(account: Any) -> Built:
    name = unique("fn")
    role = make_role(account)
    make_function(account, name, role)
    source = "arn:aws:s3:::uploads"
    account.client("lambda").add_permission(
        FunctionName=name,
        StatementId="AllowS3Invoke",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=source,
        SourceAccount=account.id,
    )
    state = {
        "id": "AllowS3Invoke",
        "statement_id": "AllowS3Invoke",
        "statement_id_prefix": "",
        "function_name": f"arn:aws:lambda:us-east-1:{account.id}:function:{name}",
        "action": "lambda:InvokeFunction",
        "principal": "s3.amazonaws.com",
        "source_arn": source,
        "source_account": account.id,
        "principal_org_id": None,
        "event_source_token": None,
        "function_url_auth_type": None,
        "qualifier": "",
    }
    return Built(
        [
            Res("aws_lambda_permission", "p", state),
            Res("aws_lambda_function", "f", tf_function(account, name, role)),
        ],
        import_id=f"{name}/AllowS3Invoke",
    )


CASES = [TypeCase(type="aws_lambda_permission", build=_permission)]
