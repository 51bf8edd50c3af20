"""Why a provider attribute is not compared: the reasons a spec's ``left_out`` gives.

Every attribute of a type in the provider's schema is either in the spec's ``compared`` or
in its ``left_out`` with one of these reasons (the registry lint holds specs to the schema
in tests/fixtures/provider-schema/). Write ``left_out=common("id", "region", "tags_all") |
because(COMPUTED, "arn", "owner_id") | because(NOT_YET, ...)``.
"""

from __future__ import annotations

ID = "Terraform's id: the identity both sides are keyed on, not a value to compare"
IDENTITY = (
    "part of the resource's identity (its import id): a different value is another "
    "resource, reported missing and unmanaged"
)
COMPUTED = "computed by AWS or the provider (an id, ARN, date or address): not an argument"
REGION = "the region the resource lives in: the unit that scans it is that region's"
TAGS_ALL = "compared as `tags`: live tags against the state's tags_all (provider default_tags)"
TERRAFORM_ONLY = (
    "a Terraform-side setting (how the provider names, creates, replaces or destroys it): "
    "not stored in AWS"
)
TIMEOUTS = "Terraform's operation timeouts: not stored in AWS"
WRITE_ONLY = "write-only: sent when creating or updating, AWS never answers it back"
INLINE_ELSEWHERE = (
    "a provider 3.x inline copy of a setting compared on its own type; here it only marks "
    "that setting as managed by the state"
)
DEPRECATED_DUPLICATE = "deprecated duplicate of a separate resource type, which is compared instead"
STALE_COPY = (
    "also set by a separate association resource (aws_eip_association, ...) that the "
    "provider does not re-read this resource after: the state's copy is stale until a refresh"
)
FOLLOWS_OTHERS = (
    "changed by AWS as other resources come and go (every subnet without an ACL of its own "
    "is in its VPC's default ACL): the state's copy is stale after any new subnet; a subnet "
    "moved here by hand is drift of the ACL it left"
)
NOT_EMULATED = (
    "the emulator the tests run on (moto) does not answer the call that reads it: left out "
    "rather than compared untested"
)
SECRET = (
    "a secret AWS hands out once, when it is created: never read back, and a scanner must "
    "not hold it"
)
NOT_YET = "not compared yet: a later change reads it from AWS"

_COMMON = {
    "id": ID,
    "region": REGION,
    "tags_all": TAGS_ALL,
    "timeouts": TIMEOUTS,
    "arn": COMPUTED,
    "name_prefix": TERRAFORM_ONLY,
}


def because(reason: str, *names: str) -> dict[str, str]:
    """``names`` left out for ``reason``."""
    return dict.fromkeys(names, reason)


def common(*names: str) -> dict[str, str]:
    """The attributes most types share, with their usual reason (id, region, tags_all,
    timeouts, arn, name_prefix)."""
    return {name: _COMMON[name] for name in names}
