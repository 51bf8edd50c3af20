"""Where an account's S3 buckets are, and one read per bucket in the bucket's own region.

ListBuckets is global: it answers every bucket of the account whatever region is asked. Each
bucket lives in one region, and a bucket in a region the account does not configure is left
out entirely, neither unmanaged nor compared (driftctl, scanning one region, reported other
regions' buckets as unmanaged). The list is read once per unit and shared by the five specs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from driftq.resources.context import ScanContext

# GetBucketLocation's legacy answers: no constraint for us-east-1, "EU" for eu-west-1
_LEGACY_LOCATIONS = {"EU": "eu-west-1"}
_GONE = "NoSuchBucket"


@dataclass(frozen=True)
class Bucket:
    name: str
    region: str


def region_of_location(constraint: str | None) -> str:
    """A bucket's region from GetBucketLocation's `LocationConstraint`."""
    if not constraint:
        return "us-east-1"
    return _LEGACY_LOCATIONS.get(constraint, constraint)


def buckets(ctx: ScanContext) -> list[Bucket]:
    """The account's buckets located in one of the unit's regions (listed once per unit)."""
    return ctx.remember("s3:buckets", lambda: _list_buckets(ctx))


def per_bucket(
    ctx: ScanContext, operation: str, absent: frozenset[str] = frozenset()
) -> Iterator[tuple[Bucket, dict[str, Any] | None]]:
    """``operation`` on every bucket with a client in its region: the response, or None when
    AWS answers one of the ``absent`` codes (the setting does not exist). A bucket deleted
    since the listing is skipped."""
    for bucket in buckets(ctx):
        client = ctx.client("s3", bucket.region)
        try:
            response = dict(getattr(client, operation)(Bucket=bucket.name))
        except ClientError as exc:
            code = _error_code(exc)
            if code == _GONE:
                continue
            if code not in absent:
                raise
            yield bucket, None
            continue
        response.pop("ResponseMetadata", None)
        yield bucket, response


def _list_buckets(ctx: ScanContext) -> list[Bucket]:
    client = ctx.client("s3")
    out: list[Bucket] = []
    for page in client.get_paginator("list_buckets").paginate():
        for item in page.get("Buckets") or []:
            region = _region(client, item)
            if region is not None and region in ctx.regions:
                out.append(Bucket(item["Name"], region))
    return out


def _region(client: Any, item: dict[str, Any]) -> str | None:
    # ListBuckets names the region only when asked with parameters; otherwise ask the bucket
    if item.get("BucketRegion"):
        return str(item["BucketRegion"])
    try:
        location = client.get_bucket_location(Bucket=item["Name"])
    except ClientError as exc:
        if _error_code(exc) == _GONE:
            return None
        raise
    return region_of_location(location.get("LocationConstraint"))


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code") or "")
