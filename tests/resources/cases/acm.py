"""ACM case: a DNS-validated certificate with an alternative name."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique


def _certificate(account: Any) -> Built:
    domain = f"{unique('www')}.example.com"
    acm = account.client("acm")
    arn = acm.request_certificate(
        DomainName=domain,
        ValidationMethod="DNS",
        SubjectAlternativeNames=[domain, f"api.{domain}"],
        Tags=[{"Key": k, "Value": v} for k, v in {"Name": domain, **DEFAULT_TAGS}.items()],
    )["CertificateArn"]
    state = {
        "id": arn,
        "arn": arn,
        "domain_name": domain,
        "subject_alternative_names": [f"api.{domain}"],
        "key_algorithm": "RSA_2048",
        "certificate_authority_arn": "",
        "validation_method": "DNS",
        "options": [{"certificate_transparency_logging_preference": "ENABLED"}],
        "status": "PENDING_VALIDATION",
        "type": "AMAZON_ISSUED",
        "early_renewal_duration": "",
        "validation_option": [],
        **tags_state({"Name": domain}),
    }
    return Built([Res("aws_acm_certificate", "c", state)], import_id=arn)


CASES = [
    TypeCase(
        type="aws_acm_certificate",
        build=_certificate,
        mutations={"options": [{"certificate_transparency_logging_preference": "DISABLED"}]},
    )
]
