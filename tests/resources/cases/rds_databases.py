"""RDS database cases: a PostgreSQL instance and an Aurora PostgreSQL cluster, as provider
6.x records them (settings AWS chose, such as the windows and default groups, as computed
values). The cluster has a member instance, which must not show as an `aws_db_instance`."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique


def _tag_list(name: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()]


def instance_state(db: dict[str, Any]) -> dict[str, Any]:
    """The state provider 6.x writes for the instance AWS describes as ``db``."""
    name = db["DBInstanceIdentifier"]
    return {
        "id": db["DbiResourceId"],  # provider 5.x+; 4.x: the identifier
        "identifier": name,
        "identifier_prefix": "",
        "arn": db["DBInstanceArn"],
        "address": db["Endpoint"]["Address"],
        "endpoint": f"{db['Endpoint']['Address']}:{db['Endpoint']['Port']}",
        "hosted_zone_id": "Z2R2ITUGPM61AM",
        "resource_id": db["DbiResourceId"],
        "status": "available",
        "engine": "postgres",
        "engine_version": "15",  # the configured pin; AWS runs 15.4
        "engine_version_actual": db["EngineVersion"],
        "instance_class": "db.t3.micro",
        "allocated_storage": 20,
        "max_allocated_storage": 0,
        "storage_type": db["StorageType"],
        "iops": db.get("Iops", 0),  # gp3's baseline, recorded as computed
        "storage_throughput": db.get("StorageThroughput", 0),
        "storage_encrypted": False,
        "kms_key_id": "",
        "username": "app",
        "password": "not-the-real-one",
        "password_wo": None,
        "password_wo_version": None,
        "db_name": "appdb",
        "port": 5432,
        "multi_az": False,
        "availability_zone": db["AvailabilityZone"],
        "publicly_accessible": False,
        "db_subnet_group_name": "",
        "vpc_security_group_ids": [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]],
        "parameter_group_name": db["DBParameterGroups"][0]["DBParameterGroupName"],
        "option_group_name": db["OptionGroupMemberships"][0]["OptionGroupName"],
        "backup_retention_period": 7,
        "backup_window": db["PreferredBackupWindow"],
        "maintenance_window": db["PreferredMaintenanceWindow"],
        "auto_minor_version_upgrade": True,
        "copy_tags_to_snapshot": True,
        "deletion_protection": False,
        "iam_database_authentication_enabled": False,
        "enabled_cloudwatch_logs_exports": [],
        "monitoring_interval": 0,
        "monitoring_role_arn": "",
        "performance_insights_enabled": False,
        "performance_insights_kms_key_id": "",
        "performance_insights_retention_period": 0,
        "ca_cert_identifier": db["CACertificateIdentifier"],
        "license_model": db["LicenseModel"],
        "network_type": db.get("NetworkType", ""),
        "character_set_name": "",
        "nchar_character_set_name": "",
        "timezone": "",
        "manage_master_user_password": None,
        "master_user_secret": [],
        "master_user_secret_kms_key_id": "",
        "replicate_source_db": "",
        "replicas": [],
        "latest_restorable_time": str(db.get("LatestRestorableTime", "")),
        "apply_immediately": False,
        "allow_major_version_upgrade": None,
        "skip_final_snapshot": True,
        "final_snapshot_identifier": None,
        "delete_automated_backups": True,
        "blue_green_update": [],
        "snapshot_identifier": None,
        "restore_to_point_in_time": [],
        "s3_import": [],
        "listener_endpoint": [],
        "timeouts": None,
        **tags_state({"Name": name}),
    }


def make_instance(account: Any, **extra: Any) -> dict[str, Any]:
    name = unique("db")
    rds = account.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        DBName="appdb",
        AllocatedStorage=20,
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        EngineVersion="15.4",
        MasterUsername="app",
        MasterUserPassword="not-the-real-one",
        BackupRetentionPeriod=7,
        CopyTagsToSnapshot=True,
        Tags=_tag_list(name),
        **extra,
    )
    return dict(rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0])


def _instance(account: Any) -> Built:
    db = make_instance(account)
    state = instance_state(db)
    return Built([Res("aws_db_instance", "db", state)], import_id=state["identifier"])


def cluster_state(cluster: dict[str, Any]) -> dict[str, Any]:
    """The state provider 6.x writes for the cluster AWS describes as ``cluster``."""
    name = cluster["DBClusterIdentifier"]
    return {
        "id": name,
        "cluster_identifier": name,
        "cluster_identifier_prefix": "",
        "arn": cluster["DBClusterArn"],
        "endpoint": cluster["Endpoint"],
        "reader_endpoint": cluster["ReaderEndpoint"],
        "hosted_zone_id": cluster["HostedZoneId"],
        "cluster_resource_id": cluster["DbClusterResourceId"],
        "cluster_members": [m["DBInstanceIdentifier"] for m in cluster["DBClusterMembers"]],
        "engine": "aurora-postgresql",
        "engine_mode": "provisioned",
        "engine_version": cluster["EngineVersion"],
        "engine_version_actual": cluster["EngineVersion"],
        "database_name": "appdb",
        "master_username": "app",
        "master_password": "not-the-real-one",
        "port": 5432,
        "availability_zones": cluster["AvailabilityZones"],
        "db_subnet_group_name": cluster["DBSubnetGroup"],
        "vpc_security_group_ids": [],
        "db_cluster_parameter_group_name": cluster["DBClusterParameterGroup"],
        "db_instance_parameter_group_name": None,
        "db_cluster_instance_class": "",
        "allocated_storage": cluster["AllocatedStorage"],  # Aurora answers 1: it grows itself
        "storage_type": "",
        "iops": 0,
        "storage_encrypted": False,
        "kms_key_id": "",
        "backup_retention_period": 5,
        "preferred_backup_window": cluster["PreferredBackupWindow"],
        "preferred_maintenance_window": cluster["PreferredMaintenanceWindow"],
        "backtrack_window": 0,
        "copy_tags_to_snapshot": False,
        "deletion_protection": False,
        "iam_database_authentication_enabled": False,
        "enable_http_endpoint": False,
        "enabled_cloudwatch_logs_exports": ["postgresql"],
        "iam_roles": [],
        "network_type": cluster.get("NetworkType", ""),
        "monitoring_interval": 0,
        "monitoring_role_arn": "",
        "performance_insights_enabled": False,
        "performance_insights_kms_key_id": "",
        "performance_insights_retention_period": 0,
        "manage_master_user_password": None,
        "master_user_secret": [],
        "master_user_secret_kms_key_id": "",
        "serverlessv2_scaling_configuration": [{"min_capacity": 0.5, "max_capacity": 4}],
        "scaling_configuration": [],
        "skip_final_snapshot": True,
        "final_snapshot_identifier": None,
        "apply_immediately": None,
        "timeouts": None,
        **tags_state({"Name": name}),
    }


def make_cluster(account: Any) -> dict[str, Any]:
    """An Aurora cluster with one member instance (Terraform's aws_rds_cluster_instance)."""
    name = unique("aurora")
    rds = account.client("rds")
    rds.create_db_cluster(
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        DatabaseName="appdb",
        MasterUsername="app",
        MasterUserPassword="not-the-real-one",
        BackupRetentionPeriod=5,
        EnableCloudwatchLogsExports=["postgresql"],
        ServerlessV2ScalingConfiguration={"MinCapacity": 0.5, "MaxCapacity": 4},
        Tags=_tag_list(name),
    )
    rds.create_db_instance(
        DBInstanceIdentifier=f"{name}-1",
        DBInstanceClass="db.serverless",
        Engine="aurora-postgresql",
        DBClusterIdentifier=name,
    )
    return dict(rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0])


def _cluster(account: Any) -> Built:
    state = cluster_state(make_cluster(account))
    return Built([Res("aws_rds_cluster", "aurora", state)], import_id=state["id"])


CASES = [
    TypeCase(
        type="aws_db_instance",
        build=_instance,
        # the state pins `15` of the `15.4` AWS runs: a drift is another version
        mutations={"engine_version": "16.1"},
    ),
    TypeCase(
        type="aws_rds_cluster",
        build=_cluster,
        mutations={"engine_version": "16.1"},
        note="its member instance is the cluster's: never an unmanaged aws_db_instance",
    ),
]
