"""Small drifted estates inside the emulator, and configs that scan them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.support.estate import StateFile, account_session, new_account_id, unique

EXTERNAL_ID = "driftq-cluster-test"


@dataclass
class EstateAccount:
    name: str
    endpoint: str
    regions: list[str]
    id: str = field(default_factory=new_account_id)
    backend: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str, region: str | None = None) -> Any:
        session = account_session(self.id, region or self.regions[0], self.endpoint)
        return session.client(service, endpoint_url=self.endpoint)

    def entry(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "account_id": self.id,
            "role_arn": f"arn:aws:iam::{self.id}:role/DriftqScanner",
            "external_id": EXTERNAL_ID,
            "regions": self.regions,
            "state_backend": self.backend,
        }


def drifted_account(name: str, endpoint: str, tmp: Path, regions: list[str]) -> EstateAccount:
    """Unmanaged VPC, queue and role; a state with one real VPC (tag drift) and one gone."""
    account = EstateAccount(name, endpoint, regions)
    state = StateFile()
    for region in regions:
        ec2 = account.client("ec2", region)
        vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "live-name"}])
        ec2.create_vpc(CidrBlock="10.30.0.0/16")  # in no state: unmanaged
        state.add(
            "aws_vpc",
            f"main_{region.replace('-', '_')}",
            {
                "id": vpc,
                "cidr_block": "10.20.0.0/16",
                "tags": {"Name": "state-name"},
                "arn": f"arn:aws:ec2:{region}:{account.id}:vpc/{vpc}",
            },
        )
        state.add(
            "aws_vpc",
            f"gone_{region.replace('-', '_')}",
            {
                "id": "vpc-0000000000deadbee",
                "cidr_block": "10.99.0.0/16",
                "tags": {},
                "arn": f"arn:aws:ec2:{region}:{account.id}:vpc/vpc-0000000000deadbee",
            },
        )
        account.client("sqs", region).create_queue(QueueName=unique("orphan"))
    account.client("iam").create_role(
        RoleName=unique("orphan-role"),
        AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}',
    )
    path = state.write(tmp / f"{name}.tfstate")
    account.backend = {"type": "local", "path": str(path), "region": regions[0]}
    return account


def write_config(
    path: Path,
    accounts: list[EstateAccount],
    services: list[str],
    timeout: str = "15s",
    monitoring: dict[str, Any] | None = None,
) -> Path:
    data = {
        "version": "1.0",
        "defaults": {"timeout": timeout, "services": services, "parallel_workers": 4},
        "accounts": [a.entry() for a in accounts],
        "monitoring": monitoring or {},
        "remediation": {"auto_generate_import": True},
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path
