"""RDS: Aurora and Multi-AZ DB clusters (`aws_rds_cluster`), keyed and imported by cluster
identifier.

DescribeDBClusters answers every setting, tags included (`TagList`), in pages of 100: no
call per cluster. The cluster's instances are `aws_rds_cluster_instance` in Terraform; the
DB instance spec makes them the cluster's (``rds_instances``). Settings AWS chooses when
the configuration leaves them out (windows, zones, the `default.*` parameter group, the
`default` subnet group, a KMS key, ...) are compared only when the state holds a value.
Membership in a global cluster is not in that answer: one DescribeGlobalClusters per unit
names every global cluster's members, asked only when a state holds clusters.
"""

from __future__ import annotations

from typing import Any

from driftq.resources.attributes import (
    COMPUTED,
    IDENTITY,
    TERRAFORM_ONLY,
    WRITE_ONLY,
    because,
    common,
)
from driftq.resources.context import ScanContext
from driftq.resources.rds_instances import (
    domain_membership,
    lower,
    same_version,
    true_or_none,
    zero_is_unset,
)
from driftq.resources.spec import Attrs, ListCall, ResourceSpec, Tags

Item = dict[str, Any]


def _serverless_v2(item: Item) -> list[Item]:
    scaling = item.get("ServerlessV2ScalingConfiguration") or {}
    if not scaling:
        return []
    return [
        {
            "min_capacity": scaling.get("MinCapacity"),
            "max_capacity": scaling.get("MaxCapacity"),
            "seconds_until_auto_pause": scaling.get("SecondsUntilAutoPause"),
        }
    ]


def _cluster(item: Item, ctx: ScanContext) -> Attrs | None:
    if item.get("Status") == "deleting":
        return None
    identifier = item["DBClusterIdentifier"]
    encrypted = bool(item.get("StorageEncrypted"))
    secret = item.get("MasterUserSecret") or {}
    membership = domain_membership(item)
    return {
        "id": identifier,
        "cluster_identifier": identifier,
        "arn": item.get("DBClusterArn"),
        "engine": item.get("Engine"),
        "engine_mode": item.get("EngineMode") or "",
        "engine_version": item.get("EngineVersion") or "",
        "database_name": item.get("DatabaseName") or "",
        "master_username": item.get("MasterUsername") or "",
        "port": item.get("Port") or 0,
        "availability_zones": list(item.get("AvailabilityZones") or []),
        "db_subnet_group_name": item.get("DBSubnetGroup") or "",
        "vpc_security_group_ids": [
            g["VpcSecurityGroupId"]
            for g in item.get("VpcSecurityGroups") or []
            if g.get("VpcSecurityGroupId")
        ],
        "db_cluster_parameter_group_name": item.get("DBClusterParameterGroup") or "",
        "db_cluster_instance_class": item.get("DBClusterInstanceClass") or "",
        "allocated_storage": item.get("AllocatedStorage") or 0,
        "storage_type": item.get("StorageType") or "",
        "iops": item.get("Iops") or 0,
        "storage_encrypted": encrypted,
        # moto and older answers name a key for unencrypted clusters too: not a setting
        "kms_key_id": (item.get("KmsKeyId") or "") if encrypted else "",
        "backup_retention_period": item.get("BackupRetentionPeriod") or 0,
        "preferred_backup_window": item.get("PreferredBackupWindow") or "",
        "preferred_maintenance_window": item.get("PreferredMaintenanceWindow") or "",
        "backtrack_window": item.get("BacktrackWindow") or 0,
        "copy_tags_to_snapshot": bool(item.get("CopyTagsToSnapshot")),
        "deletion_protection": bool(item.get("DeletionProtection")),
        "iam_database_authentication_enabled": bool(item.get("IAMDatabaseAuthenticationEnabled")),
        "enable_http_endpoint": bool(item.get("HttpEndpointEnabled")),
        "enabled_cloudwatch_logs_exports": list(item.get("EnabledCloudwatchLogsExports") or []),
        "iam_roles": [r["RoleArn"] for r in item.get("AssociatedRoles") or [] if r.get("RoleArn")],
        "network_type": item.get("NetworkType") or "",
        "monitoring_interval": item.get("MonitoringInterval") or 0,
        "monitoring_role_arn": item.get("MonitoringRoleArn") or "",
        "performance_insights_enabled": bool(item.get("PerformanceInsightsEnabled")),
        "performance_insights_kms_key_id": item.get("PerformanceInsightsKMSKeyId") or "",
        "performance_insights_retention_period": item.get("PerformanceInsightsRetentionPeriod")
        or 0,
        "manage_master_user_password": bool(secret),
        "master_user_secret_kms_key_id": secret.get("KmsKeyId") or "",
        "serverlessv2_scaling_configuration": _serverless_v2(item),
        "scaling_configuration": _serverless_v1(item.get("ScalingConfigurationInfo")),
        "ca_certificate_identifier": (item.get("CertificateDetails") or {}).get("CAIdentifier")
        or "",
        "cluster_scalability_type": item.get("ClusterScalabilityType") or "",
        "database_insights_mode": item.get("DatabaseInsightsMode") or "",
        "engine_lifecycle_support": item.get("EngineLifecycleSupport") or "",
        "replication_source_identifier": item.get("ReplicationSourceIdentifier") or "",
        "enable_global_write_forwarding": bool(item.get("GlobalWriteForwardingRequested")),
        "enable_local_write_forwarding": item.get("LocalWriteForwardingStatus")
        in ("enabled", "enabling"),
        "domain": membership["domain"],
        "domain_iam_role_name": membership["domain_iam_role_name"],
    } | _global_cluster(item, ctx)


def _global_cluster(item: Item, ctx: ScanContext) -> Attrs:
    # read only when a state holds clusters: one call per unit, and a cluster outside every
    # state is reported unmanaged whatever its global cluster
    if not ctx.state_attributes("aws_rds_cluster"):
        return {}
    members = ctx.remember("rds:global-cluster-members", lambda: _global_clusters(ctx))
    return {"global_cluster_identifier": members.get(str(item.get("DBClusterArn")), "")}


def _global_clusters(ctx: ScanContext) -> dict[str, str]:
    """Each member cluster's global cluster: DescribeDBClusters does not say; one
    DescribeGlobalClusters per unit names every global cluster's members."""
    return {
        member["DBClusterArn"]: str(cluster.get("GlobalClusterIdentifier") or "")
        for page in ctx.pages("rds", "DescribeGlobalClusters", {})
        for cluster in page.get("GlobalClusters") or []
        for member in cluster.get("GlobalClusterMembers") or []
        if member.get("DBClusterArn")
    }


def _serverless_v1(info: Item | None) -> list[Item]:
    # Aurora Serverless v1's capacity (engine_mode = serverless)
    if not info:
        return []
    return [
        {
            "min_capacity": info.get("MinCapacity"),
            "max_capacity": info.get("MaxCapacity"),
            "auto_pause": bool(info.get("AutoPause")),
            "seconds_until_auto_pause": info.get("SecondsUntilAutoPause"),
            "timeout_action": info.get("TimeoutAction") or "",
            "seconds_before_timeout": info.get("SecondsBeforeTimeout"),
        }
    ]


_WHEN_SET = frozenset(
    {
        "engine_mode",
        "port",
        "availability_zones",
        "db_subnet_group_name",
        "vpc_security_group_ids",
        "db_cluster_parameter_group_name",
        "db_cluster_instance_class",
        "allocated_storage",
        "storage_type",
        "iops",
        "kms_key_id",
        "preferred_backup_window",
        "preferred_maintenance_window",
        "network_type",
        "monitoring_role_arn",
        "performance_insights_kms_key_id",
        "performance_insights_retention_period",
        "master_user_secret_kms_key_id",
        # AWS's choices when none was made (its default CA, standard scalability and
        # insights, extended support); Serverless v1 capacity only for such clusters
        "ca_certificate_identifier",
        "cluster_scalability_type",
        "database_insights_mode",
        "engine_lifecycle_support",
        "scaling_configuration",
    }
)

SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_rds_cluster",
        service="rds",
        list_call=ListCall(operation="DescribeDBClusters", items="DBClusters[]"),
        operations=("rds:DescribeGlobalClusters",),
        tags=Tags(path="TagList"),
        normalize=_cluster,
        compared=(
            "engine",
            "engine_mode",
            "engine_version",
            "database_name",
            "master_username",
            "port",
            "availability_zones",
            "db_subnet_group_name",
            "vpc_security_group_ids",
            "db_cluster_parameter_group_name",
            "db_cluster_instance_class",
            "allocated_storage",
            "storage_type",
            "iops",
            "storage_encrypted",
            "kms_key_id",
            "backup_retention_period",
            "preferred_backup_window",
            "preferred_maintenance_window",
            "backtrack_window",
            "copy_tags_to_snapshot",
            "deletion_protection",
            "iam_database_authentication_enabled",
            "enable_http_endpoint",
            "enabled_cloudwatch_logs_exports",
            "iam_roles",
            "network_type",
            "monitoring_interval",
            "monitoring_role_arn",
            "performance_insights_enabled",
            "performance_insights_kms_key_id",
            "performance_insights_retention_period",
            "manage_master_user_password",
            "master_user_secret_kms_key_id",
            "serverlessv2_scaling_configuration",
            "scaling_configuration",
            "ca_certificate_identifier",
            "cluster_scalability_type",
            "database_insights_mode",
            "engine_lifecycle_support",
            "replication_source_identifier",
            "enable_global_write_forwarding",
            "enable_local_write_forwarding",
            "domain",
            "domain_iam_role_name",
            "global_cluster_identifier",
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn")
        | because(IDENTITY, "cluster_identifier")
        | because(
            COMPUTED,
            "endpoint",
            "reader_endpoint",
            "hosted_zone_id",
            "cluster_resource_id",
            "engine_version_actual",
            "ca_certificate_valid_till",
            "master_user_secret",
            "db_system_id",
            # the members are aws_rds_cluster_instance resources, compared on their own
            "cluster_members",
        )
        | because(WRITE_ONLY, "master_password", "master_password_wo", "master_password_wo_version")
        | because(
            TERRAFORM_ONLY,
            "cluster_identifier_prefix",
            "apply_immediately",
            "allow_major_version_upgrade",
            "skip_final_snapshot",
            "final_snapshot_identifier",
            "delete_automated_backups",
            "snapshot_identifier",
            "restore_to_point_in_time",
            "s3_import",
            "source_region",
            # used only during a major version upgrade
            "db_instance_parameter_group_name",
        ),
        compared_when_set=_WHEN_SET,
        equal_when={"engine_version": same_version},
        value_forms={
            "preferred_maintenance_window": lower,
            "preferred_backup_window": lower,
            "manage_master_user_password": true_or_none,
            **dict.fromkeys(
                ("port", "iops", "allocated_storage", "performance_insights_retention_period"),
                zero_is_unset,
            ),
        },
        import_id_format="DB cluster identifier, e.g. app-aurora",
    ),
]
