"""CloudWatch Logs: calls name the log group (newer tag calls its ARN)."""

from driftq.events.mapping import on

EVENTS = {
    "aws_cloudwatch_log_group": on("CreateLogGroup DeleteLogGroup PutRetentionPolicy DeleteRetentionPolicy AssociateKmsKey DisassociateKmsKey TagLogGroup UntagLogGroup TagResource UntagResource PutDataProtectionPolicy", "requestParameters.logGroupName", "requestParameters.resourceArn"),
}  # fmt: skip
