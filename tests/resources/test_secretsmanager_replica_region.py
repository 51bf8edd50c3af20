"""A secret's replica, listed in its own region (`PrimaryRegion` another), against a real
moto server: it is the primary's (managed through the primary's `replica` block), never
unmanaged in its region. Before, the replica region's unit failed: GetResourcePolicy on a
replica is refused outside the primary's region."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driftq.model import Unit
from tests.support.estate import StateFile, unique
from tests.support.scanning import scan_ok

REPLICA_UNIT = Unit("test", "eu-west-1", "secretsmanager")


def test_a_replica_is_its_primarys(account: Any, tmp_path: Path) -> None:
    name = unique("db")
    arn = account.client("secretsmanager").create_secret(
        Name=name, SecretString="s3cr3t", AddReplicaRegions=[{"Region": "eu-west-1"}]
    )["ARN"]
    replica = arn.replace(":us-east-1:", ":eu-west-1:")
    listed = account.client("secretsmanager", "eu-west-1").list_secrets()["SecretList"]
    assert [s.get("PrimaryRegion") for s in listed if s["ARN"] == replica] == ["us-east-1"]

    primary = {"id": arn, "arn": arn, "name": name, "region": "us-east-1"}
    state = StateFile().add("aws_secretsmanager_secret", "s", primary)
    regions = ["us-east-1", "eu-west-1"]
    assert scan_ok(account, tmp_path, state, REPLICA_UNIT, regions).findings == []

    # the primary in no state: it is reported unmanaged in its own region's unit, once;
    # the replica's region adds nothing
    assert scan_ok(account, tmp_path, StateFile(), REPLICA_UNIT, regions).findings == []
    primary_unit = Unit("test", "us-east-1", "secretsmanager")
    found = scan_ok(account, tmp_path, StateFile(), primary_unit, regions).findings
    assert [(f.kind, f.resource_id) for f in found] == [("unmanaged", arn)]
