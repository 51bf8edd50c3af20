"""DynamoDB case: a provisioned table with a stream (capacity is compared then)."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import Built, Res, TypeCase
from tests.resources.test_dynamodb import make_table, tf_table
from tests.support.estate import unique


def _table(account: Any) -> Built:
    name = unique("table")
    make_table(account, name, capacity=(5, 5), stream="NEW_IMAGE")
    state = tf_table(account, name, capacity=(5, 5), stream="NEW_IMAGE")
    return Built([Res("aws_dynamodb_table", "t", state)], import_id=name)


CASES = [TypeCase(type="aws_dynamodb_table", build=_table)]
