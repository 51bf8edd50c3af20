"""Ids sent in batches of an API call's limit (DescribeServices takes 10, ...)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def batches(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """``items`` in consecutive lists of at most ``size``, in order."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
