"""The registry of supported Terraform types: one ResourceSpec each, grouped by service."""

from __future__ import annotations

from driftq.resources import dynamodb, ec2, iam, kms, lambda_, s3, sns, sqs
from driftq.resources.spec import ListCall, ResourceSpec

# IAM is global; S3's bucket listing is global (each bucket then reports its own region)
GLOBAL_SERVICES = frozenset({"iam", "s3"})

REGISTRY: dict[str, ResourceSpec] = {
    spec.type: spec
    for module in (ec2, s3, iam, lambda_, sqs, sns, dynamodb, kms)
    for spec in module.SPECS
}


def specs_for_service(service: str) -> list[ResourceSpec]:
    return [spec for spec in REGISTRY.values() if spec.service == service]


def services() -> list[str]:
    return sorted({spec.service for spec in REGISTRY.values()})


__all__ = [
    "GLOBAL_SERVICES",
    "REGISTRY",
    "ListCall",
    "ResourceSpec",
    "services",
    "specs_for_service",
]
