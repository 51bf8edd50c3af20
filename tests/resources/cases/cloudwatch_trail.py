"""CloudWatch and CloudTrail cases: a metric alarm with actions and dimensions, a logging
multi-region trail with log file validation."""

from __future__ import annotations

from typing import Any

from tests.resources.harness import DEFAULT_TAGS, Built, Res, TypeCase, tags_state
from tests.support.estate import unique


def _tag_list(name: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {"Name": name, **DEFAULT_TAGS}.items()]


def _alarm(account: Any) -> Built:
    name = unique("high-cpu")
    topic = f"arn:aws:sns:us-east-1:{account.id}:alerts"
    arn = f"arn:aws:cloudwatch:us-east-1:{account.id}:alarm:{name}"
    account.client("cloudwatch").put_metric_alarm(
        AlarmName=name,
        AlarmDescription="cpu above 80%",
        ActionsEnabled=True,
        AlarmActions=[topic],
        MetricName="CPUUtilization",
        Namespace="AWS/EC2",
        Statistic="Average",
        Dimensions=[{"Name": "AutoScalingGroupName", "Value": "web"}],
        Period=300,
        EvaluationPeriods=2,
        DatapointsToAlarm=2,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="breaching",
        Tags=_tag_list(name),
    )
    state = {
        "id": name,
        "alarm_name": name,
        "arn": arn,
        "alarm_description": "cpu above 80%",
        "actions_enabled": True,
        "alarm_actions": [topic],
        "ok_actions": [],
        "insufficient_data_actions": [],
        "metric_name": "CPUUtilization",
        "namespace": "AWS/EC2",
        "statistic": "Average",
        "extended_statistic": "",
        "dimensions": {"AutoScalingGroupName": "web"},
        "period": 300,
        "unit": "",
        "evaluation_periods": 2,
        "datapoints_to_alarm": 2,
        "threshold": 80,
        "threshold_metric_id": "",
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "breaching",
        "evaluate_low_sample_count_percentiles": "",
        "metric_query": [],
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_cloudwatch_metric_alarm", "a", state)], import_id=name)


def _field(name: str, equals: list[str]) -> dict[str, Any]:
    return {
        "field": name,
        "equals": equals,
        "not_equals": [],
        "starts_with": [],
        "not_starts_with": [],
        "ends_with": [],
        "not_ends_with": [],
    }


def _trail(account: Any) -> Built:
    bucket = unique("trail-logs")
    account.client("s3").create_bucket(Bucket=bucket)
    name = unique("main")
    cloudtrail = account.client("cloudtrail")
    arn = cloudtrail.create_trail(
        Name=name,
        S3BucketName=bucket,
        S3KeyPrefix="ct",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        TagsList=_tag_list(name),
    )["TrailARN"]
    cloudtrail.start_logging(Name=name)
    # advanced selectors replace the basic ones (AWS's default then says nothing)
    cloudtrail.put_event_selectors(
        TrailName=name,
        AdvancedEventSelectors=[
            {
                "Name": "writes",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Management"]},
                    {"Field": "readOnly", "Equals": ["false"]},
                ],
            }
        ],
    )
    cloudtrail.put_insight_selectors(
        TrailName=name, InsightSelectors=[{"InsightType": "ApiCallRateInsight"}]
    )
    state = {
        "id": arn,
        "arn": arn,
        "name": name,
        "home_region": "us-east-1",
        "s3_bucket_name": bucket,
        "s3_key_prefix": "ct",
        "sns_topic_name": "",
        "sns_topic_arn": "",
        "include_global_service_events": True,
        "is_multi_region_trail": True,
        "is_organization_trail": False,
        "enable_log_file_validation": True,
        "kms_key_id": "",
        "cloud_watch_logs_group_arn": "",
        "cloud_watch_logs_role_arn": "",
        "enable_logging": True,
        "event_selector": [],
        # as the provider writes them: every operator, unset ones empty
        "advanced_event_selector": [
            {
                "name": "writes",
                "field_selector": [
                    _field("readOnly", ["false"]),
                    _field("eventCategory", ["Management"]),
                ],
            }
        ],
        "insight_selector": [{"insight_type": "ApiCallRateInsight", "event_categories": []}],
        **tags_state({"Name": name}),
    }
    return Built([Res("aws_cloudtrail", "t", state)], import_id=arn)


CASES = [
    TypeCase(type="aws_cloudwatch_metric_alarm", build=_alarm),
    TypeCase(
        type="aws_cloudtrail",
        build=_trail,
        # AWS's default selector (all management events) is "none set"
        mutations={
            "event_selector": [
                {
                    "read_write_type": "ReadOnly",
                    "include_management_events": True,
                    "data_resource": [],
                }
            ]
        },
    ),
]
