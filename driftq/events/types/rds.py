"""RDS: calls name the resource (tag calls its ARN, `...:subgrp:<name>`)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_db_subnet_group": on("CreateDBSubnetGroup ModifyDBSubnetGroup DeleteDBSubnetGroup AddTagsToResource RemoveTagsFromResource", "requestParameters.dBSubnetGroupName", "requestParameters.resourceName"),
}  # fmt: skip
