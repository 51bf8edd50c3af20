"""RDS: calls name the resource (tag calls its ARN, `...:subgrp:<name>`, `...:db:<id>`,
`...:cluster:<id>`)."""

from driftq.events.mapping import on

_TAGS = "AddTagsToResource RemoveTagsFromResource"

EVENTS = {
    "aws_db_subnet_group": on(f"CreateDBSubnetGroup ModifyDBSubnetGroup DeleteDBSubnetGroup {_TAGS}", "requestParameters.dBSubnetGroupName", "requestParameters.resourceName"),
    "aws_db_instance": on(f"CreateDBInstance CreateDBInstanceReadReplica ModifyDBInstance DeleteDBInstance RestoreDBInstanceFromDBSnapshot RestoreDBInstanceToPointInTime RestoreDBInstanceFromS3 PromoteReadReplica {_TAGS}", "requestParameters.dBInstanceIdentifier", "requestParameters.targetDBInstanceIdentifier", "requestParameters.resourceName"),
    "aws_rds_cluster": on(f"CreateDBCluster ModifyDBCluster DeleteDBCluster RestoreDBClusterFromSnapshot RestoreDBClusterToPointInTime RestoreDBClusterFromS3 AddRoleToDBCluster RemoveRoleFromDBCluster {_TAGS}", "requestParameters.dBClusterIdentifier", "requestParameters.resourceName"),
}  # fmt: skip
