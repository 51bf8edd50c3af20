"""DynamoDB: calls name the table, tag calls its ARN."""

from driftq.events.mapping import on

EVENTS = {
    "aws_dynamodb_table": on("CreateTable DeleteTable UpdateTable UpdateTimeToLive UpdateContinuousBackups TagResource UntagResource", "requestParameters.tableName", "requestParameters.resourceArn", "responseElements.tableDescription.tableName"),
}  # fmt: skip
