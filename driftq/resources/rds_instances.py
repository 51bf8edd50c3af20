"""RDS: DB instances (`aws_db_instance`), keyed and imported by identifier (the
Terraform id is the identifier up to provider 4.x, the `db-...` resource id since 5.0).

DescribeDBInstances answers every setting, tags included (`TagList`), in pages of 100: no
call per instance. An Aurora cluster's instances are listed too (`DBClusterIdentifier`
set): Terraform manages them as `aws_rds_cluster_instance` beside their `aws_rds_cluster`,
never as `aws_db_instance`, so they name the cluster as their owner (``resources/owners``)
and are never reported unmanaged as DB instances.

Settings AWS picks when the configuration leaves them out (the backup and maintenance
windows, the `default.*` parameter group and `default:*` option group, the availability
zone, a CA, the default VPC security group, ...) are recorded as computed in the state;
they are compared only when the state holds a value, so a state without one is silent. The
state's `engine_version` may pin only a major version (`15`) of the one AWS runs (`15.4`).
Provider 3.x/4.x record the database name as `name` (5.x: `db_name`).
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    NOT_YET,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.owners import OWNERS
from driftq.resources.spec import Attrs, ListCall, ResourceSpec, Tags

Item = dict[str, Any]


def _first(items: Any, key: str) -> str:
    return str(next((i.get(key) for i in items or [] if i.get(key)), "") or "")


def _instance(item: Item, ctx: ScanContext) -> Attrs | None:
    if item.get("DBInstanceStatus") == "deleting":
        return None
    identifier = item["DBInstanceIdentifier"]
    attrs: Attrs = {
        # provider 5.x+: the id is the resource id (3.x/4.x: the identifier)
        "id": item.get("DbiResourceId") or identifier,
        "identifier": identifier,
        "arn": item.get("DBInstanceArn"),
        "engine": item.get("Engine"),
        "engine_version": item.get("EngineVersion") or "",
        "instance_class": item.get("DBInstanceClass"),
        "allocated_storage": item.get("AllocatedStorage") or 0,
        "max_allocated_storage": item.get("MaxAllocatedStorage") or 0,
        "storage_type": item.get("StorageType") or "",
        "iops": item.get("Iops") or 0,
        "storage_throughput": item.get("StorageThroughput") or 0,
        "storage_encrypted": bool(item.get("StorageEncrypted")),
        "kms_key_id": item.get("KmsKeyId") or "",
        "username": item.get("MasterUsername") or "",
        "db_name": item.get("DBName") or "",
        "port": item.get("DbInstancePort") or (item.get("Endpoint") or {}).get("Port") or 0,
        "multi_az": bool(item.get("MultiAZ")),
        "publicly_accessible": bool(item.get("PubliclyAccessible")),
        "db_subnet_group_name": (item.get("DBSubnetGroup") or {}).get("DBSubnetGroupName") or "",
        "vpc_security_group_ids": [
            g["VpcSecurityGroupId"]
            for g in item.get("VpcSecurityGroups") or []
            if g.get("VpcSecurityGroupId")
        ],
        "parameter_group_name": _first(item.get("DBParameterGroups"), "DBParameterGroupName"),
        "option_group_name": _first(item.get("OptionGroupMemberships"), "OptionGroupName"),
        "backup_retention_period": item.get("BackupRetentionPeriod") or 0,
        "backup_window": item.get("PreferredBackupWindow") or "",
        "maintenance_window": item.get("PreferredMaintenanceWindow") or "",
        "auto_minor_version_upgrade": bool(item.get("AutoMinorVersionUpgrade")),
        "copy_tags_to_snapshot": bool(item.get("CopyTagsToSnapshot")),
        "deletion_protection": bool(item.get("DeletionProtection")),
        "iam_database_authentication_enabled": bool(item.get("IAMDatabaseAuthenticationEnabled")),
        "enabled_cloudwatch_logs_exports": list(item.get("EnabledCloudwatchLogsExports") or []),
        "monitoring_interval": item.get("MonitoringInterval") or 0,
        "monitoring_role_arn": item.get("MonitoringRoleArn") or "",
        "performance_insights_enabled": bool(item.get("PerformanceInsightsEnabled")),
        "performance_insights_kms_key_id": item.get("PerformanceInsightsKMSKeyId") or "",
        "performance_insights_retention_period": item.get("PerformanceInsightsRetentionPeriod")
        or 0,
        "ca_cert_identifier": item.get("CACertificateIdentifier") or "",
        "license_model": item.get("LicenseModel") or "",
        "network_type": item.get("NetworkType") or "",
        "character_set_name": item.get("CharacterSetName") or "",
        "nchar_character_set_name": item.get("NcharCharacterSetName") or "",
        "timezone": item.get("Timezone") or "",
        "manage_master_user_password": bool(item.get("MasterUserSecret")),
        "master_user_secret_kms_key_id": (item.get("MasterUserSecret") or {}).get("KmsKeyId") or "",
        "replicate_source_db": item.get("ReadReplicaSourceDBInstanceIdentifier") or "",
    }
    if not item.get("MultiAZ"):
        # a Multi-AZ instance moves between zones at each failover, and the state keeps
        # the zone of its last refresh: compared for single-zone instances only
        attrs["availability_zone"] = item.get("AvailabilityZone") or ""
    if item.get("DBClusterIdentifier"):
        # an Aurora cluster's member: Terraform's aws_rds_cluster_instance of that cluster
        attrs[OWNERS] = [("aws_rds_cluster", str(item["DBClusterIdentifier"]))]
    return attrs


def same_version(state: Any, live: Any) -> bool:
    """The state's version is AWS's, or a less precise pin of it (`15` runs as `15.4`):
    the provider keeps the configured pin while AWS applies minor upgrades."""
    pinned, running = str(state or ""), str(live or "")
    return pinned == running or (bool(pinned) and running.startswith(pinned + "."))


def lower(value: Any) -> Any:
    # maintenance windows: AWS answers `Sun:05:00-Sun:06:00` or lower case, the same time
    return str(value).lower() if isinstance(value, str) else value


def true_or_none(value: Any) -> Any:
    # a switch the provider records as null when not configured: false and null alike
    return None if value in (None, False, "false", "") else value


def zero_is_unset(value: Any) -> Any:
    # a computed number the state records as 0 before AWS has answered one (a port, gp3's
    # baseline IOPS): not a setting
    return None if value in (0, "0") else value


def arn_tail(value: Any) -> Any:
    # a replica's source: the state holds the identifier or its ARN, AWS the identifier
    # (or the ARN for a source in another region)
    return str(value).rsplit(":", 1)[-1] if isinstance(value, str) and value else value


# Optional and computed settings: AWS chooses them when the configuration does not, and
# the state records AWS's choice; a state without one (an older provider, an import) has
# not set it
_WHEN_SET = frozenset(
    {
        "availability_zone",
        "backup_window",
        "maintenance_window",
        "parameter_group_name",
        "option_group_name",
        "ca_cert_identifier",
        "db_subnet_group_name",
        "vpc_security_group_ids",
        "kms_key_id",
        "license_model",
        "network_type",
        "port",
        "storage_type",
        "iops",
        "storage_throughput",
        "character_set_name",
        "nchar_character_set_name",
        "timezone",
        "performance_insights_kms_key_id",
        "performance_insights_retention_period",
        "master_user_secret_kms_key_id",
        "monitoring_role_arn",
        "replicate_source_db",
    }
)

_NUMBERS_WHEN_SET = ("port", "iops", "storage_throughput", "performance_insights_retention_period")

SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_db_instance",
        service="rds",
        list_call=ListCall(operation="DescribeDBInstances", items="DBInstances[]"),
        tags=Tags(path="TagList"),
        normalize=_instance,
        compared=(
            "engine",
            "engine_version",
            "instance_class",
            "allocated_storage",
            "max_allocated_storage",
            "storage_type",
            "iops",
            "storage_throughput",
            "storage_encrypted",
            "kms_key_id",
            "username",
            "db_name",
            "port",
            "multi_az",
            "availability_zone",
            "publicly_accessible",
            "db_subnet_group_name",
            "vpc_security_group_ids",
            "parameter_group_name",
            "option_group_name",
            "backup_retention_period",
            "backup_window",
            "maintenance_window",
            "auto_minor_version_upgrade",
            "copy_tags_to_snapshot",
            "deletion_protection",
            "iam_database_authentication_enabled",
            "enabled_cloudwatch_logs_exports",
            "monitoring_interval",
            "monitoring_role_arn",
            "performance_insights_enabled",
            "performance_insights_kms_key_id",
            "performance_insights_retention_period",
            "ca_cert_identifier",
            "license_model",
            "network_type",
            "character_set_name",
            "nchar_character_set_name",
            "timezone",
            "manage_master_user_password",
            "master_user_secret_kms_key_id",
            "replicate_source_db",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "identifier")
        | because(
            COMPUTED,
            "address",
            "endpoint",
            "hosted_zone_id",
            "resource_id",
            "status",
            "latest_restorable_time",
            "engine_version_actual",
            "listener_endpoint",
            "master_user_secret",
            "replicas",
        )
        | because(WRITE_ONLY, "password", "password_wo", "password_wo_version")
        | because(
            TERRAFORM_ONLY,
            "identifier_prefix",
            "apply_immediately",
            "allow_major_version_upgrade",
            "skip_final_snapshot",
            "final_snapshot_identifier",
            "delete_automated_backups",
            "blue_green_update",
            "snapshot_identifier",
            "restore_to_point_in_time",
            "s3_import",
            "upgrade_storage_config",
        )
        | because(
            NOT_YET,
            "backup_target",
            "custom_iam_instance_profile",
            "customer_owned_ip_enabled",
            "database_insights_mode",
            "dedicated_log_volume",
            "domain",
            "domain_auth_secret_arn",
            "domain_dns_ips",
            "domain_fqdn",
            "domain_iam_role_name",
            "domain_ou",
            "engine_lifecycle_support",
            "replica_mode",
        ),
        compared_when_set=_WHEN_SET,
        older_names={"db_name": "name"},
        equal_when={"engine_version": same_version},
        value_forms={
            "maintenance_window": lower,
            "backup_window": lower,
            "replicate_source_db": arn_tail,
            "manage_master_user_password": true_or_none,
            **dict.fromkeys(_NUMBERS_WHEN_SET, zero_is_unset),
        },
        # the identifier in every provider version (the id is 5.x's resource id)
        identity=lambda attrs: str(attrs.get("identifier") or ""),
        import_id_format="DB instance identifier, e.g. app-db",
    ),
]
