"""RDS instance and cluster quirks on a DescribeDBInstances answer in AWS's shape (pure, no
emulator): what AWS chose is silent, provider 3.x/4.x's `name`, version pins, Multi-AZ
zones, an Aurora member's owner, and an instance being deleted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from driftq.compare import compare
from driftq.model import LiveResource, StateResource, Unit
from driftq.resources import REGISTRY
from driftq.resources.context import ScanContext
from driftq.resources.enumerate import live_resource
from driftq.state.parse import parse_state
from tests.resources.cases.rds_databases import cluster_state, instance_state, make_cluster
from tests.support.estate import StateFile
from tests.support.scanning import changes, scan_ok

SPEC = REGISTRY["aws_db_instance"]

# the fields of a real answer the normalizer and the state read (values made up)
DESCRIBED: dict[str, Any] = {
    "DBInstanceIdentifier": "app-db",
    "DBInstanceArn": "arn:aws:rds:eu-west-1:123456789012:db:app-db",
    "DBInstanceClass": "db.t3.micro",
    "DBInstanceStatus": "available",
    "Engine": "postgres",
    "EngineVersion": "15.4",
    "DBName": "appdb",
    "MasterUsername": "app",
    "Endpoint": {"Address": "app-db.c9akciq32.eu-west-1.rds.amazonaws.com", "Port": 5432},
    "DbInstancePort": 0,
    "AllocatedStorage": 20,
    "StorageType": "gp3",
    "Iops": 3000,
    "StorageThroughput": 125,
    "StorageEncrypted": False,
    "MultiAZ": False,
    "AvailabilityZone": "eu-west-1b",
    "PubliclyAccessible": False,
    "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-0a1b2c3d", "Status": "active"}],
    "DBSubnetGroup": {"DBSubnetGroupName": "default", "VpcId": "vpc-1"},
    "DBParameterGroups": [{"DBParameterGroupName": "default.postgres15"}],
    "OptionGroupMemberships": [{"OptionGroupName": "default:postgres-15", "Status": "in-sync"}],
    "BackupRetentionPeriod": 7,
    "PreferredBackupWindow": "03:12-03:42",
    "PreferredMaintenanceWindow": "Sun:05:00-Sun:05:30",
    "AutoMinorVersionUpgrade": True,
    "CopyTagsToSnapshot": True,
    "DeletionProtection": False,
    "IAMDatabaseAuthenticationEnabled": False,
    "MonitoringInterval": 0,
    "PerformanceInsightsEnabled": False,
    "CACertificateIdentifier": "rds-ca-rsa2048-g1",
    "LicenseModel": "postgresql-license",
    "NetworkType": "IPV4",
    "DbiResourceId": "db-ABCDEFGHIJKLMNOP",
    "LatestRestorableTime": "2025-01-01T00:00:00Z",
    "TagList": [{"Key": "Name", "Value": "app-db"}, {"Key": "ManagedBy", "Value": "terraform"}],
}


_MANAGED = {"ManagedBy": "terraform"}
_TAGS = {"Name": "app-db", **_MANAGED}


def _no_aws(service: str, region: str | None = None) -> Any:
    raise AssertionError("the DB instance spec calls nothing per instance")


def _live(**changes: Any) -> LiveResource:
    ctx = ScanContext(Unit("test", "eu-west-1", "rds"), "123456789012", ("eu-west-1",), _no_aws)
    live = live_resource(SPEC, {**DESCRIBED, **changes, "_tags": _TAGS}, ctx)
    assert live is not None
    return live


def _state(**changes: Any) -> StateResource:
    attributes = {**instance_state(DESCRIBED), **changes}
    for name in [k for k, v in changes.items() if v is _DROP]:
        del attributes[name]
    state = StateFile()
    state.add("aws_db_instance", "db", attributes)
    return parse_state(json.dumps(state.document()), "test", "eu-west-1")[0]


_DROP = object()


def _drift(state: StateResource, live: LiveResource) -> list[str]:
    return [c.attribute for c in compare(SPEC, state, live)]


def test_recorded_answer_matches_its_state() -> None:
    # the pin `15` covers AWS's `15.4`; AWS's capitalized window is the same time
    assert _drift(_state(), _live()) == []
    assert _drift(_state(engine_version="15.4"), _live()) == []


def test_settings_aws_chose_are_silent_when_the_state_has_none() -> None:
    unset = {
        "backup_window": "",
        "maintenance_window": "",
        "parameter_group_name": "",
        "option_group_name": "",
        "ca_cert_identifier": "",
        "availability_zone": "",
        "db_subnet_group_name": "",
        "vpc_security_group_ids": [],
        "iops": 0,
        "storage_throughput": 0,
        "license_model": "",
        "network_type": None,
        "port": 0,
    }
    assert _drift(_state(**unset), _live()) == []


def test_a_changed_setting_is_drift_at_its_path() -> None:
    live = _live(BackupRetentionPeriod=1, PreferredBackupWindow="05:00-05:30", MultiAZ=False)
    assert _drift(_state(), live) == ["backup_retention_period", "backup_window"]
    assert _drift(_state(parameter_group_name="app-pg15"), _live()) == ["parameter_group_name"]


def test_version_pins_match_on_a_dot_boundary() -> None:
    assert _drift(_state(engine_version="15"), _live(EngineVersion="15.10")) == []
    assert _drift(_state(engine_version="1"), _live()) == ["engine_version"]
    assert _drift(_state(engine_version="15.3"), _live()) == ["engine_version"]


def test_provider_3_and_4_record_the_database_name_as_name() -> None:
    # and key the instance by its identifier, 5.x+ by its resource id
    old = {"id": "app-db", "db_name": _DROP, "name": "appdb", "storage_throughput": _DROP}
    assert SPEC.identity_of_state(_state(**old).attributes) == _live().identity == "app-db"
    assert SPEC.identity_of_state(_state().attributes) == "app-db"
    assert _drift(_state(**old), _live()) == []
    assert _drift(_state(**{**old, "name": "other"}), _live()) == ["db_name"]


def test_a_multi_az_instance_zone_is_not_compared() -> None:
    # the zone moves at each failover; the state keeps the one of its last refresh
    live = _live(MultiAZ=True, AvailabilityZone="eu-west-1c")
    assert _drift(_state(multi_az=True), live) == []


def test_the_password_is_never_compared() -> None:
    assert _drift(_state(password="changed"), _live()) == []


def test_an_aurora_member_belongs_to_its_cluster() -> None:
    live = _live(DBClusterIdentifier="app-aurora", Engine="aurora-postgresql")
    assert live.owners == (("aws_rds_cluster", "app-aurora"),)
    assert _live().owners == ()


def test_an_instance_being_deleted_is_skipped() -> None:
    ctx = ScanContext(Unit("test", "eu-west-1", "rds"), "123456789012", ("eu-west-1",), _no_aws)
    assert live_resource(SPEC, {**DESCRIBED, "DBInstanceStatus": "deleting"}, ctx) is None


CLUSTER: dict[str, Any] = {
    "DBClusterIdentifier": "app-aurora",
    "DBClusterArn": "arn:aws:rds:eu-west-1:123456789012:cluster:app-aurora",
    "Status": "available",
    "Engine": "aurora-postgresql",
    "EngineMode": "provisioned",
    "EngineVersion": "15.4",
    "DatabaseName": "appdb",
    "MasterUsername": "app",
    "Port": 5432,
    "Endpoint": "app-aurora.cluster-c9akciq32.eu-west-1.rds.amazonaws.com",
    "ReaderEndpoint": "app-aurora.cluster-ro-c9akciq32.eu-west-1.rds.amazonaws.com",
    "HostedZoneId": "Z29XKXDKYMONMX",
    "DbClusterResourceId": "cluster-ABCDEFGHIJ",
    "DBClusterMembers": [{"DBInstanceIdentifier": "app-aurora-1", "IsClusterWriter": True}],
    "AvailabilityZones": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    "DBSubnetGroup": "default",
    "DBClusterParameterGroup": "default.aurora-postgresql15",
    "AllocatedStorage": 1,
    "StorageType": "aurora",
    "StorageEncrypted": False,
    "BackupRetentionPeriod": 5,
    "PreferredBackupWindow": "02:00-02:30",
    "PreferredMaintenanceWindow": "mon:04:00-mon:04:30",
    "EnabledCloudwatchLogsExports": ["postgresql"],
    "ServerlessV2ScalingConfiguration": {"MinCapacity": 0.5, "MaxCapacity": 4.0},
    "NetworkType": "IPV4",
    "TagList": [],
}


def test_cluster_settings_aws_chose_are_silent_when_the_state_has_none() -> None:
    spec = REGISTRY["aws_rds_cluster"]
    ctx = ScanContext(Unit("test", "eu-west-1", "rds"), "123456789012", ("eu-west-1",), _no_aws)
    tags = {"Name": "app-aurora", "ManagedBy": "terraform"}
    live = live_resource(spec, {**CLUSTER, "_tags": tags}, ctx)
    assert live is not None
    attributes = cluster_state(CLUSTER)
    unset = {
        "availability_zones": [],
        "db_subnet_group_name": "",
        "db_cluster_parameter_group_name": "",
        "preferred_backup_window": "",
        "preferred_maintenance_window": "",
        "port": 0,
        "allocated_storage": 0,
        "engine_version": "15",
    }
    for state_attributes in (attributes, {**attributes, **unset}):
        file = StateFile()
        file.add("aws_rds_cluster", "aurora", state_attributes)
        state = parse_state(json.dumps(file.document()), "test", "eu-west-1")[0]
        assert [c.attribute for c in compare(spec, state, live)] == []
    file = StateFile()
    file.add("aws_rds_cluster", "aurora", {**attributes, "backup_retention_period": 7})
    state = parse_state(json.dumps(file.document()), "test", "eu-west-1")[0]
    assert [c.attribute for c in compare(spec, state, live)] == ["backup_retention_period"]


def test_a_provider_4x_cluster_state_without_newer_attributes_matches() -> None:
    spec = REGISTRY["aws_rds_cluster"]
    ctx = ScanContext(Unit("test", "eu-west-1", "rds"), "123456789012", ("eu-west-1",), _no_aws)
    live = live_resource(spec, {**CLUSTER, "_tags": {"Name": "app-aurora", **_MANAGED}}, ctx)
    assert live is not None
    newer = (
        "db_cluster_instance_class",
        "network_type",
        "serverlessv2_scaling_configuration",
        "manage_master_user_password",
        "master_user_secret_kms_key_id",
        "storage_type",
        "iops",
        "allocated_storage",
    )
    attributes = {k: v for k, v in cluster_state(CLUSTER).items() if k not in newer}
    file = StateFile()
    file.add("aws_rds_cluster", "aurora", attributes)
    state = parse_state(json.dumps(file.document()), "test", "eu-west-1")[0]
    assert [c.attribute for c in compare(spec, state, live)] == []


def test_an_event_narrows_the_listing_to_its_instance_or_cluster() -> None:
    from driftq.events.narrow import narrowed

    arn = "arn:aws:rds:eu-west-1:123456789012:db:app-db"
    spec = narrowed(SPEC, frozenset({"app-db", arn}))
    assert spec is not None and spec.list_call is not None
    assert spec.list_call.params == {
        "Filters": [{"Name": "db-instance-id", "Values": ["app-db", arn]}]
    }
    cluster = narrowed(REGISTRY["aws_rds_cluster"], frozenset({"app-aurora"}))
    assert cluster is not None and cluster.list_call is not None
    assert cluster.list_call.params["Filters"][0]["Name"] == "db-cluster-id"
    # a tag event of a subnet group names no instance: the type is listed whole
    assert narrowed(SPEC, frozenset({"arn:aws:rds:eu-west-1:123456789012:subgrp:app"})) is None


# AWS's answer's newer fields for an instance nothing was chosen for
_AWS_CHOSE = {
    "BackupTarget": "region",
    "DatabaseInsightsMode": "standard",
    "EngineLifecycleSupport": "open-source-rds-extended-support",
    "CustomerOwnedIpEnabled": False,
    "DedicatedLogVolume": False,
    "DomainMemberships": [],
}
_DOMAIN = {
    "Domain": "d-906716f0e1",
    "Status": "joined",
    "IAMRoleName": "rds-directory-service-access-role",
}


def test_newer_settings_aws_chose_are_silent_and_changes_are_drift() -> None:
    recorded = {
        "backup_target": "region",
        "database_insights_mode": "standard",
        "engine_lifecycle_support": "open-source-rds-extended-support",
        "customer_owned_ip_enabled": False,
        "dedicated_log_volume": False,
        "domain": "",
        "domain_dns_ips": [],
    }
    unset = {
        "backup_target": "",
        "database_insights_mode": "",
        "engine_lifecycle_support": "",
        "replica_mode": "",
    }
    for state in (_state(), _state(**recorded), _state(**unset)):
        assert _drift(state, _live(**_AWS_CHOSE)) == []
    joined = _live(**{**_AWS_CHOSE, "DomainMemberships": [_DOMAIN], "DedicatedLogVolume": True})
    assert _drift(_state(**recorded), joined) == ["dedicated_log_volume", "domain"]
    extended = _live(
        **{**_AWS_CHOSE, "EngineLifecycleSupport": "open-source-rds-extended-support-disabled"}
    )
    assert _drift(_state(**recorded), extended) == ["engine_lifecycle_support"]


def test_newer_cluster_settings_are_compared() -> None:
    spec = REGISTRY["aws_rds_cluster"]
    ctx = ScanContext(Unit("test", "eu-west-1", "rds"), "123456789012", ("eu-west-1",), _no_aws)
    answer = {
        **CLUSTER,
        "CertificateDetails": {"CAIdentifier": "rds-ca-rsa2048-g1"},
        "ClusterScalabilityType": "standard",
        "DatabaseInsightsMode": "standard",
        "EngineLifecycleSupport": "open-source-rds-extended-support",
        "LocalWriteForwardingStatus": "disabled",
        "_tags": {"Name": "app-aurora", "ManagedBy": "terraform"},
    }

    def drift(state_changes: dict[str, Any], **live_changes: Any) -> list[str]:
        live = live_resource(spec, {**answer, **live_changes}, ctx)
        assert live is not None
        file = StateFile()
        file.add("aws_rds_cluster", "aurora", {**cluster_state(CLUSTER), **state_changes})
        state = parse_state(json.dumps(file.document()), "test", "eu-west-1")[0]
        return [c.attribute for c in compare(spec, state, live)]

    # a state recording AWS's choices, or none of them
    chosen = {
        "ca_certificate_identifier": "rds-ca-rsa2048-g1",
        "cluster_scalability_type": "standard",
        "database_insights_mode": "standard",
        "engine_lifecycle_support": "open-source-rds-extended-support",
        "enable_local_write_forwarding": False,
        "enable_global_write_forwarding": False,
        "replication_source_identifier": "",
        "scaling_configuration": [],
        "domain": "",
    }
    assert drift(chosen) == []
    assert drift({name: "" for name in chosen if isinstance(chosen[name], str)}) == []
    assert drift(chosen, LocalWriteForwardingStatus="enabled") == ["enable_local_write_forwarding"]
    assert drift(chosen, CertificateDetails={"CAIdentifier": "rds-ca-ecc384-g1"}) == [
        "ca_certificate_identifier"
    ]


def test_a_cluster_in_a_global_cluster_against_moto(account: Any, tmp_path: Path) -> None:
    """DescribeGlobalClusters' members: the state's global cluster matches; a state
    written before the cluster joined one drifts."""
    cluster = make_cluster(account)
    account.client("rds").create_global_cluster(
        GlobalClusterIdentifier="app-global", SourceDBClusterIdentifier=cluster["DBClusterArn"]
    )
    unit = Unit("test", "us-east-1", "rds")
    found = {}
    for name, value in (("joined", "app-global"), ("before", "")):
        state = StateFile()
        state.add(
            "aws_rds_cluster",
            "aurora",
            {**cluster_state(cluster), "global_cluster_identifier": value},
        )
        result = scan_ok(account, tmp_path, state, unit)
        found[name] = [changes(f) for f in result.findings if f.resource_type == "aws_rds_cluster"]
    assert found["joined"] == []
    assert found["before"] == [{"global_cluster_identifier": ("", "app-global")}]
