"""Lambda case: a zip function with environment variables, reserved concurrency and a
code-signing configuration."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_lambda import make_function, make_role, tf_function
from tests.support.estate import unique


def _function(account: Any) -> Built:
    name = unique("fn")
    role = make_role(account)
    env = {"LOG_LEVEL": "info"}
    signing = f"arn:aws:lambda:us-east-1:{account.id}:code-signing-config:csc-0123456789abcdef0"
    make_function(account, name, role, env, CodeSigningConfigArn=signing)
    account.client("lambda").put_function_concurrency(
        FunctionName=name, ReservedConcurrentExecutions=5
    )
    state = {
        **tf_function(account, name, role, env),
        "reserved_concurrent_executions": 5,
        "code_signing_config_arn": signing,
    }
    return Built([Res("aws_lambda_function", "f", state)], import_id=name)


CASES = [
    TypeCase(
        type="aws_lambda_function",
        build=_function,
        # an empty vpc_config block is no placement at all: place it somewhere
        mutations={
            "vpc_config": [{"subnet_ids": ["subnet-0d"], "security_group_ids": ["sg-0d"]}],
            "snap_start": [{"apply_on": "PublishedVersions"}],
        },
    )
]
