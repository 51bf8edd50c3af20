"""Build a real estate inside moto: sessions into fresh accounts, and Terraform state files.

Every test uses fresh random account ids, so tests share one moto server without seeing each
other's resources (moto isolates accounts reached through AssumeRole).
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

# one loader for every test session: it caches the service models it reads, and reading
# EC2's or IAM's again for each fresh account cost about a second per client under load
_LOADER = botocore.loaders.create_loader()


def new_account_id() -> str:
    return str(random.randint(100000000000, 999999999999))


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def account_session(
    account_id: str, region: str = "us-east-1", endpoint: str | None = None
) -> boto3.Session:
    """A plain boto3 session acting inside ``account_id`` (the test's own, unguarded).
    ``endpoint``: the emulator's URL, for tests that keep AWS_ENDPOINT_URL unset."""
    sts = boto3.client(
        "sts",
        region_name=region,
        endpoint_url=endpoint,
        **(
            {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"} if endpoint else {}
        ),
    )
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/test-setup",
        RoleSessionName="test-setup",
        ExternalId="test-setup",
    )["Credentials"]
    core = botocore.session.get_session()
    core.register_component("data_loader", _LOADER)
    session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
        botocore_session=core,
    )
    # boto3 adds its own data folder to the loader's paths for each session: once is enough
    _LOADER.search_paths[:] = list(dict.fromkeys(_LOADER.search_paths))
    # botocore retries a call whose answer took over 60 s: on a busy machine the emulator
    # can be that slow, and a retried create makes a second VPC or an AlreadyExists error
    session._session.set_default_client_config(Config(read_timeout=900, connect_timeout=60))
    return session


@dataclass
class StateFile:
    """A Terraform v4 state built resource by resource, as Terraform would write it."""

    resources: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        rtype: str,
        name: str,
        attributes: dict[str, Any],
        *,
        module: str | None = None,
        index_key: int | str | None = None,
        provider: str = 'provider["registry.terraform.io/hashicorp/aws"]',
        sensitive: list[str] | None = None,
    ) -> StateFile:
        instance: dict[str, Any] = {
            "schema_version": 0,
            "attributes": attributes,
            "sensitive_attributes": [[{"type": "get_attr", "value": s}] for s in sensitive or []],
        }
        if index_key is not None:
            instance["index_key"] = index_key
        for existing in self.resources:
            if (existing["type"], existing["name"], existing.get("module")) == (
                rtype,
                name,
                module,
            ):
                existing["instances"].append(instance)
                return self
        resource: dict[str, Any] = {
            "mode": "managed",
            "type": rtype,
            "name": name,
            "provider": provider,
            "instances": [instance],
        }
        if module:
            resource["module"] = module
        self.resources.append(resource)
        return self

    def document(self) -> dict[str, Any]:
        return {
            "version": 4,
            "terraform_version": "1.6.0",
            "serial": 1,
            "lineage": str(uuid.uuid4()),
            "outputs": {},
            "resources": self.resources,
        }

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.document(), indent=2))
        return path

    def upload(self, session: boto3.Session, bucket: str, key: str) -> str:
        session.client("s3").put_object(Bucket=bucket, Key=key, Body=json.dumps(self.document()))
        return f"s3://{bucket}/{key}"
