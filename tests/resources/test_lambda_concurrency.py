"""A function's reserved concurrency (GetFunctionConcurrency) against a real moto server:
none reserved is the provider's -1 and a change is drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.resources.test_lambda import make_function, make_role, scan, tf_function
from tests.support.estate import StateFile, unique
from tests.support.scanning import changes


def test_reserved_concurrency(account: Any, tmp_path: Path) -> None:
    role = make_role(account)
    reserved, unreserved, unmanaged = (unique(p) for p in ("reserved", "free", "other"))
    for name in (reserved, unreserved, unmanaged):
        make_function(account, name, role)
    client = account.client("lambda")
    client.put_function_concurrency(FunctionName=reserved, ReservedConcurrentExecutions=5)
    state = (
        StateFile()
        .add(
            "aws_lambda_function",
            "r",
            {**tf_function(account, reserved, role), "reserved_concurrent_executions": 5},
        )
        .add("aws_lambda_function", "u", tf_function(account, unreserved, role))
    )
    result = scan(account, tmp_path, state)
    assert [(f.kind, f.resource_id) for f in result.findings] == [("unmanaged", unmanaged)]

    client.put_function_concurrency(FunctionName=reserved, ReservedConcurrentExecutions=9)
    client.put_function_concurrency(FunctionName=unreserved, ReservedConcurrentExecutions=1)
    drifted = {f.resource_id: changes(f) for f in scan(account, tmp_path, state).findings}
    assert drifted[reserved] == {"reserved_concurrent_executions": (5, 9)}
    assert drifted[unreserved] == {"reserved_concurrent_executions": (-1, 1)}
