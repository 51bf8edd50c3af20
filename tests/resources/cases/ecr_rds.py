"""ECR and RDS cases: a repository scanned on push, a DB subnet group over two subnets."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique


def _tag_list(name: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()]


def _repository(account: Any) -> Built:
    name = unique("app")
    repo = account.client("ecr").create_repository(
        repositoryName=name,
        imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest"}],
        imageScanningConfiguration={"scanOnPush": True},
        tags=_tag_list(name),
    )["repository"]
    state = {
        "id": name,
        "name": name,
        "arn": repo["repositoryArn"],
        "registry_id": repo["registryId"],
        "repository_url": repo["repositoryUri"],
        "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION",
        "image_scanning_configuration": [{"scan_on_push": True}],
        "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
        "image_tag_mutability_exclusion_filter": [{"filter": "latest", "filter_type": "WILDCARD"}],
        "force_delete": None,
        "timeouts": None,
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_ecr_repository", "r", state)], import_id=name)


def _subnet_group(account: Any) -> Built:
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.8.{i}.0/24", AvailabilityZone=f"us-east-1{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    ]
    name = unique("db")
    group = account.client("rds").create_db_subnet_group(
        DBSubnetGroupName=name,
        DBSubnetGroupDescription="app database",
        SubnetIds=subnets,
        Tags=_tag_list(name),
    )["DBSubnetGroup"]
    state = {
        "id": name,
        "name": name,
        "name_prefix": "",
        "arn": group["DBSubnetGroupArn"],
        "description": "app database",
        "subnet_ids": subnets,
        "supported_network_types": ["IPV4"],
        "vpc_id": vpc,
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_db_subnet_group", "g", state)], import_id=name)


CASES = [
    TypeCase(
        type="aws_ecr_repository",
        build=_repository,
        # AES256 without a key is the default: "not set"
        mutations={"encryption_configuration": [{"encryption_type": "KMS", "kms_key": "k"}]},
    ),
    TypeCase(type="aws_db_subnet_group", build=_subnet_group),
]
