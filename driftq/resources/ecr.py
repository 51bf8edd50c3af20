"""ECR repositories (`aws_ecr_repository`), keyed and imported by name.

DescribeRepositories answers every setting in pages of 1,000; tags need one
ListTagsForResource per repository (ECR is not in the Resource Groups Tagging API).
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, IDENTITY, TERRAFORM_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags


def _repository(item: dict[str, Any], ctx: ScanContext) -> Attrs:
    encryption = item.get("encryptionConfiguration") or {}
    return {
        "id": item["repositoryName"],
        "name": item["repositoryName"],
        "arn": item.get("repositoryArn"),
        "image_tag_mutability": item.get("imageTagMutability") or "MUTABLE",
        # tags exempt from the mutability setting (`*_WITH_EXCLUSION`)
        "image_tag_mutability_exclusion_filter": [
            {"filter": f.get("filter"), "filter_type": f.get("filterType")}
            for f in item.get("imageTagMutabilityExclusionFilters") or []
        ],
        "image_scanning_configuration": [
            {"scan_on_push": bool((item.get("imageScanningConfiguration") or {}).get("scanOnPush"))}
        ],
        "encryption_configuration": [
            {
                "encryption_type": encryption.get("encryptionType") or "AES256",
                "kms_key": encryption.get("kmsKey") or "",
            }
        ],
    }


def _encryption(value: Any) -> Any:
    # AES256 without a key is what a repository gets when none is configured
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [
        b for b in blocks if (b.get("encryption_type") or "AES256") != "AES256" or b.get("kms_key")
    ]


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_ecr_repository",
        service="ecr",
        list_call=ListCall(operation="DescribeRepositories", items="repositories[]"),
        tags=Tags(
            call=Detail(
                operation="ListTagsForResource",
                key={"resourceArn": "repositoryArn"},
                result="tags",
                into="Tags",
            )
        ),
        normalize=_repository,
        compared=(
            "image_tag_mutability",
            "image_tag_mutability_exclusion_filter",
            "image_scanning_configuration",
            "encryption_configuration",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "name")
        | because(COMPUTED, "registry_id", "repository_url")
        | because(TERRAFORM_ONLY, "force_delete"),
        value_forms={"encryption_configuration": _encryption},
        import_id_format="repository name, e.g. my-app",
    ),
]
