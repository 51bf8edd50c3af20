"""ACM certificates (`aws_acm_certificate`), keyed and imported by ARN.

ListCertificates (every key type: by default AWS lists RSA-2048 ones only) names them;
DescribeCertificate and ListTagsForCertificate are one call each per certificate (ACM has
no batch read). Imported certificates' bodies and keys are never read.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import COMPUTED, TERRAFORM_ONLY, WRITE_ONLY, because, common
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, Detail, ListCall, ResourceSpec, Tags

_KEY_TYPES = [
    "RSA_1024",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "EC_prime256v1",
    "EC_secp384r1",
    "EC_secp521r1",
]


def _certificate(item: dict[str, Any], ctx: ScanContext) -> Attrs | None:
    cert = item.get("Certificate") or {}
    arn = item["CertificateArn"]
    options = cert.get("Options") or {}
    return {
        "id": arn,
        "arn": arn,
        "domain_name": cert.get("DomainName") or item.get("DomainName"),
        # AWS lists the domain name first among the alternative names; Terraform does not
        "subject_alternative_names": [
            n for n in cert.get("SubjectAlternativeNames") or [] if n != cert.get("DomainName")
        ],
        "key_algorithm": cert.get("KeyAlgorithm") or "",
        "certificate_authority_arn": cert.get("CertificateAuthorityArn") or "",
        "validation_method": (
            (cert.get("DomainValidationOptions") or [{}])[0].get("ValidationMethod") or ""
        )
        if cert.get("Type") == "AMAZON_ISSUED"
        else "",
        "options": [
            {
                "certificate_transparency_logging_preference": options.get(
                    "CertificateTransparencyLoggingPreference"
                )
                or "ENABLED"
            }
        ],
    }


def _options(value: Any) -> Any:
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [
        b
        for b in blocks
        if b.get("certificate_transparency_logging_preference") not in (None, "", "ENABLED")
    ]


def _key_algorithm(value: Any) -> Any:
    # AWS answers `RSA-2048`, the provider `RSA_2048`
    return str(value or "").replace("-", "_") or None


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_acm_certificate",
        service="acm",
        list_call=ListCall(
            operation="ListCertificates",
            items="CertificateSummaryList[]",
            params={"Includes": {"keyTypes": _KEY_TYPES}},
        ),
        calls=(
            Detail(
                operation="DescribeCertificate",
                key={"CertificateArn": "CertificateArn"},
                result="Certificate",
                into="Certificate",
            ),
        ),
        tags=Tags(
            call=Detail(
                operation="ListTagsForCertificate",
                key={"CertificateArn": "CertificateArn"},
                result="Tags",
                into="Tags",
            )
        ),
        normalize=_certificate,
        compared=(
            "domain_name",
            "subject_alternative_names",
            "key_algorithm",
            "certificate_authority_arn",
            "validation_method",
            "options",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "arn")
        | because(
            COMPUTED,
            "domain_validation_options",
            "not_after",
            "not_before",
            "pending_renewal",
            "renewal_eligibility",
            "renewal_summary",
            "status",
            "type",
            "validation_emails",
        )
        | because(WRITE_ONLY, "certificate_body", "certificate_chain", "private_key")
        | because(TERRAFORM_ONLY, "early_renewal_duration", "validation_option"),
        value_forms={"options": _options, "key_algorithm": _key_algorithm},
        import_id_format="certificate ARN, e.g. arn:aws:acm:us-east-1:123456789012:certificate/7e7a28d2-...",
    ),
]
