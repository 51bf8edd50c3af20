"""The hashicorp/aws provider's schema (attribute names per resource type), for checks that
need the provider's truth rather than our memory of it."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "provider-schema" / "aws-6.25.0.json.gz"


@cache
def resource_types() -> dict[str, dict[str, Any]]:
    with gzip.open(SCHEMA, "rt") as handle:
        return dict(json.load(handle)["resource_types"])


def attributes(resource_type: str) -> set[str]:
    return set(resource_types()[resource_type]["attributes"])
