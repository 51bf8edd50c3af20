"""The type checks of test_types.py over its shard 2: every third type (by name) from the
third, so that `--dist loadfile` spreads the table over both workers."""

from __future__ import annotations

from tests.resources.test_types import (
    empty_account,
    scanned_fixture,
    test_clean_resource_gives_no_finding,
    test_deleted_resource_is_missing,
    test_each_compared_attribute_drifts_at_its_path,
    test_resource_created_outside_terraform_is_unmanaged,
    untouched_account_check,
)

__all__ = [
    "empty_account",
    "test_clean_resource_gives_no_finding",
    "test_deleted_resource_is_missing",
    "test_each_compared_attribute_drifts_at_its_path",
    "test_resource_created_outside_terraform_is_unmanaged",
]

scanned = scanned_fixture(2)
test_untouched_account_is_silent = untouched_account_check(2)
