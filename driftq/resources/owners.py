"""Resources an AWS service made on behalf of another resource, and that owner.

An Auto Scaling group launches instances (tagged `aws:autoscaling:groupName`), an EKS node
group launches them through its own group (`eks:nodegroup-name`), Elastic Beanstalk and
CloudFormation make whole sets of resources (`elasticbeanstalk:environment-id`,
`aws:cloudformation:stack-name`), a spot fleet or EC2 fleet launches instances, and an
instance's launch makes its root and mapped volumes. Terraform manages the owner, never the
owned resource, so such a resource is not "unmanaged" while its owner is in a state; when
the owner is in none, it is reported once, as the owner (``passes/owners.py``).

A live resource's owners are candidates, most specific first (a Beanstalk instance is also
in a CloudFormation stack and an Auto Scaling group): any of them in a state makes it
managed. Owner types driftq does not scan are declared here as ``OWNER_SPECS`` (identity
only, never listed), so their findings have a type, an id and an import id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from driftq.resources.attributes import ID
from driftq.resources.spec import ResourceSpec

OWNERS = "_owners"  # attributes key a normalizer may set: [(owner type, owner identity)]
Owner = tuple[str, str]


def owners_from_tags(tags: Mapping[str, Any]) -> list[Owner]:
    """The owners AWS's own tags name (tags as a map, `aws:` tags included)."""
    out: list[Owner] = []
    cluster, nodegroup = tags.get("eks:cluster-name"), tags.get("eks:nodegroup-name")
    if cluster and nodegroup:
        out.append(("aws_eks_node_group", f"{cluster}:{nodegroup}"))
    for key, rtype in _BY_TAG:
        if tags.get(key):
            out.append((rtype, str(tags[key])))
    return out


# (tag, owner type): the tag's value is the owner's identity (its Terraform id, or what its
# owner spec's identity reads from the state)
_BY_TAG = (
    ("elasticbeanstalk:environment-id", "aws_elastic_beanstalk_environment"),
    ("aws:cloudformation:stack-name", "aws_cloudformation_stack"),
    ("aws:ec2spot:fleet-request-id", "aws_spot_fleet_request"),
    ("aws:ec2:fleet-id", "aws_ec2_fleet"),
    ("aws:autoscaling:groupName", "aws_autoscaling_group"),
)


def _never_listed(ctx: Any) -> list[dict[str, Any]]:
    return []


def _owner_spec(rtype: str, service: str, identity: str, import_id: str) -> ResourceSpec:
    return ResourceSpec(
        type=rtype,
        service=service,
        enumerate=_never_listed,
        normalize=lambda item, ctx: item,
        compared=(),
        left_out={"id": ID},
        identity=lambda attrs: str(attrs.get(identity) or ""),
        import_id_format=import_id,
        doc="an owner of scanned resources: reported for them, never scanned itself",
    )


OWNER_SPECS: dict[str, ResourceSpec] = {
    spec.type: spec
    for spec in (
        _owner_spec("aws_autoscaling_group", "autoscaling", "id", "group name, e.g. web-asg"),
        _owner_spec("aws_eks_node_group", "eks", "id", "CLUSTER:NODEGROUP, e.g. prod:workers"),
        _owner_spec(
            "aws_elastic_beanstalk_environment",
            "elasticbeanstalk",
            "id",
            "environment id, e.g. e-abc123",
        ),
        _owner_spec(
            "aws_cloudformation_stack", "cloudformation", "name", "stack name, e.g. network"
        ),
        _owner_spec("aws_spot_fleet_request", "ec2", "id", "spot fleet request id, e.g. sfr-0abc"),
        _owner_spec("aws_ec2_fleet", "ec2", "id", "fleet id, e.g. fleet-0abc"),
    )
}
OWNER_TYPES: tuple[str, ...] = tuple(OWNER_SPECS)


def with_owner_specs(
    registry: Mapping[str, ResourceSpec], service: str | None = None
) -> dict[str, ResourceSpec]:
    """The registry plus the owner types it does not scan (a scanned type wins). With
    ``service``, an owner's finding belongs to the unit that found what it made (history
    and baselines follow findings by their unit: account, region, service)."""
    owners = {
        rtype: replace(spec, service=service) if service else spec
        for rtype, spec in OWNER_SPECS.items()
    }
    return {**owners, **registry}


def is_owner_only(spec: ResourceSpec) -> bool:
    """An owner type declared here, not scanned by driftq."""
    return spec.enumerate is _never_listed
