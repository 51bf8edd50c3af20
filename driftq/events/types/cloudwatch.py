"""CloudWatch alarms: CloudTrail names the service `monitoring`."""

from driftq.events.mapping import on

SOURCE = "monitoring.amazonaws.com"

EVENTS = {
    "aws_cloudwatch_metric_alarm": on("PutMetricAlarm DeleteAlarms EnableAlarmActions DisableAlarmActions TagResource UntagResource", "requestParameters.alarmName", "requestParameters.alarmNames", "requestParameters.resourceARN"),
}  # fmt: skip
